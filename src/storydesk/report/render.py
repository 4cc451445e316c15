"""Report writers: JSON (the contract, validated against schema.json), HTML (Jinja2) and Markdown.

Article text is hostile input: HTML output goes through Jinja2 autoescaping only (no `|safe` on
anything that came from an article), and Markdown output escapes the characters Markdown would act on.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .. import labels
from ..atomic import write_text
from ..model import Story, story_to_dict


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text("utf-8"))


def validate_report(report: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a report breaks the contract: the error
    `jsonschema.validate` would raise (its best match), from a validator built once per process."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(report))
    if error is not None:
        raise error


@lru_cache(maxsize=1)
def _validator() -> Any:
    """The schema checked once, and its local `$ref`s replaced by what they name.

    `jsonschema.validate` checks the schema against its meta-schema on every call, and resolving a
    `$ref` goes through the reference registry at every node that uses one (every span, fact and
    date: tens of thousands in a 60-article report); inlined, the same rules cost a dict lookup."""
    import jsonschema

    schema = report_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """`node` with every `{"$ref": "#/$defs/NAME"}` replaced by the definition (the schema's
    definitions do not refer to themselves, so this ends)."""
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
        return _inline_refs(defs[ref[8:]], defs)
    return {k: _inline_refs(v, defs) for k, v in node.items()}


def build_report(story: Story) -> dict[str, Any]:
    report = story_to_dict(story)
    validate_report(report)
    return report


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "html": out_dir / "report.html", "md": out_dir / "report.md"}
    write_text(paths["json"], json.dumps(report, ensure_ascii=False, indent=2))
    write_text(paths["html"], render_html(report))
    write_text(paths["md"], render_markdown(report))
    return paths


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("storydesk.report", "templates"), autoescape=select_autoescape(default=True))
    env.filters["paragraphs"] = lambda text: [p for p in text.split("\n\n") if p.strip()]
    env.filters["quoted"] = labels.quoted
    return env


def entity_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Entities by total mentions, each with its mention count per article (1-based article index)."""
    index = {a["id"]: i for i, a in enumerate(report["articles"], 1)}
    rows = []
    for ent in report["entities"]:
        counts: dict[str, int] = {}
        for m in ent["mentions"]:
            counts[m["article"]] = counts.get(m["article"], 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: index.get(kv[0], 0))
        rows.append({**ent, "total": len(ent["mentions"]), "counts": [(index.get(a, 0), a, n) for a, n in ordered]})
    return sorted(rows, key=lambda r: (-r["total"], r["name"]))


