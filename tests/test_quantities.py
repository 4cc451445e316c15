"""Quantity extraction on invented news sentences, through the real shared parse (no mocks)."""

from __future__ import annotations

import pytest

from storydesk.model import Article, Quantity
from storydesk.nlp.parse import parse_articles
from storydesk.nlp.quantities import extract_quantities


def quantities(text: str) -> list[Quantity]:
    art = Article(id="a1", source="test", text=text, published="2019-05-20")
    found = extract_quantities(art, parse_articles([art])[art.id])
    for q in found:  # every figure is evidence: its span must give back its text
        assert text[q.span[0]:q.span[1]] == q.text
    return found


def only(text: str) -> Quantity:
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


def test_count_with_its_noun_and_subject() -> None:
    q = only("Britain keeps 28,500 troops in Estonia under a treaty signed decades ago.")
    assert (q.value, q.unit, q.text, q.approx) == (28500, "troops", "28,500 troops", 0.0)
    assert q.subject == "troops in Estonia"


def test_currency_pair_gives_two_quantities() -> None:
    found = quantities("The airline will pay 300bn yen (£2.1bn) for the new aircraft.")
    assert [(q.value, q.unit) for q in found] == [(3e11, "JPY"), (2.1e9, "GBP")]
    assert all(q.subject == "new aircraft" for q in found)


@pytest.mark.parametrize("text, value, unit", [
    ("The grant is worth $3.5 million.", 3.5e6, "USD"),
    ("Exports rose to €12bn last year.", 1.2e10, "EUR"),
    ("The city borrowed 5bn yuan for the metro.", 5e9, "CNY"),
    ("Seoul will contribute 1.04 trillion won to the fund.", 1.04e12, "KRW"),
    ("The fine was £250,000.", 250000, "GBP"),
    ("The airline raised HK$2.4bn from investors.", 2.4e9, "HKD"),
    ("The firm paid 40 million US dollars in damages.", 4e7, "USD"),
    ("The budget includes USD 5m for training.", 5e6, "USD"),
])
def test_currencies_become_iso_codes(text: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_per_cent_spellings_are_one_unit() -> None:
    found = quantities("Support rose 5%, then 7 percent, then 9 per cent, and 11pc in the last poll.")
    assert [(q.value, q.unit) for q in found] == [(5, "%"), (7, "%"), (9, "%"), (11, "%")]


def test_percentage_of_names_its_subject() -> None:
    q = only("Only 6.2 per cent of respondents backed the plan.")
    assert (q.value, q.unit, q.subject) == (6.2, "%", "respondents")
    assert only("The alliance wants members to spend 2 per cent of GDP on defence.").subject == "GDP"


@pytest.mark.parametrize("text, value, unit", [
    ("The destroyer carries two missiles on each launcher.", 2, "missiles"),
    ("A dozen citizens were flown out.", 12, "citizens"),
    ("The region has 1.2m residents.", 1.2e6, "residents"),
    ("The population reached 1.2m by the census.", 1.2e6, ""),
    ("Half of the budget goes on salaries.", 50, "%"),
    ("Nearly three-quarters of voters turned out.", 75, "%"),
    ("Storms brought 15-20 centimetres of snow.", 17.5, "cm"),
    ("Half a million people signed the petition.", 5e5, "people"),
    ("Twenty-five journalists were detained.", 25, "journalists"),
    ("Rebels freed three of the hostages.", 3, "hostages"),
])
def test_numbers_words_and_scales(text: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_range_is_midpoint_with_half_width_tolerance() -> None:
    q = only("Between 10 and 12 soldiers were wounded.")
    assert (q.value, q.unit) == (11, "soldiers")
    assert q.approx == pytest.approx(1 / 11, abs=1e-4)
    assert only("Officials expect 3,000 to 4,000 visitors.").value == 3500


def test_from_to_is_a_change_not_a_range() -> None:
    found = quantities("Turnout rose from 52 per cent to 57 per cent.")
    assert [q.value for q in found] == [52, 57]


@pytest.mark.parametrize("word, tolerance", [
    ("about", 0.1), ("some", 0.1), ("roughly", 0.1), ("around", 0.1),
    ("nearly", 0.05), ("almost", 0.05), ("more than", 0.2), ("up to", 0.2),
])
def test_approximators_set_a_tolerance(word: str, tolerance: float) -> None:
    q = only(f"Police said {word} 400 protesters were detained.")
    assert (q.value, q.unit, q.approx) == (400, "protesters", tolerance)
    assert q.text.lower().startswith(word)


def test_exact_figure_has_no_tolerance() -> None:
    assert only("Police detained 400 protesters.").approx == 0.0


@pytest.mark.parametrize("text", [
    "The plant opened in 2017 and closed in 1998.",
    "The deal was signed on 10 October 2019 at 3pm.",
    "It was the third time the river had flooded.",
    "For help, call 0800 123 4567.",
    "The council adopted Resolution 2397 without a vote.",
    "The air force flies F-35 jets from the base.",
    "A 45-year-old man was arrested.",
    "The three-nation pact collapsed.",
    "The two agreed to meet again.",
    "The talks lasted three years.",
])
def test_not_quantities(text: str) -> None:
    assert quantities(text) == []


def test_of_the_shares_the_unit() -> None:
    found = quantities("The party won 310 of the 465 seats.")
    assert [(q.value, q.unit) for q in found] == [(310, "seats"), (465, "seats")]


def test_a_bare_figure_set_against_a_count_counts_the_same_thing() -> None:
    found = quantities("Police said there were six arrests Wednesday, compared to 47 the previous night.")
    assert [(q.text, q.value, q.unit) for q in found] == [("six arrests", 6, "arrests"), ("47", 47, "arrests")]
    # a figure that is not set against the count does not take its unit
    later = quantities("Police said there were six arrests Wednesday, and the hearing lasted until 47 minutes past noon.")
    assert all(q.unit != "arrests" for q in later if q.text.startswith("47"))
