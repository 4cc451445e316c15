"""Nothing one document or one story contains may stop a run: guards at the source (names with no
words, impossible dates) and containment at the per-document and per-story boundaries of `analyze`
and `batch`. Models are not loaded here: the boundaries are exercised with plain features and
stand-in stages, so these tests stay fast."""

from __future__ import annotations

import json
import math
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

from storydesk.cluster import ArticleFeatures, StoryClusterer
from storydesk.cluster.features import _names, _norm_name
from storydesk.cluster.profile import name_weight
from storydesk.model import Article, RawDocument, Story
from storydesk.pipeline import Stage, build_articles

TEXT = ("The harbour bridge in Portmere closed on Tuesday after inspectors found cracks in two of its piers, "
        "the city transport office said. Repairs will cost about 3 million euros, officials said.")


def feats(fid: str, names: set[str], dim: int = 4, vec: list[float] | None = None) -> ArticleFeatures:
    v = np.asarray(vec or [1.0] + [0.0] * (dim - 1), dtype=np.float32)
    return ArticleFeatures(id=fid, vector=v, terms={"portmere": 5.0}, names=names)


# ---- guards at the source


@pytest.mark.parametrize("name", ["", " ", "\n", "\u3000"])
def test_a_name_with_no_words_weighs_one_instead_of_dividing_by_zero(name: str) -> None:
    assert name_weight(name) == 1.0


@pytest.mark.parametrize("raw, expected", [
    ("\n", ""), ("- . -", ""), ("\u200b", ""), ("'\u2019'", ""),
    ("Jane Roe 's", "jane roe"), ("  Jane\n Roe ", "jane roe"), ("the Portmere Bridge", "portmere bridge"),
])
def test_entity_spans_that_name_nothing_become_no_name(raw: str, expected: str) -> None:
    assert _norm_name(raw) == expected


def test_names_from_odd_entity_spans_all_have_words() -> None:
    ents = [SimpleNamespace(text=t, label_=lbl) for t, lbl in [
        ("\n", "GPE"), ("Jane Roe 's", "PERSON"), ("Jane ( ", "PERSON"), ("- -", "ORG"), ("\t", "PERSON"), ("May 2020", "DATE"),
    ]]
    names = _names(SimpleNamespace(ents=ents))
    assert names == {"jane roe", "roe", "jane (", "year:2020", "month:may 2020"}
    assert all(math.isfinite(name_weight(n)) for n in names)


def test_clusterer_takes_features_holding_empty_names() -> None:
    """Features recorded by an older run (restored under --resume) may still hold such names."""
    clusterer = StoryClusterer()
    clusterer.add(feats("a", {"portmere", ""}))
    clusterer.add(feats("b", {"portmere", " "}))
    assert sorted(m for ms in clusterer.clusters().values() for m in ms) == ["a", "b"]


@pytest.mark.parametrize("text", ["1 jan 99999999999999999999", "Feb 30 2020", "30 feb 2021"])
def test_impossible_dates_are_no_dates(text: str) -> None:
    from storydesk.extract.dates_text import parse_text_date

    assert parse_text_date(text, date(2024, 1, 1)) is None


@pytest.mark.parametrize("value", ["\u00b2" * 10, "\u0661" * 13, "99999999999999999999-01-01"])
def test_machine_dates_with_odd_digits_are_no_dates(value: str) -> None:
    from storydesk.extract.dates import parse_date_value

    assert parse_date_value(value, date(2024, 1, 1)) is None


# ---- containment: clustering assignment


def test_a_failed_assignment_leaves_the_clusterer_unchanged() -> None:
    clusterer = StoryClusterer()
    clusterer.add(feats("a", {"portmere"}))
    with pytest.raises(ValueError):
        clusterer.add(feats("bad", {"portmere"}, dim=3))  # a vector of another size cannot be compared
    assert not clusterer.contains("bad") and clusterer.clusters() == {"a": ["a"]}
    clusterer.add(feats("c", {"portmere"}))
    assert clusterer.clusters() == {"a": ["a", "c"]}


class _Future:
    def __init__(self, value: object = None, error: BaseException | None = None) -> None:
        self.value, self.error = value, error

    def result(self) -> object:
        if self.error:
            raise self.error
        return self.value


class _Store:
    def __init__(self) -> None:
        self.recorded: list[tuple[list, list, list]] = []
        self.saved: list[str] = []

    def load_articles(self, ids: list[str]) -> list[Article]:
        return []

    def record_partition(self, rows: list, arts: list, features: list) -> None:
        self.recorded.append((rows, arts, features))

    def save(self, story: Story, report: dict) -> None:
        self.saved.append(story.id)


