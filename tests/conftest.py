"""Shared fixtures: the bundled example story, analysed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

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
