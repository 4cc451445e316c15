"""Readers: every input kind becomes a stream of RawDocument, bad ones included (with errors).

`read_inputs` is the single entry point: a path (file or folder, recursive), a URL, or "-" for
standard input. Readers never raise for bad documents; a failure is a RawDocument whose `errors` say
what went wrong and what to do, so one broken file never costs the rest of the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import RawDocument
from ..options import Options
from .files import iter_paths, read_path, read_stdin
from .web import read_url


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def read_inputs(inputs: Iterable[str], options: Options | None = None) -> Iterator[RawDocument]:
    options = options or Options()
    for item in inputs:
        if item == "-":
            yield from read_stdin(options)
        elif is_url(item):
            yield from read_url(item, options)
        else:
            path = Path(item)
            if not path.exists():
                yield RawDocument(item, errors=[f"no such file or folder: {item}"])
                continue
            for file in iter_paths(path):
                yield from read_path(file, options)


def count_inputs(inputs: Iterable[str]) -> int:
    """How many files a run will open, for the progress bar (containers count once)."""
    total = 0
    for item in inputs:
        path = Path(item)
        total += sum(1 for _ in iter_paths(path)) if path.exists() and item != "-" else 1
    return total
