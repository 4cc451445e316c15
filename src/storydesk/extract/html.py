"""Main text and page metadata from one HTML page: the only module that calls trafilatura.

trafilatura's default mode keeps too much furniture (related-story teasers, newsletter boxes) and
its precision mode drops too much structure (subheadings between paragraphs). We run both on one
parsed tree and keep the precision text, putting back only the headings the default run found
*between* two paragraphs precision kept: a heading inside the body belongs to the article, while
the link-only teasers precision rightly drops are paragraphs, not headings. Residual furniture at
the edges of the text (subscribe prompts, copyright lines) is then trimmed with the shared
furniture classifier.

Publication dates are deliberately not read here (another module owns dates); trafilatura's
metadata pass still runs its date finder, so we ask for the cheap non-extensive mode.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from .furniture import furniture_reason
from .nesting import PARSER_DEPTH, flatten_nesting, max_depth

LOG = logging.getLogger(__name__)

# Above this many characters the page is shrunk before parsing. trafilatura's run time grows faster
# than linearly with page size (about 1.5 s for 1 MB and 12 s for 5 MB of plain paragraphs, on one
# core of the development machine); the largest of the 181 benchmark news pages is 1.5 MB, so 2 MB
# leaves every real page we have seen untouched and keeps a pathological 50 MB page to seconds.
MAX_HTML_CHARS = 2_000_000

# trafilatura's run time also grows faster than linearly with the number of elements: 10,000 table
# rows (30,000 elements) take about 2 s per mode, 43,000 rows over 6 minutes. The 181 benchmark
# pages have at most 1,600 elements after parsing, so 20,000 leaves real pages untouched.
MAX_ELEMENTS = 20_000

# Elements that bloat giant pages without carrying article text; dropped first when over the limit.
_BLOAT_TAGS = ("script", "style", "svg", "noscript", "template")
_BLOAT_OPEN = re.compile(rf"<({'|'.join(_BLOAT_TAGS)})\b", re.I)
_BLOAT_CLOSE = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in _BLOAT_TAGS}
_JSON_LD = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPACES = re.compile(r"[^\S\n]+")
# trafilatura's metadata pass always runs htmldate; dates are not ours, so ask for its cheap mode.
_CHEAP_DATES: dict[str, Any] = {"extensive_search": False, "original_date": True}


@dataclass(slots=True)
class HtmlExtract:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    sitename: str | None = None
    url: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    pagetype: str | None = None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Body text (paragraphs joined by a blank line) and metadata of one page.

    Never raises: garbage, empty or unparsable input gives an extract with text "" so the caller can
    record the failure against the article. Pages over `MAX_HTML_CHARS` are shrunk first (see
    `bound_html`), so run time is bounded whatever the input size.
    """
    try:
        return _extract(bound_html(html or ""), url)
    except Exception as err:  # trafilatura and lxml raise many types on hostile input
        LOG.warning("html extraction failed for %s: %s", url, err)
        return HtmlExtract(text="", url=url)


def bound_html(html: str, limit: int = MAX_HTML_CHARS) -> str:
    """Shrink an oversized page to `limit` characters, losing as little article text as possible.

    Giant pages are nearly always inline scripts, styles and SVG, so those go first (JSON-LD is kept:
    it carries the byline); only if the page is still too long is it cut at the last tag boundary
    before the limit. lxml closes the open elements of a cut page, so the text before the cut
    survives, and the article body normally comes early in the markup.
    """
    if len(html) <= limit:
        return html
    html = _drop_bloat(html, limit)
    if len(html) <= limit:
        return html
    cut = html.rfind(">", 0, limit)
    return html[: cut + 1 if cut > 0 else limit]


def _drop_bloat(html: str, limit: int) -> str:
    """Remove bloat elements in one forward scan, stopping once `limit` characters are kept.

    Linear time even when a tag is never closed; what follows the stop is cut by the caller anyway.
    """
    parts: list[str] = []
    kept = pos = 0
    while kept <= limit and (m := _BLOAT_OPEN.search(html, pos)) is not None:
        open_end = html.find(">", m.end())
        close = _BLOAT_CLOSE[m[1].lower()].search(html, open_end) if open_end >= 0 else None
        if close is None:
            break
        keep = _JSON_LD.search(html, m.start(), open_end) is not None
        parts.append(html[pos : close.end()] if keep else html[pos : m.start()])
        kept += len(parts[-1])
        pos = close.end()
    parts.append(html[pos:])
    return "".join(parts)


