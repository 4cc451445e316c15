"""The web UI and REST API: thin handlers (web/routes.py) over plain functions here, in web/views.py,
in `web/jobs.py` and in `Store`.

Reading: everything shown comes from the stored reports, so the browser sees exactly what report.json
holds. Writing: a story is created, documents are added (pasted text, uploads, JSON Lines, URLs) and
the analysis runs in the background (`web/jobs.py`); the status endpoint and the story page show
its progress (the page refreshes itself with a meta refresh while a job runs; no script needed).

Article text and metadata are hostile input. Pages are Jinja2 with autoescaping on (no `|safe`
anywhere); highlights are built by splitting the text at span boundaries and escaping each piece;
links are made only from http(s) URLs; no JSON is embedded in pages. Every response carries a CSP
that allows no script at all (inline or not) and no asset from anywhere else: inline styles only,
forms posting to this server only, no framing. The timeline chart is inline SVG built server side.

OpenAPI: /openapi.json is the machine-readable API; /docs is a server-rendered list of the operations
built from it. FastAPI's own /docs page (Swagger UI) is not used: it loads its script and styles
from a CDN, which fails offline and would need the CSP relaxed for script.

Limits (`web.jobs.Limits`): request body size (413, checked before reading when Content-Length is sent
and while streaming otherwise), documents per request and per story (413, naming the limit and how
to split). An optional token (environment variable STORYDESK_TOKEN, or `create_app(token=...)`)
guards every write; reads stay open, so bind to 127.0.0.1 (the default) unless the stories may be
read by anyone who can reach the port. URL fetching refuses private addresses unless the server
runs with --allow-private-urls (see ingest/web.py).

FastAPI and uvicorn are the `web` extra, imported only when an app is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from ..labels import article_label, article_name, quoted
from ..options import Options
from ..report.export import VERDICTS, claim_verdicts
from ..store import Store
from . import views
from .jobs import Limits, NotFound, story_status

if TYPE_CHECKING:
    from jinja2 import Environment

EXTRA_HINT = "the web UI needs the 'web' extra: pip install 'storydesk[web]'"
TOKEN_ENV = "STORYDESK_TOKEN"

# No script-src (so no script runs, inline or not), no network fetches, no framing; forms post here only.
# Inline styles stay allowed because the report page shares report.html's self-contained template.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "X-Frame-Options": "DENY"}

# ?kind= values of the claims endpoint -> the verdict names of report.export.claim_verdicts.
CLAIM_KINDS = {"contradict": "contradicted", "changed": "changed", "agree": "supported", "single": "single"}
ClaimKind = Literal["contradict", "changed", "agree", "single"]

__all__ = ["NotFound", "NotReady", "WebConfig"]


class NotReady(Exception):
    """A story that exists but has no report yet (its first analysis has not finished)."""


@dataclass(frozen=True, slots=True)
class WebConfig:
    db_url: str
    options: Options = field(default_factory=Options)
    limits: Limits = field(default_factory=Limits)
    token: str | None = None


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise RuntimeError(f"{EXTRA_HINT} ({module} is not installed)") from exc


@lru_cache(maxsize=1)
def _env() -> Environment:
    from jinja2 import ChoiceLoader, Environment, PackageLoader

    # The report's templates come second: the timeline page draws the same chart macro as report.html.
    loader = ChoiceLoader([PackageLoader("storydesk.web", "templates"), PackageLoader("storydesk.report", "templates")])
    env = Environment(loader=loader, autoescape=True)
    env.globals.update(label=article_label, short_name=lambda a: article_name(a.get("title"), a.get("text"), a["source"]))
    env.filters["quoted"] = quoted
    return env


def page(template: str, **context: Any) -> str:
    return _env().get_template(template).render(**context)


# ---- library side: plain functions over the store and the report, shared by JSON and HTML routes

def story_rows(store: Store) -> list[dict[str, Any]]:
    rows = []
    for s in store.stories():
        job = store.latest_job(s["id"])
        rows.append({**s, "articles": store.article_count(s["id"]), "has_report": store.has_report(s["id"]),
                     "job": {"id": job["id"], "status": job["status"]} if job else None})
    return rows


def load_report(store: Store, story_id: str) -> dict[str, Any]:
    report = store.report(story_id)
    if report is None:
        if store.story(story_id) is not None:
            raise NotReady(f"story {story_id!r} has no report yet: add articles to it, then follow "
                           f"GET /api/stories/{story_id}/status until its job is done")
        raise NotFound(f"no story with id {story_id!r}; GET /api/stories lists the stored stories")
    return report


def derived(store: Store, story_id: str, name: str, build: Callable[[dict[str, Any]], Any]) -> Any:
    """What a read route makes of the story's latest report (a page, an API body), made once per run
    and shared (`Store.derived`): the report is parsed and the page rendered once, not per request.
    `build` must not change the report. NotFound / NotReady as `load_report`."""
    value = store.derived(story_id, name, build)
    return value if value is not None else build(load_report(store, story_id))


def json_body(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it, so a body made once reads the same as before."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


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
    empty: dict[str, Any] = {"verdict": None, "sources": 1, "explanations": [], "related": []}
    rows = [{**c, **verdicts.get(c["id"], empty)} for c in report["claims"]]
    return [r for r in rows if kind is None or r["verdict"] == CLAIM_KINDS[kind]]


def article_marks(report: dict[str, Any], art: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, tooltip) for the article's claims, quotes and reliability flags."""
    verdicts = claim_verdicts(report)
    marks = []
    for c in report["claims"]:
        if c["article"] == art["id"]:
            v = verdicts.get(c["id"])
            label = VERDICTS[v["verdict"]][1].format(n=v["sources"]) if v else ("opinion" if c.get("opinion") else "no verdict")
            marks.append((*c["span"], f"claim {views.claim_class(c, v)}", f"claim: {label}"))
    for q in report["quotes"]:
        if q["article"] == art["id"]:
            marks.append((*q["span"], "quote", f"quote ({q['kind']}): {q['speaker']}"))
    for flag in (art.get("reliability") or {}).get("flags", []):
        if flag.get("span"):
            marks.append((*flag["span"], "flag", f"flag: {flag.get('explanation', flag.get('kind', ''))}"))
    return marks


