"""Wall time and peak memory of claim alignment (`storydesk.claims.align.align_claims`) as the pile grows.

Articles are FNC-1 bodies (train_bodies.csv, 1,683 bodies), replicated to reach 100, 1,000 and 10,000
articles; every replica gets its own article id, so replicas of one body count as different articles
and their claims may align. Claims are body sentences (a plain regex split on . ! ? followed by
whitespace), kept when 6-80 words long, at most --per-article (default 8) per article; quantities
and entities are empty, so only the cosine rule (CANDIDATE_COSINE) and the LSH / exact candidate
generation are exercised, not the entity or unit paths.

Embeddings: MiniLM on CPU for ~80k sentences would dominate a bench, so each UNIQUE sentence is
embedded once with `storydesk.claims.embed.embed` (in a child process, so the model's memory does
not pollute the RSS figures below), cached as a .npy keyed by the data file's hash under
~/.cache/storydesk-bench (or --cache DIR). Replica 0 of a body uses the exact vectors; replicas 1, 2,
... add Gaussian noise (sigma 0.02 per dimension, seeded, re-normalised), so replicas are
near-duplicates (cosine ~0.93 to the original, ~0.87 between two noisy replicas), not identical.
Embedding time is printed separately and is not part of the alignment figures.

Only the `align_claims` call is measured: wall time in one untraced run, with the ru_maxrss growth
over the process's previous peak (a lower bound on what the call added: 0 when it stayed below an
earlier peak); then a second run under tracemalloc for the peak of Python + numpy allocations
(tracemalloc slows allocation, so it is kept out of the timed run). Sizes run in increasing order.
The growth exponent is the slope of log(time) vs log(articles) between consecutive sizes and, over
all sizes, the least-squares slope. align.py scores every pair exactly up to EXACT_LIMIT claims and
uses random-hyperplane LSH above; the path taken is printed for each size.
The BLAS thread count is left as the environment sets it (what StoryDesk runs with); on a busy
machine OPENBLAS_NUM_THREADS=1 changes the LSH figures a lot, because the LSH path does thousands of
tiny per-bucket matrix products whose threading overhead dominates.

Usage: python bench/alignment.py [--data DIR] [--cache DIR] [--sizes 100,1000,10000] [--per-article 8]
The last line is `alignment exponent X.XX`.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import json
import math
import re
import resource
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storydesk.claims import align  # noqa: E402
from storydesk.model import Claim, stable_id  # noqa: E402

DATA_DIR = REPO.parent / "shared" / "data" / "fnc1"
CACHE_DIR = Path.home() / ".cache" / "storydesk-bench"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
MIN_WORDS, MAX_WORDS = 6, 80
NOISE_SIGMA = 0.02
NOISE_SEED = 2024


def load_bodies(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["Body ID"], row["articleBody"]) for row in csv.DictReader(fh)]


def body_claims(text: str, per_article: int) -> list[tuple[tuple[int, int], str]]:
    """(span, text) of the first `per_article` sentences of MIN_WORDS-MAX_WORDS words."""
    out = []
    start = 0
    for match in [*SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        sent = text[start:end].strip()
        if sent and MIN_WORDS <= len(sent.split()) <= MAX_WORDS:
            lead = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            out.append(((lead, lead + len(sent)), sent))
            if len(out) == per_article:
                break
        if match:
            start = match.end()
    return out


def _embed_in_child(texts: list[str]) -> tuple[np.ndarray, float]:
    from storydesk.claims.embed import embed

    t0 = time.perf_counter()
    vectors = embed(texts)
    return vectors, time.perf_counter() - t0


def sentence_vectors(texts: list[str], data_file: Path, cache_dir: Path) -> tuple[np.ndarray, str]:
    """Vectors of the unique sentences; the cache (one .npy + its sentence list, per data-file hash)
    grows as needed, and missing sentences are embedded in a child process."""
    digest = hashlib.sha256(data_file.read_bytes()).hexdigest()[:16]
    cache, names = cache_dir / f"fnc1-bodies-{digest}.npy", cache_dir / f"fnc1-bodies-{digest}.json"
    known: dict[str, int] = {}
    stored = np.zeros((0, 0), np.float32)
    if cache.exists() and names.exists():
        stored = np.load(cache)
        known = {t: i for i, t in enumerate(json.loads(names.read_text(encoding="utf-8")))}
        if len(known) != stored.shape[0]:
            known, stored = {}, np.zeros((0, 0), np.float32)
    missing = [t for t in texts if t not in known]
    how = f"cached {cache}"
    if missing:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            fresh, seconds = pool.submit(_embed_in_child, missing).result()
        stored = np.concatenate([stored, fresh]) if known else fresh
        known.update({t: len(known) + i for i, t in enumerate(missing)})
        cache_dir.mkdir(parents=True, exist_ok=True)
        np.save(cache, stored)
        names.write_text(json.dumps(sorted(known, key=known.__getitem__)), encoding="utf-8")
        how = (f"{len(missing)} computed in {seconds:.1f}s ({len(missing) / seconds:.0f} sentences/s), "
               f"saved {cache}")
    return stored[[known[t] for t in texts]], how


def build(n_articles: int, per_body: list[list[tuple[tuple[int, int], str]]], body_ids: list[str],
          index: dict[str, int], base: np.ndarray) -> tuple[list[Claim], np.ndarray]:
    claims: list[Claim] = []
    rows: list[np.ndarray] = []
    for replica in range(math.ceil(n_articles / len(per_body))):
        count = min(len(per_body), n_articles - replica * len(per_body))
        chosen: list[int] = []
        for b in range(count):
            article = f"fnc1-{body_ids[b]}-r{replica}"
            for span, text in per_body[b]:
                claims.append(Claim(id=stable_id(article, str(span[0])), article=article, span=span, text=text))
                chosen.append(index[text])
        vecs = base[chosen]
        if replica:
            rng = np.random.default_rng(NOISE_SEED + replica)
            vecs = vecs + rng.normal(0.0, NOISE_SIGMA, vecs.shape).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        rows.append(vecs.astype(np.float32))
    return claims, np.concatenate(rows) if rows else np.zeros((0, base.shape[1]), np.float32)


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description="Scaling of claim alignment on replicated FNC-1 bodies")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder with train_bodies.csv")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="where sentence vectors are cached")
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated article counts")
    parser.add_argument("--per-article", type=int, default=8, help="most claims per article")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        parser.error("--sizes needs positive article counts")

    data_file = args.data / "train_bodies.csv"
    bodies = [(bid, text) for bid, text in load_bodies(data_file)]
    per_body_all = [body_claims(text, args.per_article) for _, text in bodies]
    keep = [i for i, c in enumerate(per_body_all) if c]  # an article with no claim adds nothing
    per_body = [per_body_all[i] for i in keep][: sizes[-1]]
    body_ids = [bodies[i][0] for i in keep][: sizes[-1]]
    unique = sorted({text for claims in per_body for _, text in claims})
    index = {text: i for i, text in enumerate(unique)}
    t0 = time.perf_counter()
    base, how = sentence_vectors(unique, data_file, args.cache)
    print(f"{len(body_ids)} FNC-1 bodies with claims, {len(unique)} unique sentences; "
          f"embedding {how} ({time.perf_counter() - t0:.1f}s here, not in the figures below)")
    print(f"align.py: EXACT_LIMIT={align.EXACT_LIMIT} claims, LSH {align.TABLES} tables x {align.BITS} bits, "
          f"MAX_BUCKET={align.MAX_BUCKET}; replica noise sigma {NOISE_SIGMA}")
    print(f"{'articles':>9} {'claims':>7} {'path':>5} {'pairs':>9} {'time s':>8} {'exp':>5} "
          f"{'tracemalloc MiB':>15} {'maxrss +MiB':>11}")

    times: list[float] = []
    for n in sizes:
        claims, vectors = build(n, per_body, body_ids, index, base)
        path = "exact" if len(claims) <= align.EXACT_LIMIT else "LSH"
        gc.collect()
        rss0 = maxrss_mib()
        t0 = time.perf_counter()
        pairs = align.align_claims(claims, vectors, [])
        seconds = time.perf_counter() - t0
        rss_delta = maxrss_mib() - rss0
        n_pairs = len(pairs)
        del pairs
        gc.collect()
        tracemalloc.start()
        align.align_claims(claims, vectors, [])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        exp = ""
        if times:
            exp = f"{math.log(seconds / times[-1]) / math.log(n / sizes[len(times) - 1]):.2f}"
        times.append(seconds)
        print(f"{n:>9} {len(claims):>7} {path:>5} {n_pairs:>9} {seconds:>8.3f} {exp:>5} "
              f"{peak / 2**20:>15.1f} {rss_delta:>11.1f}", flush=True)
        del claims, vectors

    if len(sizes) > 1:
        slope = float(np.polyfit(np.log(sizes), np.log(times), 1)[0])
        print(f"alignment exponent {slope:.2f}")
    else:
        print("alignment exponent nan")


if __name__ == "__main__":
    main()
