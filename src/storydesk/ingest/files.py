"""Local paths and standard input: walk folders, open .gz, route each file to its reader."""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..model import RawDocument
from ..options import MB, Options
from .containers import read_feed, read_jsonl
from .decode import DecodeError, decode_bytes
from .sniff import kind_of
from .warc import read_warc


def iter_paths(path: Path) -> Iterator[Path]:
    """Files under a folder in a stable order; hidden files and folders are skipped."""
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        rel = child.relative_to(path)
        if child.is_file() and not any(part.startswith(".") for part in rel.parts):
            yield child


def read_path(path: Path, options: Options) -> Iterator[RawDocument]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            yield _refused(source, size, options)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield RawDocument(source, errors=[f"cannot read file: {exc.strerror or exc}"])
        return
    yield from read_bytes(source, data, options)


def read_stdin(options: Options) -> Iterator[RawDocument]:
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        yield _refused("-", len(data), options)
        return
    yield from read_bytes("-", data, options)


def read_bytes(source: str, data: bytes, options: Options, *, url: str | None = None) -> Iterator[RawDocument]:
    kind = kind_of(source, data[:4096])
    if data[:2] == b"\x1f\x8b" and kind != "warc":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(options.max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:  # zlib.error: a damaged deflate stream
            yield RawDocument(source, errors=[f"corrupt gzip file: {exc}"])
            return
        if len(data) > options.max_bytes:
            yield _refused(source, len(data), options)
            return
        if kind == "text":
            kind = kind_of(source[:-3] if source.endswith(".gz") else source, data[:4096])
    if kind == "warc":
        yield from read_warc(source, data, options)
    elif kind == "jsonl":
        yield from read_jsonl(source, data, options)
    elif kind == "feed":
        yield from read_feed(source, data, options)
    else:
        try:
            text = decode_bytes(data)
        except DecodeError as exc:
            yield RawDocument(source, errors=[str(exc)])
            return
        yield RawDocument(source, kind=kind, content=text, url=url)


def _refused(source: str, size: int, options: Options) -> RawDocument:
    return RawDocument(
        source,
        errors=[
            f"document too large: {size / MB:.1f} MB is over the {options.max_bytes / MB:.0f} MB limit; "
            "raise it with --max-mb if this really is one article"
        ],
    )

