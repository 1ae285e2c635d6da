"""The dependency rule, read from the source with ``ast``: core ← apps ← composition.

Layers of the project's packages:

- the core: ``greenjobs/core/``, ``greenjobs/models.py``, ``greenjobs/templatetags/``; it imports no app,
  nothing of the discovery layer and no composition module;
- the discovery layer: ``greenjobs/discovery/``, ``greenjobs/management/``; it imports the core only, and
  knows apps through the registry;
- each app (a top-level package with ``apps.py`` other than ``greenjobs``); it imports the core and itself;
- the composition: every other module of ``greenjobs`` (settings, URLconf, WSGI, ...); it may import anything.

The core and the discovery layer may not name an app by string either: no ``"cases.CaseStory"`` label,
``"cases:detail"`` URL name, ``"/cases/"`` path, or label (``get_model("cases", ...)``).
"""

from __future__ import annotations

import ast
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

CORE = "greenjobs.core"
DISCOVERY = "greenjobs.discovery"
COMPOSITION = "greenjobs"
SKIPPED_DIRS = {"migrations", "node_modules", "__pycache__", "media", "staticfiles", "static", "templates"}
NAMES = {CORE: "the core", DISCOVERY: "the discovery layer", COMPOSITION: "the composition (greenjobs)"}


def described(package: str, *, subject: bool = False) -> str:
    return NAMES.get(package, f"the app {package!r}" if subject else f"an app ({package})")


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the root
    line: int
    target: str  # the imported module, resolved


def app_labels(root: Path) -> list[str]:
    """The apps: top-level packages with an ``apps.py``, other than ``greenjobs``."""
    return sorted(path.parent.name for path in root.glob("*/apps.py") if path.parent.name != COMPOSITION)


def python_files(root: Path) -> dict[str, Path]:
    """Module name -> file, for every Python module below ``root`` but migrations and hidden or built folders."""
    found = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not (name.startswith(".") or name.endswith(".egg-info") or name in SKIPPED_DIRS)
        )
        for name in sorted(files):
            if name.endswith(".py"):
                parts = (Path(folder) / name).relative_to(root).with_suffix("").parts
                module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                if module:
                    found[module] = Path(folder) / name
    return found


def layer(module: str, apps: list[str]) -> str | None:
    """The package of the dependency graph that ``module`` belongs to; None outside the layers."""
    top = module.split(".", maxsplit=1)[0]
    if top in apps:
        return top
    if top != COMPOSITION:
        return None
    if module == "greenjobs.models" or _under(module, CORE) or _under(module, "greenjobs.templatetags"):
        return CORE
    if _under(module, DISCOVERY) or _under(module, "greenjobs.management"):
        return DISCOVERY
    return COMPOSITION


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def allowed(source: str, target: str) -> bool:
    """Whether a module of layer ``source`` may import one of layer ``target``."""
    if source == COMPOSITION:
        return True
    if source == DISCOVERY:
        return target in {CORE, DISCOVERY}
    return target in {CORE, source}  # the core, or an app: itself and the core


def imports(module: str, path: Path, tree: ast.Module, known: set[str], root: Path) -> list[Import]:
    """Every import of the file, at module level or inside functions, relative ones resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    relative = str(path.relative_to(root))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(relative, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                found.append(Import(relative, node.lineno, target))
    return sorted(set(found), key=lambda found: (found.line, found.target))


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes: prose may mention an app."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def names_by_string(tree: ast.Module, apps: list[str]) -> list[tuple[int, str]]:
    """(line, text) of the strings that name an app: its label (``get_model("cases", ...)``), a model label
    (``"cases.CaseStory"``), a URL name (``"cases:detail"``) or a path (``"/cases/"``); docstrings are left alone."""
    skip = _docstrings(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if any(text == app or text.startswith((f"{app}.", f"{app}:", f"/{app}/")) for app in apps):
                found.add((node.lineno, repr(text)))
    return sorted(found)


Graph = dict[str, dict[str, Import]]  # package -> imported package -> one import that makes the edge


def check(root: Path) -> tuple[list[str], Graph]:
    """The rule's violations, one line each, and the package graph (for the cycle check)."""
    apps = app_labels(root)
    modules = python_files(root)
    violations, graph = [], defaultdict(dict)
    for module, path in modules.items():
        source = layer(module, apps)
        if source is None:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for found in imports(module, path, tree, set(modules), root):
            target = layer(found.target, apps)
            if target is None:
                continue
            if target != source:
                graph[source].setdefault(target, found)
            if not allowed(source, target):
                rule = f"{described(source, subject=True)} may not import {described(target)}"
                violations.append(f"{found.path}:{found.line} imports {found.target}: {rule}")
        if source in {CORE, DISCOVERY}:
            violations += [
                f"{path.relative_to(root)}:{line} names an app by string, {text}: {NAMES[source]} knows apps "
                "only through the registry"
                for line, text in names_by_string(tree, apps)
            ]
    return violations, graph


def cycles(graph: Graph) -> list[str]:
    """The cycles of the package graph, each with one import per step."""
    found = []
    for component in _strongly_connected(graph):
        if len(component) > 1:
            steps = [
                f"{edge.path}:{edge.line} imports {edge.target}"
                for source in sorted(component)
                for target, edge in sorted(graph[source].items())
                if target in component
            ]
            found.append(f"cycle between {', '.join(sorted(component))}: " + "; ".join(steps))
    return found


def _strongly_connected(graph: Graph) -> list[set[str]]:
    """Tarjan's algorithm: the sets of packages that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components
