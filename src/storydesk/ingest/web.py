"""Fetching URLs: bounded in time and size, and every failure a per-document error."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import RawDocument
from ..options import MB, Options


def read_url(url: str, options: Options) -> Iterator[RawDocument]:
    import httpx

    from .files import read_bytes

    headers = {"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,application/xml,text/plain"}
    try:
        with httpx.Client(follow_redirects=True, timeout=options.fetch_timeout, headers=headers) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    yield RawDocument(url, url=url, errors=[f"fetch failed: HTTP {resp.status_code} from {url}"])
                    return
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > options.max_bytes:
                        yield RawDocument(url, url=url, errors=[f"page larger than {options.max_bytes / MB:.0f} MB; not downloaded"])
                        return
                    chunks.append(chunk)
                final_url = str(resp.url)
    except httpx.HTTPError as exc:
        yield RawDocument(url, url=url, errors=[f"cannot fetch {url}: {exc.__class__.__name__}: {exc}; check the address and your connection"])
        return
    for doc in read_bytes(url, b"".join(chunks), options, url=final_url):
        doc.url = doc.url or final_url
        yield doc
