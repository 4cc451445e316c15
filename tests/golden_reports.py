"""Golden reports: stored inputs and the report.json a fresh analysis of them must give.

Each folder of tests/golden/ is one case: `case.json` names its inputs (paths from the repository
root) and, optionally, the story's name; `report.json` is the expected report. `tests/test_golden.py`
analyses every case the way `storydesk analyze` does and compares the report section by section,
printing, for a change, which sections moved and the first items that differ, field by field (the
example's report is half a megabyte: a whole-report diff would be unreadable).

The report holds nothing that varies between runs of the same code (no run time, timing or version:
those live in the store's `runs` rows and in the CLI's summary), except where the inputs were read
from: every string that starts with the repository's path is made relative to it.

When a change to the analysis is intended, regenerate them and review the diff in the commit:

    make golden        # or: python tests/golden_reports.py [CASE...]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
# Keep a failure message short enough to read: the first few differing items and fields.
MAX_ITEMS = 3
MAX_FIELDS = 6
MAX_CHARS = 160
MAX_LINES = 80


def cases() -> list[str]:
    return sorted(p.parent.name for p in GOLDEN.glob("*/case.json"))


def case_inputs(case: str) -> tuple[list[str], str | None]:
    """(absolute input paths, story name or None) of one case."""
    spec = json.loads((GOLDEN / case / "case.json").read_text("utf-8"))
    return [str(ROOT / p) for p in spec["inputs"]], spec.get("story")


def analyse(case: str) -> dict[str, Any]:
    """The case's report as `storydesk analyze` writes it, made comparable (`normalised`)."""
    from storydesk.options import Options
    from storydesk.run import run_analysis

    inputs, story = case_inputs(case)
    with tempfile.TemporaryDirectory() as out:
        run_analysis(inputs, Path(out), Options(progress=False, story=story))
        return normalised(json.loads((Path(out) / "report.json").read_text("utf-8")))


def normalised(value: Any) -> Any:
    """The report with the repository's path taken off every string that starts with it."""
    prefix = f"{ROOT}/"
    if isinstance(value, str):
        return value[len(prefix):] if value.startswith(prefix) else value
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    return value


def expected(case: str) -> dict[str, Any]:
    return json.loads((GOLDEN / case / "report.json").read_text("utf-8"))


def write(case: str, report: dict[str, Any]) -> Path:
    path = GOLDEN / case / "report.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return path


# ---- a readable difference

def differences(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """What changed, section by section: counts, items gone and new, and the first changed items
    with their changed fields (each value cut to MAX_CHARS). Empty when the reports are equal."""
    lines: list[str] = []
    for section in [*want, *(k for k in got if k not in want)]:
        if section not in got or section not in want:
            lines.append(f"{section}: {'missing now' if section not in got else 'new section'}")
        elif want[section] != got[section]:
            lines += _section(section, want[section], got[section])
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"... and {len(lines) - MAX_LINES} more lines"]
    return lines


def _section(name: str, want: Any, got: Any) -> list[str]:
    if not (isinstance(want, list) and isinstance(got, list)):
        return [f"{name}:", *_fields(want, got, "  ")]
    lines = [f"{name}: {len(want)} expected, {len(got)} now"]
    key = _key(want, got)
    if key is None:  # no identity to match items by: align the two lists, as a text diff aligns lines
        return lines + _aligned(want, got)
    old, new = {key(x): x for x in want}, {key(x): x for x in got}
    gone, added = [k for k in old if k not in new], [k for k in new if k not in old]
    changed = [k for k in old if k in new and old[k] != new[k]]
    for label, keys, items in (("gone", gone, old), ("new", added, new)):
        if keys:
            lines.append(f"  {len(keys)} {label}: " + "; ".join(_short(_label(items[k])) for k in keys[:MAX_ITEMS])
                         + (" ..." if len(keys) > MAX_ITEMS else ""))
    for k in changed[:MAX_ITEMS]:
        lines += [f"  changed {_short(_label(old[k]))}:", *_fields(old[k], new[k], "    ")]
    if len(changed) > MAX_ITEMS:
        lines.append(f"  ... {len(changed) - MAX_ITEMS} more changed")
    if not (gone or added or changed):
        lines.append("  same items, another order")
    return lines


