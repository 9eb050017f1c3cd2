"""The part of the RDF graph the HTML page shows: drawn nodes, their links and panel details.

Papers, the four entity classes and topics are drawn as nodes. Code repositories and
mentions are not: a paper's code links and a link's evidence sentences go to the side panel.
Everything is read with one pass per predicate, so reading is linear in the graph's size.
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from kg.domain import DRAWN_CLASSES as DRAWN_STYLES, ENTITY_CLASSES, RELATION_LABELS, RELATIONS
from kg.namespaces import PKG
from kg.store import from_ox, is_oxigraph, oxigraph_store, triples

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
#: Class styles (colour, shape) and relation names shown by the page, in drawing order
#: (from the ontology: kg.domain).
STYLE: dict = {"classes": [dataclasses.asdict(style) for style in DRAWN_STYLES], "relations": RELATION_LABELS}
#: The drawn classes, by local name, in legend order.
DRAWN_CLASSES: tuple[str, ...] = tuple(style.name for style in DRAWN_STYLES)
#: Summary sections shown for a paper, first found wins.
SUMMARY_PREDICATES = (PKG.coreContribution, PKG.abstract)


class UnknownNameError(LookupError):
    """No drawn node has the given name; ``suggestions`` holds close names."""

    def __init__(self, name: str, suggestions: Sequence[str]) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no entity or paper named {name!r} in the graph{hint}")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _first(values: Iterable) -> str | None:
    ordered = sorted(str(value) for value in values)
    return ordered[0] if ordered else None


@dataclass
class PaperInfo:
    """What the panel shows of a paper besides its links to entities."""

    arxiv_id: str
    date: str | None
    arxiv_url: str | None
    hf_url: str | None
    code_urls: list[str]
    summary: str | None


@dataclass
class GraphData:
    """The drawable graph, keyed by IRI."""

    classes: dict[URIRef, str]
    labels: dict[URIRef, str]
    aliases: dict[URIRef, list[str]]
    papers: dict[URIRef, PaperInfo]
    #: paper -> relation local name -> entities
    links: dict[URIRef, dict[str, set[URIRef]]]
    #: paper -> topics
    topics: dict[URIRef, set[URIRef]]
    #: variant -> families
    variant_of: dict[URIRef, set[URIRef]]
    #: (paper, entity) -> [(section, sentence)]
    evidence: dict[tuple[URIRef, URIRef], list[tuple[str, str]]] = field(default_factory=dict)
    #: entity -> pkg:firstDate, the first date of its model family (ontology/statistics/first-dates.rq)
    first_dates: dict[URIRef, str] = field(default_factory=dict)

    @classmethod
    def from_rdf(cls, graph: Graph) -> GraphData:
        """Read the drawable part of ``graph`` (see the module docstring)."""
        iris: dict[str, URIRef] = {}
        classes: dict[URIRef, str] = {}
        for name in DRAWN_CLASSES:
            for node, _ in _pairs(graph, RDF.type, PKG[name], iris):
                if isinstance(node, URIRef):
                    classes.setdefault(node, name)
        values = lambda predicate: _objects_by_subject(graph, predicate, classes, iris)  # noqa: E731
        titles, labels, pref_labels = values(PKG.title), values(RDFS.label), values(SKOS.prefLabel)
        label_of: dict[URIRef, str] = {}
        for node, name in classes.items():
            options = titles if name == "Paper" else pref_labels if name == "Topic" else labels
            label_of[node] = _first(options.get(node, ())) or _first(labels.get(node, ())) or _local(node)
        aliases = {node: sorted({str(v) for v in found} - {label_of[node]}) for node, found in values(SKOS.altLabel).items()}

        papers = [node for node, name in classes.items() if name == "Paper"]
        arxiv_ids, dates = values(PKG.arxivId), values(PKG.date)
        arxiv_pages, hf_pages, code = values(PKG.arxivPage), values(PKG.hfPage), values(PKG.codeRepository)
        summaries = [values(predicate) for predicate in SUMMARY_PREDICATES]
        info = {
            paper: PaperInfo(
                arxiv_id=_first(arxiv_ids.get(paper, ())) or _local(paper),
                date=_first(dates.get(paper, ())),
                arxiv_url=_first(arxiv_pages.get(paper, ())),
                hf_url=_first(hf_pages.get(paper, ())),
                code_urls=sorted(str(url) for url in code.get(paper, ())),
                summary=next((_first(found[paper]) for found in summaries if paper in found), None),
            )
            for paper in papers
        }
        links: dict[URIRef, dict[str, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
        for relation in RELATIONS:
            for paper, entities in values(PKG[relation]).items():
                if classes[paper] == "Paper":
                    links[paper][relation].update(e for e in entities if classes.get(e) in ENTITY_CLASSES)
        topics = {p: {t for t in found if classes.get(t) == "Topic"} for p, found in values(PKG.topic).items()}
        variant_of = {
            node: {f for f in found if f in classes and classes[f] != "Paper"}
            for node, found in values(PKG.variantOf).items()
        }
        data = cls(classes, label_of, aliases, info, links, topics, variant_of)
        data.evidence = _evidence(graph, classes, iris)
        data.first_dates = {node: str(_first(found)) for node, found in values(PKG.firstDate).items()
                            if classes.get(node) in ENTITY_CLASSES}
        return data

    @cached_property
    def adjacency(self) -> dict[URIRef, set[URIRef]]:
        """Undirected neighbours of every drawn node (paper-entity, paper-topic, variant-family)."""
        adjacency: dict[URIRef, set[URIRef]] = {node: set() for node in self.classes}
        for source, target in self.edge_pairs():
            adjacency[source].add(target)
            adjacency[target].add(source)
        return adjacency

    def edge_pairs(self) -> Iterable[tuple[URIRef, URIRef]]:
        """Every drawn link as a (source, target) pair; a pair may repeat across relations."""
        for paper, by_relation in self.links.items():
            for entities in by_relation.values():
                for entity in entities:
                    yield paper, entity
        for paper, topics in self.topics.items():
            for topic in topics:
                yield paper, topic
        for variant, families in self.variant_of.items():
            for family in families:
                yield variant, family

    @cached_property
    def papers_of(self) -> dict[URIRef, dict[URIRef, list[str]]]:
        """entity or topic -> paper -> the relations linking them, in ``RELATIONS`` order."""
        found: dict[URIRef, dict[URIRef, list[str]]] = defaultdict(dict)
        for paper, topics in self.topics.items():
            for topic in topics:
                found[topic][paper] = []
        for paper, by_relation in self.links.items():
            for relation in RELATIONS:
                for entity in by_relation.get(relation, ()):
                    found[entity].setdefault(paper, []).append(relation)
        return found

    @cached_property
    def variants(self) -> dict[URIRef, set[URIRef]]:
        """family -> its variants."""
        found: dict[URIRef, set[URIRef]] = defaultdict(set)
        for variant, families in self.variant_of.items():
            for family in families:
                found[family].add(variant)
        return found

    @cached_property
    def paper_counts(self) -> dict[URIRef, int]:
        """Number of distinct papers linked to each entity or topic (1 for a paper)."""
        counts: dict[URIRef, int] = defaultdict(int)
        for paper in self.papers:
            counts[paper] = 1
            for node in set().union(*self.links.get(paper, {}).values(), self.topics.get(paper, ())):
                counts[node] += 1
        return counts

    def sort_key(self, node: URIRef) -> tuple:
        """Legend order, then label, then IRI: the page's stable node order."""
        return DRAWN_CLASSES.index(self.classes[node]), _fold(self.labels[node]), str(node)

    @cached_property
    def _names(self) -> dict[str, list[URIRef]]:
        names: dict[str, list[URIRef]] = defaultdict(list)
        for node in sorted(self.classes, key=self.sort_key):
            keys = [self.labels[node], *self.aliases.get(node, ())]
            if node in self.papers:
                keys.append(self.papers[node].arxiv_id)
            for key in keys:
                names[_fold(key)].append(node)
        return names

    def find(self, name: str) -> URIRef:
        """The node called ``name``: an entity label or alias, a paper's arXiv id or title.

        Case and Unicode width are ignored; entities win over papers, then legend order.
        Raises ``UnknownNameError`` with close matches when nothing has that name.
        """
        found = self._names.get(_fold(name))
        if found:
            return min(found, key=lambda node: (self.classes[node] == "Paper", self.sort_key(node)))
        close = difflib.get_close_matches(_fold(name), list(self._names), n=5, cutoff=0.6)
        return_names = [self.labels[self._names[key][0]] for key in close]
        raise UnknownNameError(name, list(dict.fromkeys(return_names)))

    def neighbourhood(self, focus: URIRef, hops: int, types: Sequence[str] | None = None) -> set[URIRef]:
        """Nodes within ``hops`` links of ``focus``, walking only through ``types``.

        ``types`` names the classes to keep besides papers (papers are always kept: every
        link runs through one); the focus node is kept whatever its class.
        """
        allowed = set(DRAWN_CLASSES) if types is None else {"Paper", *types}
        seen = {focus}
        frontier = [focus]
        for _ in range(hops):
            frontier = [
                neighbour
                for node in frontier
                for neighbour in sorted(self.adjacency[node])
                if neighbour not in seen and self.classes[neighbour] in allowed and not seen.add(neighbour)
            ]
        return seen


