"""What kind of document is this? Extension first, content when the extension says nothing."""

from __future__ import annotations

import re

from .decode import BOMS

_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype html|html|head|body|article|div|p)\b", re.I | re.S)
_FEED = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.I | re.S)

KINDS = {
    ".txt": "text", ".md": "text", ".text": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".arc": "warc",
}


def kind_of(name: str, head: bytes) -> str:
    lower = name.lower()
    for suffix in (".warc.gz", ".arc.gz"):
        if lower.endswith(suffix):
            return "warc"
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for suffix, kind in KINDS.items():
        if lower.endswith(suffix):
            if kind == "feed":
                head = _without_bom(head)
                return "feed" if _FEED.match(head) or not _HTML.match(head) else "html"
            return kind
    return sniff(head)


def sniff(head: bytes) -> str:
    head = _without_bom(head)
    if head.startswith(b"WARC/"):
        return "warc"
    if _FEED.match(head[:4096]):
        return "feed"
    if _HTML.match(head[:4096]):
        return "html"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return "text"


def _without_bom(head: bytes) -> bytes:
    """The head as UTF-8 without its byte-order mark: a page saved with a BOM (UTF-8, or UTF-16 whose
    markup is invisible to a bytes pattern) is still recognised as HTML, a feed or JSON Lines."""
    for bom, enc in BOMS:
        if head.startswith(bom):
            return head.decode(enc, "ignore").encode("utf-8")
    return head
