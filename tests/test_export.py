"""FollowTheMoney and ClaimReview exports over a small hand-built story (no analysis run needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storydesk.model import (
    Article,
    Claim,
    ClaimLink,
    Entity,
    Event,
    Flag,
    Mention,
    Quote,
    Reliability,
    Story,
    story_to_dict,
)
from storydesk.report.export import FTM_PROPERTIES, to_claimreview, to_ftm, write_exports
from storydesk.report.render import validate_report

HOSTILE = "<script>alert('x')</script>"
TEXT_A = (
    f"Jane Doe said {HOSTILE} the dam at River Bend failed on 29 February 2024.\n\n"
    "Acme Corp denied that any Freedonian engineer was present.\n\n"
    "Officials said 12 people were hurt."
)
TEXT_B = "The dam at River Bend failed on 29 February 2024, Jane Doe said.\n\nOfficials said 40 people were hurt."


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return (start, start + len(part))


def build_story() -> Story:
    """Two articles: one agreement, one contradiction, one single-source claim, hostile markup."""
    a = Article(id="a" * 16, source="inbox/one.txt", text=TEXT_A, title="<b>Dam</b> fails", url="javascript:alert(1)",
                published="2024-03-01", byline=["Jane Roe"], outlet="Daily <i>", genre="news", language="en")
    b = Article(id="b" * 16, source="https://example.org/dam", url="https://example.org/dam", text=TEXT_B,
                title="Dam failure", published="2024-03-02", genre="news", language="en")
    a.reliability = Reliability(score=0.4, rank=2, flags=[Flag(kind="contradicted", explanation="12 vs 40 hurt", article=a.id, span=_span(TEXT_A, "Officials said 12 people were hurt."))])
    b.reliability = None
    claims = [
        Claim(id="c1", article=a.id, span=_span(TEXT_A, "the dam at River Bend failed on 29 February 2024."), text="the dam at River Bend failed on 29 February 2024.", agreeing_sources=[b.id]),
        Claim(id="c2", article=a.id, span=_span(TEXT_A, "Officials said 12 people were hurt."), text="Officials said 12 people were hurt.", single_source=True),
        Claim(id="c3", article=b.id, span=_span(TEXT_B, "The dam at River Bend failed on 29 February 2024, Jane Doe said."), text="The dam at River Bend failed on 29 February 2024, Jane Doe said.", agreeing_sources=[a.id]),
        Claim(id="c4", article=b.id, span=_span(TEXT_B, "Officials said 40 people were hurt."), text="Officials said 40 people were hurt.", single_source=True),
        Claim(id="c5", article=a.id, span=_span(TEXT_A, "Acme Corp denied that any Freedonian engineer was present."), text="Acme Corp denied that any Freedonian engineer was present.", single_source=True),
    ]
    links = [ClaimLink(kind="agree", claims=["c1", "c3"], score=0.9, explanation="same date"),
             ClaimLink(kind="contradict", claims=["c2", "c4"], score=0.8, explanation="12 vs 40 people hurt")]
    entities = [
        Entity(id="e-person", name="Jane Doe", type="PERSON", aliases=["Doe"], mentions=[Mention(a.id, _span(TEXT_A, "Jane Doe")), Mention(b.id, _span(TEXT_B, "Jane Doe"))]),
        Entity(id="e-org", name="Acme Corp", type="ORG", mentions=[Mention(a.id, _span(TEXT_A, "Acme Corp"))]),
        Entity(id="e-gpe", name="Freedonia", type="GPE", mentions=[Mention(a.id, _span(TEXT_A, "Freedonian"))]),
        Entity(id="e-loc", name="River Bend", type="LOC", mentions=[Mention(a.id, _span(TEXT_A, "River Bend")), Mention(b.id, _span(TEXT_B, "River Bend"))]),
        Entity(id="e-norp", name="Freedonian", type="NORP", mentions=[Mention(a.id, _span(TEXT_A, "Freedonian"))]),
    ]
    quotes = [Quote(speaker="Jane Doe", text=f"{HOSTILE} the dam", kind="direct", article=a.id, span=_span(TEXT_A, f"{HOSTILE} the dam"),
                    speaker_entity="e-person", role="chief engineer")]
    sentence = TEXT_A.split("\n\n")[0]
    times = [
        Event(date="2024-02-29", precision="day", text="29 February 2024", article=a.id, span=_span(TEXT_A, "29 February 2024"),
              sentence=sentence, sentence_span=(0, len(sentence))),
        Event(date="2020/2029", precision="decade", text="this decade", article=b.id, span=(0, 3)),
        Event(date=None, precision=None, text="someday", article=b.id, span=(0, 3)),
    ]
    return Story(id="s" * 16, name="Dam <failure>", articles=[a, b], entities=entities, quotes=quotes,
                 claims=claims, links=links, times=times)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    data = story_to_dict(build_story())
    validate_report(data)
    return data


def test_ftm_entities_have_valid_shapes(report: dict[str, Any]) -> None:
    entities = to_ftm(report)
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for e in entities:
        assert set(e) == {"id", "schema", "properties"}
        assert e["schema"] in FTM_PROPERTIES
        assert set(e["properties"]) <= FTM_PROPERTIES[e["schema"]], e
        for values in e["properties"].values():
            assert values and all(isinstance(v, str) and v for v in values)
        assert e["properties"].get("name"), e  # every schema we emit has a caption


def test_ftm_references_resolve(report: dict[str, Any]) -> None:
    entities = to_ftm(report)
    by_id = {e["id"]: e["schema"] for e in entities}
    parties = {"Person", "Organization", "LegalEntity"}
    for e in entities:
        props = e["properties"]
        for ref in props.get("document", []) + props.get("proof", []):
            assert by_id[ref] == "Article"
        for ref in props.get("resolved", []) + props.get("involved", []):
            assert by_id[ref] in parties
        if e["schema"] == "Mention":
            assert props["document"] and props["name"]


def test_ftm_mapping(report: dict[str, Any]) -> None:
    entities = to_ftm(report)
    schemas = {e["properties"]["name"][0]: e["schema"] for e in entities if e["schema"] != "Mention"}
    assert schemas["Jane Doe"] == "Person" and schemas["Acme Corp"] == "Organization" and schemas["Freedonia"] == "LegalEntity"
    assert "Freedonian" not in schemas and "River Bend" not in schemas  # NORP dropped, LOC only as mentions
    article = next(e for e in entities if e["schema"] == "Article" and e["properties"]["title"] == ["<b>Dam</b> fails"])
    assert article["properties"]["bodyText"] == [TEXT_A]
    assert article["properties"]["language"] == ["eng"] and article["properties"]["publishedAt"] == ["2024-03-01"]
    assert "sourceUrl" not in article["properties"] and article["properties"]["fileName"] == ["one.txt"]  # javascript: dropped
    person = next(e for e in entities if e["schema"] == "Person")
    assert person["properties"]["position"] == ["chief engineer"] and len(person["properties"]["proof"]) == 2
    loc_mentions = [e for e in entities if e["schema"] == "Mention" and e["properties"]["detectedSchema"] == ["Address"]]
    assert len(loc_mentions) == 2 and all("resolved" not in m["properties"] for m in loc_mentions)
    events = [e for e in entities if e["schema"] == "Event"]
    assert len(events) == 2  # the undated item is left out
    day = next(e for e in events if "date" in e["properties"])
    assert day["properties"]["date"] == ["2024-02-29"] and day["properties"]["involved"]
    decade = next(e for e in events if "startDate" in e["properties"])
    assert decade["properties"]["startDate"] == ["2020"] and decade["properties"]["endDate"] == ["2029"]
    assert [e["id"] for e in to_ftm(report)] == [e["id"] for e in entities]  # stable across runs


def test_claimreview_shape_and_verdicts(report: dict[str, Any]) -> None:
    reviews = to_claimreview(report)
    by_claim = {r["claimReviewed"]: r for r in reviews}
    assert len(reviews) == 5
    for r in reviews:
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert r["itemReviewed"]["@type"] == "Claim" and r["itemReviewed"]["appearance"]["@type"] == "CreativeWork"
        rating = r["reviewRating"]
        assert rating["@type"] == "Rating" and rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert r["author"] == {"@type": "Organization", "name": "StoryDesk (automated)"}
    assert by_claim["Officials said 12 people were hurt."]["reviewRating"]["alternateName"] == "Contradicted by other sources"
    assert "12 vs 40" in by_claim["Officials said 12 people were hurt."]["reviewRating"]["ratingExplanation"]
    agreed = by_claim["the dam at River Bend failed on 29 February 2024."]
    assert agreed["reviewRating"]["alternateName"] == "Supported by 2 independent sources"
    assert "source reliability 0.40" in agreed["reviewRating"]["ratingExplanation"]
    assert agreed["itemReviewed"]["appearance"]["headline"] == "<b>Dam</b> fails"
    assert agreed["itemReviewed"]["appearance"]["datePublished"] == "2024-03-01"
    single = by_claim["Acme Corp denied that any Freedonian engineer was present."]
    assert single["reviewRating"]["alternateName"] == "Single source"
    web = by_claim["Officials said 40 people were hurt."]["itemReviewed"]["appearance"]
    assert web["url"] == "https://example.org/dam"


def test_claimreview_without_reliability(report: dict[str, Any]) -> None:
    bare = {**report, "articles": [{k: v for k, v in a.items() if k != "reliability"} for a in report["articles"]]}
    reviews = to_claimreview(bare)
    assert len(reviews) == 5
    assert all("reliability" not in r["reviewRating"].get("ratingExplanation", "") for r in reviews)


def test_write_exports(report: dict[str, Any], tmp_path: Path) -> None:
    paths = write_exports(report, tmp_path)
    lines = paths["ftm"].read_text("utf-8").splitlines()
    assert paths["ftm"].name == "report.ftm.jsonl" and len(lines) == len(to_ftm(report))
    assert all(json.loads(line)["schema"] for line in lines)
    assert paths["claimreview"].name == "claimreview.jsonld"
    assert json.loads(paths["claimreview"].read_text("utf-8")) == to_claimreview(report)


def test_ftm_events_come_from_timeline_entries_one_per_event() -> None:
    from storydesk.model import Evidence, TimelineEntry

    story = build_story()
    a, b = story.articles
    story.timeline = [
        TimelineEntry(date="2024-02", precision="month", event="The <b>dam</b> failed.", entities=["e-person", "e-loc"],
                      sources=[a.id, b.id], evidence=[Evidence(a.id, (0, 5)), Evidence(b.id, (0, 5))]),
        TimelineEntry(date=None, precision=None, event="Undated.", sources=[b.id], evidence=[Evidence(b.id, (0, 5))]),
    ]
    data = story_to_dict(story)
    validate_report(data)
    events = [e for e in to_ftm(data) if e["schema"] == "Event"]
    assert len(events) == 1  # one per dated entry, not one per time expression
    props = events[0]["properties"]
    assert props["date"] == ["2024-02"] and props["description"] == ["The <b>dam</b> failed."]
    assert len(props["proof"]) == 2 and len(props["involved"]) == 1  # a LOC is not a party
