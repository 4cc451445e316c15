"""Reliability as the report shows it: articles ranked, each flag with its sentence and the other side.

Works on the report dict (the JSON contract), not on model objects, so the HTML and Markdown writers
can call it the way they call `report.sections.claim_sections`. Nothing here escapes text: the
writers do that, as for every other piece of article text.
"""

from __future__ import annotations

from typing import Any


def reliability_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Articles by reliability rank (unassessed ones last), each with its flags; a flag carries
    `sentence` (the text of its span in its article, "" for page-level flags) next to `related`."""
    texts = {a["id"]: a.get("text") or "" for a in report["articles"]}
    rows = []
    for art in report["articles"]:
        rel = art.get("reliability")
        if not rel:
            continue
        flags = []
        for f in rel["flags"]:
            span = f.get("span")
            sentence = texts.get(f["article"], "")[span[0] : span[1]] if span else ""
            flags.append({**f, "sentence": sentence})
        rows.append({"id": art["id"], "title": art.get("title") or art["source"], "score": rel["score"],
                     "rank": rel["rank"], "flags": sorted(flags, key=lambda f: (-f.get("weight", 0.0), f["kind"]))})
    return sorted(rows, key=lambda r: (r["rank"], r["id"]))
