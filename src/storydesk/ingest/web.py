"""Fetching URLs: bounded in time and size, and every failure a per-document error.

Address safety: before each request (the first and every redirect hop, which are followed by hand)
the host is resolved and every address it resolves to must be public; private, loopback, link-local,
multicast, reserved and unspecified addresses are refused unless `Options.allow_private_urls` is set
(`storydesk serve --allow-private-urls`, `storydesk analyze` on one's own machine). The check cannot
stop a DNS answer that changes between the check and the connection (rebinding); a server exposed to
untrusted users should also sit behind an egress firewall.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from ..model import RawDocument
from ..options import MB, Options

MAX_REDIRECTS = 5


class UnsafeURL(ValueError):
    """A URL whose host is not a public internet address (or that is not http/https at all)."""


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def check_url(url: str, options: Options) -> None:
    """Raise UnsafeURL unless `url` is http(s) and (unless allowed) its host resolves only to public addresses."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UnsafeURL(f"cannot fetch {url!r}: only http:// and https:// URLs with a host can be fetched")
    if options.allow_private_urls:
        return
    host = parts.hostname
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme.lower() == "https" else 80), type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise UnsafeURL(f"cannot fetch {url}: cannot resolve host {host!r} ({exc}); check the address") from exc
        addresses = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}
    blocked = sorted(str(ip) for ip in addresses if not _public(ip))
    if blocked:
        raise UnsafeURL(
            f"cannot fetch {url}: refused, host {host!r} resolves to a private, loopback, link-local or reserved "
            f"address ({', '.join(blocked)}); such addresses are fetched only when explicitly allowed "
            "(Options.allow_private_urls, storydesk serve --allow-private-urls)"
        )


def read_url(url: str, options: Options) -> Iterator[RawDocument]:
    import httpx

    from .files import read_bytes

    headers = {"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,application/xml,text/plain"}
    try:
        with httpx.Client(follow_redirects=False, timeout=options.fetch_timeout, headers=headers) as client:
            current = url
            for _hop in range(MAX_REDIRECTS + 1):
                check_url(current, options)
                with client.stream("GET", current) as resp:
                    if resp.is_redirect and resp.headers.get("location"):
                        current = urljoin(current, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        yield RawDocument(url, url=url, errors=[f"fetch failed: HTTP {resp.status_code} from {current}"])
                        return
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > options.max_bytes:
                            yield RawDocument(url, url=url, errors=[f"page larger than {options.max_bytes / MB:.0f} MB; not downloaded"])
                            return
                        chunks.append(chunk)
                    final_url = str(resp.url)
                    break
            else:
                yield RawDocument(url, url=url, errors=[f"more than {MAX_REDIRECTS} redirects from {url}; not followed"])
                return
    except UnsafeURL as exc:
        yield RawDocument(url, url=url, errors=[str(exc)])
        return
    except httpx.HTTPError as exc:
        yield RawDocument(url, url=url, errors=[f"cannot fetch {url}: {exc.__class__.__name__}: {exc}; check the address and your connection"])
        return
    for doc in read_bytes(url, b"".join(chunks), options, url=final_url):
        doc.url = doc.url or final_url
        yield doc
