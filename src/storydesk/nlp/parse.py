"""One shared spaCy parse per article.

Entities, quotes and every later language stage read the same `Doc`, so the (slow) pipeline runs once
per article. Docs are built over the article's clean `text` unchanged, so token `idx` values are the
character offsets that evidence spans use.

The only deviation from spaCy's own tokenizer: a quotation mark glued between words (`diplomacy,"said`
or `holding,"he said,"but`) is split off. Cleaned web text often loses the space after a closing quote,
and left glued the parser reads `diplomacy,"said` as one word and the attribution disappears.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storydesk.model import Article
from storydesk.nlp.spacy_adapter import get_nlp

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Docs per batch: the small model's throughput flattens out around here on 2 cores; larger batches
# only raise peak memory on long articles.
BATCH_SIZE = 32

_QUOTE_MARKS = "\"“”"
_GLUED_QUOTE = re.compile(r"([\"“”])")


def parse_articles(articles: list[Article]) -> dict[str, "Doc"]:
    """Parse every analysable article once: article id -> Doc (others are absent, not empty)."""
    nlp = get_nlp()
    todo: dict[str, Article] = {}
    for art in articles:
        if art.analysable and art.id not in todo:
            todo[art.id] = art
    pre = (_tokenize(nlp, art.text) for art in todo.values())
    docs = nlp.pipe(pre, batch_size=BATCH_SIZE, n_process=1)
    return dict(zip(todo.keys(), docs))


def _tokenize(nlp: "Language", text: str) -> "Doc":
    """spaCy's tokenizer, then glued quotation marks split into tokens of their own."""
    from spacy.tokens import Doc

    doc = nlp.make_doc(text)
    if not any(_has_inner_mark(t.text) for t in doc):
        return doc
    words: list[str] = []
    spaces: list[bool] = []
    for tok in doc:
        if not _has_inner_mark(tok.text):
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
            continue
        pieces = [p for p in _GLUED_QUOTE.split(tok.text) if p]
        for n, piece in enumerate(pieces):
            sub = [piece] if piece in _QUOTE_MARKS else [t.text for t in nlp.make_doc(piece)]
            for k, word in enumerate(sub):
                words.append(word)
                last = n == len(pieces) - 1 and k == len(sub) - 1
                spaces.append(bool(tok.whitespace_) if last else False)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def _has_inner_mark(text: str) -> bool:
    return len(text) > 1 and any(m in text for m in _QUOTE_MARKS)
