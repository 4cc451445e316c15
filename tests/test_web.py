"""The web UI and REST API against a real temporary SQLite store holding a small hand-built story."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402
from test_export import HOSTILE, build_story  # noqa: E402

from storydesk.model import story_to_dict  # noqa: E402
from storydesk.report.render import validate_report  # noqa: E402
from storydesk.store import Store  # noqa: E402
from storydesk.web import create_app  # noqa: E402
from storydesk.web.app import _require, highlight  # noqa: E402

STORY = "s" * 16
A, B = "a" * 16, "b" * 16


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    data = story_to_dict(build_story())
    validate_report(data)
    return data


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, report: dict[str, Any]) -> Iterator[TestClient]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('web')) / 'storydesk.sqlite'}"
    store = Store(url)
    store.save(build_story(), report)
    store.close()
    with TestClient(create_app(url)) as test_client:
        yield test_client


def test_api_stories(client: TestClient) -> None:
    rows = client.get("/api/stories").json()
    assert [(r["id"], r["name"], r["articles"]) for r in rows] == [(STORY, "Dam <failure>", 2)]
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


@pytest.mark.parametrize("path", ["/stories/nope", "/stories/nope/articles", f"/stories/{STORY}/articles/nope"])
def test_html_unknown_ids(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "&#39;nope&#39;" in response.text


def test_html_pages_escape_article_text(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code == 200 and "Dam &lt;failure&gt;" in index.text and f"/stories/{STORY}" in index.text
    for path in (f"/stories/{STORY}", f"/stories/{STORY}/articles", f"/stories/{STORY}/articles/{A}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script" not in page.text.lower() and "<b>Dam" not in page.text, path
        assert "&lt;b&gt;Dam&lt;/b&gt; fails" in page.text, path
    article = client.get(f"/stories/{STORY}/articles/{A}").text
    assert "&lt;script&gt;" in article and 'class="claim claim-supported"' in article
    assert '<mark class="quote" title="quote (direct): Jane Doe">&lt;script&gt;' in article
    assert 'class="claim claim-contradicted flag"' in article and "flag: 12 vs 40 hurt" in article
    assert 'href="javascript' not in article  # a hostile URL is shown, never linked


def test_story_page_is_the_report_template(client: TestClient, report: dict[str, Any]) -> None:
    from storydesk.report.render import render_html

    assert client.get(f"/stories/{STORY}").text == render_html(report)


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", f"/stories/{STORY}", f"/stories/{STORY}/articles/{A}", "/api/stories", "/api/stories/nope", "/stories/nope"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
    assert client.get("/docs").status_code == 404  # Swagger UI would pull scripts from a CDN


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
