"""Near-valid inputs for the reader fuzz tests: well-formed containers, then damaged the way real files are.

Pure random bytes rarely get past a reader's first check (a magic number, a JSON brace), so each
strategy builds a valid document of its kind and applies one realistic fault: a truncated or corrupted
gzip, a WARC record whose Content-Length lies, a feed with an undefined entity or a cut-off tag, HTML
nested past the parser's limit, text in an encoding with or without its BOM, a JSON line with odd
types. Each returns the bytes together with what a correct reader must hand back for them, so the
tests can check that nothing was lost, not only that nothing raised.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

WORDS = ["The", "council", "said", "on", "Monday", "that", "bridge", "repairs", "cost", "3.5", "million",
         "euros", "café", "naïve", "Zürich", "\u6865\u6881", "\u0627\u0644\u062c\u0633\u0631", "\u05d4\u05d2\u05e9\u05e8",
         "O'Neill", "«quoted»", "\u2028", "\u2029", "\x85", "\u00a0", "\u200f", "\U0001f600", "&", "<b>", "x"]
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=3, max_size=25).map(lambda ws: " ".join(ws) + ".")
PROSE = st.lists(SENTENCE, min_size=1, max_size=8).map(" ".join).filter(lambda s: s.strip())
ODD = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                st.lists(st.one_of(st.integers(), st.text(max_size=10), st.none()), max_size=3),
                st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@dataclass
class Case:
    """A file's name and bytes, and what reading it must give: `expect` texts in order, or None for any."""

    name: str
    data: bytes
    expect: list[str | None] | None = None  # each readable record's text (None: any), when left whole
    records: int = 0  # how many records the container holds (JSON Lines: non-blank lines; -1: unknown)
    notes: list[str] = field(default_factory=list)


# ---- JSON Lines


@st.composite
def jsonl_line(draw: st.DrawFn) -> tuple[str, str | None]:
    """One line and the text it must give (None: the line must become an error)."""
    kind = draw(st.sampled_from(["good", "good", "good", "html", "odd_fields", "truncated", "not_object",
                                 "wrong_type", "deep", "huge_int", "nul_escape", "surrogate", "long"]))
    text = draw(PROSE)
    if kind in ("good", "odd_fields", "long"):
        rec: dict[str, object] = {"text": text * (2000 if kind == "long" else 1)}
        if kind == "odd_fields":
            for key in draw(st.sets(st.sampled_from(["url", "id", "title", "author", "byline", "published"]))):
                rec[key] = draw(ODD)
        return json.dumps(rec, ensure_ascii=draw(st.booleans())), rec["text"]  # type: ignore[return-value]
    if kind == "html":
        return json.dumps({"html": f"<html><body><p>{text}</p></body></html>"}), f"<html><body><p>{text}</p></body></html>"
    if kind == "nul_escape":
        return json.dumps({"text": text + "\x00" + text}), text + "\x00" + text
    if kind == "surrogate":
        return '{"text": "' + json.dumps(text)[1:-1] + '\\ud800"}', text + "\ufffd"
    if kind == "truncated":
        line = json.dumps({"text": text})
        return line[: draw(st.integers(1, len(line) - 1))], None
    if kind == "not_object":
        return json.dumps(draw(st.one_of(st.lists(st.integers(), max_size=3), st.text(max_size=10), st.integers(), st.none()))), None
    if kind == "wrong_type":
        return json.dumps({"text": draw(st.one_of(st.integers(), st.none(), st.lists(st.text(max_size=3), max_size=2)))}), None
    if kind == "deep":
        depth = draw(st.sampled_from([10, 5000, 200_000]))
        return '{"text": "x", "n": ' + "[" * depth + "]" * depth + "}", "x" if depth < 1000 else None
    return '{"text": "x", "id": ' + "7" * draw(st.integers(4301, 6000)) + "}", None  # huge_int


@st.composite
def jsonl_files(draw: st.DrawFn) -> Case:
    lines = draw(st.lists(st.one_of(jsonl_line(), st.just(("", "blank"))), min_size=1, max_size=12))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = sep.join(line for line, _ in lines) + draw(st.sampled_from(["", sep]))
    data = (codecs.BOM_UTF8 if draw(st.booleans()) else b"") + text.encode("utf-8", "surrogatepass")
    case = Case("pile.jsonl", data, records=sum(1 for line, _ in lines if line.strip()))
    case.expect = [want for line, want in lines if line.strip()]  # type: ignore[misc]
    return case


