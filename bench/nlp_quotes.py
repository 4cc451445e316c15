"""Quote attribution benchmark: precision, recall and F1 of (speaker, quoted words).

Scoring rules are documented in bench/data/QUOTES.md. Run directly for figures per half of the file
(the first half is the development half, the second half is held out):

    python bench/nlp_quotes.py [path] [--verbose]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from storydesk.model import Article, Quote, stable_id
from storydesk.nlp.entities import resolve_entities
from storydesk.nlp.parse import parse_articles
from storydesk.nlp.quotes import extract_quotes

DEFAULT_PATH = Path(__file__).parent / "data" / "quotes.jsonl"
_DROP = frozenset({"the", "a", "an", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame"})


def load(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def bench_quotes(
    path: str | Path = DEFAULT_PATH, *, part: str = "all", verbose: bool = False
) -> dict[str, float]:
    """Run parse -> entities -> quotes over the annotated paragraphs and score them.

    `part` is "all", "first" (development half) or "second" (held-out half). Returns p, r, f1 and the
    counts they come from, plus kind_accuracy over the matched pairs.
    """
    records = load(path)
    half = (len(records) + 1) // 2
    records = {"all": records, "first": records[:half], "second": records[half:]}[part]
    articles = [
        Article(id=stable_id(r["text"]), source=r["id"], text=r["text"], published=r.get("published"))
        for r in records
    ]
    docs = parse_articles(articles)
    entities = resolve_entities(articles, docs)
    predicted: dict[str, list[Quote]] = {}
    for q in extract_quotes(articles, docs, entities):
        predicted.setdefault(q.article, []).append(q)
    tp = n_gold = n_pred = same_kind = 0
    for rec, art in zip(records, articles):
        gold = rec["quotes"]
        preds = predicted.get(art.id, [])
        n_gold, n_pred = n_gold + len(gold), n_pred + len(preds)
        matched = _match(rec["text"], gold, preds)
        tp += len(matched)
        same_kind += sum(1 for g, p in matched if g["kind"] == p.kind)
        if verbose:
            _show(rec, gold, preds, matched)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "p": round(p, 3), "r": round(r, 3), "f1": round(f1, 3),
        "tp": tp, "gold": n_gold, "predicted": n_pred,
        "kind_accuracy": round(same_kind / tp, 3) if tp else 0.0,
    }


def _match(text: str, gold: list[dict[str, Any]], preds: list[Quote]) -> list[tuple[dict[str, Any], Quote]]:
    spans = []
    cursor = 0
    for g in gold:
        at = text.find(g["text"], cursor)
        at = at if at >= 0 else text.find(g["text"])
        spans.append((at, at + len(g["text"])))
        cursor = max(at, 0) + 1
    free = list(range(len(gold)))
    out = []
    for p in preds:
        for k in free:
            (gs, ge), g = spans[k], gold[k]
            if gs < p.span[1] and p.span[0] < ge and speaker_matches(g, p):
                out.append((g, p))
                free.remove(k)
                break
    return out


def speaker_matches(gold: dict[str, Any], pred: Quote) -> bool:
    """Case-insensitive; a surname (any name word) suffices; any two anonymous speakers match."""
    if gold.get("anonymous") and pred.anonymous:
        return True
    a, b = _words(gold["speaker"]), _words(pred.speaker)
    if not a or not b:
        return False
    return a <= b or b <= a or gold["speaker"].split()[-1].lower() == pred.speaker.split()[-1].lower()


def _words(name: str) -> set[str]:
    return {w for w in re.split(r"[^\w']+", name.lower().replace("’", "'")) if w and w not in _DROP}


def _show(
    rec: dict[str, Any], gold: list[dict[str, Any]], preds: list[Quote], matched: list[tuple[Any, Quote]]
) -> None:
    hit_g = {id(g) for g, _ in matched}
    hit_p = {id(p) for _, p in matched}
    for g in gold:
        if id(g) not in hit_g:
            print(f"{rec['id']} MISS  [{g['speaker']}] {g['text'][:70]!r}")
    for p in preds:
        if id(p) not in hit_p:
            print(f"{rec['id']} FALSE [{p.speaker}|anon={p.anonymous}] {p.text[:70]!r}")


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    path = args[0] if args else DEFAULT_PATH
    verbose = "--verbose" in argv
    for part in ("first", "second", "all"):
        print(part, bench_quotes(path, part=part, verbose=verbose and part != "all"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
