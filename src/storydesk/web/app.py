"""The local web UI and REST API: thin handlers over `Store` and the report functions.

Everything shown comes from the stored reports, so the browser sees exactly what report.json holds.
Article text is hostile input: pages are Jinja2 with autoescaping on, highlights are built by
splitting the text at span boundaries and escaping each piece, and every response carries a CSP that
allows no script at all and no asset from anywhere (inline styles only, for the shared report page).
FastAPI and uvicorn are the `web` extra, imported only when an app is built.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from ..report.export import VERDICTS, claim_verdicts, to_claimreview, to_ftm
from ..report.render import render_html
from ..store import Store

if TYPE_CHECKING:
    from fastapi import FastAPI
    from jinja2 import Environment

EXTRA_HINT = "the web UI needs the 'web' extra: pip install 'storydesk[web]'"

# No script-src (so no script runs, inline or not), no network fetches, no framing, no form posts.
# Inline styles stay allowed because the report page shares report.html's self-contained template.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

# ?kind= values of the claims endpoint -> the verdict names of report.export.claim_verdicts.
CLAIM_KINDS = {"contradict": "contradicted", "changed": "changed", "agree": "supported", "single": "single"}
ClaimKind = Literal["contradict", "changed", "agree", "single"]


class NotFound(Exception):
    """An unknown story or article id; the message says where to look instead."""


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise RuntimeError(f"{EXTRA_HINT} ({module} is not installed)") from exc


@lru_cache(maxsize=1)
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader

    return Environment(loader=PackageLoader("storydesk.web", "templates"), autoescape=True)


def page(template: str, **context: Any) -> str:
    return _env().get_template(template).render(**context)


# ---- library side: plain functions over the store and the report, shared by JSON and HTML routes

def story_rows(store: Store) -> list[dict[str, Any]]:
    return [{**s, "articles": store.article_count(s["id"])} for s in store.stories()]


def load_report(store: Store, story_id: str) -> dict[str, Any]:
    report = store.report(story_id)
    if report is None:
        raise NotFound(f"no story with id {story_id!r}; GET /api/stories lists the stored stories")
    return report


def find_article(report: dict[str, Any], article_id: str) -> dict[str, Any]:
    for art in report["articles"]:
        if art["id"] == article_id:
            return art
    raise NotFound(f"story {report['story']['id']!r} has no article {article_id!r}; "
                   f"GET /api/stories/{report['story']['id']}/articles lists its articles")


def article_summary(art: dict[str, Any]) -> dict[str, Any]:
    """An article without its text and source map: the list view stays small on big stories."""
    return {k: v for k, v in art.items() if k not in ("text", "source_map")} | {"chars": len(art["text"])}


def claims_view(report: dict[str, Any], kind: str | None) -> list[dict[str, Any]]:
    verdicts = claim_verdicts(report)
    empty = {"verdict": None, "sources": 1, "explanations": [], "related": []}
    rows = [{**c, **verdicts.get(c["id"], empty)} for c in report["claims"]]
    return [r for r in rows if kind is None or r["verdict"] == CLAIM_KINDS[kind]]


def article_marks(report: dict[str, Any], art: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, tooltip) for the article's claims, quotes and reliability flags."""
    verdicts = claim_verdicts(report)
    marks = []
    for c in report["claims"]:
        if c["article"] == art["id"]:
            v = verdicts.get(c["id"])
            label = VERDICTS[v["verdict"]][1].format(n=v["sources"]) if v else "claim (opinion)"
            marks.append((*c["span"], f"claim claim-{v['verdict'] if v else 'opinion'}", f"claim: {label}"))
    for q in report["quotes"]:
        if q["article"] == art["id"]:
            marks.append((*q["span"], "quote", f"quote ({q['kind']}): {q['speaker']}"))
    for flag in (art.get("reliability") or {}).get("flags", []):
        if flag.get("span"):
            marks.append((*flag["span"], "flag", f"flag: {flag.get('explanation', flag.get('kind', ''))}"))
    return marks


