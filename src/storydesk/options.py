"""Every tunable of a run in one keyword-only dataclass (no 25-argument functions)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    # A news page is 0.1-3 MB; anything past this is a dump or an attack, refused with a clear error.
    max_bytes: int = 20 * MB
    fetch_timeout: float = 20.0
    user_agent: str = "StoryDesk/0.1 (+https://github.com/storydesk)"
    story: str | None = None
    db_url: str | None = None
    progress: bool = False
    # URL fetching refuses private, loopback, link-local and reserved addresses (SSRF): a server
    # that fetches URLs for its users must not be made to reach its own network. Local use may allow them.
    allow_private_urls: bool = False
