"""One discrepancy, one link: pairwise contradictions about one detail become one link with two
sides, and an event dated differently is found even when the two sentences are worded apart.
Outlets, people and places are invented."""

from __future__ import annotations

from storydesk.claims.sides import join_sides
from storydesk.model import Article, Claim, ClaimLink, link_pairs


def _claim(cid: str, article: str, text: str) -> Claim:
    return Claim(id=cid, article=article, span=(0, len(text)), text=text)


def _articles(*ids: str) -> dict[str, Article]:
    return {i: Article(id=i, source=f"https://{i}.example/story", text="", outlet=f"{i}.example") for i in ids}


def _contradiction(a: Claim, b: Claim, va: str, vb: str) -> ClaimLink:
    return ClaimLink(kind="contradict", claims=[a.id, b.id], score=0.6, explanation=f"{va} in A vs {vb} in B: different values",
                     slot="number", values=[va, vb], basis="numbers")


def test_two_sources_against_one_are_one_link_with_two_sides():
    a = _claim("a1", "a", "The 48-page indictment lists the purchases.")
    b = _claim("b1", "b", "Prosecutors released a 48-page indictment on Tuesday.")
    c = _claim("c1", "c", "The 47-page indictment says the couple spent the money.")
    links = [_contradiction(a, c, "48-page", "47-page"), _contradiction(b, c, "48-page", "47-page")]
    out = join_sides(links, [a, b, c], _articles("a", "b", "c"))
    assert len(out) == 1
    link = out[0]
    assert link.kind == "contradict" and sorted(link.claims) == ["a1", "b1", "c1"]
    side = dict(zip(link.claims, link.sides))
    assert side["a1"] == side["b1"] != side["c1"]
    assert dict(zip(link.claims, link.values))["c1"] == "47-page"
    # two claims on one side are not related by the link; each is against the other side
    assert sorted(link.pairs()) == [("a1", "c1"), ("b1", "c1")]
    assert "a.example" in link.explanation and "b.example" in link.explanation and "c.example" in link.explanation


def test_an_agreeing_sentence_that_prints_the_value_joins_its_side():
    a = _claim("a1", "a", "The 48-page indictment lists the purchases.")
    b = _claim("b1", "b", "In its 48-page indictment, the grand jury lists vacations.")
    c = _claim("c1", "c", "The 47-page indictment says the couple spent the money.")
    agree = ClaimLink(kind="agree", claims=["a1", "b1"], score=0.8, explanation="same statement", basis="content")
    out = join_sides([_contradiction(a, c, "48-page", "47-page"), agree], [a, b, c], _articles("a", "b", "c"))
    joined = next(l for l in out if l.kind == "contradict")
    assert dict(zip(joined.claims, joined.sides)) == {"a1": 0, "b1": 0, "c1": 1}
    assert any(l.kind == "agree" for l in out)  # the agreement itself stays


def test_a_lone_pair_and_an_article_on_both_sides_stay_pairwise():
    a = _claim("a1", "a", "The 48-page indictment lists the purchases.")
    c = _claim("c1", "c", "The 47-page indictment says the couple spent the money.")
    c2 = _claim("c2", "c", "The 48-page filing was unsealed.")
    lone = [_contradiction(a, c, "48-page", "47-page")]
    assert join_sides(lone, [a, c], _articles("a", "c")) == lone
    both = [_contradiction(a, c, "48-page", "47-page"), _contradiction(c2, c, "48-page", "47-page")]
    assert join_sides(both, [a, c, c2], _articles("a", "c")) == both


def test_link_pairs_of_a_stored_link_without_sides_is_its_one_pair():
    assert link_pairs(["x", "y"]) == [("x", "y")]
    assert link_pairs(["x", "y", "z"], [0, 0, 1]) == [("x", "z"), ("y", "z")]


