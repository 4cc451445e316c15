"""The FastAPI routes: every handler is a line or three over `web.app`, `web.views` and `web.jobs`.

Imported only by `create_app` (in `web/__init__.py`), after the `web` extra was found, so FastAPI
names can be module level (FastAPI reads the annotations). JSON routes live under /api/, pages everywhere else; an error is a
JSON `{"detail": ...}` under /api/ and an HTML page elsewhere, with the same message.

Writes (POST) need the token when one is configured (STORYDESK_TOKEN): `Authorization: Bearer TOKEN`
or `X-StoryDesk-Token: TOKEN` on the API, the form's token field on pages. A write whose Origin
header names another site is refused whatever the token, so a page elsewhere cannot post forms here.
"""

from __future__ import annotations

import json
import secrets
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import Headers, MutableHeaders

from ..report.export import to_claimreview, to_ftm
from ..report.figures import disputed_figures
from ..report.render import render_html
from ..store import Store
from . import jobs, views
from .jobs import BadInput, JobRunner, LimitExceeded, Limits, NotFound
from .app import (
    SECURITY_HEADERS,
    TOKEN_ENV,
    ClaimKind,
    NotReady,
    WebConfig,
    article_page_context,
    article_summary,
    claims_view,
    derived,
    document_errors,
    find_article,
    json_body,
    operations,
    page,
    story_page_context,
    story_rows,
)


class Unauthorized(Exception):
    """A write without the configured token."""


class Forbidden(Exception):
    """A cross-site write."""


class StoryIn(BaseModel):
    name: str = Field(description="The story's name, shown on every page.")


class ArticleIn(BaseModel):
    text: str | None = Field(None, description="Plain article text (or use html).")
    html: str | None = Field(None, description="The article's HTML page.")
    title: str | None = None
    url: str | None = None
    published: str | None = Field(None, description="ISO date: YYYY-MM-DD, YYYY-MM or YYYY.")
    byline: list[str] | str | None = None


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(default_factory=list, description="Pasted articles.")
    urls: list[str] = Field(default_factory=list, description="Article URLs, fetched by the analysis job.")


STATUS = {NotFound: 404, NotReady: 409, BadInput: 400, LimitExceeded: 413, Unauthorized: 401, Forbidden: 403}


class BodyLimit:
    """Pure ASGI: refuse request bodies over the limit, by Content-Length before reading, or, for a
    body sent without one (chunked), by reading it (at most the limit) before the app sees it."""

    def __init__(self, app: Any, limits: Limits) -> None:
        self.app, self.max_bytes, self.label = app, limits.max_request_bytes, limits.request_size

    def message(self) -> str:
        return (f"request body over the {self.label} limit (storydesk serve --max-mb); "
                "split the upload into several requests or smaller files")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_bytes:
                return await self._refuse(scope, send)
            return await self.app(scope, receive, send)
        messages, seen = [], 0
        while True:
            msg = await receive()
            messages.append(msg)
            seen += len(msg.get("body", b""))
            if seen > self.max_bytes:
                return await self._refuse(scope, send)
            if msg["type"] != "http.request" or not msg.get("more_body"):
                break

        async def replay() -> Any:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict[str, Any], send: Any) -> None:
        response = error_response(scope["path"], 413, self.message())
        await response(scope, None, send)  # type: ignore[arg-type]  # a Response never calls receive


class Security:
    """Pure ASGI: refuse a write whose Origin names another site, and put the security headers on
    every response. (Starlette's `@app.middleware("http")` did the same at several times the cost
    per request: a task and a stream around every response, felt by fifty readers at once.)"""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        origin, host = headers.get("origin"), headers.get("host")
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and origin and origin not in (f"http://{host}", f"https://{host}"):
            refused = error_response(scope["path"], 403, f"cross-site write from {origin} refused")
            return await refused(scope, receive, send)

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_secured)


def error_response(path: str, status: int, message: str) -> Response:
    if path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=SECURITY_HEADERS)
    return HTMLResponse(page("error.html.j2", status=status, message=message), status_code=status, headers=SECURITY_HEADERS)


