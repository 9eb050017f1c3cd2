"""ontology/shapes.ttl, kg/validate.py and `kg validate` on the mini graph and broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, SH, XSD

from kg.cli import main
from kg.namespaces import ENTITY, MENTION, PAPER, PKG
from kg.query import STORES, load_graph
from kg.store import oxigraph_graph, oxigraph_store
from kg.validate import validate

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
CLIPPED = PAPER["2510.08567"]
COPE = PAPER["2602.05258"]


def broken_graph() -> Graph:
    """The mini graph with one fault of each kind the shapes must catch."""
    graph = Graph().parse(MINI, format="turtle")
    graph.remove((CLIPPED, PKG.title, None))                                   # missing title
    graph.add((ENTITY.helmet, RDF.type, PKG.Dataset))                          # entity with two classes
    graph.remove((MENTION["2602.05258--cope"], PROV.value, None))              # mention without sentence
    graph.set((COPE, PKG.arxivId, Literal("2602.05258v2")))                    # bad arXiv id
    graph.add((ENTITY.rope, RDFS.label, Literal("Rotary Position Embedding")))  # second label
    graph.set((CLIPPED, PKG.date, Literal("9 Oct 2025")))                      # date not an xsd:date
    graph.add((ENTITY.matrix, PKG.uses, ENTITY.rope))                          # relation from a non-paper
    graph.set((MENTION["2602.05258--helmet"], PKG.relation, PKG.uses))         # evidence of a missing link
    graph.add((COPE, PKG.evaluatesOn, ENTITY.unknown))                         # untyped, unlabelled entity
    return graph


@pytest.mark.parametrize("store", STORES)
def test_mini_graph_conforms(store):
    report = validate(load_graph(MINI, store=store))
    assert report.conforms, [p.describe() for p in report.problems]
    assert report.problems == []


def pyshacl_problems(graph: Graph) -> list[tuple]:
    """The problems pySHACL, the reference engine, finds with kg.validate's shapes and options."""
    from pyshacl import validate as reference

    from kg.domain import ONTOLOGY_FILE
    from kg.query import plain_term
    from kg.validate import load_shapes

    _, results, _ = reference(graph, shacl_graph=load_shapes(), inference="none", advanced=True,
                              ont_graph=Graph().parse(ONTOLOGY_FILE, format="turtle"))
    return sorted(
        (results.value(r, SH.focusNode), results.value(r, SH.resultPath),
         " ".join(str(m) for m in sorted(results.objects(r, SH.resultMessage))),
         str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], plain_term(results.value(r, SH.value)))
        for r in results.subjects(SH.resultSeverity, None))


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("graph_name", ["mini", "broken"])
def test_reports_equal_pyshacl_reports(graph_name, store):
    graph = broken_graph() if graph_name == "broken" else Graph().parse(MINI, format="turtle")
    if store == "oxigraph":  # the engine reads the Oxigraph store under the graph directly
        copy = oxigraph_graph()
        copy += graph
        graph = copy
        assert oxigraph_store(graph) is not None
    mine = sorted((p.focus_node, p.path, p.message, p.severity, p.value) for p in validate(graph).problems)
    assert mine == pyshacl_problems(graph)
    assert (graph_name == "broken") == bool(mine)


@pytest.fixture(scope="module")
def broken_report():
    return validate(broken_graph())


def problems_of(report, node, path=None):
    return [p.message for p in report.problems if p.focus_node == node and (path is None or p.path == path)]


def test_broken_graph_does_not_conform(broken_report):
    assert not broken_report.conforms
    assert broken_report.violations == broken_report.problems


def test_missing_title(broken_report):
    assert problems_of(broken_report, CLIPPED, PKG.title) == ["a paper needs a non-empty title"]


def test_entity_with_two_classes(broken_report):
    messages = problems_of(broken_report, ENTITY.helmet, RDF.type)
    assert len(messages) == 1 and "exactly one entity class" in messages[0]


def test_entity_with_two_labels(broken_report):
    assert "exactly one rdfs:label" in problems_of(broken_report, ENTITY.rope, RDFS.label)[0]


def test_mention_without_sentence(broken_report):
    messages = problems_of(broken_report, MENTION["2602.05258--cope"], PROV.value)
    assert messages == ["a mention needs its evidence sentence (prov:value)"]


def test_bad_arxiv_id(broken_report):
    [problem] = [p for p in broken_report.problems if p.focus_node == COPE and p.path == PKG.arxivId]
    assert "arXiv id" in problem.message and problem.value == Literal("2602.05258v2")


def test_date_must_be_xsd_date(broken_report):
    assert "xsd:date" in problems_of(broken_report, CLIPPED, PKG.date)[0]


def test_relation_links_go_from_paper_to_entity(broken_report):
    assert any("only a pkg:Paper" in m for m in problems_of(broken_report, ENTITY.matrix))
    unknown = problems_of(broken_report, ENTITY.unknown)
    assert any("exactly one entity class" in m for m in unknown)
    assert any("rdfs:label" in m for m in unknown)


def test_mention_must_match_a_direct_link(broken_report):
    messages = problems_of(broken_report, MENTION["2602.05258--helmet"])
    assert messages == ["the mention's paper-to-entity link is not asserted as a direct triple"]


def test_problems_are_sorted_and_described_one_line(broken_report):
    keys = [(str(p.focus_node), str(p.path or "")) for p in broken_report.problems]
    assert keys == sorted(keys)
    lines = [p.describe() for p in broken_report.problems]
    assert all("\n" not in line for line in lines)
    assert "Violation paper:2602.05258 pkg:arxivId: a paper needs exactly one arXiv id" in "\n".join(lines)


def test_cli_reports_each_problem_and_exits_1(tmp_path):
    path = tmp_path / "broken.ttl"
    broken_graph().serialize(path, format="turtle")
    out = CliRunner().invoke(main, ["validate", "--graph", str(path)])
    assert out.exit_code == 1
    lines = out.stdout.splitlines()
    assert len(lines) == len(validate(broken_graph()).problems) >= 10
    assert any(line.startswith("Violation paper:2510.08567 pkg:title:") for line in lines)
    assert "violation(s)" in out.stderr


def test_cli_conforming_graph_exits_0():
    out = CliRunner().invoke(main, ["validate", "--graph", str(MINI)])
    assert out.exit_code == 0 and "conforms" in out.output


def test_cli_missing_graph_is_one_line_error(tmp_path):
    out = CliRunner().invoke(main, ["validate", "--graph", str(tmp_path / "none.ttl")])
    assert out.exit_code != 0 and "graph file not found" in out.output and "Traceback" not in out.output


def test_dates_typed_as_date_pass():
    graph = Graph().parse(MINI, format="turtle")
    graph.set((CLIPPED, PKG.date, Literal("2025-10-09", datatype=XSD.date)))
    assert validate(graph).conforms


def test_the_engine_reads_the_oxigraph_store_not_rdflib_triples(monkeypatch):
    # Walking the graph triple by triple through rdflib is what made pySHACL take 15-30 s on
    # the samples; the engine reads the store under the graph natively.
    graph = load_graph(MINI)

    def refuse(*_args, **_kwargs):
        raise AssertionError("the graph was read triple by triple through rdflib")

    monkeypatch.setattr(graph, "triples", refuse)
    assert validate(graph).conforms
