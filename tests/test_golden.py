"""Golden reports: a fresh analysis of each stored case gives exactly its expected report.json.

The cases and how to regenerate them after an intended change are in `golden_reports.py`; on a
failure the message lists which sections changed and the first differing items, field by field.
"""

from __future__ import annotations

import pytest

from golden_reports import ROOT, analyse, case_inputs, cases, differences, expected, normalised


@pytest.mark.parametrize("case", cases())
def test_report_matches_its_golden_file(case: str, request: pytest.FixtureRequest) -> None:
    inputs, story = case_inputs(case)
    if inputs == [str(ROOT / "examples" / "japan-us-nk")] and story is None:
        _out, report = request.getfixturevalue("example_run")  # the session's own analysis of the example
        got = normalised(report)
    else:
        got = analyse(case)
    changes = differences(expected(case), got)
    assert not changes, (f"{case}: the report differs from tests/golden/{case}/report.json\n" + "\n".join(changes)
                         + "\nIf the change is intended: make golden, and review the diff of tests/golden/ in the commit.")


def test_cases_cover_the_example_and_the_fixture_stories() -> None:
    assert {"japan-us-nk", "dam-breach", "quake"} <= set(cases())


def test_a_difference_names_the_section_and_the_first_changed_items() -> None:
    want = expected("quake")
    got = normalised(want)
    got = {**got, "claims": [dict(c) for c in got["claims"]], "quotes": list(got["quotes"][1:])}
    got["claims"][2]["text"] = "A different sentence."
    lines = differences(want, got)
    text = "\n".join(lines)
    assert lines[0].startswith("quotes: ") and any(line.startswith("claims: ") for line in lines)
    assert f"claims: {len(want['claims'])} expected, {len(want['claims'])} now" in lines
    assert "text: " in text and "A different sentence." in text
    assert "1 gone" in text  # a quote is matched by where it is, not by position
    assert len(lines) < 20 and all(len(line) < 400 for line in lines)
    assert differences(want, normalised(want)) == []


def test_paths_under_the_repository_are_made_relative() -> None:
    report = {"articles": [{"source": f"{ROOT}/examples/a.txt", "copies": [f"{ROOT}/examples/b.txt", "https://x.example/"]}]}
    assert normalised(report) == {"articles": [{"source": "examples/a.txt", "copies": ["examples/b.txt", "https://x.example/"]}]}
