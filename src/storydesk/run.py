"""One analysis run as the CLI and the web app start it: analyse, validate, store, write, summarise.

Kept out of cli.py so the command stays a thin shell and the same sequence is reusable.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .ingest import count_inputs
from .options import Options
from .pipeline import analyze
from .report.export import write_exports
from .report.render import build_report, write_reports
from .store import Store


# Everything `analyze` writes into its output folder besides the database.
REPORT_FILES = ("report.json", "report.html", "report.md", "report.ftm.jsonl", "claimreview.jsonld")


def default_db_url(out: Path) -> str:
    return f"sqlite:///{(out / 'storydesk.sqlite').resolve()}"


def run_analysis(paths: list[str], out: Path, options: Options) -> int:
    """Returns how many articles were analysed (readable text, no fatal error)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, quiet=not options.progress)
    total = count_inputs(paths)
    with Progress(
        TextColumn("[bold]reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
        console=console, disable=not options.progress or total <= 1, transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        story = analyze(paths, options, on_document=lambda art: progress.update(task, advance=1, description=art.source[-40:]))
    report = build_report(story)
    analysed = sum(1 for a in story.articles if a.text and a.language in (None, "en"))
    failed = [a for a in story.articles if not a.text]
    out.mkdir(parents=True, exist_ok=True)
    if not analysed and _has_report(out):
        # A mistyped path must not wipe a good report: a run that analysed nothing replaces nothing.
        print(f"storydesk: no article could be analysed; see the errors above. The reports already in {out} "
              "were left as they were", file=sys.stderr)
        return 0
    store = Store(options.db_url or default_db_url(out))
    try:
        if analysed or store.report(story.id) is None:
            store.save(story, report)
    finally:
        store.close()
    written = write_reports(report, out)
    written |= write_exports(report, out)
    console.print(f"[green]{analysed}[/] article(s) analysed, [red]{len(failed)}[/] unreadable; reports: {', '.join(str(p) for p in written.values())}")
    if not analysed:
        print("storydesk: no article could be analysed; see the errors above", file=sys.stderr)
    return analysed


def _has_report(out: Path) -> bool:
    return any((out / name).exists() for name in REPORT_FILES)
