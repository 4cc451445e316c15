"""Turn a pasted or saved article into clean paragraphs, keeping a map back to the raw input.

Pasted text arrives with everything a browser copy drags along: inline links as `text <url>`, words
glued where a link was stripped, lines hard-wrapped at 80 columns, breadcrumbs, share prompts,
related-article headlines with "Read more", image file names, bylines and e-mail addresses. The
rules below are general (patterns, line-length statistics, word frequencies); none names a site or a
sentence. Order matters and is deliberate:

1. character repairs and link removal, on the raw text (links carry the outlet's own URLs, which the
   metadata stage reads, so they are collected first);
2. a physical-line pass for furniture that is unambiguous even inside wrapped text ("Read more" and
   the related headline above it, image file names);
3. re-joining wrapped lines into paragraphs, because the remaining furniture rules judge a whole
   paragraph (a wrapped fragment ending in "comments" is not a comment prompt);
4. paragraph-level furniture, title, byline and header lines;
5. glued-word splitting and spacing repairs inside paragraphs, then removal of paragraphs repeated
   inside a longer one (standfirsts repeated as the lead).

Quoted passages are never repaired: a quote is what someone said, character for character, and a
word the splitter does not know ("unreassuring") is likelier a speaker's coinage than a glue. Outside
quotes, a word that reads as a common prefix on a known word ("un" + "reassuring", "over" + "hyped")
is a derived word, not two glued ones; `bench/glue.py` counts the splitter's false splits on the
whole wordfreq vocabulary and on such derived words.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from collections.abc import Callable
from functools import lru_cache

from ..nlp.quote_marks import find_marked
from .furniture import furniture_reason, is_disclaimer, is_image_file_name, looks_like_headline
from .tracked import Tracked

# A text is hard-wrapped when most of its lines fill at least this share of the usual line width.
WRAP_FILL = 0.6
# ...and when that width is this narrow; longer "lines" are whole paragraphs.
MAX_WRAP_WIDTH = 110
# Zipf frequency (wordfreq scale: 3 = once per million words) above which a piece is a real word.
WORD_ZIPF = 3.0
COMMON_ZIPF = 4.5
# A rarer second word is accepted beside a very common first one ("theembattled").
RARE_ZIPF = 2.5
FUNCTION_ZIPF = 6.0
_PARTICLES = {"de", "van", "von", "da", "di", "la", "le", "du", "del", "della", "ibn", "bin", "al", "el", "mc", "mac", "o", "d", "l"}

_LINK = re.compile(r"[ \t]*\n?[ \t]*<(https?://[^>\s]*)>", re.I)
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
_BARE_URL = re.compile(r"https?://\S+")
_EMAIL = re.compile(r"[ \t]*\(?[ \t]*\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b[ \t]*\)?")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029")
_MULTISPACE = re.compile(r" {2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w”’\"']) +(?=[,.;:](?:\s|$))")
_TERMINAL = re.compile(r"[.!?…:][\"'”’)\]]*$")
_HEADER_PREFIX = re.compile(
    r"^\s*(date|published|posted|updated|first published|last updated)\s*:?\s*"
    r"(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})"
    r"([ T]\d{1,2}:\d{2}(:\d{2})?\s*([AaPp]\.?[Mm]\.?)?\s*([A-Z]{2,4}|[+-]\d{2}:?\d{2})?)?\s*[|·-]?\s*",
    re.I,
)
_BYLINE = re.compile(r"^\s*(?:by|written by|words by)[:\s]+([A-Za-z][\w.'’-]*(?:\s+(?:and\s+|&\s+)?[A-Za-z][\w.'’-]*){0,6})\s*$", re.I)
_CAMEL_GLUE = re.compile(r"\b([a-z]{2,})([A-Z][a-z]{2,})\b")
_LOWER_GLUE = re.compile(r"\b[A-Za-z][a-z]{4,}\b")
_COMMA_GLUE = re.compile(r"(?<=[a-z])([,;])(?=[a-z]{2,})")
_STOP_GLUE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_QUOTE_GLUE = re.compile(r"(?<=[.,!?…][\"”])(?=[A-Za-z])")
_LAST_WORD = re.compile(r"\b([A-Za-z]+)\s*$")
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for from with and or but nor as than that which who whom whose "
    "is are was were be been has have had will would can could should may might must its his her their our".split()
)
# Productive English prefixes: prefix + a known content word is one derived word, never a glue.
PREFIXES = ("un", "re", "non", "pre", "over", "under", "mis", "dis", "anti", "counter", "out", "post", "semi", "sub", "super", "inter", "co")
_READ_MORE = re.compile(r"^\s*(read more|read more:?.*|continue reading|see more)\s*$", re.I)
_ENDS_READ_MORE = re.compile(r"\bread more\s*$", re.I)


@dataclass(slots=True)
class Cleaned:
    text: Tracked
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    link_urls: list[str] = field(default_factory=list)
    header_line: str | None = None
    disclaimers: list[str] = field(default_factory=list)
    promos: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)


def clean_text(raw: str, *, find_title: bool = True) -> Cleaned:
    """Clean paragraphs joined by blank lines; offsets map back into `raw`."""
    out = Cleaned(Tracked.of(raw))
    t = out.text.sub(_NEWLINES, "\n").sub(_ZERO_WIDTH, "").sub(_ODD_SPACE, " ")
    out.link_urls = [m.group(1) for m in _LINK.finditer(t.text)] + [m.group(2) for m in _MD_LINK.finditer(t.text)]
    t = t.sub(_LINK, "").sub(_MD_LINK, lambda m: m.group(1))
    out.contacts = [m.group(0).strip(" \t()") for m in _EMAIL.finditer(t.text)]
    t = t.sub(_EMAIL, "")
    lines = _drop_link_furniture([ln for ln in t.lines()], out)
    paras = _paragraphs(lines)
    paras = _paragraph_furniture(paras, out, find_title)
    vocab = frozenset(re.findall(r"\b[A-Z][a-z]+\b", t.text))
    paras = [_repair(p, vocab) for p in paras]
    paras = _drop_repeats(paras, out)
    out.text = Tracked.join("\n\n", paras)
    return out


def _drop_link_furniture(lines: list[Tracked], out: Cleaned) -> list[Tracked]:
    """"Read more" with its related headline, and image file names: safe on wrapped text too."""
    kept: list[Tracked] = []
    for line in lines:
        s = line.text.strip()
        if _READ_MORE.match(s):
            for n in range(1, min(3, len(kept)) + 1):
                headline = " ".join(ln.text.strip() for ln in kept[-n:])
                before = kept[-n - 1].text.strip() if len(kept) > n else ""
                if looks_like_headline(headline) and (not before or _TERMINAL.search(before)):
                    del kept[-n:]
                    out.dropped.append(("related article", headline))
                    break
            out.dropped.append(("reader prompt", s))
            continue
        if _ENDS_READ_MORE.search(s) and looks_like_headline(_ENDS_READ_MORE.sub("", s)):
            out.dropped.append(("related article", s))
            continue
        if is_image_file_name(s):
            out.dropped.append(("image file name", s))
            continue
        kept.append(line)
    return kept


def _paragraphs(lines: list[Tracked]) -> list[Tracked]:
    """Re-join hard-wrapped lines; keep real paragraph breaks."""
    lengths = [len(ln.text.rstrip()) for ln in lines if ln.text.strip()]
    width = statistics.quantiles(lengths, n=20)[-1] if len(lengths) >= 5 else 0
    wrapped = 0 < width <= MAX_WRAP_WIDTH and sum(n >= WRAP_FILL * width for n in lengths) >= 0.5 * len(lengths)
    paras: list[list[Tracked]] = []
    current: list[Tracked] = []
    for line in lines:
        s = line.strip()
        if not s.text:
            if current:
                paras.append(current)
            current = []
            continue
        if current and not _continues(current[-1].text, s.text, wrapped, width):
            paras.append(current)
            current = []
        current.append(s)
    if current:
        paras.append(current)
    joined = [Tracked.join(" ", p) for p in paras]
    return _join_broken(joined)


def _continues(prev: str, nxt: str, wrapped: bool, width: float) -> bool:
    if nxt[0] in ",.;:)]”’" or nxt[0].islower():
        return True
    if (m := _LAST_WORD.search(prev)) and m.group(1).lower() in _FUNCTION_WORDS:
        return True  # no title or paragraph ends on "on", "the", "and"
    if wrapped:
        return not (_TERMINAL.search(prev) and len(prev) < WRAP_FILL * width)
    return False


def _join_broken(paras: list[Tracked]) -> list[Tracked]:
    """A paragraph that stops mid-sentence and one that resumes in lower case are one paragraph."""
    out: list[Tracked] = []
    for p in paras:
        if out and p.text[:1].islower() and not _TERMINAL.search(out[-1].text):
            out[-1] = Tracked.join(" ", [out[-1], p])
        else:
            out.append(p)
    return out


def _paragraph_furniture(paras: list[Tracked], out: Cleaned, find_title: bool) -> list[Tracked]:
    kept: list[Tracked] = []
    for i, p in enumerate(paras):
        s = p.text
        head = _HEADER_PREFIX.match(s) if not kept else None
        if head:
            out.header_line = head.group(0).strip()
            p = p[head.end():].strip()
            s = p.text
            if not s:
                continue
        byline = _BYLINE.match(s) if len(kept) <= 3 else None
        if byline:
            out.byline = _split_names(byline.group(1))
            out.dropped.append(("byline", s))
            continue
        reason = furniture_reason(s)
        if reason:
            if reason == "opinion disclaimer" or is_disclaimer(s):
                out.disclaimers.append(s)
            if reason == "app/social prompt":
                out.promos.append(s)
            out.dropped.append((reason, s))
            continue
        if find_title and out.title is None and not kept and i + 1 < len(paras) and looks_like_headline(s):
            out.title = s
            continue
        kept.append(p)
    return kept


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", names)
    return [n.title() if n.isupper() else n for n in (x.strip() for x in parts) if n]


def _repair(p: Tracked, vocab: frozenset[str]) -> Tracked:
    p = _outside_quotes(p, _CAMEL_GLUE, _split_camel)
    p = _outside_quotes(p, _LOWER_GLUE, lambda m: _split_glued(m, vocab))
    for pattern, repl in ((_COMMA_GLUE, r"\1 "), (_STOP_GLUE, " "), (_QUOTE_GLUE, " ")):
        p = _outside_quotes(p, pattern, repl)
    return _outside_quotes(p.sub(_MULTISPACE, " "), _SPACE_BEFORE_PUNCT, "").strip()


def _outside_quotes(p: Tracked, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Tracked:
    """`p.sub(pattern, repl)` everywhere but inside quoted passages (marks included): a match touching
    a quote is left as it is. An empty match (an inserted space) counts only strictly inside one, so
    the space after a closing mark ('fair,"said') is still repaired. A passage left open at the
    paragraph's end counts only if its mark opens (after a space or at the start): a lone mark glued
    to a word ('dead,"said') closes a quote that began before the text did."""
    regions = [(m.open, m.close) for m in find_marked(p.text) if m.closed or _opens(p.text, m.open)]
    if not regions:
        return p.sub(pattern, repl)

    def guarded(m: re.Match[str]) -> str:
        s, e = m.span()
        if any((a < s < b) if s == e else (s < b and e > a) for a, b in regions):
            return m.group(0)
        return repl(m) if callable(repl) else m.expand(repl)

    return p.sub(pattern, guarded)


def _opens(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–-"


def _split_camel(m: re.Match[str]) -> str:
    """"visitAngela" -> "visit Angela"; McDonald, iPhone, PlayStation, DeSantis never reach here
    (the left part must be a lower-case common word of two letters or more)."""
    left, right = m.group(1), m.group(2)
    if left in _PARTICLES or _zipf(left) < WORD_ZIPF:
        return m.group(0)
    return f"{left} {right}"


def _split_glued(m: re.Match[str], vocab: frozenset[str]) -> str:
    """"hehinted" -> "he hinted": an unknown word that is two known words, one of them common.

    A capitalised unknown word is a name more often than a glue, so it is split only where its first
    part stands alone elsewhere in the same article ("Pariscannot" beside "Paris").
    """
    return glue_split(m.group(0), vocab)


def glue_split(word: str, vocab: frozenset[str] = frozenset()) -> str:
    """One word as the splitter leaves it: itself, or two words joined by a space (see `_split_glued`)."""
    if _zipf(word.lower()) > 0 or _zipf(word) > 0 or is_derived(word.lower()):
        return word
    capital = word[0].isupper()
    best, best_score = None, 0.0
    for i in range(1, len(word) - 2):
        a, b = word[:i], word[i:]
        if (len(a) == 1 and a.lower() != "a") or (capital and a not in vocab):
            continue
        za, zb = _zipf(a.lower()), _zipf(b)
        floor = RARE_ZIPF if max(za, zb) >= FUNCTION_ZIPF else WORD_ZIPF
        if min(za, zb) >= floor and max(za, zb) >= COMMON_ZIPF and min(za, zb) > best_score:
            best, best_score = (a, b), min(za, zb)
    return f"{best[0]} {best[1]}" if best else word


def is_derived(word: str) -> bool:
    """"unreassuring", "overhyped", "nonreassuring": a prefix on a known content word (or on such a
    derived word). A prefix on a function word (zipf FUNCTION_ZIPF or more: "overthe") is a glue."""
    for prefix in PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 3:
            if 0 < _zipf(rest) < FUNCTION_ZIPF or is_derived(rest):
                return True
    return False


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _drop_repeats(paras: list[Tracked], out: Cleaned) -> list[Tracked]:
    """A paragraph repeated inside a longer one (a standfirst repeated as the lead) is dropped once."""
    norm = [re.sub(r"\W+", " ", p.text).strip().lower() for p in paras]
    kept = []
    for i, p in enumerate(paras):
        n = norm[i]
        if len(n) > 40 and any(j != i and n in norm[j] and (len(norm[j]) > len(n) or j < i) for j in range(len(paras))):
            out.dropped.append(("repeated paragraph", p.text))
            continue
        kept.append(p)
    return kept