def render_html(report: dict[str, Any]) -> str:
    from ..assess.view import reliability_rows
    from ..labels import article_labels
    from .chart import timeline_chart
    from .figures import disputed_figures
    from .sections import article_paragraphs, brief_view, claim_sections, story_counts
    from .speakers import quote_anchors, quote_groups

    sections = claim_sections(report)
    return _env().get_template("report.html.j2").render(
        r=report, entity_rows=entity_rows(report), sections=sections, reliability=reliability_rows(report),
        brief=brief_view(report), chart=timeline_chart(report), article_paragraphs=article_paragraphs,
        labels=article_labels(report), counts=story_counts(report, sections), figures=disputed_figures(report),
        speakers=quote_groups(report), quote_points=quote_anchors(report),
    )


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_escape(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", (text or "").replace("\n", " "))


def render_markdown(report: dict[str, Any]) -> str:
    from ..labels import article_labels
    from .sections import claim_sections, story_counts

    lines = [f"# {md_escape(report['story']['name'])}", ""]
    arts = report["articles"]
    index = {a["id"]: i for i, a in enumerate(arts, 1)}
    labels = article_labels(report)
    sections = claim_sections(report)
    c = story_counts(report, sections)
    lines.append(f"{c['articles']} article(s) · {c['claims']} claims · {c['agreed']} agreed by several sources · "
                 f"{c['contradictions']} contradiction(s) · {c['changed']} changed over time · {c['quotes']} quotes · "
                 f"{c['timeline']} timeline entries")
    lines.append("")
    lines += _brief_markdown(report, index)
    lines += _timeline_markdown(report, index)
    lines += _reliability_markdown(report, index)
    lines += _figures_markdown(report, index)
    if report["claims"]:
        lines += _claim_markdown(report, index)
    lines += _quotes_markdown(report)
    if report["entities"]:
        lines += ["## Entities", "", "| Name | Type | Mentions per article |", "|---|---|---|"]
        for e in entity_rows(report):
            counts = "; ".join(f"#{i}: {n}" for i, _, n in e["counts"])
            lines.append(f"| {md_escape(e['name'])} | {e['type']} | {counts} |")
        lines.append("")
    for art in arts:
        lines.append(f"## #{index[art['id']]} {md_escape(labels[art['id']])}")
        lines.append("")
        meta = [
            ("Source", art["source"]),
            ("Outlet", art["outlet"]),
            ("Published", f"{art['published']} ({art['date_source']})" if art["published"] else None),
            ("Byline", ", ".join(art["byline"])),
            ("Genre", f"{art['genre']}: {'; '.join(art['genre_evidence'])}"),
            ("Language", art["language"]),
        ]
        lines += [f"- **{k}:** {md_escape(v)}" for k, v in meta if v]
        lines += [f"- **Error:** {md_escape(e)}" for e in art["errors"]]
        text = art["text"]
        if text:
            first = text.split("\n\n")[0]
            lines += ["", "> " + md_escape(first[:600]) + (" …" if len(first) > 600 or "\n\n" in text else "")]
        lines.append("")
    return "\n".join(lines)


def _figures_markdown(report: dict[str, Any], index: dict[str, int]) -> list[str]:
    from .figures import disputed_figures

    rows = disputed_figures(report)
    if not rows:
        return []
    lines = ["## Disputed figures", "", "| Measure | Source | Value | Published |", "|---|---|---|---|"]
    for f in rows:
        measure = md_escape(f["measure"]) + (" (changed over time)" if f["kind"] == "changed_over_time" else "")
        for k, side in enumerate(f["sides"]):
            lines.append(f"| {measure if k == 0 else ''} | #{index.get(side['article'], '?')} {md_escape(side['title'])} | "
                         f"{md_escape(side['value'])} | {md_escape(side['published'] or 'undated')} |")
    return lines + [""]


def _quotes_markdown(report: dict[str, Any]) -> list[str]:
    from .speakers import quote_groups

    groups = quote_groups(report)
    if not groups:
        return []
    lines = ["## Who said what", ""]
    for g in groups:
        extra = " (anonymous)" if g["anonymous"] else ""
        extra += f", {md_escape(g['role'])}" if g["role"] else ""
        lines += [f"### {md_escape(g['speaker'])}{extra}", ""]
        for q in g["quotes"]:
            said = f"“{md_escape(q['text'])}”" if q["kind"] == "direct" else f"{md_escape(q['text'])} (reported)"
            lines.append(f"- {said} (#{q['index']} {md_escape(q['title'])})")
        lines.append("")
    return lines


def _brief_markdown(report: dict[str, Any], index: dict[str, int]) -> list[str]:
    """The brief with numbered citations, and the cited spans listed under it."""
    from .sections import brief_view

    view = brief_view(report)
    if not view["sentences"]:
        return []
    texts = {a["id"]: a["text"] for a in report["articles"]}
    lines, notes = ["## Brief", ""], []
    for i, b in enumerate(view["sentences"], 1):
        lines.append(f"{i}. {md_escape(b['text'])} " + "".join(f"\\[{c['n']}\\]" for c in b["refs"]))
    for b, raw in zip(view["sentences"], report["brief"]):
        for c, cite in zip(b["refs"], raw["citations"]):
            span = texts.get(cite["article"], "")[cite["span"][0] : cite["span"][1]]
            notes.append(f"- \\[{c['n']}\\] #{c['index']} {md_escape(c['title'])}: “{md_escape(span)}”")
    return lines + ["", *notes, ""]


def _timeline_markdown(report: dict[str, Any], index: dict[str, int]) -> list[str]:
    if not report["timeline"]:
        return []

    def line(e: dict[str, Any]) -> str:
        sources = ", ".join(f"#{index.get(a, '?')}" for a in e["sources"])
        when = f"**{e['date']}** ({e['precision']}): " if e["date"] else ""
        disputed = " (disputed: only unreliable sources)" if e["disputed"] else ""
        return f"- {when}{md_escape(e['event'])} (sources {sources}){disputed}"

    dated = [line(e) for e in report["timeline"] if e["date"]]
    undated = [line(e) for e in report["timeline"] if not e["date"]]
    lines = ["## Timeline", "", *dated]
    if undated:
        lines += ["", "Undated:", "", *undated]
    return lines + [""]


def _claim_markdown(report: dict[str, Any], index: dict[str, int]) -> list[str]:
    from .sections import claim_sections

    sec = claim_sections(report)

    def quoted(items: list[dict[str, Any]]) -> list[str]:
        return [f"  - “{md_escape(q['text'])}” (#{index.get(q['article'], '?')}{', opinion' if q['opinion'] else ''})" for q in items]

    lines = ["## Agreed by several sources", ""]
    for g in sec["agreed"]:
        lines += [f"- {g['sources']} independent sources", *quoted(g["quotes"])]
    for title, key in (("Contradictions", "contradictions"), ("Changed over time", "changed")):
        lines += ["", f"## {title}", ""]
        for c in sec[key]:
            lines += [f"- {md_escape(c['explanation'])}", *quoted(c["quotes"])]
    lines += ["", "## Only one source", "", *quoted(sec["single"]), ""]
    return lines


def _reliability_markdown(report: dict[str, Any], index: dict[str, int]) -> list[str]:
    from ..assess.view import reliability_rows

    rows = reliability_rows(report)
    if not rows:
        return []
    lines = ["## Reliability", ""]
    for row in rows:
        shown = f"{row['score']:.2f}" if row.get("judged", True) else "not enough to judge"
        lines.append(f"{row['rank']}. {md_escape(row['title'])} (#{index.get(row['id'], '?')}): {shown}")
        for f in row["flags"]:
            lines.append(f"   - **{md_escape(f['name'])}**: {md_escape(f['explanation'])}")
            if f["sentence"]:
                lines.append(f"     “{md_escape(f['sentence'])}”")
            for o in f.get("related", []):
                label = "other source" if o["article"] != f["article"] else "sentence"
                lines.append(f"     - {label} (#{index.get(o['article'], '?')}): “{md_escape(o.get('text'))}”")
        if row["weak"]:
            n = len(row["weak"]["related"])
            lines.append(f"   - {n} weak signal{'s' if n != 1 else ''}, each too weak to flag alone (listed in report.html and report.json)")
    return lines + [""]
