"""Timeline and brief: hand-built stories for each rule, general properties on the example story,
and hostile article text carried into the brief and timeline. Real embedding and stance models."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storydesk.model import Article, Claim, ClaimLink, Entity, Event, Flag, Mention, Reliability, Story, story_to_dict
from storydesk.report.render import render_html, render_markdown, validate_report
from storydesk.story.brief import build_brief
from storydesk.story.citations import CitationChecker, values
from storydesk.story.timeline import build_timeline, compatible, normalise

# ---------------------------------------------------------------- a hand-built story


def _story(sentences: dict[str, list[tuple[str, str | None, str | None]]], published: dict[str, str | None],
           entities: dict[str, tuple[str, str, list[str]]], agree: list[tuple[tuple[str, int], tuple[str, int]]] = (),
           scores: dict[str, float] | None = None) -> Story:
    """sentences: article -> [(text, resolved date, precision)]; each sentence is a claim, and one
    with a date gets a time expression spanning its first word. Entities are found by name."""
    story = Story(id="s", name="synthetic")
    ents = {eid: Entity(eid, name, etype, aliases=aliases) for eid, (name, etype, aliases) in entities.items()}
    for art_id, items in sentences.items():
        text = " ".join(t for t, _, _ in items)
        art = Article(id=art_id, source=f"{art_id}.txt", text=text, published=published.get(art_id), language="en")
        if scores and art_id in scores:
            art.reliability = Reliability(score=scores[art_id], rank=1)
        story.articles.append(art)
        pos = 0
        for i, (sent, date, precision) in enumerate(items):
            span = (pos, pos + len(sent))
            ids = []
            for ent in ents.values():
                for name in [ent.name, *ent.aliases]:
                    for m in re.finditer(re.escape(name), sent):
                        ent.mentions.append(Mention(art_id, (pos + m.start(), pos + m.end())))
                        ids.append(ent.id)
            story.claims.append(Claim(id=f"{art_id}-{i}", article=art_id, span=span, text=sent,
                                      entities=sorted(set(ids)), time=date))
            if date is not None or precision == "unresolved":
                story.times.append(Event(date, None if precision == "unresolved" else precision, sent.split()[0],
                                         art_id, (pos, pos + len(sent.split()[0])), sent, span))
            pos += len(sent) + 1
    story.entities = list(ents.values())
    for (a, i), (b, j) in agree:
        story.links.append(ClaimLink("agree", [f"{a}-{i}", f"{b}-{j}"], 0.9, "test"))
    by_id = {c.id: c for c in story.claims}
    for link in story.links:
        x, y = (by_id[c] for c in link.claims)
        x.agreeing_sources.append(y.article)
        y.agreeing_sources.append(x.article)
    for c in story.claims:
        c.single_source = not c.agreeing_sources
    return story


ENTITIES = {
    "gpe:r": ("Ruritania", "GPE", ["Ruritanian"]),
    "org:p": ("Ruritanian parliament", "ORG", []),
    "per:v": ("Olga Varnak", "PERSON", ["Varnak"]),
    "gpe:f": ("Freedonia", "GPE", []),
    "per:k": ("Tomas Kell", "PERSON", ["Kell"]),
}


def test_dates_are_read_at_the_precision_they_support():
    assert normalise("2021-03-01/2021-03-07", "day") == ("2021-03", "month", True)
    assert normalise("2019-02-27/2019-02-28", "day") == ("2019-02-27", "day", True)  # a two-day summit
    assert normalise("2021-03-29/2021-04-04", "day") == ("2021", "year", True)
    assert normalise("2015/2021", "year")[2] is False  # "the past six years" is a period, not an event
    assert normalise("1970/1979", "decade")[2] is False
    assert normalise(None, None) == (None, None, True)
    assert compatible("2021-03", "2021-03-03") and not compatible("2021-03-04", "2021-03-03")


def test_one_event_told_by_several_sources_is_one_entry_and_undated_ones_come_last():
    story = _story(
        {
            "a": [("The Ruritanian parliament approved the national budget of Ruritania on 3 March after a long debate.", "2021-03-03", "day"),
                  ("Olga Varnak said she was leaving politics for good in 2019.", "2019", "year")],
            "b": [("Ruritania's parliament approved the national budget in March after a long debate.", "2021-03", "month"),
                  ("Olga Varnak later met Tomas Kell in Freedonia on Friday.", None, "unresolved")],
            "c": [("The Ruritanian parliament approved the national budget of Ruritania on 5 March after a long debate.", "2021-03-05", "day")],
        },
        {"a": "2021-03-04", "b": "2021-03-20", "c": "2021-03-06"},
        ENTITIES,
    )
    timeline = build_timeline(story)
    budget = [e for e in timeline if "budget" in e.event]
    # b's "March" holds a's 3 March and c's 5 March, but those two cannot be one entry.
    assert len(budget) == 2
    merged = next(e for e in budget if len(e.sources) == 2)
    assert "b" in merged.sources and merged.precision == "day"
    assert merged.date == {"a": "2021-03-03", "c": "2021-03-05"}[next(s for s in merged.sources if s != "b")]
    assert {ev.article for ev in merged.evidence} == set(merged.sources)
    assert "org:p" in merged.entities or "gpe:r" in merged.entities
    dated = [e.date for e in timeline if e.date]
    assert dated == sorted(dated) and dated[0] == "2019"
    assert timeline[-1].date is None and "Kell" in timeline[-1].event
    for e in timeline:
        for ev in e.evidence:
            art = story.article(ev.article)
            assert art.text[ev.span[0]:ev.span[1]] in {c.text for c in story.claims}


def test_an_event_is_disputed_when_contradicted_or_flagged_in_every_source_not_for_a_low_score():
    story = _story(
        {
            "a": [("Tomas Kell resigned as governor of Freedonia on 2 May, officials said.", "2022-05-02", "day")],
            "b": [("Olga Varnak opened a new bridge in Ruritania on 9 May, officials said.", "2022-05-09", "day")],
            "c": [("Olga Varnak opened the new bridge in Ruritania on 9 May, local officials said.", "2022-05-09", "day")],
        },
        {"a": "2022-05-03", "b": "2022-05-10", "c": "2022-05-10"},
        ENTITIES,
        scores={"a": 0.3, "b": 0.9, "c": 0.3},
    )
    timeline = {e.event.split()[0] + str(len(e.sources)): e for e in build_timeline(story)}
    assert not timeline["Tomas1"].disputed  # a low article score alone disputes nothing
    assert not timeline["Olga2"].disputed
    story.articles[0].reliability.flags.append(Flag("contradicted", "x", "a", span=tuple(story.claims[0].span)))
    story.articles[1].reliability.flags.append(Flag("contradicted", "x", "b", span=tuple(story.claims[1].span)))
    timeline = {e.event.split()[0] + str(len(e.sources)): e for e in build_timeline(story)}
    assert timeline["Tomas1"].disputed  # its only source's very sentence is flagged
    assert not timeline["Olga2"].disputed  # one source unflagged on that sentence is enough
    story.links.append(ClaimLink("contradict", ["b-0", "a-0"], 0.7, "test", slot="date"))
    again = [e for e in build_timeline(story) if len(e.sources) == 2]
    assert again and again[0].disputed  # a source contradicts it


# ---------------------------------------------------------------- the citation check


def test_numbers_are_read_as_values():
    assert values("About 28,500 troops and 2.5 million people; twenty-five thousand in 2018.") == {28500.0, 2.5e6, 25000.0, 2018.0}


def test_the_checker_rejects_changed_numbers_names_and_polarity():
    story = _story({"a": [("Olga Varnak met Tomas Kell in Freedonia.", None, None)]}, {}, ENTITIES)
    checker = CitationChecker(story)
    span = "The government of Ruritania sent 1,200 soldiers to the border on Monday, Olga Varnak said."
    cases = [
        ("Ruritania sent 1,200 soldiers to the border on Monday, Olga Varnak said.", True),
        ("Ruritania sent 3,400 soldiers to the border on Monday, Olga Varnak said.", False),
        ("Freedonia sent 1,200 soldiers to the border on Monday, Olga Varnak said.", False),
        ("Ruritania did not send 1,200 soldiers to the border on Monday, Olga Varnak said.", False),
        ("The harvest festival drew record crowds of tourists this autumn.", False),
    ]
    verdicts = checker.check([(s, span) for s, _ in cases])
    assert [v.ok for v in verdicts] == [want for _, want in cases], [v.reason for v in verdicts]


def test_brief_cites_agreeing_sources_and_drops_citations_that_do_not_hold():
    story = _story(
        {
            "a": [("Ruritania sent 1,200 soldiers to its border with Freedonia on Monday, Olga Varnak said.", None, None),
                  ("Olga Varnak said the soldiers would stay at the border for at least two months.", None, None),
                  ("Tomas Kell, the governor of Freedonia, called the deployment a provocation.", None, None)],
            "b": [("Ruritania sent 1,200 soldiers to its border with Freedonia on Monday, officials said.", None, None),
                  ("The Freedonian harvest festival drew record crowds this autumn despite the rain.", None, None)],
            "c": [("Ruritania sent 4,000 soldiers to its border with Freedonia on Monday, Olga Varnak said.", None, None),
                  ("Markets in Freedonia fell sharply after the news of the deployment reached the capital.", None, None)],
        },
        {},
        ENTITIES,
        agree=[(("a", 0), ("b", 0)), (("a", 0), ("c", 0))],
    )
    brief = build_brief(story)
    assert 1 <= len(brief) <= 12
    texts = {a.id: a.text for a in story.articles}
    lead = next(b for b in brief if "soldiers to its border" in b.text)
    cited = {c.article for c in lead.citations}
    assert len(cited) >= 2 and "c" not in cited  # 4,000 does not support 1,200
    for b in brief:
        assert b.citations
        for c in b.citations:
            span = texts[c.article][c.span[0]:c.span[1]]
            assert values(b.text) <= values(span)


# ---------------------------------------------------------------- the example story


def test_example_brief_and_timeline_hold_their_contract(example_run):
    out, report = example_run
    validate_report(report)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    assert 5 <= len(report["brief"]) <= 12
    for b in report["brief"]:
        assert b["citations"]
        spans = [texts[c["article"]][slice(*c["span"])] for c in b["citations"]]
        if b.get("kind") == "difference":  # a written sentence: each side's value, quoted from its span
            values = re.findall(r"'([^']+)' \(", b["text"])
            assert ("Sources differ on" in b["text"] or "changed over time" in b["text"]) and len(spans) == 2
            assert all(v in span for v, span in zip(values, spans))
            continue
        words = re.findall(r"\w+", b["text"])
        assert all(w in spans[0] for w in words)  # compression deletes, never rewrites
    assert report["timeline"]
    dated = [e for e in report["timeline"] if e["date"]]
    assert [e["date"][:4] for e in dated] == sorted(e["date"][:4] for e in dated)
    assert all(e["date"] is None for e in report["timeline"][len(dated):])
    for e in report["timeline"]:
        assert e["precision"] in ("day", "month", "year", None) and e["sources"]
        assert {ev["article"] for ev in e["evidence"]} == set(e["sources"])
        # every piece of evidence holds a time expression of its article (looked up by overlap)
        assert all(any(t["article"] == ev["article"] and ev["span"][0] <= t["span"][0] < ev["span"][1] for t in report["times"])
                   for ev in e["evidence"])
    html = (out / "report.html").read_text("utf-8")
    assert html.index("<h1>") < html.index('id="brief"') < html.index('id="timeline"') < html.index("<nav>") < html.index("<article ")
    n = len({(c["article"], tuple(c["span"])) for b in report["brief"] for c in b["citations"]})
    anchors = set(re.findall(r'href="#(c-\d+)"', html))
    assert len(anchors) == n  # one mark per cited span, however often it is cited
    assert all(f'<mark id="{a}">' in html for a in anchors)
    assert "<svg" in html and "<script" not in html
    md = (out / "report.md").read_text("utf-8")
    assert md.index("## Brief") < md.index("## Timeline") < md.index("## Reliability")


HOSTILE_A = ("date 2021-03-04\n\nThe Ruritanian parliament approved the <script>alert(1)</script> budget of 40 million "
             "dollars on 3 March 2021, said Olga Varnak. <img src=x onerror=alert(2)> Olga Varnak spoke to reporters "
             "in Ruritania on Thursday.\n\nTomas Kell, the governor of Freedonia, criticised the budget on Friday.\n\n"
             "Officials in Freedonia said the budget would raise taxes for 2 million people next year.")
HOSTILE_B = ("date 2021-03-05\n\nThe Ruritanian parliament approved the <script>alert(1)</script> budget of 40 million "
             "dollars on 3 March 2021, said Olga Varnak. Critics in Ruritania said the vote was rushed.\n\n"
             "Olga Varnak met Tomas Kell in Freedonia on 5 March \" onmouseover=\"alert(3) to discuss trade.")


def test_hostile_text_in_brief_and_timeline_is_escaped(tmp_path: Path):
    from storydesk.options import Options
    from storydesk.run import run_analysis

    (tmp_path / "a.txt").write_text(HOSTILE_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(HOSTILE_B, encoding="utf-8")
    out = tmp_path / "out"
    run_analysis([str(tmp_path)], out, Options(progress=False))
    report = json.loads((out / "report.json").read_text("utf-8"))
    carried = [b["text"] for b in report["brief"]] + [e["event"] for e in report["timeline"]]
    assert any("<script>" in t for t in carried)  # the hostile text did reach the new sections
    html = (out / "report.html").read_text("utf-8")
    assert "<script" not in html and "<img" not in html and "onerror=alert" not in html.replace("&#34;", "")
    assert 'onmouseover="alert' not in html
    assert "&lt;script&gt;" in html.split('id="brief"')[1].split("<article")[0]
    md = render_markdown(report)
    assert "<script>" not in md


def test_report_renders_a_story_without_brief_or_timeline():
    story = Story(id="s", name="empty <b>story</b>")
    report = story_to_dict(story)
    validate_report(report)
    html = render_html(report)
    assert 'id="brief"' not in html and "<svg" not in html and "<b>story" not in html
    assert "## Brief" not in render_markdown(report)


@pytest.mark.parametrize("broken", [{"text": "x", "citations": []}, {"text": "", "citations": [{"article": "a", "span": [0, 1]}]}])
def test_schema_rejects_an_uncited_or_empty_brief_sentence(broken):
    import jsonschema

    report = story_to_dict(Story(id="s", name="n"))
    report["brief"] = [broken]
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)
