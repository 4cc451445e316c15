"""Language-layer benchmark: quote attribution, quantities, time expressions and throughput, in one run.

Why this shape: each extractor is scored on hand-annotated paragraphs (bench/data, rules in
bench/data/README.md) by its first half, where the rules were developed, and its second half, held
out, so that a gap between them shows overfitting. Throughput is measured against spaCy's own
`nlp.pipe` over the same text in the same process, so the figure is a ratio that survives a change
of machine: what the language layer adds on top of the parse it cannot avoid.

    python bench/nlp.py [--verbose] [--no-throughput] [--sentences N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from storydesk.model import Article  # noqa: E402
from storydesk.nlp.parse import parse_articles  # noqa: E402
from storydesk.nlp.quantities import extract_quantities  # noqa: E402
from storydesk.nlp.spacy_adapter import get_nlp  # noqa: E402
from storydesk.nlp.timex import extract_times  # noqa: E402

DATA = ROOT / "bench" / "data"
REL_TOL = 1e-6  # quantities: values equal within this relative tolerance
THROUGHPUT_AIM = 1.3  # language layer time / nlp.pipe time


def load(name: str) -> list[dict[str, Any]]:
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def halves(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    half = (len(records) + 1) // 2
    return {"first": records[:half], "second": records[half:], "all": records}


def articles_of(records: list[dict[str, Any]]) -> list[Article]:
    return [Article(id=r["id"], source="bench", text=r["text"], published=r.get("published")) for r in records]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "pred": n_pred, "gold": n_gold}


def score_quantities(records: list[dict[str, Any]], verbose: bool = False) -> dict[str, float]:
    """Correct: same unit and value within REL_TOL of a not yet matched gold quantity of the same text."""
    arts = articles_of(records)
    docs = parse_articles(arts)
    tp = n_pred = n_gold = 0
    for rec, art in zip(records, arts):
        gold = list(rec["quantities"])
        preds = extract_quantities(art, docs[art.id])
        n_pred, n_gold = n_pred + len(preds), n_gold + len(gold)
        for q in preds:
            hit = next((g for g in gold if g["unit"] == q.unit
                        and abs(g["value"] - q.value) <= REL_TOL * max(abs(g["value"]), 1e-12)), None)
            if hit is not None:
                gold.remove(hit)
                tp += 1
            elif verbose:
                print(f"  {rec['id']} FP {q.text!r} {q.value:g} {q.unit!r}")
        for g in gold if verbose else []:
            print(f"  {rec['id']} FN {g['text']!r} {g['value']:g} {g['unit']!r}")
    return prf(tp, n_pred, n_gold)


def score_times(records: list[dict[str, Any]], verbose: bool = False) -> dict[str, float]:
    """Correct: the predicted expression overlaps a gold one and the ISO values are equal (None too)."""
    arts = articles_of(records)
    docs = parse_articles(arts)
    tp = n_pred = n_gold = 0
    for rec, art in zip(records, arts):
        gold, pos = [], 0
        for g in rec["times"]:
            start = rec["text"].find(g["text"], pos)
            start = start if start >= 0 else rec["text"].find(g["text"])
            gold.append((start, start + len(g["text"]), g))
            pos = start + len(g["text"])
        preds = extract_times(art, docs[art.id])
        n_pred, n_gold = n_pred + len(preds), n_gold + len(gold)
        for ev in preds:
            hit = next((x for x in gold if x[0] < ev.span[1] and ev.span[0] < x[1] and x[2]["value"] == ev.date), None)
            if hit is not None:
                gold.remove(hit)
                tp += 1
            elif verbose:
                print(f"  {rec['id']} FP {ev.text!r} {ev.date}")
        for _, _, g in gold if verbose else []:
            print(f"  {rec['id']} FN {g['text']!r} {g['value']}")
    return prf(tp, n_pred, n_gold)


def quote_scores() -> dict[str, dict[str, float]] | None:
    try:
        from nlp_quotes import bench_quotes  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = DATA / "quotes.jsonl"
    try:
        return {part: bench_quotes(path, part=part) for part in ("first", "second", "all")}
    except TypeError:  # an older bench_quotes(path) without halves
        return {"all": bench_quotes(path)}


def language_layer(arts: list[Article]) -> int:
    """Every language stage a story goes through after cleaning; returns the number of facts found."""
    docs = parse_articles(arts)
    found = 0
    try:
        from storydesk.nlp.entities import resolve_entities
        from storydesk.nlp.quotes import extract_quotes
    except ImportError:
        pass
    else:
        entities = resolve_entities(arts, docs)
        found += len(entities) + len(extract_quotes(arts, docs, entities))
    for art in arts:
        found += len(extract_quantities(art, docs[art.id])) + len(extract_times(art, docs[art.id]))
    return found


def throughput(texts: list[str], target: int) -> tuple[int, float, float]:
    """(sentences, seconds for nlp.pipe alone, seconds for the language layer), best of two runs each."""
    nlp = get_nlp()
    per_text = [sum(1 for _ in doc.sents) for doc in nlp.pipe(texts)]  # also warms the model up
    repeated, sents = [], 0
    while sents < target:
        for text, n in zip(texts, per_text):
            repeated.append(text)
            sents += n
    arts = [Article(id=f"t{i}", source="bench", text=t) for i, t in enumerate(repeated)]
    best_pipe = best_layer = float("inf")
    for _ in range(2):
        best_pipe = min(best_pipe, timed(lambda: list(nlp.pipe(repeated, batch_size=32))))
        best_layer = min(best_layer, timed(lambda: language_layer(arts)))
    return sents, best_pipe, best_layer


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def line(name: str, scores: dict[str, dict[str, float]]) -> str:
    parts = [f"{part} p {s['p']:.3f} r {s['r']:.3f} f1 {s['f1']:.3f}" for part, s in scores.items()]
    return f"{name:<11} " + " | ".join(parts)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="print every miss")
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--sentences", type=int, default=2000, help="sentences in the throughput run")
    args = ap.parse_args(argv)
    quotes = quote_scores()
    print(line("quotes", quotes) if quotes else "quotes: not available")
    qrecs, trecs = load("quantities.jsonl"), load("timex.jsonl")
    print(line("quantities", {k: score_quantities(v, args.verbose) for k, v in halves(qrecs).items()}))
    print(line("times", {k: score_times(v, args.verbose) for k, v in halves(trecs).items()}))
    if not args.no_throughput:
        texts = [r["text"] for r in qrecs + trecs]
        if (DATA / "quotes.jsonl").exists():
            texts += [r["text"] for r in load("quotes.jsonl")]
        sents, pipe_s, layer_s = throughput(texts, args.sentences)
        print(f"throughput  {sents} sentences: nlp.pipe {sents / pipe_s:.0f} sent/s, language layer "
              f"{sents / layer_s:.0f} sent/s, ratio {layer_s / pipe_s:.2f} (aim <= {THROUGHPUT_AIM})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
