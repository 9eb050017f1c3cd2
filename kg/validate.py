"""Check a built graph against paperkg's SHACL shapes (``ontology/shapes.ttl``).

The engine is pyshacl-turbo, a SHACL engine in Rust with pySHACL's API and reports: it reads
the Oxigraph store under a graph of ``kg.query.load_graph`` directly, so the 558-paper samples
are checked in well under a second instead of pySHACL's 15-30 s (docs/scaling.md); the tests
compare its reports with pySHACL's.

    >>> from kg.query import load_graph
    >>> report = validate(load_graph("output/graph.ttl"))
    >>> report.conforms, [problem.message for problem in report.problems]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl_turbo import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH, NamespaceManager
from rdflib.term import Node

from kg.domain import ONTOLOGY_FILE
from kg.store import oxigraph_store
from kg.namespaces import bind_prefixes
from kg.paths import ONTOLOGY_DIR
from kg.query import plain_term

#: The SHACL shapes of the graph.
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Problem:
    """One SHACL validation result: which node, which property, what is wrong."""

    focus_node: Node
    path: Node | None
    message: str
    severity: str = "Violation"
    value: Node | None = None

    def describe(self, namespace_manager: NamespaceManager | None = None) -> str:
        """One line: ``severity focus path: message (value ...)``, IRIs shortened with prefixes."""
        manager = namespace_manager or bind_prefixes(Graph()).namespace_manager
        parts = [self.severity, self.focus_node.n3(manager)]
        if self.path is not None:
            parts.append(self.path.n3(manager))
        line = " ".join(parts) + f": {self.message}"
        if self.value is not None and self.value != self.focus_node:
            line += f" (value {self.value.n3(manager)})"
        return line


@dataclass
class ValidationReport:
    """The outcome of ``validate``: ``conforms`` and the problems, sorted by node and path."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "Violation"]


def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    """The SHACL shapes graph at ``path``."""
    return Graph().parse(path, format="turtle")


def validate(graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``graph`` against ``shapes`` (paperkg's own by default), without inference.

    The ontology is mixed into (a copy of) the graph, so that shapes can read the class
    hierarchy: an entity's class is any subclass of ``pkg:Entity`` the ontology declares."""
    store = oxigraph_store(graph)
    conforms, results, _text = shacl_validate(
        # The store itself, when there is one: the engine reads it natively, where an rdflib
        # graph is first written out and parsed again in Python (10x the engine's time).
        store if store is not None else graph,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        ont_graph=ONTOLOGY_FILE,
        inference="none",
        advanced=True,
    )
    problems = [
        Problem(
            focus_node=results.value(result, SH.focusNode),
            path=results.value(result, SH.resultPath),
            message=" ".join(str(m) for m in sorted(results.objects(result, SH.resultMessage))),
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            value=plain_term(results.value(result, SH.value)),
        )
        for result in results.subjects(SH.resultSeverity, None)
    ]
    problems.sort(key=lambda p: (str(p.focus_node), str(p.path or ""), p.message, str(p.value or "")))
    return ValidationReport(conforms=bool(conforms), problems=problems)
