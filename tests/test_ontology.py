"""ontology/paperkg.ttl: it parses, declares every term of the graph, labels them in en and zh."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.domain import ENTITY_CLASSES, RELATIONS
from kg.namespaces import PKG, SCHEMA
from kg.paths import ONTOLOGY_DIR

ONTOLOGY = ONTOLOGY_DIR / "paperkg.ttl"
MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
MLS = "http://www.w3.org/ns/mls#"
FAIR4ML = "https://w3id.org/fair4ml#"
FABIO = "http://purl.org/spar/fabio/"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def declared(onto: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in onto.subjects(RDF.type, t) if str(s).startswith(str(PKG))}


def pkg_terms(graph: Graph) -> set[URIRef]:
    return {node for triple in graph for node in triple if isinstance(node, URIRef) and str(node).startswith(str(PKG))}


def test_ontology_header(onto):
    ontology = URIRef("https://w3id.org/paperkg/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in onto
    assert onto.value(ontology, OWL.versionInfo) is not None
    assert {t.language for t in onto.objects(ontology, DCTERMS.title)} == {"en", "zh"}


@pytest.mark.skipif(shutil.which("rapper") is None, reason="raptor2-utils (rapper) not installed")
def test_an_independent_parser_accepts_it():
    done = subprocess.run(["rapper", "-q", "-i", "turtle", "-c", str(ONTOLOGY)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_term_of_the_mini_graph_is_declared(onto):
    used = pkg_terms(Graph().parse(MINI, format="turtle"))
    assert used, "the mini graph uses pkg: terms"
    assert used - declared(onto) == set()


def test_every_term_of_the_architecture_is_declared(onto):
    expected = {
        "Paper", "Entity", "Model", "Dataset", "Benchmark", "Method", "Topic", "CodeRepository", "Mention", "Digest",
        "mentions", "proposes", "evaluatesOn", "comparesWith", "uses", "variantOf", "basedOn", "sharedAlias", "topic", "codeRepository",
        "arxivPage", "hfPage", "source", "inPaper", "mentionOf", "relation", "arxivId", "title", "date",
        "reportDate", "publishedDate", "applicationArea", "coreContribution", "usageGuide", "innovations",
        "experimentalResults", "abstract", "surfaceForm", "section", "fileName", "alternativeTitle",
        "paperCount", "firstDate", "DigestSection", "digestSection", "heading", "text", "position", "author", "layout", "textCoverage",
    }
    assert {PKG[name] for name in expected} == declared(onto)
    assert {PKG[name] for name in ENTITY_CLASSES} <= set(onto.subjects(RDF.type, OWL.Class))


def test_every_term_is_labelled_and_commented_in_english_and_chinese(onto):
    for term in sorted(declared(onto)):
        for prop in (RDFS.label, RDFS.comment):
            languages = sorted(literal.language for literal in onto.objects(term, prop))
            assert languages == ["en", "zh"], f"{term} {prop}: {languages}"


def test_every_term_has_one_kind(onto):
    for term in declared(onto):
        kinds = [t for t in TERM_TYPES if (term, RDF.type, t) in onto]
        assert len(kinds) == 1, (term, kinds)


def test_the_four_relations_are_sub_properties_of_mentions(onto):
    for name in RELATIONS:
        assert (PKG[name], RDFS.subPropertyOf, PKG.mentions) in onto
        assert onto.value(PKG[name], RDFS.domain) == PKG.Paper
        assert onto.value(PKG[name], RDFS.range) == PKG.Entity
    assert (PKG.mentions, RDFS.subPropertyOf, SCHEMA.mentions) in onto


def test_entity_classes(onto):
    for name in ENTITY_CLASSES:
        assert (PKG[name], RDFS.subClassOf, PKG.Entity) in onto
    assert (PKG.Benchmark, RDFS.subClassOf, PKG.Dataset) not in onto
    disjoint_pairs = {frozenset((s, o)) for s, o in onto.subject_objects(OWL.disjointWith)}
    classes = [PKG[name] for name in ENTITY_CLASSES]
    assert disjoint_pairs == {frozenset((a, b)) for a in classes for b in classes if a != b}
    assert {URIRef(FAIR4ML + "MLModel"), URIRef(MLS + "Model")} <= set(onto.objects(PKG.Model, RDFS.subClassOf))
    for name in ("Dataset", "Benchmark"):
        assert {SCHEMA.Dataset, URIRef(MLS + "Dataset")} <= set(onto.objects(PKG[name], RDFS.subClassOf))
    assert (PKG.Method, RDFS.subClassOf, URIRef(MLS + "Algorithm")) in onto


def test_alignments(onto):
    expected = [
        (PKG.Paper, RDFS.subClassOf, SCHEMA.ScholarlyArticle),
        (PKG.Paper, RDFS.subClassOf, URIRef(FABIO + "Preprint")),
        (PKG.Topic, RDFS.subClassOf, SKOS.Concept),
        (PKG.Mention, RDFS.subClassOf, PROV.Entity),
        (PKG.CodeRepository, RDFS.subClassOf, SCHEMA.SoftwareSourceCode),
        (PKG.variantOf, RDFS.subPropertyOf, DCTERMS.isVersionOf),
        (PKG.topic, RDFS.subPropertyOf, DCTERMS.subject),
        (PKG.codeRepository, RDFS.subPropertyOf, SCHEMA.codeRepository),
        (PKG.arxivPage, RDFS.subPropertyOf, SCHEMA.url),
        (PKG.hfPage, RDFS.subPropertyOf, SCHEMA.url),
        (PKG.source, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (PKG.inPaper, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (PKG.arxivId, RDFS.subPropertyOf, URIRef(FABIO + "hasArXivId")),
        (PKG.title, RDFS.subPropertyOf, DCTERMS.title),
        (PKG.date, RDFS.subPropertyOf, DCTERMS.date),
        (PKG.reportDate, RDFS.subPropertyOf, PKG.date),
        (PKG.publishedDate, RDFS.subPropertyOf, PKG.date),
        (PKG.abstract, RDFS.subPropertyOf, DCTERMS.abstract),
    ]
    missing = [triple for triple in expected if triple not in onto]
    assert missing == []
    # schema.org over http, as FAIR4ML and kglab use it, never rdflib's https default
    assert not [o for o in onto.objects() if str(o).startswith("https://schema.org/")]


def test_no_blank_nodes(onto):
    assert not [t for t in onto if any(isinstance(n, BNode) for n in t)]
