"""Exports of a built graph to other tools' formats.

``export(graph, fmt, path)`` writes one of :data:`FORMATS` atomically:

- ``nt``: N-Triples, lines sorted; ``jsonld``: compact JSON-LD (RDF, lossless);
- ``graphml``, ``gexf``: the property graph through networkx (Gephi, Cytoscape, yEd);
- ``cypher``: a Cypher script for Neo4j 5 or FalkorDB (``dialect``);
- ``neo4j-csv``: a folder for ``neo4j-admin database import full``.

The four property-graph formats share one mapping (:mod:`kg.export.property_graph`).
Every format gives byte-identical output for the same graph.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from kg.export.cypher import DIALECTS, to_cypher
from kg.export.networkx_formats import to_gexf, to_graphml
from kg.export.neo4j_csv import to_neo4j_csv
from kg.export.property_graph import to_property_graph
from kg.export.rdf_formats import to_jsonld, to_ntriples
from kg.io import staged_files

#: format -> default file name (a folder for ``neo4j-csv``).
FORMATS: dict[str, str] = {
    "nt": "graph.nt",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "cypher": "graph.cypher",
    "neo4j-csv": "neo4j",
}
_SINGLE_FILE: dict[str, Callable[..., bytes]] = {
    "nt": lambda graph, dialect: to_ntriples(graph),
    "jsonld": lambda graph, dialect: to_jsonld(graph),
    "graphml": lambda graph, dialect: to_graphml(to_property_graph(graph)),
    "gexf": lambda graph, dialect: to_gexf(to_property_graph(graph)),
    "cypher": lambda graph, dialect: to_cypher(to_property_graph(graph), dialect),
}

__all__ = ["DIALECTS", "FORMATS", "export", "render"]


def render(graph: Graph, fmt: str, dialect: str = "neo4j") -> dict[str, bytes]:
    """The export in memory: file name -> bytes (one entry, or the files of ``neo4j-csv``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "neo4j-csv":
        return to_neo4j_csv(to_property_graph(graph))
    return {FORMATS[fmt]: _SINGLE_FILE[fmt](graph, dialect)}


def export(graph: Graph, fmt: str, path: Path, dialect: str = "neo4j") -> None:
    """Write ``graph`` as ``fmt`` to ``path`` (a folder for ``neo4j-csv``), atomically.

    ``dialect`` (``neo4j`` or ``falkordb``) only matters for ``cypher``. For ``neo4j-csv``,
    every file of the bundle is replaced together and bundle files of an earlier export that
    the new one does not have (labels no longer present) are removed.
    """
    path = Path(path)
    files = render(graph, fmt, dialect)
    if fmt != "neo4j-csv":
        ((_, data),) = files.items()
        destinations = {path: data}
    else:
        destinations = {path / name: data for name, data in files.items()}
    with staged_files(list(destinations)) as temps:
        for temp, data in zip(temps, destinations.values()):
            temp.write_bytes(data)
    if fmt == "neo4j-csv":
        for stale in [*path.glob("nodes_*.csv"), *path.glob("relationships_*.csv")]:
            if stale.name not in files:
                stale.unlink()
