"""Exports of a built graph to other tools' formats.

Every RDF serializer in rdflib's plugin registry is a format of ``export(graph, fmt, path)``:
paperkg's own (:mod:`kg.export.serializers`, registered by entry points) and rdflib's and
other packages' (``turtle``, ``xml``, ``ox-turtle``, ...). paperkg's own give byte-identical
output for the same graph, whatever its store:

- ``nt``: N-Triples, lines sorted; ``jsonld``: compact JSON-LD (RDF, lossless);
- ``graphml``, ``gexf``: the property graph through networkx (Gephi, Cytoscape, yEd);
- ``cypher``: a Cypher script for Neo4j 5 or FalkorDB (``dialect``);
- ``neo4j-csv``: a folder for ``neo4j-admin database import full`` (not a serializer: many files).

The four property-graph formats share one mapping (:mod:`kg.export.property_graph`).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, plugin
from rdflib.serializer import Serializer
from rdflib.util import SUFFIX_FORMAT_MAP

from kg.export.cypher import DIALECTS
from kg.export.neo4j_csv import to_neo4j_csv
from kg.export.property_graph import to_property_graph
from kg.export.serializers import GraphExport
from kg.io import staged_files

#: ``kg export``'s name for a plugin registered under another: rdflib's own ``nt`` writes
#: triples in store order (and Oxigraph's ``xsd:string`` typed), paperkg's is sorted.
EXPORT_NAMES = {"nt-sorted": "nt"}
#: Formats written as a folder of files, with the folder's default name.
FOLDER_FORMATS = {"neo4j-csv": "neo4j"}

__all__ = ["DIALECTS", "FORMATS", "default_name", "export", "own_formats", "render", "serializer_formats"]


def serializer_formats() -> dict[str, str]:
    """Every RDF serializer rdflib's registry holds: export name -> plugin name (MIME type
    names left out), paperkg's own first."""
    names = sorted(p.name for p in plugin.plugins(kind=Serializer) if "/" not in p.name)
    found = {name: name for name in names}
    found.update({EXPORT_NAMES[name]: name for name in names if name in EXPORT_NAMES})
    for name in EXPORT_NAMES:
        found.pop(name, None)
    own = sorted(name for name, plugin_name in found.items() if _is_own(plugin_name))
    return {name: found[name] for name in own + sorted(set(found) - set(own))}


def _is_own(plugin_name: str) -> bool:
    return issubclass(plugin.get(plugin_name, Serializer), GraphExport)


def default_name(fmt: str) -> str:
    """The file (or folder) ``kg export --format fmt`` writes when not told where."""
    if fmt in FOLDER_FORMATS:
        return FOLDER_FORMATS[fmt]
    serializer = plugin.get(serializer_formats()[fmt], Serializer)
    if issubclass(serializer, GraphExport):
        return serializer.file_name
    suffixes = [suffix for suffix, name in SUFFIX_FORMAT_MAP.items() if name == fmt]
    return f"graph.{suffixes[0] if suffixes else fmt}"


def own_formats() -> dict[str, str]:
    """paperkg's formats (byte-identical for the same graph): name -> default file name."""
    own = {name: default_name(name) for name, plugin_name in serializer_formats().items() if _is_own(plugin_name)}
    return {**own, **FOLDER_FORMATS}


#: :func:`own_formats` when kg.export was imported.
FORMATS: dict[str, str] = own_formats()


def render(graph: Graph, fmt: str, dialect: str = "neo4j") -> dict[str, bytes]:
    """The export in memory: file name -> bytes (one entry, or the files of ``neo4j-csv``).
    ``fmt`` is any name of :func:`serializer_formats` or ``neo4j-csv``."""
    if fmt in FOLDER_FORMATS:
        return to_neo4j_csv(to_property_graph(graph))
    formats = serializer_formats()
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join([*formats, *FOLDER_FORMATS])}")
    options = {"dialect": dialect} if fmt == "cypher" else {}
    return {default_name(fmt): graph.serialize(format=formats[fmt], encoding="utf-8", **options)}


def export(graph: Graph, fmt: str, path: Path, dialect: str = "neo4j") -> None:
    """Write ``graph`` as ``fmt`` to ``path`` (a folder for ``neo4j-csv``), atomically.

    ``dialect`` (``neo4j`` or ``falkordb``) only matters for ``cypher``. For ``neo4j-csv``,
    every file of the bundle is replaced together and bundle files of an earlier export that
    the new one does not have (labels no longer present) are removed.
    """
    path = Path(path)
    files = render(graph, fmt, dialect)
    if fmt not in FOLDER_FORMATS:
        ((_, data),) = files.items()
        destinations = {path: data}
    else:
        destinations = {path / name: data for name, data in files.items()}
    with staged_files(list(destinations)) as temps:
        for temp, data in zip(temps, destinations.values()):
            temp.write_bytes(data)
    if fmt in FOLDER_FORMATS:
        for stale in [*path.glob("nodes_*.csv"), *path.glob("relationships_*.csv")]:
            if stale.name not in files:
                stale.unlink()
