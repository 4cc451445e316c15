"""Bytes to text, or a clear reason why not.

Article files come from anywhere: UTF-8 with or without a BOM, legacy code pages, UTF-16 exports,
and things that are not text at all. Binary input is refused by a control-character test before any
decoding guess, so a PDF or an image never turns into a page of mojibake that later stages analyse.
"""

from __future__ import annotations

import codecs

# Share of control bytes above which a file is binary, not text in an unusual encoding.
BINARY_CONTROL_SHARE = 0.05
_SAMPLE = 64 * 1024
_TEXT_CONTROLS = {9, 10, 12, 13, 27}


class DecodeError(ValueError):
    pass


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    if not data.strip():
        raise DecodeError("empty document: nothing to analyse")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    sample = data[:_SAMPLE]
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if b"\x00" in sample or controls > BINARY_CONTROL_SHARE * len(sample):
        raise DecodeError("binary file, not text or HTML: convert it to text first (PDF, image or archive?)")
    for enc in filter(None, (declared, "utf-8")):
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("undecodable bytes: not UTF-8 and no other encoding fits; re-save the file as UTF-8")
    return str(best)