def invalid_request(exc: RequestValidationError) -> tuple[int, str]:
    """FastAPI's validation errors in the API's one error shape, `{"detail": str}`: 400 when the body is
    empty or not JSON at all, 415 when it was sent without a JSON content type (FastAPI then never
    parses it), 422 when it is JSON of the wrong shape (or a path or query parameter is invalid); the
    message names each offending field."""
    problems = exc.errors()
    if any(p.get("type") == "missing" and tuple(p.get("loc", ())) == ("body",) for p in problems):
        return 400, "the request body is empty; send a JSON object"
    if any(tuple(p.get("loc", ())) == ("body",) and isinstance(p.get("input"), bytes) for p in problems):
        return 415, "the request body is not declared as JSON; send it with 'Content-Type: application/json'"
    if any(p.get("type") == "json_invalid" for p in problems):
        where: dict[str, Any] = next((p for p in problems if p.get("type") == "json_invalid"), {})
        reason = (where.get("ctx") or {}).get("error", "")
        return 400, f"the request body is not valid JSON{f' ({reason})' if reason else ''}; send a JSON object"
    parts = []
    for p in problems:
        loc = ".".join(str(x) for x in p.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {p.get('msg', 'invalid')}")
    return 422, "invalid request: " + "; ".join(parts)


def check_token(expected: str | None, given: str | None) -> None:
    if expected and not (given and secrets.compare_digest(given.encode(), expected.encode())):
        raise Unauthorized(f"this server requires its write token ({TOKEN_ENV}): send 'Authorization: Bearer <token>' "
                           "or 'X-StoryDesk-Token: <token>' (API), or fill in the token field (forms)")


def build_app(config: WebConfig) -> FastAPI:
    store = Store(config.db_url)
    runner = JobRunner(store, config.options)

    @asynccontextmanager
    async def lifespan(_app: Any) -> Any:
        yield
        runner.shutdown()
        store.close()

    app = FastAPI(title="StoryDesk", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Stories, their articles and their reports (the JSON contract of report/schema.json).")
    app.state.store, app.state.runner, app.state.config = store, runner, config

    for exc_type, status in STATUS.items():
        app.add_exception_handler(exc_type, lambda request, exc, status=status: error_response(request.url.path, status, str(exc)))
    app.add_exception_handler(RequestValidationError, lambda request, exc: error_response(request.url.path, *invalid_request(exc)))
    # Anything else is a bug: the same shape, no internals in the message; the traceback goes to the log.
    app.add_exception_handler(Exception, lambda request, exc: error_response(
        request.url.path, 500, f"internal error ({exc.__class__.__name__}); the server log has the details"))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema
    app.add_middleware(Security)
    app.add_middleware(BodyLimit, limits=config.limits)

    def writer(request: Request) -> None:
        bearer = request.headers.get("authorization", "")
        check_token(config.token, request.headers.get("x-storydesk-token") or (bearer[7:] if bearer.lower().startswith("bearer ") else None))

    def read_json(story_id: str, name: str, build: Any, media_type: str = "application/json") -> Response:
        """An API read: its body serialised once per run (`derived`), not per request."""
        return Response(derived(store, story_id, name, lambda r: json_body(build(r))), media_type=media_type)

    def read_page(story_id: str, name: str, build: Any) -> HTMLResponse:
        return HTMLResponse(derived(store, story_id, name, build))

    def queued(story_id: str, added: int) -> JSONResponse:
        return JSONResponse(jsonable({"added": added, "job": runner.submit(story_id)}), status_code=202)

    # ---- REST API

    @app.get("/api/stories", tags=["stories"])
    def api_stories() -> list[dict[str, Any]]:
        """Every stored story with its article count and latest analysis job."""
        return jsonable(story_rows(store))

    @app.post("/api/stories", tags=["stories"], status_code=201, dependencies=[Depends(writer)])
    def api_create_story(body: StoryIn) -> dict[str, Any]:
        """Create an empty story; add articles to it next."""
        return jsonable(jobs.create_story(store, body.name))

    @app.get("/api/stories/{story_id}", tags=["report"], response_model=dict[str, Any])
    def api_story(story_id: str) -> Response:
        """The story's latest report: the JSON contract (409 while it has none yet)."""
        return read_json(story_id, "report", lambda r: r)

    @app.get("/api/stories/{story_id}/status", tags=["stories"])
    def api_status(story_id: str) -> dict[str, Any]:
        """Counts and the latest analysis job: status (queued, running, done, failed), stage, done of total."""
        return jsonable(jobs.story_status(store, story_id))

    @app.get("/api/jobs/{job_id}", tags=["stories"])
    def api_job(job_id: int) -> dict[str, Any]:
        """One analysis job."""
        return jsonable(jobs.get_job(store, job_id))

    @app.post("/api/stories/{story_id}/articles", tags=["add"], status_code=202, dependencies=[Depends(writer)])
    def api_add_articles(story_id: str, body: ArticlesIn) -> JSONResponse:
        """Add pasted articles and URLs; the story is analysed again in the background."""
        docs = jobs.collect_documents(config.options, texts=[a.model_dump() for a in body.articles], urls=body.urls)
        return queued(story_id, jobs.add_documents(store, story_id, docs, config.limits))

    @app.post("/api/stories/{story_id}/files", tags=["add"], status_code=202, dependencies=[Depends(writer)])
    async def api_add_files(story_id: str, files: list[UploadFile] = File(..., description="HTML, text, JSON Lines, RSS/Atom, WARC, or .gz of those")) -> JSONResponse:
        """Upload files (multipart/form-data, field 'files'); the story is analysed again in the background."""
        uploads = [(f.filename or "", await f.read()) for f in files]
        return queued(story_id, jobs.add_documents(store, story_id, jobs.collect_documents(config.options, files=uploads), config.limits))

    @app.post("/api/stories/{story_id}/jsonl", tags=["add"], status_code=202, dependencies=[Depends(writer)],
              openapi_extra={"requestBody": {"content": {"application/x-ndjson": {"schema": {"type": "string"}}}, "required": True}})
    async def api_add_jsonl(story_id: str, request: Request) -> JSONResponse:
        """Add JSON Lines records ({"text" or "html", "url", "title", "published", "byline"} per line) as the body."""
        body = await request.body()
        if not body.strip():
            raise BadInput("the request body is empty; send JSON Lines, one article per line")
        docs = jobs.jsonl_documents(body, config.options)
        return queued(story_id, jobs.add_documents(store, story_id, docs, config.limits))

    @app.post("/api/stories/{story_id}/analyze", tags=["add"], status_code=202, dependencies=[Depends(writer)])
    def api_analyze(story_id: str) -> JSONResponse:
        """Analyse the story again over everything it holds."""
        jobs.rerun(store, story_id)
        return queued(story_id, 0)

    @app.get("/api/stories/{story_id}/articles", tags=["report"], response_model=list[dict[str, Any]])
    def api_articles(story_id: str) -> Response:
        """The story's articles without their text."""
        return read_json(story_id, "articles", lambda r: [article_summary(a) for a in r["articles"]])

    @app.get("/api/stories/{story_id}/articles/{article_id}", tags=["report"], response_model=dict[str, Any])
    def api_article(story_id: str, article_id: str) -> Response:
        """One article with its clean text, metadata, reliability and errors."""
        return read_json(story_id, f"article {article_id}", lambda r: find_article(r, article_id))

    @app.get("/api/stories/{story_id}/claims", tags=["report"], response_model=list[dict[str, Any]])
    def api_claims(story_id: str, kind: ClaimKind | None = None) -> Response:
        """Claims with their verdict; ?kind= keeps contradicted, changed, agreed (supported) or single-source ones."""
        return read_json(story_id, f"claims {kind}", lambda r: claims_view(r, kind))

    def report_key(key: str) -> Any:
        def handler(story_id: str) -> Response:
            return read_json(story_id, key, lambda r: r.get(key, []))
        return handler

    for key, doc in (("links", "Claim links: agree, contradict, changed_over_time, with explanations."),
                     ("entities", "Entities resolved across articles, with their mentions."),
                     ("quotes", "Quotes with speakers (who said what)."),
                     ("timeline", "Timeline entries: date, event, sources, evidence; empty until the timeline stage fills it."),
                     ("brief", "The brief: sentences with their citations; empty until the brief stage fills it.")):
        app.add_api_route(f"/api/stories/{{story_id}}/{key}", report_key(key), methods=["GET"], tags=["report"],
                          response_model=list[dict[str, Any]],
                          summary=f"Api {key.title()}", description=doc, name=f"api_{key}")

    @app.get("/api/stories/{story_id}/export/ftm", tags=["export"])
    def api_ftm(story_id: str) -> Response:
        """FollowTheMoney entities, one JSON object per line."""
        lines = derived(store, story_id, "ftm", lambda r: "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in to_ftm(r)))
        return Response(lines, media_type="application/x-ndjson")

    @app.get("/api/stories/{story_id}/export/claimreview", tags=["export"])
    def api_claimreview(story_id: str) -> Response:
        """schema.org ClaimReview objects (JSON-LD)."""
        return read_json(story_id, "claimreview", to_claimreview, media_type="application/ld+json")

    # ---- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return page("index.html.j2", stories=story_rows(store), token_required=bool(config.token))

    @app.post("/stories", include_in_schema=False)
    def create_story_form(name: str = Form(""), token: str = Form("")) -> RedirectResponse:
        check_token(config.token, token)
        return RedirectResponse(f"/stories/{jobs.create_story(store, name)['id']}/add", status_code=303)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> str:
        return page("docs.html.j2", ops=operations(app.openapi()), token_env=TOKEN_ENV)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> str:
        return page("story.html.j2", **story_page_context(store, story_id))

    @app.get("/stories/{story_id}/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(story_id: str) -> HTMLResponse:
        return read_page(story_id, "report page", render_html)

    @app.get("/stories/{story_id}/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page(story_id: str) -> str:
        return page("add.html.j2", status=jobs.story_status(store, story_id), limits=config.limits, token_required=bool(config.token))

    @app.post("/stories/{story_id}/add", include_in_schema=False)
    async def add_form(story_id: str, text: str = Form(""), title: str = Form(""), url: str = Form(""), published: str = Form(""),
                       byline: str = Form(""), urls: str = Form(""), token: str = Form(""),
                       files: list[UploadFile] = File(default_factory=list)) -> RedirectResponse:
        check_token(config.token, token)
        texts = [{"text": text, "title": title, "url": url, "published": published, "byline": byline}] if text.strip() else []
        uploads = [(f.filename or "", await f.read()) for f in files]
        docs = jobs.collect_documents(config.options, texts=texts, urls=urls.split(), files=uploads)
        jobs.add_documents(store, story_id, docs, config.limits)
        runner.submit(story_id)
        return RedirectResponse(f"/stories/{story_id}", status_code=303)

    @app.get("/stories/{story_id}/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(story_id: str) -> HTMLResponse:
        return read_page(story_id, "articles page", lambda r: page("articles.html.j2", r=r))

    @app.get("/stories/{story_id}/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(story_id: str, article_id: str, start: int | None = None, end: int | None = None) -> HTMLResponse:
        return read_page(story_id, f"article page {article_id} {start} {end}",
                         lambda r: page("article.html.j2", **article_page_context(r, article_id, start, end)))

    @app.get("/stories/{story_id}/contradictions", response_class=HTMLResponse, include_in_schema=False)
    def contradictions_page(story_id: str) -> HTMLResponse:
        return read_page(story_id, "contradictions page", lambda r: page(
            "contradictions.html.j2", r=r, items=views.contradiction_view(r), figures=disputed_figures(r)))

    @app.get("/stories/{story_id}/contradictions/{n}", response_class=HTMLResponse, include_in_schema=False)
    def contradiction_page(story_id: str, n: int) -> HTMLResponse:
        return read_page(story_id, f"contradiction page {n}", lambda r: page(
            "contradiction.html.j2", r=r, item=pick(views.contradiction_view(r), n, story_id)))

    @app.get("/stories/{story_id}/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(story_id: str) -> HTMLResponse:
        return read_page(story_id, "quotes page", lambda r: page("quotes.html.j2", r=r, quotes=views.quote_view(r)))

    @app.get("/stories/{story_id}/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(story_id: str) -> HTMLResponse:
        return read_page(story_id, "entities page", lambda r: page("entities.html.j2", r=r, entities=views.entity_view(r)))

    @app.get("/stories/{story_id}/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(story_id: str) -> HTMLResponse:
        return read_page(story_id, "timeline page", lambda r: page("timeline.html.j2", r=r, t=views.timeline_view(r)))

    return app


def pick(items: list[dict[str, Any]], n: int, story_id: str) -> dict[str, Any]:
    if 1 <= n <= len(items):
        return items[n - 1]
    raise NotFound(f"story {story_id!r} has {len(items)} contradiction(s), not #{n}; /stories/{story_id}/contradictions lists them")


def jsonable(value: Any) -> Any:
    """Rows with datetimes as ISO strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v)))