def _extract(html: str, url: str | None) -> HtmlExtract:
    import trafilatura  # lazily: importing it costs about a second

    tree = trafilatura.load_html(html)
    if tree is not None and max_depth(tree) >= PARSER_DEPTH:
        tree = trafilatura.load_html(flatten_nesting(html))
    if tree is None:
        return HtmlExtract(text="", url=url)
    _bound_tree(tree)
    options: dict[str, Any] = {"url": url, "include_comments": False, "include_tables": True}
    precise = trafilatura.bare_extraction(tree, favor_precision=True, **options)
    default = trafilatura.bare_extraction(tree, **options)
    lines = _lines(_text(precise))
    if lines:
        lines = _restore_headings(lines, _lines(_text(default)), _headings(default))
    else:
        lines = _lines(_text(default))
    if not lines:
        lines = _lines(_text(trafilatura.bare_extraction(tree, favor_recall=True, **options)))
    text = "\n\n".join(_trim_furniture(lines))
    # Metadata last and on its own, so a page whose body every mode rejects keeps its title, and so
    # e-mail addresses can be blanked in the tree first: trafilatura's byline cleaner mangles an
    # address inside a list of names into a fake name ("Jane Doe, jd@x.com" gives "Jane Doe X Com").
    _blank_emails(tree)
    meta = trafilatura.extract_metadata(tree, default_url=url, date_config=_CHEAP_DATES)
    return _with_metadata(HtmlExtract(text=text, url=url), meta)


def _bound_tree(tree: Any, limit: int = MAX_ELEMENTS) -> None:
    """Cut the parsed page after its `limit`-th element, the tree-level twin of `bound_html`.

    Markup dense enough to pass the character limit (a 2 MB table is 100,000 elements) would still
    take minutes; keeping the document-order prefix keeps the part of the page a reader sees first.
    """
    last = None
    for n, last in enumerate(tree.iter()):  # noqa: B007 (`last` is the element the loop stopped at, used below)
        if n >= limit:
            break
    else:
        return
    for child in list(last):
        last.remove(child)
    node = last
    while (parent := node.getparent()) is not None:
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        node = parent


def _blank_emails(tree: Any) -> None:
    for el in tree.iter():
        if el.text and "@" in el.text:
            el.text = _EMAIL.sub(" ", el.text)
        if el.tail and "@" in el.tail:
            el.tail = _EMAIL.sub(" ", el.tail)
        if el.tag == "meta" and "@" in (el.get("content") or ""):
            el.set("content", _EMAIL.sub(" ", el.get("content")))


def _text(doc: Any) -> str:
    return (doc.text or "") if doc is not None else ""


def _lines(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def _headings(doc: Any) -> set[str]:
    """Texts of the heading elements (h1-h6) trafilatura kept in its output tree."""
    if doc is None or doc.body is None:
        return set()
    return {_SPACES.sub(" ", "".join(h.itertext())).strip() for h in doc.body.iter("head")}


def _restore_headings(kept: list[str], base: list[str], headings: set[str]) -> list[str]:
    """Put back the headings the default run found between lines precision kept.

    Only interior gaps count: before the first or after the last kept line a heading is as likely a
    teaser title as a section title. Precision output is, line for line, nearly a subsequence of the
    default output, so one greedy walk aligns them in linear time (difflib is quadratic on pages of
    repeated lines); a kept line the default run lacks is emitted where it stands.
    """
    in_base, in_kept = set(base), set(kept)
    out: list[str] = []
    k = 0
    for line in base:
        while k < len(kept) and kept[k] not in in_base:
            out.append(kept[k])
            k += 1
        if k < len(kept) and line == kept[k]:
            out.append(line)
            k += 1
        elif 0 < k < len(kept) and line in headings and line not in in_kept:
            out.append(line)
    out.extend(kept[k:])
    return out


def _trim_furniture(lines: list[str]) -> list[str]:
    """Drop furniture lines at the start and end of the body, where extractors leave it.

    Interior lines are left alone: a list item or a short paragraph mid-article that happens to
    match a furniture pattern is far more likely text than a stray prompt.
    """
    start, end = 0, len(lines)
    while start < end and furniture_reason(lines[start]):
        start += 1
    while end > start and furniture_reason(lines[end - 1]):
        end -= 1
    return lines[start:end]


def _with_metadata(out: HtmlExtract, doc: Any) -> HtmlExtract:
    if doc is None:
        return out
    out.title = doc.title or None
    out.authors = _authors(doc.author)
    out.sitename = doc.sitename or None
    out.url = doc.url or out.url
    out.description = doc.description or None
    out.categories = [c for c in (doc.categories or []) if c]
    out.tags = [t for t in (doc.tags or []) if t]
    out.pagetype = doc.pagetype or None
    return out


def _authors(author: str | None) -> list[str]:
    """trafilatura joins bylines with "; " and may leave contact addresses in them."""
    names = []
    for part in (author or "").split(";"):
        name = _SPACES.sub(" ", _EMAIL.sub("", part)).strip(" ,|-–—")
        if name and name not in names:
            names.append(name)
    return names
