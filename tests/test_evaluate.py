"""``kg eval`` scoring on a small hand-made graph: per class, per source file, errors by class."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.evaluate import evaluate, format_scores
from kg.namespaces import ENTITY, PKG


def _graph() -> Graph:
    graph = Graph()
    digests = {"a.md": URIRef("urn:digest:a"), "b.jsonl": URIRef("urn:digest:b")}
    for name, node in digests.items():
        graph.add((node, PKG.fileName, Literal(name)))
    links = [
        ("1111.00001", "a.md", "FooNet", "Method", "proposes"),
        ("1111.00001", "a.md", "BarBench", "Benchmark", "evaluatesOn"),
        ("1111.00002", "b.jsonl", "BazLM", "Method", "uses"),  # gold: a Model
        ("1111.00002", "b.jsonl", "45GB", "Method", "uses"),  # no gold entity
    ]
    for paper_id, digest, label, entity_class, relation in links:
        paper, entity = URIRef(f"urn:paper:{paper_id}"), ENTITY[label]
        graph.add((paper, PKG.arxivId, Literal(paper_id)))
        graph.add((paper, PKG.source, digests[digest]))
        graph.add((paper, PKG[relation], entity))
        graph.add((entity, RDF.type, PKG[entity_class]))
        graph.add((entity, RDFS.label, Literal(label)))
    return graph


GOLD = [
    {"paper": "1111.00001", "entities": [
        {"name": "FooNet", "type": "Method", "role": "proposed"},
        {"name": "BarBench", "type": "Benchmark", "role": "evaluated_on"},
    ]},
    {"paper": "1111.00002", "entities": [
        {"name": "BazLM", "type": "Model", "role": "compared"},
        {"name": "QuxSet", "type": "Dataset", "role": "used"},
    ]},
]


def test_scores_per_source_file():
    scores = evaluate(_graph(), GOLD)
    assert scores.typed.tp == 2 and scores.typed.fn == 2 and scores.typed.fp == 2
    assert scores.per_source["a.md"].typed.f1 == 1.0
    assert scores.per_source["a.md"].role_accuracy == 1.0
    assert scores.per_source["b.jsonl"].typed.tp == 0 and scores.per_source["b.jsonl"].papers == 1
    assert scores.per_source["b.jsonl"].role_accuracy == 0.0


def test_errors_grouped_by_class():
    scores = evaluate(_graph(), GOLD)
    kinds = {(e.entity_class, e.kind, e.text.split(":")[0].split(" (")[0]) for e in scores.error_list}
    assert kinds == {("Model", "type", "BazLM"), ("Model", "role", "BazLM"), ("Dataset", "miss", "QuxSet"), ("Method", "false", "45GB")}
    report = format_scores(scores, explain=True)
    assert "errors by class" in report and "\nModel: type 1, role 1" in report
    assert "b.jsonl" in report  # the per-file table
