"""A Cypher script that loads the property graph into Neo4j 5 or FalkorDB.

The script is a header of schema statements (dialect-specific, see :data:`DIALECTS`) and then
batched ``UNWIND [...] AS row MERGE ...`` statements with the rows written as literal lists
(a script has no parameters). The body is plain openCypher that both engines run; running the
script twice leaves the same graph (MERGE on ``iri``). Each statement ends with ``;`` at the end
of a line and string literals never hold a raw line break, so :func:`cypher_statements` splits
a script for clients that take one statement at a time (FalkorDB's ``GRAPH.QUERY``).
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import groupby

from kg.export.property_graph import Edge, PropertyGraph, Value

#: dialect -> schema statement for one label (an index on ``iri`` used by every MERGE).
DIALECTS: dict[str, str] = {
    # Neo4j 5: idempotent uniqueness constraint (also backs the MERGE lookups).
    "neo4j": "CREATE CONSTRAINT {name}_iri IF NOT EXISTS FOR (n:{label}) REQUIRE n.iri IS UNIQUE;",
    # FalkorDB has no IF NOT EXISTS and makes unique constraints outside Cypher: a range index.
    "falkordb": "CREATE INDEX FOR (n:{label}) ON (n.iri);",
}
BATCH_SIZE = 500
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def cypher_literal(value: Value) -> str:
    """A Cypher literal for a property value (string, date or list of strings)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return f'date("{value.isoformat()}")'
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def _map(entries: dict[str, Value]) -> str:
    keys = (k if _IDENTIFIER.fullmatch(k) else f"`{k}`" for k in entries)
    return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, entries.values())) + "}"


def _unwind(rows: list[str], body: str) -> list[str]:
    statements = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = ",\n  ".join(rows[start : start + BATCH_SIZE])
        statements.append(f"UNWIND [\n  {batch}\n] AS row\n{body};")
    return statements


def to_cypher(pgraph: PropertyGraph, dialect: str = "neo4j") -> bytes:
    """The whole script for ``dialect`` (``neo4j`` or ``falkordb``)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown Cypher dialect {dialect!r}; choose one of: {', '.join(DIALECTS)}")
    labels = list(pgraph.mapping.labels.values())
    lines = [f"// paperkg graph as Cypher, {dialect} dialect: kg export --format cypher --dialect {dialect}"]
    lines += [DIALECTS[dialect].format(label=label, name=label.lower()) for label in labels]
    for label, nodes in groupby(pgraph.nodes, key=lambda n: n.label):
        rows = [_map({"iri": cypher_literal(n.iri), "props": _props(n.properties)}) for n in nodes]
        lines += _unwind(rows, f"MERGE (n:{label} {{iri: row.iri}}) SET n += row.props")
    label_of = {node.iri: node.label for node in pgraph.nodes}

    def pattern(edge: Edge) -> tuple[str, str, str]:
        return (label_of[edge.source], edge.type, label_of[edge.target])

    for (source, rtype, target), edges in groupby(sorted(pgraph.edges, key=pattern), key=pattern):
        rows = [
            _map({"s": cypher_literal(e.source), "t": cypher_literal(e.target), "props": _props(e.properties)})
            for e in edges
        ]
        body = (
            f"MATCH (a:{source} {{iri: row.s}}) MATCH (b:{target} {{iri: row.t}})\n"
            f"MERGE (a)-[r:{rtype}]->(b) SET r += row.props"
        )
        lines += _unwind(rows, body)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _props(properties: dict[str, Value]) -> str:
    return _map({k: cypher_literal(v) for k, v in properties.items()})


def cypher_statements(script: str) -> list[str]:
    """Split a script written by :func:`to_cypher` into statements (without the ``;``)."""
    statements, current = [], []
    for line in script.splitlines():
        if not current and (not line.strip() or line.startswith("//")):
            continue
        current.append(line)
        if line.endswith(";"):
            statements.append("\n".join(current)[:-1])
            current = []
    return statements
