"""The one place that talks to the database: `Store`, over one SQLAlchemy engine.

SQLite by default (a file beside the report, WAL mode), PostgreSQL by URL. The store is split by what
it holds, each part a module: `schema` (tables and numbered migrations), `runs` (stories, articles,
runs and their reports, read once per run through `cache`), `documents` (the web app's input
documents and jobs) and `ledger` (batch mode's record for `--resume`, with `features`, the safe
encoding of clustering features). `Store` joins the parts into the one small interface callers use.
"""

from __future__ import annotations

from .cache import Memo
from .documents import Documents
from .ledger import Ledger, LedgerEntry, LedgerError
from .runs import DERIVED_KEPT, REPORTS_KEPT, Runs
from .schema import open_engine

__all__ = ["LedgerEntry", "LedgerError", "Store"]


class Store(Runs, Documents, Ledger):
    """Every part of the store over one engine (one connection pool, one migrated schema)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._reports = Memo(REPORTS_KEPT)
        self._derived = Memo(DERIVED_KEPT)
        self.engine = open_engine(url)

    def close(self) -> None:
        self.engine.dispose()
