"""Report sections built from claims and links: the views a reader asks for, with every sentence.

Agreement is shown per claim with the claims directly agreeing with it (one sentence per article),
the way corroboration counts it: agreement is not chained across the story. Items that quote the
same set of sentences are shown once, so a fact told by four articles is one item, not six pairs.
"""

from __future__ import annotations

from typing import Any


def claim_sections(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    claims = {c["id"]: c for c in report["claims"]}
    titles = {a["id"]: a["title"] or a["source"] for a in report["articles"]}

    def quote(cid: str) -> dict[str, Any]:
        c = claims[cid]
        return {"text": c["text"], "article": c["article"], "title": titles.get(c["article"], c["article"]), "opinion": c["opinion"]}

    neighbours: dict[str, set[str]] = {cid: set() for cid in claims}
    out: dict[str, list[dict[str, Any]]] = {"agreed": [], "contradictions": [], "changed": [], "single": []}
    for link in report["links"]:
        a, b = link["claims"]
        if link["kind"] == "agree":
            neighbours[a].add(b)
            neighbours[b].add(a)
        elif link["kind"] in ("contradict", "changed_over_time"):
            key = "contradictions" if link["kind"] == "contradict" else "changed"
            out[key].append({"explanation": link["explanation"], "score": link["score"], "quotes": [quote(a), quote(b)]})
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
