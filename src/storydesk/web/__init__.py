"""Local web UI and REST API over the store (the `web` extra: FastAPI + uvicorn).

Nothing is imported here, so `import storydesk.web` works without the extra; `create_app` and
`serve` raise a RuntimeError naming the extra to install when FastAPI or uvicorn is missing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "serve"]


def create_app(db_url: str, **settings: Any) -> Any:
    """See `storydesk.web.app.create_app`: options, limits and token are keyword settings."""
    from .app import create_app as _create_app

    return _create_app(db_url, **settings)


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000, **settings: Any) -> None:
    from .app import serve as _serve

    _serve(db_url, host, port, **settings)
