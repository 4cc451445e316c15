"""Every API error has the documented shape `{"detail": str}`, with a 4xx that fits: 400 for a body
that is not JSON, 422 for JSON of the wrong shape, never FastAPI's list of pydantic errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from storydesk.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = f"sqlite:///{tmp_path_factory.mktemp('errors') / 'storydesk.sqlite'}"
    with TestClient(create_app(db, token="")) as c:
        yield c


@pytest.fixture(scope="module")
def story(client: TestClient) -> str:
    return client.post("/api/stories", json={"name": "Errors"}).json()["id"]


def _detail(response) -> str:  # noqa: ANN001
    body = response.json()
    assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"], body
    return body["detail"]


@pytest.mark.parametrize("body", [b"{not json", b'{"articles": [', b"", b"\xff\xfe"])
def test_malformed_json_is_a_400_with_a_detail_string(client: TestClient, story: str, body: bytes) -> None:
    response = client.post(f"/api/stories/{story}/articles", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert ("not valid JSON" if body else "empty") in _detail(response)


@pytest.mark.parametrize("path, body, field", [
    ("/api/stories/{story}/articles", {"articles": "nope"}, "articles"),
    ("/api/stories/{story}/articles", {"articles": [{"byline": 3}]}, "articles.0.byline"),
    ("/api/stories", {}, "name"),
    ("/api/stories/{story}/articles", [1, 2], "body"),
])
def test_json_of_the_wrong_shape_is_a_422_naming_the_field(client: TestClient, story: str, path: str, body: dict, field: str) -> None:
    response = client.post(path.format(story=story), json=body)
    assert response.status_code == 422
    assert field in _detail(response)


def test_a_bad_path_parameter_has_the_same_shape(client: TestClient) -> None:
    response = client.get("/api/jobs/not-a-number")
    assert response.status_code == 422 and "job_id" in _detail(response)
