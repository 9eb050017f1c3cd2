"""The one mapping from paperkg's RDF graph to a labelled property graph.

GraphML, GEXF, the Cypher script and the Neo4j CSV bundle are all written from the
:class:`PropertyGraph` made here, so they agree on nodes, labels, relationship types and
properties. The mapping itself (classes -> labels, predicates -> types, literal predicates ->
typed properties) is data: ``kg/data/export/property_graph.toml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.domain import ENTITY_CLASSES, RELATIONS, relationship_type
from kg.namespaces import PKG, PREFIXES
from kg.paths import PACKAGE_DIR

MAPPING_FILE = PACKAGE_DIR / "data" / "export" / "property_graph.toml"

#: A property value: text, a date, or a list of texts (``string[]``).
Value = str | dt.date | tuple[str, ...]


@dataclass(frozen=True)
class PropertySpec:
    name: str
    predicate: URIRef
    type: str  # "string", "date" or "string[]" (Neo4j import type names)


@dataclass(frozen=True)
class Mapping:
    """The RDF -> property graph mapping, as read from the TOML file."""

    display_label: tuple[URIRef, ...]
    labels: dict[URIRef, str]  # class -> node label, in priority order
    relationships: dict[URIRef, str]  # predicate -> relationship type
    properties: tuple[PropertySpec, ...]  # node properties
    evidence: tuple[PropertySpec, ...]  # relationship properties from the Mention

    @property
    def property_types(self) -> dict[str, str]:
        """Every property name (node and relationship, plus ``iri`` and ``label``) -> type."""
        types = {"iri": "string", "label": "string"}
        types.update({spec.name: spec.type for spec in self.properties + self.evidence})
        return types


@dataclass(frozen=True)
class Node:
    iri: str
    label: str  # the node label (Neo4j label, GraphML/GEXF "class")
    properties: dict[str, Value]  # always holds "label" (the display name)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    type: str  # relationship type, e.g. EVALUATES_ON
    relation: str  # the RDF predicate's local name, e.g. evaluatesOn
    properties: dict[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class PropertyGraph:
    """Nodes sorted by (label order, IRI); edges by (type order, source, target)."""

    nodes: list[Node]
    edges: list[Edge]
    mapping: Mapping


def expand_curie(curie: str) -> URIRef:
    """``pkg:Paper`` -> the full IRI, over the prefixes of :mod:`kg.namespaces`."""
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES:
        raise ValueError(f"unknown prefix in {curie!r} ({MAPPING_FILE.name})")
    return PREFIXES[prefix][local]


@functools.cache
def load_mapping(path: Path = MAPPING_FILE) -> Mapping:
    """Read the mapping file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def specs(table: dict) -> tuple[PropertySpec, ...]:
        return tuple(PropertySpec(name, expand_curie(s["predicate"]), s["type"]) for name, s in table.items())

    labels: dict[URIRef, str] = {}
    for curie, label in data["labels"].items():
        expanded = {PKG[name]: name for name in ENTITY_CLASSES} if (curie, label) == ("pkg:Entity", "*") else {expand_curie(curie): label}
        labels.update(expanded)
    relationships: dict[URIRef, str] = {}
    for curie, rtype in data["relationships"].items():
        if (curie, rtype) == ("pkg:mentions", "*"):
            relationships.update({PKG[name]: relationship_type(name) for name in RELATIONS})
        else:
            relationships[expand_curie(curie)] = rtype
    return Mapping(
        display_label=tuple(expand_curie(c) for c in data["display_label"]),
        labels=labels,
        relationships=relationships,
        properties=specs(data["properties"]),
        evidence=specs(data["evidence"]),
    )


def _value_order(term) -> tuple:
    """Stable order of several values: untagged or English literals first, then by text."""
    lang = getattr(term, "language", None) or ""
    return (lang not in ("", "en"), lang, str(term))


def _convert(terms: list, kind: str) -> Value | None:
    """The property value of ``terms`` (all objects of one predicate) for a property type."""
    ordered = sorted(terms, key=_value_order)
    if kind == "string[]":
        return tuple(dict.fromkeys(str(t) for t in ordered))
    if kind == "date":
        dates = [t.toPython() for t in ordered if isinstance(t, Literal)]
        dates = [d for d in dates if isinstance(d, dt.date) and not isinstance(d, dt.datetime)]
        return min(dates) if dates else None
    return str(ordered[0])


def _properties(graph: Graph, subject: URIRef, specs: tuple[PropertySpec, ...]) -> dict[str, Value]:
    props: dict[str, Value] = {}
    for spec in specs:
        terms = list(graph.objects(subject, spec.predicate))
        value = _convert(terms, spec.type) if terms else None
        if value not in (None, ()):
            props[spec.name] = value
    return props


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    return text[max(text.rfind("#"), text.rfind("/")) + 1 :]


def to_property_graph(graph: Graph, mapping: Mapping | None = None) -> PropertyGraph:
    """Map ``graph`` to nodes and edges (see the module docstring)."""
    mapping = mapping or load_mapping()
    label_rank = {label: rank for rank, label in enumerate(mapping.labels.values())}
    type_rank = {rtype: rank for rank, rtype in enumerate(mapping.relationships.values())}

    node_label: dict[URIRef, str] = {}
    for rdf_class, label in mapping.labels.items():
        for subject in graph.subjects(RDF.type, rdf_class):
            if isinstance(subject, URIRef):
                node_label.setdefault(subject, label)

    nodes = []
    for iri, label in node_label.items():
        names = [t for p in mapping.display_label for t in sorted(graph.objects(iri, p), key=_value_order)]
        props: dict[str, Value] = {"label": str(names[0]) if names else str(iri)}
        props.update(_properties(graph, iri, mapping.properties))
        nodes.append(Node(str(iri), label, props))
    nodes.sort(key=lambda n: (label_rank[n.label], n.iri))

    evidence = _mention_evidence(graph, mapping)
    edges = []
    for predicate, rtype in mapping.relationships.items():
        for source, target in graph.subject_objects(predicate):
            if source in node_label and target in node_label:
                props = evidence.get((source, predicate, target), {})
                edges.append(Edge(str(source), str(target), rtype, _local_name(predicate), props))
    edges.sort(key=lambda e: (type_rank[e.type], e.source, e.target))
    return PropertyGraph(nodes, edges, mapping)


def _mention_evidence(graph: Graph, mapping: Mapping) -> dict[tuple, dict[str, Value]]:
    """(paper, predicate, entity) -> the evidence properties of the Mention of that link."""
    evidence: dict[tuple, dict[str, Value]] = defaultdict(dict)
    for mention in sorted(graph.subjects(RDF.type, PKG.Mention)):
        paper = graph.value(mention, PKG.inPaper)
        entity = graph.value(mention, PKG.mentionOf)
        relation = graph.value(mention, PKG.relation)
        if paper is not None and entity is not None and relation is not None:
            key = (paper, relation, entity)
            if key not in evidence:
                evidence[key] = _properties(graph, mention, mapping.evidence)
    return evidence
