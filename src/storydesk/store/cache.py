"""Reads computed once: a bounded, thread-safe memo for what is read from a stored run.

A run's report never changes once saved and a new analysis is a new run with a new id, so anything
keyed by (story id, run id) stays right until it is evicted: there is nothing to invalidate. The web
app reads the same report on every request; parsing its JSON (half a megabyte for five articles) and
deriving a page from it took most of each request's time, and under fifty concurrent readers the
requests queued behind each other for seconds.

Values are shared between callers, threads included: a caller must not change what it gets.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Memo:
    """Least recently used first out, at most `size` values. A value asked for by many threads at
    once is computed by one of them while the others wait for it (fifty readers arriving together
    after a new run must not parse the same report fifty times)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:
            with self._lock:
                if key in self._values:  # computed by the thread this one waited for
                    return self._values[key]
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._pending.pop(key, None)
                raise
            with self._lock:
                self._values[key] = value
                self._pending.pop(key, None)
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
            return value

    def __len__(self) -> int:
        return len(self._values)