def _local(node: URIRef) -> str:
    return str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _pairs(
    graph: Graph, predicate: URIRef, obj: URIRef | None = None, iris: dict[str, URIRef] | None = None
) -> Iterator[tuple[Node, Node | str]]:
    """(subject, object) of each ``predicate`` triple (with object ``obj`` if given).

    On Oxigraph's store the triples are read natively and a literal object comes as its
    lexical form (a ``str``: all this module reads of a literal), which skips building an
    rdflib term per triple; ``iris`` interns the IRIs made, so that each is built (and
    validated) once and dict lookups of the same node match by identity.
    """
    if not is_oxigraph(graph):
        yield from graph.subject_objects(predicate) if obj is None else ((s, obj) for s in graph.subjects(predicate, obj))
        return
    iris = {} if iris is None else iris

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node | str:
        if isinstance(node, ox.NamedNode):
            found = iris.get(node.value)
            if found is None:
                found = iris[node.value] = URIRef(node.value)
            return found
        return node.value if isinstance(node, ox.Literal) else from_ox(node)

    for triple in triples(graph, None, ox.NamedNode(predicate), None if obj is None else ox.NamedNode(obj)):
        yield term(triple.subject), term(triple.object)


def _objects_by_subject(graph: Graph, predicate: URIRef, subjects: dict, iris: dict[str, URIRef]) -> dict[URIRef, list]:
    """``predicate``'s objects by subject, for the ``subjects`` only. On Oxigraph's store a
    subject is matched by its IRI string (``iris`` holds every drawn node) and an object comes
    as a drawn node, or else as its IRI or lexical form (a ``str``): no rdflib term is built."""
    found: dict[URIRef, list] = defaultdict(list)
    if not is_oxigraph(graph):
        for subject, value in _pairs(graph, predicate, iris=iris):
            if subject in subjects:
                found[subject].append(value)
        return found
    named = ox.NamedNode
    for quad in _quads(graph, predicate):
        subject = iris.get(quad.subject.value)
        if subject is not None and subject in subjects:
            value = quad.object.value
            found[subject].append(iris.get(value, value) if isinstance(quad.object, named) else value)
    return found