def highlight(text: str, marks: list[tuple[int, int, str, str]]) -> list[dict[str, str]]:
    """Split text at every span boundary; each piece carries the classes and tooltips covering it.

    Pieces stay plain strings (the template escapes them), so overlapping or nested spans can never
    produce broken or injected markup. Out-of-range spans are clipped, empty ones ignored.
    """
    n = len(text)
    clipped = [(max(0, min(s, n)), max(0, min(e, n)), cls, tip) for s, e, cls, tip in marks]
    clipped = [m for m in clipped if m[0] < m[1]]
    bounds = sorted({0, n, *(m[0] for m in clipped), *(m[1] for m in clipped)})
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        covering = [m for m in clipped if m[0] <= a and b <= m[1]]
        classes = sorted({c for m in covering for c in m[2].split()})
        tips = list(dict.fromkeys(m[3] for m in covering))
        pieces.append({"text": text[a:b], "classes": " ".join(classes), "title": "; ".join(tips)})
    return pieces


def safe_href(url: str | None) -> str | None:
    """Only http(s) links become clickable; anything else (javascript:, data:) is shown as text."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


# ---- the app: every handler is a line or three over the functions above

def create_app(db_url: str) -> FastAPI:
    """A FastAPI app over the store at `db_url` (the URL `storydesk analyze --db` wrote to)."""
    _require("fastapi")
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse, JSONResponse, Response

    store = Store(db_url)

    @asynccontextmanager
    async def lifespan(_app: Any) -> Any:
        yield
        store.close()

    app = FastAPI(title="StoryDesk", docs_url=None, redoc_url=None, lifespan=lifespan)

    @app.middleware("http")
    async def security_headers(request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(NotFound)
    async def not_found(request, exc):  # type: ignore[no-untyped-def]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return HTMLResponse(page("error.html.j2", message=str(exc)), status_code=404)

    @app.get("/api/stories")
    def api_stories() -> list[dict[str, Any]]:
        return story_rows(store)

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: str) -> dict[str, Any]:
        return load_report(store, story_id)

    @app.get("/api/stories/{story_id}/articles")
    def api_articles(story_id: str) -> list[dict[str, Any]]:
        return [article_summary(a) for a in load_report(store, story_id)["articles"]]

    @app.get("/api/stories/{story_id}/articles/{article_id}")
    def api_article(story_id: str, article_id: str) -> dict[str, Any]:
        return find_article(load_report(store, story_id), article_id)

    @app.get("/api/stories/{story_id}/claims")
    def api_claims(story_id: str, kind: ClaimKind | None = None) -> list[dict[str, Any]]:
        return claims_view(load_report(store, story_id), kind)

    @app.get("/api/stories/{story_id}/export/ftm")
    def api_ftm(story_id: str) -> Any:
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in to_ftm(load_report(store, story_id)))
        return Response(lines, media_type="application/x-ndjson")

    @app.get("/api/stories/{story_id}/export/claimreview")
    def api_claimreview(story_id: str) -> Any:
        return JSONResponse(to_claimreview(load_report(store, story_id)), media_type="application/ld+json")

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return page("index.html.j2", stories=story_rows(store))

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(story_id: str) -> str:
        return render_html(load_report(store, story_id))

    @app.get("/stories/{story_id}/articles", response_class=HTMLResponse)
    def articles_page(story_id: str) -> str:
        return page("articles.html.j2", r=load_report(store, story_id))

    @app.get("/stories/{story_id}/articles/{article_id}", response_class=HTMLResponse)
    def article_page(story_id: str, article_id: str) -> str:
        report = load_report(store, story_id)
        art = find_article(report, article_id)
        pieces = highlight(art["text"], article_marks(report, art))
        return page("article.html.j2", r=report, a=art, pieces=pieces, href=safe_href(art.get("url")))

    return app


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the UI with uvicorn; local by default, since the store holds unpublished material."""
    uvicorn = _require("uvicorn")
    uvicorn.run(create_app(db_url), host=host, port=port)
