"""`storydesk serve` killed with SIGKILL while a job runs: the next server marks that job failed as
interrupted, and a new job re-runs the story to the end.

A real server process on a free port over a temporary SQLite database, driven through its REST API
over HTTP; the pile is the example story plus the batch fixture's articles (14 distinct texts), so
the job is still running when the kill comes. Nothing is mocked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from storydesk.web.jobs import INTERRUPTED  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "japan-us-nk"
COLLECTION = ROOT / "tests" / "fixtures" / "batch" / "collection.jsonl"


def _pile() -> list[dict[str, str]]:
    """The example story's files and the batch fixture's records with text, each text once."""
    pile = {p.read_text("utf-8"): p.stem for p in sorted(EXAMPLE.glob("*.txt"))}
    for line in COLLECTION.read_text("utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and str(record.get("text") or "").strip():
            pile.setdefault(record["text"], record.get("title") or record["id"])
    return [{"text": text, "title": title} for text, title in pile.items()]


from serve_process import Server, wait_for  # noqa: E402


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def test_a_job_killed_with_its_server_is_failed_on_restart_and_runs_again(tmp_path: Path, servers: list[Server]) -> None:
    db_url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    log = tmp_path / "serve.log"
    first = Server(db_url, log)
    servers.append(first)
    status, story = first.call("POST", "/api/stories", {"name": "restart"})
    assert status == 201
    pile = _pile()
    assert len(pile) == 14
    status, added = first.call("POST", f"/api/stories/{story['id']}/articles", {"articles": pile})
    assert status == 202 and added["added"] == 14
    job_id = added["job"]["id"]

    running = wait_for(first, job_id, {"done", "failed"}, timeout=120, reading=True)
    assert running["status"] == "running", running  # 14 articles take far longer than the poll interval
    first.kill()

    second = Server(db_url, log)
    servers.append(second)
    status, after = second.call("GET", f"/api/jobs/{job_id}")
    assert status == 200 and after["status"] == "failed" and after["error"] == INTERRUPTED
    assert after["finished"] and after["run_id"] is None
    status, page = second.call("GET", f"/api/stories/{story['id']}/status")
    assert status == 200 and not page["busy"] and page["job"]["id"] == job_id and page["documents"] == 14

    status, again = second.call("POST", f"/api/stories/{story['id']}/analyze")
    assert status == 202 and again["job"]["id"] != job_id
    finished = wait_for(second, again["job"]["id"], {"done", "failed"}, timeout=540)
    assert finished["status"] == "done" and finished["error"] is None and finished["run_id"], finished
    assert finished["done"] == finished["total"] == 14
    status, report = second.call("GET", f"/api/stories/{story['id']}")
    assert status == 200 and len(report["articles"]) == 14 and all(a["text"] for a in report["articles"])
    status, old = second.call("GET", f"/api/jobs/{job_id}")
    assert old["status"] == "failed" and old["error"] == INTERRUPTED  # the record of what happened stays
