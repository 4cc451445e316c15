"""URL fetching refuses private, loopback, link-local and reserved addresses unless allowed, on every
redirect hop. No network: refused URLs are never contacted, allowed ones are a local HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from storydesk.ingest import web
from storydesk.ingest.web import UnsafeURL, check_url, read_url
from storydesk.options import Options

STRICT, LOCAL_OK = Options(), Options(allow_private_urls=True)


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local server: /page is an article, /hop redirects to ?to=..., every requested path is recorded."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.path)
            if self.path.startswith("/hop"):
                self.send_response(302)
                self.send_header("Location", self.path.split("to=", 1)[1])
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><head><title>Local</title></head><body><article><p>A local page about a local council vote.</p></article></body></html>")

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", seen
    finally:
        httpd.shutdown()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8000/admin", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fe80::1]/", "http://[fc00::1]/", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/", "http://224.0.0.1/", "http://240.0.0.1/",
])
def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL, match="private, loopback, link-local or reserved"):
        check_url(url, STRICT)
    check_url(url, LOCAL_OK)


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "javascript:alert(1)", "http:///nohost"])
def test_only_http_urls_with_a_host(url: str) -> None:
    for options in (STRICT, LOCAL_OK):
        with pytest.raises(UnsafeURL, match="only http"):
            check_url(url, options)


def test_public_addresses_pass() -> None:
    check_url("http://93.184.215.14/news", STRICT)
    check_url("https://[2606:4700::6810:85e5]/", STRICT)


def test_refused_url_is_never_contacted(server: tuple[str, list[str]]) -> None:
    base, seen = server
    (doc,) = read_url(f"{base}/page", STRICT)
    assert doc.errors and "--allow-private-urls" in doc.errors[0] and not doc.content
    assert seen == []


def test_allowed_local_url_is_fetched(server: tuple[str, list[str]]) -> None:
    base, seen = server
    (doc,) = read_url(f"{base}/page", LOCAL_OK)
    assert not doc.errors and "council vote" in doc.content and doc.kind == "html" and doc.url == f"{base}/page"
    assert seen == ["/page"]


def test_redirects_are_followed_and_each_hop_checked(server: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    base, seen = server
    (doc,) = read_url(f"{base}/hop?to={base}/page", LOCAL_OK)
    assert "council vote" in doc.content and doc.url == f"{base}/page"
    # Treat this server's own address as public (the policy under test is "check every hop"), so the
    # first hop is fetched and the redirect to a loopback name must be refused before it is requested.
    strict_check = web.check_url
    monkeypatch.setattr(web, "check_url", lambda url, options: strict_check(url, LOCAL_OK if url.startswith(base) else options))
    seen.clear()
    port = base.rsplit(":", 1)[1]
    (doc,) = read_url(f"{base}/hop?to=http://localhost:{port}/secret", STRICT)
    assert doc.errors and "'localhost'" in doc.errors[0] and "refused" in doc.errors[0]
    assert seen == [f"/hop?to=http://localhost:{port}/secret"]  # /secret was never requested


def test_redirect_loops_stop(server: tuple[str, list[str]]) -> None:
    base, seen = server
    url = f"{base}/hop?to=/hop?to=/hop?to=/hop?to=/hop?to=/hop?to=/hop?to=/page"
    (doc,) = read_url(url, LOCAL_OK)
    assert doc.errors and "redirects" in doc.errors[0] and len(seen) == web.MAX_REDIRECTS + 1


def test_analyze_command_refuses_a_local_url_unless_allowed(server: tuple[str, list[str]], tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from storydesk.cli import app

    base, seen = server
    refused = CliRunner().invoke(app, ["analyze", f"{base}/page", "--out", str(tmp_path / "a"), "--quiet"])
    assert refused.exit_code == 2 and seen == []
    allowed = CliRunner().invoke(app, ["analyze", f"{base}/page", "--out", str(tmp_path / "b"), "--quiet", "--allow-private-urls"])
    assert allowed.exit_code == 0 and seen == ["/page"]
    report = json.loads((tmp_path / "b" / "report.json").read_text("utf-8"))
    assert "local council vote" in report["articles"][0]["text"]
