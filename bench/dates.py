"""Publication-date benchmark: StoryDesk's `date_from_html` against htmldate alone, in one run.

Why this shape: the figures are comparable with htmldate's published evaluation (exact day match;
accuracy = correct / all; F1 with precision = correct / predicted and recall = correct / all, so a
missing date costs recall and a wrong one costs precision), and the baseline runs on the same pages
in the same process, so a library upgrade moves both numbers together.

Design decisions (evidence order, meta-tag list, thresholds) were made looking only at the dev half:
ids sorted, even positions. The test half (odd positions) was not inspected; it is printed separately
so that a gap between the halves shows overfitting. Pages are never fetched: htmldate downloads a
string that looks like a URL, so only real HTML is passed to it.

    python bench/dates.py [--data DIR] [--predictions FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from htmldate import find_date  # noqa: E402

from storydesk.extract.dates import date_from_html  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dates"
BASELINE = "htmldate.find_date(html, url=url, original_date=True, extensive_search=True)"


def scores(pred: dict[str, str | None], gold: dict[str, str], ids: list[str]) -> tuple[float, float]:
    correct = sum(pred[i] == gold[i] for i in ids)
    predicted = sum(pred[i] is not None for i in ids)
    acc = correct / len(ids) if ids else 0.0
    precision = correct / predicted if predicted else 0.0
    f1 = 2 * precision * acc / (precision + acc) if precision + acc else 0.0
    return acc, f1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--predictions", type=Path, help="write {id: date or null} JSON here")
    args = ap.parse_args(argv)
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    gold = {i: truth[i]["date"] for i in ids}
    ours: dict[str, str | None] = {}
    base: dict[str, str | None] = {}
    base_default: dict[str, str | None] = {}
    sources: dict[str, int] = {}
    t_ours = t_base = 0.0
    for i in ids:
        html = gzip.decompress((args.data / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8", "replace")
        url = truth[i].get("url")
        t0 = time.perf_counter()
        guess = date_from_html(html, url)
        t1 = time.perf_counter()
        base[i] = find_date(html, url=url, original_date=True, extensive_search=True)
        t_base += time.perf_counter() - t1
        t_ours += t1 - t0
        base_default[i] = find_date(html, url=url)
        ours[i] = guess.date if guess.date and len(guess.date) == 10 else None
        sources[str(guess.source)] = sources.get(str(guess.source), 0) + 1
    halves = {"dev": ids[0::2], "test": ids[1::2], "total": ids}
    print(f"{len(ids)} pages from {args.data.name}/; dev = even positions of sorted ids (used for design), test = odd")
    print(f"baseline: {BASELINE}; htmldate default settings = find_date(html, url=url)")
    print(f"sources: {json.dumps(dict(sorted(sources.items())))}; time ours {t_ours:.1f}s, baseline {t_base:.1f}s")
    print(f"{'half':6} {'n':>4} {'acc':>6} {'F1':>6}   {'base acc':>8} {'base F1':>7}   {'default acc':>11} {'default F1':>10}")
    for name, sub in halves.items():
        a, f = scores(ours, gold, sub)
        ba, bf = scores(base, gold, sub)
        da, df = scores(base_default, gold, sub)
        print(f"{name:6} {len(sub):4d} {a:6.3f} {f:6.3f}   {ba:8.3f} {bf:7.3f}   {da:11.3f} {df:10.3f}")
    if args.predictions:
        args.predictions.write_text(json.dumps(ours, indent=1, sort_keys=True), encoding="utf-8")
    acc, f1 = scores(ours, gold, ids)
    print(f"dates acc {acc:.3f} F1 {f1:.3f} baseline acc {scores(base, gold, ids)[0]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
