"""Reliability as the report shows it: articles ranked, each flag with its sentence and the other side.

Works on the report dict (the JSON contract), not on model objects, so the HTML and Markdown writers
can call it the way they call `report.sections.claim_sections`. Nothing here escapes text: the
writers do that, as for every other piece of article text.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..labels import article_labels, flag_name


def reliability_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Articles by reliability rank (unassessed ones last), each with its flags; a flag carries
    `sentence` (the text of its span in its article, "" for page-level flags) next to `related`,
    and `name`, its kind in plain words. The weak-signals flag, if any, is `weak` (one line with a
    count on the pages, its sentences behind a <details>), not one of `flags`; `summary` names the
    flags in weight order (a kind flagged twice once, with its count), what a reader sees before
    opening the details."""
    texts = {a["id"]: a.get("text") or "" for a in report["articles"]}
    labels = article_labels(report)
    rows = []
    for art in report["articles"]:
        rel = art.get("reliability")
        if not rel:
            continue
        flags = []
        for f in rel["flags"]:
            span = f.get("span")
            sentence = texts.get(f["article"], "")[span[0] : span[1]] if span else ""
            related = [{**o, "title": labels.get(o["article"], o["article"]), "why_name": flag_name(o["kind"]) if o.get("kind") else ""}
                       for o in f.get("related") or []]
            flags.append({**f, "sentence": sentence, "name": flag_name(f["kind"]), "related": related})
        flags.sort(key=lambda f: (-f.get("weight", 0.0), f["kind"]))
        weak = next((f for f in flags if f["kind"] == "weak_signals"), None)
        strong = [f for f in flags if f is not weak]
        names = Counter(f["name"] for f in strong)
        summary = [f"{name} ({n})" if n > 1 else name for name, n in names.items()]
        summary += [f"{len(weak['related']) or 1} weak signal{'s' if len(weak['related']) != 1 else ''}"] if weak else []
        rows.append({"id": art["id"], "title": labels[art["id"]], "score": rel["score"], "rank": rel["rank"],
                     "judged": rel.get("judged", True), "checkable": rel.get("checkable"),
                     "flags": strong, "weak": weak, "summary": summary})
    return sorted(rows, key=lambda r: (r["rank"], r["id"]))
