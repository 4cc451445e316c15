"""StoryDesk: read a pile of articles about one story and report, with evidence, what they agree on,
where they contradict each other, who said what, which articles look unreliable, and how the story
unfolded.

    >>> import storydesk
    >>> story = storydesk.analyze(["examples/japan-us-nk"])   # doctest: +SKIP

Nothing heavy is imported here: models load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["analyze", "Options", "__version__"]

if TYPE_CHECKING:
    from .model import Story
    from .options import Options


def analyze(paths: Any, options: "Options | None" = None) -> "Story":
    """Analyse files, folders, URLs or "-" (stdin); returns the Story with every stage's results."""
    from .pipeline import analyze as _analyze

    return _analyze(paths, options)


def __getattr__(name: str) -> Any:
    if name == "Options":
        from .options import Options

        return Options
    raise AttributeError(name)
