"""The web UI and REST API (read side) against a real temporary SQLite store holding small hand-built
stories: one as the pipeline reports it today, one whose report also carries a timeline and a brief."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402
from test_export import HOSTILE, build_story  # noqa: E402

from storydesk.model import story_to_dict  # noqa: E402
from storydesk.report.render import render_html, validate_report  # noqa: E402
from storydesk.store import Store  # noqa: E402
from storydesk.web import create_app  # noqa: E402
from storydesk.web.app import _require, highlight  # noqa: E402

STORY = "s" * 16
TIMED = "t" * 16  # the same articles, with a hand-made timeline and brief
A, B = "a" * 16, "b" * 16


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    data = story_to_dict(build_story())
    validate_report(data)
    return data


def _span(report: dict[str, Any], article: str, fragment: str) -> list[int]:
    text = next(a["text"] for a in report["articles"] if a["id"] == article)
    start = text.index(fragment)
    return [start, start + len(fragment)]


@pytest.fixture(scope="module")
def timed_report(report: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(report))
    data["story"] = {"id": TIMED, "name": "Timed <story>"}
    hurt_a, hurt_b = _span(data, A, "Officials said 12 people were hurt."), _span(data, B, "Officials said 40 people were hurt.")
    data["timeline"] = [
        {"date": "2024-03-02", "precision": "day", "event": "Casualty count <revised>", "entities": [], "sources": [B],
         "evidence": [{"article": B, "span": hurt_b}], "disputed": True},
        {"date": None, "precision": None, "event": "Inquiry announced", "entities": [], "sources": [A], "evidence": [{"article": A, "span": hurt_a}], "disputed": False},
        {"date": "2024-02", "precision": "month", "event": "Dam <b>fails</b>", "entities": ["e-loc"], "sources": [A, B],
         "evidence": [{"article": A, "span": hurt_a}], "disputed": False},
    ]
    data["brief"] = [{"text": "A dam failed <img src=x onerror=alert(1)>.", "citations": [{"article": A, "span": hurt_a}, {"article": B, "span": hurt_b}]}]
    validate_report(data)
    return data


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, report: dict[str, Any], timed_report: dict[str, Any]) -> Iterator[TestClient]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('web')) / 'storydesk.sqlite'}"
    store = Store(url)
    store.save(build_story(), report)
    timed = build_story()
    timed.id, timed.name = TIMED, "Timed <story>"
    store.save(timed, timed_report)
    store.close()
    with TestClient(create_app(url)) as test_client:
        yield test_client


def test_api_stories(client: TestClient) -> None:
    rows = client.get("/api/stories").json()
    assert [(r["id"], r["name"], r["articles"], r["has_report"]) for r in rows] == [
        (STORY, "Dam <failure>", 2, True), (TIMED, "Timed <story>", 2, True)]
    assert rows[0]["created"]


def test_api_story_and_articles(client: TestClient, report: dict[str, Any]) -> None:
    assert client.get(f"/api/stories/{STORY}").json() == json.loads(json.dumps(report))  # tuples come back as lists
    arts = client.get(f"/api/stories/{STORY}/articles").json()
    assert [a["id"] for a in arts] == [A, B] and all("text" not in a for a in arts)
    assert client.get(f"/api/stories/{STORY}/articles/{B}").json()["text"] == report["articles"][1]["text"]


@pytest.mark.parametrize(("kind", "expected"), [
    (None, {"c1", "c2", "c3", "c4", "c5"}), ("contradict", {"c2", "c4"}), ("agree", {"c1", "c3"}), ("single", {"c5"}), ("changed", set()),
])
def test_api_claims(client: TestClient, kind: str | None, expected: set[str]) -> None:
    rows = client.get(f"/api/stories/{STORY}/claims", params={"kind": kind} if kind else None).json()
    assert {r["id"] for r in rows} == expected
    if kind == "agree":
        assert all(r["sources"] == 2 and r["verdict"] == "supported" for r in rows)


def test_api_claims_bad_kind(client: TestClient) -> None:
    response = client.get(f"/api/stories/{STORY}/claims", params={"kind": "maybe"})
    assert response.status_code == 422 and "contradict" in response.text


def test_api_exports(client: TestClient) -> None:
    ftm = client.get(f"/api/stories/{STORY}/export/ftm")
    assert ftm.headers["content-type"].startswith("application/x-ndjson")
    schemas = {json.loads(line)["schema"] for line in ftm.text.splitlines()}
    assert {"Article", "Person", "Mention", "Event"} <= schemas
    reviews = client.get(f"/api/stories/{STORY}/export/claimreview")
    assert reviews.headers["content-type"].startswith("application/ld+json")
    assert {r["@type"] for r in reviews.json()} == {"ClaimReview"}


@pytest.mark.parametrize("path", [
    "/api/stories/nope", "/api/stories/nope/articles", "/api/stories/nope/claims", "/api/stories/nope/export/ftm",
    "/api/stories/nope/export/claimreview", f"/api/stories/{STORY}/articles/nope",
])
def test_api_unknown_ids(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"] == "application/json"
    assert "nope" in response.json()["detail"] and "GET /api/stories" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/stories/nope", "/stories/nope/articles", f"/stories/{STORY}/articles/nope", "/stories/nope/report",
                                  "/stories/nope/quotes", "/stories/nope/timeline", f"/stories/{STORY}/contradictions/9"])
def test_html_unknown_ids(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert ("&#39;nope&#39;" if "nope" in path else "not #9") in response.text


def test_html_pages_escape_article_text(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code == 200 and "Dam &lt;failure&gt;" in index.text and f"/stories/{STORY}" in index.text
    for path in (f"/stories/{STORY}", f"/stories/{STORY}/report", f"/stories/{STORY}/articles", f"/stories/{STORY}/articles/{A}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script" not in page.text.lower() and "<b>Dam" not in page.text, path
        if not path.endswith(STORY):  # the overview names articles only in its reliability table
            assert "&lt;b&gt;Dam&lt;/b&gt; fails" in page.text, path
    article = client.get(f"/stories/{STORY}/articles/{A}").text
    assert "&lt;script&gt;" in article and 'class="claim claim-supported"' in article
    assert '<mark class="quote" title="quote (direct): Jane Doe">&lt;script&gt;' in article
    assert 'class="claim claim-contradicted flag"' in article and "flag: 12 vs 40 hurt" in article
    assert 'href="javascript' not in article  # a hostile URL is shown, never linked


def test_report_page_is_the_report_template(client: TestClient, report: dict[str, Any]) -> None:
    from storydesk.report.render import render_html

    assert client.get(f"/stories/{STORY}/report").text == render_html(report)


PAGES = ["/", "/docs", f"/stories/{STORY}", f"/stories/{STORY}/report", f"/stories/{STORY}/articles", f"/stories/{STORY}/articles/{A}",
         f"/stories/{STORY}/contradictions", f"/stories/{STORY}/contradictions/1", f"/stories/{STORY}/quotes", f"/stories/{STORY}/entities",
         f"/stories/{STORY}/timeline", f"/stories/{STORY}/add", f"/stories/{TIMED}", f"/stories/{TIMED}/timeline"]


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in [*PAGES, "/api/stories", "/api/stories/nope", "/stories/nope"]:
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp, path
        assert "form-action 'self'" in csp, path


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_without_script_or_raw_markup(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    lowered = page.text.lower()
    assert "<script" not in lowered and "<img" not in lowered and 'href="javascript' not in lowered
    assert "<b>" not in lowered and "<i>" not in lowered  # the hostile title and outlet stay text


def test_docs_page_lists_the_openapi_operations(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/stories/{story_id}/articles" in spec["paths"] and "post" in spec["paths"]["/api/stories/{story_id}/files"]
    docs = client.get("/docs").text
    operations = [(m.upper(), p) for p, ms in spec["paths"].items() for m in ms]
    assert len(operations) >= 15
    for method, path in operations:
        assert f"<code>{method}</code></td><td><code>{path}</code>" in docs
    assert "multipart/form-data" in docs and "application/x-ndjson" in docs
    assert all(not p.startswith("/stories") and p != "/" for p in spec["paths"])  # pages are not API


@pytest.mark.parametrize("key", ["links", "entities", "quotes", "timeline", "brief"])
def test_api_report_parts(client: TestClient, timed_report: dict[str, Any], key: str) -> None:
    response = client.get(f"/api/stories/{TIMED}/{key}")
    assert response.status_code == 200 and response.json() == timed_report[key] and response.json()
    assert client.get(f"/api/stories/{STORY}/{key}").json() == ([] if key in ("timeline", "brief") else response.json())


def test_overview_without_brief_says_so(client: TestClient) -> None:
    page = client.get(f"/stories/{STORY}").text
    assert 'id="brief-none"' in page and 'id="brief"' not in page
    assert "1 contradiction<" in page and "2 articles" in page and "0 timeline entries" in page
    assert page.index("Reliability ranking") < page.index(f"/stories/{STORY}/articles/{A}")  # the ranked article is linked
    assert "12 vs 40 hurt" in page


def test_overview_brief_with_citations(client: TestClient, timed_report: dict[str, Any]) -> None:
    page = client.get(f"/stories/{TIMED}").text
    assert 'id="brief-none"' not in page
    assert "A dam failed &lt;img src=x onerror=alert(1)&gt;." in page and "<img" not in page
    (hurt_a, hurt_b) = (c["span"] for c in timed_report["brief"][0]["citations"])
    assert f'/stories/{TIMED}/articles/{A}?start={hurt_a[0]}&amp;end={hurt_a[1]}#cited' in page
    assert f'/stories/{TIMED}/articles/{B}?start={hurt_b[0]}&amp;end={hurt_b[1]}#cited' in page
    assert ">[1]</a>" in page and ">[2]</a>" in page  # citation numbers are article numbers
    assert "1 timeline entries" not in page and "3 timeline entries" in page


def test_cited_span_is_marked_on_the_article_page(client: TestClient, timed_report: dict[str, Any]) -> None:
    start, end = timed_report["brief"][0]["citations"][0]["span"]
    page = client.get(f"/stories/{TIMED}/articles/{A}", params={"start": start, "end": end}).text
    assert page.count('id="cited"') == 1
    marked = page.split('id="cited">', 1)[1].split("</mark>", 1)[0]
    assert marked and marked in "Officials said 12 people were hurt."
    assert 'id="cited"' not in client.get(f"/stories/{TIMED}/articles/{A}").text
    assert client.get(f"/stories/{TIMED}/articles/{A}", params={"start": 50, "end": 10}).status_code == 200  # empty range: ignored
    assert client.get(f"/stories/{TIMED}/articles/{A}", params={"start": "x"}).status_code == 422


def test_timeline_page_orders_and_charts_entries(client: TestClient) -> None:
    page = client.get(f"/stories/{TIMED}/timeline").text
    assert page.index("Dam &lt;b&gt;fails&lt;/b&gt;") < page.index("Casualty count &lt;revised&gt;") < page.index("Inquiry announced")
    assert "<b>fails" not in page and 'id="timeline-none"' not in page
    chart = page.split('id="timeline-chart"', 1)[1].split("</svg>", 1)[0]  # the wide drawing
    assert chart.count('class="tl-marker"') == 2  # the undated entry is listed, not plotted
    xs = [float(x.split('"')[1]) for x in chart.split('class="tl-marker"')[1].split('cx=')[1:]] + \
         [float(x.split('"')[1]) for x in chart.split('class="tl-marker"')[2].split('cx=')[1:]]
    assert xs[0] < xs[1]
    assert 'href="#event-1"' in chart and '<li value="1" id="event-1"><strong>Feb 2024</strong>' in page
    assert "disputed" in page and "River Bend" in page


def test_timeline_page_and_report_draw_the_same_chart(client: TestClient, timed_report: dict[str, Any]) -> None:
    def figure(html: str) -> str:
        return '<figure class="tl" id="timeline-chart">' + html.split('<figure class="tl" id="timeline-chart">', 1)[1].split("</figure>", 1)[0]

    page = client.get(f"/stories/{TIMED}/timeline").text
    report_page = client.get(f"/stories/{TIMED}/report").text
    assert figure(page) == figure(report_page) == figure(render_html(timed_report))
    assert "Casualty count &lt;revised&gt;" in figure(page) and "<revised>" not in page
    for html in (page, report_page):  # both lists number the events as the chart does
        assert [int(n) for n in re.findall(r'<li value="(\d+)" id="event-\d+"', html)] == [1, 2, 3]


def test_timeline_page_without_entries_says_so(client: TestClient) -> None:
    page = client.get(f"/stories/{STORY}/timeline").text
    assert 'id="timeline-none"' in page and "<svg" not in page


def test_contradiction_side_by_side(client: TestClient) -> None:
    listing = client.get(f"/stories/{STORY}/contradictions").text
    assert f"/stories/{STORY}/contradictions/1" in listing and "12 vs 40 people hurt" in listing
    page = client.get(f"/stories/{STORY}/contradictions/1").text
    sides = page.split('<section class="side">')[1:]
    assert len(sides) == 2
    assert '<mark class="sentence">Officials said 12 people were hurt.</mark>' in sides[0]
    assert '<mark class="sentence">Officials said 40 people were hurt.</mark>' in sides[1]
    assert "&lt;b&gt;Dam&lt;/b&gt; fails" in sides[0] and f"/articles/{B}?start=" in sides[1]


def test_quotes_and_entities_pages(client: TestClient) -> None:
    quotes = client.get(f"/stories/{STORY}/quotes").text
    row = quotes.split('id="quotes"', 1)[1]
    assert "Jane Doe" in row and "chief engineer" in row and "&lt;script&gt;" in row
    entities = client.get(f"/stories/{STORY}/entities").text.split('id="entities"', 1)[1]
    names = [cell.split("</td>")[0].split(" <span")[0] for cell in entities.split("<tr><td>")[1:]]  # name, then its type
    assert names[:2] == ["Jane Doe", "River Bend"]  # two mentions each, name order breaks the tie
    assert set(names) == {"Jane Doe", "River Bend", "Acme Corp", "Freedonia", "Freedonian"}


def test_highlight_pieces_rebuild_the_text() -> None:
    text = "ab<c>defg"
    pieces = highlight(text, [(0, 5, "claim", "c"), (2, 7, "quote", "q"), (8, 99, "flag", "f"), (6, 3, "bad", "x")])
    assert "".join(p["text"] for p in pieces) == text
    assert [(p["text"], p["classes"]) for p in pieces] == [
        ("ab", "claim"), ("<c>", "claim quote"), ("de", "quote"), ("f", ""), ("g", "flag"),
    ]


def test_missing_extra_says_what_to_install() -> None:
    with pytest.raises(RuntimeError, match=r"pip install 'storydesk\[web\]'"):
        _require("storydesk_no_such_module")


def test_hostile_constant_is_in_the_store(report: dict[str, Any]) -> None:
    assert HOSTILE in report["articles"][0]["text"]  # guards the escaping tests above against a vacuous pass


# ---- reads served from the shared cache (store.cache.Memo): one parse and one render per run

READS = [*PAGES[2:], f"/stories/{TIMED}/report", f"/stories/{TIMED}/articles/{A}?start=0&end=12", f"/stories/{TIMED}/quotes",
         f"/stories/{TIMED}/entities", f"/stories/{TIMED}/contradictions", *(f"/api/stories/{s}{p}" for s in (STORY, TIMED) for p in (
             "", "/articles", f"/articles/{B}", "/claims", "/claims?kind=contradict", "/links", "/entities", "/quotes", "/timeline",
             "/brief", "/export/ftm", "/export/claimreview"))]


def test_reads_leave_the_shared_report_as_stored_and_answer_the_same_twice(client: TestClient) -> None:
    first = {path: client.get(path) for path in READS}
    assert {p: r.status_code for p, r in first.items() if r.status_code != 200} == {}
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    fresh = Store(store.url)  # its own cache: parses the stored JSON again
    try:
        for story in (STORY, TIMED):
            assert store.report(story) == fresh.report(story), "a read changed the report every later request shares"
    finally:
        fresh.close()
    assert {p: client.get(p).content for p in READS} == {p: r.content for p, r in first.items()}


def test_a_new_run_is_what_the_next_read_shows(tmp_path: Path, report: dict[str, Any]) -> None:
    url = f"sqlite:///{tmp_path / 'storydesk.sqlite'}"
    story = build_story()
    with TestClient(create_app(url)) as web:
        store: Store = web.app.state.store  # type: ignore[attr-defined]
        store.save(story, report)
        assert "Dam &lt;failure&gt;" in web.get(f"/stories/{STORY}/report").text
        retitled = json.loads(json.dumps(report))
        retitled["articles"][0]["title"] = "Second <run>"
        store.save(story, retitled)
        for path in (f"/stories/{STORY}", f"/stories/{STORY}/report", f"/stories/{STORY}/articles"):
            assert "Second &lt;run&gt;" in web.get(path).text, path
        assert web.get(f"/api/stories/{STORY}/articles").json()[0]["title"] == "Second <run>"
