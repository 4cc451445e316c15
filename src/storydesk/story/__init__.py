"""The story stage: a timeline of events and a brief whose every citation is checked.

Runs after reliability, because both read it: the timeline marks events told only by unreliable
articles as disputed, and the brief prefers reliable articles when two sentences say as much.
`timeline.py` builds the entries, `brief.py` chooses and orders the sentences, `citations.py` is the
checker every brief citation passes, and `text.py` holds the deletion-only compression both use.
The embedding model is loaded once per process and caches each text's vector (claims/embed.py):
the timeline, the brief and the checker ask about the claims' sentences, which the claims stage
embedded already.
"""

from __future__ import annotations

from ..model import Story


def run_story(story: Story) -> Story:
    from ..claims.embed import embed
    from .brief import build_brief
    from .timeline import build_timeline

    # One batch for the sentences both builders read (already cached when the claims stage ran in
    # this process).
    embed([c.text for c in story.claims])
    story.timeline = build_timeline(story, embed)
    story.brief = build_brief(story, embed)
    return story
