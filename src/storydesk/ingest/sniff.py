"""What kind of document is this? Extension first, content when the extension says nothing."""

from __future__ import annotations

import re

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
            return "feed" if kind == "feed" and not _FEED.match(head) and _HTML.match(head) else kind
    return sniff(head)


def sniff(head: bytes) -> str:
    if head.startswith(b"WARC/"):
        return "warc"
    if _FEED.match(head[:4096]):
        return "feed"
    if _HTML.match(head[:4096]):
        return "html"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return "text"
