"""Readers for containers that hold many articles: JSON Lines and RSS/Atom feeds (WARC: see warc.py).

Each yields one RawDocument per article, with the container's own metadata (URL, title, date) kept,
and one RawDocument carrying an error for each record that cannot be read, so a bad line or record
is reported by position while the rest of the container is still analysed.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

from ..model import RawDocument
from ..options import Options
from .decode import DecodeError, decode_bytes, scrub

# JSON Lines are split at line breaks only: str.splitlines() also splits at U+2028, U+2029 and U+0085,
# which JSON allows unescaped inside a string, so a valid record became two "invalid JSON" errors.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Numeric character references; feedparser turns each into chr(n) and encodes it, so a reference to a
# surrogate (&#xD800;) or past U+10FFFF raised from inside feedparser and ended the whole run.
# feedparser's loose parser also takes one without its ";".
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
# The XML declaration's encoding name: feedparser decodes it as UTF-8 without a guard.
_XML_ENCODING = re.compile(rb"""^(<\?[^>]*?)encoding\s*=\s*(['"])(.*?)\2""")

_HTML_HINT = ("<p", "<div", "<br", "<html", "<article", "<span", "<a ")


def read_jsonl(source: str, data: bytes, options: Options) -> Iterator[RawDocument]:
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield RawDocument(source, errors=[str(exc)])
        return
    for lineno, line in enumerate(_LINE_BREAK.split(text), 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RawDocument(where, errors=[f"invalid JSON on line {lineno}: {exc.msg} (column {exc.colno})"])
            continue
        except ValueError as exc:  # an integer over Python's 4,300-digit limit
            yield RawDocument(where, errors=[f"invalid JSON on line {lineno}: {exc}"])
            continue
        except RecursionError:
            yield RawDocument(where, errors=[f"invalid JSON on line {lineno}: nested too deeply to read"])
            continue
        if not isinstance(rec, dict) or not (isinstance(rec.get("text"), str) or isinstance(rec.get("html"), str)):
            yield RawDocument(where, errors=[f"line {lineno} has no 'text' or 'html' string field"])
            continue
        kind = "html" if isinstance(rec.get("html"), str) else "text"
        url = _str(rec.get("url"))
        # A line's own identity beats its position: the url, else its `id`, else file:line.
        rec_id = rec.get("id")
        rec_id = scrub(str(rec_id)) if isinstance(rec_id, (str, int)) and not isinstance(rec_id, bool) and str(rec_id).strip() else None
        yield RawDocument(
            url or rec_id or where,
            kind=kind,
            content=scrub(rec[kind]),
            url=url,
            title=_str(rec.get("title")),
            published=_str(rec.get("published")),
            byline=_names(rec.get("byline") or rec.get("author")),
        )


def read_feed(source: str, data: bytes, options: Options) -> Iterator[RawDocument]:
    import feedparser

    # A stream, never the bytes themselves: feedparser opens a bytes argument as a file name first, so a
    # ".rss" file holding a path read that local file (an upload could read the server's files).
    try:
        parsed = feedparser.parse(io.BytesIO(_feed_bytes(data)))
    except (ValueError, OverflowError) as exc:  # what chr() and encode() raise; the references above are
        # repaired only where the bytes are ASCII-compatible, not in a UTF-16 feed feedparser converts itself
        yield RawDocument(source, errors=[f"malformed or empty feed: {exc.__class__.__name__}: {exc}"])
        return
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
            content = max((c.get("value") or "" for c in entry.content), key=len)
        content = content or entry.get("summary") or ""
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


def _feed_bytes(data: bytes) -> bytes:
    """The feed with what feedparser cannot survive repaired: references to no character, and an
    encoding name that is not ASCII (dropped, so the encoding is sniffed instead)."""
    m = _XML_ENCODING.match(data)
    if m and not m[3].isascii():
        data = data[: m.start(0)] + m[1] + data[m.end(0) :]
    return _CHARREF.sub(_valid_charref, data)


def _valid_charref(m: re.Match[bytes]) -> bytes:
    """A character reference as written if it names a character, else one to U+FFFD."""
    digits = (m[1] or m[2]).lstrip(b"0")
    code = int(digits or b"0", 16 if m[1] else 10) if len(digits) <= 8 else -1  # no int() of 5,000 digits
    return m[0] if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"


def _str(value: object) -> str | None:
    return scrub(value) if isinstance(value, str) and value.strip() else None


def _names(value: object) -> list[str]:
    """A byline field as names: one string, or the strings of a list; a number or an object is no name."""
    if isinstance(value, str):
        return [scrub(value)]
    if isinstance(value, list):
        return [scrub(v) for v in value if isinstance(v, str)]
    return []
