"""Fuzzing the readers: near-valid and damaged files through the real reading path, checked against the
readers' contract.

The contract (storydesk.ingest): reading never raises; a document or record that cannot be read
becomes a RawDocument whose `errors` say why, so nothing is silently lost; every text handed over is
a str that UTF-8 output can hold; reading the same bytes twice gives the same documents (ids and
sources stable). HTML pages go on through `build_article`, whose containment must stay unused: a
failure it catches is a crash found. Every crash found here was fixed at its source and its smallest
input saved in tests/fixtures/bad/, read by the last test.

`make test` runs few examples (about 20 s); `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs many more.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import given, settings  # noqa: E402

from fuzz_inputs import Case, feed_files, gzip_files, html_files, jsonl_files, text_files, warc_files  # noqa: E402
from storydesk.extract.article import build_article  # noqa: E402
from storydesk.ingest.files import read_bytes, read_path  # noqa: E402
from storydesk.model import RawDocument  # noqa: E402
from storydesk.options import Options  # noqa: E402

BAD = Path(__file__).parent / "fixtures" / "bad"
OPTIONS = Options(progress=False)
FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"


def budget(quick: int) -> settings:
    """`quick` examples in make test; under make fuzz, the fuzz profile's (much larger) count."""
    return settings() if FUZZ else settings(max_examples=quick)


def read(name: str, data: bytes) -> list[RawDocument]:
    docs = list(read_bytes(name, data, OPTIONS))
    check_contract(docs)
    assert list(read_bytes(name, data, OPTIONS)) == docs, "reading the same bytes twice must give the same documents"
    return docs


def check_contract(docs: list[RawDocument]) -> None:
    assert docs, "every input gives at least one document, if only its error"
    for doc in docs:
        assert isinstance(doc.source, str) and doc.source
        assert doc.kind in ("html", "text")
        assert isinstance(doc.content, str)
        for value in (doc.content, doc.source, doc.url, doc.title, doc.published, *doc.byline, *doc.errors):
            assert value is None or isinstance(value, str)
            if value is not None:
                value.encode("utf-8")  # no lone surrogate: the report must be writable
        assert all(isinstance(e, str) and e for e in doc.errors)
        assert doc.content or doc.errors or doc.kind == "text", "an HTML document with no content must say why"


def readable(docs: list[RawDocument]) -> list[RawDocument]:
    return [d for d in docs if not d.errors]


