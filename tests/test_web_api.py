"""The write side of the REST API and the forms: the real app over a real SQLite file, real analysis
jobs on the app's worker thread, a real local HTTP server for URL fetching. Nothing is mocked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import create_engine, insert, inspect  # noqa: E402
from test_export import build_story  # noqa: E402

from storydesk.web.jobs import INTERRUPTED, NOT_STARTED, JobRunner, Limits  # noqa: E402
from storydesk.model import story_to_dict  # noqa: E402
from storydesk.options import Options  # noqa: E402
from storydesk.store import Store  # noqa: E402
from storydesk.store.schema import metadata, schema_version  # noqa: E402
from storydesk.web import create_app  # noqa: E402

LIMITS = Limits(max_request_bytes=64 * 1024, max_documents=6, max_per_request=4)

FIRST = ("The harbour bridge in Portmere closed on Tuesday after inspectors found cracks in two of its piers, "
         "the city transport office said. Officials said 14 people had to be evacuated from a stalled tram. "
         "Repairs will cost about 3 million euros, according to the transport office.")
SECOND = ("Inspectors shut the Portmere harbour bridge on Tuesday because of cracked piers. "
          "Officials said 40 people had to be evacuated from a stalled tram. "
          "The mayor said the bridge would reopen in the spring.")
THIRD = ("Engineers began work on the cracked piers of the Portmere harbour bridge on Wednesday. "
         "The transport office said repairs would cost about 3 million euros.")


def _db(tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp(name) / 'storydesk.sqlite'}"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(_db(tmp_path_factory, "api"), limits=LIMITS, token="")) as client:
        yield client


def wait(client: TestClient) -> None:
    client.app.state.runner.wait(600)


def test_add_and_analyse_a_new_story(api: TestClient) -> None:
    story = api.post("/api/stories", json={"name": "Bridge <closure>"})
    assert story.status_code == 201
    sid = story.json()["id"]
    assert api.get(f"/api/stories/{sid}").status_code == 409 and "/status" in api.get(f"/api/stories/{sid}").json()["detail"]
    empty = api.get(f"/stories/{sid}").text
    assert "No report yet" in empty and "Bridge &lt;closure&gt;" in empty and 'http-equiv="refresh"' not in empty

    # pasted text through the form, then the API with one pasted article, then two files
    form = api.post(f"/stories/{sid}/add", data={"text": FIRST, "title": "Bridge shut <b>now</b>", "published": "2024-05-07",
                                                  "byline": "Ann Writer", "url": "javascript:alert(1)"}, follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"] == f"/stories/{sid}"
    busy = api.get(f"/stories/{sid}").text
    assert 'http-equiv="refresh"' in busy and "Analysis " in busy
    added = api.post(f"/api/stories/{sid}/articles", json={"articles": [{"text": SECOND, "title": "Forty evacuated", "published": "2024-05-07"}]})
    assert added.status_code == 202 and added.json()["added"] == 1 and added.json()["job"]["status"] in ("queued", "running")
    jsonl = json.dumps({"text": THIRD, "title": "Repairs begin", "url": "https://news.example.net/repairs", "published": "2024-05-08"}) + "\n{broken\n"
    html = f"<html><head><title>Page copy</title></head><body><article><p>{SECOND}</p></article></body></html>"
    files = api.post(f"/api/stories/{sid}/files", files=[("files", ("more.jsonl", jsonl.encode(), "application/x-ndjson")),
                                                         ("files", ("copy.html", html.encode(), "text/html"))])
    assert files.status_code == 202 and files.json()["added"] == 3  # two JSON lines (one broken) and one page
    wait(api)

    status = api.get(f"/api/stories/{sid}/status").json()
    assert status["documents"] == 5 and status["has_report"] and not status["busy"]
    job = status["job"]
    assert job["status"] == "done" and job["done"] == job["total"] == 5 and job["error"] is None and job["run_id"]
    assert api.get(f"/api/jobs/{job['id']}").json() == job

    report = api.get(f"/api/stories/{sid}").json()
    by_title = {a["title"]: a for a in report["articles"]}
    assert {"Bridge shut <b>now</b>", "Forty evacuated", "Repairs begin"} <= set(by_title)
    pasted = by_title["Bridge shut <b>now</b>"]
    assert pasted["published"] == "2024-05-07" and pasted["byline"] == ["Ann Writer"] and "14 people" in pasted["text"]
    assert by_title["Repairs begin"]["url"] == "https://news.example.net/repairs"
    assert any("invalid JSON on line 2" in e for a in report["articles"] for e in a["errors"])
    assert by_title["Forty evacuated"]["copies"] == ["upload: copy.html"]  # same text as the page: kept once
    assert len(report["articles"]) == 4 and api.get(f"/api/stories/{sid}/articles").json()[0]["id"] == report["articles"][0]["id"]
    assert [r["id"] for r in api.get("/api/stories").json()] == [sid]

    page = api.get(f"/stories/{sid}").text
    assert 'http-equiv="refresh"' not in page and "Analysis done" in page and "4 articles" in page
    article = api.get(f"/stories/{sid}/articles/{pasted['id']}").text
    assert "Bridge shut &lt;b&gt;now&lt;/b&gt;" in article and 'href="javascript' not in article and '<mark class="claim' in article

    # the story is full: 5 held + 2 new > 6
    full = api.post(f"/api/stories/{sid}/articles", json={"articles": [{"text": THIRD}, {"text": FIRST + " Update."}]})
    assert full.status_code == 413
    assert "limit is 6 per story" in full.json()["detail"] and "--max-documents" in full.json()["detail"]
    assert api.get(f"/api/stories/{sid}/status").json()["documents"] == 5  # nothing half-added


def test_adding_to_an_analysed_story_keeps_its_articles(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A story written by `storydesk analyze` has no raw documents: the first addition seeds them from its articles."""
    url = _db(tmp_path_factory, "seed")
    store = Store(url)
    old = build_story()
    store.save(old, story_to_dict(old))
    store.close()
    with TestClient(create_app(url, limits=LIMITS, token="")) as client:
        response = client.post(f"/api/stories/{old.id}/articles", json={"articles": [{"text": THIRD, "title": "Repairs begin"}]})
        assert response.status_code == 202 and response.json()["job"]["total"] == 3
        wait(client)
        assert client.get(f"/api/stories/{old.id}/status").json()["job"]["status"] == "done"
        report = client.get(f"/api/stories/{old.id}").json()
    texts = [a["text"] for a in report["articles"]]
    assert len(texts) == 3 and any("cost about 3 million euros" in t for t in texts)
    for art in old.articles:
        assert any(art.text.split("\n\n")[0].strip() in t for t in texts), art.id
    titles = {a["title"] for a in report["articles"]}
    assert {a.title for a in old.articles} <= titles  # metadata survives the round trip


