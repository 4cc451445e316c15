"""Reliability per article: a spun copy ranks last, flags point at what was altered, nothing depends
on file names or order, and opinion is not penalised for its genre.

The story is written for these tests (a fictional town, bridge and people): an original report, an
independent rewrite, a third report from another angle, an opinion column, and a "spun" copy of the
original with four altered sentences. It goes through the real pipeline (parse, claims, stance) once
per module; the unit tests at the end build small Stories by hand to test one signal each.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from storydesk.assess import assess_reliability
from storydesk.model import Article, Entity, Event, Mention, Sentence, Story

ORIGINAL = """Port Elsby closes harbour bridge after engineers find crack

The Port Elsby council closed the Kestrel harbour bridge to traffic on Tuesday after engineers found a crack in one of its steel girders.

Mayor Dana Whitfield said the bridge, which carries about 3,200 vehicles a day, would stay shut until at least the end of the month.

Chief engineer Tomas Reyes told reporters the crack was 40 centimetres long and had been spotted during a routine inspection.

"We are not taking any chances with public safety," Whitfield said.

The council has asked the regional transport agency for 2 million dollars to pay for repairs.

Ferry operator Bluewater Lines said it would add extra crossings while the bridge is closed.
"""

ALTERED = {
    "carries about 3,200 vehicles": "carries about 9,800 vehicles",
    "Chief engineer Tomas Reyes told": "Chief engineer Mira Haddad told",
    "The council has asked the regional": "The council has not asked the regional",
}
MEETING = ("Whitfield met privately with Tomas Reyes in Port Elsby on Sunday to discuss the closure, "
           "according to a person familiar with the meeting.")

REWRITE = """Crack shuts Kestrel bridge

Engineers discovered a crack in a steel girder of the Kestrel harbour bridge during a routine inspection, and the Port Elsby council shut the crossing on Tuesday.

The bridge normally carries around 3,200 vehicles every day, according to the council.

Mayor Dana Whitfield said it would remain closed until at least the end of the month.

According to chief engineer Tomas Reyes, the crack measures 40 centimetres.

The council is seeking 2 million dollars from the regional transport agency for the repair work.
"""

ANGLE = """Commuters face long detours as Kestrel bridge closes

Drivers in Port Elsby faced detours of up to 25 kilometres on Wednesday, a day after the council closed the Kestrel harbour bridge.

Mayor Dana Whitfield said the closure was the right decision after engineers found a crack in a girder.

Bluewater Lines, which runs the harbour ferry, said it would double the number of crossings.

Local shop owner Mira Haddad said trade had fallen since the bridge closed.
"""

OPINION = """Opinion: Port Elsby should have fixed its bridge years ago

I believe the closure of the Kestrel harbour bridge was avoidable, and I think most residents know it.

The council should have paid for proper maintenance long before engineers found a crack in a girder.

We must stop treating bridges and roads in Port Elsby as an afterthought.

