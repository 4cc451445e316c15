"""Quotation marks paired into quoted passages, paragraph by paragraph.

Straight marks carry no direction, so marks pair in order within a paragraph; curly marks are trusted
only as much as straight ones, because cleaned web text mixes them freely. A passage still open at a
paragraph's end is the convention for a quote that runs on into the next paragraph (which reopens
it), so it ends there. Single curly marks (British style) count only where they cannot be an
apostrophe: an opening mark after a space, a closing one not followed by a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_MARKS = "\"“”„«»"
_OPEN_SINGLE, _CLOSE_SINGLE = "‘", "’"
_PARAGRAPH_SPLIT = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_SPLIT = re.compile(r"\n\s*")
_TRAILING = " \t\n,;:"


@dataclass(slots=True)
class Marked:
    """One quoted passage: `start`/`end` delimit the quoted words, `open`/`close` include the marks."""

    open: int
    close: int
    start: int
    end: int
    paragraph: int
    closed: bool

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line separated, or line separated when the text has no blank lines."""
    splitter = _PARAGRAPH_SPLIT if _PARAGRAPH_SPLIT.search(text) else _LINE_SPLIT
    out, pos = [], 0
    for sep in splitter.finditer(text):
        if text[pos : sep.start()].strip():
            out.append((pos, sep.start()))
        pos = sep.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def find_marked(text: str) -> list[Marked]:
    out: list[Marked] = []
    for n, (p_start, p_end) in enumerate(paragraphs(text)):
        out.extend(_pair(text, p_start, p_end, n))
    return out


def _pair(text: str, p_start: int, p_end: int, para: int) -> list[Marked]:
    out: list[Marked] = []
    open_double: int | None = None
    open_single: int | None = None
    for i in range(p_start, p_end):
        ch = text[i]
        if ch in DOUBLE_MARKS:
            if open_double is None:
                open_double, open_single = i, None
            else:
                out.extend(_passage(text, open_double, i + 1, para, True))
                open_double = None
        elif open_double is None and ch == _OPEN_SINGLE and (i == p_start or not text[i - 1].isalnum()):
            open_single = i
        elif open_single is not None and ch == _CLOSE_SINGLE and _closes_single(text, i, p_end):
            out.extend(_passage(text, open_single, i + 1, para, True))
            open_single = None
    if open_double is not None:
        out.extend(_passage(text, open_double, p_end, para, False))
    return out


def _closes_single(text: str, i: int, p_end: int) -> bool:
    after = text[i + 1] if i + 1 < p_end else " "
    return not after.isalpha() and not text[i - 1].isspace()


def _passage(text: str, open_: int, close: int, para: int, closed: bool) -> list[Marked]:
    start = open_ + 1
    end = close - 1 if closed else close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    if end <= start:
        return []
    return [Marked(open_, close, start, end, para, closed)]
