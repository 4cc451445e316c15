"""Pages nested deeper than lxml can parse: flatten the excess nesting instead of losing the page.

libxml2 (under lxml, under trafilatura) stops parsing at element depth 256 and keeps only what it
read so far. Old or hand-made pages reach that depth with nothing worse than a few hundred unclosed
`<font>` or `<b>` tags, and everything after that point, usually the whole article, was silently
gone. When a parsed tree reaches the limit, the page is re-parsed with open tags beyond a modest
depth dropped: their text stays (it joins the deepest kept element), only the markup is lost.
"""

from __future__ import annotations

import re
from typing import Any

# libxml2's limit is 256; a parsed tree this deep was (very probably) cut off by it.
PARSER_DEPTH = 250
# Open tags deeper than this are dropped on the second parse: far below the parser's limit, far above
# what any real article's markup needs.
KEEP_DEPTH = 100

_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def max_depth(tree: Any) -> int:
    """Deepest element nesting of a parsed tree (linear: one walk, no recursion)."""
    from lxml import etree

    depth = deepest = 0
    for event, _el in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def flatten_nesting(html: str, keep: int = KEEP_DEPTH) -> str:
    """The page with every open tag beyond depth `keep` removed (with its matching close tag).

    The depth is counted as written (a close tag closes the nearest open element of its name and all
    above it); the parser's implied closes only make the real depth smaller, so the result parses whole.
    """
    out: list[str] = []
    stack: list[str] = []
    dropped: dict[str, int] = {}
    pos = 0
    for m in _TAG.finditer(html):
        closing, name, selfclosing = m[1], m[2].lower(), m[3]
        drop = False
        if closing:
            if dropped.get(name) and name not in stack[-1:]:
                dropped[name] -= 1
                drop = True
            elif name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name):]
        elif name not in _VOID and not selfclosing:
            if len(stack) >= keep:
                dropped[name] = dropped.get(name, 0) + 1
                drop = True
            else:
                stack.append(name)
        if drop:
            out.append(html[pos : m.start()])
            pos = m.end()
    out.append(html[pos:])
    return "".join(out)
