"""Content-farm rewrites with the original absent: is the rewrite ranked least reliable, and are its
fabricated sentences flagged?

Each case replaces one real article of a dev story by a hand-written rewrite of it that carries four
fabrications (a wrong number, a wrong date or weekday, an invented event of the story's real people,
a wrong title). The piles are built and scored by the shared `score_fabricated.py` (next to the data);
the analysis runs in-process, with the language stage cached as in bench/story.py.

Usage: python bench/fabricated.py [--cases DIR --stories DIR] [--dump DIR] [--no-cache]
Last line: `fabricated ranked_last X flag_recall X`; before it, one line per case: which
fabrications carry a flag (+) and which do not (-).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

SHARED = REPO.parent / "shared"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=Path, default=SHARED / "data" / "fabricated")
    ap.add_argument("--stories", type=Path, default=SHARED / "data" / "stories")
    ap.add_argument("--dump", type=Path, help="keep each report as DIR/<case>/report.json")
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    if not args.cases.is_dir() or not args.stories.is_dir():
        print(f"no cases/stories at {args.cases} / {args.stories}; pass --cases and --stories", file=sys.stderr)
        return 2
    from story import _after_language

    from storydesk.pipeline import STAGES
    from storydesk.report.render import build_report

    spec = importlib.util.spec_from_file_location("score_fabricated", SHARED / "tools" / "score_fabricated.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    piles = Path(tempfile.mkdtemp(prefix="storydesk-fab-piles-"))
    scorer.write_piles(args.cases, args.stories, piles)
    out = args.dump or Path(tempfile.mkdtemp(prefix="storydesk-fab-"))
    for pile in sorted(piles.glob("*.jsonl")):
        story = _after_language(pile, not args.no_cache)
        for stage in STAGES[1:]:
            story = stage.run(story)
        (out / pile.stem).mkdir(parents=True, exist_ok=True)
        (out / pile.stem / "report.json").write_text(json.dumps(build_report(story)))
    scorer.score(args.cases, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
