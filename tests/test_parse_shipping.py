"""A parse made in one process and read in another: what a batch worker's article task can ship to
the story task so the story stage does not parse every article a second time."""

from __future__ import annotations

import copy
import pickle

from storydesk.model import Story, article_to_dict
from storydesk.nlp.parse import attach_parses, parse_articles, parse_bytes
from storydesk.options import Options
from storydesk.pipeline import load_articles, run_stages, story_name


def _token_rows(doc):  # noqa: ANN001, ANN202 - a spaCy Doc
    return (
        [(t.text, t.whitespace_, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_,
          t.is_sent_start, str(t.morph), t.norm_) for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
        [(s.start, s.end) for s in doc.sents],
    )


def test_a_shipped_parse_is_the_parse(example_dir):
    articles = load_articles([str(example_dir)], Options(progress=False))
    fresh = parse_articles(articles)
    shipped = pickle.loads(pickle.dumps(copy.deepcopy(articles)))  # as a Dask task returns them
    attach_parses(shipped)
    shipped = pickle.loads(pickle.dumps(shipped))
    assert all(a.parsed for a in shipped if a.analysable)
    read = parse_articles(shipped)
    assert list(read) == list(fresh)
    for key, doc in fresh.items():
        assert _token_rows(read[key]) == _token_rows(doc), key


def test_a_shipped_parse_is_read_not_redone_and_one_of_another_text_is_ignored(example_dir):
    articles = [a for a in load_articles([str(example_dir)], Options(progress=False)) if a.analysable][:2]
    first, second = articles
    doc = parse_articles([first])[first.id]
    doc.ents = []  # a mark only a read parse can carry: the model finds entities in every article
    first.parsed = parse_bytes(doc)
    second.parsed = first.parsed  # of another text: parsed afresh
    docs = parse_articles(articles)
    assert not docs[first.id].ents
    assert docs[second.id].text == second.text and docs[second.id].ents


def test_the_pipeline_over_shipped_parses_gives_the_same_report(example_dir, example_run):
    _, expected = example_run
    items = [str(example_dir)]
    name = story_name(items, Options(progress=False))
    articles = load_articles(items, Options(progress=False))
    attach_parses(articles)
    story = run_stages(Story(id=expected["story"]["id"], name=name, articles=articles))
    assert not any(a.parsed for a in story.articles), "the language stage drops what it read"
    from storydesk.report.render import build_report

    report = build_report(story)
    assert "parsed" not in report["articles"][0]
    assert "parsed" not in article_to_dict(story.articles[0])
    for key in expected:
        assert report[key] == expected[key], key
