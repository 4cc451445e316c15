"""Plain-text cleaning: furniture goes, text stays, offsets still point into the raw input."""

from __future__ import annotations

import pytest

from storydesk.extract.clean import clean_text


def clean(raw: str) -> str:
    return clean_text(raw).text.text


def test_inline_links_become_plain_text_and_glued_words_split():
    raw = (
        "The minister flew to Berlin tovisit Angela Merkel <https://example.com/people/merkel> on\n"
        "Friday, whenshe raised trade and the Ukraine <https://example.com/world/ukraine> war.\n"
    )
    text = clean(raw)
    assert "https://" not in text and "<" not in text
    assert "to visit Angela Merkel on Friday" in text
    assert "when she raised" in text
    assert "the Ukraine war." in text


def test_camel_glue_split_but_real_mixed_case_names_kept():
    raw = "He wanted to meetBarack Obama, then bought an iPhone at McDonald's next to a PlayStation shop run by DeSantis supporters and a LeBron fan."
    text = clean(raw)
    assert "meet Barack Obama" in text
    for name in ("iPhone", "McDonald's", "PlayStation", "DeSantis", "LeBron"):
        assert name in text


def test_capitalised_glue_split_only_when_first_part_stands_alone_elsewhere():
    raw = "Paris says it can act. Spending rises that Pariscannot match.\n\nThe Kordam survey was cited."
    text = clean(raw)
    assert "Paris cannot match" in text
    assert "Kordam" in text


def test_hard_wrapped_lines_rejoined_into_paragraphs():
    raw = (
        "The central bank raised interest rates by half a point on Wednesday, the\n"
        "largest increase in two decades, as inflation climbed to its highest level\n"
        "since the early 1980s and officials warned of more to come this year.\n"
        "\n"
        "Markets fell sharply after the announcement, with the main index closing\n"
        "down 3 per cent and bond yields jumping to their highest level in a decade.\n"
    )
    paras = clean(raw).split("\n\n")
    assert len(paras) == 2
    assert "the largest increase" in paras[0]
    assert "\n" not in paras[0]


@pytest.mark.parametrize(
    "line",
    [
        "Home > World > Asia",
        "Share on Facebook",
        "Subscribe to our newsletter",
        "Sign up for the morning briefing",
        "The Daily Planet is now on Telegram!",
        "Download our app for the latest news",
        "Leave a Comment",
        "Your feedback is important to us",
        "Tell us what you think. Email us at",
        "IMG_20190212_0031.jpg",
        "Photo: Reuters",
        "Advertisement",
    ],
)
def test_furniture_lines_dropped(line):
    body = "The council approved the budget on Monday after a long debate about schools and roads in the city."
    text = clean(f"{body}\n\n{line}\n\nThe mayor said the vote was a victory for residents who had campaigned for years.")
    assert line not in text
    assert body in text


@pytest.mark.parametrize("line", ["29 November 2018 | 20 January 2019", "Rates were cut (ePA)", "She won the photo"])
def test_prose_that_resembles_furniture_is_kept(line):
    from storydesk.extract.furniture import furniture_reason

    assert furniture_reason(line) is None


def test_related_headline_with_read_more_dropped_but_prose_about_comments_kept():
    raw = (
        "Officials said the bridge would reopen next month after repairs.\n"
        "Flooding closes roads across the region as rivers burst banks\n"
        " Read more \n"
        "The spokesman declined to comment.\n"
        "Residents welcomed the news.\n"
    )
    text = clean(raw)
    assert "Flooding closes roads" not in text and "Read more" not in text
    assert "The spokesman declined to comment." in text
    assert "Residents welcomed the news." in text


def test_metadata_lines_become_metadata_not_text():
    raw = (
        "Ministers clash over budget plan\n\n"
        "BY JANE DOE\n\n"
        "Jane Doe (jane.doe@example.org) is a senior fellow at a policy institute.\n\n"
        "The finance minister's plan drew criticism from two cabinet colleagues on Tuesday.\n"
    )
    c = clean_text(raw)
    assert c.title == "Ministers clash over budget plan"
    assert c.byline == ["Jane Doe"]
    assert c.contacts == ["jane.doe@example.org"]
    assert "@" not in c.text.text and "BY JANE DOE" not in c.text.text
    assert c.text.text.startswith("Jane Doe is a senior fellow")


def test_header_date_prefix_removed_from_body():
    c = clean_text("date 2021-03-04 The parliament passed the bill by 300 votes to 200 on Thursday.")
    assert c.header_line.startswith("date 2021-03-04")
    assert c.text.text.startswith("The parliament passed")


def test_repeated_standfirst_dropped_once():
    lead = "When the storm reached the coast on Sunday, thousands of homes lost power and roads were closed."
    text = clean(f"{lead}\n\n[MIAMI] {lead}\n\nCrews worked through the night.")
    assert text.count("thousands of homes lost power") == 1
    assert "[MIAMI]" in text


def test_missing_spaces_after_punctuation_repaired():
    text = clean('The plan is dead,"said the senator. The deal,now abandoned, was signed in 2015.')
    assert 'dead," said' in text
    assert "deal, now abandoned" in text


def test_source_map_points_back_into_raw():
    raw = "Intro <https://example.com/x> text.\n\nShare on Facebook\n\nThe governor toldreporters the budget was balanced.\n"
    c = clean_text(raw)
    text, smap = c.text.text, c.text.source_map()
    assert "told reporters" in text
    for i, ch in enumerate(text):
        if ch.isalnum():
            assert raw[smap.to_raw(i)] == ch, (i, ch)
    start = text.index("budget")
    assert raw[smap.to_raw(start) : smap.to_raw(start) + 6] == "budget"


def test_quoted_text_is_never_repaired_but_the_same_glue_outside_is():
    """A quote is kept character for character: the splitter, the comma and stop repairs and the
    camel-case splitter all leave it alone, while the same glue outside the quote is still split."""
    quote = "“It was unreassuring,frankly.Nobody hehinted at it, andtheymeetBarack later ,” said Tovan Rell."
    raw = f"The council met on Monday. {quote} Outside the quote hehinted and meetBarack are still glue."
    text = clean(raw)
    assert quote[: quote.index("”") + 1] in text
    assert "Outside the quote he hinted and meet Barack are still glue." in text
    straight = 'Officials said the result was "unreassuring andhehinted" in the end. "It was fine,"said Tovan Rell.'
    assert '"unreassuring andhehinted"' in clean(straight)
    assert '"It was fine," said Tovan Rell.' in clean(straight)  # the space after a closing mark is outside the quote


def test_prefixed_words_are_one_word_not_a_glue():
    from storydesk.extract.clean import glue_split

    for word in ("unreassuring", "overhyped", "nonreassuring", "prewarned", "reunveiled", "overpraising"):
        assert glue_split(word) == word
    assert glue_split("hehinted") == "he hinted" and glue_split("theembattled") == "the embattled"


def test_glue_splitter_false_splits_on_a_vocabulary_sample():
    """A sample of bench/glue.py's measure: real words and prefix + word never split."""
    from wordfreq import top_n_list, zipf_frequency

    from storydesk.extract.clean import glue_split

    words = [w for w in top_n_list("en", 5000) if w.isalpha() and len(w) >= 5]
    content = [w for w in words[::10] if zipf_frequency(w, "en") < 6.0]  # a prefix never goes on "about"
    derived = [p + w for p in ("un", "re", "non", "pre", "over") for w in content]
    split = [w for w in words + derived if glue_split(w) != w]
    assert not split, split[:20]
