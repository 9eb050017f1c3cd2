"""The RDF graph: papers, entities, their relations and the evidence of each relation.

Every node has an IRI minted from its content (kg.namespaces), so the same input gives the
same triples, and the Turtle written from them is byte-identical across runs.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import PROV, RDF, RDFS, SKOS, VOID, XSD

from kg.namespaces import (
    DATASET,
    ENTITY,
    PKG,
    PREFIXES,
    digest_iri,
    mention_iri,
    paper_iri,
    section_iri,
    slugify,
    topic_iri,
)
from kg.domain import SECTION_PROPERTIES
from kg.paths import ONTOLOGY_DIR
from kg.records import Diagnostic, PaperRecord, shorten
from kg.store import extend, is_oxigraph, oxigraph_graph, oxigraph_store, to_ox, triples

if TYPE_CHECKING:  # kg.resolve imports the NLP package and spaCy: not needed to read a graph
    from kg.readers import InputFile
    from kg.resolve import Resolution

#: CONSTRUCT queries whose answers :func:`add_statistics` materialises in a graph.
STATISTICS_DIR = ONTOLOGY_DIR / "statistics"
#: The VoID description of the graph, holding its class, relation and topic partitions.
DATASET_NODE = DATASET["graph"]


#: Paper fields that become IRIs in the graph, with the name a diagnostic gives them.
LINK_FIELDS = {"code_url": "code link", "hf_url": "Hugging Face link"}


def drop_invalid_links(papers: Iterable[PaperRecord]) -> list[Diagnostic]:
    """Clear each link of ``papers`` that is not a valid IRI (RFC 3987, as Oxigraph checks it:
    ``**[link](repo)**``, a quote or space in a URL), so that one bad link never stops the
    graph; returns a ``repaired`` diagnostic per link dropped. The paper itself is kept."""
    diagnostics = []
    for paper in papers:
        for name, what in LINK_FIELDS.items():
            value = getattr(paper, name)
            if not value:
                continue
            try:
                ox.NamedNode(value)
            except ValueError:
                setattr(paper, name, None)
                message = f"paper {paper.arxiv_id}: {what} {shorten(value)!r} is not a valid IRI; dropped"
                diagnostics.append(Diagnostic(paper.source, message, "repaired"))
    return diagnostics


def entity_slugs(labels: Iterable[str]) -> dict[str, str]:
    """IRI slug of each entity label; labels whose slugs collide get a hash suffix."""
    by_slug: dict[str, list[str]] = {}
    for label in sorted(set(labels)):
        by_slug.setdefault(slugify(label), []).append(label)
    slugs = {}
    for slug, labels_ in by_slug.items():
        for label in labels_:
            unique = len(labels_) == 1
            slugs[label] = slug if unique else f"{slug}-{hashlib.sha1(label.encode()).hexdigest()[:6]}"
    return slugs


def topic_labels(papers: Iterable[PaperRecord]) -> dict[str, tuple[str, ...]]:
    """Each topic's labels, its own first, keyed by the topic's IRI.

    Labels that mint the same IRI (``Vision Language``, ``Vision-Language``) name one topic,
    labelled as entities are: by its most frequent form, then the longest, then the first in
    code point order; the others become its ``skos:altLabel``."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for paper in papers:
        for topic in paper.topics:
            counts[str(topic_iri(topic))][topic] += 1
    return {
        iri: tuple(label for label, _ in sorted(found.items(), key=lambda item: (-item[1], -len(item[0]), item[0])))
        for iri, found in counts.items()
    }


def build_graph(
    papers: Iterable[PaperRecord],
    resolution: Resolution,
    digests: dict[str, str] | None = None,
    *,
    store_dir: str | Path | None = None,
    files: Iterable[InputFile] = (),
) -> Graph:
    """The knowledge graph of ``papers`` and their resolved entities.

    ``digests`` maps an input file path to the SHA-256 of its content; papers link to the
    digests they were read from with ``pkg:source``; ``files`` (the readers' report) gives each
    digest its layout and the share of its paper text kept (``pkg:layout``, ``pkg:textCoverage``). The graph is an rdflib ``Graph`` on
    Oxigraph's store (oxrdflib), filled in one bulk call with triples made as pyoxigraph
    terms, so building costs no rdflib term or index per triple. The store is in memory, or
    on disk in the empty or new folder ``store_dir`` (RocksDB) for graphs larger than memory.
    The graph's statistics are materialised in it (:func:`add_statistics`).
    """
    reading = {info.path: info for info in files}
    return add_statistics(_oxigraph_graph(_triples(papers, resolution, digests or {}, reading), store_dir))


