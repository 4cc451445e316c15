"""WARC archives: one RawDocument per HTML response record, and an error for every record that is lost.

warcio reads what bytes there are and stops quietly where they end: a truncated download gave a half
page, and every record after the cut vanished without a word. So each record's declared length is
checked against what was read, and after the last record the rest of the archive must be empty (an
uncompressed archive) or the gzip stream must be complete (a compressed one). A cut exactly between two
records leaves a valid, shorter archive; nothing can tell that one apart.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from ..model import RawDocument
from ..options import Options
from .decode import DecodeError, decode_bytes

CUT_SHORT = "(truncated download or copy?)"


def read_warc(source: str, data: bytes, options: Options) -> Iterator[RawDocument]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = end = 0
    try:
        archive = ArchiveIterator(io.BytesIO(data))
        for record in archive:
            doc = _response(source, record, count + 1, options)
            end = archive.get_record_offset() + archive.get_record_length()
            if doc is not None:
                count += 1
                yield doc
    except (ArchiveLoadFailed, ValueError, EOFError, OSError, AttributeError, TypeError, zlib.error) as exc:
        # warcio raises assorted errors on truncated or hand-made records; all mean "malformed".
        yield RawDocument(source, errors=[f"malformed WARC after {count} record(s): {exc}"])
        return
    compressed = data[:2] == b"\x1f\x8b"
    if (compressed and _gzip_cut_short(data)) or (not compressed and data[end:].strip()):
        yield RawDocument(source, errors=[f"WARC archive cut short after {count} record(s): what followed is lost {CUT_SHORT}"])
    elif count == 0:
        yield RawDocument(source, errors=["WARC holds no HTML response records"])


def _response(source: str, record, number: int, options: Options) -> RawDocument | None:  # noqa: ANN001 - warcio's record
    """The document of an HTML response record (None for any other record), or its error."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    where = f"{source}#{url or number}"
    if not record.rec_type or record.rec_headers.get_header("Content-Length") is None:  # a header block cut off
        return RawDocument(where, url=url, errors=[f"WARC record with incomplete headers: the archive is damaged or ends here {CUT_SHORT}"])
    ctype = (record.http_headers.get_header("Content-Type") or "").lower() if record.http_headers else ""
    if record.rec_type != "response" or "html" not in ctype:
        # Not an article, but the archive may still end inside it.
        return RawDocument(where, url=url, errors=[f"WARC record cut short: the archive ends inside it {CUT_SHORT}"]) if _cut_short(record) else None
    body = record.content_stream().read(options.max_bytes + 1)
    if len(body) > options.max_bytes:
        return RawDocument(where, url=url, errors=["WARC record too large; skipped"])
    if _cut_short(record):
        return RawDocument(where, url=url, errors=[f"WARC record cut short: the archive ends inside it {CUT_SHORT}"])
    charset = ctype.split("charset=")[-1].strip() if "charset=" in ctype else None
    try:
        return RawDocument(where, kind="html", content=decode_bytes(body, charset), url=url)
    except DecodeError as exc:
        return RawDocument(where, url=url, errors=[str(exc)])


def _cut_short(record: object) -> bool:
    """Did the archive end inside this record? Drains what is left of the record's declared length;
    any length still owed means the data ran out."""
    raw = getattr(record, "raw_stream", None)
    if raw is None or not hasattr(raw, "limit"):
        return False
    while raw.limit > 0 and raw.read(min(raw.limit, 1 << 16)):
        pass
    return raw.limit > 0


def _gzip_cut_short(data: bytes) -> bool:
    """Does gzip data end inside a member (or hold a damaged one)? Decompresses a megabyte at a time
    and keeps nothing, so memory stays bounded."""
    while data:
        member = zlib.decompressobj(31)
        try:
            member.decompress(data, 1 << 20)
            while member.unconsumed_tail and not member.eof:
                member.decompress(member.unconsumed_tail, 1 << 20)
        except zlib.error:
            return True
        if not member.eof:
            return True
        data = member.unused_data
    return False