class Caught(logging.Handler):
    """Warnings of the containment net and of the HTML extractor's own net: each one is a crash found."""

    LOGGERS = ("storydesk.contained", "storydesk.extract.html")

    def __enter__(self) -> list[logging.LogRecord]:
        self.records: list[logging.LogRecord] = []
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self.records

    def __exit__(self, *exc: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.records.append(record)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@given(jsonl_files())
@budget(100)
def test_json_lines_give_one_document_per_line(case: Case) -> None:
    docs = read(case.name, case.data)
    if len(docs) == 1 and docs[0].source == case.name and docs[0].errors:
        return  # the file as a whole was refused (a raw NUL byte makes it binary): one error says so
    assert len(docs) == case.records, "each non-blank line is one document or one error"
    for i, (doc, want) in enumerate(zip(docs, case.expect or [])):
        if want is None:
            assert doc.errors, f"line {i + 1} cannot be read and must be an error"
        else:
            assert not doc.errors and doc.content == want


@given(gzip_files())
@budget(60)
def test_gzip_reads_as_its_content_or_is_an_error(pair: tuple[Case, Case]) -> None:
    inner, packed = pair
    docs = read(packed.name, packed.data)
    if not packed.notes:  # whole: the same documents as the plain file under the same name
        plain = list(read_bytes(packed.name.removesuffix(".gz"), inner.data, OPTIONS))
        assert [(d.kind, d.content, d.errors) for d in docs] == [(d.kind, d.content, d.errors) for d in plain]
    elif not readable(docs):
        assert any(d.errors for d in docs)


@given(warc_files())
@budget(60)
def test_warc_records_are_read_or_reported(case: Case) -> None:
    docs = read(case.name, case.data)
    good = readable(docs)
    if case.expect is not None:
        assert len(good) == len(case.expect) == case.records or (not case.records and docs[0].errors)
        for doc, want in zip(good, case.expect):
            assert doc.kind == "html" and doc.url and (want is None or doc.content == want)
    elif case.records >= 0:
        assert len(good) <= case.records
        assert len(good) == case.records or any(d.errors for d in docs), "a lost record must show up as an error"


@given(feed_files())
@budget(60)
def test_feed_entries_are_read_or_reported(case: Case) -> None:
    docs = read(case.name, case.data)
    good = readable(docs)
    if case.expect is not None:
        assert len(good) == len(case.expect)
        for doc, want in zip(good, case.expect):
            assert _words(want) in _words(doc.content) and doc.url and doc.published
    elif len(good) < case.records:
        assert any(d.errors for d in docs), "a lost entry must show up as an error"


@given(text_files())
@budget(60)
def test_text_in_any_encoding_is_one_document(case: Case) -> None:
    docs = read(case.name, case.data)
    assert len(docs) == 1
    if case.expect is not None:
        assert docs[0].content == case.expect[0] and not docs[0].errors


@given(html_files())
@budget(25)
def test_odd_html_becomes_an_article_with_its_text(case: Case) -> None:
    docs = read(case.name, case.data)
    assert len(docs) == 1
    with Caught() as caught:
        art = build_article(docs[0])
        again = build_article(docs[0])
    assert not caught, f"a failure was caught by containment: {caught[0].getMessage()}"
    assert isinstance(art.text, str) and art.id == again.id and art.text == again.text
    assert art.text or art.errors
    if case.expect is not None:
        assert case.expect[0][:60] in art.text, "the article text after deep or unclosed markup must survive"


def test_a_feed_holding_a_path_does_not_read_that_file(tmp_path: Path) -> None:
    # feedparser opens a bytes argument as a file name before parsing it as a feed.
    secret = tmp_path / "secret.rss"
    secret.write_text("<rss><channel><item><title>Private</title><description>server-only words</description></item></channel></rss>")
    docs = read("upload.rss", str(secret).encode())
    assert not readable(docs) and all("server-only" not in d.content for d in docs)


# What each saved input must give once fixed: the kinds of its readable documents, and a phrase their
# text holds. Before the fix each one raised, lost records, or read garbage (see the commit messages).
SAVED = {
    "author-number.jsonl": (["text"], "bridge closed"),  # TypeError: iterating a byline that was a number
    "bom-only.jsonl": ([], None),  # nothing read and no error either: silently lost
    "bom-page": (["html"], "<article>"),  # a BOM hid the markup from the sniffer: HTML read as plain text
    "corrupt-deflate.txt.gz": ([], None),  # zlib.error escaped the gzip reader
    "cut-after-first-line.warc": (["html"], "(0)"),  # archive ends after "WARC/1.0": record 2 silently lost
    "cut-inside-member.warc.gz": (["html"], "(0)"),  # gzip member cut: record 2 silently lost
    "cut-inside-record.warc": (["html"], "(0)"),  # body shorter than its Content-Length: half a page, no error
    "deep-nesting.jsonl": (["text"], "bridge closed"),  # RecursionError from json.loads
    "huge-charref.rss": (["text"], "bridge closed"),  # OverflowError: chr() of a 20-digit reference, in feedparser
    "huge-integer.jsonl": (["text"], "bridge closed"),  # ValueError: integer over 4,300 digits
    "line-separator.jsonl": (["text"], "closed\u2028on"),  # split at U+2028 into three "invalid JSON" errors
    "lone-surrogate.jsonl": (["text"], "closed \ufffd on"),  # a str UTF-8 output cannot hold
    "non-ascii-encoding-name.rss": (["text"], "bridge closed"),  # UnicodeDecodeError inside feedparser
    "surrogate-charref.rss": (["text"], "bridge closed"),  # UnicodeEncodeError inside feedparser
    "undefined-charset.warc": (["html", "html"], "council"),  # UnicodeError lost the whole archive
    "unclosed-font.html": (["html"], "<article>"),  # see test_a_page_nested_past_the_parser_limit_keeps_its_text
    "utf32-bom.txt": (["text"], "The council said"),  # read as UTF-16: NULs between the letters
}


@pytest.mark.parametrize("path", sorted(p for p in BAD.iterdir() if p.is_file()), ids=lambda p: p.name)
def test_saved_crashes_read_through_the_real_path(path: Path) -> None:
    docs = list(read_path(path, OPTIONS))
    check_contract(docs)
    with Caught() as caught:
        articles = [build_article(d) for d in docs]
    assert not caught, caught[0].getMessage()
    assert all(isinstance(a.text, str) and (a.text or a.errors) for a in articles)
    kinds, phrase = SAVED[path.name]
    assert [d.kind for d in readable(docs)] == kinds
    assert not kinds or all(phrase in d.content for d in readable(docs))
    assert len(docs) > len(kinds) or not path.name.startswith("cut-"), "the cut must be reported"


def test_every_saved_input_has_its_expectation() -> None:
    assert sorted(SAVED) == sorted(p.name for p in BAD.iterdir() if p.is_file())


def test_a_page_nested_past_the_parser_limit_keeps_its_text() -> None:
    # 300 unclosed <font> tags: lxml stops at depth 256 and the article after them was lost.
    art = build_article(next(read_path(BAD / "unclosed-font.html", OPTIONS)))
    assert not art.errors and art.text.count("bridge repairs") == 4
