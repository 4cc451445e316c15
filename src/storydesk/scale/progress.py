"""The batch progress display: one bar over documents (total unknown while streaming), one over stories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .batch import Progress


@contextmanager
def batch_progress(enabled: bool = True) -> Iterator[Progress]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, quiet=not enabled)
    with Bars(TextColumn("[bold]{task.description:<9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
              console=console, disable=not enabled, transient=False) as bars:
        tasks = {"articles": bars.add_task("documents", total=None), "stories": bars.add_task("stories", total=None, visible=False)}

        def tick(kind: str, advance: int, total: int | None) -> None:
            if total is not None:
                bars.update(tasks[kind], total=total, visible=True)
            bars.update(tasks[kind], advance=advance)

        yield tick
