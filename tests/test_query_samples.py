"""The query library, stats and shapes on the graph `kg build` makes of the bundled samples."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph import add_statistics, has_statistics
from kg.namespaces import DATASET, PKG
from kg.query import STORES, load_graph, run_named_query
from tests.test_query import AGGREGATES, assert_answers_as_the_aggregate
from kg.stats import graph_stats


@pytest.fixture(scope="module")
def graph(samples_build):
    return load_graph(samples_build.outputs[0])


def test_papers_evaluating_on_helmet(graph):
    rows = list(run_named_query(graph, "papers-evaluating-on", {"name": "helmet"}))
    assert len(rows) >= 1
    assert "2602.05258" in {str(row["arxivId"]) for row in rows}


def test_top_benchmarks_returns_ten(graph):
    rows = list(run_named_query(graph, "top-benchmarks"))
    assert len(rows) == 10
    counts = [int(row["papers"]) for row in rows]
    assert counts == sorted(counts, reverse=True)


def test_papers_with_code(graph):
    papers = {row["paper"] for row in run_named_query(graph, "papers-with-code")}
    assert len(papers) >= 60


def test_stats_agree_with_the_build(graph, samples_build):
    stats = graph_stats(graph)
    assert stats["classes"]["Paper"] == samples_build.papers
    assert stats["triples"] == samples_build.triples


def test_cli_on_the_built_graph(samples_build):
    out = CliRunner().invoke(main, ["query", "--graph", str(samples_build.outputs[0]), "--name", "top-benchmarks",
                                    "--format", "csv"])
    assert out.exit_code == 0 and len(out.output.splitlines()) == 11


@pytest.mark.parametrize("path", sorted(AGGREGATES.glob("*.rq")), ids=lambda path: path.stem)
def test_materialised_statistics_answer_as_the_aggregates_over_every_link(graph, path):
    assert_answers_as_the_aggregate(graph, path)


@pytest.mark.parametrize("store", STORES)
def test_add_statistics_restores_the_built_statistics(samples_build, store):
    built = load_graph(samples_build.outputs[0], store=store)
    stripped = load_graph(samples_build.outputs[0], store=store)
    for predicate in (PKG.paperCount, PKG.firstDate):
        stripped.remove((None, predicate, None))
    for node in {s for s in stripped.subjects() if str(s).startswith(str(DATASET))}:
        stripped.remove((node, None, None))
    assert not has_statistics(stripped) and len(stripped) < len(built)
    add_statistics(stripped)
    assert has_statistics(stripped) and set(stripped) == set(built)
