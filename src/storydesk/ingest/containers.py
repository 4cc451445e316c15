"""Readers for containers that hold many articles: JSON Lines, RSS/Atom feeds, WARC archives.

Each yields one RawDocument per article, with the container's own metadata (URL, title, date) kept,
and one RawDocument carrying an error for each record that cannot be read, so a bad line or record
is reported by position while the rest of the container is still analysed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from ..model import RawDocument
from ..options import Options
from .decode import DecodeError, decode_bytes

_HTML_HINT = ("<p", "<div", "<br", "<html", "<article", "<span", "<a ")


def read_jsonl(source: str, data: bytes, options: Options) -> Iterator[RawDocument]:
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield RawDocument(source, errors=[str(exc)])
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RawDocument(where, errors=[f"invalid JSON on line {lineno}: {exc.msg} (column {exc.colno})"])
            continue
        if not isinstance(rec, dict) or not (isinstance(rec.get("text"), str) or isinstance(rec.get("html"), str)):
            yield RawDocument(where, errors=[f"line {lineno} has no 'text' or 'html' string field"])
            continue
        kind = "html" if isinstance(rec.get("html"), str) else "text"
        author = rec.get("byline") or rec.get("author") or []
        url = _str(rec.get("url"))
        # A line's own identity beats its position: the url, else its `id`, else file:line.
        rec_id = rec.get("id")
        rec_id = str(rec_id) if isinstance(rec_id, (str, int)) and not isinstance(rec_id, bool) and str(rec_id).strip() else None
        yield RawDocument(
            url or rec_id or where,
            kind=kind,
            content=rec[kind],
            url=url,
            title=_str(rec.get("title")),
            published=_str(rec.get("published")),
            byline=[author] if isinstance(author, str) else [a for a in author if isinstance(a, str)],
        )


def read_feed(source: str, data: bytes, options: Options) -> Iterator[RawDocument]:
    import feedparser

    parsed = feedparser.parse(data)
    reason = getattr(parsed, "bozo_exception", None) if parsed.bozo else None
    if not parsed.entries:
        yield RawDocument(source, errors=[f"malformed or empty feed: {reason or 'no entries found'}"])
        return
    if reason:
        usable = sum(1 for e in parsed.entries if e.get("content") or e.get("summary"))
        yield RawDocument(source, errors=[f"malformed or empty feed: {reason}; {usable} readable entr{'y' if usable == 1 else 'ies'} kept"])
    for i, entry in enumerate(parsed.entries, 1):
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry.content), key=len)
        content = content or entry.get("summary", "")
        where = f"{source}#{i}"
        if not content.strip():
            yield RawDocument(where, url=entry.get("link"), title=entry.get("title"), errors=["feed entry has no text"])
            continue
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        author = entry.get("author")
        yield RawDocument(
            where,
            kind="html" if any(h in content.lower() for h in _HTML_HINT) else "text",
            content=content,
            url=entry.get("link"),
            title=entry.get("title"),
            published=published,
            byline=[author] if author else [],
        )


def read_warc(source: str, data: bytes, options: Options) -> Iterator[RawDocument]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            count += 1
            where = f"{source}#{url or count}"
            body = record.content_stream().read(options.max_bytes + 1)
            if len(body) > options.max_bytes:
                yield RawDocument(where, url=url, errors=["WARC record too large; skipped"])
                continue
            charset = ctype.split("charset=")[-1].strip() if "charset=" in ctype else None
            try:
                yield RawDocument(where, kind="html", content=decode_bytes(body, charset), url=url)
            except DecodeError as exc:
                yield RawDocument(where, url=url, errors=[str(exc)])
    except (ArchiveLoadFailed, ValueError, EOFError, OSError, AttributeError, TypeError) as exc:
        # warcio raises assorted errors on truncated or hand-made records; all mean "malformed".
        yield RawDocument(source, errors=[f"malformed WARC after {count} record(s): {exc}"])
        return
    if count == 0:
        yield RawDocument(source, errors=["WARC holds no HTML response records"])


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
