"""Sentences that two sources share almost word for word, and the details in which they differ.

A spun page usually rewrites a real report: most sentences survive, and a few specific details are
changed (a number, a date, a name or title, a "not"). Sentence pairs from different articles that
share most of their words (token SequenceMatcher ratio >= NEAR_RATIO) are found through an inverted
index of word trigrams, so work grows with the number of shared sentences, not with the square of
the pile. Each differing chunk of such a pair is classified; chunks that are mere rewording are
ignored. Articles that share at least COPY_SHARE of their sentences this way are near-copies: one
source, not two.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..model import Sentence
from ..claims.stance import STOPWORDS
from .context import Context, content_words, is_negation, tokens

# Token-sequence similarity above which two sentences are one sentence, edited. Rewrites by another
# outlet of the same fact sit around 0.3-0.5; a copy with one changed detail above 0.75.
NEAR_RATIO = 0.7
# Between LOOSE_RATIO and NEAR_RATIO two sentences are rewordings of one statement: only a differing
# number or date framed on both sides by at least FLANK identical words counts (a name or a "not"
# in a reworded sentence is too often a change of subject) ("... (Scotland) Act 2006 and
# ..." against "... (Scotland) Act 2007 and ..."), since elsewhere the wording differs anyway.
LOOSE_RATIO = 0.45
FLANK = 2
# Content-word overlap above which two sentences in another order say the same thing (support only).
PARAPHRASE_JACCARD = 0.6
# Share of the shorter article's sentences matched to the other article for the two to be one report.
COPY_SHARE = 0.5
# Share of each article's sentences matched for two articles to be versions of one text, so that a
# sentence only one of them has is an addition (wire copies that each add their own context sit lower).
VERSION_SHARE = 0.8
# Shared word trigrams needed before a pair is scored at all (the inverted-index filter).
MIN_SHARED_TRIGRAMS = 2
MAX_BUCKET = 50
MIN_WORDS = 6
# Longest differing run (in words, per side) still read as an edited detail rather than a rewrite.
MAX_CHUNK = 4

WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"}
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {
    w: w for w in ("dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "billion")}
# Character similarity above which two differing names are one name spelt two ways.
SPELLING_RATIO = 0.7
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


@dataclass(slots=True)
class Chunk:
    kind: str  # number, date, name, negation
    mine: str
    theirs: str


@dataclass(slots=True)
class NearPair:
    a: Sentence
    b: Sentence
    ratio: float
    chunks: list[Chunk] = field(default_factory=list)  # from a's point of view: mine = a's words


def near_pairs(ctx: Context) -> list[NearPair]:
    """Every cross-article pair of sentences that share most of their words, with the differing details
    classified (pairs that only share words in another order carry no details: they support)."""
    sents = [s for a in ctx.ids for s in ctx.sentences.get(a, []) if len(tokens(s.text)) >= MIN_WORDS]
    toks = [tokens(s.text) for s in sents]
    low = [[t.lower() for t in ts] for ts in toks]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, ws in enumerate(low):
        for g in {tuple(ws[k : k + 3]) for k in range(len(ws) - 2)}:
            index[g].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        if len(members) > MAX_BUCKET:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if sents[i].article != sents[j].article:
                    shared[(i, j)] += 1
    pairs = []
    for (i, j), n in sorted(shared.items()):
        if n < MIN_SHARED_TRIGRAMS:
            continue
        sm = SequenceMatcher(None, low[i], low[j], autojunk=False)
        ratio = sm.ratio()
        if ratio < LOOSE_RATIO:
            if _jaccard(low[i], low[j]) >= PARAPHRASE_JACCARD:
                pairs.append(NearPair(sents[i], sents[j], ratio, []))  # same words, reordered: support only
            continue
        ops = sm.get_opcodes()
        chunks = [c for k, op in enumerate(ops) if op[0] != "equal" and (ratio >= NEAR_RATIO or _framed(ops, k))
                  for c in _classify(op, toks[i], toks[j]) if ratio >= NEAR_RATIO or c.kind in ("number", "date")]
        pairs.append(NearPair(sents[i], sents[j], ratio, chunks))
    return pairs


def near_copies(ctx: Context, pairs: list[NearPair], both: bool = False) -> list[tuple[str, str]]:
    """Article pairs sharing most of their sentences: one report, counted as one source.

    With `both`, most sentences of each article must be shared (two versions of one text), not just
    most of the shorter one's (a long article that quotes a wire story whole)."""
    matched: dict[tuple[str, str], set[tuple[str, tuple[int, int]]]] = defaultdict(set)
    for p in (p for p in pairs if p.ratio >= NEAR_RATIO):
        key = (min(p.a.article, p.b.article), max(p.a.article, p.b.article))
        matched[key].add((p.a.article, p.a.span))
        matched[key].add((p.b.article, p.b.span))
    out = []
    for (x, y), spans in sorted(matched.items()):
        n_x = sum(1 for a, _ in spans if a == x)
        n_y = sum(1 for a, _ in spans if a == y)
        size_x, size_y = _countable(ctx, x) or 1, _countable(ctx, y) or 1
        if both and (n_x >= VERSION_SHARE * size_x and n_y >= VERSION_SHARE * size_y):
            out.append((x, y))
        elif not both and min(n_x, n_y) >= COPY_SHARE * min(size_x, size_y):
            out.append((x, y))
    return out


