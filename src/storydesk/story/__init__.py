"""The story stage: a timeline of events and a brief whose every citation is checked.

Runs after reliability, because both read it: the timeline marks events told only by unreliable
articles as disputed, and the brief prefers reliable articles when two sentences say as much.
`timeline.py` builds the entries, `brief.py` chooses and orders the sentences, `citations.py` is the
checker every brief citation passes, and `text.py` holds the deletion-only compression both use.
The embedding model is loaded once per process (claims/embed.py), so this stage adds seconds.
"""

from __future__ import annotations

from ..model import Story


def run_story(story: Story) -> Story:
    from .brief import build_brief
    from .timeline import build_timeline

    embed_fn = _cached_embed()
    embed_fn([c.text for c in story.claims])  # one batch: both builders read these sentences
    story.timeline = build_timeline(story, embed_fn)
    story.brief = build_brief(story, embed_fn)
    return story


def _cached_embed():  # noqa: ANN202
    """One vector per distinct text for the whole stage: the timeline, the brief and the checker ask
    about the same sentences."""
    import numpy as np

    from ..claims.embed import EMBED_DIM, embed

    cache: dict[str, np.ndarray] = {}

    def embed_fn(texts):  # noqa: ANN001, ANN202
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, embed(missing)))
        return np.stack([cache[t] for t in texts]) if len(texts) else np.zeros((0, EMBED_DIM), dtype=np.float32)

    return embed_fn