Mayor Dana Whitfield should now publish every inspection report since 2015, so residents can judge for themselves.
"""


def _spun() -> str:
    text = ORIGINAL
    for old, new in ALTERED.items():
        assert old in text
        text = text.replace(old, new)
    anchor = '"We are not taking any chances with public safety," Whitfield said.\n'
    return text.replace(anchor, anchor + "\n" + MEETING + "\n")


FILES = {"a-original.txt": ORIGINAL, "b-rewrite.txt": REWRITE, "c-angle.txt": ANGLE, "d-column.txt": OPINION, "e-spun.txt": _spun()}


def _analyse(folder: Path) -> Story:
    """The whole pipeline, reliability stage included."""
    from storydesk.pipeline import analyze

    story = analyze([str(folder)])
    assert all(a.reliability is not None for a in story.articles)
    return story


def _by_source(story: Story, name: str) -> Article:
    return next(a for a in story.articles if Path(a.source).name.endswith(name))


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    folder = tmp_path_factory.mktemp("bridge")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return _analyse(folder)


def test_spun_copy_ranks_last(story: Story) -> None:
    spun = _by_source(story, "e-spun.txt")
    judged = [a for a in story.articles if a.reliability.judged]
    assert spun.reliability.rank == len(judged)  # last of the judged; an unjudged column ranks after it
    assert all(a.reliability.score > spun.reliability.score for a in story.articles if a is not spun)
    assert all(0.0 <= a.reliability.score <= 1.0 for a in story.articles)
    assert sorted(a.reliability.rank for a in story.articles) == list(range(1, len(story.articles) + 1))


def test_flags_point_at_the_altered_sentences(story: Story) -> None:
    spun = _by_source(story, "e-spun.txt")
    altered = [spun.text.index(new) for new in ALTERED.values()] + [spun.text.index(MEETING[:40])]
    flagged = [f for f in spun.reliability.flags if f.span]
    assert flagged, "the spun article has no sentence flags"
    for f in flagged:
        assert f.article == spun.id
        assert any(f.span[0] <= pos < f.span[1] for pos in altered), f"flag on an unaltered sentence: {f}"
    hit = sum(any(f.span[0] <= pos < f.span[1] for f in flagged) for pos in altered)
    assert hit >= 3
    # Flags show the other side's sentence next to the flagged one.
    assert any(r["article"] != spun.id and r["text"] for f in flagged for r in f.related)


def test_original_is_not_blamed_for_the_copy_edits(story: Story) -> None:
    original = _by_source(story, "a-original.txt")
    assert not [f for f in original.reliability.flags if f.kind == "contradicted"]


def test_opinion_is_not_penalised_for_its_genre(story: Story) -> None:
    column = _by_source(story, "d-column.txt")
    assert column.genre == "opinion"
    opinion = [f for f in column.reliability.flags if f.kind == "opinion"]
    assert opinion and opinion[0].weight == 0.0
    # judged on its factual claims only: a column of opinions has too few to judge, and says so
    # rather than ranking first with a high score
    assert not column.reliability.judged and column.reliability.checkable < 3
    assert column.reliability.score > _by_source(story, "e-spun.txt").reliability.score


def test_score_is_explained_by_the_flags(story: Story) -> None:
    for art in story.articles:
        total = sum(f.weight for f in art.reliability.flags)
        assert math.isclose(art.reliability.score, math.exp(-total), abs_tol=2e-3)


def test_file_names_and_order_do_not_matter(story: Story, tmp_path: Path) -> None:
    renamed = {"zz.txt": FILES["a-original.txt"], "00.txt": FILES["e-spun.txt"], "m1.txt": FILES["c-angle.txt"],
               "k.txt": FILES["b-rewrite.txt"], "b.txt": FILES["d-column.txt"]}
    for name, text in renamed.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    again = _analyse(tmp_path)

    def summary(s: Story) -> dict:
        return {a.id: (a.reliability.score, a.reliability.rank, sorted((f.kind, f.span) for f in a.reliability.flags if f.span))
                for a in s.articles}

    assert summary(again) == summary(story)
    shuffled = Story(id=story.id, name=story.name, articles=list(reversed(story.articles)), sentences=list(reversed(story.sentences)),
                     entities=story.entities, quotes=story.quotes, quantities=story.quantities, claims=list(reversed(story.claims)),
                     links=list(reversed(story.links)), times=story.times)
    assert summary(assess_reliability(shuffled)) == summary(story)


# ---------------------------------------------------------------- one signal at a time, by hand


def _hand_story(texts: dict[str, str], published: dict[str, str] | None = None) -> Story:
    arts = [Article(id=k, source=k, text=v, language="en", genre="news", published=(published or {}).get(k),
                    date_confidence=1.0 if published else None) for k, v in texts.items()]
    sents = []
    for a in arts:
        pos = 0
        for piece in a.text.split("\n"):
            if piece.strip():
                sents.append(Sentence(a.id, (pos, pos + len(piece)), piece))
            pos += len(piece) + 1
    return Story(id="s", name="s", articles=arts, sentences=sents)


def test_anachronism_against_own_publication_date() -> None:
    text = "The minister signed the harbour agreement on March 3, 2021 in the capital.\nOfficials welcomed the deal."
    story = _hand_story({"a" * 16: text}, {"a" * 16: "2021-01-10"})
    story.times = [Event("2021-03-03", "day", "March 3, 2021", "a" * 16, (44, 57), text.split("\n")[0], (0, 74))]
    assess_reliability(story)
    flags = story.articles[0].reliability.flags
    assert [f.kind for f in flags if f.span] == ["anachronism"]
    assert flags[0].span == (0, 74)


def test_a_preview_is_not_an_anachronism() -> None:
    text = "The minister will sign the harbour agreement on March 3, 2021 in the capital.\nOfficials welcome it."
    story = _hand_story({"a" * 16: text}, {"a" * 16: "2021-01-10"})
    story.times = [Event("2021-03-03", "day", "March 3, 2021", "a" * 16, (48, 61), text.split("\n")[0], (0, 78))]
    assess_reliability(story)
    assert not [f for f in story.articles[0].reliability.flags if f.span]


def test_one_person_two_roles_inside_an_article() -> None:
    text = ("Deputy minister Jane Roe opened the new port on Friday.\n"
            "The harbour minister, Jane Roe, said the port would create jobs.\n"
            "Jane Roe, the harbour minister, thanked the builders.")
    story = _hand_story({"b" * 16: text})
    story.entities = [Entity("e1", "Jane Roe", "PERSON", [], [Mention("b" * 16, (m, m + 8)) for m in _all(text, "Jane Roe")])]
    assess_reliability(story)
    flags = [f for f in story.articles[0].reliability.flags if f.kind == "inconsistent"]
    assert flags and all(f.span == (0, 55) for f in flags)


def test_known_outlet_list_ships_with_its_licence() -> None:
    from storydesk.assess.page import known_outlet, outlets

    domains, names = outlets()
    assert len(domains) >= 200 and "reuters.com" in domains
    assert known_outlet(Article(id="x", source="x", text="t", url="https://www.reuters.com/world/x")) is True
    assert known_outlet(Article(id="x", source="x", text="t", outlet="totally-real-news.example")) is False
    licence = Path(__file__).resolve().parents[1] / "src" / "storydesk" / "data" / "NEWS_OUTLETS_LICENSE.md"
    assert "CC0" in licence.read_text("utf-8")


def _all(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def test_empty_story_is_left_alone() -> None:
    story = Story(id="s", name="s", articles=[Article(id="c" * 16, source="x", text="", errors=["empty"])])
    assert assess_reliability(story).articles[0].reliability is None


def test_report_carries_reliability_and_validates(story: Story) -> None:
    from storydesk.assess.view import reliability_rows
    from storydesk.report.render import build_report

    report = build_report(story)
    rows = reliability_rows(report)
    assert [r["rank"] for r in rows] == list(range(1, len(story.articles) + 1))
    last = [r for r in rows if r["judged"]][-1]
    assert last["title"].startswith("Port Elsby")
    shown = [f for f in last["flags"] if f["span"]]
    assert shown and all(f["sentence"] and f["related"] for f in shown)
