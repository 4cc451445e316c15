"""Text that remembers where each character came from.

Cleaning deletes furniture lines, strips links, splits glued words and re-joins wrapped lines; a
later stage quotes a sentence by clean offsets and the reader wants to see it in the raw page. So
every edit here is made on a `Tracked` value that carries, per character, its offset in the raw
input (inserted characters borrow the offset of the text they replace). `runs()` compresses that
into a `SourceMap` once cleaning is done.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import SourceMap


@dataclass(slots=True)
class Tracked:
    text: str
    pos: list[int]

    @classmethod
    def of(cls, raw: str) -> Tracked:
        return cls(raw, list(range(len(raw))))

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, item: slice) -> Tracked:
        return Tracked(self.text[item], self.pos[item])

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Tracked:
        """`re.sub` that keeps offsets: kept text keeps its own, replacement text borrows the match's."""
        text_parts: list[str] = []
        pos_parts: list[int] = []
        last = 0
        for m in pattern.finditer(self.text):
            new = repl(m) if callable(repl) else m.expand(repl)
            text_parts.append(self.text[last : m.start()])
            pos_parts.extend(self.pos[last : m.start()])
            text_parts.append(new)
            pos_parts.extend(_align(m.group(0), self.pos[m.start() : m.end()], new, self._anchor(m.start())))
            last = m.end()
        if not text_parts:
            return self
        text_parts.append(self.text[last:])
        pos_parts.extend(self.pos[last:])
        return Tracked("".join(text_parts), pos_parts)

    def _anchor(self, i: int) -> int:
        if i < len(self.pos):
            return self.pos[i]
        return self.pos[-1] + 1 if self.pos else 0

    def strip(self) -> Tracked:
        start = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        return self[start:end]

    def lines(self) -> list[Tracked]:
        out, start = [], 0
        for i, ch in enumerate(self.text):
            if ch == "\n":
                out.append(self[start:i])
                start = i + 1
        out.append(self[start:])
        return out

    @staticmethod
    def join(sep: str, parts: Iterable[Tracked]) -> Tracked:
        text_parts: list[str] = []
        pos_parts: list[int] = []
        for i, part in enumerate(parts):
            if i and sep:
                anchor = pos_parts[-1] + 1 if pos_parts else 0
                text_parts.append(sep)
                pos_parts.extend([anchor] * len(sep))
            text_parts.append(part.text)
            pos_parts.extend(part.pos)
        return Tracked("".join(text_parts), pos_parts)

    def source_map(self) -> SourceMap:
        runs: list[tuple[int, int]] = []
        prev = None
        for i, p in enumerate(self.pos):
            if prev is None or p != prev + 1:
                runs.append((i, p))
            prev = p
        return SourceMap(runs)


def _align(old: str, old_pos: list[int], new: str, anchor: int) -> list[int]:
    """Offsets for a replacement: characters kept from the match keep theirs (a greedy left-to-right
    alignment, enough for the insertions and deletions cleaning makes); inserted ones borrow the
    offset of the next kept character."""
    out: list[int] = []
    j = 0
    for ch in new:
        k = j
        while k < len(old) and old[k] != ch and k - j < _LOOKAHEAD:
            k += 1
        if k < len(old) and old[k] == ch:
            out.append(old_pos[k])
            j = k + 1
        elif j < len(old_pos):
            out.append(old_pos[j])
        else:
            out.append(old_pos[-1] + 1 if old_pos else anchor)
    return out


_LOOKAHEAD = 64
