"""News, opinion, analysis or other: decided from evidence a reader could check.

Opinion is recognised by its signatures, not its topic: a "views of the author" disclaimer, an
author bio line ("X is professor of ..."), labels such as "commentary" or "op-ed" in the title, URL
or page type, an imperative or vocative headline, and first-person argument with modal verbs. News
shows reporting verbs and attributed quotes. Each signal adds weight and leaves its evidence string;
the label is the heaviest side, so a reader sees why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Weight needed before a label other than news is given.
OPINION_MIN = 2.0
ANALYSIS_MIN = 2.0
# Share of sentences with first-person argument ("I believe", "we must") that marks an essay.
FIRST_PERSON_SHARE = 0.08

_LABEL = re.compile(r"\b(opinion|op-ed|oped|commentary|commentaries|column|editorial|viewpoint|perspective|letters?)\b", re.I)
_ANALYSIS = re.compile(r"\b(analysis|explainer|explained|fact[- ]check|in depth|q&a)\b", re.I)
_BIO = re.compile(
    r"^[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3}\s+(is|was|serves as)\s+(an?\s+|the\s+)?"
    r"(professor|lecturer|fellow|senior fellow|director|author|columnist|contributor|writer|editor|former|researcher|analyst|chair|president|founder)\b"
)
_FIRST_PERSON = re.compile(r"\b(I|we)\s+(believe|think|argue|must|should|need|cannot|can't|would)\b|\b(in my view|i would argue)\b", re.I)
_MODAL_ARGUMENT = re.compile(r"\b(must|should|needs to|ought to)\b", re.I)
_REPORTING = re.compile(r"\b(said|told reporters|according to|announced|confirmed|reported)\b")
_VOCATIVE = re.compile(r"^[A-Z][\w .'-]{2,40}:\s+\S|^(don't|do not|stop|let's|why)\b", re.I)


@dataclass(slots=True)
class Genre:
    label: str
    evidence: list[str] = field(default_factory=list)


def classify_genre(
    text: str,
    title: str | None = None,
    url: str | None = None,
    disclaimers: list[str] | None = None,
    pagetype: str | None = None,
) -> Genre:
    opinion: list[tuple[float, str]] = []
    analysis: list[tuple[float, str]] = []
    for d in disclaimers or []:
        opinion.append((2.0, f"disclaimer: {d[:120]}"))
    for where, value in (("title", title), ("url", url), ("page type", pagetype)):
        if value and (m := _LABEL.search(value)):
            opinion.append((2.0, f"{where} says '{m.group(0)}'"))
        if value and (m := _ANALYSIS.search(value)):
            analysis.append((2.0, f"{where} says '{m.group(0)}'"))
    head = text[:1500]
    for para in head.split("\n\n")[:3]:
        if _BIO.match(para.strip()):
            opinion.append((1.5, f"author bio: {para.strip()[:120]}"))
            break
    if title and (title.isupper() or _VOCATIVE.match(title)) and _VOCATIVE.match(title):
        opinion.append((1.0, f"headline addresses someone or exhorts: {title[:80]}"))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]
    if sentences:
        first = sum(bool(_FIRST_PERSON.search(s)) for s in sentences) / len(sentences)
        modal = sum(bool(_MODAL_ARGUMENT.search(s)) for s in sentences) / len(sentences)
        reporting = sum(bool(_REPORTING.search(s)) for s in sentences) / len(sentences)
        if first >= FIRST_PERSON_SHARE:
            opinion.append((1.5, f"first-person argument in {first:.0%} of sentences"))
        if modal >= 0.15 and reporting < 0.15:
            opinion.append((1.0, f"prescriptive modals (must/should) in {modal:.0%} of sentences, few attributions ({reporting:.0%})"))
        if reporting >= 0.15:
            news_weight = 1.0 + reporting * 4
            if sum(w for w, _ in opinion) < news_weight + 1.0:
                opinion = [(w, e) for w, e in opinion] if sum(w for w, _ in opinion) >= OPINION_MIN + news_weight else []
    o = sum(w for w, _ in opinion)
    a = sum(w for w, _ in analysis)
    if o >= OPINION_MIN and o >= a:
        return Genre("opinion", [e for _, e in opinion])
    if a >= ANALYSIS_MIN:
        return Genre("analysis", [e for _, e in analysis])
    if sentences:
        share = sum(bool(_REPORTING.search(s)) for s in sentences) / len(sentences)
        return Genre("news", [f"reporting verbs and attributions in {share:.0%} of sentences"])
    return Genre("other", ["too little text to tell"])
