"""What a reader sees on report.html, report.md and the web pages: articles named by title and outlet,
flags in plain words, weak signals as one line, the disputed-figures table, quotes by speaker, and
the same counts and citation numbers on the overview as in report.html. Hand-built reports with
invented names; no analysis run."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_export import build_story

from storydesk.labels import FLAG_NAMES, article_label, article_name, flag_name
from storydesk.model import story_to_dict
from storydesk.report.figures import disputed_figures
from storydesk.report.render import render_html, render_markdown, validate_report
from storydesk.report.sections import article_paragraphs
from storydesk.report.speakers import quote_groups

A, B = "a" * 16, "b" * 16
UNTITLED = "Harbour officials in Velmora said on Tuesday that the north pier would stay shut for repairs until spring."


def _span(report: dict[str, Any], article: str, fragment: str) -> list[int]:
    text = next(a["text"] for a in report["articles"] if a["id"] == article)
    start = text.index(fragment)
    return [start, start + len(fragment)]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """build_story's two articles; B untitled with a file-path source, flags of several kinds, a
    contradiction with values, two spellings of one speaker, and a brief citing both articles."""
    data = json.loads(json.dumps(story_to_dict(build_story())))
    b = data["articles"][1]
    b.update(title=None, source="pile/007_9f8e7d.txt", outlet="Harbour Gazette", text=UNTITLED + "\n\n" + b["text"])
    for c in data["claims"]:
        if c["article"] == B:
            c["span"] = [s + len(UNTITLED) + 2 for s in c["span"]]
    weak = [{"article": A, "span": _span(data, A, "Acme Corp denied"), "text": "Acme Corp denied", "kind": "uncorroborated",
             "why": "no other source", "related": []} for _ in range(3)]
    data["articles"][0]["reliability"]["flags"] += [
        {"kind": "uncorroborated_event", "explanation": "a meeting nobody else reports", "article": A, "span": None, "related": [], "claims": [], "weight": 0.5},
        {"kind": "weak_signals", "explanation": "3 sentence(s) with weak signs of doubt (uncorroborated)", "article": A, "span": None,
         "related": weak, "claims": [], "weight": 0.2},
        {"kind": "no_byline", "explanation": "no author named", "article": A, "span": None, "related": [], "claims": [], "weight": 0.1}]
    link = next(lk for lk in data["links"] if lk["kind"] == "contradict")
    link.update(slot="number", values=["12 people (2024-03-01)", "40 people (2024-03-02)"])
    data["quantities"] = []
    data["quotes"].append({**data["quotes"][0], "speaker": "Ms Doe", "article": B, "span": _span(data, B, "Jane Doe said"), "text": "the dam failed"})
    data["quotes"].append({"speaker": "Tovan Rell", "text": "we saw it", "kind": "direct", "article": B, "span": _span(data, B, "Officials said"),
                           "speaker_entity": None, "anonymous": False, "role": None})
    data["brief"] = [{"text": "The dam failed.", "citations": [{"article": A, "span": _span(data, A, "Officials said 12 people were hurt.")}]},
                     {"text": "Casualty counts differ.", "citations": [{"article": B, "span": _span(data, B, "Officials said 40 people were hurt.")},
                                                                       {"article": A, "span": _span(data, A, "Officials said 12 people were hurt.")}]}]
    validate_report(data)
    return data


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|title)>.*?</\1>", " ", html, flags=re.S))


def test_article_label_is_title_and_outlet_else_opening_words() -> None:
    assert article_label({"title": "Pier shut", "outlet": "Harbour Gazette", "source": "x/1.txt", "text": ""}) == "Pier shut (Harbour Gazette)"
    name = article_name(None, UNTITLED, "pile/007.txt")
    assert name.startswith("Harbour officials in Velmora") and name.endswith("…") and len(name) <= 72
    assert article_name(None, "", "pile/007.txt") == "007.txt"  # an empty article: its file name, not the path
    assert all("_" not in flag_name(kind) for kind in [*FLAG_NAMES, "some_new_kind"])


def test_pages_name_articles_by_title_never_by_path(report: dict[str, Any]) -> None:
    html, md = render_html(report), render_markdown(report)
    visible = _visible(html)
    assert visible.count("pile/007_9f8e7d.txt") == 1  # only in the article's own "Source" metadata row
    assert "Harbour officials in Velmora said on Tuesday" in visible and "(Harbour Gazette)" in visible
    assert md.count("pile/007\\_9f8e7d.txt") == 1
    for kind in ("uncorroborated_event", "no_byline", "weak_signals", "contradicted"):
        assert kind not in visible and kind.replace("_", "\\_") not in md
    assert flag_name("uncorroborated_event") in visible and flag_name("no_byline") in md


def test_weak_signals_are_one_line_with_a_count(report: dict[str, Any]) -> None:
    html = render_html(report)
    weak = re.findall(r'<details class="weak"><summary>(.*?)</summary>(.*?)</details>', html, flags=re.S)
    assert len(weak) == 1 and "3 weak signals" in weak[0][0]
    assert weak[0][1].count("<li>") == 3  # each weak sentence behind the one line
    assert "3 weak signals" in render_markdown(report) and "Acme Corp denied" not in render_markdown(report).split("## Reliability")[1].split("##")[0]


def test_disputed_figures_table(report: dict[str, Any]) -> None:
    (row,) = disputed_figures(report)
    assert row["kind"] == "contradict" and [s["value"] for s in row["sides"]] == ["12 people", "40 people"]
    assert [s["published"] for s in row["sides"]] == ["2024-03-01", "2024-03-02"]
    assert row["sides"][1]["title"].endswith("(Harbour Gazette)")
    html = render_html(report)
    table = html[html.index('id="figures-table"'):html.index("</table>", html.index('id="figures-table"'))]
    assert "12 people" in table and "40 people" in table and "2024-03-02" in table
    no_values = copy.deepcopy(report)
    for link in no_values["links"]:
        link.update(slot=None, values=[])
    assert disputed_figures(no_values) == [] and 'id="figures-table"' not in render_html(no_values)


def test_quotes_grouped_by_speaker_link_to_their_passages(report: dict[str, Any]) -> None:
    groups = quote_groups(report)
    assert [g["speaker"] for g in groups] == ["Jane Doe", "Tovan Rell"]  # one entity, two spellings: one group
    assert len(groups[0]["quotes"]) == 2 and groups[0]["role"] == "chief engineer"
    html = render_html(report)
    for g in groups:
        for q in g["quotes"]:
            assert f'href="#{q["anchor"]}"' in html and f'id="{q["anchor"]}"' in html


def test_quote_anchor_inside_a_cited_mark_keeps_both() -> None:
    text = "One two three.\n\nFour five six."
    paras = article_paragraphs(text, [(0, 14, "c-1")], [(4, "q-0"), (16, "q-1")])
    assert paras[0] == [("One ", "c-1", True), ("", "q-0", False), ("two three.", None, True)]
    assert paras[1][0] == ("", "q-1", False) and "".join(t for t, _, _ in paras[1]) == "Four five six."


pytest.importorskip("fastapi")


def test_overview_and_report_show_the_same_counts_and_citation_numbers(report: dict[str, Any], tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storydesk.store import Store
    from storydesk.web import create_app

    url = f"sqlite:///{tmp_path / 'storydesk.sqlite'}"
    store = Store(url)
    store.save(build_story(), report)
    store.close()
    with TestClient(create_app(url)) as client:
        overview = client.get(f"/stories/{report['story']['id']}").text
        quotes_page = client.get(f"/stories/{report['story']['id']}/quotes").text
        article_page = client.get(f"/stories/{report['story']['id']}/articles/{A}").text
    html = render_html(report)

    def counts(page: str) -> dict[str, str]:
        items = re.findall(r"<li>(?:<a [^>]*>)?(\d+) ([^<]+)", page[page.index('id="counts"'):page.index("</ul>", page.index('id="counts"'))])
        return {what.strip(): n for n, what in items}

    shared = counts(overview).keys() & counts(html).keys()
    assert {"claims", "agreed by several sources", "contradiction", "quotes"} <= shared
    assert all(counts(overview)[k] == counts(html)[k] for k in shared)
    assert counts(html)["agreed by several sources"] == "1"  # one agreed fact, not one per pair of sentences

    def cites(page: str) -> list[str]:
        return re.findall(r"<sup><a [^>]*>\[(\d+)\]</a></sup>", page)

    assert cites(overview) == cites(html) == ["1", "2", "3"]
    assert "Tovan Rell" in quotes_page and "pile/007" not in _visible(quotes_page)
    assert "Hover" not in article_page and 'href="#note-1"' in article_page and 'id="note-1"' in article_page
