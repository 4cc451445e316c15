"""Publication-date behaviour on small hand-written pages and pastes (no shared data, no network)."""

from __future__ import annotations

import os
from datetime import date

import pytest

from storydesk.extract.dates import HEADER_DATE_RE, DateGuess, date_from_html, date_from_text

TODAY = date(2024, 6, 1)


def page(head: str = "", body: str = "<p>Nothing dated here.</p>") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


# --- HTML ---------------------------------------------------------------------------------------


def test_jsonld_published_beats_modified_dates():
    html = page(
        '<meta property="article:modified_time" content="2021-03-09T10:00:00+01:00">'
        '<meta property="og:updated_time" content="2021-03-09T10:00:00+01:00">'
        + ld('{"@type": "NewsArticle", "dateModified": "2021-03-09T10:00:00+01:00",'
             ' "datePublished": "2021-03-02T08:15:00+01:00"}'),
        "<p>Updated on 9 March 2021.</p>",
    )
    guess = date_from_html(html, "https://example.org/news/some-story", today=TODAY)
    assert (guess.date, guess.source) == ("2021-03-02", "json-ld")
    assert guess.confidence >= 0.8 and "2021-03-02" in guess.evidence


def test_article_node_beats_related_item_in_jsonld():
    html = page(ld('{"@graph": [{"@type": "ItemList", "itemListElement": [{"@type": "VideoObject",'
                   ' "datePublished": "2019-01-05"}]}, {"@type": "ReportageNewsArticle",'
                   ' "datePublished": "2020-02-06T11:00:00-05:00"}]}'))
    assert date_from_html(html, today=TODAY).date == "2020-02-06"


def test_publication_meta_tag_and_broken_jsonld():
    html = page('<meta property="article:published_time" content="2018-07-04T22:00:00-04:00">'
                + ld('{"@type": "NewsArticle", "datePublished": '))
    guess = date_from_html(html, today=TODAY)
    assert (guess.date, guess.source) == ("2018-07-04", "html-meta")  # the local day, not UTC


def test_non_iso_jsonld_value_is_parsed():
    html = page(ld('{"@type": "NewsArticle", "datePublished": "Tue, Sep 15 2020 10:01:41 EDT"}'))
    assert date_from_html(html, today=TODAY).date == "2020-09-15"


def test_url_date_when_page_states_none():
    guess = date_from_html(page(), "https://example.org/world/2019/11/23/some-slug", today=TODAY)
    assert (guess.date, guess.source) == ("2019-11-23", "url")


def test_canonical_url_date_when_given_url_is_a_feed_redirect():
    html = page('<link rel="canonical" href="https://example.org/news/story-20200113">')
    guess = date_from_html(html, "https://feeds.example.net/~r/news/~3/AbC/story", today=TODAY)
    assert (guess.date, guess.source) == ("2020-01-13", "url")


def test_utc_timestamp_one_day_off_yields_to_local_url_day():
    html = page(ld('{"@type": "NewsArticle", "datePublished": "2020-02-18T02:18:11Z"}'))
    url = "https://example.org/2020/02/17/late-evening-story/"
    assert date_from_html(html, url, today=TODAY).date == "2020-02-17"
    far = "https://example.org/2020/01/30/older-slug/"  # not a time-zone shift: keep the stated date
    assert date_from_html(html, far, today=TODAY).date == "2020-02-18"


def test_impossible_dates_are_rejected():
    future = page('<meta property="article:published_time" content="2031-01-01T00:00:00+00:00">')
    ancient = page('<meta property="article:published_time" content="1970-01-01">')
    assert date_from_html(future, today=TODAY).date is None
    assert date_from_html(ancient, today=TODAY).date is None
    assert date_from_html(future, today=date(2032, 1, 1)).date == "2031-01-01"


def test_htmldate_fallback_finds_a_visible_date():
    html = page(body='<div class="byline">By A. Writer</div><span class="date">March 3, 2019</span>'
                     "<p>The council voted on the plan.</p>")
    guess = date_from_html(html, today=TODAY)
    assert (guess.date, guess.source) == ("2019-03-03", "htmldate")


def test_year_only_fallback_is_not_claimed_as_a_day():
    guess = date_from_html(page(body="<p>Some text.</p><footer>Copyright 2016 Example Media</footer>"),
                           today=TODAY)
    assert (guess.date, guess.source) == ("2016", "htmldate") and guess.confidence <= 0.2
    impossible = date_from_html("<html><head><meta name=date content='32/13/2020'>", today=TODAY)
    assert impossible.date in (None, "2020") and impossible.confidence <= 0.2


@pytest.mark.parametrize("junk", ["", None, b"\x00\xff" * 500, os.urandom(4096).decode("latin-1"),
                                  "<div>" * 50_000,
                                  '<?xml version="1.0" encoding="utf-8"?><html></html>', 12345])
