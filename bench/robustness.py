"""How StoryDesk holds up against hostile input and many readers at once.

In one run, on this machine:

- fuzz: the reader fuzz strategies (tests/fuzz_inputs.py: JSON Lines, gzip, WARC, feeds, text in any
  encoding, HTML, each valid and then damaged the way real files are) and the property tests' texts
  (tests/test_properties.py: arbitrary unicode, scripts, furniture, impossible dates) through the
  real reading path and `build_article`, for a bounded time. Every input is one document tried; one
  that reading or building turned into an error (a record that cannot be read, a failure caught by
  containment) is a failure contained; an exception that escaped, or a document breaking the
  readers' contract (no text and no error, a str UTF-8 cannot write), is a crash (must be 0);
- load: `storydesk serve` (a separate process) on the example story, analysed first into a fresh
  database, with N concurrent clients on loopback reading the overview, timeline, report and
  entities pages and the report, timeline, claims and entities API for S seconds: requests, errors
  (status >= 400 or no answer), requests/s, p50 and p99 latency. As the load starts, a job analyses
  the example story again through the API (`POST /api/stories/{id}/analyze`: the server's first job
  loads the models, reads the five articles and publishes a new run while the readers read), so the
  readers share the server with a job; its end is watched (`GET /api/jobs/{job}`) and reported, with
  the reads' p50 and p99 while it ran. A job still running when the load ends is waited for (up to
  JOB_WAIT_S) and reported as finished after the load.

Usage: python bench/robustness.py [--fuzz-seconds 60] [--load-seconds 20] [--clients 50] [--no-fuzz] [--no-load]
The last line is `robustness tried N contained C crashes K load R rps p50 X ms p99 Y ms errors E job J`,
J being `done in T s` (within the load, or `after the load`), `failed`, or `running` (not done in time).
The clients run in this process and share the machine with the server, as a test on one laptop does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import logging
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

EXAMPLE = REPO / "examples" / "japan-us-nk"
WARM_UP_S = 1.0
JOB_WAIT_S = 600.0
READS = ["/stories/{id}", "/stories/{id}/timeline", "/stories/{id}/report", "/stories/{id}/entities",
         "/api/stories/{id}", "/api/stories/{id}/timeline", "/api/stories/{id}/claims", "/api/stories/{id}/entities"]


@dataclass
class Fuzzed:
    tried: int = 0
    contained: int = 0
    crashes: list[str] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)


class _Net(logging.Handler):
    """Counts failures the containment net caught (logger storydesk.contained) while one input ran."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.caught = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.caught += 1


def _fuzz(seconds: float) -> Fuzzed:
    """Each strategy in turn, an equal share of the time each; hypothesis draws the inputs."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    import fuzz_inputs as fi
    from storydesk.extract.article import build_article
    from storydesk.ingest.files import read_bytes
    from storydesk.model import RawDocument
    from storydesk.options import Options
    from test_fuzz_readers import check_contract
    from test_properties import TEXTS

    options, out, net = Options(progress=False), Fuzzed(), _Net()
    logging.getLogger("storydesk.contained").addHandler(net)
    logging.getLogger("storydesk.contained").propagate = False  # counted, not printed with tracebacks

    def files(case: Any) -> list[tuple[str, bytes]]:
        return [(c.name, c.data) for c in (case if isinstance(case, tuple) else (case,))]

    def texts(value: tuple[str, str]) -> list[RawDocument]:
        return [RawDocument(source="text", kind=value[1], content=value[0])]

    def one(kind: str, item: Any) -> None:
        out.tried += 1
        out.by_kind[kind] = out.by_kind.get(kind, 0) + 1
        before = net.caught
        try:
            if kind == "texts":
                docs = texts(item)
            else:
                docs = [d for name, data in files(item)[-1:] for d in read_bytes(name, data, options)]
                check_contract(docs)
            arts = [build_article(d) for d in docs]
            assert all(isinstance(a.text, str) and (a.text or a.errors) for a in arts), "an article with no text and no error"
            for a in arts:
                a.text.encode("utf-8")
        except Exception as exc:  # noqa: BLE001 - a crash is what this counts
            out.crashes.append(f"{kind}: {exc.__class__.__name__}: {exc}"[:300])
            return
        if net.caught > before or any(d.errors for d in docs) or any(a.errors for a in arts):
            out.contained += 1

    strategies: list[tuple[str, Any]] = [
        ("jsonl", fi.jsonl_files()), ("gzip", fi.gzip_files()), ("warc", fi.warc_files()), ("feed", fi.feed_files()),
        ("text", fi.text_files()), ("html", fi.html_files()),
        ("texts", st.tuples(TEXTS, st.sampled_from(["text", "html"]))),
    ]
    def runner(kind: str, strategy: Any, deadline: float) -> Callable[[], None]:
        @settings(max_examples=10**6, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(item: Any) -> None:
            if time.monotonic() > deadline:
                raise _TimeUp
            one(kind, item)

        return run

    share = seconds / len(strategies)
    for kind, strategy in strategies:
        try:
            runner(kind, strategy, time.monotonic() + share)()
        except _TimeUp:
            pass
    return out


class _TimeUp(Exception):
    """Raised inside the property to stop hypothesis when a strategy's share of the time is spent."""


