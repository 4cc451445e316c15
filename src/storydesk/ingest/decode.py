"""Bytes to text, or a clear reason why not.

Article files come from anywhere: UTF-8 with or without a BOM, legacy code pages, UTF-16 exports,
and things that are not text at all. Binary input is refused by a control-character test before any
decoding guess, so a PDF or an image never turns into a page of mojibake that later stages analyse.
"""

from __future__ import annotations

import codecs
import re

# Share of control bytes above which a file is binary, not text in an unusual encoding.
BINARY_CONTROL_SHARE = 0.05
_SAMPLE = 64 * 1024
_TEXT_CONTROLS = {9, 10, 12, 13, 27}
# Byte-order marks and the codec that reads past each; UTF-32 first: its little-endian BOM begins with
# the UTF-16 one (a UTF-32 file read as UTF-16 had a NUL between every two letters).
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A lone UTF-16 surrogate is a str character that no UTF-8 output can hold: a JSON escape (backslash-ud800),
# a declared utf-7 or unicode_escape charset can produce one, and writing the report would then fail.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class DecodeError(ValueError):
    pass


def scrub(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, so that it always encodes as UTF-8."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """The text of `data` (always UTF-8 encodable), or DecodeError saying why there is none.

    Blank is checked on the text, not only on the bytes: a file holding only a byte-order mark or
    Unicode spaces has nothing to analyse either, and a JSON Lines reader would yield nothing for it.
    """
    text = scrub(_decode(data, declared))
    if not text.strip():
        raise DecodeError("empty document: nothing to analyse")
    return text


def _decode(data: bytes, declared: str | None) -> str:
    if not data.strip():
        raise DecodeError("empty document: nothing to analyse")
    for bom, enc in BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    sample = data[:_SAMPLE]
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if b"\x00" in sample or controls > BINARY_CONTROL_SHARE * len(sample):
        raise DecodeError("binary file, not text or HTML: convert it to text first (PDF, image or archive?)")
    for enc in filter(None, (declared, "utf-8")):
        try:
            return data.decode(enc)
        except (UnicodeError, LookupError):  # a declared "idna" or "undefined" raises plain UnicodeError
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("undecodable bytes: not UTF-8 and no other encoding fits; re-save the file as UTF-8")
    return str(best)
