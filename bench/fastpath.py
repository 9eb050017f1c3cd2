"""Candidate fast paths for the graph and write stages, measured against what the build does.

    python -m bench.fastpath GRAPH.ttl

The build (kg.graph / kg.build) fills an rdflib Memory graph triple by triple and writes it
with rdflib's Turtle serializer. The candidates here keep the same triples and write Turtle
with Oxigraph's serializer in a sorted order, so the bytes do not depend on insertion order,
on ``PYTHONHASHSEED`` or on the store:

* ``sorted_ox_triples(graph)``: the graph's triples as pyoxigraph terms, sorted by
  (subject, predicate, object) strings;
* ``turtle_bytes(triples)``: Turtle from Oxigraph's streaming serializer, with the project's
  prefixes;
* ``oxigraph_graph(triples)``: an rdflib ``Graph`` on the Oxigraph store (oxrdflib), filled in
  one bulk ``extend`` instead of one ``add`` per triple.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from oxrdflib._converter import to_ox
from rdflib import BNode, Graph, Literal, URIRef


def _converter():
    cache: dict = {}

    def convert(term):
        if isinstance(term, Literal):  # literals rarely repeat: not cached
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        found = cache.get(term)
        if found is None:
            if isinstance(term, BNode):
                raise ValueError("blank nodes have no stable Turtle form; mint an IRI instead")
            if not isinstance(term, URIRef):
                raise TypeError(f"not an RDF term: {term!r}")
            found = cache[term] = ox.NamedNode(str(term))
        return found

    return convert


def _key(triple: ox.Triple) -> tuple[str, str, int, str, str]:
    obj = triple.object
    if isinstance(obj, ox.Literal):
        return (triple.subject.value, triple.predicate.value, 1, obj.value,
                obj.language or obj.datatype.value)
    return (triple.subject.value, triple.predicate.value, 0, obj.value, "")


def sorted_ox_triples(graph: Iterable) -> list[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph ``Triple``s in a total, store-independent order."""
    convert = _converter()
    triples = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in graph]
    triples.sort(key=_key)
    return triples


def turtle_bytes(triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """Turtle of ``triples`` in their given order (consecutive subjects and predicates are grouped)."""
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def oxigraph_graph(triples: list[ox.Triple], prefixes: dict[str, str]) -> Graph:
    """An rdflib ``Graph`` on Oxigraph's store holding ``triples``, filled in one bulk call."""
    graph = Graph(store="Oxigraph")
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace)
    name = to_ox(graph)  # the Oxigraph graph name oxrdflib uses for this rdflib graph
    graph.store._inner.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return graph


def project_prefixes() -> dict[str, str]:
    """The prefixes the project binds on its graphs."""
    from kg.namespaces import bind_prefixes

    return {prefix: str(ns) for prefix, ns in bind_prefixes(Graph()).namespaces() if prefix}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fastpath", description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", type=Path, help="a Turtle file written by kg build")
    args = parser.parse_args(argv)
    from kg.query import load_graph

    graph = load_graph(args.graph, store="memory")
    prefixes = project_prefixes()
    clock = time.perf_counter()
    triples = sorted_ox_triples(graph)
    converted = time.perf_counter() - clock
    clock = time.perf_counter()
    data = turtle_bytes(triples, prefixes)
    written = time.perf_counter() - clock
    clock = time.perf_counter()
    ox_graph = oxigraph_graph(triples, prefixes)
    filled = time.perf_counter() - clock
    clock = time.perf_counter()
    rdflib_data = graph.serialize(format="turtle", encoding="utf-8")
    rdflib_written = time.perf_counter() - clock
    reread = Graph().parse(data=data, format="turtle")
    print(f"{len(triples)} triples: convert+sort {converted:.2f} s, Oxigraph Turtle {written:.2f} s "
          f"({len(data) / 1e6:.1f} MB, sha256 {hashlib.sha256(data).hexdigest()[:16]}), "
          f"bulk Oxigraph graph {filled:.2f} s ({len(ox_graph)} triples); "
          f"rdflib Turtle {rdflib_written:.2f} s ({len(rdflib_data) / 1e6:.1f} MB); "
          f"same triples: {reread.isomorphic(graph)}")


if __name__ == "__main__":
    main()
