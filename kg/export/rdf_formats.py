"""RDF serializations of the graph: sorted N-Triples and compact JSON-LD, both byte-stable."""

from __future__ import annotations

import json

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.namespaces import PREFIXES
from kg.paths import PACKAGE_DIR

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


def to_ntriples(graph: Graph) -> bytes:
    """N-Triples with the lines sorted, so the same graph always gives the same bytes."""
    text = simple_literals(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
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
