"""Exports to the formats other newsroom tools already read, built from the report dict alone.

- FollowTheMoney entities (JSON lines), so a story's articles, people, organisations, mentions and
  dated events load into Aleph, Datashare or OpenSanctions' tooling without a custom importer.
- schema.org ClaimReview JSON-LD, so the corroboration verdicts travel to fact-checking tools.

Pure functions over the validated report: the exports can be rebuilt from any stored run, and they
never see anything the JSON report does not show. Ids are hashes of report ids, so re-exporting the
same report gives the same FtM ids and Aleph updates entities instead of duplicating them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..atomic import write_text
from ..model import link_pairs, stable_id

# The FtM schemata we emit and the properties we fill on each: a subset of the published schema
# (followthemoney/schema/*.yaml), kept here so tests can check every property name we write.
FTM_PROPERTIES: dict[str, frozenset[str]] = {
    "Article": frozenset({"name", "title", "publishedAt", "author", "publisher", "sourceUrl", "fileName", "bodyText", "language"}),
    "Person": frozenset({"name", "alias", "position", "proof"}),
    "Organization": frozenset({"name", "alias", "proof"}),
    "LegalEntity": frozenset({"name", "alias", "proof"}),
    "Mention": frozenset({"document", "resolved", "name", "detectedSchema"}),
    "Event": frozenset({"name", "description", "date", "startDate", "endDate", "proof", "sourceUrl", "involved"}),
}

# spaCy label -> FtM schema. GPEs become LegalEntity (a state or city acting as a party: "Japan
# said"), the most specific schema that Mention.resolved and Event.involved (range LegalEntity)
# accept. LOC/FAC become unresolved Mentions (FtM's Address is no LegalEntity); NORP ("Japanese")
# and the rest are descriptors, not parties, and are left out.
ENTITY_SCHEMA = {"PERSON": "Person", "ORG": "Organization", "GPE": "LegalEntity"}
UNRESOLVED_SCHEMA = {"LOC": "Address", "FAC": "Address"}

# FtM's language type holds ISO 639-3 codes; the report keeps ISO 639-1. Unknown codes are dropped.
_ISO639_3 = {
    "en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld", "ru": "rus",
    "uk": "ukr", "pl": "pol", "ar": "ara", "zh": "zho", "ja": "jpn", "ko": "kor", "tr": "tur", "sv": "swe",
}
_FTM_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_EVENT_NAME_CHARS = 200


def _fid(schema: str, *key: str) -> str:
    return stable_id("ftm", schema, *key, length=40)


def _entity(schema: str, fid: str, props: dict[str, list[Any]]) -> dict[str, Any]:
    clean: dict[str, list[str]] = {}
    for prop, values in props.items():
        seen = list(dict.fromkeys(str(v).strip() for v in values if v is not None and str(v).strip()))
        if seen:
            clean[prop] = seen
    return {"id": fid, "schema": schema, "properties": clean}


def to_ftm(report: dict[str, Any]) -> list[dict[str, Any]]:
    """FtM entities: Article per article, Person/Organization/LegalEntity per resolved entity,
    a Mention per (entity, article), and an Event per dated timeline entry (per dated time expression
    in reports made before the timeline existed). Values are string lists."""
    arts = {a["id"]: a for a in report["articles"]}
    art_fid = {aid: _fid("Article", aid) for aid in arts}
    out = [_article(a, art_fid[a["id"]]) for a in report["articles"]]

    positions: dict[str, list[str]] = {}
    for q in report["quotes"]:
        if q.get("speaker_entity") and q.get("role"):
            positions.setdefault(q["speaker_entity"], []).append(q["role"])

    ent_fid: dict[str, str] = {}
    mentions: list[dict[str, Any]] = []
    for ent in report["entities"]:
        schema = ENTITY_SCHEMA.get(ent["type"])
        detected = schema or UNRESOLVED_SCHEMA.get(ent["type"])
        if detected is None:
            continue
        names_by_article: dict[str, list[str]] = {}
        for m in ent["mentions"]:
            if m["article"] in arts:
                start, end = m["span"]
                names_by_article.setdefault(m["article"], []).append(arts[m["article"]]["text"][start:end])
        if schema:
            fid = ent_fid[ent["id"]] = _fid(schema, ent["id"])
            props: dict[str, list[Any]] = {"name": [ent["name"]], "alias": ent["aliases"], "proof": [art_fid[a] for a in names_by_article]}
            if schema == "Person":
                props["position"] = positions.get(ent["id"], [])
            out.append(_entity(schema, fid, props))
        for aid, names in names_by_article.items():
            mprops: dict[str, list[Any]] = {"document": [art_fid[aid]], "name": names or [ent["name"]], "detectedSchema": [detected]}
            if schema:
                mprops["resolved"] = [ent_fid[ent["id"]]]
            mentions.append(_entity("Mention", _fid("Mention", ent["id"], aid), mprops))
    out += mentions
    out += _events(report, arts, art_fid, ent_fid)
    return out


def _article(a: dict[str, Any], fid: str) -> dict[str, Any]:
    url = a.get("url") if (a.get("url") or "").lower().startswith(("http://", "https://")) else None
    return _entity("Article", fid, {
        "name": [a["title"] or a["source"]],
        "title": [a["title"]],
        "publishedAt": [a["published"]],
        "author": a["byline"],
        "publisher": [a["outlet"]],
        "sourceUrl": [url],
        "fileName": [] if url or "://" in a["source"] else [Path(a["source"]).name],
        "bodyText": [a["text"]],
        "language": [_ISO639_3.get(a["language"] or "")],
    })


def _events(report: dict[str, Any], arts: dict[str, Any], art_fid: dict[str, str], ent_fid: dict[str, str]) -> list[dict[str, Any]]:
    """One Event per dated timeline entry: an event told by three sources is one Event with three
    proofs, and its entities are `involved`. Undated entries are left out (FtM has no undated event)."""
    if not report.get("timeline"):
        return _time_events(report, arts, art_fid, ent_fid)
    out = []
    for entry in report["timeline"]:
        sources = [a for a in entry["sources"] if a in arts]
        if not entry["date"] or not _FTM_DATE.match(entry["date"]) or not sources:
            continue
        text = entry["event"]
        props: dict[str, list[Any]] = {
            "name": [text if len(text) <= _EVENT_NAME_CHARS else text[: _EVENT_NAME_CHARS - 1] + "…"],
            "description": [text],
            "date": [entry["date"]],
            "proof": [art_fid[a] for a in sources],
            "sourceUrl": [arts[a].get("url") for a in sources if (arts[a].get("url") or "").lower().startswith(("http://", "https://"))],
            "involved": [ent_fid[e] for e in entry["entities"] if e in ent_fid],
        }
        first = entry["evidence"][0]
        out.append(_entity("Event", _fid("Event", first["article"], *map(str, first["span"]), entry["date"]), props))
    return out


def _time_events(report: dict[str, Any], arts: dict[str, Any], art_fid: dict[str, str], ent_fid: dict[str, str]) -> list[dict[str, Any]]:
    """Dated time expressions; the parties whose mentions fall inside the dated sentence are `involved`."""
    inside: dict[str, list[tuple[int, str]]] = {}
    for ent in report["entities"]:
        if ent["id"] in ent_fid:
            for m in ent["mentions"]:
                inside.setdefault(m["article"], []).append((m["span"][0], ent_fid[ent["id"]]))
    out = []
    for item in report["times"]:
        dates = (item.get("date") or "").split("/")
        if item["article"] not in arts or not all(_FTM_DATE.match(d) for d in dates):
            continue
        sentence = item.get("sentence") or item["text"]
        start, end = item.get("sentence_span") or item["span"]
        props: dict[str, list[Any]] = {
            "name": [sentence if len(sentence) <= _EVENT_NAME_CHARS else sentence[: _EVENT_NAME_CHARS - 1] + "…"],
            "description": [sentence],
            "proof": [art_fid[item["article"]]],
            "sourceUrl": [arts[item["article"]].get("url")],
            "involved": [fid for pos, fid in inside.get(item["article"], []) if start <= pos < end],
        }
        if len(dates) == 2:
            props["startDate"], props["endDate"] = [dates[0]], [dates[1]]
        else:
            props["date"] = dates
        out.append(_entity("Event", _fid("Event", item["article"], *map(str, item["span"]), item["date"]), props))
    return out


# Verdict -> (rating value on a 1..3 scale, label). The scale says how well the story's own sources
# back a claim, not whether it is true: StoryDesk cannot check facts outside the pile it was given.
VERDICTS = {
    "supported": (3, "Supported by {n} independent sources"),
    "single": (2, "Single source"),
    "changed": (2, "Reported differently over time"),
    "contradicted": (1, "Contradicted by other sources"),
}


def claim_verdicts(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Claim id -> {"verdict", "sources", "explanations", "related"} for claims with a verdict.

    A contradiction outranks a change over time, which outranks agreement; opinions stated by one
    source get no verdict (there is nothing to corroborate). Copies of one article count once.
    """
    original = {a["id"]: a.get("copy_of") or a["id"] for a in report["articles"]}
    linked: dict[str, dict[str, list[str]]] = {}
    for link in report["links"]:
        if link["kind"] in ("contradict", "changed_over_time"):
            for cid, other in [p for pair in link_pairs(link["claims"], link.get("sides")) for p in (pair, pair[::-1])]:
                slot = linked.setdefault(cid, {"kinds": [], "explanations": [], "related": []})
                slot["kinds"].append(link["kind"])
                slot["explanations"].append(link["explanation"])
                slot["related"].append(other)
    out: dict[str, dict[str, Any]] = {}
    for c in report["claims"]:
        own = original.get(c["article"], c["article"])
        sources = len({own} | {original.get(s, s) for s in c.get("agreeing_sources", [])})
        entry = linked.get(c["id"])
        if entry:
            verdict = "contradicted" if "contradict" in entry["kinds"] else "changed"
        elif sources > 1:
            verdict = "supported"
        elif c.get("single_source") and not c.get("opinion"):
            verdict = "single"
        else:
            continue
        out[c["id"]] = {"verdict": verdict, "sources": sources,
                        "explanations": entry["explanations"] if entry else [], "related": entry["related"] if entry else []}
    return out


