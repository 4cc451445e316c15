"""The memo behind cached reads (store/cache.py): bounded, least recently used out, one computation
per key however many threads ask at once, and a failure never cached."""

from __future__ import annotations

import threading
import time

import pytest

from storydesk.store.cache import Memo


def test_the_least_recently_used_value_goes_first() -> None:
    memo = Memo(2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: -1)  # a hit: "a" is now the most recent
    memo.get("c", lambda: 3)
    assert len(memo) == 2
    assert memo.get("a", lambda: -1) == 1 and memo.get("b", lambda: 20) == 20  # "b" was evicted and made again


def test_many_threads_asking_at_once_compute_once() -> None:
    memo, calls = Memo(4), []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "parsed"

    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(memo.get("report", slow))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["parsed"] * 20 and len(calls) == 1


def test_a_failure_is_not_cached() -> None:
    memo = Memo(4)

    def broken() -> int:
        raise KeyError("gone")

    with pytest.raises(KeyError):
        memo.get("k", broken)
    assert memo.get("k", lambda: 7) == 7
