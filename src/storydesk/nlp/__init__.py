"""The language layer: one spaCy parse per article shared by every stage that reads language.

Order: parse, entities (resolved across articles), quotes (speakers resolved to entities),
quantities and time expressions (resolved against each article's publication date; an article with
no date gets one inferred from the dates its text tells as past and as to come, pubdate.py), then facts:
one frame per clause (who did what to whom, when, how much) and one per attribute of a named thing
(a person's title, a hyphenated count, a treaty's year), which the claims stage aligns on. Only English
articles with text are parsed; the others keep the error the extract stage gave them.
"""

from __future__ import annotations

from ..model import Sentence, Story


def run_language_layer(story: Story) -> Story:
    from .entities import mentions_by_article, resolve_entities
    from .attributes import extract_attributes
    from .frames import extract_facts
    from .parse import parse_articles
    from .pubdate import date_undated
    from .quantities import extract_quantities
    from .quotes import extract_quotes
    from .timex import extract_times

    articles = [a for a in story.articles if a.analysable]
    docs = parse_articles(articles)
    for art in articles:
        art.parsed = b""  # read: the story a worker returns, and the store, need not carry it
    story.sentences = [s for a in articles for s in sentences_of(a, docs[a.id])]
    story.entities = resolve_entities(articles, docs)
    story.quotes = extract_quotes(articles, docs, story.entities)
    story.quantities = [q for a in articles for q in extract_quantities(a, docs[a.id])]
    mentions = mentions_by_article(story.entities)
    times = date_undated(articles, docs, mentions, {a.id: extract_times(a, docs[a.id]) for a in articles})
    story.times = sorted(
        (e for a in articles for e in times[a.id]),
        key=lambda e: (e.date is None, e.date or "", e.article, e.span[0]),
    )
    story.facts = [f for a in articles for f in extract_facts(a, docs[a.id], mentions.get(a.id, []), story.quantities, story.times)]
    story.facts += [f for a in articles for f in extract_attributes(a, docs[a.id], mentions.get(a.id, []))]
    return story


def sentences_of(article, doc) -> list[Sentence]:  # noqa: ANN001 - Article, spaCy Doc
    """Sentence spans trimmed of whitespace; a piece with no letters or digits (a closing quote mark
    the parser split off) joins the sentence before it."""
    out: list[Sentence] = []
    text = article.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        piece = text[start:end]
        if out and not any(ch.isalnum() for ch in piece) and "\n" not in text[out[-1].span[1] : start]:
            prev = out[-1]
            out[-1] = Sentence(prev.article, (prev.span[0], end), text[prev.span[0] : end])
            continue
        out.append(Sentence(article.id, (start, end), piece))
    return out
