"""One shared spaCy parse per article.

Entities, quotes and every later language stage read the same `Doc`, so the (slow) pipeline runs once
per article. Docs are built over the article's clean `text` unchanged, so token `idx` values are the
character offsets that evidence spans use.

The only deviation from spaCy's own tokenizer: a quotation mark glued between words (`diplomacy,"said`
or `holding,"he said,"but`) is split off. Cleaned web text often loses the space after a closing quote,
and left glued the parser reads `diplomacy,"said` as one word and the attribution disappears.

A parse can travel: `parse_bytes` gives an article's Doc as DocBin bytes (tokens, tags, lemmas, the
tree, entities; no tensors, which no stage reads) for `Article.parsed`, and `parse_articles` reads
such a parse instead of parsing again when it is of the article's text. So a batch worker that
parsed an article in its article task can ship the parse to the story task.
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
# What every stage reads of a token (text and spaces are always kept). Sentence starts are not
# listed: with the tree (HEAD) they come back as the parser left them.
_SHIPPED_ATTRS = ["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "LEMMA", "MORPH", "POS", "NORM"]

_QUOTE_MARKS = "\"“”"
_GLUED_QUOTE = re.compile(r"([\"“”])")


def parse_articles(articles: list[Article]) -> dict[str, "Doc"]:
    """Parse every analysable article once: article id -> Doc (others are absent, not empty), in
    the articles' order. An article that carries its parse (`Article.parsed`) of its own text is not
    parsed again."""
    nlp = get_nlp()
    docs: dict[str, Doc | None] = {}
    todo: dict[str, Article] = {}
    for art in articles:
        if art.analysable and art.id not in docs:
            docs[art.id] = shipped = _from_bytes(nlp, art)
            if shipped is None:
                todo[art.id] = art
    pre = (_tokenize(nlp, art.text) for art in todo.values())
    docs.update(zip(todo.keys(), nlp.pipe(pre, batch_size=BATCH_SIZE, n_process=1)))
    return {key: doc for key, doc in docs.items() if doc is not None}


def parse_bytes(doc: "Doc") -> bytes:
    """One article's parse as DocBin bytes, for `Article.parsed`."""
    from spacy.tokens import DocBin

    box = DocBin(attrs=_SHIPPED_ATTRS, store_user_data=False)
    box.add(doc)
    return box.to_bytes()


def attach_parses(articles: list[Article]) -> None:
    """Parse the analysable articles and keep each parse on its article (`Article.parsed`): what a
    process that parses articles for another one to analyse calls."""
    for art in articles:
        art.parsed = b""
    docs = parse_articles(articles)
    for art in articles:
        if art.id in docs:
            art.parsed = parse_bytes(docs[art.id])


def _from_bytes(nlp: "Language", article: Article) -> "Doc | None":
    """The article's shipped parse, or None when it has none or one of another text."""
    if not article.parsed:
        return None
    from spacy.tokens import DocBin

    doc = next(DocBin().from_bytes(article.parsed).get_docs(nlp.vocab), None)
    return doc if doc is not None and doc.text == article.text else None


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