def test_batch_records_a_failed_assignment_as_that_documents_error(capsys: pytest.CaptureFixture[str]) -> None:
    from storydesk.scale.batch import BatchResult, _record
    from storydesk.scale.tasks import PartitionResult

    arts = [Article(id=i, source=f"src-{i}", text=f"text {i}") for i in ("a", "bad", "c")]
    part = PartitionResult(arts, [feats("a", {"portmere"}), feats("bad", {"portmere"}, dim=3), feats("c", {"portmere"})], 0.0, 0.0)
    todo = [(f"h{i}", RawDocument(source=a.source)) for i, a in enumerate(arts)]
    store, clusterer, result = _Store(), StoryClusterer(), BatchResult()
    _record(store, (_Future(part), todo), clusterer, set(), result, lambda *_: None)
    rows, stored, features = store.recorded[0]
    assert [r.article_id for r in rows] == ["a", None, "c"]
    assert [a.id for a in stored] == ["a", "c"] and [f.id for f in features] == ["a", "c"]
    assert clusterer.clusters() == {"a": ["a", "c"]}
    assert [e["source"] for e in result.errors] == ["src-bad"]
    assert "clustering assignment failed: ValueError" in result.errors[0]["errors"][0]
    assert "src-bad: clustering assignment failed" in capsys.readouterr().err
    assert result.documents == 3


# ---- containment: per-article work (extraction, cleaning, metadata, clustering features)


def test_a_metadata_failure_keeps_the_article_and_records_the_error(monkeypatch: pytest.MonkeyPatch,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    def broken(text: str) -> str:
        raise RuntimeError("detector broke")

    monkeypatch.setattr("storydesk.extract.article.detect_language", broken)
    [art] = build_articles([RawDocument(source="one.txt", content=TEXT)])
    assert art.text and art.errors == ["metadata failed: RuntimeError: detector broke"]
    assert any("metadata failed for one.txt" in r.getMessage() for r in caplog.records)


def test_an_extraction_failure_becomes_the_documents_error_and_the_others_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk.extract import article

    real = article._from_text

    def sometimes(doc: RawDocument) -> Article:
        if doc.source == "bad.txt":
            raise IndexError("list index out of range")
        return real(doc)

    monkeypatch.setattr(article, "_from_text", sometimes)
    bad, good = build_articles([RawDocument(source="bad.txt", content="x " * 50), RawDocument(source="ok.txt", content=TEXT)])
    assert not bad.text and "IndexError" in bad.errors[0]
    assert good.text and not good.errors


def test_features_that_fail_for_one_article_fail_only_that_article(monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk.scale.tasks import prepare_partition

    def features_for(arts: list[Article]) -> list[ArticleFeatures]:
        if any("poison" in a.text for a in arts):
            raise ZeroDivisionError("division by zero")
        return [feats(a.id, {"portmere"}) for a in arts]

    monkeypatch.setattr("storydesk.cluster.features_for", features_for)
    docs = [RawDocument(source="a.txt", content=TEXT), RawDocument(source="p.txt", content=TEXT.replace("Tuesday", "poison day")),
            RawDocument(source="p-copy.txt", content=TEXT.replace("Tuesday", "poison day"))]
    part = prepare_partition(docs)
    good, bad, copy = part.articles
    assert [f.id for f in part.features] == [good.id]
    assert good.text and not good.errors
    for art in (bad, copy):
        assert not art.text and art.errors == ["clustering features failed: ZeroDivisionError: division by zero"]


# ---- containment: per story


def test_a_story_stage_failure_names_the_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk import pipeline
    from storydesk.scale.tasks import StageFailed, analyse_story

    def boom(story: Story) -> Story:
        raise KeyError("speaker")

    monkeypatch.setattr(pipeline, "STAGES", [Stage("quotes", boom, requires=("articles",), provides=())])
    with pytest.raises(StageFailed, match="stage 'quotes': KeyError"):
        analyse_story("s1", "A story", [Article(id="a", source="a.txt", text=TEXT)])


def test_a_failed_story_is_that_storys_error_and_the_next_one_finishes(tmp_path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from storydesk.scale import batch
    from storydesk.scale.batch import BatchResult, _store_story
    from storydesk.scale.outputs import write_outputs
    from storydesk.scale.tasks import StageFailed, StoryResult

    monkeypatch.setattr(batch, "publish", lambda story, store, folder, report: store.save(story, report))
    monkeypatch.setattr(batch, "story_entry", lambda sid, report, out: {"id": sid})
    store, result = _Store(), BatchResult()
    _store_story(_Future(error=StageFailed("stage 'claims': ValueError: bad")), ("s1", "First"), store, tmp_path, result)
    ok = StoryResult(Story(id="s2", name="Second"), {}, 0.0, 1.0)
    _store_story(_Future(ok), ("s2", "Second"), store, tmp_path, result)
    assert result.failed_stories == [{"id": "s1", "title": "First",
                                      "error": "story analysis failed: StageFailed: stage 'claims': ValueError: bad"}]
    assert store.saved == ["s2"] and result.stories == [{"id": "s2"}] and result.analysed_stories == 1
    assert "story s1 (First): story analysis failed" in capsys.readouterr().err
    # errors.json names the failed story and why, beside the documents that could not be read
    result.errors.append({"source": "feed.jsonl:3", "errors": ["invalid JSON on line 3"]})
    write_outputs(tmp_path, result)
    listed = json.loads((tmp_path / "errors.json").read_text("utf-8"))
    assert [e["source"] for e in listed] == ["feed.jsonl:3", "story s1"]
    assert listed[1]["story"] == "s1" and listed[1]["title"] == "First"
    assert listed[1]["errors"][0].startswith("story analysis failed: StageFailed: stage 'claims': ValueError: bad; ")
    assert "First" in (tmp_path / "index.html").read_text("utf-8")