# ---- gzip


def damage(data: bytes, draw: st.DrawFn) -> tuple[bytes, str]:
    """`data` truncated, with a byte flipped, or with junk around it; and how ("whole": left alone)."""
    how = draw(st.sampled_from(["whole", "truncate", "flip", "append", "prefix"]))
    if how == "whole" or len(data) < 4:
        return data, "whole"
    if how == "truncate":
        return data[: draw(st.integers(1, len(data) - 1))], how
    if how == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :], how
    if how == "append":
        return data + draw(st.binary(min_size=1, max_size=30)), how
    return draw(st.binary(min_size=1, max_size=8)) + data, how


@st.composite
def gzip_files(draw: st.DrawFn) -> tuple[Case, Case]:
    """(the plain file, the same file gzipped and maybe damaged): whole, both must read the same."""
    inner = draw(st.one_of(jsonl_files(), text_files()))
    packed = gzip.compress(inner.data, mtime=0)
    if draw(st.booleans()):  # a second member is read on: the plain file gains its bytes
        tail = draw(st.sampled_from([b"\n", b"", b"More text."]))
        packed, inner.data = packed + gzip.compress(tail, mtime=0), inner.data + tail
    packed, how = damage(packed, draw)
    name = inner.name + ".gz" if draw(st.booleans()) else "archive.gz"
    return inner, Case(name, packed, notes=[] if how == "whole" else [how])


# ---- WARC


@st.composite
def warc_files(draw: st.DrawFn) -> Case:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    compress = draw(st.booleans())
    writer = WARCWriter(buf, gzip=compress)
    expect: list[str | None] = []
    ends = {0: 0}  # where each record ends -> how many HTML responses precede that point
    for i in range(draw(st.integers(0, 4))):
        body = f"<html><body><p>{draw(PROSE)}</p></body></html>"
        ctype = draw(st.sampled_from(["text/html; charset=utf-8", "text/html", "text/plain", "application/json",
                                      "text/html; charset=idna", "text/html; charset=undefined", "text/html; charset=bogus-9",
                                      "text/html; charset=utf-7", "text/html; charset=unicode_escape"]))
        rec_type = draw(st.sampled_from(["response", "response", "response", "request", "resource"]))
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        uri = f"https://news.example.org/a/{i}"
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{i:012d}>", "WARC-Date": "2024-04-01T10:00:00Z"}
        writer.write_record(writer.create_warc_record(uri, rec_type, payload=io.BytesIO(body.encode()), warc_headers_dict=fixed,
                                                      http_headers=headers if rec_type != "resource" else None))
        if rec_type == "response" and "html" in ctype:
            expect.append(body if ctype.endswith(("utf-8", "html")) else None)
        ends[buf.tell()] = len(expect)
    data, damaged = buf.getvalue(), False
    fault = draw(st.sampled_from(["none", "none", "length", "encoding", "bytes"]))
    if fault == "length" and b"Content-Length: " in data and not compress:
        lengths = list(re.finditer(rb"Content-Length: (\d+)", data))
        m = lengths[draw(st.integers(0, len(lengths) - 1))]
        wrong = max(0, int(m[1]) + draw(st.integers(-200, 200)))
        data, damaged = data[: m.start(1)] + str(wrong).encode() + data[m.end(1) :], True
    elif fault == "encoding" and b"Content-Type: text/html" in data and not compress:
        data, damaged = data.replace(b"Content-Type: text/html", b"Content-Encoding: gzip\r\nContent-Type: text/html", 1), True
    elif fault == "bytes":
        data, how = damage(data, draw)
        damaged = how != "whole"
        if how == "truncate" and len(data) in ends:
            # Cut exactly between records: a valid, shorter archive that no reader can tell apart.
            damaged, expect = False, expect[: ends[len(data)]]
        elif how == "flip":
            # A flipped byte can change what a record is ("text/htmm", a target URI that is not HTTP): it
            # may then be skipped rightly, so only the contract is checked, not that each record survives.
            return Case("crawl.warc.gz" if compress else "crawl.warc", data, None, records=-1, notes=[how])
    return Case("crawl.warc.gz" if compress else "crawl.warc", data, None if damaged else expect, records=len(expect))


# ---- feeds


