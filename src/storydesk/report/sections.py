"""Report sections built from claims and links: the views a reader asks for, with every sentence.

Agreement is shown per group (claims joined by agree links, each independent source once), so a
fact told by four articles is one item quoting four sentences, not six pairwise items.
"""

from __future__ import annotations

from typing import Any

from ..groups import UnionFind


def claim_sections(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    claims = {c["id"]: c for c in report["claims"]}
    titles = {a["id"]: a["title"] or a["source"] for a in report["articles"]}
    original = {a["id"]: a.get("copy_of") or a["id"] for a in report["articles"]}

    def quote(cid: str) -> dict[str, Any]:
        c = claims[cid]
        return {"text": c["text"], "article": c["article"], "title": titles.get(c["article"], c["article"]), "opinion": c["opinion"]}

    uf = UnionFind(claims)
    out: dict[str, list[dict[str, Any]]] = {"agreed": [], "contradictions": [], "changed": [], "single": []}
    for link in report["links"]:
        a, b = link["claims"]
        if link["kind"] == "agree":
            uf.union(a, b)
        elif link["kind"] in ("contradict", "changed_over_time"):
            key = "contradictions" if link["kind"] == "contradict" else "changed"
            out[key].append({"explanation": link["explanation"], "score": link["score"], "quotes": [quote(a), quote(b)]})
    for members in uf.groups().values():
        articles = {claims[m]["article"] for m in members}
        if len(members) > 1 and len(articles) > 1:
            sources = {original.get(claims[m]["article"], claims[m]["article"]) for m in members}
            first_per_article: dict[str, str] = {}
            for m in members:
                first_per_article.setdefault(claims[m]["article"], m)
            out["agreed"].append({"sources": len(sources), "quotes": [quote(m) for m in first_per_article.values()]})
    out["agreed"].sort(key=lambda g: -g["sources"])
    out["single"] = [quote(c["id"]) for c in report["claims"] if c["single_source"] and not c["opinion"]]
    return out
