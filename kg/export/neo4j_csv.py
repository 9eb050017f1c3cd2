"""A folder of CSV files for ``neo4j-admin database import full`` (the bulk Neo4j path).

One node file per label (``nodes_<Label>.csv``, header ``iri:ID,label,<name>:<type>...,:LABEL``)
and one relationship file per type (``relationships_<TYPE>.csv``, header
``:START_ID,:END_ID,:TYPE,<name>:<type>...``). Array properties use ``;`` between elements (the
importer's default ``--array-delimiter``); a ``;`` inside an element is written as ``,``.
``import.sh`` holds the exact import command for the files written.
"""

from __future__ import annotations

import csv
import io
import shlex
from itertools import groupby

from kg.export.property_graph import PropertyGraph, Value

ARRAY_DELIMITER = ";"
#: Database name used in the import command.
DATABASE = "neo4j"


def _cell(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, ",") for v in value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _header_name(name: str, kind: str) -> str:
    return name if kind == "string" else f"{name}:{kind}"


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    """The CSV text. Python's writer quotes a field holding the line terminator (``\\n``) but
    not one holding a bare CR, which every reader (the importer included) takes as the end of
    a line: a row with a CR anywhere is written with every field quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        (quoted if any("\r" in cell for cell in row) else writer).writerow(row)
    return buffer.getvalue().encode("utf-8")


def _columns(property_maps: list[dict[str, Value]], order: list[str]) -> list[str]:
    present = {name for props in property_maps for name in props}
    return [name for name in order if name in present]


def to_neo4j_csv(pgraph: PropertyGraph) -> dict[str, bytes]:
    """File name -> content of the bundle (CSV files and ``import.sh``)."""
    types = pgraph.mapping.property_types
    order = list(types)
    files: dict[str, bytes] = {}
    node_files, relationship_files = [], []
    for label, group in groupby(pgraph.nodes, key=lambda n: n.label):
        nodes = list(group)
        columns = _columns([n.properties for n in nodes], order)
        header = ["iri:ID"] + [_header_name(c, types[c]) for c in columns] + [":LABEL"]
        rows = [[n.iri] + [_cell(n.properties.get(c)) for c in columns] + [label] for n in nodes]
        name = f"nodes_{label}.csv"
        files[name] = _csv(header, rows)
        node_files.append(name)
    for rtype, group in groupby(pgraph.edges, key=lambda e: e.type):
        edges = list(group)
        columns = _columns([e.properties for e in edges], order)
        header = [":START_ID", ":END_ID", ":TYPE"] + [_header_name(c, types[c]) for c in columns]
        rows = [[e.source, e.target, rtype] + [_cell(e.properties.get(c)) for c in columns] for e in edges]
        name = f"relationships_{rtype}.csv"
        files[name] = _csv(header, rows)
        relationship_files.append(name)
    files["import.sh"] = import_command(node_files, relationship_files).encode("utf-8")
    return files


def import_command(node_files: list[str], relationship_files: list[str]) -> str:
    """A shell script running ``neo4j-admin database import full`` on the bundle's files."""
    arguments = [f'"--nodes=$DIR/{name}"' for name in node_files]
    arguments += [f'"--relationships=$DIR/{name}"' for name in relationship_files]
    arguments += [f"--array-delimiter={shlex.quote(ARRAY_DELIMITER)}", "--multiline-fields=true"]
    lines = [
        "#!/bin/sh",
        "# Bulk import of this folder into an empty, stopped Neo4j 5 database (see docs/neo4j.md).",
        "# Run from $NEO4J_HOME; add --overwrite-destination to replace an existing database.",
        'DIR="$(cd "$(dirname "$0")" && pwd)"',
        f"bin/neo4j-admin database import full {DATABASE} \\",
        *[f"  {arg} \\" for arg in arguments[:-1]],
        f"  {arguments[-1]}",
    ]
    return "\n".join(lines) + "\n"
