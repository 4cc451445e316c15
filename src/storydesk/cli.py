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
    allow_private_urls: Annotated[bool, typer.Option("--allow-private-urls", help="Let URLs reach private, loopback and link-local addresses (an intranet page, a local test server).")] = False,
) -> None:
    """Analyse articles and write the reports. Exit 0 when at least one article was analysed, 2 when none."""
    from .options import MB, Options
    from .run import run_analysis

    options = Options(story=story, db_url=db, max_bytes=int(max_mb * MB), progress=not quiet, allow_private_urls=allow_private_urls)
    analysed = run_analysis(paths, out, options)
    raise typer.Exit(0 if analysed else 2)


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, JSONL, feeds, WARC archives: everything collected.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for stories.json, index.html and stories/<id>/ (each story's reports and exports).")] = Path("out"),
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL; default: SQLite file in the out folder.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", help="Local Dask worker processes; default: one per core.")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:PORT) instead of local workers.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip documents an earlier (perhaps killed) run already recorded.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest document to read, in MB.")] = 20.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    allow_private_urls: Annotated[bool, typer.Option("--allow-private-urls", help="Let URLs reach private, loopback and link-local addresses (an intranet page, a local test server).")] = False,
    partition_size: Annotated[int, typer.Option("--partition-size", hidden=True, min=1, help="Documents per Dask task.")] = 32,
) -> None:
    """Split a large collection into stories and analyse each, on Dask. Exit 0 when at least one story was analysed or reused."""
    from .options import MB, Options
    from .scale.progress import batch_progress

    if workers is not None and scheduler:
        typer.echo("storydesk: give --workers or --scheduler, not both", err=True)
        raise typer.Exit(2)
    if workers is not None and workers < 1:
        typer.echo("storydesk: --workers must be at least 1", err=True)
        raise typer.Exit(2)
    try:
        from .scale import run_batch
    except ImportError as exc:
        typer.echo(f"storydesk: batch mode needs the 'scale' extra: pip install 'storydesk[scale]' ({exc.name} is missing)", err=True)
        raise typer.Exit(1) from exc
    options = Options(db_url=db, max_bytes=int(max_mb * MB), allow_private_urls=allow_private_urls)
    from .store import LedgerError

    try:
        with batch_progress(enabled=not quiet) as tick:
            result = run_batch(paths, out, options, workers=workers, scheduler=scheduler, resume=resume, partition_size=partition_size, progress=tick)
    except LedgerError as exc:
        typer.echo(f"storydesk: {exc}", err=True)
        raise typer.Exit(2) from exc
    if not quiet:
        typer.echo(
            f"{len(result.stories)} stories ({result.analysed_stories} analysed, {result.reused_stories} unchanged) from "
            f"{result.documents} new documents ({result.skipped} already recorded), {len(result.errors)} with errors, "
            f"in {result.seconds:.1f} s; index: {out / 'index.html'}",
            err=True,
        )
    raise typer.Exit(0 if result.stories else 2)


@app.command()
def serve(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder whose storydesk.sqlite to serve, when --db is not given.")] = Path("out"),
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL; default: SQLite file in the out folder (created if missing).")] = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on; 0.0.0.0 exposes the UI to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    allow_private_urls: Annotated[bool, typer.Option("--allow-private-urls", help="Let added URLs reach private, loopback and link-local addresses.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest request body (upload) and document, in MB.")] = 20.0,
    max_documents: Annotated[int, typer.Option("--max-documents", help="Most input documents one story may hold.")] = 500,
    max_per_request: Annotated[int, typer.Option("--max-per-request", help="Most documents one request may add.")] = 200,
) -> None:
    """Browse, create and grow stories in a local web UI with a REST API (needs the web extra).

    Writes need a token when the environment variable STORYDESK_TOKEN is set.
    """
    import os

    from .web.jobs import Limits
    from .options import MB, Options
    from .service import default_db_url
    from .web import serve as serve_web
    from .web.app import TOKEN_ENV

    if db is None:
        out.mkdir(parents=True, exist_ok=True)
    if host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get(TOKEN_ENV):
        typer.echo(f"storydesk: warning: listening on {host} without {TOKEN_ENV}: anyone who can reach the port can add articles", err=True)
    options = Options(max_bytes=int(max_mb * MB), allow_private_urls=allow_private_urls)
    limits = Limits(max_request_bytes=int(max_mb * MB), max_documents=max_documents, max_per_request=max_per_request)
    url = db or default_db_url(out)
    typer.echo(f"storydesk: serving {url} at http://{host}:{port}/ (API: http://{host}:{port}/docs)", err=True)
    try:
        serve_web(url, host, port, options=options, limits=limits)
    except RuntimeError as exc:
        typer.echo(f"storydesk: {exc}", err=True)
        raise typer.Exit(1) from exc


if __name__ == "__main__":
    app()
