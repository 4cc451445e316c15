"""Local web UI and REST API over the store (the `web` extra: FastAPI + uvicorn).

Nothing is imported here, so `import storydesk.web` works without the extra; `create_app` and
`serve` raise a RuntimeError naming the extra to install when FastAPI or uvicorn is missing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "serve"]


def create_app(db_url: str) -> Any:
    from .app import create_app as _create_app

    return _create_app(db_url)


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    from .app import serve as _serve

    _serve(db_url, host, port)
