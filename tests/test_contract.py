"""The RDF shape of ../shared/CONTRACT.md, checked by SPARQL over the samples' graph."""

from __future__ import annotations

from kg.namespaces import PKG

PREFIXES = """
PREFIX pkg: <https://w3id.org/paperkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def scalar(graph, query: str) -> int:
    return int(next(iter(graph.query(PREFIXES + query)))[0])


def test_exactly_558_papers(samples_graph):
    assert scalar(samples_graph, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Paper }") == 558


def test_93_hf_papers_and_465_arxiv_list_papers(samples_graph):
    hf = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Paper ; pkg:hfPage ?h }"
    listed = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Paper ; pkg:publishedDate ?d }"
    assert scalar(samples_graph, hf) == 93
    assert scalar(samples_graph, listed) == 465


def test_every_sample_paper_is_in_the_graph(samples_graph):
    import re

    from kg.paths import SAMPLES_DIR

    ids = set()
    for path in SAMPLES_DIR.glob("*.txt"):
        ids |= set(re.findall(r"(?:huggingface\.co/papers|arxiv\.org/abs)/(\d{4}\.\d{4,5})", path.read_text(encoding="utf-8")))
    in_graph = {str(o) for o in samples_graph.objects(None, PKG.arxivId)}
    assert ids == in_graph


def test_every_paper_has_arxiv_id_without_version_title_and_date(samples_graph):
    query = """
    SELECT ?p WHERE { ?p a pkg:Paper .
      FILTER NOT EXISTS { ?p pkg:arxivId ?id ; pkg:title ?t ; pkg:date ?d .
                          FILTER(REGEX(?id, "^[0-9]{4}\\\\.[0-9]{4,5}$") && DATATYPE(?d) = xsd:date) } }"""
    assert list(samples_graph.query(PREFIXES + query)) == []


def test_one_node_per_paper(samples_graph):
    query = "SELECT ?id (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pkg:arxivId ?id } GROUP BY ?id HAVING (COUNT(DISTINCT ?p) > 1)"
    assert list(samples_graph.query(PREFIXES + query)) == []


def test_entities_have_one_class_and_one_label(samples_graph):
    query = """
    SELECT ?e WHERE {
      VALUES ?c { pkg:Model pkg:Dataset pkg:Benchmark pkg:Method }
      ?e a ?c .
      { SELECT ?e (COUNT(DISTINCT ?c2) AS ?classes) (COUNT(DISTINCT ?l) AS ?labels) WHERE {
          VALUES ?c2 { pkg:Model pkg:Dataset pkg:Benchmark pkg:Method }
          ?e a ?c2 ; rdfs:label ?l } GROUP BY ?e }
      FILTER(?classes != 1 || ?labels != 1) }"""
    assert list(samples_graph.query(PREFIXES + query)) == []


def test_relations_link_papers_to_entities_directly(samples_graph):
    query = """
    SELECT (COUNT(*) AS ?n) WHERE {
      VALUES ?r { pkg:proposes pkg:evaluatesOn pkg:comparesWith pkg:uses }
      VALUES ?c { pkg:Model pkg:Dataset pkg:Benchmark pkg:Method }
      ?p a pkg:Paper ; ?r ?e . ?e a ?c }"""
    assert scalar(samples_graph, query) > 1000


def test_each_link_has_evidence_with_sentence_and_section(samples_graph):
    query = """
    SELECT ?p ?r ?e WHERE {
      VALUES ?r { pkg:proposes pkg:evaluatesOn pkg:comparesWith pkg:uses }
      ?p ?r ?e .
      FILTER NOT EXISTS { ?m pkg:inPaper ?p ; pkg:mentionOf ?e ; pkg:relation ?r ;
                          pkg:section ?s ; prov:value ?sentence } }"""
    assert list(samples_graph.query(PREFIXES + query)) == []


def test_helmet_is_a_benchmark_that_papers_evaluate_on(samples_graph):
    query = """
    SELECT DISTINCT ?id WHERE { ?p pkg:evaluatesOn ?b ; pkg:arxivId ?id .
      ?b a pkg:Benchmark ; rdfs:label "HELMET" }"""
    assert "2602.05258" in {str(row.id) for row in samples_graph.query(PREFIXES + query)}


def test_no_blank_nodes(samples_graph):
    from rdflib import BNode

    assert not any(isinstance(term, BNode) for triple in samples_graph for term in triple)
