"""The one place that talks to the database. See `store.db`."""

from .db import Store

__all__ = ["Store"]