def test_garbage_html_gives_no_date_without_raising(junk):
    guess = date_from_html(junk, today=TODAY)  # type: ignore[arg-type]
    assert guess == DateGuess(None, None, 0.0, None)


def test_a_url_passed_as_html_is_never_fetched(monkeypatch):
    import htmldate.utils

    def no_network(*_a, **_k):
        raise AssertionError("network access")

    monkeypatch.setattr(htmldate.utils, "fetch_url", no_network)
    assert date_from_html("https://example.org/a-story", today=TODAY).date is None


# --- plain text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["date 2018-06-11", "Published: 11 June 2018", "Updated Feb 3, 2019 10:04 GMT",
                                  "Mon 11 Jun 2018 10.04 BST", "Posted on March 3rd, 2020 at 5:00 pm",
                                  "Published 11 June 2018 | Updated 12 June 2018", "2018-06-11T10:04:00Z"])
def test_header_regex_matches_whole_metadata_lines(line):
    assert HEADER_DATE_RE.match(line)


@pytest.mark.parametrize("line", ["The vote on 11 June 2018 was close.", "Published by Example Books",
                                  "WASHINGTON, June 11 (Reuters) - Talks went on."])
def test_header_regex_leaves_prose_alone(line):
    assert not HEADER_DATE_RE.match(line)


def test_header_line_in_text():
    text = "Talks resume\nBy Jane Doe\nPublished: 11 June 2018\nUpdated: 14 June 2018\n\nThe talks resumed."
    guess = date_from_text(text, today=TODAY)
    assert (guess.date, guess.source, guess.evidence) == ("2018-06-11", "header", "Published: 11 June 2018")


def test_labelled_date_run_into_the_body_counts_as_header():
    guess = date_from_text("Published: 11 June 2018 | The talks resumed on Monday.", today=TODAY)
    assert (guess.date, guess.source, guess.evidence) == ("2018-06-11", "header", "Published: 11 June 2018 |")


def test_updated_only_header_is_a_weaker_guess():
    guess = date_from_text("Title\nLast updated: 14 June 2018\n\nBody.", today=TODAY)
    assert guess.date == "2018-06-14" and guess.confidence < 0.9


def test_dateline_with_and_without_year():
    with_year = date_from_text("Title\n\nBEIRUT, 4 August 2020 — An explosion shook the port.", today=TODAY)
    assert (with_year.date, with_year.source) == ("2020-08-04", "dateline")
    text = "Title\n\nWASHINGTON, June 11 (Reuters) - The president said talks went well."
    yearless = date_from_text(text, url="https://example.org/world/2018/06/trade-talks", today=TODAY)
    assert (yearless.date, yearless.source) == ("2018-06-11", "dateline")
    assert yearless.evidence == "WASHINGTON, June 11 (Reuters) -"


@pytest.mark.parametrize("text", ["[TOKYO] The central bank held rates.",
                                  "Kim Meets Trump June 12: What To Know\n\nThe two leaders met."])
def test_not_a_dateline(text):
    assert date_from_text(text, today=TODAY).date is None


def test_url_date_for_pasted_text():
    guess = date_from_text("The council met.", url="https://example.org/local/2017/05/03/council", today=TODAY)
    assert (guess.date, guess.source) == ("2017-05-03", "url")


def test_linked_urls_give_a_lower_bound():
    text = ("The ruling follows earlier coverage <https://example.com/world/2016/nov/15/first-ruling> "
            "and <https://example.com/world/2016/oct/02/appeal>.")
    guess = date_from_text(text, today=TODAY)
    assert (guess.date, guess.source) == ("2016-11-15", "linked-url")
    assert 0.4 <= guess.confidence <= 0.7
    passed = date_from_text("No links here.", link_urls=["https://example.com/2019/02/08/x"], today=TODAY)
    assert (passed.date, passed.source) == ("2019-02-08", "linked-url")


def test_inferred_from_text_is_low_confidence_with_sentence():
    text = ("Officials said the plant closed on March 3, 2015. The company had opened it on 1 May 1998. "
            "A hearing is scheduled for 4 July 2023.")
    guess = date_from_text(text, today=TODAY)
    assert (guess.date, guess.source) == ("2015-03-03", "text")
    assert guess.confidence <= 0.4
    assert guess.evidence == "Officials said the plant closed on March 3, 2015."


@pytest.mark.parametrize("junk", ["", None, "\x00" * 100, "12/45/2020 99 June 2018", 42])
def test_garbage_text_gives_no_date_without_raising(junk):
    assert date_from_text(junk, today=TODAY).date is None  # type: ignore[arg-type]
