"""What a batch run leaves in its output folder: `stories.json`, `errors.json` and `index.html`.

`stories.json` is the machine-readable list (one entry per story); each story's outputs are in its
own folder, `stories/<id>/`, the same files `analyze` writes (`service.publish`: report.json, .html,
.md and the exports); `errors.json` lists every failure, each document that could not be read and
each story whose analysis failed (with `story` and `title`); `index.html` is the same for people,
escaped like every other page since titles come from the articles.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_text

if TYPE_CHECKING:
    from .batch import BatchResult


def story_folder(out: Path, story_id: str) -> Path:
    """Where one story's outputs go; `story_entry`'s `report` points into it."""
    return out / "stories" / story_id


def story_entry(story_id: str, report: dict[str, Any], out: Path) -> dict[str, Any]:
    dates = sorted(a["published"] for a in report["articles"] if a.get("published"))
    return {
        "id": story_id,
        "title": report["story"]["name"],
        "articles": [a["source"] for a in report["articles"]] + [c for a in report["articles"] for c in a.get("copies", [])],
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "report": f"stories/{story_id}/report.json",
    }


def story_errors(result: BatchResult) -> list[dict[str, Any]]:
    """errors.json's entries for stories whose analysis failed: which story, why, and how to retry it
    (its articles are kept in the store)."""
    return [{"story": f["id"], "title": f["title"], "source": f"story {f['id']}",
             "errors": [f"{f['error']}; its articles are kept, run again with --resume to retry it"]}
            for f in result.failed_stories]


def write_outputs(out: Path, result: BatchResult) -> dict[str, Path]:
    from jinja2 import Environment, PackageLoader, select_autoescape

    paths = {"stories": out / "stories.json", "errors": out / "errors.json", "index": out / "index.html"}
    write_text(paths["stories"], json.dumps(result.stories, ensure_ascii=False, indent=2))
    write_text(paths["errors"], json.dumps(result.errors + story_errors(result), ensure_ascii=False, indent=2))
    env = Environment(loader=PackageLoader("storydesk.report", "templates"), autoescape=select_autoescape(default=True))
    html = env.get_template("stories.html.j2").render(stories=result.stories, errors=result.errors, failed=result.failed_stories)
    write_text(paths["index"], html)
    return paths