def add_statistics(graph: Graph) -> Graph:
    """Materialise the statistics of ``STATISTICS_DIR`` in ``graph`` and return it.

    Each ``.rq`` file there is a CONSTRUCT query: per entity ``pkg:paperCount`` and
    ``pkg:firstDate``, and a VoID description (``dataset:graph``) with node counts per class,
    link counts per relation and per-topic subsets. All are computed on the graph as it is,
    then added, so the library queries read a count instead of aggregating every link
    (100k papers: top-methods 1.4 -> 0.13 s). A graph edited afterwards keeps stale counts:
    rebuild it, or drop them and call this again.
    """
    queries = [path.read_text(encoding="utf-8") for path in sorted(STATISTICS_DIR.glob("*.rq"))]
    store = oxigraph_store(graph)
    if store is None:
        triples = [triple for query in queries for triple in graph.query(query)]
        graph.addN((s, p, o, graph) for s, p, o in triples)
    else:
        quads = [ox.Quad(*triple) for query in queries for triple in store.query(query)]
        store.bulk_extend(quads)
    return graph


def has_statistics(graph: Graph) -> bool:
    """Whether ``graph`` holds the VoID description :func:`add_statistics` writes."""
    return (DATASET_NODE, RDF.type, VOID.Dataset) in graph


def triple_count(graph: Graph) -> int:
    """``len(graph)``, from the store's own count when the graph is an Oxigraph default graph
    with no named graph beside it (oxrdflib's ``len`` runs a ``COUNT(DISTINCT ...)`` query that
    holds every triple in a hash set: +162 MB at 10k papers)."""
    store = oxigraph_store(graph)
    if store is not None and next(store.named_graphs(), None) is None:
        return len(store)
    return len(graph)


