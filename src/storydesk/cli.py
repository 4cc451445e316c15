"""Command line: a thin shell over `storydesk.analyze` and the report writers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read a pile of articles about one story and report on it.")


@app.callback()
def main() -> None:
    """StoryDesk: agreement, contradiction, quotes, reliability and timeline across news articles."""


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), URLs, or - for standard input.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.json, report.html, report.md.")] = Path("out"),
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL; default: SQLite file in the out folder.")] = None,
    story: Annotated[Optional[str], typer.Option("--story", help="Story name; default: the first path's name.")] = None,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest document to read, in MB.")] = 20.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Analyse articles and write the reports. Exit 0 when at least one article was analysed, 2 when none."""
    from .options import MB, Options
    from .run import run_analysis

    options = Options(story=story, db_url=db, max_bytes=int(max_mb * MB), progress=not quiet)
    analysed = run_analysis(paths, out, options)
    raise typer.Exit(0 if analysed else 2)


if __name__ == "__main__":
    app()
