"""One `storydesk analyze` run: a progress bar while the pile is read, then the summary and exit status.

The work itself (analyse, store, write every output) is `service.analyse` and `service.publish`,
which the web jobs and batch mode call too; this module is only what a terminal shows around it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .ingest import count_inputs, read_inputs
from .options import Options
from .service import analyse, default_db_url, publish, story_identity


def run_analysis(paths: list[str], out: Path, options: Options) -> int:
    """Returns how many articles were analysed (readable text, no fatal error)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, quiet=not options.progress)
    total = count_inputs(paths)
    story_id, name = story_identity(paths, options)
    with Progress(
        TextColumn("[bold]reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
        console=console, disable=not options.progress or total <= 1, transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        story = analyse(story_id, name, documents=read_inputs(paths, options),
                        on_document=lambda art: progress.update(task, advance=1, description=art.source[-40:]))
    out.mkdir(parents=True, exist_ok=True)
    done = publish(story, options.db_url or default_db_url(out), out)
    if done.kept:
        print(f"storydesk: no article could be analysed; see the errors above. The reports already in {out} "
              "were left as they were", file=sys.stderr)
        return 0
    failed = sum(1 for a in story.articles if not a.text)
    console.print(f"[green]{done.analysed}[/] article(s) analysed, [red]{failed}[/] unreadable; reports: {', '.join(str(p) for p in done.files.values())}")
    if not done.analysed:
        print("storydesk: no article could be analysed; see the errors above", file=sys.stderr)
    return done.analysed
