r"""A Cypher script that loads the property graph into Neo4j 5 or FalkorDB.

The script is a header of schema statements (dialect-specific, see :data:`DIALECTS`) and then
batched ``UNWIND [...] AS row MERGE ...`` statements with the rows written as literal lists
(a script has no parameters). The body is plain openCypher that both engines run; running the
script twice leaves the same graph (MERGE on ``iri``). Each statement ends with ``;`` at the end
of a line and string literals never hold a raw ``\n`` or ``\r``, so :func:`cypher_statements`
splits a script at ``\n`` for clients that take one statement at a time (FalkorDB's
``GRAPH.QUERY``).

String literals come from digest text, so they are escaped for every character a Cypher lexer
or a line-oriented loader might treat as a break: Neo4j's lexer counts U+2028, U+2029, U+0085,
VT, FF and U+001C-U+001F as line breaks, so in the ``neo4j`` dialect every control, line and
paragraph separator is written as ``\uXXXX``. FalkorDB has no ``\u`` escape (it keeps the
backslash) and reads those characters raw inside a string, so the ``falkordb`` dialect writes
them raw and only drops NUL (its C parser would end the query there).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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
#: Unicode categories escaped as ``\uXXXX`` in the neo4j dialect: controls (NUL, VT, FF,
#: U+001C-U+001F, U+0085...), line and paragraph separators, format characters (BOM, bidi
#: controls), unpaired surrogates and non-characters.
_UNICODE_ESCAPED = frozenset({"Cc", "Zl", "Zp", "Cf", "Cs", "Cn"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _escape(char: str, dialect: str) -> str:
    known = _ESCAPES.get(char)
    if known is not None:
        return known
    category = unicodedata.category(char)
    if dialect == "falkordb":
        return "" if char == "\0" or category == "Cs" else char
    if category in _UNICODE_ESCAPED:
        code = ord(char)
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return char


class _EscapeTable(dict):
    """A ``str.translate`` table filled on first use of each character (C-speed afterwards)."""

    def __init__(self, dialect: str) -> None:
        super().__init__()
        self.dialect = dialect

    def __missing__(self, code: int) -> str:
        self[code] = escaped = _escape(chr(code), self.dialect)
        return escaped


_TABLES = {dialect: _EscapeTable(dialect) for dialect in DIALECTS}


def cypher_literal(value: Value, dialect: str = "neo4j") -> str:
    """A Cypher literal for a property value (string, date or list of strings), escaped for
    ``dialect`` (see the module docstring)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(cypher_literal(v, dialect) for v in value) + "]"
    if isinstance(value, dt.date):
        return f'date("{value.isoformat()}")'
    return '"' + value.translate(_TABLES[dialect]) + '"'


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
        rows = [_map({"iri": cypher_literal(n.iri, dialect), "props": _props(n.properties, dialect)}) for n in nodes]
        lines += _unwind(rows, f"MERGE (n:{label} {{iri: row.iri}}) SET n += row.props")
    label_of = {node.iri: node.label for node in pgraph.nodes}

    def pattern(edge: Edge) -> tuple[str, str, str]:
        return (label_of[edge.source], edge.type, label_of[edge.target])

    for (source, rtype, target), edges in groupby(sorted(pgraph.edges, key=pattern), key=pattern):
        rows = [
            _map({
                "s": cypher_literal(e.source, dialect),
                "t": cypher_literal(e.target, dialect),
                "props": _props(e.properties, dialect),
            })
            for e in edges
        ]
        body = (
            f"MATCH (a:{source} {{iri: row.s}}) MATCH (b:{target} {{iri: row.t}})\n"
            f"MERGE (a)-[r:{rtype}]->(b) SET r += row.props"
        )
        lines += _unwind(rows, body)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _props(properties: dict[str, Value], dialect: str) -> str:
    return _map({k: cypher_literal(v, dialect) for k, v in properties.items()})


def cypher_statements(script: str) -> list[str]:
    """Split a script written by :func:`to_cypher` into statements (without the ``;``).

    Lines end at ``\n`` only (never ``str.splitlines``, which also breaks at U+2028, VT and
    others that a string literal may hold raw)."""
    statements, current = [], []
    for line in script.split("\n"):
        if not current and (not line.strip() or line.startswith("//")):
            continue
        current.append(line)
        if line.endswith(";"):
            statements.append("\n".join(current)[:-1])
            current = []
    return statements
