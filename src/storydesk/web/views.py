"""Page views: plain functions from a report dict (the JSON contract) to what a template shows.

Nothing here analyses anything; it only picks, joins and orders what the report already holds
(an article's title next to a citation, both sides of a contradiction with their sentences, a
timeline entry's number). Nothing here escapes either: templates autoescape every string,
so article text stays plain data until Jinja2 writes it out.
"""

from __future__ import annotations

from typing import Any

from ..labels import article_label, article_labels, flag_name
from ..model import link_sides
from ..report.sections import brief_view as numbered_brief
from ..report.sections import story_counts

CONTEXT_CHARS = 280  # text shown either side of a sentence in the side-by-side contradiction view


def titles(report: dict[str, Any]) -> dict[str, str]:
    """Article id -> "title (outlet)": how every page names an article (labels.article_label)."""
    return article_labels(report)


def snippet(report: dict[str, Any], article_id: str, span: list[int] | tuple[int, int]) -> str:
    for a in report["articles"]:
        if a["id"] == article_id:
            return a["text"][span[0] : span[1]]
    return ""


def citation(report: dict[str, Any], ev: dict[str, Any], names: dict[str, str], number: dict[str, int]) -> dict[str, Any]:
    """An {article, span} reference as a link target: article number and title, span, cited text."""
    span = list(ev.get("span") or [0, 0])
    return {"article": ev["article"], "span": span, "title": names.get(ev["article"], ev["article"]),
            "n": number.get(ev["article"], 0), "text": snippet(report, ev["article"], span)}


def counts(report: dict[str, Any]) -> dict[str, int]:
    """The counts report.html shows (report.sections.story_counts), so the two never disagree."""
    return story_counts(report)


def brief_view(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The brief with citations numbered in reading order, as report.html numbers them."""
    return [{"text": s["text"], "citations": s["refs"]} for s in numbered_brief(report)["sentences"]]


def reliability_view(report: dict[str, Any]) -> list[dict[str, Any]]:
    from ..assess.view import reliability_rows

    return reliability_rows(report)


def _claim_side(report: dict[str, Any], claim: dict[str, Any], arts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    art = arts.get(claim["article"], {"id": claim["article"], "text": "", "source": claim["article"]})
    text, (start, end) = art.get("text") or "", claim["span"]
    para = text.rfind("\n\n", 0, start)
    lo = max(para + 2 if para >= 0 else 0, start - CONTEXT_CHARS)
    hi = text.find("\n\n", end)
    hi = min(len(text) if hi < 0 else hi, end + CONTEXT_CHARS)
    return {"claim": claim, "article": art, "title": article_label(art),
            "before": ("…" if lo > 0 else "") + text[lo:start], "sentence": text[start:end],
            "after": text[end:hi] + ("…" if hi < len(text) else "")}


def contradiction_view(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Contradictions and changes over time, each claim with its sentence in context; `columns`
    groups the claims by side (two outlets giving one value against a third are one column)."""
    claims = {c["id"]: c for c in report["claims"]}
    arts = {a["id"]: a for a in report["articles"]}
    out: list[dict[str, Any]] = []
    for link in report["links"]:
        if link["kind"] not in ("contradict", "changed_over_time") or not all(c in claims for c in link["claims"]):
            continue
        sides = [{**_claim_side(report, claims[c], arts), "side": s}
                 for c, s in zip(link["claims"], link_sides(link["claims"], link.get("sides")))]
        out.append({"n": len(out) + 1, "kind": link["kind"], "score": link["score"], "explanation": link["explanation"],
                    "sides": sides, "columns": [[s for s in sides if s["side"] == k] for k in sorted({s["side"] for s in sides})]})
    return out


def quote_view(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Who said what, grouped by speaker (report.speakers.quote_groups), each quote linking to its passage."""
    from ..report.speakers import quote_groups

    return quote_groups(report)


def entity_view(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Entities by mentions, each with the number of articles naming it and its related entities."""
    names = {e["id"]: e["name"] for e in report["entities"]}
    rows = []
    for e in report["entities"]:
        related = [{"name": names.get(r["entity"], r["entity"]), "relation": r["relation"]} for r in e.get("related") or []]
        rows.append({**e, "total": len(e["mentions"]), "articles": len({m["article"] for m in e["mentions"]}), "related_names": related})
    return sorted(rows, key=lambda r: (-r["total"], r["name"].lower()))


def timeline_view(report: dict[str, Any]) -> dict[str, Any]:
    """Timeline entries numbered as the chart numbers them (dated by date, then undated), each with its
    source titles, entity names and evidence links, and the chart shared with report.html."""
    from ..report.chart import timeline_chart

    names, number = titles(report), {a["id"]: i for i, a in enumerate(report["articles"], 1)}
    entities = {e["id"]: e["name"] for e in report["entities"]}
    chart = timeline_chart(report)
    entries = [{**t, "source_titles": [names.get(s, s) for s in t.get("sources") or []],
                "entity_names": [entities.get(e, e) for e in t.get("entities") or []],
                "evidence_view": [citation(report, ev, names, number) for ev in t.get("evidence") or []]}
               for t in chart["entries"]]
    return {"entries": entries, "chart": chart, "undated": chart["undated"]}


def article_flags(art: dict[str, Any]) -> list[dict[str, Any]]:
    """An article's flags for its page: plain names, heaviest first, the weak-signals line last."""
    flags = [{**f, "name": flag_name(f["kind"])} for f in (art.get("reliability") or {}).get("flags", [])]
    return sorted(flags, key=lambda f: (f["kind"] == "weak_signals", -f.get("weight", 0.0)))


def claim_class(claim: dict[str, Any], verdict: dict[str, Any] | None) -> str:
    """The colour class of a claim on the article page: its verdict, else opinion or unrated."""
    if verdict:
        return f"claim-{verdict['verdict']}"
    return "claim-opinion" if claim.get("opinion") else "claim-unrated"


__all__ = ["article_flags", "brief_view", "claim_class", "contradiction_view", "counts", "entity_view",
           "quote_view", "reliability_view", "timeline_view"]
