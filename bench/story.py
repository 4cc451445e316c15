"""Cross-source analysis against a careful reader's gold: facts shared, discrepancies, events, brief.

Runs the whole analysis on each story (one JSONL of articles per story) and scores the reports with
the shared scorer (`score_story.py`, next to the data), which reads `claims`, `links`, `timeline` and
`brief` of each report.json:

- fact_pairs: pairs of articles stating a gold fact that the report connects as agreeing;
- discrepancies: gold discrepancies joined by a contradict or changed_over_time link;
- contra_match: share of the report's contradict/changed links that match a gold discrepancy
  (low means false alarms);
- events: gold events on the timeline with the gold's date and a covering quote;
- brief_facts: the first five gold facts of each story that the brief cites.

The language stage's output (parse, entities, quotes, quantities, times) is cached per story in the
temp folder, keyed by the story file and the code of the stages before `claims`, so that working on
the cross-source stages costs one parse per story, not one per run. `--no-cache` ignores it.

Thresholds of the cross-source stages are read on the first half of the stories (sorted by file
name, "tune"); the second half ("held-out") is only reported, and the bench prints both halves.

Usage: python bench/story.py [--stories DIR --gold DIR] [--dump DIR] [--only STEM] [--no-cache]
The last line is the scorer's: `story fact_pairs X discrepancies X contra_match X events X brief_facts X`.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

SHARED = REPO.parent / "shared"
EARLY_CODE = ("ingest", "extract", "nlp", "model.py", "pipeline.py", "options.py")


def _code_hash() -> str:
    h = hashlib.sha1()
    src = REPO / "src" / "storydesk"
    for part in EARLY_CODE:
        path = src / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _after_language(path: Path, use_cache: bool):  # noqa: ANN202 - a Story
    from storydesk.model import Story, stable_id
    from storydesk.options import Options
    from storydesk.pipeline import STAGES, load_articles

    key = hashlib.sha1(path.read_bytes()).hexdigest()[:12] + "-" + _code_hash()
    cache = Path(tempfile.gettempdir()) / "storydesk-bench-story" / f"{path.stem}-{key}.pkl"
    if use_cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    story = Story(id=stable_id("story", path.stem), name=path.stem)
    story.articles = load_articles([str(path)], Options(progress=False))
    story = STAGES[0].run(story)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(story))
    return story


def _scorer():  # noqa: ANN202 - the shared scorer module
    spec = importlib.util.spec_from_file_location("score_story", SHARED / "tools" / "score_story.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=Path, default=SHARED / "data" / "stories")
    ap.add_argument("--gold", type=Path, default=SHARED / "data" / "story-gold")
    ap.add_argument("--dump", type=Path, help="keep each report as DIR/<story>/report.json")
    ap.add_argument("--only", action="append", help="score only this story (file stem); repeatable")
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    if not args.gold.is_dir() or not args.stories.is_dir():
        print(f"no stories/gold at {args.stories} / {args.gold}; pass --stories and --gold", file=sys.stderr)
        return 2

    from storydesk.pipeline import STAGES, check_pipeline
    from storydesk.report.render import build_report

    check_pipeline(STAGES)
    scorer = _scorer()
    out = args.dump or Path(tempfile.mkdtemp(prefix="storydesk-story-"))
    total: dict[str, list[int]] = {}
    halves: dict[str, dict[str, list[int]]] = {"tune": {}, "held-out": {}}
    stems = sorted(g.stem for g in args.gold.glob("*.json"))
    stage_time = 0.0
    for gold_path in sorted(args.gold.glob("*.json")):
        stem = gold_path.stem
        if args.only and stem not in args.only:
            continue
        story_path = args.stories / f"{stem}.jsonl"
        story = _after_language(story_path, not args.no_cache)
        t0 = time.perf_counter()
        for stage in STAGES[1:]:
            story = stage.run(story)
        stage_time += time.perf_counter() - t0
        report = build_report(story)
        (out / stem).mkdir(parents=True, exist_ok=True)
        (out / stem / "report.json").write_text(json.dumps(report))
        lines = [json.loads(line) for line in story_path.read_text().splitlines() if line.strip()]
        figures = scorer.score_one(report, lines, json.loads(gold_path.read_text()))
        n_links = {k: sum(1 for l in story.links if l.kind == k) for k in ("agree", "contradict", "changed_over_time")}
        print(stem[:8], " ".join(f"{k} {v[0]}/{v[1]}" for k, v in figures.items()),
              f"| claims {len(story.claims)} links {n_links}", flush=True)
        half = halves["tune" if stems.index(stem) < len(stems) // 2 else "held-out"]
        for k, v in figures.items():
            for acc in (total, half):
                t = acc.setdefault(k, [0, 0])
                t[0] += v[0]
                t[1] += v[1]
    print(f"reports in {out}; cross-source stages {stage_time:.1f} s in all")
    share = lambda v: v[0] / v[1] if v[1] else 0.0  # noqa: E731
    for name, acc in halves.items():
        if acc:
            print(f"{name:9s}" + " ".join(f"{k} {share(v):.3f}" for k, v in acc.items()))
    print("story " + " ".join(f"{k} {share(v):.3f}" for k, v in total.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
