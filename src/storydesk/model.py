"""The data model that flows through every stage.

One `Story` object travels from ingest to report, the way spaCy's `Doc` travels through its pipes:
each stage reads the fields it requires and fills the ones it provides. Facts never carry copies of
text they cannot prove; they carry an evidence span (article id + character offsets into that
article's clean `text`), so every statement in a report can be shown in its sentence and traced back
to the raw input through `Article.source_map`.

Plain dataclasses rather than pydantic: the hot loops (millions of mentions at scale) stay cheap, and
the JSON contract is enforced once, at the boundary, by the JSON Schema in `report/schema.json`.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

Span = tuple[int, int]


def stable_id(*parts: str, length: int = 16) -> str:
    """A short content hash: the same input gives the same id on every machine and every run."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:length]


@dataclass(slots=True)
class RawDocument:
    """What a reader hands over: bytes or text as found, plus what the container already knew.

    `kind` is "html" or "text"; metadata given by the container (a JSONL field, a feed entry, a WARC
    header) wins over anything guessed from the content later.
    """

    source: str
    kind: str = "text"
    content: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None
    byline: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SourceMap:
    """Maps clean-text offsets back to offsets in the raw input.

    Stored as runs `(clean_start, raw_start)`: inside a run both texts advance together, so a map
    of a whole article is a few hundred integers, not one per character.
    """

    runs: list[tuple[int, int]] = field(default_factory=list)

    def to_raw(self, pos: int) -> int:
        if not self.runs:
            return pos
        i = bisect_right([c for c, _ in self.runs], pos) - 1
        clean_start, raw_start = self.runs[max(i, 0)]
        return raw_start + (pos - clean_start)


@dataclass(slots=True)
class Flag:
    """One reason to doubt an article, with the sentence behind it.

    `span` is the flagged sentence in this article (None for page-level flags such as a missing
    byline); `related` holds the other sources' sentences that contradict or fail to support it
    (`{"article", "span", "text"}`); `weight` is how much the flag lowered the article's score.
    """

    kind: str
    explanation: str
    article: str
    span: Span | None = None
    related: list[dict[str, Any]] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    weight: float = 0.0


@dataclass(slots=True)
class Reliability:
    """How far an article can be trusted within its story: score 1 = trustworthy, rank 1 = most reliable.
    `judged` is false when the article states too few checkable facts for its score to mean anything
    (a six-word paste, a column of opinions): such articles rank after every judged one."""

    score: float
    rank: int
    flags: list[Flag] = field(default_factory=list)
    judged: bool = True
    checkable: int = 0


@dataclass(slots=True)
class Article:
    id: str
    source: str
    text: str
    raw: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None
    date_source: str | None = None
    date_confidence: float | None = None
    date_evidence: str | None = None
    byline: list[str] = field(default_factory=list)
    byline_source: str | None = None
    contact: list[str] = field(default_factory=list)
    outlet: str | None = None
    outlet_source: str | None = None
    genre: str = "other"
    genre_evidence: list[str] = field(default_factory=list)
    language: str | None = None
    errors: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    copy_of: str | None = None
    source_map: SourceMap = field(default_factory=SourceMap)
    reliability: Reliability | None = None
    # The article's spaCy parse (nlp/parse.py `parse_bytes`), when a process that parsed it already
    # ships it along (a batch worker's article task): the language stage then reads it instead of
    # parsing again, and drops it. Never part of a report or of the store.
    parsed: bytes = b""

    @property
    def analysable(self) -> bool:
        """Language stages run only on English text that survived cleaning."""
        return bool(self.text.strip()) and self.language in (None, "en")


@dataclass(slots=True)
class Sentence:
    """A sentence of an article, as the language layer split it; claims are chosen among these."""

    article: str
    span: Span
    text: str


@dataclass(slots=True)
class Mention:
    article: str
    span: Span


