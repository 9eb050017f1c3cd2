"""RDF serializations of the graph: sorted N-Triples and compact JSON-LD, both byte-stable."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.namespaces import PREFIXES
from kg.paths import PACKAGE_DIR
from kg.store import ox_triples

CONTEXT_FILE = PACKAGE_DIR / "data" / "export" / "context.jsonld"


def simple_literals(graph: Graph) -> Graph:
    """A memory-store copy of ``graph`` with ``xsd:string`` literals written as simple literals.

    RDF 1.1 makes the two the same, but Oxigraph's store hands them back typed; without this
    the output would depend on the store the graph was loaded into.
    """
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        copy.add((s, p, o))
    return copy


#: Characters rdflib's N-Triples writer leaves raw that are written as escapes: the controls
#: canonical N-Triples escapes (RDF 1.1 N-Triples, section 4), plus U+0085, U+2028 and
#: U+2029, which are legal raw but break the file into lines for line-oriented tools
#: (``str.splitlines``, editors, ``sort``), and the non-characters U+FDD0-U+FDEF, U+FFFE
#: and U+FFFF, which Raptor refuses raw.
_NT_ESCAPES = {
    **{code: f"\\u{code:04X}" for code in [*range(0x00, 0x20), 0x7F, 0x85, 0x2028, 0x2029, *range(0xFDD0, 0xFDF0), 0xFFFE, 0xFFFF]},
    0x08: "\\b", 0x09: "\\t", 0x0C: "\\f",
}
#: Those characters but LF, which ends the lines (Oxigraph writes an LF of a literal escaped).
_NT_RAW = re.compile("[" + "".join(re.escape(chr(code)) for code in _NT_ESCAPES if code != 0x0A) + "]")


def to_ntriples(graph: Graph) -> bytes:
    """N-Triples with the lines sorted, so the same graph always gives the same bytes.

    Oxigraph's writer streams the triples (read natively from an Oxigraph store: samples
    1.9 -> 0.2 s against rdflib's writer on a copy) and writes ``xsd:string`` literals as
    simple ones, whatever the store; it escapes ``\\``, ``"``, the C0 controls and DEL. Every
    other character that a line-based reader could take as the end of a line is escaped here
    (:data:`_NT_ESCAPES`), so that one triple is exactly one ``\\n``-terminated line."""
    text = ox.serialize(ox_triples(graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    text = _NT_RAW.sub(lambda match: _NT_ESCAPES[ord(match.group())], text)
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def jsonld_context() -> dict:
    """The compact ``@context``: paperkg's prefixes plus the terms of ``context.jsonld``."""
    terms = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return {**{prefix: str(ns) for prefix, ns in PREFIXES.items()}, **terms}


def to_jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD (one ``@graph``), with nodes and value arrays in a stable order.

    JSON-LD arrays of property values are unordered sets (the graph has no ``@list``), so
    sorting them changes nothing in the RDF they denote.
    """
    document = json.loads(simple_literals(graph).serialize(format="json-ld", context=jsonld_context()))
    return (json.dumps(_canonical(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _canonical(value, key: str = ""):
    if isinstance(value, dict):
        return {k: _canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value