# ---- load


@dataclass
class Load:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)  # time.monotonic() at each answer, beside `latencies`
    by_path: dict[str, list[float]] = field(default_factory=dict)
    job: str = "none"  # the analysis job's end: "done", "failed", "running"
    job_seconds: float = float("nan")  # from the POST to the job's end, as the watcher saw it
    job_ended: float = float("inf")  # time.monotonic() at its end
    job_error: str | None = None

    def during_job(self) -> list[float]:
        return [ms for ms, end in zip(self.latencies, self.ends) if end <= self.job_ended]

    def job_line(self) -> str:
        if self.job == "done":
            within = self.ends and self.job_ended <= max(self.ends)
            return f"done in {self.job_seconds:.0f} s{'' if within else ' after the load'}"
        return self.job

    def pct(self, p: float, values: list[float] | None = None) -> float:
        ordered = sorted(self.latencies if values is None else values)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """The example analysed into `folder`, then `storydesk serve` over it: (server, base URL, story id)."""
    import httpx

    from storydesk.options import Options
    from storydesk.run import run_analysis
    from storydesk.store import Store

    run_analysis([str(EXAMPLE)], folder, Options(progress=False))
    store = Store(f"sqlite:///{folder / 'storydesk.sqlite'}")
    story_id = store.stories()[0]["id"]
    store.close()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "storydesk.cli", "serve", "--out", str(folder), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**_env(), "STORYDESK_TOKEN": ""})
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/stories", timeout=1).status_code == 200:
                return server, base, story_id
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise RuntimeError("storydesk serve exited: " + server.stderr.read().decode()[-1000:])  # type: ignore[union-attr]
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("storydesk serve did not answer within 30 s")


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}


async def _clients(base: str, paths: list[str], clients: int, seconds: float, load: Load) -> None:
    """`clients` keep-alive connections, each asking for the paths in turn and reading each answer
    whole. Plain HTTP/1.1 over asyncio streams: an HTTP library's parsing would cost this process as
    much CPU per request as the server spends, on the cores the server shares, and the figures would
    measure the clients."""
    host, port = base.removeprefix("http://").split(":")

    async def client(k: int) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                path = paths[k % len(paths)]
                k += 1
                start = time.perf_counter()
                try:
                    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                    status = await _answer(reader)
                except (OSError, ValueError, asyncio.IncompleteReadError):
                    status = 0
                ms = (time.perf_counter() - start) * 1000
                load.requests += 1
                load.errors += not 200 <= status < 400
                load.latencies.append(ms)
                load.ends.append(time.monotonic())
                load.by_path.setdefault(path, []).append(ms)
                if not status:
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(client(k) for k in range(clients)))
    load.seconds = time.monotonic() - started


