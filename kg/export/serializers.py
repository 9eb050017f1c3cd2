"""paperkg's exports as rdflib serializer plugins.

pyproject.toml registers each class here under ``rdf.plugins.serializer``, so once paperkg
is installed any rdflib ``Graph`` writes them, with no import of ``kg``:

    >>> from rdflib import Graph
    >>> graph = Graph().parse("output/graph.ttl")
    >>> script = graph.serialize(format="cypher", dialect="falkordb")
    >>> graph.serialize("graph.graphml", format="graphml")

A new format is a :class:`GraphExport` subclass here plus its entry point; ``kg export``
lists and writes whatever the registry holds (:mod:`kg.export`).
"""

from __future__ import annotations

from typing import IO, ClassVar

from rdflib import Graph
from rdflib.serializer import Serializer

from kg.export.cypher import DIALECTS, to_cypher
from kg.export.networkx_formats import to_gexf, to_graphml
from kg.export.property_graph import to_property_graph
from kg.export.rdf_formats import to_jsonld, to_ntriples


class GraphExport(Serializer):
    """A paperkg export: the same bytes for the same graph, whatever its store."""

    #: The file ``kg export`` writes by default.
    file_name: ClassVar[str]

    def render(self, graph: Graph, **options: str) -> bytes:
        raise NotImplementedError

    def serialize(self, stream: IO[bytes], base: str | None = None, encoding: str | None = None, **args: str) -> None:
        if encoding not in (None, "utf-8"):
            raise ValueError(f"{type(self).__name__} writes UTF-8 only, not {encoding}")
        stream.write(self.render(self.store, **args))


class SortedNTriples(GraphExport):
    """N-Triples, lines sorted (RDF)."""

    file_name = "graph.nt"

    def render(self, graph: Graph, **options: str) -> bytes:
        return to_ntriples(graph)


class CompactJSONLD(GraphExport):
    """JSON-LD with a compact @context (RDF)."""

    file_name = "graph.jsonld"

    def render(self, graph: Graph, **options: str) -> bytes:
        return to_jsonld(graph)


class GraphML(GraphExport):
    """GraphML for yEd, Cytoscape, igraph."""

    file_name = "graph.graphml"

    def render(self, graph: Graph, **options: str) -> bytes:
        return to_graphml(to_property_graph(graph))


class GEXF(GraphExport):
    """GEXF for Gephi."""

    file_name = "graph.gexf"

    def render(self, graph: Graph, **options: str) -> bytes:
        return to_gexf(to_property_graph(graph))


class Cypher(GraphExport):
    """Cypher script for Neo4j 5 (``dialect="falkordb"``: FalkorDB)."""

    file_name = "graph.cypher"

    def render(self, graph: Graph, dialect: str = "neo4j", **options: str) -> bytes:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown Cypher dialect {dialect!r}; choose one of: {', '.join(DIALECTS)}")
        return to_cypher(to_property_graph(graph), dialect)