ENTITIES = ["&amp;", "&lt;b&gt;", "&#233;", "&#x6865;", "&nbsp;", "&eacute;", "&#0;", "&#xD800;", "&#1114112;", "&bogus;", "&",
            "&#xdfff x", "&#99999999999999999999;", "&#x" + "0" * 30 + "41;"]


@st.composite
def feed_files(draw: st.DrawFn) -> Case:
    atom = draw(st.booleans())
    items, expect = [], []
    for i in range(draw(st.integers(0, 4))):
        words = " ".join(w for w in draw(PROSE).split() if not set(w) & set("&<") and w.isprintable())
        words = words or "Repairs continue"
        expect.append(words)
        if atom:
            items.append(f"<entry><title>T{i}</title><link href='https://news.example.org/{i}'/>"
                         f"<updated>2024-0{i + 1}-02T10:00:00Z</updated><summary>{words}</summary></entry>")
        else:
            items.append(f"<item><title>T{i}</title><link>https://news.example.org/{i}</link>"
                         f"<pubDate>Mon, 0{i + 1} Apr 2024 10:00:00 GMT</pubDate><description>{words}</description></item>")
    body = "".join(items)
    doc = (f"<feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>{body}</feed>" if atom
           else f"<rss version='2.0'><channel><title>F</title>{body}</channel></rss>")
    decl = draw(st.sampled_from(["", "<?xml version='1.0' encoding='utf-8'?>", "<?xml version='1.0' encoding='utf-16'?>",
                                 "<?xml version='1.0' encoding='bogus'?>"]))
    data = (decl + doc).encode("utf-8")
    fault = draw(st.sampled_from(["none", "none", "entity", "unclosed", "bytes", "bom"]))
    if fault == "entity" and items:
        at = data.index(b"</summary>" if atom else b"</description>")
        data = data[:at] + draw(st.sampled_from(ENTITIES)).encode() + data[at:]
    elif fault == "unclosed" and items:
        data = data.replace(b"</title>", b"", draw(st.integers(1, 3)))
    elif fault == "bytes":
        data, _how = damage(data, draw)
    elif fault == "bom":
        data = codecs.BOM_UTF8 + data
    whole = fault in ("none", "bom") and "bogus" not in decl and "16" not in decl
    return Case("news.atom" if atom else "news.rss", data, expect if whole else None, records=len(expect))


# ---- HTML


NEST_TAGS = ["div", "b", "font", "span", "i", "blockquote", "table", "ul", "a href='#'", "section", "p", "li", "td"]


@st.composite
def html_files(draw: st.DrawFn) -> Case:
    """A page whose article paragraphs sit after (or inside) odd markup; `expect` holds their text."""
    paragraphs = [" ".join(["The council said on Monday that the bridge repairs would cost more than planned"] * 2)
                  + f" and work would go on until week {n}." for n in range(draw(st.integers(3, 6)))]
    tag = draw(st.sampled_from(NEST_TAGS))
    depth = draw(st.sampled_from([0, 1, 50, 255, 300, 3000]))
    closed = draw(st.booleans())
    junk = draw(st.lists(st.sampled_from(["<!--", "<script>var a='<div>';", "</div></div>", "<p", "<<>>", "&bogus;",
                                          "<td>", "</html>", "<?php ?>", "<![CDATA[", "\x00", "\ufeff"]), max_size=3))
    name = tag.split()[0]
    opening = f"<{tag}>" * depth + "".join(junk[:1])
    closing = f"</{name}>" * depth if closed else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bridge</title></head><body>"
            f"{opening}<article>{body}</article>{closing}{''.join(junk[1:])}</body></html>")
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    clean = not junk or junk == ["</div></div>"]
    return Case("page.html", page.encode(enc), paragraphs if clean else None, records=1)


# ---- plain text in assorted encodings


@st.composite
def text_files(draw: st.DrawFn) -> Case:
    """Prose in one or more encodings; with a BOM, or all UTF-8, the text must come back exactly."""
    parts = draw(st.lists(PROSE, min_size=1, max_size=3))
    encs = draw(st.lists(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1",
                                          "shift_jis", "koi8-r"]), min_size=len(parts), max_size=len(parts)))
    chunks = [p.encode(e, "replace") for p, e in zip(parts, encs)]
    data = b"\n".join(chunks)
    exact = None
    if len(parts) == 1 and encs[0] in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        exact = [parts[0]]
    elif all(e == "utf-8" for e in encs):
        exact = ["\n".join(parts)]
    return Case("note.txt", data, exact, records=1)
