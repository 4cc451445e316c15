"""When was this article first published?

The timeline resolves "on Tuesday" and "last week" against this date, and the report orders
articles by it, so a wrong date is worse than none: every guess carries its source, a confidence
and the short evidence it came from, and the caller decides what to trust.

Evidence is tried from most to least deliberate. A publisher states the original date on purpose
in JSON-LD and publication meta tags; a date in the URL is fixed when the page is created and never
updated; htmldate's text search is the fallback, since it also sees bylines, comments and "related
stories". Plain text has no markup, so there the order is a metadata header line, a wire-style
dateline, the URL, dates in linked URLs (a lower bound), and finally a date inferred from the prose.
Modified/updated dates are never preferred over publication dates. Nothing here names a site.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

from dateutil import parser as _du

from storydesk.extract import dates_text as T

# Pages are truncated to this many characters before parsing: publication metadata sits in the
# head or the article header, and parsing 100 MB of garbage must not stall a batch.
MAX_HTML_CHARS = 3_000_000
EARLIEST = date(1990, 1, 1)
# JSON-LD nodes visited per script: real article graphs have dozens; product feeds can have 10^5.
MAX_JSONLD_NODES = 20_000

# Confidence per source: the order of trust above, not a calibrated probability.
CONFIDENCE = {
    "json-ld": 0.9, "html-meta": 0.9, "header": 0.9, "dateline": 0.85, "url": 0.8,
    "htmldate": 0.6, "linked-url": 0.5, "text": 0.3,
}
# Meta names/properties (lower-cased) that state the original publication date, best first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "published_time",
    "datepublished", "article.published", "article_date_original", "original-publish-date",
    "publish-date", "publish_date", "publishdate", "pubdate", "published-date", "publication_date",
    "citation_publication_date", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "parsely-pub-date", "sailthru.date", "datecreated", "dc.date", "dcterms.date",
    "date",
)
_PUBLISHED_RANK = {name: i for i, name in enumerate(PUBLISHED_META)}
# JSON-LD @types whose datePublished is the page's own; anything else (WebPage, a VideoObject in
# the sidebar, an ItemList of related stories) is used only when no article-typed node exists.
_ARTICLE_TYPE = re.compile(r"(Article|Posting|Report|Story)$")


@dataclass(slots=True)
class DateGuess:
    """A publication date with its provenance; `date` is None when nothing plausible was found."""

    date: str | None
    source: str | None
    confidence: float
    evidence: str | None




def no_date() -> DateGuess:
    return DateGuess(None, None, 0.0, None)


HEADER_DATE_RE = T.HEADER_DATE_RE
# Machine-written days: ISO with any time/zone suffix, or compact YYYYMMDD.
_ISO_DAY = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
_COMPACT_DAY = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)")


def _guess(day: date | str, source: str, evidence: str, confidence: float | None = None) -> DateGuess:
    iso = day.isoformat() if isinstance(day, date) else day
    conf = CONFIDENCE[source] if confidence is None else confidence
    return DateGuess(iso, source, conf, " ".join(evidence.split())[:200])


def _plausible(day: date | None, today: date) -> date | None:
    return day if day is not None and EARLIEST <= day <= today else None


def parse_date_value(value: str, today: date) -> date | None:
    """A full calendar day from a machine-written value (meta content, JSON-LD, datetime attr).

    The date is taken as written, not converted to UTC: the publisher's local day is the one its
    readers (and our ground truth) call the publication day. Values missing the day are rejected,
    because dateutil would silently fill the gap from today.
    """
    value = value.strip()[:80]
    if not value:
        return None
    m = _ISO_DAY.search(value) or _COMPACT_DAY.fullmatch(value.split("T")[0])
    if m:
        return _plausible(T.make_date(m.group(1), m.group(2), m.group(3)), today)
    # Unix epoch seconds / milliseconds; ASCII only, since str.isdigit() also accepts "²" and int() does not
    if value.isascii() and value.isdigit() and len(value) in (10, 13):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return _plausible(datetime.fromtimestamp(seconds, tz=timezone.utc).date(), today)
    if not re.search(r"\d", value):
        return None
    parsed = []
    for default in (datetime(2001, 1, 1), datetime(2002, 2, 2)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed.append(_du.parse(value, default=default, ignoretz=True).date())
        except (ValueError, OverflowError, TypeError):
            return None
    return _plausible(parsed[0], today) if parsed[0] == parsed[1] else None


# --- HTML ------------------------------------------------------------------------------------


def date_from_html(html: str, url: str | None = None, *, today: date | None = None) -> DateGuess:
    """The original publication day of a web page, with where it was found.

    Never raises: malformed, empty or huge input gives no_date() or a lower-confidence guess.
    """
    today = today or date.today()
    try:
        return _date_from_html(html, url, today)
    except Exception:  # noqa: BLE001 - a date is optional; a broken page must not stop a batch
        return no_date()


def _date_from_html(html: str, url: str | None, today: date) -> DateGuess:
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if not isinstance(html, str) or "<" not in html:
        return _best([], _url_candidates([url], today)) or no_date()
    html = html[:MAX_HTML_CHARS]
    tree = _parse(html)
    stated = _stated_candidates(tree, today) if tree is not None else []
    in_url = _url_candidates([url, *(_canonical_urls(tree) if tree is not None else [])], today)
    return _best(stated, in_url) or _htmldate_guess(html, url, today) or no_date()


def _parse(html: str):  # -> lxml HtmlElement | None
    from lxml import etree, html as lxml_html

    try:
        parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)
        return lxml_html.fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError, TypeError):
        return None


@dataclass(slots=True)
class _Candidate:
    day: date
    source: str
    confidence: float
    evidence: str
    utc: bool  # a UTC timestamp: the publisher's local day may be the one before or after


def _best(stated: list[_Candidate], in_url: list[_Candidate]) -> DateGuess | None:
    """The best-ranked stated date, unless it is a UTC timestamp one day off a local date.

    CMSs often normalise datePublished to UTC ("...T02:18Z") while the URL, or another tag with a
    real offset, keeps the newsroom's local day; readers and archives use the local day, and a
    one-day gap is exactly what a time-zone shift produces (a larger gap is a different event).
    """
    ranked = stated + in_url
    if not ranked:
        return None
    top = ranked[0]
    if top.utc:
        for other in ranked[1:]:
            if not other.utc and abs((other.day - top.day).days) == 1:
                top = other
                break
    return _guess(top.day, top.source, top.evidence, top.confidence)


def _is_utc(raw: str) -> bool:
    return bool(re.search(r"\d\d(?:[:.]\d+)*\s*(?:z|[+-]00:?00|utc|gmt)\s*$", raw.strip(), re.I))


def _stated_candidates(tree, today: date) -> list[_Candidate]:
    """Publisher-stated dates, best first: JSON-LD of an article-typed node, publication meta
    tags, JSON-LD of any node, then microdata / <time pubdate>."""
    ld: list[tuple[tuple[int, int, int], _Candidate]] = []
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        for is_article, depth, raw in _jsonld_dates(script.text or ""):
            day = parse_date_value(raw, today)
            if day is not None:
                conf = CONFIDENCE["json-ld"] if is_article else 0.75
                cand = _Candidate(day, "json-ld", conf, f'"datePublished": "{raw}"', _is_utc(raw))
                ld.append(((0 if is_article else 1, depth, len(ld)), cand))
    ld.sort(key=lambda item: item[0])
    metas: list[tuple[int, _Candidate]] = []
    for meta in tree.iterfind(".//meta"):
        names = [(meta.get(a) or "").strip().lower() for a in ("property", "name", "itemprop", "http-equiv")]
        known = [n for n in names if n in _PUBLISHED_RANK]
        raw = meta.get("content") or ""
        day = parse_date_value(raw, today) if known else None
        if day is not None:
            rank = min(_PUBLISHED_RANK[n] for n in known)
            metas.append((rank, _Candidate(day, "html-meta", CONFIDENCE["html-meta"],
                                           f'<meta {known[0]}="{raw}">', _is_utc(raw))))
    metas.sort(key=lambda item: item[0])
    marked = []
    for el in tree.xpath('.//*[@itemprop="datePublished"] | .//time[@pubdate]')[:5]:
        raw = el.get("datetime") or el.get("content") or (el.text_content() or "")
        day = parse_date_value(raw, today)
        if day is not None:
            marked.append(_Candidate(day, "html-meta", 0.8, f"<{el.tag} {raw.strip()[:60]}>", _is_utc(raw)))
    articles = [c for key, c in ld if key[0] == 0]
    others = [c for key, c in ld if key[0] == 1]
    return articles + [c for _, c in metas] + others + marked


def _url_candidates(urls: Sequence[str | None], today: date) -> list[_Candidate]:
    for url in urls:
        day = T.url_day(url, today) if url else None
        if isinstance(day, date):
            return [_Candidate(day, "url", CONFIDENCE["url"], url or "", False)]
    return []


def _jsonld_dates(text: str) -> Iterator[tuple[bool, int, str]]:
    """(node is article-typed, nesting depth, datePublished) for every node that has one."""
    try:
        data = json.loads(text, strict=False)
    except ValueError:  # broken JSON-LD is common: fall back to the raw key/value pairs
        for m in re.finditer(r'"datePublished"\s*:\s*"([^"]{6,60})"', text):
            yield False, 0, m.group(1)
        return
    queue: deque[tuple[object, int]] = deque([(data, 0)])
    for _ in range(MAX_JSONLD_NODES):
        if not queue:
            break
        node, depth = queue.popleft()
        if isinstance(node, list):
            queue.extendleft(reversed([(n, depth) for n in node]))
        elif isinstance(node, dict):
            types = node.get("@type") or ""
            types = types if isinstance(types, list) else [types]
            value = node.get("datePublished")
            if isinstance(value, str):
                yield any(_ARTICLE_TYPE.search(str(t)) for t in types), depth, value
            queue.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))


def _canonical_urls(tree) -> list[str]:
    links = tree.xpath('.//link[@rel="canonical"]/@href | .//meta[@property="og:url"]/@content')
    return [str(u) for u in links[:4]]


def _htmldate_guess(html: str, url: str | None, today: date) -> DateGuess | None:
    """htmldate's search of the whole page: it sees more than we do, and more noise.

    htmldate fills a missing month and day with 1 January, so a "YYYY-01-01" that the page never
    spells out is reported as the year only (a copyright line is the usual source), at low confidence.
    """
    from htmldate import find_date

    if html.startswith("http") and " " not in html:  # htmldate would try to download it
        return None
    found = find_date(html, url=url, original_date=True, extensive_search=True,
                      min_date=EARLIEST.isoformat(), max_date=today.isoformat())
    day = _plausible(date.fromisoformat(found), today) if found else None
    if day is None:
        return None
    evidence = "htmldate(original_date=True, extensive_search=True)"
    if (day.month, day.day) == (1, 1) and not _spells_new_year(html, day.year):
        return _guess(str(day.year), "htmldate", evidence, 0.2)
    return _guess(day, "htmldate", evidence)


def _spells_new_year(html: str, year: int) -> bool:
    y = str(year)
    return bool(re.search(
        rf"{y}(?P<a>[-/.])0?1(?P=a)0?1(?!\d)|{y}0101(?!\d)|(?<!\d)0?1(?P<b>[-/.])0?1(?P=b){y}|(?<!\d)0?1(?:st|er|\.)?\s+\w+\.?,?\s+{y}"
        rf"|\b\w+\.?\s+0?1(?:st)?,?\s+{y}", html, re.I))


# --- plain text ------------------------------------------------------------------------------


def date_from_text(text: str, url: str | None = None, link_urls: Sequence[str] = (),
                   *, today: date | None = None) -> DateGuess:
    """The publication day of a pasted article, or the best lower bound, with its evidence.

    Never raises. A guess inferred from the prose has confidence <= 0.4 and may be a month or a
    year ("YYYY-MM", "YYYY") when that is all the evidence supports.
    """
    today = today or date.today()
    try:
        found = T.guess_from_text(text or "", url, link_urls, today)
        return _guess(found[0], found[1], found[3], found[2]) if found else no_date()
    except Exception:  # noqa: BLE001 - as in date_from_html
        return no_date()