def test_an_interview_dated_differently_is_a_date_discrepancy_however_worded(analyse_pile):
    intro = "Senator Mara Quill of Ohio criticized the Harbor Act in remarks that drew wide attention this week.\n\n"
    story = analyse_pile(
        ("https://a.example/quill", "2021-05-11", intro + "Quill told The Daily Ledger in an interview published Sunday "
         "that the bill would fail.\n\nHer office declined to comment further."),
        ("https://b.example/quill", "2021-05-11", intro + "The furor began with comments to The Daily Ledger published "
         "Saturday.\n\nSeveral colleagues defended her."),
    )
    dates = [l for l in story.links if l.kind in ("contradict", "changed_over_time") and l.slot == "date"]
    assert dates, [(l.kind, l.explanation) for l in story.links]
    texts = {c.id: c.text for c in story.claims}
    assert any(any("Sunday" in texts[c] for c in l.claims) and any("Saturday" in texts[c] for c in l.claims) for l in dates)
    # the published thing is named by the entity both sentences share, not left as a bare verb
    assert any("Daily Ledger" in l.explanation for l in dates), [l.explanation for l in dates]


def test_pages_group_a_discrepancy_by_side_and_never_double_a_quotes_marks():
    from storydesk.labels import quoted
    from storydesk.web.views import contradiction_view

    text = "The 48-page indictment. A 48-page indictment was filed. “It was 47 pages,” the clerk said."
    claims = [{"id": i, "article": a, "span": list(s), "text": text[s[0]:s[1]]}
              for i, a, s in (("a1", "a", (0, 23)), ("b1", "b", (24, 55)), ("c1", "c", (56, len(text))))]
    report = {"articles": [{"id": x, "source": f"https://{x}.example/", "text": text} for x in "abc"], "claims": claims,
              "links": [{"kind": "contradict", "claims": ["a1", "b1", "c1"], "sides": [0, 0, 1], "score": 0.6,
                         "explanation": "pages", "values": ["48-page", "48-page", "47-page"], "slot": "number"}]}
    (item,) = contradiction_view(report)
    assert [[s["claim"]["id"] for s in col] for col in item["columns"]] == [["a1", "b1"], ["c1"]]
    assert quoted(claims[2]["text"]) == claims[2]["text"]
    assert quoted("It was filed.") == "“It was filed.”"


def test_a_story_that_went_online_was_published_then(analyse_pile):
    intro = "A report on the Harbor Act by The Westhaven Courier drew a denial from the port authority.\n\n"
    story = analyse_pile(
        ("https://a.example/courier", "2021-05-14", intro + "The Westhaven Courier's report went online Wednesday night.\n\n"
         "The port authority called it false."),
        ("https://b.example/courier", "2021-05-14", intro + "The Westhaven Courier published the report on Thursday, "
         "citing two officials.\n\nThe authority disputed it."),
    )
    texts = {c.id: c.text for c in story.claims}
    dates = [l for l in story.links if l.slot == "date" and l.kind == "contradict"]
    assert any(any("went online" in texts[c] for c in l.claims) for l in dates), [(l.kind, l.explanation) for l in story.links]


def test_the_brief_ends_with_the_discrepancy_naming_every_outlet_on_each_side(analyse_pile):
    lead = "A grand jury indicted Mayor Tomas Reld of Westhaven on Tuesday on charges of misusing city funds.\n\n"
    tail = "\n\nReld denied wrongdoing and said he would fight the charges in court.\n\nHis trial date was not set."
    story = analyse_pile(
        ("https://a.example/reld", "2021-06-02", lead + "The 52-page indictment lists trips paid with city money." + tail),
        ("https://b.example/reld", "2021-06-02", lead + "Prosecutors released a 52-page indictment describing the trips." + tail),
        ("https://c.example/reld", "2021-06-02", lead + "According to the 49-page indictment, the trips cost the city dearly." + tail),
    )
    joined = [l for l in story.links if l.kind == "contradict" and len(l.claims) == 3]
    assert joined, [(l.kind, l.claims, l.explanation) for l in story.links if l.kind == "contradict"]
    difference = story.brief[-1]
    assert difference.kind == "difference" and "52-page" in difference.text and "49-page" in difference.text
    assert "a.example" in difference.text and "b.example" in difference.text and "c.example" in difference.text
