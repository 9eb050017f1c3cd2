"""The Oxigraph store under paperkg's rdflib graphs: the one module that reaches past the
public APIs of rdflib and oxrdflib (pyproject.toml bounds both to the versions tested).

oxrdflib puts an rdflib ``Graph`` on a pyoxigraph ``Store`` but offers no bulk insert of
Oxigraph terms, no native pattern reads and no handle on its store. :func:`oxigraph_graph`
creates the pyoxigraph store itself and keeps it, so the rest of paperkg works on Oxigraph
terms through the functions here:

    >>> graph = oxigraph_graph()
    >>> extend(graph, [(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"))])
    >>> [triple.object.value for triple in triples(graph)]
    ['c']
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox, to_ox
from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.namespaces import bind_prefixes

__all__ = [
    "OxTerm", "TermConverter", "extend", "from_ox", "is_oxigraph", "ox_triples", "oxigraph_graph", "oxigraph_store",
    "simple_literal", "to_ox", "triples",
]

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
#: The pyoxigraph store of each oxrdflib store this module created.
_OWNED: weakref.WeakKeyDictionary[OxigraphStore, ox.Store] = weakref.WeakKeyDictionary()
_OX_XSD_STRING = ox.NamedNode(str(XSD.string))


def oxigraph_graph(store_dir: str | Path | None = None) -> Graph:
    """An empty rdflib ``Graph`` on Oxigraph's store (oxrdflib) with paperkg's prefixes bound,
    in memory or on disk in the empty or new folder ``store_dir`` (RocksDB).

    Triples go to the store's default graph: Oxigraph indexes it three ways, named graphs
    six, so this halves the store's memory (10k papers: 430 -> 214 MB)."""
    store = ox.Store(str(store_dir)) if store_dir is not None else ox.Store()
    wrapper = OxigraphStore(store=store)
    _OWNED[wrapper] = store
    return bind_prefixes(Graph(store=wrapper, identifier=DATASET_DEFAULT_GRAPH_ID))


def is_oxigraph(graph: Graph) -> bool:
    """Whether ``graph`` is held in an Oxigraph store (ours or one oxrdflib made)."""
    return isinstance(graph.store, OxigraphStore)


def _store(graph: Graph) -> ox.Store:
    owned = _OWNED.get(graph.store)
    # A graph made with Graph(store="Oxigraph") elsewhere: oxrdflib's private attribute.
    return owned if owned is not None else graph.store._inner


def oxigraph_store(graph: Graph) -> ox.Store | None:
    """The pyoxigraph ``Store`` under ``graph`` when ``graph`` is the default graph of an
    Oxigraph store (as :func:`oxigraph_graph` makes them), else ``None``."""
    if is_oxigraph(graph) and graph.identifier == DATASET_DEFAULT_GRAPH_ID:
        return _store(graph)
    return None


def extend(graph: Graph, new: Iterable[tuple[OxTerm, ox.NamedNode, OxTerm]]) -> Graph:
    """Add ``new`` triples, made of Oxigraph terms, to the Oxigraph ``graph`` in one bulk call."""
    name = to_ox(graph)
    _store(graph).bulk_extend(ox.Quad(s, p, o, name) for s, p, o in new)
    return graph


def triples(
    graph: Graph, subject: OxTerm | None = None, predicate: ox.NamedNode | None = None, obj: OxTerm | None = None
) -> Iterator[ox.Triple]:
    """The triples of the Oxigraph ``graph`` matching a pattern of Oxigraph terms (``None``:
    any), read natively without making rdflib terms."""
    for quad in _store(graph).quads_for_pattern(subject, predicate, obj, to_ox(graph)):
        yield quad.triple


def ox_triples(graph: Graph) -> Iterator[ox.Triple]:
    """The triples of any rdflib ``graph`` as Oxigraph terms: read natively from an Oxigraph
    graph, converted from any other store."""
    if is_oxigraph(graph):
        return triples(graph)
    return (ox.Triple(*map(to_ox, triple)) for triple in graph)


def simple_literal(text: str) -> Literal:
    """``Literal(text)``: the same term, made without ``Literal.__new__``'s parsing of a
    lexical form (5 us per literal; titles and labels are most of a large result). It sets
    rdflib's private slots, hence its place here."""
    literal = str.__new__(Literal, text)
    literal._language = literal._datatype = literal._ill_typed = None
    literal._value = text
    return literal


class TermConverter:
    """rdflib terms of Oxigraph terms, each distinct term converted once; ``xsd:string``
    literals become simple literals, as rdflib's own store gives them.

    oxrdflib converts each term on its own (an ``xsd:string`` literal costs 5 us, then 2
    more to make it plain): 31k rows of entity-card at 100k papers take 0.45 s instead of 1.4 s."""

    def __init__(self) -> None:
        self._terms: dict[OxTerm, Node] = {}

    def __call__(self, value: OxTerm | None) -> Node | None:
        if value is None:
            return None
        node = self._terms.get(value)
        if node is None:
            if isinstance(value, ox.NamedNode):
                # Oxigraph's IRIs are valid: skip URIRef's character check (4 us per IRI).
                node = str.__new__(URIRef, value.value)
            elif isinstance(value, ox.Literal) and value.datatype == _OX_XSD_STRING:
                node = simple_literal(value.value)
            else:
                node = from_ox(value)
            self._terms[value] = node
        return node
