"""Clustering features as stored: JSON for the words and names, raw bytes for the numeric arrays.

Why not pickle: a resumed batch run reads these back from the database, and unpickling runs whatever
code the bytes name, so anyone able to write to the database could run code in every later
`--resume`. Here nothing read is ever executed: `meta` is plain JSON, and `arrays` is the arrays'
bytes laid end to end, each read back with `numpy.frombuffer` as one of a few numeric dtypes and
checked against the shape and length `meta` gives. A row that does not fit this exactly is refused
(`FeaturesError`), never guessed at. `FORMAT` changes whenever the layout does.

Decoding gives exactly what was encoded (same dtypes, bytes, term weights and their order, names,
date), so the clusterer replays recorded articles as it first saw them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..cluster.features import ArticleFeatures

FORMAT = 1
# Arrays we write: the embedding (float32) and the MinHash signature (uint32); both byte orders read.
_DTYPES = frozenset({"<f4", ">f4", "<f8", ">f8", "<u4", ">u4", "<u8", ">u8", "<i4", ">i4", "<i8", ">i8"})
_ARRAYS = ("vector", "shingles")  # ArticleFeatures' array fields; shingles may be None


class FeaturesError(ValueError):
    """A stored feature row this version cannot read (an older layout, or bytes that are not ours)."""


def encode(feats: "ArticleFeatures") -> tuple[dict[str, Any], bytes]:
    """(meta, arrays) for one article's features; `decode` inverts it."""
    import numpy as np

    meta: dict[str, Any] = {"terms": {str(k): float(v) for k, v in feats.terms.items()},
                            "names": sorted(feats.names), "published": feats.published, "arrays": {}}
    blobs = []
    for name in _ARRAYS:
        array = getattr(feats, name)
        if array is None:
            continue
        array = np.ascontiguousarray(array)
        meta["arrays"][name] = {"dtype": array.dtype.str, "shape": list(array.shape)}
        blobs.append(array.tobytes())
    return meta, b"".join(blobs)


def decode(article_id: str, fmt: int, meta: Any, arrays: bytes) -> "ArticleFeatures":
    """The features `encode` stored, or FeaturesError naming what does not fit."""
    import numpy as np

    from ..cluster.features import ArticleFeatures

    if fmt != FORMAT:
        raise FeaturesError(f"features of article {article_id} are stored in format {fmt}; this version reads format {FORMAT}")
    try:
        terms, names, published, layout = meta["terms"], meta["names"], meta["published"], meta["arrays"]
        if not (isinstance(terms, dict) and all(isinstance(w, float) and math.isfinite(w) for w in terms.values())
                and isinstance(names, list) and all(isinstance(n, str) for n in names)
                and (published is None or isinstance(published, str))
                and isinstance(layout, dict) and set(layout) <= set(_ARRAYS) and "vector" in layout):
            raise TypeError("unexpected field types")
        values: dict[str, Any] = {}
        offset = 0
        for name in _ARRAYS:  # the order `encode` wrote them in
            if name not in layout:
                continue
            dtype, shape = layout[name]["dtype"], layout[name]["shape"]
            if dtype not in _DTYPES or not (isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)):
                raise TypeError(f"{name}: dtype {dtype!r}, shape {shape!r}")
            size = np.dtype(dtype).itemsize * math.prod(shape)
            if offset + size > len(arrays):
                raise TypeError(f"{name}: {len(arrays) - offset} bytes left, {size} needed")
            values[name] = np.frombuffer(arrays, dtype=dtype, count=math.prod(shape), offset=offset).reshape(shape).copy()
            offset += size
        if offset != len(arrays):
            raise TypeError(f"{len(arrays) - offset} bytes left over")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FeaturesError(f"features of article {article_id} are not in StoryDesk's format {FORMAT}: {exc}") from None
    return ArticleFeatures(id=article_id, vector=values["vector"], terms=dict(terms), names=set(names),
                           published=published, shingles=values.get("shingles"))
