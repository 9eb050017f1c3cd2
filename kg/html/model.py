"""The part of the RDF graph the HTML page shows: drawn nodes, their links and panel details.

Papers, the four entity classes and topics are drawn as nodes. Code repositories and
mentions are not: a paper's code links and a link's evidence sentences go to the side panel.
Everything is read with one pass per predicate (or from the triples ``kg build`` writes as
Turtle: :class:`TripleReader`), so reading is linear in the graph's size.
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import PROV

from kg.domain import DRAWN_CLASSES as DRAWN_STYLES, ENTITY_CLASSES, RELATION_LABELS, RELATIONS
from kg.namespaces import PKG
from kg.store import oxigraph_store

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
        """Read the drawable part of ``graph`` (see the module docstring), one pass per predicate."""
        reader = TripleReader()
        reader.read(graph)
        return reader.data()

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


#: Predicates whose objects the page reads, by kind: literal values, links to drawn nodes, and
#: the four facts of a mention (its evidence).
VALUE_PREDICATES = (
    PKG.title, RDFS.label, SKOS.prefLabel, SKOS.altLabel, PKG.arxivId, PKG.date, PKG.arxivPage, PKG.hfPage,
    PKG.codeRepository, *SUMMARY_PREDICATES, PKG.firstDate,
)
LINK_PREDICATES = (*(PKG[relation] for relation in RELATIONS), PKG.topic, PKG.variantOf)
MENTION_PREDICATES = (PKG.inPaper, PKG.mentionOf, PKG.section, PROV.value)


class TripleReader:
    """Collects the drawable part of a graph from its triples, given in any order, then makes
    its :class:`GraphData` (:meth:`data`).

    :meth:`read` reads a graph one pass per predicate it needs. :meth:`add` takes triples one
    by one: ``kg build`` passes it every triple it writes as Turtle (``turtle_bytes(graph,
    tap=reader.add)``), so the page needs no second read of the store (on disk at 100k papers
    that read was most of the page's time). Only strings are kept until :meth:`data`.
    """

    def __init__(self) -> None:
        #: node -> its drawn class's place in the legend (the first wins)
        self._classes: dict[str, int] = {}
        self._values: dict[str, dict[str, list[str]]] = {str(p): defaultdict(list) for p in VALUE_PREDICATES}
        self._links: dict[str, dict[str, list[str]]] = {str(p): defaultdict(list) for p in LINK_PREDICATES}
        #: mention -> [paper, entity, section, sentence] (None: not seen)
        self._mentions: dict[str, list[str | None]] = {}
        #: predicate -> what takes its (subject, object IRI or lexical form, object is an IRI)
        self._sinks: dict[str, Callable[[str, str, bool], None]] = {_RDF_TYPE: self._take_type}
        for predicate, found in self._values.items():
            self._sinks[predicate] = lambda subject, value, _, found=found: found[subject].append(value)
        for predicate, found in self._links.items():
            self._sinks[predicate] = lambda subject, value, iri, found=found: found[subject].append(value) if iri else None
        for slot, predicate in enumerate(MENTION_PREDICATES):
            self._sinks[str(predicate)] = lambda subject, value, _, slot=slot: self._take_mention(subject, slot, value)
        self._class_rank = {str(PKG[name]): i for i, name in enumerate(DRAWN_CLASSES)}

    def add(self, triple: ox.Triple) -> None:
        """Take one triple (Oxigraph terms); triples the page does not show are ignored."""
        sink = self._sinks.get(triple.predicate.value)
        if sink is not None and type(triple.subject) is ox.NamedNode:
            obj = triple.object
            sink(triple.subject.value, obj.value, type(obj) is ox.NamedNode)

    def read(self, graph: Graph) -> None:
        """Take the triples of ``graph`` the page shows, read natively on Oxigraph's store."""
        store = oxigraph_store(graph)
        for predicate, sink in self._sinks.items():
            if store is not None:
                named = ox.NamedNode
                for quad in store.quads_for_pattern(None, named(predicate), None, ox.DefaultGraph()):
                    if type(quad.subject) is named:
                        sink(quad.subject.value, quad.object.value, type(quad.object) is named)
            else:
                for subject, obj in graph.subject_objects(URIRef(predicate)):
                    if isinstance(subject, URIRef):
                        sink(str(subject), str(obj), isinstance(obj, URIRef))

    def _take_type(self, node: str, cls: str, _: bool) -> None:
        rank = self._class_rank.get(cls)
        if rank is not None and rank < self._classes.get(node, len(DRAWN_CLASSES)):
            self._classes[node] = rank

    def _take_mention(self, mention: str, slot: int, value: str) -> None:
        facts = self._mentions.get(mention)
        if facts is None:
            facts = self._mentions[mention] = [None, None, None, None]
        facts[slot] = value

    def data(self) -> GraphData:
        """The :class:`GraphData` of the triples taken."""
        node_of = {iri: URIRef(iri) for iri in self._classes}
        classes = {node_of[iri]: DRAWN_CLASSES[rank] for iri, rank in self._classes.items()}

        def values(predicate: URIRef) -> dict[URIRef, list[str]]:
            return {node_of[s]: found for s, found in self._values[str(predicate)].items() if s in node_of}

        def links(predicate: URIRef, kinds: Iterable[str]) -> dict[URIRef, set[URIRef]]:
            return {
                node_of[s]: {node_of[o] for o in found if o in node_of and classes[node_of[o]] in kinds}
                for s, found in self._links[str(predicate)].items()
                if s in node_of
            }

        titles, labels, pref_labels = values(PKG.title), values(RDFS.label), values(SKOS.prefLabel)
        label_of: dict[URIRef, str] = {}
        for node, name in classes.items():
            options = titles if name == "Paper" else pref_labels if name == "Topic" else labels
            label_of[node] = _first(options.get(node, ())) or _first(labels.get(node, ())) or _local(node)
        aliases = {node: sorted(set(found) - {label_of[node]}) for node, found in values(SKOS.altLabel).items()}

        arxiv_ids, dates = values(PKG.arxivId), values(PKG.date)
        arxiv_pages, hf_pages, code = values(PKG.arxivPage), values(PKG.hfPage), values(PKG.codeRepository)
        summaries = [values(predicate) for predicate in SUMMARY_PREDICATES]
        info = {
            paper: PaperInfo(
                arxiv_id=_first(arxiv_ids.get(paper, ())) or _local(paper),
                date=_first(dates.get(paper, ())),
                arxiv_url=_first(arxiv_pages.get(paper, ())),
                hf_url=_first(hf_pages.get(paper, ())),
                code_urls=sorted(code.get(paper, ())),
                summary=next((_first(found[paper]) for found in summaries if paper in found), None),
            )
            for paper, name in classes.items()
            if name == "Paper"
        }
        by_relation: dict[URIRef, dict[str, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
        for relation in RELATIONS:
            for paper, entities in links(PKG[relation], ENTITY_CLASSES).items():
                if classes[paper] == "Paper":
                    by_relation[paper][relation].update(entities)
        evidence: dict[tuple[URIRef, URIRef], list[tuple[str, str]]] = defaultdict(list)
        for paper, entity, section, sentence in self._mentions.values():
            if paper in node_of and entity in node_of and sentence is not None:
                evidence[node_of[paper], node_of[entity]].append((section or "", sentence))
        return GraphData(
            classes,
            label_of,
            aliases,
            info,
            by_relation,
            topics=links(PKG.topic, ("Topic",)),
            variant_of=links(PKG.variantOf, tuple(name for name in DRAWN_CLASSES if name != "Paper")),
            evidence={key: sorted(found) for key, found in evidence.items()},
            first_dates={
                node: _first(found) for node, found in values(PKG.firstDate).items() if classes[node] in ENTITY_CLASSES
            },
        )


_RDF_TYPE = str(RDF.type)