def to_claimreview(report: dict[str, Any]) -> list[dict[str, Any]]:
    """schema.org ClaimReview objects, one per claim with a verdict, each a standalone JSON-LD node."""
    arts = {a["id"]: a for a in report["articles"]}
    verdicts = claim_verdicts(report)
    out = []
    for c in report["claims"]:
        v = verdicts.get(c["id"])
        if v is None:
            continue
        art = arts.get(c["article"], {})
        value, label = VERDICTS[v["verdict"]]
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": art.get("url") or art.get("source")}
        if art.get("title"):
            appearance["headline"] = art["title"]
        if art.get("published"):
            appearance["datePublished"] = art["published"]
        if art.get("outlet"):
            appearance["publisher"] = {"@type": "Organization", "name": art["outlet"]}
        if art.get("byline"):
            appearance["author"] = [{"@type": "Person", "name": name} for name in art["byline"]]
        explanation = list(v["explanations"])
        reliability = art.get("reliability")
        if isinstance(reliability, dict) and reliability.get("score") is not None:
            explanation.append(f"source reliability {reliability['score']:.2f} (rank {reliability.get('rank', '?')} of {len(arts)})")
        rating: dict[str, Any] = {"@type": "Rating", "ratingValue": value, "bestRating": 3, "worstRating": 1,
                                  "alternateName": label.format(n=v["sources"])}
        if explanation:
            rating["ratingExplanation"] = "; ".join(explanation)
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": c["text"],
            "itemReviewed": {"@type": "Claim", "appearance": appearance},
            "reviewRating": rating,
            "author": {"@type": "Organization", "name": "StoryDesk (automated)"},
        })
    return out


def write_exports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write report.ftm.jsonl and claimreview.jsonld beside the other reports."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"ftm": out_dir / "report.ftm.jsonl", "claimreview": out_dir / "claimreview.jsonld"}
    lines = (json.dumps(e, ensure_ascii=False, sort_keys=True) for e in to_ftm(report))
    write_text(paths["ftm"], "".join(line + "\n" for line in lines))
    write_text(paths["claimreview"], json.dumps(to_claimreview(report), ensure_ascii=False, indent=2))
    return paths
