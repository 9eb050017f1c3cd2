"""kg.graph: the graph on Oxigraph's store and its deterministic Turtle (turtle_bytes)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.graph import turtle_bytes
from kg.namespaces import PKG, PREFIXES

MINI = Path(__file__).resolve().parent / "data" / "mini_graph.ttl"


def _plain(graph: Graph) -> set:
    """The triples of ``graph`` with ``xsd:string`` literals as plain ones (the same RDF 1.1 term)."""
    def norm(term):
        return Literal(str(term)) if isinstance(term, Literal) and term.datatype == XSD.string else term
    return {tuple(map(norm, triple)) for triple in graph}


def test_build_graph_is_on_oxigraph_and_written_turtle_holds_the_same_triples(samples_build, samples_graph):
    assert samples_build.graph.store.__class__.__name__ == "OxigraphStore"
    assert len(samples_build.graph) == samples_build.triples == len(samples_graph)
    assert _plain(samples_build.graph) == set(samples_graph)


def test_turtle_keeps_plain_strings_language_tags_and_dates(samples_build, samples_graph):
    text = samples_build.outputs[0].read_text(encoding="utf-8")
    assert "XMLSchema#string" not in text and "xsd:string" not in text
    paper = next(iter(samples_graph.subjects(RDF.type, PKG.Paper)))
    (title,) = samples_graph.objects(paper, PKG.title)
    assert title.datatype is None and title.language is None
    assert next(iter(samples_graph.objects(paper, PKG.date))).datatype == XSD.date
    assert {o.language for o in samples_graph.objects(None, PKG.coreContribution)} == {"zh"}


def test_turtle_bytes_written_by_build_do_not_depend_on_store_or_insertion_order(samples_build, samples_graph):
    written = samples_build.outputs[0].read_bytes()
    assert turtle_bytes(samples_build.graph) == written
    shuffled = list(samples_graph)
    random.Random(7).shuffle(shuffled)
    memory = Graph()
    for triple in shuffled:
        memory.add(triple)
    assert turtle_bytes(memory) == written


def test_turtle_bytes_sorts_subjects_and_binds_paperkg_prefixes():
    data = turtle_bytes(Graph().parse(MINI, format="turtle"))
    text = data.decode("utf-8")
    for prefix, namespace in PREFIXES.items():
        assert f"@prefix {prefix}: <{namespace}> ." in text
    subjects = [line.split(" ", 1)[0] for line in text.splitlines() if line and not line[0].isspace()
                and not line.startswith("@prefix")]
    iris = [token[1:-1] if token.startswith("<") else str(PREFIXES[token.split(":", 1)[0]]) + token.split(":", 1)[1]
            for token in subjects]
    assert iris == sorted(set(iris))  # sorted by IRI, one block per subject
    assert set(Graph().parse(data=data, format="turtle")) == set(Graph().parse(MINI, format="turtle"))


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_turtle_bytes_are_identical_across_hash_seeds(seed):
    code = "import sys; from rdflib import Graph; from kg.graph import turtle_bytes; " \
           f"sys.stdout.buffer.write(turtle_bytes(Graph().parse({str(MINI)!r})))"
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={"PYTHONHASHSEED": s, "PATH": "/usr/bin:/bin"},
                           cwd=Path(__file__).resolve().parent.parent).stdout for s in (seed, "0")]
    assert runs[0] == runs[1] and runs[0]


def test_turtle_bytes_is_rapper_clean(samples_build):
    done = subprocess.run(["rapper", "-i", "turtle", "-c", str(samples_build.outputs[0])],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"returned {samples_build.triples} triples" in done.stderr


def test_turtle_bytes_refuses_blank_nodes():
    graph = Graph()
    graph.add((BNode(), RDF.type, URIRef(PKG.Paper)))
    with pytest.raises(ValueError, match="blank nodes"):
        turtle_bytes(graph)


def test_html_is_the_same_read_from_oxigraph_or_rdflib_memory(samples_build, samples_graph):
    from kg.html import render_html

    assert render_html(samples_build.graph) == render_html(samples_graph)
    assert render_html(samples_graph) == samples_build.outputs[1].read_text(encoding="utf-8")


def test_topic_labels_that_mint_one_iri_are_one_topic_labelled_like_an_entity():
    """``Vision Language`` and ``Vision-Language`` are one topic: the most frequent form is its
    label, the other an alternative label, and the graph passes the shapes."""
    import datetime as dt

    from rdflib.namespace import SKOS

    from kg.graph import build_graph
    from kg.namespaces import TOPIC
    from kg.records import PaperRecord, SourceRef
    from kg.resolve import Resolution
    from kg.validate import validate

    papers = [
        PaperRecord(f"2603.0000{n}", f"Paper {n}", "hf-daily", SourceRef("d.md", n), topics=(topic,),
                    report_date=dt.date(2026, 3, 2))
        for n, topic in enumerate(["Vision Language", "Vision-Language", "Vision-Language"])
    ]
    graph = build_graph(papers, Resolution())
    topic = TOPIC["vision-language"]
    assert set(graph.objects(topic, SKOS.prefLabel)) == {Literal("Vision-Language", lang="zh")}
    assert set(graph.objects(topic, SKOS.altLabel)) == {Literal("Vision Language", lang="zh")}
    assert len(set(graph.subjects(PKG.topic, topic))) == 3
    assert validate(graph).conforms, [p.message for p in validate(graph).problems]
