"""The "disputed figures" table: each contradiction or change over time that names what differs.

A link with a `slot` and one value per claim (see `model.ClaimLink`) is a figure the sources state
differently: a number, a year, a date, a place. The reader wants it as a row: what is measured, then
each source's value and the date that source was published, so "47,000 in A (2016) vs 50,000 in B
(2018)" reads at a glance without opening either article. Links without values (a plain negation)
stay in the contradictions list only.
"""

from __future__ import annotations

import re
from typing import Any

from ..labels import article_labels, counted

_STATED_ON = re.compile(r"\s*\(\d{4}(?:-\d{2}){0,2}\)\s*$")  # "47,000 troops (2016-11-16)": the date is a column
_QUOTED = re.compile(r"^['\"‘“](.*)['\"’”]$")
SLOT_NAMES = {"number": "a figure", "date": "a date", "place": "a place", "actor": "who acted", "role": "a role", "event": "what happened"}


def value_text(value: str) -> str:
    """A link's value as shown in a cell: without the statement date (it has a column) or quote marks."""
    v = _STATED_ON.sub("", value.strip())
    m = _QUOTED.match(v)
    return m.group(1) if m else v


def measure(link: dict[str, Any], claims: dict[str, dict[str, Any]], report: dict[str, Any]) -> str:
    """What the figure measures: an attribute's name ("year of the treaty"), else the subject of the
    first side's quantity ("number of US troops"), else the explanation's head when it holds no value,
    else the slot in words."""
    facts = {f["id"]: f for f in report.get("facts") or [] if f["id"] in set(link.get("facts") or [])}
    for f in facts.values():
        if f.get("event_class") == "attribute" and f.get("participants"):
            thing = f["participants"][0]["text"]
            return counted(thing) if f["predicate"] == "count" else f"{f['predicate']} of the {thing}"
    quantities = report.get("quantities") or []
    first = claims.get(link["claims"][0], {})
    for i in first.get("quantities") or []:
        q = quantities[i] if 0 <= i < len(quantities) else {}
        if q.get("subject") and q.get("text") and value_text(link["values"][0]).startswith(q["text"]):
            return f"number of {q['subject']}"
    head = link["explanation"].split(": ", 1)[0]
    if ": " in link["explanation"] and len(head) <= 60 and not any(value_text(v) in head for v in link["values"]):
        return head[:1].lower() + head[1:]
    return SLOT_NAMES.get(link.get("slot") or "", link.get("slot") or "a detail")


def disputed_figures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows {measure, kind, explanation, sides: [{article, title, value, published, span}]}, in report
    order; each row's sides oldest first (undated last), so a change over time reads forward."""
    claims = {c["id"]: c for c in report["claims"]}
    arts = {a["id"]: a for a in report["articles"]}
    labels = article_labels(report)
    rows = []
    for link in report["links"]:
        values = link.get("values") or []
        if link["kind"] not in ("contradict", "changed_over_time") or not link.get("slot") or len(values) != len(link["claims"]):
            continue
        if not all(c in claims for c in link["claims"]):
            continue
        sides = []
        for cid, value in zip(link["claims"], values):
            c = claims[cid]
            sides.append({"article": c["article"], "title": labels.get(c["article"], c["article"]), "value": value_text(value),
                          "published": (arts.get(c["article"]) or {}).get("published"), "span": list(c["span"])})
        sides.sort(key=lambda side: (side["published"] is None, side["published"] or ""))  # in the order they were published
        rows.append({"measure": measure(link, claims, report), "kind": link["kind"], "explanation": link["explanation"], "sides": sides})
    return rows
