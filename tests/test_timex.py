"""Time expressions on invented news sentences, resolved against a publication date (real parse)."""

from __future__ import annotations

import pytest

from storydesk.model import Article, Event
from storydesk.nlp.parse import parse_articles
from storydesk.nlp.timex import extract_times


def times(text: str, published: str | None) -> list[Event]:
    art = Article(id="a1", source="test", text=text, published=published)
    found = extract_times(art, parse_articles([art])[art.id])
    for ev in found:  # evidence spans give back the expression and its sentence
        assert text[ev.span[0]:ev.span[1]] == ev.text
        assert ev.sentence_span is not None and text[ev.sentence_span[0]:ev.sentence_span[1]] == ev.sentence
    return found


def dated(text: str, published: str | None) -> list[tuple[str, str | None]]:
    return [(e.text, e.date) for e in times(text, published)]


# Monday 11 June 2018
@pytest.mark.parametrize("text, value, precision", [
    ("The leaders will meet tomorrow.", "2018-06-12", "day"),
    ("The envoy arrived yesterday.", "2018-06-10", "day"),
    ("Talks stalled last month.", "2018-05", "month"),
    ("Talks resume next week.", "2018-06-18/2018-06-24", "day"),
    ("Both sides met this week.", "2018-06-11/2018-06-17", "day"),
    ("Exports fell last year.", "2017", "year"),
    ("Exports fell sharply three months ago.", "2018-03", "month"),
    ("Spending has grown over the past six years.", "2012/2018", "year"),
    ("The firm was founded in the late 1970s.", "1977/1979", "decade"),
    ("Unlike in the 1930s, the country cannot rearm.", "1930/1939", "decade"),
    ("The leaders first met in June 2018.", "2018-06", "month"),
    ("The treaty was signed on 10 October 2019.", "2019-10-10", "day"),
    ("The plant opened in 2017.", "2017", "year"),
    ("The trade fair will run Feb 27-28.", "2019-02-27/2019-02-28", "day"),
    ("Ticket sales have been frozen since Nov 30.", "2017-11-30", "day"),
    ("Sales have risen over the three months leading up to the holidays.", None, None),
])
def test_resolved_against_publication(text: str, value: str | None, precision: str | None) -> None:
    [ev] = times(text, "2018-06-11")
    assert (ev.date, ev.precision) == (value, precision)


def test_weekday_follows_the_tense() -> None:
    # Thursday 12 March 2020
    assert dated("The bank cut rates on Tuesday.", "2020-03-12") == [("Tuesday", "2020-03-10")]
    assert dated("The bank will cut rates on Tuesday.", "2020-03-12") == [("Tuesday", "2020-03-17")]
    assert dated("Ministers meet on Monday to agree the budget.", "2020-03-12") == [("Monday", "2020-03-16")]
    assert dated("The minister says on Monday that she will stay.", "2020-03-12")[0] == ("Monday", "2020-03-09")
    assert dated("Last Thursday, the talks collapsed.", "2020-03-12") == [("Last Thursday", "2020-03-05")]


def test_month_without_year_follows_the_tense() -> None:
    # In October, a past June is this year's; a future June is next year's.
    assert dated("Prices rose in June.", "2019-10-02") == [("June", "2019-06")]
    assert dated("The law will take effect in June.", "2019-10-02") == [("June", "2020-06")]
    assert dated("The vote will be held on 3 December.", "2019-10-02") == [("3 December", "2019-12-03")]


def test_anchored_durations_are_kept_undated() -> None:
    [ev] = times("In the three months leading up to the vote, turnout drives intensified.", "2018-06-11")
    assert ev.date is None and "three months leading up to" in ev.text


def test_partial_publication_dates_resolve_what_they_can() -> None:
    text = "The mine closed last year and will reopen tomorrow, workers were told in June. It opened in 1987."
    assert dated(text, "2015") == [("last year", "2014"), ("tomorrow", None), ("June", None), ("1987", "1987")]
    assert dated("Output fell last month but will recover next week.", "2015-06") == [
        ("last month", "2015-05"), ("next week", None)]
    assert dated("The ceasefire began on Monday; the war started in March 2011.", None) == [
        ("Monday", None), ("March 2011", "2011-03")]


def test_event_carries_its_sentence() -> None:
    text = "Rain fell all night. The bridge reopened on Friday after repairs."
    [ev] = times(text, "2021-04-14")
    assert ev.sentence == "The bridge reopened on Friday after repairs."
    assert ev.sentence_span == (21, len(text)) and ev.date == "2021-04-09" and ev.article == "a1"


@pytest.mark.parametrize("text", [
    "The annual report was late.",
    "A 45-year-old man was arrested.",
    "The market opens every Monday.",
    "The talks lasted three years.",
    "The gallery has 2,000 visitors a day.",
    "Theresa May said she may resign.",
])
def test_not_points_in_time(text: str) -> None:
    assert times(text, "2018-06-11") == []
