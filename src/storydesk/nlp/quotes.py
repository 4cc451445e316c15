"""Who said what: direct quotes (words inside quotation marks) and reported speech.

A quoted passage is attributed, in order of preference, to the frame right after it (`"...," she
said`), the frame right before it (`X said: "..."`, `According to X, "..."`), a frame in the sentence
that follows it (a paragraph that opens with the quote), or else it continues the previous quote's
speaker (a split quote, or a quote running on into the next paragraph). Quoted words embedded in a
sentence ("called the plan "reckless"") and short unattributed ones are not quotes of their own: the
first belong to the reported speech around them, the second are scare quotes or titles.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from storydesk.model import Article, Entity, Quote
from storydesk.nlp.quote_frames import Frame, find_frames
from storydesk.nlp.quote_marks import Marked, find_marked, paragraphs
from storydesk.nlp.quote_speakers import Speaker, SpeakerResolver

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# How far (in tokens) an attribution verb may sit from the quotation marks it attributes. 12 covers
# `"...," Colonel Jane Roe, an army spokeswoman, said` and `X said in a statement on Monday: "...`.
ATTRIBUTION_WINDOW = 12
# An unattributed quote shorter than this (in words) is a scare quote or a title, never a continuation.
MIN_CONTINUATION_WORDS = 3
_SENTENCE_END = frozenset(".!?")
_LEADS_INTO_QUOTE = frozenset({"that", "saying", "say", "says", "said", "added", "asked", "told"})


def extract_quotes(articles: list[Article], docs: dict[str, "Doc"], entities: list[Entity]) -> list[Quote]:
    """Quotes of every analysable article, in article then text order, speakers resolved to entities."""
    index: dict[str, list[tuple[int, int, Entity]]] = {}
    for ent in entities:
        for m in ent.mentions:
            index.setdefault(m.article, []).append((m.span[0], m.span[1], ent))
    out: list[Quote] = []
    for art in articles:
        doc = docs.get(art.id)
        if doc is not None:
            out.extend(_article_quotes(art, doc, sorted(index.get(art.id, []), key=lambda m: m[0])))
    return out


def _article_quotes(art: Article, doc: "Doc", mentions: list[tuple[int, int, Entity]]) -> list[Quote]:
    text = art.text
    starts = [t.idx for t in doc]
    paras = paragraphs(text)
    marked = [m for m in find_marked(text) if not _embedded(doc, text, starts, m, paras[m.paragraph][0])]
    quoted = [(m.open, m.close) for m in marked]
    frames = find_frames(doc, quoted)
    for f in frames:
        f.content = _within_paragraph(text, paras, f)
    reported = [f for f in frames if f.content and not _overlaps(f.content, quoted)]
    reported = [f for f in reported if not (f.according and _relays(f, reported))]
    attributed = _attribute_all(doc, text, starts, paras, marked, frames, reported)
    speakers = _resolve_speakers(SpeakerResolver(doc, mentions, quoted), attributed, reported)
    quotes = [_quote(art, sp, "direct", m.span) for m, _ in attributed if (sp := speakers.get(id(m)))]
    for f in reported:
        if f.content is not None and (sp := speakers.get(id(f))) is not None:
            quotes.append(_quote(art, sp, "reported", f.content))
    quotes.sort(key=lambda q: q.span[0])
    return quotes


def _attribute_all(
    doc: "Doc",
    text: str,
    starts: list[int],
    paras: list[tuple[int, int]],
    marked: list[Marked],
    frames: list[Frame],
    reported: list[Frame],
) -> list[tuple[Marked, Frame | Marked]]:
    """Each quoted passage with the frame that attributes it, or the earlier quote it continues."""
    verb_at = {f.verb.i: f for f in frames}
    items: list[tuple[int, int, Frame | Marked]] = [
        (f.content[1], _para_of(paras, f.content[0]), f) for f in reported if f.content
    ]
    items.sort(key=lambda it: it[0])
    out: list[tuple[Marked, Frame | Marked]] = []
    for m in marked:
        src: Frame | Marked | None = _attribute(doc, text, starts, m, marked, verb_at, paras[m.paragraph])
        if src is None:
            src = _continues(text, m, paras, [it for it in items if it[0] <= m.open])
        if src is not None:
            out.append((m, src))
            items.append((m.end, m.paragraph, m))
            items.sort(key=lambda it: it[0])
    return out


def _resolve_speakers(
    resolver: SpeakerResolver, attributed: list[tuple[Marked, Frame | Marked]], reported: list[Frame]
) -> dict[int, Speaker]:
    """Speakers by id() of frame or quoted passage; frames in text order, so pronouns look back."""
    frames = {id(f): f for f in reported}
    frames.update((id(src), src) for _, src in attributed if isinstance(src, Frame))
    out: dict[int, Speaker] = {}
    for f in sorted(frames.values(), key=lambda f: f.subject.idx if f.subject is not None else f.verb.idx):
        if f.subject is not None and (sp := resolver.resolve(f.subject)) is not None:
            out[id(f)] = sp
    for m, src in attributed:  # a continuation takes its source's speaker, already resolved
        if (sp := out.get(id(src))) is not None:
            out[id(m)] = sp
    return out


def _quote(art: Article, sp: Speaker, kind: str, span: tuple[int, int]) -> Quote:
    return Quote(
        speaker=sp.name,
        text=art.text[span[0] : span[1]],
        kind=kind,
        article=art.id,
        span=span,
        speaker_entity=sp.entity,
        anonymous=sp.anonymous,
        role=sp.role,
    )


def _embedded(doc: "Doc", text: str, starts: list[int], m: Marked, paragraph_start: int) -> bool:
    """Quoted words that continue the sentence's own grammar (`contained "significant gaps"`,
    `Roe's "unreassuring" remarks`); a quote after punctuation or a speech verb stands on its own."""
    i = bisect_left(starts, m.open) - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0 or not text[paragraph_start : m.open].strip():
        return False
    prev = doc[i]
    possessive = prev.tag_ == "POS" or prev.dep_ == "case" or prev.lower_ in ("'s", "’s")
    if not (prev.is_alpha or prev.like_num or possessive) or prev.lower_ in _LEADS_INTO_QUOTE:
        return False
    return prev.lemma_.lower() not in ("say", "tell", "add", "ask", "write", "declare")


def _attribute(
    doc: "Doc",
    text: str,
    starts: list[int],
    m: Marked,
    marked: list[Marked],
    verb_at: dict[int, Frame],
    para: tuple[int, int],
) -> Frame | None:
    after = _tokens_after(doc, starts, m, marked, para)
    before = _tokens_before(doc, starts, m, marked, para)
    after_frames = [verb_at[t.i] for t in after[:ATTRIBUTION_WINDOW] if t.i in verb_at]
    before_frames = [verb_at[t.i] for t in before[-ATTRIBUTION_WINDOW:] if t.i in verb_at]
    words_after = [t for t in after if not t.is_punct]
    inner_end = text[m.end : m.close].strip(" \"“”’‘")
    tight = bool(words_after) and (words_after[0].is_lower or words_after[0].i in verb_at)
    if after_frames and (tight or (inner_end[:1] in (",", "?", "!", "—", "–", "-", "…") and m.closed)):
        return after_frames[0]
    if before_frames:
        return before_frames[-1]
    if after_frames and m.closed:
        return after_frames[0]
    return None


def _tokens_after(
    doc: "Doc", starts: list[int], m: Marked, marked: list[Marked], para: tuple[int, int]
) -> list["Token"]:
    """From the closing mark to the end of the sentence, the next quote, or the paragraph's end."""
    limit = min([q.open for q in marked if q.open >= m.close and q.paragraph == m.paragraph] + [para[1]])
    out: list[Token] = []
    for t in doc[bisect_left(starts, m.close) :]:
        if t.idx >= limit:
            break
        out.append(t)
        if t.text in _SENTENCE_END and len(out) > 1:
            break
    return out


