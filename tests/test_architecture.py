"""The package's layout holds: imports run one way, from the commands down to the records, never in a
circle, and readers and writers share only what lies below both. docs/architecture.md draws it."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kg"

LAYERS = {
    # module or package prefix: its layer; a module may import only from its own layer or below.
    "kg.errors": 0, "kg.resources": 0, "kg.suggest": 0, "kg.progress": 0,
    "kg.vocabulary": 1, "kg.model": 1, "kg.humanize": 1, "kg.render": 1, "kg.csvlayout": 1, "kg.rdfterms": 1,
    "kg.files": 1, "kg.flows": 1,
    "kg.graph": 2,
    "kg.analysis": 3, "kg.loaders": 3, "kg.exporters": 3,
    "kg.view": 4, "kg.sparql": 4, "kg.push": 4, "kg.report": 4, "kg.audit": 4,
    "kg.cli": 5, "kg.__main__": 5, "kg": 5,
}
DELEGATIONS = {"kg.graph": ("kg.analysis", "kg.view")}
"""The one sanctioned upward call: KnowledgeGraph's methods delegate to the questions and the view,
importing them inside the method, never when kg.graph itself is imported."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, known: set[str], top_level_only: bool = False) -> set[str]:
    """The modules of ``kg`` a module imports when it runs, at its top or inside functions (or at its top
    only); imports made only for type checkers (under ``if TYPE_CHECKING:``) do not count."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "kg")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "kg":
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in known}


def import_graph() -> nx.DiGraph:
    found = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(found)
    for name, path in found.items():
        graph.add_edges_from((name, imported) for imported in imports_of(path, set(found)) if imported != name)
    return graph


def layer(name: str) -> int:
    """The layer of a module: that of the longest listed name it is or lies under (``kg`` itself is only
    the package's ``__init__``)."""
    prefix = max((p for p in LAYERS if name == p or (p != "kg" and name.startswith(p + "."))), key=len)
    return LAYERS[prefix]


def test_the_walker_sees_function_level_imports_and_skips_type_only_ones(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\nfrom kg.model import Deal\nif TYPE_CHECKING:\n"
                      "    from kg.graph import KnowledgeGraph\nelse:\n    import kg.errors\n"
                      "def f():\n    from kg import rdfterms\n    from kg.analysis import allies\n")
    assert imports_of(module, {"kg", "kg.model", "kg.graph", "kg.errors", "kg.rdfterms", "kg.analysis"}) == \
        {"kg.model", "kg.errors", "kg.rdfterms", "kg.analysis"}


def test_the_import_graph_sees_the_package():
    graph = import_graph()
    assert {"kg.loaders.data", "kg.analysis.money", "kg.exporters.rdf", "kg.graph"} <= set(graph)
    assert graph.has_edge("kg.loaders.data", "kg.model") and graph.has_edge("kg.graph", "kg.analysis")


def test_no_module_imports_another_in_a_circle():
    cycles = sorted(" -> ".join([*cycle, cycle[0]]) for cycle in nx.simple_cycles(import_graph()))
    assert not cycles, "import circles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("readers, writers", [("kg.loaders", "kg.exporters")])
def test_loaders_and_exporters_do_not_import_each_other(readers, writers):
    def inside(name: str, package: str) -> bool:
        return name == package or name.startswith(package + ".")

    crossing = [(a, b) for a, b in import_graph().edges
                if (inside(a, readers) and inside(b, writers)) or (inside(a, writers) and inside(b, readers))]
    assert not crossing, f"shared pieces belong below both: {crossing}"


def test_every_module_has_a_layer_and_imports_only_its_own_layer_or_below():
    graph = import_graph()
    unplaced = [name for name in graph if not any(name == p or (p != "kg" and name.startswith(p + ".")) for p in LAYERS)]
    assert not unplaced, f"give these modules a layer here and in docs/architecture.md: {unplaced}"
    upward = [(a, b) for a, b in graph.edges
              if layer(b) > layer(a) and not any(b == d or b.startswith(d + ".") for d in DELEGATIONS.get(a, ()))]
    assert not upward, f"imports that run upward (see docs/architecture.md): {upward}"


def test_delegations_are_made_inside_methods_only():
    known = set(modules())
    for module, delegates in DELEGATIONS.items():
        at_import = imports_of(modules()[module], known, top_level_only=True)
        assert not {name for name in at_import for d in delegates if name == d or name.startswith(d + ".")}
