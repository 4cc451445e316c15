"""Cross-source claim logic on hand-built stories: numbers, dates, copies and corroboration.

Real embedding model and MinHash; the language layer is replaced by hand-made entities and
quantities so each rule is tested on exactly the facts it reads.
"""

from __future__ import annotations

from storydesk.claims.compare import ClaimFacts
from storydesk.claims.corroborate import corroborate
from storydesk.claims.relate import Context, relate
from storydesk.claims.syndication import find_copies
from storydesk.claims.places import PlaceIndex
from storydesk.model import Article, Claim, ClaimLink, Entity, Quantity

ENTITIES = [
    Entity("gpe:r", "Ruritania", "GPE"),
    Entity("gpe:f", "Freedonia", "GPE"),
    Entity("gpe:us", "United States", "GPE", aliases=["US"]),
    Entity("norp:f", "Freedonian", "NORP", related=[{"entity": "gpe:f", "relation": "demonym-of"}]),
]


def _pair(text_a, text_b, qa, qb, dates, places=(["gpe:r"], ["gpe:r"])):
    def qty(q, art):
        return Quantity(value=q[0], unit=q[1], text=q[2], article=art, span=(0, 1),
                        approx=q[3] if len(q) > 3 else 0.0, subject=q[4] if len(q) > 4 else None)

    quantities = [qty(qa, "a0"), qty(qb, "a1")]
    claims = [
        Claim(id="c0", article="a0", span=(0, len(text_a)), text=text_a, entities=list(places[0]), quantities=[0]),
        Claim(id="c1", article="a1", span=(0, len(text_b)), text=text_b, entities=list(places[1]), quantities=[1]),
    ]
    arts = {f"a{i}": Article(id=f"a{i}", source=f"a{i}", text="x", published=d) for i, d in enumerate(dates)}
    return Context(claims=claims, quantities=quantities, articles=arts, places=PlaceIndex(ENTITIES), facts=ClaimFacts(claims, []))


def test_different_values_close_in_time_contradict():
    ctx = _pair("The army has 12,000 troops in Ruritania.", "Some 15,000 soldiers are stationed in Ruritania.",
                (12000, "troops", "12,000 troops"), (15000, "soldiers", "15,000 soldiers"), ["2020-05-01", "2020-05-03"])
    link = relate(ctx, 0, 1, 0.8)
    assert link.kind == "contradict"
    assert "12,000 troops" in link.explanation and "15,000 soldiers" in link.explanation


def test_different_values_far_apart_in_time_changed_over_time():
    ctx = _pair("The army has 12,000 troops in Ruritania.", "The army has 15,000 troops in Ruritania.",
                (12000, "troops", "12,000 troops"), (15000, "troops", "15,000 troops"), ["2016-11-16", "2018-06-11"])
    link = relate(ctx, 0, 1, 0.9)
    assert link.kind == "changed_over_time"
    assert "2016-11-16" in link.explanation and "2018-06-11" in link.explanation


def test_values_within_approximation_agree():
    ctx = _pair("The fund holds about 200 million dollars.", "The fund holds $210 million.",
                (2e8, "USD", "about 200 million dollars", 0.1), (2.1e8, "USD", "$210 million"), ["2020-01-01", "2020-01-02"])
    assert relate(ctx, 0, 1, 0.8).kind == "agree"


def test_same_unit_in_different_places_is_not_compared():
    ctx = _pair("The US has 28,000 troops in Ruritania.", "The US has 50,000 troops in Freedonia.",
                (28000, "troops", "28,000 troops"), (50000, "troops", "50,000 troops"), ["2020-01-01", "2020-01-02"],
                places=(["gpe:r"], ["gpe:f"]))
    link = relate(ctx, 0, 1, 0.7)
    assert link is None or link.kind not in ("contradict", "changed_over_time")


def test_place_read_from_the_quantity_not_the_owner():
    # "US troops in Ruritania" vs "US troops on Freedonian soil": US owns both, places differ.
    ctx = _pair("The US keeps 28,000 troops in Ruritania, officials said.", "Some 50,000 US troops are based on Freedonian soil, near Ruritania.",
                (28000, "troops", "28,000 troops", 0.0, "troops in Ruritania"),
                (50000, "troops", "50,000 US troops", 0.0, "US troops based on Freedonian soil"),
                ["2020-01-01", "2020-01-02"], places=(["gpe:us", "gpe:r"], ["gpe:us", "norp:f", "gpe:r"]))
    link = relate(ctx, 0, 1, 0.7)
    assert link is None or link.kind not in ("contradict", "changed_over_time")
    ctx = _pair("The US keeps 50,000 troops in Freedonia.", "Some 47,000 US troops are based on Freedonian soil.",
                (50000, "troops", "50,000 troops", 0.0, "troops in Freedonia"),
                (47000, "troops", "47,000 US troops", 0.0, "US troops based on Freedonian soil"),
                ["2018-06-11", "2016-11-16"], places=(["gpe:us", "gpe:f"], ["gpe:us", "norp:f"]))
    link = relate(ctx, 0, 1, 0.3)
    assert link.kind == "changed_over_time"


