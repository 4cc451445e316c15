"""Publication dates from plain text and URLs, where there is no markup to trust.

Kept apart from `dates` so each module has one job: this one knows how people and URLs write dates
(English month names, wire datelines, /2016/nov/15/ paths); `dates` knows HTML and owns the API.
Functions here return plain tuples `(iso, source, confidence, evidence)`; `dates` wraps them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

Found = tuple[str, str, float, str]
EARLIEST = date(1990, 1, 1)

MONTHS = {m: i for i, ms in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"), 1)
    for m in ms.split()}
_MONTH_NAME = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_MONTH = rf"(?:{_MONTH_NAME})\.?"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*"
# A full date as people write it: ISO, "June 11, 2018", "11 June 2018", "11/06/2018".
_DATE = (rf"(?:{_YEAR}-[01]\d-[0-3]\d|{_MONTH}\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
         rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR})")
_TZ = r"(?:utc|gmt|z|[a-z]{1,3}[sd]?t)?(?:\s*[+-]\d{1,2}(?::?\d\d)?)?"
_TIME = rf"(?:(?:t|\s*,?\s*(?:at|@|-|–|\|)?\s*)\d{{1,2}}(?:[:.h]\d\d){{1,2}}(?:\.\d+)?\s*(?:[ap]\.?m\.?)?\s*\(?{_TZ}\)?)"
_PUBLISHED = r"date|dated|published|publication date|posted|first published|originally published|released|created|issued"
_UPDATED = r"last updated|updated|last modified|modified|edited"
_LABEL = rf"(?:(?:{_PUBLISHED}|{_UPDATED})(?:\s+(?:on|at))?\s*[:\-–—|]?\s*)"
_UNIT = rf"{_LABEL}?(?:{_WEEKDAY})?{_DATE}{_TIME}?"

HEADER_DATE_RE = re.compile(rf"^\s*{_UNIT}(?:\s*[|·•;,/]\s*{_UNIT})?\s*[|·•–—-]?\s*$", re.I)
"""A whole metadata line ("date 2018-06-11", "Published: 11 June 2018", "Updated Feb 3, 2019 10:04
GMT"): the text cleaner drops such lines from the body, and `guess_from_text` reads them."""

_DATE_RE = re.compile(_DATE, re.I)
_UNIT_RE = re.compile(rf"(?P<label>{_LABEL})?(?:{_WEEKDAY})?(?P<date>{_DATE})", re.I)
_UPDATED_RE = re.compile(_UPDATED, re.I)
# A labelled date run into the body ("Published: 11 June 2018 | The talks resumed..."): pastes
# lose line breaks, but a label plus a separator still marks metadata.
_LABELLED_PREFIX = re.compile(rf"^\s*(?=(?:{_PUBLISHED}|{_UPDATED})\b){_UNIT}\s*[|·•–—-]\s", re.I)
# "WASHINGTON, June 11 (Reuters) -", "Beirut, 11 June 2018 —": a place (capitalised, optional
# state) and a comma, a day and month, optional year and agency, then a dash; or a bare date and a
# dash opening the body. "[TOKYO] ..." has no date; "Kim Meets Trump June 12: ..." is a headline.
_PLACE = r"(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*|[A-Z][a-z.'’-]+(?:\s+[A-Z][a-z.'’-]+){0,3})"
_DATELINE = re.compile(
    rf"^\s*(?:{_PLACE}(?:,\s*[A-Z][\w.'’ ]{{1,25}}?)?\s*,\s*)?\(?(?P<md>(?i:{_MONTH})\s+{_DAY}|{_DAY}\s+(?i:{_MONTH}))"
    rf"(?:,?\s+(?P<year>{_YEAR}))?\)?\s*(?:\([A-Za-z][\w .&/-]{{1,30}}\)\s*)?[-–—]")
_PAST = re.compile(r"\b(said|was|were|had|did|told|took|came|went|began|died|won|lost|\w{3,}ed)\b", re.I)
# Schedules and forecasts name dates after publication; such sentences are skipped.
_FUTURE = re.compile(r"\b(will|shall|scheduled|set to|due (to|on|in|by)|expected|planned|plans? to|upcoming|next|is to|are to)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n+")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")
_URL_DAY = re.compile(rf"(?<!\d)({_YEAR})[/_.-](0?[1-9]|1[0-2]|{_MONTH_NAME})[/_.-](3[01]|[12]\d|0?[1-9])(?!\d)", re.I)
_URL_COMPACT = re.compile(rf"(?<![\d])({_YEAR})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])")
_URL_MONTH = re.compile(rf"/({_YEAR})/(0?[1-9]|1[0-2]|{_MONTH_NAME})/", re.I)

HEADER_LINES = 25  # an unlabelled date line counts as metadata only near the top of the paste
DATELINE_LINES = 12  # title, byline and date lines come before the first body paragraph


def make_date(year: str | int, month: str | int, day: str | int) -> date | None:
    try:
        m = int(month) if str(month).isdigit() else MONTHS[str(month).lower().rstrip(".")]
        return date(int(year), m, int(re.sub(r"\D", "", str(day))))
    except (ValueError, KeyError, OverflowError):  # "Feb 30", "Smarch", a year of twenty digits
        return None


def _ok(day: date | None, today: date) -> date | None:
    return day if day is not None and EARLIEST <= day <= today else None


def parse_text_date(s: str, today: date) -> date | None:
    """A date written by a person. Numeric d/m/y vs m/d/y is read day-first unless impossible."""
    s = re.sub(r"\s+", " ", s.strip().lower().replace(",", " ").replace(" of ", " "))
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", s):
        return _ok(make_date(*m.groups()), today)
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", s):
        a, b, y = m.groups()
        return _ok(make_date(y, b, a) if int(b) <= 12 else make_date(y, a, b), today)
    parts = s.split()
    if len(parts) == 3:
        first, second, year = parts
        if first[0].isdigit():
            first, second = second, first
        return _ok(make_date(year, first, second), today)
    return None


def url_day(url: str, today: date) -> date | tuple[int, int] | None:
    """The day in a URL path ("/2020/10/07/", "-20200107-", "/2016/nov/15/"), else (year, month)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = f"{parts.path}?{parts.query}"
    for rx in (_URL_DAY, _URL_COMPACT):
        for hit in rx.finditer(path):
            day = _ok(make_date(*hit.groups()), today)
            if day:
                return day
    m = _URL_MONTH.search(path)
    if m:
        month = make_date(m.group(1), m.group(2), 1)
        if month and _ok(month, today):
            return (month.year, month.month)
    return None


def guess_from_text(text: str, url: str | None, link_urls: Sequence[str], today: date) -> Found | None:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    header, updated = _header(lines, today)
    if header:
        return header
    in_url = url_day(url, today) if url else None
    linked = _linked(text, link_urls, today)
    dateline = _dateline(lines, in_url, linked, text, today)
    if dateline:
        return dateline
    if isinstance(in_url, date):
        return (in_url.isoformat(), "url", 0.8, url or "")
    if updated:
        return updated
    if in_url:
        return (f"{in_url[0]:04d}-{in_url[1]:02d}", "url", 0.5, url or "")
    if linked:
        return linked
    return _inferred(text, today)


def _header(lines: list[str], today: date) -> tuple[Found | None, Found | None]:
    """(publication header, updated header): an "Updated" line is kept as a weaker fallback."""
    published = updated = None
    for i, line in enumerate(lines):
        if len(line) <= 120 and HEADER_DATE_RE.match(line):
            pass
        elif m := _LABELLED_PREFIX.match(line):
            line = m.group(0).strip()
        else:
            continue
        for m in _UNIT_RE.finditer(line):
            day = parse_text_date(m.group("date"), today)
            label = m.group("label") or ""
            if day is None or (not label and i >= HEADER_LINES):
                continue
            if _UPDATED_RE.search(label):
                updated = updated or (day.isoformat(), "header", 0.6, line)
            elif published is None:
                published = (day.isoformat(), "header", 0.9 if label else 0.85, line)
    return published, updated


def _dateline(lines: list[str], in_url, linked: Found | None, text: str, today: date) -> Found | None:
    for line in lines[:DATELINE_LINES]:
        m = _DATELINE.match(line)
        if not m:
            continue
        evidence = line[: m.end()]
        md = m.group("md").replace(",", " ").split()
        if m.group("year"):
            day = parse_text_date(f"{md[0]} {md[1]} {m.group('year')}", today)
            if day:
                return (day.isoformat(), "dateline", 0.85, evidence)
            continue
        year, conf = _year_hint(in_url, linked, text, today)
        if year is None:
            continue
        day = parse_text_date(f"{md[0]} {md[1]} {year}", today)
        if day and linked and day.isoformat() < linked[0]:  # the article is not older than its links
            day = parse_text_date(f"{md[0]} {md[1]} {year + 1}", today)
        if day:
            return (day.isoformat(), "dateline", conf, evidence)
    return None


def _year_hint(in_url, linked: Found | None, text: str, today: date) -> tuple[int | None, float]:
    """The year a yearless dateline most likely belongs to, and how sure that makes us."""
    if in_url:
        return (in_url.year if isinstance(in_url, date) else in_url[0]), 0.75
    if linked:
        return int(linked[0][:4]), 0.6
    years = [int(y) for y in re.findall(rf"(?<!\d)({_YEAR})(?!\d)", text) if int(y) <= today.year]
    return (max(years), 0.4) if years else (None, 0.0)


def _linked(text: str, link_urls: Sequence[str], today: date) -> Found | None:
    """The latest date in any linked URL: the article is at least that recent."""
    best: tuple[date, str] | None = None
    for link in list(link_urls) + _URL_IN_TEXT.findall(text):
        day = url_day(link, today)
        if isinstance(day, date) and (best is None or day > best[0]):
            best = (day, link)
    return (best[0].isoformat(), "linked-url", 0.5, best[1]) if best else None


def _inferred(text: str, today: date) -> Found | None:
    """The latest full date the prose mentions in a past-tense sentence: a weak guess."""
    best: tuple[date, str] | None = None
    for sentence in _SENTENCE_END.split(text):
        if not _PAST.search(sentence) or _FUTURE.search(sentence):
            continue
        for m in _DATE_RE.finditer(sentence):
            day = parse_text_date(m.group(0), today)
            if day and (best is None or day > best[0]):
                best = (day, sentence)
    return (best[0].isoformat(), "text", 0.3, best[1]) if best else None
