"""The pipeline: one Story through an explicit, ordered list of stages.

Like spaCy's pipes, each stage declares which Story fields it requires and which it provides, and
`check_pipeline` verifies the order once, before any work, and `check_output` what each stage
returned, after it ran; nothing registers itself by import side effect. Stages take and return the Story; they never reach into each other's internals.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .extract.article import build_article
from .ingest import read_inputs
from .model import Article, RawDocument, Story, stable_id
from .options import Options

StageFn = Callable[[Story], Story]


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    run: StageFn
    requires: tuple[str, ...]
    provides: tuple[str, ...]


def _language(story: Story) -> Story:
    from .nlp import run_language_layer

    return run_language_layer(story)


def _claims(story: Story) -> Story:
    from .claims import run_claims

    return run_claims(story)


def _reliability(story: Story) -> Story:
    from .assess import assess_reliability

    return assess_reliability(story)


def _story(story: Story) -> Story:
    from .story import run_story

    return run_story(story)


_STORY_FIELDS = frozenset(Story.__dataclass_fields__)
_ARTICLE_FIELDS = frozenset(Article.__dataclass_fields__)

# The order is the contract: new stages are added here, nowhere else.
STAGES: list[Stage] = [
    Stage("language", _language, requires=("articles",), provides=("sentences", "entities", "quotes", "quantities", "times", "facts")),
    Stage("claims", _claims, requires=("sentences", "entities", "quantities", "times", "facts"), provides=("claims", "links")),
    Stage("reliability", _reliability, requires=("claims", "links", "entities", "times"), provides=("reliability",)),
    Stage("story", _story, requires=("claims", "links", "entities", "times", "reliability"), provides=("timeline", "brief")),
]


def check_pipeline(stages: Iterable[Stage]) -> None:
    """The order, before any work: every field a stage requires is provided earlier, and every name
    is a field of the Story or of its articles (a misspelt name would otherwise pass unnoticed)."""
    available = {"articles"}
    for stage in stages:
        unknown = [n for n in (*stage.requires, *stage.provides) if n not in _STORY_FIELDS and n not in _ARTICLE_FIELDS]
        if unknown:
            raise RuntimeError(f"stage {stage.name!r} names {unknown}, which are fields of neither Story nor Article")
        missing = [r for r in stage.requires if r not in available]
        if missing:
            raise RuntimeError(f"stage {stage.name!r} needs {missing}, which no earlier stage provides")
        available.update(stage.provides)


def check_output(stage: Stage, story: object) -> Story:
    """After a stage ran: it returned a Story, each Story field it provides is a list, and each article
    field it provides is set on every article with text (as spaCy raises when a pipe returns something
    else, so a broken stage fails where it broke, not three stages later)."""
    if not isinstance(story, Story):
        raise TypeError(f"stage {stage.name!r} returned {type(story).__name__}, not a Story")
    for name in stage.provides:
        if name in _STORY_FIELDS and not isinstance(getattr(story, name), list):
            raise TypeError(f"stage {stage.name!r} left Story.{name} as {type(getattr(story, name)).__name__}, not a list")
        if name in _ARTICLE_FIELDS:
            unset = [a.source for a in story.articles if a.analysable and a.text.strip() and getattr(a, name) is None]
            if unset:
                raise TypeError(f"stage {stage.name!r} did not set Article.{name} on {len(unset)} article(s), e.g. {unset[0]}")
    return story


def story_name(inputs: list[str], options: Options) -> str:
    if options.story:
        return options.story
    if not inputs:
        return "story"
    first = Path(inputs[0])
    return (first.stem or first.name) if first.exists() else inputs[0]


def load_articles(
    inputs: list[str], options: Options, on_document: Callable[[Article], None] | None = None
) -> list[Article]:
    """Read and clean every input; identical texts are kept once, with the other sources noted."""
    return build_articles(read_inputs(inputs, options), on_document)


def build_articles(docs: Iterable[RawDocument], on_document: Callable[[Article], None] | None = None) -> list[Article]:
    """Build each document's article (errors reported on stderr); identical texts are kept once,
    with the other sources noted in `copies`."""
    articles: dict[str, Article] = {}
    for doc in docs:
        art = build_article(doc)
        for err in art.errors:
            print(f"storydesk: {art.source}: {err}", file=sys.stderr)
        if on_document:
            on_document(art)
        if art.id in articles and art.text:
            articles[art.id].copies.append(art.source)
            continue
        articles.setdefault(art.id, art)
    return list(articles.values())


def analyze(
    inputs: str | Iterable[str],
    options: Options | None = None,
    *,
    on_document: Callable[[Article], None] | None = None,
) -> Story:
    """Read a pile of articles and run every stage over it. The Python API behind the CLI."""
    options = options or Options()
    items = [inputs] if isinstance(inputs, str) else [str(i) for i in inputs]
    name = story_name(items, options)
    story = Story(id=stable_id("story", name), name=name)
    story.articles = load_articles(items, options, on_document)
    return run_stages(story)


def run_stages(story: Story, on_stage: Callable[[str], None] | None = None) -> Story:
    """Every stage over a Story whose articles are built: what `analyze` runs after reading, the
    web app's jobs run over stored documents, and batch mode runs per story after clustering."""
    check_pipeline(STAGES)
    if any(a.analysable for a in story.articles):
        # Loaded before the parse, while the process is small: loading the embedding model peaks
        # ~50 MB above what it keeps, so this lowers the run's peak memory by as much.
        from .claims.embed import get_model

        get_model()
    for stage in STAGES:
        if on_stage:
            on_stage(stage.name)
        story = check_output(stage, stage.run(story))
    return story