def _quads(graph: Graph, predicate: URIRef) -> Iterable:
    """Oxigraph's own quads of ``predicate`` in ``graph`` (no rdflib term, no triple object:
    reading the mentions of 100k papers is most of the page's time)."""
    store = oxigraph_store(graph)
    if store is not None:
        return store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph())
    return triples(graph, None, ox.NamedNode(predicate), None)


def _lexical_pairs(graph: Graph, predicate: URIRef) -> list[tuple[str, str]]:
    """(subject, object) of each ``predicate`` triple as plain strings (IRI, blank node id or
    literal lexical form), read without building an rdflib term on Oxigraph's store."""
    if is_oxigraph(graph):
        return [(quad.subject.value, quad.object.value) for quad in _quads(graph, predicate)]
    return [(str(s), str(o)) for s, o in graph.subject_objects(predicate)]


def _evidence(
    graph: Graph, classes: dict[URIRef, str], iris: dict[str, URIRef]
) -> dict[tuple[URIRef, URIRef], list[tuple[str, str]]]:
    """(paper, entity) -> [(section, sentence)] of the mentions (the subjects of
    ``pkg:inPaper``, whose domain is ``pkg:Mention``)."""
    node_of = {str(node): node for node in classes}
    papers = dict(_lexical_pairs(graph, PKG.inPaper))
    entities = dict(_lexical_pairs(graph, PKG.mentionOf))
    sections = dict(_lexical_pairs(graph, PKG.section))
    evidence: dict[tuple[URIRef, URIRef], list[tuple[str, str]]] = defaultdict(list)
    for mention, text in _lexical_pairs(graph, PROV.value):
        paper, entity = node_of.get(papers.get(mention, "")), node_of.get(entities.get(mention, ""))
        if paper is not None and entity is not None:
            evidence[paper, entity].append((sections.get(mention, ""), text))
    return {key: sorted(found) for key, found in evidence.items()}