def highlight(text: str, marks: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """Split text at every span boundary; each piece carries the classes and tooltips covering it.

    Pieces stay plain strings (the template escapes them), so overlapping or nested spans can never
    produce broken or injected markup. Out-of-range spans are clipped, empty ones ignored. A piece
    also carries `note`, the number of the narrowest mark covering it (its entry in `mark_notes`,
    which a tap on the piece opens: tooltips alone are unreachable on a touch screen), and `starts`,
    the numbers of the marks that begin at it (the notes' links back into the text).
    """
    n = len(text)
    clipped = [(max(0, min(s, n)), max(0, min(e, n)), cls, tip) for s, e, cls, tip in marks]
    clipped = sorted(m for m in clipped if m[0] < m[1])
    bounds = sorted({0, n, *(m[0] for m in clipped), *(m[1] for m in clipped)})
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        covering = [k for k, m in enumerate(clipped) if m[0] <= a and b <= m[1]]
        classes = sorted({c for k in covering for c in clipped[k][2].split()})
        tips = list(dict.fromkeys(clipped[k][3] for k in covering))
        note = min(covering, key=lambda k: (clipped[k][1] - clipped[k][0], k)) + 1 if covering else None
        pieces.append({"text": text[a:b], "classes": " ".join(classes), "title": "; ".join(tips), "note": note,
                       "starts": [k + 1 for k in covering if clipped[k][0] == a]})
    return pieces


def mark_notes(text: str, marks: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """The marks as a numbered list under the text, in `highlight`'s numbering: what each one means
    and the words it covers, so every tooltip's content is also on the page for a tap or a keyboard."""
    n = len(text)
    clipped = sorted(m for m in ((max(0, min(s, n)), max(0, min(e, n)), cls, tip) for s, e, cls, tip in marks) if m[0] < m[1])
    return [{"n": k, "classes": cls, "label": tip, "text": text[s:e]} for k, (s, e, cls, tip) in enumerate(clipped, 1)]


def safe_href(url: str | None) -> str | None:
    """Only http(s) links become clickable; anything else (javascript:, data:) is shown as text."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def article_page_context(report: dict[str, Any], article_id: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    """The article page: highlighted text, plus the cited span (?start=&end=) marked 'cited' with an anchor."""
    art = find_article(report, article_id)
    marks = article_marks(report, art)
    if start is not None and end is not None and 0 <= start < end:
        marks.append((start, end, "cited", "cited passage"))
    pieces = highlight(art["text"], marks)
    first_cited = next((i for i, p in enumerate(pieces) if "cited" in p["classes"].split()), None)
    return {"r": report, "a": art, "pieces": pieces, "href": safe_href(art.get("url")), "first_cited": first_cited,
            "notes": mark_notes(art["text"], marks), "flags": views.article_flags(art),
            "number": next(i for i, a in enumerate(report["articles"], 1) if a["id"] == art["id"])}


def story_page_context(store: Store, story_id: str) -> dict[str, Any]:
    """The overview: status always (it changes while a job runs); brief, counts and reliability
    ranking, made once per run, once a report exists."""
    status = story_status(store, story_id)
    context: dict[str, Any] = {"status": status, "r": None, "story": status["story"]}
    made = store.derived(story_id, "overview", lambda report: {
        "r": report, "counts": views.counts(report), "brief": views.brief_view(report), "reliability": views.reliability_view(report)})
    return context | (made or {})


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI document as a flat list for the /docs page: method, path, summary, parameters, body types."""
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body = (op.get("requestBody") or {}).get("content", {})
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "tag": (op.get("tags") or ["other"])[0],
                        "params": [f"{p['name']} ({p['in']})" for p in op.get("parameters", [])], "body": sorted(body)})
    return ops


