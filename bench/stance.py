"""Score the shipped stance weights on the FNC-1 held-out bodies.

Goes through the public API (`StanceModel.load().predict` on raw headline/body text), so it measures
what StoryDesk runs, including sentence splitting and embedding. The default set is the one
train/stance.py held out: pairs whose body AND headline are both outside training (FNC-1 headlines
recur across bodies, so a split by body alone would overstate the score by letting the model meet
training headlines again). `--stances CSV --bodies CSV` scores any FNC-1-format file instead, and
`--predictions FILE` writes the predicted stance for every row (columns Headline, Body ID, Stance,
same row order).
Published reference on the FNC-1 competition test set: best 2017 systems 82.0 % FNC score, macro-F1
0.58-0.61, disagree F1 0-0.18 (a different split from ours: read the figures as a sanity range).

Usage: python bench/stance.py [--data DIR | --stances CSV --bodies CSV] [--predictions FILE];
the last line is `FNC 0.xxx macroF1 0.xxx`.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storydesk.claims.stance import STANCE_LABELS, StanceModel  # noqa: E402


def _training_module():
    """The split and the scoring rule live in train/stance.py; importing them keeps one copy."""
    spec = importlib.util.spec_from_file_location("fnc1_training", REPO / "train" / "stance.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    fnc = _training_module()
    parser = argparse.ArgumentParser(description="FNC-1 held-out score of the shipped stance model")
    parser.add_argument("--data", type=Path, default=fnc.DATA_DIR, help="folder with FNC-1 CSVs")
    parser.add_argument("--stances", type=Path, help="an FNC-1 stances CSV to score instead of the held-out split")
    parser.add_argument("--bodies", type=Path, help="the bodies CSV that goes with --stances")
    parser.add_argument("--predictions", type=Path, help="write Headline, Body ID, Stance for every scored row")
    args = parser.parse_args()
    if args.stances:
        if not args.bodies:
            parser.error("--stances needs --bodies")
        with open(args.bodies, encoding="utf-8", newline="") as fh:
            bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
        with open(args.stances, encoding="utf-8", newline="") as fh:
            held = [(r["Headline"], r["Body ID"], fnc.LABEL_INDEX.get(r.get("Stance", ""), -1)) for r in csv.DictReader(fh)]
    else:
        bodies, pairs = fnc.load_fnc(args.data)
        where = fnc.split_pairs(bodies, pairs)
        held = [pair for pair, part in zip(pairs, where) if part == "heldout"]
    model = StanceModel.load()
    t0 = time.time()
    probs = model.predict([(h, bodies[b]) for h, b, _ in held])
    gold = np.asarray([label for _, _, label in held])
    pred = probs.argmax(axis=1)
    print(f"predicted {len(held)} pairs over {len({b for _, b, _ in held})} bodies "
          f"in {time.time() - t0:.0f}s")
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Headline", "Body ID", "Stance"])
            for (h, b, _), p in zip(held, pred):
                writer.writerow([h, b, STANCE_LABELS[p]])
    scored = gold >= 0
    if scored.any():
        print(fnc.report("FNC-1 held-out (bodies and headlines unseen)", gold[scored], pred[scored]))


if __name__ == "__main__":
    main()