def _tokens_before(
    doc: "Doc", starts: list[int], m: Marked, marked: list[Marked], para: tuple[int, int]
) -> list["Token"]:
    """From the sentence's start (or the previous quote's end) to the opening mark."""
    floor = max([q.close for q in marked if q.close <= m.open and q.paragraph == m.paragraph] + [para[0]])
    out: list[Token] = []
    for t in reversed(doc[: bisect_left(starts, m.open)]):
        if t.idx < floor or t.text in _SENTENCE_END:
            break
        out.append(t)
    return out[::-1]


def _continues(
    text: str, m: Marked, paras: list[tuple[int, int]], earlier: list[tuple[int, int, Frame | Marked]]
) -> Frame | Marked | None:
    """The attributed quote this unattributed one continues: the latest in its paragraph, or in the
    previous paragraph when this one opens its own (a quote running on, or following reported speech)."""
    if len(text[m.start : m.end].split()) < MIN_CONTINUATION_WORDS or not earlier:
        return None
    _, para, src = earlier[-1]
    if para == m.paragraph:
        return src
    opens_paragraph = not text[paras[m.paragraph][0] : m.open].strip()
    return src if para == m.paragraph - 1 and opens_paragraph else None


def _para_of(paras: list[tuple[int, int]], pos: int) -> int:
    return max(bisect_right([p[0] for p in paras], pos) - 1, 0)


def _within_paragraph(text: str, paras: list[tuple[int, int]], f: Frame) -> tuple[int, int] | None:
    """Reported words stay in the attribution's paragraph (a misparse can run into the next one)."""
    if f.content is None:
        return None
    p_start, p_end = paras[_para_of(paras, f.verb.idx)]
    start, end = max(f.content[0], p_start), min(f.content[1], p_end)
    if text.startswith("that ", start):
        start += 5
    if "://" in text[start:end]:  # a link is page furniture, never speech
        return None
    return (start, end) if len(text[start:end].split()) >= 2 else None


def _relays(f: Frame, frames: list[Frame]) -> bool:
    """"According to a newspaper, Roe told parliament that ...": the words are Roe's, not the paper's."""
    assert f.content is not None
    return any(g is not f and f.content[0] <= g.verb.idx < f.content[1] for g in frames)


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in others)
