"""HTML main-text extraction on hand-written pages: what a reader of the report depends on.

The fixture page is written for these tests (not taken from any benchmark): a local news story
wrapped in the furniture real pages carry, so a regression in body selection or trimming shows
as a missing paragraph or a leaked prompt.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from storydesk.extract.html import HtmlExtract, _restore_headings, bound_html, extract_html

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
PAGE_URL = "https://ledger.example.com/news/harbour-bridge?utm_source=feed"

BODY = [
    "The harbour bridge carried traffic again on Monday morning, six weeks after a winter storm",
    "Engineers from the port authority worked in shifts through the holiday period",
    '"We rebuilt the control room a metre higher than before',
    "The work cost about 4.2 million dollars",
    "Councillors will debate on Thursday whether the extra cost",
    "During the closure, commuters relied on a temporary ferry service",
    "The ferry will keep running at weekends until the end of the month",
]
FURNITURE = [
    "Business", "Weather", "Facebook", "Twitter", "Subscribe to our morning newsletter", "Sign up",
    "Related stories", "Ferry timetable extended", "Storm damage bill", "comments", "My commute",
    "Tolls are already too high", "Log in to leave a comment", "All rights reserved", "Privacy policy",
    "window.analytics", "font-family", "maria.okafor@",
]


@pytest.fixture(scope="module")
def article() -> HtmlExtract:
    return extract_html((FIXTURES / "article.html").read_text("utf-8"), PAGE_URL)


def test_body_paragraphs_kept_in_order_as_paragraphs(article: HtmlExtract) -> None:
    paragraphs = article.text.split("\n\n")
    starts = [next(i for i, p in enumerate(paragraphs) if p.startswith(b)) for b in BODY]
    assert starts == sorted(starts)
    assert all(p == " ".join(p.split()) for p in paragraphs), "whitespace inside paragraphs normalised"


def test_subheadings_inside_body_kept(article: HtmlExtract) -> None:
    paragraphs = article.text.split("\n\n")
    assert "Cost of the repairs" in paragraphs
    assert "Traffic and ferries" in paragraphs
    assert paragraphs.index("Cost of the repairs") < paragraphs.index("Traffic and ferries")


@pytest.mark.parametrize("snippet", FURNITURE)
def test_furniture_gone(article: HtmlExtract, snippet: str) -> None:
    assert snippet.lower() not in article.text.lower()


def test_metadata(article: HtmlExtract) -> None:
    assert article.title == "Harbour bridge reopens after storm repairs"
    assert article.authors == ["Maria Okafor"]
    assert article.sitename == "The Coastal Ledger"
    assert article.url == "https://ledger.example.com/news/2024/harbour-bridge-reopens"  # canonical wins
    assert article.description and article.description.startswith("The harbour bridge carried traffic")
    assert article.categories == ["Local News"]
    assert article.tags == ["Infrastructure"]
    assert article.pagetype == "article"


def _plain_page(head: str = "", paragraphs: int = 6) -> str:
    body = "".join(
        f"<p>Paragraph {i} of the report explains how the school board voted on the new budget and "
        f"what the superintendent told parents at the meeting on day {i}.</p>"
        for i in range(paragraphs)
    )
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def test_given_url_used_without_canonical() -> None:
    out = extract_html(_plain_page("<title>School budget</title>"), "https://news.example.org/a/1")
    assert out.url == "https://news.example.org/a/1"
    assert out.text.count("\n\n") == 5


@pytest.mark.parametrize(
    "author, expected",
    [
        ("Ana Lima, ana.lima@news.example.org; Tom Berg", ["Ana Lima", "Tom Berg"]),
        ("Ana Lima (ana.lima@news.example.org)", ["Ana Lima"]),
        ("desk@news.example.org", []),
    ],
)
def test_authors_without_email(author: str, expected: list[str]) -> None:
    out = extract_html(_plain_page(f'<title>School budget</title><meta name="author" content="{author}">'))
    assert out.authors == expected


def test_no_publication_date_field() -> None:
    assert not hasattr(extract_html(_plain_page()), "published")


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "<<<>>>&&&\x00\x01", "\ufffd" * 500, bytes(range(256)).decode("latin-1") * 50,
     "<html><body></body></html>", "<html><body><script>var a = 1;</script></body></html>"],
)
def test_garbage_gives_empty_text(garbage: str) -> None:
    out = extract_html(garbage)
    assert isinstance(out, HtmlExtract)
    assert out.text == ""


def test_fifty_megabyte_page_is_bounded() -> None:
    """Half inline script blob, half text: shrunk before parsing, and the lead survives."""
    paragraph = (
        "<p>Update {n}: rescue teams reached village {n} before dawn and reported that the road "
        "north of the river had reopened to supply trucks.</p>\n"
    )
    blob = "<script>var img = '" + "A" * 25_000_000 + "';</script>"
    paragraphs = "".join(paragraph.format(n=n) for n in range(180_000))
    page = f"<html><head><title>Flood live</title>{blob}</head>"
    page += f"<body><article>{paragraphs}</article></body></html>"
    assert len(page) > 50_000_000
    start = time.perf_counter()
    out = extract_html(page, "https://news.example.org/live")
    assert time.perf_counter() - start < 20
    assert out.text.startswith("Update 0: rescue teams reached village 0")
    assert out.title == "Flood live"


def test_bound_html_keeps_json_ld_and_cuts_at_a_tag() -> None:
    page = (
        '<html><head><script type="application/ld+json">{"author": "Ana Lima"}</script>'
        "<script>" + "x" * 5000 + "</script><style>p{}</style></head><body>"
        + "<p>Some words here.</p>" * 500 + "</body></html>"
    )
    small = bound_html(page, limit=2000)
    assert '"author": "Ana Lima"' in small
    assert "xxxx" not in small and "p{}" not in small
    assert len(small) <= 2000 and small.endswith(">")
    assert bound_html("<p>short</p>", limit=2000) == "<p>short</p>"


def test_headings_restored_only_between_kept_lines() -> None:
    base = ["Teaser", "First.", "Section", "Second.", "Link-only teaser", "Third.", "Tail heading"]
    kept = ["First.", "Second.", "Third."]
    headings = {"Teaser", "Section", "Tail heading"}
    assert _restore_headings(kept, base, headings) == ["First.", "Section", "Second.", "Third."]
