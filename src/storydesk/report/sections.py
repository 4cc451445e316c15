"""Report sections built from claims and links: the views a reader asks for, with every sentence.

Agreement is shown per claim with the claims directly agreeing with it (one sentence per article),
the way corroboration counts it: agreement is not chained across the story. Items that quote the
same set of sentences are shown once, so a fact told by four articles is one item, not six pairs.
"""

from __future__ import annotations

from typing import Any

from ..labels import article_labels
from ..model import link_pairs


def claim_sections(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    claims = {c["id"]: c for c in report["claims"]}
    titles = article_labels(report)

    def quote(cid: str) -> dict[str, Any]:
        c = claims[cid]
        return {"text": c["text"], "article": c["article"], "title": titles.get(c["article"], c["article"]), "opinion": c["opinion"]}

    neighbours: dict[str, set[str]] = {cid: set() for cid in claims}
    out: dict[str, list[dict[str, Any]]] = {"agreed": [], "contradictions": [], "changed": [], "single": []}
    for link in report["links"]:
        if link["kind"] == "agree":
            for a, b in link_pairs(link["claims"], link.get("sides")):
                neighbours[a].add(b)
                neighbours[b].add(a)
        elif link["kind"] in ("contradict", "changed_over_time"):
            key = "contradictions" if link["kind"] == "contradict" else "changed"
            out[key].append({"explanation": link["explanation"], "score": link["score"],
                             "quotes": [quote(c) for c in link["claims"]]})
    shown: set[frozenset[str]] = set()
    for cid in sorted(claims):
        c = claims[cid]
        if not c["agreeing_sources"]:
            continue
        first_per_article: dict[str, str] = {c["article"]: cid}
        for m in sorted(neighbours[cid]):
            first_per_article.setdefault(claims[m]["article"], m)
        members = frozenset(first_per_article.values())
        if len(members) < 2 or members in shown:
            continue
        shown.add(members)
        out["agreed"].append({"sources": 1 + len(c["agreeing_sources"]), "quotes": [quote(m) for m in first_per_article.values()]})
    out["agreed"].sort(key=lambda g: -g["sources"])
    out["single"] = [quote(c["id"]) for c in report["claims"] if c["single_source"] and not c["opinion"]]
    return out


def story_counts(report: dict[str, Any], sections: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, int]:
    """The story's counts as the report's sections count them, so the web overview and report.html
    say the same: agreed facts (groups, not pairs of sentences), contradictions, changes over time."""
    sec = sections if sections is not None else claim_sections(report)
    return {"articles": len(report["articles"]), "claims": len(report["claims"]), "agreed": len(sec["agreed"]),
            "contradictions": len(sec["contradictions"]), "changed": len(sec["changed"]), "single": len(sec["single"]),
            "quotes": len(report["quotes"]), "entities": len(report["entities"]),
            "timeline": len(report.get("timeline") or []), "brief": len(report.get("brief") or [])}


def brief_view(report: dict[str, Any]) -> dict[str, Any]:
    """The brief with citations numbered in reading order; each number links to a mark in its article.

    A span cited twice gets one mark (`c-N`, N its first number), so every link has a target.
    Both report.html and the web overview number citations this way, so [3] is the same source in both.
    Returns {"sentences": [{"text", "refs": [{"n", "anchor", "article", "title", "index", "span", "text"}]}],
    "marks": {article id: [(start, end, anchor)]}}.
    """
    titles = article_labels(report)
    texts = {a["id"]: a.get("text") or "" for a in report["articles"]}
    index = {a["id"]: i for i, a in enumerate(report["articles"], 1)}
    anchors: dict[tuple[str, int, int], str] = {}
    sentences, n = [], 0
    for b in report["brief"]:
        refs = []
        for c in b["citations"]:
            n += 1
            key = (c["article"], c["span"][0], c["span"][1])
            anchor = anchors.setdefault(key, f"c-{n}")
            refs.append({"n": n, "anchor": anchor, "article": c["article"], "title": titles.get(c["article"], ""),
                         "index": index.get(c["article"], 0), "span": list(key[1:]), "text": texts.get(c["article"], "")[key[1]:key[2]]})
        sentences.append({"text": b["text"], "refs": refs})
    marks: dict[str, list[tuple[int, int, str]]] = {}
    for (article, start, end), anchor in anchors.items():
        marks.setdefault(article, []).append((start, end, anchor))
    return {"sentences": sentences, "marks": marks}


def article_paragraphs(text: str, marks: list[tuple[int, int, str]],
                       points: list[tuple[int, str]] | tuple[()] = ()) -> list[list[tuple[str, str | None, bool]]]:
    """The article text as paragraphs of (text, anchor, marked) pieces, split at cited spans.

    A later span overlapping an earlier one is folded into it (its link then lands on the earlier
    mark); a mark crossing a paragraph break continues in the next paragraph without a second id.
    `points` are (offset, anchor) link targets that mark nothing (a quote's start): each becomes an
    empty piece ("", anchor, False) at its offset, splitting a mark if it falls inside one, so a point
    is never lost to an overlapping citation.
    """
    pieces: list[tuple[str, str | None, bool]] = []
    pos = 0
    for start, end, mark in sorted(marks):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        pieces.append((text[pos:start], None, False))
        pieces.append((text[start:end], mark, True))
        pos = end
    pieces.append((text[pos:], None, False))
    pieces = _insert_points(pieces, points)
    paragraphs: list[list[tuple[str, str | None, bool]]] = [[]]
    for piece, anchor, marked in pieces:
        if not piece and anchor:
            paragraphs[-1].append((piece, anchor, marked))
            continue
        for k, part in enumerate(piece.split("\n\n")):
            if k:
                paragraphs.append([])
            if part:
                paragraphs[-1].append((part, anchor if k == 0 else None, marked))
    return [p for p in paragraphs if any(t.strip() for t, _, _ in p)]


def _insert_points(pieces: list[tuple[str, str | None, bool]], points: Any) -> list[tuple[str, str | None, bool]]:
    for at, anchor in sorted(points, reverse=True):  # from the end, so earlier offsets stay valid
        offset = sum(len(t) for t, _, _ in pieces)
        for i in range(len(pieces) - 1, -1, -1):
            t, own, marked = pieces[i]
            offset -= len(t)
            if offset <= at <= offset + len(t):
                k = at - offset
                split = [("", anchor, False)]
                if k:
                    split.insert(0, (t[:k], own, marked))
                if t[k:] or not k:
                    split.append((t[k:], None if k else own, marked))
                pieces[i:i + 1] = split
                break
    return pieces