def additions(ctx: Context, pairs: list[NearPair], copies: list[tuple[str, str]]) -> list[tuple[Sentence, str]]:
    """Sentences one near-copy has and its counterpart lacks, with the counterpart's id."""
    covered: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for p in (p for p in pairs if p.ratio >= NEAR_RATIO):
        covered[(p.a.article, p.b.article)].add(p.a.span)
        covered[(p.b.article, p.a.article)].add(p.b.span)
    out = []
    for x, y in copies:
        for mine, other in ((x, y), (y, x)):
            other_words = content_words(ctx.articles[other].text)
            for s in ctx.sentences.get(mine, []):
                if len(tokens(s.text)) < MIN_WORDS or s.span in covered[(mine, other)]:
                    continue
                words = content_words(s.text)
                # Not a rewording of something the counterpart says: most of its words are new there.
                if words and len(words - other_words) >= 0.4 * len(words):
                    out.append((s, other))
    return out


def _jaccard(a: list[str], b: list[str]) -> float:
    sa = {w for w in a if w not in STOPWORDS}
    sb = {w for w in b if w not in STOPWORDS}
    return len(sa & sb) / max(1, len(sa | sb))


def _framed(ops: Sequence[tuple[str, int, int, int, int]], k: int) -> bool:
    def run(op: tuple[str, int, int, int, int] | None) -> int:
        return op[2] - op[1] if op and op[0] == "equal" else 0

    before = run(ops[k - 1]) if k > 0 else 0
    after = run(ops[k + 1]) if k + 1 < len(ops) else 0
    ends = k + 1 == len(ops) or ops[k][2] == ops[-1][2] or ops[k][4] == ops[-1][4]  # ends a sentence
    return before >= FLANK and (after >= FLANK or ends)


def _countable(ctx: Context, article: str) -> int:
    return sum(1 for s in ctx.sentences.get(article, []) if len(tokens(s.text)) >= MIN_WORDS)


def _classify(op: tuple[str, int, int, int, int], ta: list[str], tb: list[str]) -> list[Chunk]:
    tag, i1, i2, j1, j2 = op
    a, b = ta[i1:i2], tb[j1:j2]
    if len(a) > MAX_CHUNK or len(b) > MAX_CHUNK:
        # A rewritten clause, not an edited detail; unless both start with a number or date right where
        # the shared words stop ("... Act 2006." against "... Act 2007 and anyone ...").
        if tag == "replace" and i1 > 0 and j1 > 0:
            head = [c for c in _classify(("replace", i1, i1 + 1, j1, j1 + 1), ta, tb) if c.kind in ("number", "date")]
            return head
        return []
    neg_a, neg_b = sum(map(is_negation, a)), sum(map(is_negation, b))
    if neg_a != neg_b:
        if len(a) + len(b) > MAX_CHUNK:
            return []  # "a friend" vs "a friend who never came": more than a negation changed
        return [Chunk("negation", " ".join(ta[max(0, i1 - 2) : i2 + 1]), " ".join(tb[max(0, j1 - 2) : j2 + 1]))]
    if tag != "replace":
        return []
    kinds = []
    if numbers_in(a) and numbers_in(b) and numbers_in(a) != numbers_in(b):
        kinds.append("number")
    if _same_date_kind(dates_in(a), dates_in(b)) and dates_in(a) != dates_in(b):
        kinds.append("date")
    names_a = {t for k, t in enumerate(a) if t[:1].isupper() and (i1 + k) > 0}
    names_b = {t for k, t in enumerate(b) if t[:1].isupper() and (j1 + k) > 0}
    if (names_a and names_b and names_a != names_b and not ({t.lower() for t in names_a} <= WEEKDAYS | MONTHS)
            and not spelling_variants(" ".join(a), " ".join(b))):
        kinds.append("name")
    if not kinds and len(a) <= 3 and len(b) <= 3 and _role_word(a) and _role_word(b):
        kinds.append("name")
    return [Chunk(kinds[0], " ".join(a), " ".join(b))] if kinds else []


def _same_date_kind(a: set[str], b: set[str]) -> bool:
    """A weekday against a weekday, a month against a month, a year against a year: "Friday" and
    "2 January" may well be the same day."""
    def kind(ws: set[str]) -> set[str]:
        return {"weekday" if w in WEEKDAYS else "month" if w in MONTHS else "year" for w in ws}
    return bool(a and b and kind(a) & kind(b))


def spelling_variants(a: str, b: str) -> bool:
    """"Kazaryan" and "Kazarian", "Mohammad" and "Mohammed", "Adm" and "Admiral": one name two ways."""
    x, y = a.lower().strip(". "), b.lower().strip(". ")
    if len(x) >= 3 and len(y) >= 3 and (x.startswith(y) or y.startswith(x)):
        return True
    return SequenceMatcher(None, x, y, autojunk=False).ratio() >= SPELLING_RATIO


def numbers_in(ws: list[str]) -> set[str]:
    """Numbers as plain values: "1,200" is "1200", "five" is "5"."""
    out = set()
    for w in ws:
        low = w.lower()
        if w[0].isdigit() and not _YEAR.match(w):
            value = w.replace(",", "")
            out.add(value[:-2] if value.endswith(".0") else value)
        elif low in NUMBER_WORDS:
            out.add(NUMBER_WORDS[low])
    return out


def dates_in(ws: list[str]) -> set[str]:
    """Weekdays, months (capitalised: "may" is a verb) and years."""
    return {w.lower() for w in ws if (w[:1].isupper() and w.lower() in WEEKDAYS | MONTHS) or _YEAR.match(w)}


def _role_word(ws: list[str]) -> bool:
    from .roles import ROLE_WORDS

    return any(w.lower() in ROLE_WORDS for w in ws)
