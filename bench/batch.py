"""Batch-mode throughput on Dask: FNC-1 bodies as JSONL, 1 and 2 workers in the same run.

Prints articles/s for each worker count and their ratio (the aim is >= 1.8x on 2 cores), the peak
resident memory of a worker, and the growth from the small to the large collection (time and
worker memory per article). Every run starts from an empty output folder and database.

FNC-1 holds 1,683 distinct bodies. The large collection (default 10,000 articles) adds distinct
articles made from windows of consecutive paragraphs of those bodies (a body's paragraphs 1-3,
2-4, ...), so it has the same language and many overlapping stories, as a real crawl does.

    python bench/batch.py [--small 1000] [--large 10000] [--workers 1,2] [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "fnc1"


def load_bodies(data: Path) -> list[tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with open(data / "train_bodies.csv", encoding="utf-8") as fh:
        rows = [(r["Body ID"], r["articleBody"]) for r in csv.DictReader(fh)]
    return sorted(rows, key=lambda r: int(r[0]))


def collection(bodies: list[tuple[str, str]], n: int) -> list[dict[str, str]]:
    """The first n bodies; past the 1,683 real ones, paragraph windows of them (distinct texts)."""
    out = [{"id": f"fnc-{bid}", "text": text} for bid, text in bodies[:n]]
    width = 3
    while len(out) < n:
        for bid, text in bodies:
            paras = [p for p in text.split("\n") if p.strip()]
            for start in range(1, max(1, len(paras) - width + 1)):
                if len(out) >= n:
                    return out
                out.append({"id": f"fnc-{bid}-w{width}-{start}", "text": "\n\n".join(paras[start : start + width])})
        width += 1
        if width > 12:
            break
    return out[:n]


def run(records: list[dict[str, str]], workers: int, scratch: Path) -> dict[str, float]:
    from storydesk.options import Options
    from storydesk.scale import run_batch

    folder = scratch / f"n{len(records)}-w{workers}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    src = folder / "collection.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    start = time.perf_counter()
    result = run_batch([str(src)], folder / "out", Options(), workers=workers)
    seconds = time.perf_counter() - start
    return {"n": len(records), "workers": workers, "seconds": seconds, "rate": len(records) / seconds,
            "stories": len(result.stories), "errors": len(result.errors), "peak_mb": result.worker_peak_mb}


def show(r: dict[str, float]) -> None:
    print(f"{r['n']:>6} articles  {r['workers']} worker(s)  {r['seconds']:7.1f} s  {r['rate']:6.1f} articles/s  "
          f"{r['stories']:>5} stories  {r['errors']} errors  worker peak {r['peak_mb']:.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with FNC-1's train_bodies.csv")
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000, help="0 skips the growth run")
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    if not (args.data / "train_bodies.csv").exists():
        sys.exit(f"no train_bodies.csv in {args.data}; pass --data FOLDER")
    bodies = load_bodies(args.data)
    counts = [int(w) for w in args.workers.split(",")]
    print(f"cores: {os.cpu_count()}; workers compared: {counts}", flush=True)
    with tempfile.TemporaryDirectory(prefix="storydesk-bench-batch-") as tmp:
        scratch = Path(tmp)
        small = [run(collection(bodies, args.small), w, scratch) for w in counts]
        for r in small:
            show(r)
        ratio = small[-1]["rate"] / small[0]["rate"]
        print(f"speed-up {counts[-1]} vs {counts[0]} workers: {ratio:.2f}x")
        if args.large:
            big = run(collection(bodies, args.large), counts[-1], scratch)
            show(big)
            base = small[-1]
            print(f"growth {base['n']} -> {big['n']} articles ({big['n'] / base['n']:.0f}x): time {big['seconds'] / base['seconds']:.1f}x, "
                  f"worker peak memory {big['peak_mb'] / max(base['peak_mb'], 1):.2f}x")
        print(f"batch speedup {ratio:.2f} rate {small[-1]['rate']:.1f} articles/s peak {max(r['peak_mb'] for r in small):.0f} MB")


if __name__ == "__main__":
    main()