@dataclass(slots=True)
class Entity:
    """One real-world referent across the story. `related` links metonyms to what they stand for
    ({"entity": <country id>, "relation": "demonym-of" | "capital-of"}): a relation, not a merge."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    related: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    speaker: str
    text: str
    kind: str
    article: str
    span: Span
    speaker_entity: str | None = None
    anonymous: bool = False
    role: str | None = None


@dataclass(slots=True)
class Quantity:
    value: float
    unit: str
    text: str
    article: str
    span: Span
    approx: float = 0.0
    subject: str | None = None


@dataclass(slots=True)
class Participant:
    """Who or what takes part in a fact: a resolved entity where there is one, else the head word
    of the argument (`key` is "entity:<id>" or "word:<lemma>", what alignment compares)."""

    key: str
    role: str
    text: str
    span: Span


@dataclass(slots=True)
class Fact:
    """One statement a clause makes, as a frame: who did what to whom, when, how much.

    Built from the article's one parse (nlp/frames.py). `span` is the clause (the predicate's own
    words and arguments, without the clauses nested in it), `sentence` the sentence holding it;
    `event_class` groups predicates that tell the same kind of event across outlets (fire/dismiss,
    indict/charge); `reporting` marks a speech or publication verb whose content is another fact;
    `time` is the resolved date of the clause's own time expression (not its sentence's first);
    `quantities` index `Story.quantities`; `words` are the clause's content lemmas.

    An attribute of a named thing is a fact too (`event_class` "attribute", nlp/attributes.py):
    `predicate` says which ("title" of a person, "count" of a hyphenated measure such as a "48-page
    indictment", "year" of a treaty), `participants` holds the thing it describes and `value` the
    attribute as written (normalised), at `predicate_span`.
    """

    id: str
    article: str
    span: Span
    sentence: Span
    predicate: str
    predicate_span: Span
    event_class: str | None = None
    reporting: bool = False
    negated: bool = False
    modal: bool = False
    participants: list[Participant] = field(default_factory=list)
    time: str | None = None
    time_precision: str | None = None
    time_span: Span | None = None
    quantities: list[int] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    value: str | None = None


@dataclass(slots=True)
class Claim:
    """A check-worthy sentence. `facts` are the ids of the frames it states; `checkable` is true
    when a second source could confirm it on a specific point (a name, a number, a date, a quote),
    and only checkable claims are ever listed as told by a single source."""

    id: str
    article: str
    span: Span
    text: str
    entities: list[str] = field(default_factory=list)
    quantities: list[int] = field(default_factory=list)
    time: str | None = None
    opinion: bool = False
    agreeing_sources: list[str] = field(default_factory=list)
    single_source: bool = False
    facts: list[str] = field(default_factory=list)
    checkable: bool = True


@dataclass(slots=True)
class ClaimLink:
    """How two claims of different articles relate. `basis` says what decided it (quote, frame,
    numbers, dates, polarity, similarity, stance); for a contradiction or change, `slot` names what
    differs (number, date, place, actor, role, event) and `values` holds each side's value in the
    order of `claims`; `similarity` is the sentences' embedding cosine. Later stages read these
    fields, never the `explanation`, which is for people.

    A discrepancy that more than two sources take part in is one link (claims/sides.py): `sides`
    then says which side (0 or 1) each claim stands on, in the order of `claims` ("48 pages" in two
    articles vs "47 pages" in a third); empty means the usual two claims, one per side."""

    kind: str
    claims: list[str]
    score: float
    explanation: str
    similarity: float | None = None
    basis: str | None = None
    slot: str | None = None
    values: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    sides: list[int] = field(default_factory=list)

    def pairs(self) -> list[tuple[str, str]]:
        return link_pairs(self.claims, self.sides)

    def side_list(self) -> list[int]:
        return link_sides(self.claims, self.sides)


def link_sides(claims: list[str], sides: list[int] | None = None) -> list[int]:
    """Which side each claim of a link stands on (`ClaimLink.sides`, or the same keys of a stored
    report's link); a two-claim link without `sides` has one claim on each."""
    return list(sides) if sides else list(range(len(claims)))


def link_pairs(claims: list[str], sides: list[int] | None = None) -> list[tuple[str, str]]:
    """The pairs of claims a link relates: for a discrepancy, each claim with each claim on the other
    side; two claims on one side are not related by it."""
    side = link_sides(claims, sides)
    return [(x, y) for i, x in enumerate(claims) for j, y in enumerate(claims) if i < j and side[i] != side[j]]


@dataclass(slots=True)
class Event:
    """A time expression resolved against its article's publication date, with its sentence.

    `date` is an ISO date or range ("2019-02-27/2019-02-28"), None when unresolvable (the expression
    is still kept as text); `precision` is day / month / year / decade; `span` is the expression's,
    `sentence_span` the sentence it dates.
    """

    date: str | None
    precision: str | None
    text: str
    article: str
    span: Span
    sentence: str = ""
    sentence_span: Span | None = None


@dataclass(slots=True)
class Evidence:
    article: str
    span: Span


@dataclass(slots=True)
class TimelineEntry:
    """One real-world event on the story's timeline: every source that reports it, merged.

    `date` is ISO (day, month "YYYY-MM" or year "YYYY"), None for undated events; `disputed` is true
    when the event is asserted only by articles the reliability stage flagged.
    """

    date: str | None
    precision: str | None
    event: str
    entities: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    disputed: bool = False


@dataclass(slots=True)
class BriefSentence:
    """A sentence of the brief; every citation was checked to support it before it was kept. `kind`
    is "extract" (an article's sentence, compressed) or "difference" (a written sentence saying that
    two cited sources give different values)."""

    text: str
    citations: list[Evidence] = field(default_factory=list)
    kind: str = "extract"


@dataclass(slots=True)
class Story:
    """One analysis run over one pile of articles."""

    id: str
    name: str
    articles: list[Article] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    links: list[ClaimLink] = field(default_factory=list)
    times: list[Event] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    brief: list[BriefSentence] = field(default_factory=list)

    def article(self, article_id: str) -> Article:
        for art in self.articles:
            if art.id == article_id:
                return art
        raise KeyError(article_id)


REPORT_KEYS = ("articles", "entities", "quotes", "quantities", "facts", "claims", "links", "times", "timeline", "brief")


# Article fields a report and the store leave out: the raw input (stored as its document) and a
# shipped parse (recomputed wherever the article is analysed).
_NOT_REPORTED = frozenset({"raw", "parsed"})


def article_to_dict(art: Article) -> dict[str, Any]:
    data = {name: _plain(getattr(art, name)) for name in _field_names(Article) if name not in _NOT_REPORTED}
    data["source_map"] = [list(run) for run in art.source_map.runs]
    return data


def article_from_dict(data: dict[str, Any]) -> Article:
    """An Article back from its stored form, as the extract stage left it (later stages' results,
    such as reliability, are recomputed by whichever story it is analysed in)."""
    known = {f for f in Article.__dataclass_fields__} - {"source_map", "reliability", *_NOT_REPORTED}
    art = Article(**{k: v for k, v in data.items() if k in known})
    art.source_map = SourceMap([tuple(run) for run in data.get("source_map") or []])
    return art


def story_to_dict(story: Story) -> dict[str, Any]:
    """The report contract: every key present, lists even when a stage has not filled them."""
    out: dict[str, Any] = {"story": {"id": story.id, "name": story.name}}
    out["articles"] = [article_to_dict(a) for a in story.articles]
    for key in REPORT_KEYS[1:]:
        out[key] = [_plain(item) for item in getattr(story, key)]
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _plain(value: Any) -> Any:
    """JSON-ready data, in one pass: what `dataclasses.asdict` gives, with tuples as lists.

    `asdict` deep-copies every value and the result then needed a second pass for the tuples; a
    60-article report holds some 200,000 values, and the copies were most of what building it cost."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