async def _watch(base: str, job_id: int, posted: float, load: Load, stop: asyncio.Event) -> None:
    """Poll the job until it ends, or until `stop` (the load is over) and JOB_WAIT_S more have passed."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while True:
            job = (await http.get(f"/api/jobs/{job_id}")).json()
            if job["status"] in ("done", "failed"):
                load.job, load.job_error = job["status"], job.get("error")
                load.job_ended = time.monotonic()
                load.job_seconds = load.job_ended - posted
                return
            load.job = "running"
            if stop.is_set() and time.monotonic() > posted + JOB_WAIT_S:
                return
            await asyncio.sleep(0.25)


async def _clients_and_job(base: str, story_id: str, paths: list[str], clients: int, seconds: float, load: Load) -> None:
    """The readers, and a re-analysis of the story posted as they start, watched to its end."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        answer = await http.post(f"/api/stories/{story_id}/analyze")
    if answer.status_code != 202:
        raise RuntimeError(f"POST /api/stories/{story_id}/analyze answered {answer.status_code}: {answer.text[:300]}")
    posted, stop = time.monotonic(), asyncio.Event()
    watcher = asyncio.create_task(_watch(base, answer.json()["job"]["id"], posted, load, stop))
    await _clients(base, paths, clients, seconds, load)
    stop.set()
    await watcher


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked) and return its status."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
    if "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    elif fields.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return status


def _load(seconds: float, clients: int) -> Load:
    load = Load()
    with tempfile.TemporaryDirectory(prefix="storydesk-load-") as tmp:
        server, base, story_id = _serve(Path(tmp))
        try:
            paths = [p.format(id=story_id) for p in READS]
            asyncio.run(_clients(base, paths, 1, WARM_UP_S, Load()))  # one reader first: what a server does once per run
            asyncio.run(_clients_and_job(base, story_id, paths, clients, seconds, load))
        finally:
            server.terminate()
            server.wait(timeout=30)
    for path, values in sorted(load.by_path.items()):
        print(f"  {path.replace(story_id, '{id}'):32} {len(values):6d} requests  p50 {load.pct(0.5, values):7.0f} ms  "
              f"p99 {load.pct(0.99, values):7.0f} ms")
    during = load.during_job()
    print(f"  while the job ran: {len(during)} requests  p50 {load.pct(0.5, during):.0f} ms  p99 {load.pct(0.99, during):.0f} ms; "
          f"job {load.job_line()}{f' ({load.job_error})' if load.job_error else ''}")
    return load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fuzz-seconds", type=float, default=60.0)
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--no-fuzz", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args(argv)

    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):  # warcio and hypothesis talk about the damage
        warnings.simplefilter("ignore")
        fuzzed = Fuzzed() if args.no_fuzz else _timed("fuzz", lambda: _fuzz(args.fuzz_seconds))
    if not args.no_fuzz:
        print("fuzz: " + ", ".join(f"{k} {n}" for k, n in fuzzed.by_kind.items()))
        print(f"fuzz: tried {fuzzed.tried} documents, contained {fuzzed.contained} failures, crashes {len(fuzzed.crashes)}")
        for crash in fuzzed.crashes[:10]:
            print(f"  crash: {crash}")
    load = Load() if args.no_load else _timed("load", lambda: _load(args.load_seconds, args.clients))
    rps = load.requests / load.seconds if load.seconds else float("nan")
    if not args.no_load:
        print(f"load: {args.clients} clients, {load.requests} requests in {load.seconds:.1f} s, {load.errors} errors")
    print(f"robustness tried {fuzzed.tried} contained {fuzzed.contained} crashes {len(fuzzed.crashes)} "
          f"load {rps:.0f} rps p50 {load.pct(0.5):.0f} ms p99 {load.pct(0.99):.0f} ms errors {load.errors} job {load.job_line()}")
    return 1 if fuzzed.crashes or load.errors or load.job not in ("done", "none") else 0


def _timed(name: str, part: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    value = part()
    print(f"{name}: {time.perf_counter() - start:.1f} s")
    return value


if __name__ == "__main__":
    sys.exit(main())