def test_url_documents_are_fetched_by_the_job_when_private_addresses_are_allowed(tmp_path_factory: pytest.TempPathFactory) -> None:
    page = f"<html><head><title>Fetched page</title></head><body><article><p>{THIRD}</p><p>{SECOND}</p></article></body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_port}/story.html"
    try:
        with TestClient(create_app(_db(tmp_path_factory, "urls"), limits=LIMITS, token="")) as strict:
            sid = strict.post("/api/stories", json={"name": "strict"}).json()["id"]
            refused = strict.post(f"/api/stories/{sid}/articles", json={"urls": [local]})
            assert refused.status_code == 400 and "--allow-private-urls" in refused.json()["detail"]
            assert strict.get(f"/api/stories/{sid}/status").json()["documents"] == 0
        with TestClient(create_app(_db(tmp_path_factory, "urls-allowed"), options=Options(allow_private_urls=True), limits=LIMITS, token="")) as client:
            sid = client.post("/api/stories", json={"name": "local pages"}).json()["id"]
            assert client.post(f"/api/stories/{sid}/articles", json={"urls": [local]}).status_code == 202
            wait(client)
            report = client.get(f"/api/stories/{sid}").json()
    finally:
        server.shutdown()
    (art,) = report["articles"]
    assert art["url"] == local and art["title"] == "Fetched page" and "cracked piers" in art["text"]


def test_body_size_limit(api: TestClient) -> None:
    sid = api.post("/api/stories", json={"name": "limits"}).json()["id"]
    big = b'{"text": "' + b"x" * (LIMITS.max_request_bytes + 10) + b'"}\n'
    by_length = api.post(f"/api/stories/{sid}/jsonl", content=big)
    assert by_length.status_code == 413 and "64 KB limit" in by_length.json()["detail"] and "--max-mb" in by_length.json()["detail"]
    assert "split" in by_length.json()["detail"]
    streamed = api.post(f"/api/stories/{sid}/jsonl", content=iter([big[:40000], big[40000:]]))  # chunked: no Content-Length
    assert streamed.status_code == 413 and "limit" in streamed.json()["detail"]
    upload = api.post(f"/stories/{sid}/add", files=[("files", ("big.txt", big, "text/plain"))])
    assert upload.status_code == 413 and upload.headers["content-type"].startswith("text/html") and "split" in upload.text
    assert api.get(f"/api/stories/{sid}/status").json()["documents"] == 0