def turtle_bytes(graph: Graph, *, tap: Callable[[ox.Triple], object] | None = None) -> bytes:
    """Turtle of ``graph``, byte-identical for the same triples whatever the store or insertion order.

    Triples are sorted by (subject, predicate, object) strings and streamed, one subject at
    a time, to Oxigraph's serializer with paperkg's prefixes; plain strings stay plain
    literals. A graph on another store is copied to Oxigraph first. Raises ``ValueError``
    on blank nodes, which have no stable Turtle form. ``tap`` is called with each triple as it
    is written: ``kg build`` collects the page's data in the same pass over the store
    (:class:`kg.html.model.TripleReader`).
    """
    if not is_oxigraph(graph):
        graph = _oxigraph_graph(tuple(map(to_ox, triple)) for triple in graph)

    def ordered() -> Iterator[ox.Triple]:
        subjects = {triple.subject for triple in triples(graph)}
        for subject in sorted(subjects, key=lambda node: node.value):
            for triple in sorted(triples(graph, subject), key=_order):
                if tap is not None:
                    tap(triple)
                yield triple

    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return ox.serialize(ordered(), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _oxigraph_graph(new: Iterable[Triple], store_dir: str | Path | None = None) -> Graph:
    """:func:`kg.store.oxigraph_graph` holding the triples ``new``."""
    return extend(oxigraph_graph(store_dir), new)


def _order(triple: ox.Triple) -> tuple[str, str, int, str, str]:
    """Sort key: subject, predicate, IRIs before literals, object value, language or datatype."""
    obj = triple.object
    if isinstance(triple.subject, ox.BlankNode) or isinstance(obj, ox.BlankNode):
        raise ValueError("blank nodes have no stable Turtle form; mint an IRI instead")
    if isinstance(obj, ox.Literal):
        return triple.subject.value, triple.predicate.value, 1, obj.value, obj.language or obj.datatype.value
    return triple.subject.value, triple.predicate.value, 0, obj.value, ""


class _Terms:
    """pyoxigraph terms for rdflib IRIs, each converted once."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def __call__(self, iri: str) -> ox.NamedNode:
        node = self._iris.get(iri)
        if node is None:
            node = self._iris[iri] = ox.NamedNode(iri)
        return node


_XSD_DATE = ox.NamedNode(str(XSD.date))
_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
_XSD_DECIMAL = ox.NamedNode(str(XSD.decimal))
Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


#: Code points that are not text: NUL (C tools such as rapper end a string there) and the
#: Unicode non-characters (U+FDD0-U+FDEF, U+FFFE, U+FFFF; rapper and XML refuse them).
_NOT_TEXT = re.compile("[\x00\ufdd0-\ufdef\ufffe\uffff]")


def _text(text: str) -> ox.Literal:
    """A plain literal of digest text, without what is not text (:data:`_NOT_TEXT`)."""
    return ox.Literal(_NOT_TEXT.sub("", text))


def _zh(text: str) -> ox.Literal:
    return ox.Literal(_NOT_TEXT.sub("", text), language="zh")


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def _summary(text: str) -> ox.Literal:
    """Summary text tagged with its language: Chinese when it holds a CJK character, else English."""
    return ox.Literal(_NOT_TEXT.sub("", text), language="zh" if _CJK.search(text) else "en")


def _triples(papers: Iterable[PaperRecord], resolution: Resolution, digests: dict[str, str],
             reading: dict[str, InputFile]) -> Iterator[Triple]:
    """Every triple of the graph (see ``build_graph``); a triple may repeat."""
    papers = list(papers)  # read twice: their own triples, then their topics'
    iri = _Terms()
    a, paper_class, digest_class, file_name = iri(RDF.type), iri(PKG.Paper), iri(PKG.Digest), iri(PKG.fileName)
    for path, sha in sorted(digests.items()):
        node = iri(digest_iri(sha))
        yield node, a, digest_class
        yield node, file_name, _text(Path(path).name)
        info = reading.get(path)
        if info is not None and info.format:
            yield node, iri(PKG.layout), _text(info.format)
        if info is not None and info.coverage is not None:
            yield node, iri(PKG.textCoverage), ox.Literal(f"{info.coverage:.4f}", datatype=_XSD_DECIMAL)
    for paper in papers:
        yield from _paper_triples(paper, digests, iri)
    topic_class, pref_label, alt_label = iri(PKG.Topic), iri(SKOS.prefLabel), iri(SKOS.altLabel)
    for topic, (label, *others) in topic_labels(papers).items():
        node = iri(topic)
        yield node, a, topic_class
        yield node, pref_label, _zh(label)
        for other in others:
            yield node, alt_label, _zh(other)
    slugs = entity_slugs(e.label for e in resolution.entities)
    entity_nodes = {label: iri(ENTITY[slug]) for label, slug in slugs.items()}
    label, alt_label, variant_of, based_on = iri(RDFS.label), iri(SKOS.altLabel), iri(PKG.variantOf), iri(PKG.basedOn)
    for entity in resolution.entities:
        node = entity_nodes[entity.label]
        yield node, a, iri(PKG[entity.type])
        yield node, label, _text(entity.label)
        for alt in entity.alt_labels:
            yield node, alt_label, _text(alt)
        if entity.variant_of:
            yield node, variant_of, entity_nodes[entity.variant_of]
        if entity.based_on:
            yield node, based_on, entity_nodes[entity.based_on]
    shared_alias = iri(PKG.sharedAlias)
    for withheld in resolution.withheld:
        for claimant in withheld.entities:
            yield entity_nodes[claimant], shared_alias, ox.Literal(withheld.alias)
    mention_class, in_paper, mention_of = iri(PKG.Mention), iri(PKG.inPaper), iri(PKG.mentionOf)
    relation_, surface, section, value = iri(PKG.relation), iri(PKG.surfaceForm), iri(PKG.section), iri(PROV.value)
    for link in resolution.links:
        paper, entity = iri(paper_iri(link.paper_id)), entity_nodes[link.entity]
        relation = iri(PKG[link.relation])
        yield paper, relation, entity
        mention = ox.NamedNode(mention_iri(link.paper_id, slugs[link.entity]))
        yield mention, a, mention_class
        yield mention, in_paper, paper
        yield mention, mention_of, entity
        yield mention, relation_, relation
        yield mention, surface, _text(link.surface)
        yield mention, section, _zh(link.section)
        yield mention, value, _zh(link.sentence)


def _paper_triples(paper: PaperRecord, digests: dict[str, str], iri: _Terms) -> Iterator[Triple]:
    """One paper's metadata and summary."""
    node, a = iri(paper_iri(paper.arxiv_id)), iri(RDF.type)
    yield node, a, iri(PKG.Paper)
    yield node, iri(PKG.arxivId), ox.Literal(paper.arxiv_id)
    yield node, iri(PKG.title), _text(paper.title)
    for title in paper.alternative_titles:
        yield node, iri(PKG.alternativeTitle), _text(title)
    for predicate, day in ((PKG.date, paper.date), (PKG.reportDate, paper.report_date),
                           (PKG.publishedDate, paper.publish_date)):
        if day:
            yield node, iri(predicate), ox.Literal(day.isoformat(), datatype=_XSD_DATE)
    yield node, iri(PKG.arxivPage), ox.NamedNode(f"https://arxiv.org/abs/{paper.arxiv_id}")
    if paper.hf_url:
        yield node, iri(PKG.hfPage), ox.NamedNode(paper.hf_url)
    if paper.code_url:
        repo = ox.NamedNode(paper.code_url)
        yield node, iri(PKG.codeRepository), repo
        yield repo, a, iri(PKG.CodeRepository)
    for topic in paper.topics:  # the topics' own triples: _triples, from topic_labels
        yield node, iri(PKG.topic), iri(topic_iri(topic))
    for key, text in paper.sections.items():
        if key in SECTION_PROPERTIES and text:
            yield node, iri(SECTION_PROPERTIES[key]), _summary(text)
    for author in dict.fromkeys(paper.authors):
        yield node, iri(PKG.author), _text(author)
    for position, (heading, text) in enumerate((*paper.other_sections, *paper.notes), start=1):
        part = iri(section_iri(paper.arxiv_id, position))
        yield node, iri(PKG.digestSection), part
        yield part, a, iri(PKG.DigestSection)
        yield part, iri(PKG.position), ox.Literal(str(position), datatype=_XSD_INTEGER)
        if heading:
            yield part, iri(PKG.heading), _text(heading)
        if text:
            yield part, iri(PKG.text), _summary(text)
    for source in paper.sources or (paper.source,):
        if source.path in digests:
            yield node, iri(PKG.source), iri(digest_iri(digests[source.path]))
