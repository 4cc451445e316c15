"""What a reader sees as an article's name and as a flag's name: one place for both.

A file path ("pile/003_9810d5.txt") means nothing to a reader and a flag kind ("uncorroborated_event")
is a program's word, so every page, the Markdown report and the explanations name an article by its
title and outlet, and a flag by a short phrase. An article without a title is named by the opening
words of its text (what a reader would recognise), and only an empty article by its file name.
"""

from __future__ import annotations

import re
from typing import Any

NAME_CHARS = 70  # an untitled article's name: its opening words up to about this length

FLAG_NAMES = {
    "contradicted": "Contradicted by other sources",
    "disputed": "Disputed between sources",
    "added_to_copy": "Added to a copied article",
    "inconsistent": "Inconsistent with itself",
    "anachronism": "Date out of place",
    "uncorroborated_event": "Event no other source reports",
    "uncorroborated": "Claim no other source reports",
    "weak_signals": "Weak signals",
    "no_byline": "No author named",
    "unknown_outlet": "Outlet unknown",
    "page_furniture": "Page clutter in the text",
    "opinion": "Opinion piece",
}


def flag_name(kind: str) -> str:
    """The reader's name of a flag kind; a kind added later reads as words, never as snake_case."""
    return FLAG_NAMES.get(kind) or kind.replace("_", " ").strip().capitalize()


def article_name(title: str | None, text: str | None, source: str) -> str:
    """The title, else the text's opening words cut at a word boundary, else the file's name."""
    if title and title.strip():
        return " ".join(title.split())
    words = " ".join((text or "").split())
    if words:
        if len(words) <= NAME_CHARS:
            return words
        cut = words[:NAME_CHARS].rsplit(" ", 1)[0]
        return re.sub(r"[\s,;:.–-]+$", "", cut) + "…"
    return source.rstrip("/").rsplit("/", 1)[-1] or source


def source_name(art: Any) -> str:
    """How a sentence names the article's source: its outlet, else its name (`article_name`)."""
    return art.outlet or article_name(art.title, art.text, art.source)


def article_label(art: Any) -> str:
    """"Title (outlet)" for an article as a report dict or as a model object."""
    get = art.get if isinstance(art, dict) else lambda k: getattr(art, k, None)
    name = article_name(get("title"), get("text"), get("source") or get("id") or "")
    outlet = get("outlet")
    return f"{name} ({outlet})" if outlet else name


def article_labels(report: dict[str, Any]) -> dict[str, str]:
    """Article id -> label, for a whole report."""
    return {a["id"]: article_label(a) for a in report["articles"]}


def quoted(text: str) -> str:
    """A sentence set in quotation marks, unless it opens with its own: '“The goal …,” the
    indictment says.' is shown as printed, never with its marks doubled or changed."""
    return text if text[:1] in "“\"‘'«„" else f"“{text}”"


def counted(thing: str) -> str:
    """What a hyphenated count measures: the "page indictment" of a "48-page indictment" is the
    "number of pages of the indictment"."""
    unit, _, noun = thing.partition(" ")
    return f"number of {unit}s of the {noun}" if noun else f"number of {unit}s"
