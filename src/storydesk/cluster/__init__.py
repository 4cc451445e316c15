"""Story clustering for firehose mode: split a large pile of articles into stories, online.

`features_for` turns articles into picklable `ArticleFeatures` (embedding, key terms, names, MinHash)
in batches, so Dask workers can compute them; `StoryClusterer` consumes them one at a time, in any
order, and a crashed run resumes by replaying the features it recorded into a new one. See
`online` for the method and `bench/clustering.py` for the figures.
"""

from storydesk.cluster.evaluate import bcubed
from storydesk.cluster.features import ArticleFeatures, features_for
from storydesk.cluster.online import StoryClusterer

__all__ = ["ArticleFeatures", "StoryClusterer", "bcubed", "features_for"]
