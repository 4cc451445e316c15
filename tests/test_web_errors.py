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


def test_json_sent_without_a_json_content_type_is_a_415_saying_so(client: TestClient) -> None:
    response = client.post("/api/stories", content=b'{"name": "Plain"}', headers={"content-type": "text/plain"})
    assert response.status_code == 415 and "Content-Type: application/json" in _detail(response)


def test_an_empty_json_lines_body_is_a_400(client: TestClient, story: str) -> None:
    response = client.post(f"/api/stories/{story}/jsonl", content=b"  \n", headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 400 and "empty" in _detail(response)


def test_unknown_routes_and_methods_have_the_same_shape(client: TestClient) -> None:
    assert client.get("/api/nothing-here").status_code == 404 and _detail(client.get("/api/nothing-here"))
    response = client.delete("/api/stories")
    assert response.status_code == 405 and _detail(response)


def test_an_unexpected_failure_is_a_500_with_a_detail_and_no_internals(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk.store import Store

    def broken(self: Store) -> list:
        raise RuntimeError("secret path /srv/db")

    monkeypatch.setattr(Store, "stories", broken)
    with TestClient(create_app(f"sqlite:///{tmp_path / 's.sqlite'}", token=""), raise_server_exceptions=False) as c:
        response = c.get("/api/stories")
    assert response.status_code == 500 and "RuntimeError" in _detail(response) and "/srv/db" not in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_openapi_documents_every_error_in_the_one_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["Error"]["properties"] == {"detail": {"title": "Detail", "type": "string",
                                                                              "description": "What went wrong, and what to do."}}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            errors = {int(c): r for c, r in op["responses"].items() if int(c) >= 400}
            for r in errors.values():
                assert r["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path)
            expected = {500} | ({400, 401, 403, 413, 422} if method == "post" else set()) | ({404, 422} if "{" in path else set())
            assert expected <= set(errors), (method, path, sorted(errors))
    assert 409 in {int(c) for c in spec["paths"]["/api/stories/{story_id}/claims"]["get"]["responses"]}
    assert 415 in {int(c) for c in spec["paths"]["/api/stories"]["post"]["responses"]}
    assert 409 not in {int(c) for c in spec["paths"]["/api/stories/{story_id}/status"]["get"]["responses"]}
