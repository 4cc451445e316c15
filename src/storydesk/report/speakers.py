"""Who said what, grouped by speaker: a reader looks a person up once and sees all they said.

A flat table of quotes repeats a name on every row and does not fit a phone; grouped, each speaker
is a heading (with their role where an article gives one) over their quotes, each quote linking to
its passage. Speakers resolved to the same entity are one group whatever the spelling; named
speakers come first by number of quotes, anonymous ones ("a source close to ...") last.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..labels import article_labels


def quote_groups(report: dict[str, Any]) -> list[dict[str, Any]]:
    """[{speaker, role, anonymous, quotes: [{text, kind, article, title, index, span, anchor}]}].

    `anchor` is `q-N`, N the quote's position in report["quotes"]: report.html puts that id at the
    start of the quoted passage, so the link lands on it.
    """
    labels = article_labels(report)
    index = {a["id"]: i for i, a in enumerate(report["articles"], 1)}
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for n, q in enumerate(report["quotes"]):
        key = f"entity:{q['speaker_entity']}" if q.get("speaker_entity") else "name:" + " ".join(q["speaker"].lower().split())
        groups.setdefault(key, []).append((n, q))
    out = []
    for members in groups.values():
        names = Counter(q["speaker"] for _, q in members)
        members.sort(key=lambda nq: (index.get(nq[1]["article"], 0), nq[1]["span"][0]))
        out.append({"speaker": names.most_common(1)[0][0],
                    "role": next((q["role"] for _, q in members if q.get("role")), None),
                    "anonymous": all(q.get("anonymous") for _, q in members),
                    "quotes": [{"text": q["text"], "kind": q["kind"], "article": q["article"], "title": labels.get(q["article"], q["article"]),
                                "index": index.get(q["article"], 0), "span": list(q["span"]), "anchor": f"q-{n}"} for n, q in members]})
    return sorted(out, key=lambda g: (g["anonymous"], -len(g["quotes"]), g["speaker"].lower()))


def quote_anchors(report: dict[str, Any]) -> dict[str, list[tuple[int, str]]]:
    """Article id -> [(quote start, anchor)]: where report.html puts each quote's link target."""
    out: dict[str, list[tuple[int, str]]] = {}
    for n, q in enumerate(report["quotes"]):
        out.setdefault(q["article"], []).append((q["span"][0], f"q-{n}"))
    return out
