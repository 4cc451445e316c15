"""Shared fixtures: the bundled example story, analysed once per test session; hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the property and fuzz tests skip themselves
    pass
else:
    # HYPOTHESIS_PROFILE picks one: "default" (make test: few examples, no per-example deadline, since a
    # first call loads models), "fuzz" (make fuzz: FUZZ_EXAMPLES examples per test, default 2,000).
    _slow = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
    settings.register_profile("default", max_examples=30, deadline=None, suppress_health_check=_slow)
    settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")), deadline=None,
                              suppress_health_check=_slow, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "japan-us-nk"


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def example_run(tmp_path_factory: pytest.TempPathFactory):
    """The CLI's own sequence over the example story: (out dir, report dict)."""
    import json

    from storydesk.options import Options
    from storydesk.run import run_analysis

    out = tmp_path_factory.mktemp("example-out")
    analysed = run_analysis([str(EXAMPLE)], out, Options(progress=False))
    assert analysed == 5
    return out, json.loads((out / "report.json").read_text("utf-8"))


@pytest.fixture
def analyse_pile(tmp_path: Path):
    """Analyse hand-written articles, each (url, published, text), as one pile through the whole
    pipeline; the url is also the title."""
    import json

    from storydesk import analyze

    def run(*articles: tuple[str, str, str]):
        path = tmp_path / "pile.jsonl"
        path.write_text("".join(json.dumps({"url": u, "published": p, "text": t, "title": u}) + "\n" for u, p, t in articles))
        return analyze([str(path)])

    return run
