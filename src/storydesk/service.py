"""Analyse a pile and publish a story: the one sequence the CLI, the web jobs and batch mode share.

`analyse` turns documents (or articles built already, as a batch worker receives them) into an
analysed Story; `publish` stores it and writes its outputs. Keeping both here means a rule about a
run holds for every way a run is started: the same files in every output folder (report.json, .html
and .md, the FollowTheMoney and ClaimReview exports, each written whole), and a run that analysed
nothing never replaces a good report, on disk or in the store. The shells around it (run.py's
progress and summary, the web job's progress rows, the batch client's bookkeeping) only report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Article, RawDocument, Story, stable_id
from .options import Options
from .store import Store

# Everything a published story's output folder holds (besides a database the caller may keep there).
OUTPUT_FILES = ("report.json", "report.html", "report.md", "report.ftm.jsonl", "claimreview.jsonld")


def default_db_url(out: Path) -> str:
    """The SQLite file `analyze --out DIR` writes and `serve --out DIR` and `batch --out DIR` read."""
    return f"sqlite:///{(out / 'storydesk.sqlite').resolve()}"


def story_identity(paths: list[str], options: Options) -> tuple[str, str]:
    """(id, name) of the story a pile of paths makes: `--story`, else the first path's name; the id
    follows from the name, so re-running on the same story updates it instead of adding another."""
    from .pipeline import story_name

    name = story_name(paths, options)
    return stable_id("story", name), name


def analyse(
    story_id: str,
    name: str,
    *,
    documents: Iterable[RawDocument] = (),
    articles: Iterable[Article] = (),
    on_document: Callable[[Article], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Story:
    """Every stage over one story: the documents are read into articles (identical texts kept once,
    each error a line on stderr), `articles` are taken as they are (a batch worker gets them built
    and deduplicated by the client), and the Story comes back with every stage's results."""
    from .pipeline import build_articles, run_stages

    story = Story(id=story_id, name=name, articles=[*build_articles(documents, on_document), *articles])
    return run_stages(story, on_stage)


def analysed_count(story: Story) -> int:
    """Articles the stages could read: text, in English (or of no known language)."""
    return sum(1 for a in story.articles if a.text and a.language in (None, "en"))


@dataclass(frozen=True, slots=True)
class Published:
    """What `publish` did, for the caller to report."""

    analysed: int
    run_id: int | None = None  # the stored run; None when the store kept what it had
    files: dict[str, Path] = field(default_factory=dict)  # the outputs written, by kind
    kept: bool = False  # nothing was analysed, so the good outputs already there were left as they were


def publish(story: Story, store: Store | str, out: Path | None = None, *, report: dict[str, Any] | None = None) -> Published:
    """Store the story's run and write its outputs into `out` (none when `out` is None: the web app
    serves from the store). `store` is a Store, or a database URL opened only when something is
    stored; `report` is the story's validated report when the caller built it already.

    A run that analysed no article replaces nothing that is good: when `out` already holds outputs
    they are left as they were and nothing is stored (a mistyped path must not wipe a report), and
    the store gets the empty run only when the story has no report yet."""
    from .report.render import build_report

    analysed = analysed_count(story)
    if not analysed and out is not None and has_outputs(out):
        return Published(analysed, kept=True)
    report = report if report is not None else build_report(story)
    db = Store(store) if isinstance(store, str) else store
    try:
        run_id = db.save(story, report) if analysed or db.report(story.id) is None else None
    finally:
        if isinstance(store, str):
            db.close()
    files = write_files(report, out) if out is not None else {}
    return Published(analysed, run_id, files, kept=run_id is None and not files)


def write_files(report: dict[str, Any], out: Path, *, missing_only: bool = False) -> dict[str, Path]:
    """Every output of one story into `out`, each file written whole; with `missing_only`, only when
    one of them is missing (a batch story whose report is reused, written before the exports were)."""
    from .report.export import write_exports
    from .report.render import write_reports

    if missing_only and all((out / name).exists() for name in OUTPUT_FILES):
        return {}
    return write_reports(report, out) | write_exports(report, out)


def has_outputs(out: Path) -> bool:
    return any((out / name).exists() for name in OUTPUT_FILES)
