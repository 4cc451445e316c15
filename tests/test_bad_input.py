"""Bad input: the broken document gets a clear error, the rest of the batch is analysed.

Runs the real CLI entry point (typer's runner) over real files on disk; the unreachable URL is a
closed port on this machine, so no live web is involved.
"""

from __future__ import annotations

import gzip
import io
import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storydesk.cli import app

GOOD = (
    "The city council approved a new budget on Monday after a long debate.\n\n"
    "The mayor said the plan would fund 200 new teachers and repair 40 bridges, "
    "and the finance director told reporters the city would borrow less than last year.\n"
)


def run_cli(tmp_path: Path, *inputs: str) -> tuple[int, dict, str]:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", *inputs, "--out", str(out), "--quiet"])
    report = json.loads((out / "report.json").read_text("utf-8")) if (out / "report.json").exists() else {}
    return result.exit_code, report, result.output


def errors_for(report: dict, fragment: str) -> list[str]:
    return [e for a in report["articles"] if fragment in a["source"] for e in a["errors"]]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _warc_bytes() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    html = f"<html><head><title>Budget</title></head><body><article><p>{GOOD.replace('budget', 'transit plan')}</p></article></body></html>".encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
    writer.write_record(writer.create_warc_record("https://news.example.com/budget", "response", payload=io.BytesIO(html), http_headers=headers))
    return buf.getvalue()


@pytest.fixture
def pile(tmp_path: Path) -> Path:
    d = tmp_path / "pile"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "latin.txt").write_bytes(b"caf\xe9 " + b"\xc3\x28\xa0\xa1\x81\x8d\x8f\x90\x9d" * 50)
    (d / "huge.html").write_bytes(b"<html><body>" + b"<p>word </p>" * (50 * 1024 * 1024 // 12) + b"</body></html>")
    (d / "german.txt").write_text(
        "Der Stadtrat hat am Montag nach einer langen Debatte einen neuen Haushalt beschlossen. "
        "Der Bürgermeister sagte, mit dem Plan würden zweihundert neue Lehrer eingestellt.", encoding="utf-8")
    (d / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>x</title", encoding="utf-8")
    (d / "broken.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated")
    (d / "bad.jsonl").write_text('{"text": "' + GOOD.replace("\n", " ").replace("budget", "zoning law") + '", "url": "https://paper.example.org/a", "title": "Budget", "published": "2024-05-06"}\n{not json\n{"url": "x"}\n', encoding="utf-8")
    return d


def test_each_bad_document_gets_its_error_and_the_rest_is_analysed(pile: Path, tmp_path: Path):
    url = f"http://127.0.0.1:{_closed_port()}/article"
    code, report, output = run_cli(tmp_path, str(pile), url)
    assert code == 0
    expect = {
        "empty.txt": "empty document",
        "binary.txt": "binary file",
        "huge.html": "too large",
        "german.txt": "language 'de' is not supported",
        "broken.rss": "malformed or empty feed",
        "broken.warc": "WARC",
        "bad.jsonl:2": "invalid JSON on line 2",
        "bad.jsonl:3": "no 'text' or 'html'",
        "127.0.0.1": "cannot fetch",
    }
    for source, fragment in expect.items():
        errs = errors_for(report, source)
        assert any(fragment in e for e in errs), (source, errs)
        assert any(fragment in line for line in output.splitlines()), f"no stderr line for {source}"
    latin = errors_for(report, "latin.txt")
    latin_text = [a["text"] for a in report["articles"] if a["source"].endswith("latin.txt")]
    assert latin or latin_text, "undecodable bytes must give an error or decoded text, never vanish"
    good = [a for a in report["articles"] if a["source"].endswith("good.txt")]
    assert good and good[0]["errors"] == [] and "200 new teachers" in good[0]["text"]
    jsonl = [a for a in report["articles"] if a["source"] == "https://paper.example.org/a"][0]
    assert jsonl["published"] == "2024-05-06" and jsonl["title"] == "Budget" and jsonl["outlet"] == "paper.example.org"
    german = [a for a in report["articles"] if a["source"].endswith("german.txt")][0]
    assert german["language"] == "de" and german["text"]


def test_exit_status_two_when_nothing_could_be_analysed(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    code, report, _ = run_cli(tmp_path, str(tmp_path / "empty.txt"))
    assert code == 2
    assert report["articles"][0]["errors"]


def test_missing_path_is_an_error_not_a_crash(tmp_path: Path):
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    code, report, _ = run_cli(tmp_path, str(tmp_path / "nope.txt"), str(tmp_path / "ok.txt"))
    assert code == 0
    assert any("no such file" in e for e in errors_for(report, "nope.txt"))


def test_containers_feed_warc_gzip_and_stdin(tmp_path: Path):
    d = tmp_path / "c"
    d.mkdir()
    item = GOOD.replace("\n", " ")
    (d / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Example News</title>"
        f"<item><title>Budget passes</title><link>https://news.example.com/budget</link>"
        f"<pubDate>Tue, 07 May 2024 10:00:00 GMT</pubDate><description>{item}</description></item></channel></rss>",
        encoding="utf-8",
    )
    (d / "page.warc").write_bytes(_warc_bytes())
    html = f"<html><head><title>Roads</title></head><body><article><p>{item.replace('budget', 'road plan')}</p></article></body></html>"
    (d / "page.html.gz").write_bytes(gzip.compress(html.encode()))
    code, report, _ = run_cli(tmp_path, str(d))
    assert code == 0
    by_source = {a["source"]: a for a in report["articles"]}
    feed = next(a for s, a in by_source.items() if "feed.xml#1" in s)
    assert feed["title"] == "Budget passes" and feed["published"] == "2024-05-07" and feed["url"] == "https://news.example.com/budget"
    warc = next(a for s, a in by_source.items() if "page.warc#" in s)
    assert warc["url"] == "https://news.example.com/budget" and "new transit plan" in warc["text"]
    gz = next(a for s, a in by_source.items() if s.endswith("page.html.gz"))
    assert "road plan" in gz["text"] and not gz["errors"]

    (tmp_path / "copy.txt").write_text(GOOD, encoding="utf-8")
    code, report, _ = run_cli(tmp_path, str(tmp_path / "copy.txt"), str(d / "feed.xml"))
    assert len(report["articles"]) == 1, "identical texts are one article"
    assert report["articles"][0]["copies"][0].endswith("feed.xml#1")

    result = CliRunner().invoke(app, ["analyze", "-", "--out", str(tmp_path / "stdin"), "--quiet"], input=GOOD)
    assert result.exit_code == 0
    stdin_report = json.loads((tmp_path / "stdin" / "report.json").read_text("utf-8"))
    assert stdin_report["articles"][0]["source"] == "-"