def test_opinion_never_contradicts_fact():
    ctx = _pair("The army has 12,000 troops in Ruritania.", "Ruritania should not need 15,000 troops.",
                (12000, "troops", "12,000 troops"), (15000, "troops", "15,000 troops"), ["2020-05-01", "2020-05-03"])
    ctx.claims[1].opinion = True
    assert relate(ctx, 0, 1, 0.8).kind == "elaborates"


def test_copies_found_and_counted_once_in_corroboration():
    body = " ".join(f"Sentence number {i} of the wire report says the council voted on the new road plan." for i in range(30))
    other = " ".join(f"An independent account, line {i}, describes the vote from the public gallery in detail." for i in range(30))
    arts = [
        Article(id="orig", source="o", text=body, published="2021-01-01"),
        Article(id="copy", source="c", text=body + " Extra closing line added by the reprinting site.", published="2021-01-02"),
        Article(id="indep", source="i", text=other, published="2021-01-02"),
    ]
    copies = find_copies(arts)
    assert copies == {"copy": "orig"}
    # a big pile goes through MinHash LSH instead of exact pairs: the same copies
    from storydesk.claims import syndication

    old, syndication.EXACT_LIMIT = syndication.EXACT_LIMIT, 0
    try:
        assert find_copies(arts) == copies
    finally:
        syndication.EXACT_LIMIT = old
    claims = [Claim(id=a.id, article=a.id, span=(0, 5), text="The council voted.") for a in arts]
    links = [ClaimLink("agree", ["orig", "copy"], 0.9, ""), ClaimLink("agree", ["copy", "indep"], 0.9, "")]
    corroborate(claims, links, copies)
    by_id = {c.id: c for c in claims}
    assert by_id["indep"].agreeing_sources == ["orig"]
    assert by_id["orig"].agreeing_sources == ["indep"]
    claims2 = [Claim(id=a.id, article=a.id, span=(0, 5), text="x") for a in arts[:2]]
    corroborate(claims2, [ClaimLink("agree", ["orig", "copy"], 0.9, "")], copies)
    assert all(c.single_source for c in claims2), "a copy does not corroborate its original"


def test_agreement_section_counts_direct_support_only():
    from storydesk.report.sections import claim_sections

    arts = [{"id": f"a{i}", "title": f"T{i}", "source": f"s{i}"} for i in range(3)]
    claims = [
        {"id": f"c{i}", "article": f"a{i}", "text": f"claim {i}", "opinion": False, "single_source": False,
         "agreeing_sources": src}
        for i, src in enumerate([["a1"], ["a0", "a2"], ["a1"]])
    ]
    links = [{"kind": "agree", "claims": ["c0", "c1"], "score": 0.9, "explanation": ""},
             {"kind": "agree", "claims": ["c1", "c2"], "score": 0.9, "explanation": ""}]
    agreed = claim_sections({"articles": arts, "claims": claims, "links": links})["agreed"]
    assert agreed[0]["sources"] == 3 and len(agreed[0]["quotes"]) == 3  # c1 and both its supporters
    assert all(g["sources"] == len(g["quotes"]) for g in agreed)
    assert not any({q["text"] for q in g["quotes"]} == {"claim 0", "claim 2"} for g in agreed), "no chained pair"


def test_a_city_elsewhere_in_the_sentence_is_not_where_a_count_applies():
    # "officials involved in the investigation" is about an inquiry, not a place; the tower's city names
    # no place for the count, so the two counts of officials are one measure.
    ctx = _pair("It cited three federal officials involved in the investigation of a tower in Ruritania.",
                "The site cited two federal officials who spoke on condition of anonymity.",
                (3, "officials", "three federal officials", 0.0, "federal officials"),
                (2, "officials", "two federal officials", 0.0, "federal officials"),
                ["2020-01-01", "2020-01-01"], places=(["gpe:r"], []))
    link = relate(ctx, 0, 1, 0.7)
    assert link.kind == "contradict" and link.slot == "number"


def test_amounts_orders_of_magnitude_apart_are_two_measures():
    ctx = _pair("He spent $600 of campaign money on a family trip.", "The couple converted $250,000 in campaign funds.",
                (600, "USD", "$600"), (250000, "USD", "$250,000", 0.0, "campaign funds"), ["2020-01-01", "2020-01-01"],
                places=([], []))
    link = relate(ctx, 0, 1, 0.7)
    assert link is None or link.kind != "contradict"
    ctx = _pair("The couple misused more than $350,000.", "The couple converted $250,000 in campaign funds.",
                (350000, "USD", "$350,000"), (250000, "USD", "$250,000", 0.0, "campaign funds"), ["2020-01-01", "2020-01-01"],
                places=([], []))
    assert relate(ctx, 0, 1, 0.7).kind == "contradict"
