"""What runs inside a Dask worker: plain functions, picklable arguments in, picklable results out.

Workers never touch the store or the output folder (they may be on another machine); they load the
models once per process (the loaders are cached) and return what the client records and publishes.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, RawDocument, Story

_one_thread = False


@dataclass(slots=True)
class PartitionResult:
    articles: list[Article]
    features: list[Any]
    seconds: float
    peak_mb: float


@dataclass(slots=True)
class StoryResult:
    story: Story
    report: dict[str, Any]
    seconds: float
    peak_mb: float
    errors: list[str] = field(default_factory=list)


def one_thread() -> None:
    """A worker is one core: the embedding model's own thread pool would otherwise spread every
    worker over every core, the workers would slow each other down, and adding workers would add
    nothing."""
    global _one_thread
    if _one_thread:
        return
    from ..claims.embed import get_model, set_threads

    set_threads(1)
    get_model()  # every task needs it; loaded first, while the worker is small (its load peaks ~50 MB above what it keeps)
    _one_thread = True


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare_partition(docs: list[RawDocument]) -> PartitionResult:
    """Per-article work: build (extract, clean, metadata) and clustering features.

    `build_article` never raises; features are computed for the whole partition in one batch (the
    models are fast in batches) and, only when that fails, one article at a time, so the article that
    breaks them gets the error (and no text: it cannot be clustered) while the others go on."""
    from ..extract.article import build_article

    one_thread()
    start = time.perf_counter()
    arts = [build_article(doc) for doc in docs]
    unique: dict[str, Article] = {}
    for art in arts:
        if art.analysable:
            unique.setdefault(art.id, art)
    feats, failed = _features(list(unique.values()))
    for art in arts:
        if art.id in failed:  # not clustered, so in no story: recorded as a document that failed
            art.errors.append(failed[art.id])
            art.text = ""
    return PartitionResult(arts, feats, time.perf_counter() - start, peak_mb())


def _features(arts: list[Article]) -> tuple[list[Any], dict[str, str]]:
    """Features of the articles, and the error of each article (by id) whose features failed."""
    from ..cluster import features_for
    from ..contain import contained

    try:
        return features_for(arts), {}
    except Exception:  # noqa: BLE001 - find the article that breaks the batch, below
        pass
    feats, failed = [], {}
    for art in arts:
        try:
            feats.extend(features_for([art]))
        except Exception as exc:  # noqa: BLE001 - this document's error; the partition goes on
            failed[art.id] = contained("clustering features", art.source, exc)
    return feats, failed


class StageFailed(Exception):
    """A story stage raised: the message names the stage, so the client can log where it failed."""


def analyse_story(story_id: str, name: str, articles: list[Article]) -> StoryResult:
    """Every story-level stage over one story's articles (`service.analyse`, as `analyze` and the web
    jobs run it) and its validated report; the client publishes it.

    A failure raises `StageFailed` naming the stage; the client makes it this story's error."""
    from ..report.render import build_report
    from ..service import analyse

    one_thread()
    start = time.perf_counter()
    stage = ["start"]
    try:
        story = analyse(story_id, name, articles=articles, on_stage=lambda s: stage.__setitem__(0, s))
        stage[0] = "report"
        report = build_report(story)
    except Exception as exc:
        raise StageFailed(f"stage {stage[0]!r}: {exc.__class__.__name__}: {exc}") from exc
    for art in story.articles:
        art.raw = ""  # the client has it already; no need to ship it back
    return StoryResult(story, report, time.perf_counter() - start, peak_mb())
