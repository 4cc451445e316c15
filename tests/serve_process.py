"""A real `storydesk serve` process for tests: a free port, a database URL, the test's own src/ on
its PYTHONPATH; driven over HTTP with the standard library, nothing mocked."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(base: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


class Server:
    """One `storydesk serve` process; `kill` is SIGKILL, nothing the server can clean up after."""

    def __init__(self, db_url: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "STORYDESK_TOKEN"}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "storydesk.cli", "serve", "--db", db_url, "--port", str(self.port)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the server exited with {self.proc.returncode}; see {log}"
            try:
                if call(self.base, "GET", "/api/stories")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the server did not answer within 120 s; see {log}")

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return call(self.base, method, path, body)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()


def wait_for(server: Server, job_id: int, done: set[str], timeout: float, *, reading: bool = False) -> dict[str, Any]:
    """The job once its status is in `done` (with `reading`, or once it is running and has read a document)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, job = server.call("GET", f"/api/jobs/{job_id}")
        assert status == 200, job
        if job["status"] in done or (reading and job["status"] == "running" and job["done"] > 0):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not reach {done} within {timeout} s")