def test_count_and_input_errors(api: TestClient) -> None:
    sid = api.post("/api/stories", json={"name": "errors"}).json()["id"]
    many = api.post(f"/api/stories/{sid}/articles", json={"articles": [{"text": f"Article number {i}."} for i in range(5)]})
    assert many.status_code == 413 and "limit is 4 per request" in many.json()["detail"] and "split" in many.json()["detail"]
    for body, fragment in [({"articles": [{"text": "   "}]}, "empty"), ({}, "nothing to add"),
                           ({"urls": ["ftp://files.example.org/a"]}, "only http"), ({"urls": ["http://localhost:9/a"]}, "loopback"),
                           ({"urls": ["http://169.254.169.254/latest/meta-data"]}, "link-local")]:
        response = api.post(f"/api/stories/{sid}/articles", json=body)
        assert response.status_code == 400 and fragment in response.json()["detail"], body
    assert api.post("/api/stories/nope/articles", json={"articles": [{"text": "A text."}]}).status_code == 404
    assert api.post("/api/stories", json={"name": "  "}).status_code == 400
    assert api.get("/api/jobs/999999").status_code == 404
    assert api.get(f"/stories/{sid}/articles").status_code == 409
    assert api.get(f"/api/stories/{sid}/status").json()["documents"] == 0


def test_write_token(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYDESK_TOKEN", "s3cret")
    with TestClient(create_app(_db(tmp_path_factory, "token"), limits=LIMITS)) as client:
        refused = client.post("/api/stories", json={"name": "x"})
        assert refused.status_code == 401 and "STORYDESK_TOKEN" in refused.json()["detail"]
        assert client.post("/api/stories", json={"name": "x"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
        made = client.post("/api/stories", json={"name": "x"}, headers={"Authorization": "Bearer s3cret"})
        assert made.status_code == 201
        assert client.post("/api/stories", json={"name": "y"}, headers={"X-StoryDesk-Token": "s3cret"}).status_code == 201
        assert client.get("/api/stories").status_code == 200 and len(client.get("/api/stories").json()) == 2  # reads stay open
        sid = made.json()["id"]
        assert client.post(f"/api/stories/{sid}/articles", json={"articles": [{"text": THIRD}]}).status_code == 401
        assert client.post(f"/api/stories/{sid}/analyze").status_code == 401
        form = client.post("/stories", data={"name": "z"}, follow_redirects=False)
        assert form.status_code == 401 and "STORYDESK_TOKEN" in form.text and form.headers["content-type"].startswith("text/html")
        assert client.post("/stories", data={"name": "z", "token": "s3cret"}, follow_redirects=False).status_code == 303
        assert 'name="token"' in client.get("/").text
        assert client.get(f"/api/stories/{sid}/status").json()["documents"] == 0


def test_cross_site_form_posts_are_refused(api: TestClient) -> None:
    evil = api.post("/stories", data={"name": "csrf"}, headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert evil.status_code == 403 and "cross-site" in evil.text
    same = api.post("/stories", data={"name": "same site"}, headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert same.status_code == 303 and same.headers["location"].endswith("/add")
    assert "csrf" not in [s["name"] for s in api.get("/api/stories").json()]


def test_unfinished_jobs_are_failed_on_restart(tmp_path_factory: pytest.TempPathFactory) -> None:
    store = Store(_db(tmp_path_factory, "restart"))
    store.create_story("r" * 16, "restart")
    job = store.create_job("r" * 16, 2)
    running = store.create_job("r" * 16, 2)
    store.update_job(running["id"], status="running")
    runner = JobRunner(store, Options())
    try:
        after, ran = store.job(job["id"]), store.job(running["id"])
        assert after and after["status"] == "failed" and after["error"] == NOT_STARTED
        assert ran and ran["status"] == "failed" and ran["error"] == INTERRUPTED
    finally:
        runner.shutdown()
        store.close()


def test_migration_from_a_version_1_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # what migration 1 alone left behind
        metadata.create_all(conn)
        conn.execute(insert(schema_version).values(version=1))
    engine.dispose()
    assert "documents" not in inspect(create_engine(url)).get_table_names()
    store = Store(url)
    old = build_story()
    store.save(old, story_to_dict(old))
    tables = set(inspect(store.engine).get_table_names())
    assert {"documents", "jobs", "stories", "runs"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(schema_version.select()).scalar() >= 2
    assert store.document_count(old.id) == 0 and store.report(old.id)
    store.close()
