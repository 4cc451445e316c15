"""The shape of the code base, checked: no import cycle inside the package (at module level, nor
through a function's lazy import), and every command-line option and API endpoint a user can reach
is in the README."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "storydesk").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _statements(tree: ast.Module, lazy: bool) -> list[ast.stmt]:
    """The module's top-level statements, or with `lazy` every statement (functions' bodies too)
    except those under `if TYPE_CHECKING:`, which never run."""
    if not lazy:
        return tree.body
    out: list[ast.stmt] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo += node.orelse
            continue
        if isinstance(node, ast.stmt):
            out.append(node)
        todo += list(ast.iter_child_nodes(node))
    return out


def _imports(name: str, path: Path, modules: dict[str, Path], lazy: bool = False) -> set[str]:
    """Package modules imported at module level, or with `lazy` anywhere (a function's lazy import
    is not a cycle at import, but two modules that need each other are one module in two files)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in _statements(ast.parse(path.read_text("utf-8")), lazy):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                target = f"{module}.{alias.name}"
                out.add(target if target in modules else module)
        elif isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
    return {m for m in out if m in modules and m != name}


@pytest.mark.parametrize("lazy", [False, True], ids=["module-level", "with-lazy-imports"])
def test_no_import_cycle_inside_the_package(lazy: bool):
    modules = _modules()
    graph = {name: _imports(name, path, modules, lazy) for name, path in modules.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, [" -> ".join(c) for c in cycles]
    assert len(graph) > 50 and graph["storydesk.pipeline"]  # the walk saw the package and its imports


def test_every_cli_option_is_in_the_readme():
    import typer

    from storydesk.cli import app

    group = typer.main.get_command(app)
    missing = []
    for name, command in group.commands.items():
        if f"storydesk {name}" not in README:
            missing.append(name)
        missing += [f"{name} {opt}" for p in command.params if not getattr(p, "hidden", False)
                    for opt in p.opts if opt.startswith("--") and opt not in README]
    assert not missing, f"not in the README: {missing}"


def test_every_api_endpoint_is_in_the_readme(tmp_path: Path):
    from storydesk.web import create_app

    app = create_app(f"sqlite:///{tmp_path / 'routes.db'}", token="")
    names = {"{story_id}": "{id}", "{article_id}": "{article}", "{job_id}": "{job}"}
    missing = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if not path.startswith("/api"):
            continue
        shown = re.sub(r"\{\w+\}", lambda m: names.get(m.group(0), m.group(0)), path)
        rest = shown.removeprefix("/api/stories/{id}/")
        # the README abbreviates a story's reading endpoints as "…/claims", "…/export/ftm"
        if shown not in README and not (rest != shown and f"\u2026/{rest.split('/{')[0]}" in README):
            missing.append(f"{sorted(route.methods)} {path}")
    assert not missing, f"not in the README: {missing}"


def test_every_module_is_in_the_readme_module_map():
    section = README.split("## Module map", 1)[1].split("\n## ", 1)[0]
    missing = [p.relative_to(SRC / "storydesk").as_posix() for p in (SRC / "storydesk").rglob("*.py")
               if f"`{p.relative_to(SRC / 'storydesk').as_posix()}`" not in section]
    assert not missing, f"not in the README's module map: {missing}"
