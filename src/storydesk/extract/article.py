"""RawDocument -> Article: clean text plus metadata, each field with where it came from.

Metadata given by the container (a JSONL field, a feed entry) wins over what is read off the page;
what is read off the page wins over what is inferred from the text. Failures never raise: they
become entries in `Article.errors`, and an article with no usable text is still returned so the
report shows what happened to every input.
"""

from __future__ import annotations

import re

from ..contain import contained
from ..model import Article, RawDocument, stable_id
from .clean import Cleaned, clean_text
from .genre import classify_genre
from .language import detect_language
from .outlet import domain, find_outlet
from .tracked import Tracked

_ISO_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_NAME_EMAIL = re.compile(r"\S+@\S+")


def build_article(doc: RawDocument) -> Article:
    """The document's article; never raises (see the module docstring).

    A failure in extraction or cleaning leaves the document without text and with the error; a failure
    in the metadata read after it (container fields, language) keeps the text and records the error.
    """
    if doc.errors and not doc.content:
        return Article(id=stable_id("unreadable", doc.source), source=doc.source, text="", url=doc.url, errors=list(doc.errors))
    try:
        art = _from_html(doc) if doc.kind == "html" else _from_text(doc)
    except Exception as exc:  # noqa: BLE001 - one hostile page must not stop the batch
        contained("extraction", doc.source, exc)
        return failed_article(doc, f"could not extract article text: {exc.__class__.__name__}: {exc}")
    try:
        _apply_container_metadata(art, doc)
        _check(art)
    except Exception as exc:  # noqa: BLE001 - metadata is optional; the text stays analysable
        art.errors.append(contained("metadata", doc.source, exc))
    return art


def failed_article(doc: RawDocument, error: str) -> Article:
    """The article of a document whose processing failed: no text, the document's errors plus this one."""
    return Article(id=stable_id("failed", doc.source), source=doc.source, text="", url=doc.url, errors=[*doc.errors, error])


def _from_html(doc: RawDocument) -> Article:
    from .dates import date_from_html
    from .html import extract_html

    ex = extract_html(doc.content, doc.url)
    cleaned = clean_text(ex.text, find_title=False)
    art = _article(doc, cleaned, raw=ex.text)
    art.url = doc.url or ex.url
    art.title = ex.title or cleaned.title
    art.byline = [n for n in ex.authors if not _NAME_EMAIL.search(n)] or cleaned.byline
    art.byline_source = "html-meta" if ex.authors else ("byline line" if cleaned.byline else None)
    guess = date_from_html(doc.content, art.url)
    _set_date(art, guess)
    art.outlet, art.outlet_source = find_outlet(ex.sitename, art.url, cleaned.link_urls, cleaned.promos + cleaned.disclaimers)
    genre = classify_genre(art.text, art.title, art.url, cleaned.disclaimers, ex.pagetype)
    art.genre, art.genre_evidence = genre.label, genre.evidence
    return art


def _from_text(doc: RawDocument) -> Article:
    from .dates import date_from_text

    cleaned = clean_text(doc.content)
    art = _article(doc, cleaned, raw=doc.content)
    art.title = cleaned.title
    art.byline = cleaned.byline
    art.byline_source = "byline line" if cleaned.byline else None
    guess = date_from_text(cleaned.header_line) if cleaned.header_line else None
    if guess is None or not guess.date:
        guess = date_from_text(doc.content, doc.url, cleaned.link_urls)
    _set_date(art, guess)
    art.outlet, art.outlet_source = find_outlet(None, doc.url, cleaned.link_urls, cleaned.promos + cleaned.disclaimers)
    genre = classify_genre(art.text, art.title, doc.url, cleaned.disclaimers)
    art.genre, art.genre_evidence = genre.label, genre.evidence
    return art


def _article(doc: RawDocument, cleaned: Cleaned, raw: str) -> Article:
    text: Tracked = cleaned.text
    return Article(
        # Whitespace-normalised, so the same article pasted with other line breaks is the same article.
        id=stable_id(" ".join(text.text.split())) if text.text else stable_id("empty", doc.source),
        source=doc.source,
        text=text.text,
        raw=raw,
        url=doc.url,
        contact=cleaned.contacts,
        errors=list(doc.errors),
        source_map=text.source_map(),
    )


def _set_date(art: Article, guess) -> None:  # noqa: ANN001 - DateGuess from .dates
    if guess is None or not guess.date:
        return
    art.published = guess.date
    art.date_source = guess.source
    art.date_confidence = guess.confidence
    art.date_evidence = guess.evidence


def _apply_container_metadata(art: Article, doc: RawDocument) -> None:
    if doc.title:
        art.title = doc.title.strip()
    if doc.published and (m := _ISO_DAY.match(doc.published.strip())):
        art.published = m.group(0)
        art.date_source, art.date_confidence, art.date_evidence = "container", 1.0, doc.published
    if doc.byline:
        art.byline, art.byline_source = doc.byline, "container"
    if doc.url and not art.outlet:
        art.outlet, art.outlet_source = domain(doc.url), "url"


def _check(art: Article) -> None:
    if not art.text.strip():
        art.errors.append("no article text found: the page held only furniture or markup")
        return
    art.language = detect_language(art.text)
    if art.language and art.language != "en":
        art.errors.append(
            f"language '{art.language}' is not supported yet: the text is kept, but entities, quotes and "
            "claims are only extracted from English articles"
        )
