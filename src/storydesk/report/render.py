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

from ..model import Story, story_to_dict


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text("utf-8"))


def validate_report(report: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a report breaks the contract."""
    import jsonschema

    jsonschema.validate(report, report_schema())


def build_report(story: Story) -> dict[str, Any]:
    report = story_to_dict(story)
    validate_report(report)
    return report


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "html": out_dir / "report.html", "md": out_dir / "report.md"}
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["html"].write_text(render_html(report), encoding="utf-8")
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    return paths


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("storydesk.report", "templates"), autoescape=select_autoescape(default=True))
    env.filters["paragraphs"] = lambda text: [p for p in text.split("\n\n") if p.strip()]
    return env


def render_html(report: dict[str, Any]) -> str:
    return _env().get_template("report.html.j2").render(r=report)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_escape(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def render_markdown(report: dict[str, Any]) -> str:
    lines = [f"# {md_escape(report['story']['name'])}", ""]
    arts = report["articles"]
    lines.append(f"{len(arts)} article(s).")
    lines.append("")
    for art in arts:
        lines.append(f"## {md_escape(art['title'] or art['source'])}")
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