# What each API error means, by status: /openapi.json lists, for every operation, the ones it can answer.
ERRORS = {
    400: "The body is empty, not JSON (or not JSON Lines), or holds nothing to add.",
    401: "This server requires its write token (STORYDESK_TOKEN).",
    403: "A write from another site's page (a foreign Origin).",
    404: "No such story, article, job or contradiction.",
    409: "The story has no report yet: its first analysis has not finished.",
    413: "The body or the documents are over a limit (--max-mb, --max-documents, --max-per-request).",
    415: "The body is not declared as JSON: send Content-Type: application/json.",
    422: "JSON of the wrong shape, or an invalid path or query parameter; the message names each field.",
    500: "An unexpected failure; the server log has the details.",
}
ERROR_SCHEMA = {"title": "Error", "type": "object", "required": ["detail"], "additionalProperties": False,
                "properties": {"detail": {"title": "Detail", "type": "string", "description": "What went wrong, and what to do."}}}


def document_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every operation's error answers in the one shape they all have,
    `{"detail": str}` (FastAPI documents only a 422 with its own list-of-errors schema, which this
    API never sends). Which codes an operation lists follows from what it is: a write may be refused
    (401, 403, 413, and 400 for its body), a path naming a story or job may name none (404), a read
    of a report may come before the first analysis (409)."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            codes = {500}
            if method == "post":
                codes |= {400, 401, 403, 413, 422}
                codes |= {415} if "application/json" in (op.get("requestBody") or {}).get("content", {}) else set()
            if "{" in path:
                codes |= {404, 422}
            if method == "get" and (op.get("tags") or [""])[0] in ("report", "export"):
                codes.add(409)
            if op.get("parameters"):
                codes.add(422)
            responses = op.setdefault("responses", {})
            for code in sorted(codes):
                responses[str(code)] = {"description": ERRORS[code],
                                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return spec

