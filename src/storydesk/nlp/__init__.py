"""The language layer: one spaCy parse per article shared by every stage that reads language.

Order: parse, entities (resolved across articles), quotes (speakers resolved to entities),
quantities and time expressions (resolved against each article's publication date). Only English
articles with text are parsed; the others keep the error the extract stage gave them.
"""

from __future__ import annotations

from ..model import Sentence, Story


def run_language_layer(story: Story) -> Story:
    from .entities import resolve_entities
    from .parse import parse_articles
    from .quantities import extract_quantities
    from .quotes import extract_quotes
    from .timex import extract_times

    articles = [a for a in story.articles if a.analysable]
    docs = parse_articles(articles)
    story.sentences = [
        Sentence(a.id, (s.start_char, s.end_char), s.text) for a in articles for s in docs[a.id].sents if s.text.strip()
    ]
    story.entities = resolve_entities(articles, docs)
    story.quotes = extract_quotes(articles, docs, story.entities)
    story.quantities = [q for a in articles for q in extract_quantities(a, docs[a.id])]
    story.timeline = sorted(
        (e for a in articles for e in extract_times(a, docs[a.id])),
        key=lambda e: (e.date is None, e.date or "", e.article, e.span[0]),
    )
    return story
