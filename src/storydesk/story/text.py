"""Sentence-level helpers shared by the timeline and the brief: compression and entity lookup.

Compression only ever deletes (a parenthetical aside, a leading connective that points at a sentence
the reader of a summary has not seen), never rewrites: a compressed sentence says no more than its
source, so its citation stays checkable word by word.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict

from ..model import Span, Story

_PAREN = re.compile(r"\s*\((?:[^()]{1,80})\)")
_CONNECTIVE = re.compile(
    r"^(?:however|but|and|meanwhile|still|also|yet|so|moreover|in addition|nevertheless|indeed|"
    r"instead|furthermore|in fact|at the same time|separately|similarly|likewise)\s*,?\s+",
    re.I,
)
# A sentence that opens on a pronoun leans on one the summary does not show.
_DANGLING = re.compile(r"^[\"'\u201c\u2018]?(?:he|she|it|they|this|that|these|those|his|her|its|their|there|such|we|i|you)\b", re.I)
_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
MAX_CHARS = 320


def compress(text: str) -> str:
    out = " ".join(text.split())
    out = _PAREN.sub("", out)
    stripped = _CONNECTIVE.sub("", out)
    if stripped != out and stripped:
        out = stripped[0].upper() + stripped[1:]
    return out.strip()


def standalone(text: str) -> bool:
    """Fit for a summary: a whole sentence that does not lean on the one before it."""
    return bool(_TERMINAL.search(text)) and not _DANGLING.match(text) and len(text) <= MAX_CHARS and _quotes_balanced(text)


def _quotes_balanced(text: str) -> bool:
    straight = text.count('"') % 2 == 0
    return straight and text.count("\u201c") == text.count("\u201d")


class EntityIndex:
    """Entity ids mentioned inside a span, from the language layer's resolved mentions."""

    def __init__(self, story: Story) -> None:
        rows: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for ent in story.entities:
            for m in ent.mentions:
                rows[m.article].append((m.span[0], m.span[1], ent.id))
        self._rows = {a: sorted(r) for a, r in rows.items()}
        self._starts = {a: [r[0] for r in rs] for a, rs in self._rows.items()}

    def inside(self, article: str, span: Span) -> list[str]:
        rows = self._rows.get(article, [])
        starts = self._starts.get(article, [])
        lo, hi = bisect_left(starts, span[0]), bisect_right(starts, span[1])
        return list(dict.fromkeys(e for s, e_end, e in rows[lo:hi] if e_end <= span[1]))
