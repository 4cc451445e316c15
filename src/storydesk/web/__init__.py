"""Local web UI and REST API over the store (the `web` extra: FastAPI + uvicorn).

Nothing is imported at module level, so `import storydesk.web` works without the extra; `create_app`
and `serve` raise a RuntimeError naming the extra to install when FastAPI or uvicorn is missing.
The app is assembled here rather than in `web/app.py`, so the routes (`web/routes.py`) import the
plain functions of `web/app.py` and nothing there imports the routes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..options import Options
    from .jobs import Limits

__all__ = ["create_app", "serve"]


def create_app(db_url: str, *, options: Options | None = None, limits: Limits | None = None, token: str | None = None) -> FastAPI:
    """A FastAPI app over the store at `db_url` (the URL `storydesk analyze --db` wrote to).

    `token` guards writes; when None, the STORYDESK_TOKEN environment variable is used (empty: no token).
    """
    import os

    from ..options import Options
    from .app import TOKEN_ENV, WebConfig, _require
    from .jobs import Limits

    _require("fastapi")
    from .routes import build_app

    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    return build_app(WebConfig(db_url, options or Options(), limits or Limits(), token))


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000, **settings: Any) -> None:
    """Serve the UI with uvicorn; local by default, since the store holds unpublished material."""
    from .app import _require

    uvicorn = _require("uvicorn")
    uvicorn.run(create_app(db_url, **settings), host=host, port=port)
