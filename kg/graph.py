"""The RDF graph: papers, entities, their relations and the evidence of each relation.

Every node has an IRI minted from its content (kg.namespaces), so the same input gives the
same triples, and the Turtle written from them is byte-identical across runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.namespaces import (
    ENTITY,
    PKG,
    bind_prefixes,
    digest_iri,
    mention_iri,
    paper_iri,
    slugify,
    topic_iri,
)
from kg.records import PaperRecord
from kg.resolve import Resolution

#: Summary section key -> the paper property holding its text.
SECTION_PROPERTIES = {
    "application_area": PKG.applicationArea,
    "core_contribution": PKG.coreContribution,
    "usage_guide": PKG.usageGuide,
    "innovations": PKG.innovations,
    "experimental_results": PKG.experimentalResults,
    "abstract": PKG.abstract,
}


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


def build_graph(
    papers: Iterable[PaperRecord],
    resolution: Resolution,
    digests: dict[str, str] | None = None,
) -> Graph:
    """The knowledge graph of ``papers`` and their resolved entities.

    ``digests`` maps an input file path to the SHA-256 of its content; papers link to the
    digests they were read from with ``pkg:source``.
    """
    graph = bind_prefixes(Graph())
    digests = digests or {}
    for path, sha in sorted(digests.items()):
        node = digest_iri(sha)
        graph.add((node, RDF.type, PKG.Digest))
        graph.add((node, PKG.fileName, Literal(Path(path).name)))
    for paper in papers:
        add_paper(graph, paper, digests)
    slugs = entity_slugs(e.label for e in resolution.entities)
    entity_nodes = {label: ENTITY[slug] for label, slug in slugs.items()}
    for entity in resolution.entities:
        node = entity_nodes[entity.label]
        graph.add((node, RDF.type, PKG[entity.type]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        for alt in entity.alt_labels:
            graph.add((node, SKOS.altLabel, Literal(alt)))
        if entity.variant_of:
            graph.add((node, PKG.variantOf, entity_nodes[entity.variant_of]))
    for link in resolution.links:
        paper, entity = paper_iri(link.paper_id), entity_nodes[link.entity]
        relation = PKG[link.relation]
        graph.add((paper, relation, entity))
        mention = mention_iri(link.paper_id, slugs[link.entity])
        graph.add((mention, RDF.type, PKG.Mention))
        graph.add((mention, PKG.inPaper, paper))
        graph.add((mention, PKG.mentionOf, entity))
        graph.add((mention, PKG.relation, relation))
        graph.add((mention, PKG.surfaceForm, Literal(link.surface)))
        graph.add((mention, PKG.section, Literal(link.section, lang="zh")))
        graph.add((mention, PROV.value, Literal(link.sentence, lang="zh")))
    return graph


def add_paper(graph: Graph, paper: PaperRecord, digests: dict[str, str]) -> URIRef:
    """Add one paper's metadata and summary to ``graph``."""
    node = paper_iri(paper.arxiv_id)
    graph.add((node, RDF.type, PKG.Paper))
    graph.add((node, PKG.arxivId, Literal(paper.arxiv_id)))
    graph.add((node, PKG.title, Literal(paper.title)))
    for title in paper.alternative_titles:
        graph.add((node, PKG.alternativeTitle, Literal(title)))
    if paper.date:
        graph.add((node, PKG.date, Literal(paper.date.isoformat(), datatype=XSD.date)))
    if paper.report_date:
        graph.add((node, PKG.reportDate, Literal(paper.report_date.isoformat(), datatype=XSD.date)))
    if paper.publish_date:
        graph.add((node, PKG.publishedDate, Literal(paper.publish_date.isoformat(), datatype=XSD.date)))
    graph.add((node, PKG.arxivPage, URIRef(f"https://arxiv.org/abs/{paper.arxiv_id}")))
    if paper.hf_url:
        graph.add((node, PKG.hfPage, URIRef(paper.hf_url)))
    if paper.code_url:
        repo = URIRef(paper.code_url)
        graph.add((node, PKG.codeRepository, repo))
        graph.add((repo, RDF.type, PKG.CodeRepository))
    for topic in paper.topics:
        topic_node = topic_iri(topic)
        graph.add((node, PKG.topic, topic_node))
        graph.add((topic_node, RDF.type, PKG.Topic))
        graph.add((topic_node, SKOS.prefLabel, Literal(topic, lang="zh")))
    for key, text in paper.sections.items():
        if key in SECTION_PROPERTIES and text:
            graph.add((node, SECTION_PROPERTIES[key], Literal(text, lang="zh")))
    for source in paper.sources or (paper.source,):
        if source.path in digests:
            graph.add((node, PKG.source, digest_iri(digests[source.path])))
    return node
