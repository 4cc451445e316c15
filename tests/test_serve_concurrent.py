"""Eight clients add articles to one story at the same moment, through `storydesk serve`'s REST API:
every article ends up in the story exactly once and no request fails.

A real server process on a free port over a temporary SQLite database (requests are handled on the
server's thread pool, so the writes really overlap); the analysis jobs they queue run to the end and
the story is counted through the API. Two stories: one made through the API (no documents yet), and
one saved the way `storydesk analyze` saves it (a report and no documents), whose first addition
seeds its documents from its articles: eight first additions at once must seed them once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from serve_process import Server, wait_for  # noqa: E402
from test_export import build_story  # noqa: E402

from storydesk.model import story_to_dict  # noqa: E402
from storydesk.store import Store  # noqa: E402

CLIENTS = 8
PLACES = ["Alderwick", "Brannock", "Corvale", "Dunmere", "Eastholt", "Fennick", "Glenross", "Harlow Cross"]
EVENTS = [
    ("the town library", "reopened after a flood", "Volunteers carried {n} boxes of books back to the shelves."),
    ("the ferry service", "was suspended because of fog", "About {n} passengers waited at the pier for news."),
    ("the council", "approved a new cycle lane", "The lane will run for {n} kilometres along the river."),
    ("the football club", "appointed a new coach", "The club has lost {n} of its last twelve matches."),
    ("the bakery on Mill Street", "won a regional prize", "The judges tasted {n} loaves before deciding."),
    ("the primary school", "opened a vegetable garden", "Pupils planted {n} rows of beans and potatoes."),
    ("the fire station", "received two new engines", "The engines cost {n} thousand pounds each."),
    ("the old cinema", "was sold to a theatre group", "The group plans {n} performances next season."),
]


def _articles(tag: str) -> list[dict[str, str]]:
    """One distinct invented article per client, titled so the story's article list shows each."""
    out = []
    for k, (place, (subject, what, detail)) in enumerate(zip(PLACES, EVENTS)):
        text = (f"In {place}, {subject} {what} on Monday, local officials said. "
                f"{detail.format(n=17 + 11 * k)} Residents of {place} said they had waited a long time for the news.")
        out.append({"title": f"{tag} {k}: {place}", "text": text, "published": f"2024-06-{k + 3:02d}"})
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, str]]:
    """The server, over a database that already holds two stories saved as `storydesk analyze` saves
    them: (server, the one grown here, the one re-analysed as it is)."""
    tmp = tmp_path_factory.mktemp("serve-concurrent")
    db_url = f"sqlite:///{tmp / 'serve.sqlite'}"
    store = Store(db_url)
    old = build_story()
    store.save(old, story_to_dict(old))
    again = build_story()
    again.id, again.name = "r" * 16, "Dam, again"
    store.save(again, story_to_dict(again))
    store.close()
    started = Server(db_url, tmp / "serve.log")
    yield started, old.id, again.id
    started.kill()


def _post_at_once(server: Server, story_id: str, articles: list[dict[str, str]]) -> list[tuple[int, Any]]:
    """Each article in its own request, from its own thread, all released together."""
    gate = threading.Barrier(len(articles))
    answers: list[tuple[int, Any]] = [(0, None)] * len(articles)

    def post(k: int) -> None:
        gate.wait()
        try:
            answers[k] = server.call("POST", f"/api/stories/{story_id}/articles", {"articles": [articles[k]]})
        except OSError as exc:  # no answer at all: recorded as a failed request
            answers[k] = (0, repr(exc))

    threads = [threading.Thread(target=post, args=(k,)) for k in range(len(articles))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def _settle(server: Server, story_id: str, answers: list[tuple[int, Any]]) -> dict[str, Any]:
    """Wait for every job the requests queued, then for the story to be idle; its status."""
    for job_id in sorted({body["job"]["id"] for _, body in answers}):
        job = wait_for(server, job_id, {"done", "failed"}, timeout=240)
        assert job["status"] == "done" and job["error"] is None, job
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, page = server.call("GET", f"/api/stories/{story_id}/status")
        assert status == 200, page
        if not page["busy"]:
            return page
        time.sleep(0.1)
    raise AssertionError(f"story {story_id} still busy after its jobs finished")


def _check(server: Server, story_id: str, posted: list[dict[str, str]], before: list[str]) -> None:
    answers = _post_at_once(server, story_id, posted)
    assert [status for status, _ in answers] == [202] * CLIENTS, answers
    assert all(body["added"] == 1 for _, body in answers), answers
    page = _settle(server, story_id, answers)
    status, listed = server.call("GET", f"/api/stories/{story_id}/articles")
    assert status == 200, listed
    titles = sorted(a["title"] for a in listed)
    assert titles == sorted(before + [a["title"] for a in posted]), titles  # each once: none lost, none twice
    assert page["documents"] == len(before) + CLIENTS, page  # the stored inputs: seeded once, each posted one once
    status, report = server.call("GET", f"/api/stories/{story_id}")
    assert status == 200
    texts = {a["title"]: a["text"] for a in report["articles"]}
    assert all(texts[a["title"]].strip() == a["text"] for a in posted)


def test_eight_clients_adding_to_a_new_story_lose_and_repeat_no_article(server: tuple[Server, str, str]) -> None:
    serve, _, _ = server
    status, story = serve.call("POST", "/api/stories", {"name": "many hands"})
    assert status == 201, story
    _check(serve, story["id"], _articles("new"), before=[])
    status, page = serve.call("GET", f"/api/stories/{story['id']}/status")
    assert status == 200 and page["articles"] == CLIENTS, page


def test_eight_first_additions_to_an_analysed_story_seed_its_articles_once(server: tuple[Server, str, str]) -> None:
    serve, story_id, _ = server
    status, listed = serve.call("GET", f"/api/stories/{story_id}/articles")
    assert status == 200 and len(listed) == 2, listed
    _check(serve, story_id, _articles("old"), before=[a["title"] for a in listed])


def test_an_analysed_story_is_analysed_again_over_its_articles(server: tuple[Server, str, str]) -> None:
    """`POST .../analyze` on a story `storydesk analyze` made, nothing added: the job re-reads its
    articles (seeded once, even when asked twice at once) instead of finding no document and failing."""
    serve, _, story_id = server
    answers: list[tuple[int, Any]] = []
    threads = [threading.Thread(target=lambda: answers.append(serve.call("POST", f"/api/stories/{story_id}/analyze")))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [status for status, _ in answers] == [202, 202], answers
    page = _settle(serve, story_id, answers)
    assert page["documents"] == 2 and page["job"]["status"] == "done", page
    status, listed = serve.call("GET", f"/api/stories/{story_id}/articles")
    assert status == 200 and sorted(a["title"] for a in listed) == ["<b>Dam</b> fails", "Dam failure"], listed
