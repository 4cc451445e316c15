"""Quote extraction behaviour on small invented paragraphs, with the real spaCy model."""

from __future__ import annotations

import pytest

from storydesk.model import Article, Quote, stable_id
from storydesk.nlp.entities import resolve_entities
from storydesk.nlp.parse import parse_articles
from storydesk.nlp.quotes import extract_quotes

TEXTS = {
    "split": "“We will rebuild the bridge,” said Mayor Lucia Ferro, “and we will do it before the spring floods.”",
    "glued": 'Turnout was the highest in decades. "The vote was fair and the count was clean,"said Omar Haddad, the electoral commissioner.',
    "anonymous": '"Nobody from the ministry ever consulted us," a senior navy officer said on Monday.',
    "pronoun": 'Ms Tanaka met Mr Olsen in Geneva on Friday. "The deal is off for now," she said. "We will keep talking," he added.',
    "according": "The new dam will be finished in 2027, according to Hugo Brandt, the project manager.",
    "reported": "Economist Rosa Lind told reporters on Tuesday that food prices would fall by the autumn.",
    "colon": 'Fire chief Dana Whyte said: "The building was empty. Nobody was hurt."',
    "opening": 'The strike entered its third week.\n\n"We will not go back for less than we were promised." Union leader Kofi Mensah made the remarks to a rally, and said members would vote again on Friday.',
    "scare": 'The plan, nicknamed "Operation Spring", was approved by the council on Monday.',
    "sources": "The two banks are in talks about a merger, sources said.",
}


@pytest.fixture(scope="module")
def quotes() -> dict[str, list[Quote]]:
    articles = [Article(id=stable_id(text), source=key, text=text) for key, text in TEXTS.items()]
    docs = parse_articles(articles)
    found = extract_quotes(articles, docs, resolve_entities(articles, docs))
    by_key: dict[str, list[Quote]] = {key: [] for key in TEXTS}
    for q in found:
        key = next(a.source for a in articles if a.id == q.article)
        assert TEXTS[key][q.span[0] : q.span[1]] == q.text  # evidence spans point at the quoted words
        by_key[key].append(q)
    return by_key


def test_split_quote_gives_both_parts_to_one_speaker(quotes):
    parts = quotes["split"]
    assert [q.text for q in parts] == ["We will rebuild the bridge", "and we will do it before the spring floods."]
    assert {q.speaker for q in parts} == {"Lucia Ferro"}
    assert all(q.kind == "direct" and q.speaker_entity for q in parts)
    assert parts[0].role == "Mayor"


def test_missing_space_after_closing_mark(quotes):
    (q,) = quotes["glued"]
    assert q.text == "The vote was fair and the count was clean"
    assert q.speaker == "Omar Haddad"
    assert q.role == "the electoral commissioner"


def test_anonymous_source_keeps_its_description(quotes):
    (q,) = quotes["anonymous"]
    assert q.anonymous and q.speaker_entity is None
    assert q.speaker == "a senior navy officer"


def test_pronouns_resolve_to_compatible_person(quotes):
    she, he = quotes["pronoun"]
    assert she.speaker == "Tanaka" and he.speaker == "Olsen"
    assert she.speaker_entity != he.speaker_entity


def test_according_to_is_reported_speech(quotes):
    (q,) = quotes["according"]
    assert q.kind == "reported"
    assert q.speaker == "Hugo Brandt"
    assert q.text == "The new dam will be finished in 2027"


def test_reported_speech_drops_complementiser_and_keeps_title_as_role(quotes):
    (q,) = quotes["reported"]
    assert (q.kind, q.speaker, q.role) == ("reported", "Rosa Lind", "Economist")
    assert q.text == "food prices would fall by the autumn"


def test_multi_sentence_quote_after_colon(quotes):
    (q,) = quotes["colon"]
    assert q.text == "The building was empty. Nobody was hurt."
    assert q.speaker == "Dana Whyte"


def test_quote_opening_a_paragraph_is_attributed_by_the_next_sentence(quotes):
    direct = [q for q in quotes["opening"] if q.kind == "direct"]
    assert [q.speaker for q in direct] == ["Kofi Mensah"]


def test_scare_quotes_are_not_quotes(quotes):
    assert quotes["scare"] == []


def test_unnamed_sources_are_anonymous(quotes):
    (q,) = quotes["sources"]
    assert q.anonymous and q.kind == "reported"
    assert q.text == "The two banks are in talks about a merger"
