"""Conflicts a reader can act on: one source against one is settled by each source's record, a
source backs a value only if it states it, titles before "of" phrases are read whole, and meetings
told by phone count as events. Real spaCy and MiniLM; people, places and outlets are invented."""

from __future__ import annotations

from storydesk.assess.roles import role_after, role_before
from storydesk.assess.uncorroborated import EVENT
from storydesk.model import Story


def _article(story: Story, url: str):  # noqa: ANN202 - an Article
    return next(a for a in story.articles if a.source == url or a.url == url)


def _flags(story: Story, url: str) -> list:
    art = _article(story, url)
    return [(f.kind, art.text[f.span[0]:f.span[1]]) for f in art.reliability.flags if f.span]


INTRO = "An oil spill closed Westhaven harbor on Monday, and the port authority began a cleanup.\n\n"
# One figure given two ways by two reports.
LOW = INTRO + "The spill released 1,200 barrels of oil into Westhaven harbor, the port authority said on Monday."
HIGH = "According to the port authority, 3,000 barrels of oil spilled into Westhaven harbor on Monday."


def test_one_against_one_is_settled_by_the_sources_records(analyse_pile):
    story = analyse_pile(
        ("https://a.example/spill", "2021-04-06", LOW + "\n\nCrews worked through the night to contain the slick."),
        ("https://b.example/spill", "2021-04-06", INTRO + "Harbor Commissioner Lena Ortiz ordered the cleanup of Westhaven "
         "harbor on Monday.\n\nFishing boats were kept in port."),
        ("https://c.example/spill", "2021-04-06", INTRO + HIGH + "\n\nThe cleanup was ordered by Deputy Harbor "
         "Commissioner Lena Ortiz, officials said."),
    )
    rewrite = _flags(story, "https://c.example/spill")
    assert any(k == "contradicted" and "3,000 barrels" in t for k, t in rewrite), rewrite
    # the source with the better record is not accused on the same fact
    assert not any(k == "contradicted" and "1,200 barrels" in t for k, t in _flags(story, "https://a.example/spill"))


def test_a_title_with_an_of_phrase_before_the_name_is_read_whole(analyse_pile):
    story = analyse_pile(
        ("https://a.example/intel", "2019-02-01", "Deputy Director of National Intelligence Jo Marsh issued a statement "
         "late Thursday condemning the leak of the documents."),
        ("https://b.example/intel", "2019-02-01", "Jo Marsh, the director of national intelligence, issued a statement "
         "condemning the leak of the documents on Thursday."),
    )
    roles = [l for l in story.links if l.kind == "contradict" and l.slot == "role"]
    assert roles and any("Deputy Director of National Intelligence" in v for v in roles[0].values)


def test_a_role_word_before_a_possessive_names_the_employer():
    assert role_after(", the special counsel\u2019s spokesman, said on Friday").head == "spokesman"
    # "a spokesman for the special counsel, Jo Roe": Jo Roe is the counsel
    assert role_before("a statement by a spokesman for the special counsel, ").head == "counsel"
    assert role_before("said the director of the agency, ").head == "director"


def test_calls_and_meetings_count_as_events_but_a_place_that_convened_does_not():
    assert EVENT.search("She said she had spoken with Arden by phone on Saturday.")
    assert EVENT.search("Mayor Tull convened the city's board of directors late Tuesday.")
    assert not EVENT.search("Outside the courthouse, where the grand jury convened, people gathered.")


def test_one_against_one_with_equal_records_accuses_neither_side(analyse_pile):
    story = analyse_pile(
        ("https://a.example/spill", "2021-04-06", LOW),
        ("https://b.example/spill", "2021-04-06", "Fishermen in Westhaven stayed ashore as crews fought the slick.\n\n" + HIGH),
    )
    for url, value in (("https://a.example/spill", "1,200 barrels"), ("https://b.example/spill", "3,000 barrels")):
        art = _article(story, url)
        assert not any(f.kind == "contradicted" for f in art.reliability.flags)
        weak = next(f for f in art.reliability.flags if f.kind == "weak_signals")  # shown, as a weak signal
        assert any(r["kind"] == "disputed" and value in r["text"] for r in weak.related)


def test_an_article_with_too_few_checkable_facts_is_not_judged(analyse_pile):
    story = analyse_pile(
        ("https://a.example/spill", "2021-04-06", LOW + "\n\nHarbor Commissioner Lena Ortiz ordered the cleanup on "
         "Monday.\n\nCalder Lines, which owns the tanker, said it would pay for the cleanup."),
        ("https://b.example/spill", "2021-04-06", "Click here to read more stories like this one today."),
    )
    by_url = {a.source: a.reliability for a in story.articles}
    junk, report = by_url["https://b.example/spill"], by_url["https://a.example/spill"]
    assert not junk.judged and report.judged and report.checkable >= 3
    assert junk.rank > report.rank  # ranked after every judged article, whatever its score


def test_a_value_dated_only_by_when_it_was_reported_is_not_a_change_over_time(analyse_pile):
    story = analyse_pile(
        ("https://a.example/pages", "2015-03-04", "Finally, in December, dozens of boxes filled with 50,000 pages of "
         "printed emails from the former minister were delivered to the Foreign Office."),
        ("https://b.example/pages", "2015-03-04", "The Foreign Office said late Monday that it had received 55,000 "
         "pages of the former minister's emails as part of a request to former ministers."),
    )
    kinds = {l.kind for l in story.links if l.slot == "number"}
    assert kinds == {"contradict"}, [(l.kind, l.values) for l in story.links]


def test_a_provisional_toll_and_a_higher_one_days_later_are_a_change_not_a_contradiction(analyse_pile):
    story = analyse_pile(
        ("https://a.example/quake", "2022-09-05", "A strong earthquake struck the hill town of Orvella on Monday.\n\n"
         "At least 11 people were killed and dozens were injured, the mayor said.\n\nRescuers searched the rubble overnight."),
        ("https://b.example/quake", "2022-09-07", "Aftershocks rattled Orvella on Wednesday, two days after the earthquake "
         "that killed 16 people in the town.\n\nMany residents slept outdoors."),
    )
    moved = [l for l in story.links if l.slot == "number" and l.kind in ("contradict", "changed_over_time")]
    assert moved and all(l.kind == "changed_over_time" for l in moved), [(l.kind, l.explanation) for l in story.links]
    assert not any(f.kind == "contradicted" for a in story.articles for f in a.reliability.flags)
