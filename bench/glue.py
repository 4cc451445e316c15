"""Glued-word splitter benchmark: how many real words the cleaner splits in two ("un reassuring").

Why this shape: a false split alters an article's text (and, before quotes were protected, a quote),
so the measure is a count, and the target is zero. The words are wordfreq's English vocabulary (the
same frequencies the splitter reads) and words it may not know but a writer coins freely: each
content word of that vocabulary (zipf below 6, so not "the" or "about") behind one of the prefixes
un-, re-, non-, pre-, over-. Every word goes through the whole cleaner (`clean_text`), not one
helper, so the figure holds for any version of the code; words are batched into paragraphs separated
by "; " (a separator no repair touches) to keep the run short.

    python bench/glue.py [--top 50000] [--show 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wordfreq import top_n_list, zipf_frequency  # noqa: E402

from storydesk.extract.clean import clean_text  # noqa: E402

PREFIXES = ("un", "re", "non", "pre", "over")
CONTENT_ZIPF = 6.0  # at or above: a function word, which no prefix attaches to
BATCH = 400


def vocabulary(top: int) -> tuple[list[str], list[str]]:
    """(the vocabulary's alphabetic words, prefix + content word for each prefix)."""
    words = [w for w in top_n_list("en", top) if w.isalpha() and w.isascii()]
    content = [w for w in words if len(w) >= 3 and zipf_frequency(w, "en") < CONTENT_ZIPF]
    derived = sorted({p + w for p in PREFIXES for w in content} - set(words))
    return words, derived


def false_splits(words: list[str]) -> list[tuple[str, str]]:
    """(word, what the cleaner made of it) for every word it changed."""
    out = []
    for i in range(0, len(words), BATCH):
        batch = words[i : i + BATCH]
        text = clean_text("Words; " + "; ".join(batch) + ".", find_title=False).text.text
        got = text.removeprefix("Words; ").removesuffix(".").split("; ")
        if len(got) != len(batch):  # a repair crossed a separator: judge these words one by one
            got = [clean_text(f"Words; {w}.", find_title=False).text.text.removeprefix("Words; ").removesuffix(".") for w in batch]
        out += [(w, g) for w, g in zip(batch, got) if g != w]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--top", type=int, default=50000, help="vocabulary size: wordfreq's top N English words")
    ap.add_argument("--show", type=int, default=20, help="false splits to print per set")
    args = ap.parse_args()
    start = time.perf_counter()
    words, derived = vocabulary(args.top)
    total = 0
    for name, ws in (("vocabulary", words), ("prefix + word", derived)):
        bad = false_splits(ws)
        total += len(bad)
        print(f"{name}: {len(ws)} words, {len(bad)} false splits")
        for w, g in bad[: args.show]:
            print(f"  {w} -> {g}")
    print(f"false splits: {total}  ({time.perf_counter() - start:.0f}s)")


if __name__ == "__main__":
    main()
