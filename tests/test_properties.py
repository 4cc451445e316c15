"""Property-based tests (hypothesis) for the stages that take text: each asserts the stage's contract
(offsets inside the text, names with words, dates in range, ids stable), not only "does not raise".

Inputs: arbitrary unicode, empty and whitespace-only strings, punctuation-only names, right-to-left
and mixed scripts, impossible dates. Examples are few and unbounded in time per example (a first
call loads word lists), so the suite stays fast; run with HYPOTHESIS_PROFILE=long for more.
"""

from __future__ import annotations

import math
import os
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from storydesk.cluster import ArticleFeatures, StoryClusterer  # noqa: E402
from storydesk.cluster.features import _names, _norm_name  # noqa: E402
from storydesk.cluster.profile import name_weight  # noqa: E402
from storydesk.extract.article import build_article  # noqa: E402
from storydesk.extract.clean import clean_text  # noqa: E402
from storydesk.extract.dates import date_from_text, parse_date_value  # noqa: E402
from storydesk.extract.dates_text import EARLIEST, parse_text_date  # noqa: E402
from storydesk.extract.genre import classify_genre  # noqa: E402
from storydesk.model import RawDocument, stable_id  # noqa: E402

settings.register_profile("default", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

TODAY = date(2024, 6, 1)
WORDS = ["The", "mayor", "said", "Portmere", "bridge", "closed", "on", "Tuesday", "3", "million", "euros", "«quoted»",
         "\u0627\u0644\u062c\u0633\u0631", "\u05d4\u05d2\u05e9\u05e8", "\u6865", "O'Neill", "Feb 30", "30/02/2020",
         "1e308", "-0", "NaN", "http://example.com/2020/02/30/x", "a@b.co", "Read more", "\u200f", "\u202e", "\u00ad"]
SEPARATORS = [" ", " ", ". ", ", ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2028", ""]
RTL = st.characters(min_codepoint=0x0590, max_codepoint=0x06FF)
WHITESPACE = st.text(alphabet=" \t\n\r\u00a0\u2028\u2029\u3000\u200b\ufeff", max_size=20)
PUNCTUATION = st.text(alphabet=".,;:'\"-()[]!?\u2026\u2014\u2019\u201c\u201d/*#", max_size=20)


@st.composite
def articles(draw: st.DrawFn) -> str:
    """Word salad from news words, several scripts, furniture, odd spaces and impossible dates."""
    n = draw(st.integers(0, 60))
    return "".join(draw(st.sampled_from(WORDS)) + draw(st.sampled_from(SEPARATORS)) for _ in range(n))


TEXTS = st.one_of(st.text(max_size=300), st.text(alphabet=RTL, max_size=200), WHITESPACE, PUNCTUATION, articles())


# ---- cleaning and extraction


@given(TEXTS)
def test_clean_text_offsets_point_into_the_raw_input(raw: str) -> None:
    cleaned = clean_text(raw)
    text, pos = cleaned.text.text, cleaned.text.pos
    assert len(pos) == len(text)
    assert all(0 <= p <= len(raw) for p in pos)
    smap = cleaned.text.source_map()
    assert all(0 <= smap.to_raw(i) <= len(raw) for i in range(len(text)))
    # Letters and digits are never invented: each comes from the raw character its offset names.
    assert all(raw[p] == ch for ch, p in zip(text, pos) if ch.isalnum())
    assert text == text.strip() and "\r" not in text and "\u200b" not in text
    assert all(para and para == para.strip() for para in text.split("\n\n")) if text else True
    assert clean_text(raw).text.text == text  # deterministic


@given(TEXTS, st.sampled_from(["text", "html"]), st.one_of(st.none(), st.text(max_size=30)))
def test_build_article_keeps_its_contract(content: str, kind: str, published: str | None) -> None:
    if kind == "html":
        content = f"<html><head><title>{content[:40]}</title></head><body><article><p>{content}</p></article></body></html>"
    doc = RawDocument(source="doc", kind=kind, content=content, published=published)
    art = build_article(doc)
    again = build_article(RawDocument(source="doc", kind=kind, content=content, published=published))
    assert art.id == again.id and art.text == again.text  # ids are stable
    if art.text:
        assert art.id == stable_id(" ".join(art.text.split()))
        assert all(0 <= art.source_map.to_raw(i) <= len(art.raw) for i in range(0, len(art.text), 7))
    else:
        assert art.errors  # a document without text always says why
    if art.published is not None:
        assert art.published[:4].isdigit() and art.published[:4].isascii()


@given(TEXTS, st.one_of(st.none(), TEXTS))
def test_genre_is_one_of_four_with_evidence(text: str, title: str | None) -> None:
    genre = classify_genre(text, title)
    assert genre.label in {"news", "opinion", "analysis", "other"}
    assert genre.evidence and all(isinstance(e, str) and e for e in genre.evidence)


# ---- dates


@given(st.sampled_from(["jan", "feb", "February", "sept", "Smarch", "13", "0", "02"]), st.integers(-5, 40),
       st.one_of(st.integers(-10, 10**30), st.just(2020)))
def test_text_dates_are_real_days_in_range_or_none(month: str, day: int, year: int) -> None:
    for written in (f"{month} {day} {year}", f"{day} {month} {year}", f"{day}/{month}/{year}"):
        found = parse_text_date(written, TODAY)
        assert found is None or EARLIEST <= found <= TODAY


@given(st.one_of(st.text(max_size=40), st.from_regex(r"\A[0-9\u00b2\u0660-\u0669]{8,14}\Z"),
                 st.from_regex(r"\A\d{1,25}-\d{1,3}-\d{1,3}(T\d\d:\d\d)?\Z")))
def test_machine_dates_are_real_days_in_range_or_none(value: str) -> None:
    found = parse_date_value(value, TODAY)
    assert found is None or EARLIEST <= found <= TODAY


@given(TEXTS)
def test_date_from_text_is_iso_or_none(text: str) -> None:
    guess = date_from_text(text, today=TODAY)
    if guess.date is not None:
        assert guess.date <= TODAY.isoformat() and guess.date[:4].isdigit() and 0 <= guess.confidence <= 1


# ---- clustering names and assignment


@given(st.one_of(st.text(max_size=40), WHITESPACE, PUNCTUATION, st.text(alphabet=RTL, max_size=20)))
def test_a_normalised_name_is_empty_or_has_words(raw: str) -> None:
    name = _norm_name(raw)
    assert name == "" or (name == name.strip() and "  " not in name and name.split())
    assert 1.0 <= name_weight(raw) <= 10.0 or raw.startswith(("year:", "num:", "month:"))


LABELS = st.sampled_from(["PERSON", "ORG", "GPE", "DATE", "CARDINAL", "MONEY", "NORP"])


@given(st.lists(st.tuples(st.one_of(st.text(max_size=30), WHITESPACE, PUNCTUATION), LABELS), max_size=12))
def test_names_have_words_and_finite_weights(ents: list[tuple[str, str]]) -> None:
    names = _names(SimpleNamespace(ents=[SimpleNamespace(text=t, label_=lbl) for t, lbl in ents]))
    for name in names:
        assert name.split() and name == name.strip()
        assert math.isfinite(name_weight(name)) and name_weight(name) >= 1.0


@given(st.lists(st.tuples(st.sets(st.one_of(st.text(max_size=12), WHITESPACE, PUNCTUATION), max_size=5),
                          st.lists(st.floats(-1, 1), min_size=4, max_size=4)), min_size=1, max_size=12))
def test_every_article_lands_in_exactly_one_story(items: list[tuple[set[str], list[float]]]) -> None:
    clusterer = StoryClusterer()
    ids = [f"a{i}" for i in range(len(items))]
    for fid, (names, vec) in zip(ids, items):
        feats = ArticleFeatures(id=fid, vector=np.asarray(vec, dtype=np.float32), terms={}, names=names)
        story = clusterer.add(feats)
        assert clusterer.resolve(story) in clusterer.clusters()
    members = [m for ms in clusterer.clusters().values() for m in ms]
    assert sorted(members) == sorted(ids)
    assert all(sid in ms for sid, ms in clusterer.clusters().items())  # a story's id is its first article's