def _aligned(want: list[Any], got: list[Any]) -> list[str]:
    """Items inserted, removed and replaced, by position, after aligning equal items (difflib), so
    one new item early in a list reads as one new item, not as every later item changed."""
    import difflib

    def dumps(side: list[Any]) -> list[str]:
        return [json.dumps(x, sort_keys=True, ensure_ascii=False) for x in side]

    lines: list[str] = []
    shown = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, dumps(want), dumps(got), autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if shown >= MAX_ITEMS:
            lines.append("  ... more differences")
            break
        shown += 1
        if op == "replace" and i2 - i1 == j2 - j1 == 1:
            lines += [f"  [{i1}] changed {_short(_label(want[i1]))}:", *_fields(want[i1], got[j1], "    ")]
            continue
        if i2 > i1:
            lines.append(f"  [{i1}:{i2}] gone: " + "; ".join(_short(_label(x)) for x in want[i1:i2][:MAX_ITEMS]))
        if j2 > j1:
            lines.append(f"  [{j1}:{j2}] new: " + "; ".join(_short(_label(x)) for x in got[j1:j2][:MAX_ITEMS]))
    return lines or ["  same items, another order"]


def _key(want: list[Any], got: list[Any]) -> Any:
    """A field that names each item uniquely on both sides (id, else where it is in which article)."""
    def unique(fn: Any) -> bool:
        try:
            return all(len({fn(x) for x in side}) == len(side) for side in (want, got))
        except (KeyError, TypeError):
            return False

    for fn in (lambda x: x["id"], lambda x: (x["article"], tuple(x["span"]), x.get("text")),
               lambda x: json.dumps(x["claims"]), lambda x: (x["date"], x["event"])):
        if all(isinstance(x, dict) for x in want + got) and unique(fn):
            return fn
    return None


def _label(item: Any) -> Any:
    if isinstance(item, dict):
        return {k: item[k] for k in ("id", "title", "name", "kind", "date", "text", "event", "explanation", "article", "span")
                if k in item}
    return item


def _fields(want: Any, got: Any, indent: str) -> list[str]:
    """The changed fields, nested dicts followed down (`reliability.score: 0.81 -> 0.5`)."""
    if not (isinstance(want, dict) and isinstance(got, dict)):
        return [f"{indent}expected {_short(want)}", f"{indent}now      {_short(got)}"]
    changed = _changed(want, got, "")
    lines = [f"{indent}{path}: {_short(old)} -> {_short(new)}" for path, old, new in changed[:MAX_FIELDS]]
    if len(changed) > MAX_FIELDS:
        lines.append(f"{indent}... {len(changed) - MAX_FIELDS} more fields: {', '.join(p for p, _, _ in changed[MAX_FIELDS:])}")
    return lines


def _changed(want: dict[str, Any], got: dict[str, Any], prefix: str) -> list[tuple[str, Any, Any]]:
    out: list[tuple[str, Any, Any]] = []
    for k in [*want, *(k for k in got if k not in want)]:
        old, new = want.get(k, "(absent)"), got.get(k, "(absent)")
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            out += _changed(old, new, f"{prefix}{k}.")
        else:
            out.append((f"{prefix}{k}", old, new))
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 3] + "..."


def main(argv: list[str]) -> int:
    """Regenerate the named cases (all by default) and say what changed in each."""
    for case in argv or cases():
        report = analyse(case)
        old = expected(case) if (GOLDEN / case / "report.json").exists() else None
        changes = differences(old, report) if old is not None else ["a new case"]
        path = write(case, report)
        print(f"{case}: {'unchanged' if not changes else 'rewritten'} ({path.relative_to(ROOT)})")
        for line in changes[:20]:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
