"""Firehose mode: many articles in, one analysed report per story out, on Dask.

Why this shape:
- The per-article work (extraction, cleaning, metadata, clustering features) needs no other article,
  so it runs as Dask tasks over partitions of the input stream (`tasks.prepare_partition`).
- Clustering is online and runs on the client, fed partition by partition in submission order, so
  the same inputs give the same stories however the tasks finish.
- Everything that compares articles (the language layer's cross-document entities, claim alignment,
  reliability, timeline, brief) runs once per story, as one Dask task each (`tasks.analyse_story`),
  biggest stories first so the workers finish together.
- The store is the ledger. Each finished partition is recorded in one transaction: its documents'
  content hashes, its articles (with their raw input) and the clustering features it fed, in order. A
  run killed at any point has recorded whole partitions or nothing of one, so `--resume` skips the
  recorded documents, replays the features into a new clusterer and goes on; stories whose stored report already
  covers exactly their articles are not analysed again.
- Only the client touches the store and the output folder, so workers may live on other machines
  (`--scheduler tcp://...`) as long as they have StoryDesk installed.
"""

from .batch import BatchResult, run_batch

__all__ = ["BatchResult", "run_batch"]
