"""kg/stats.py and `kg stats` on the mini graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import ENTITY
from kg.query import STORES, load_graph
from kg.stats import format_stats, graph_stats

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"


@pytest.fixture(scope="module", params=STORES)
def stats(request):
    return graph_stats(load_graph(MINI, store=request.param), top=3)


def test_counts_per_class(stats):
    assert stats["triples"] == 173  # 86 hand-written, 87 of statistics
    assert stats["classes"] == {
        "Paper": 2, "Model": 5, "Dataset": 1, "Benchmark": 4, "Method": 3,
        "Topic": 1, "CodeRepository": 1, "Mention": 2, "Digest": 2,
    }


def test_relation_counts(stats):
    assert stats["relations"]["evaluatesOn"] == {"links": 5, "papers": 2, "entities": 4}
    assert stats["relations"]["comparesWith"] == {"links": 1, "papers": 1, "entities": 1}
    assert list(stats["relations"]) == ["proposes", "evaluatesOn", "comparesWith", "uses"]


def test_top_entities_per_class(stats):
    assert stats["top"]["Benchmark"][0] == {"entity": str(ENTITY.mmlu), "label": "MMLU", "papers": 2}
    assert [e["label"] for e in stats["top"]["Benchmark"]] == ["MMLU", "GAIA", "HELMET"]
    assert all(len(entries) <= 3 for entries in stats["top"].values())
    assert [e["label"] for e in stats["top"]["Dataset"]] == ["M-TRACE"]


def test_same_figures_on_both_stores():
    a, b = (graph_stats(load_graph(MINI, store=store)) for store in STORES)
    assert a == b


def test_text_format(stats):
    text = format_stats(stats)
    assert "triples: 173" in text and "top Benchmark entities by papers:" in text
    assert "       2  MMLU" in text


def test_cli_text_and_json():
    out = CliRunner().invoke(main, ["stats", "--graph", str(MINI), "--top", "1"])
    assert out.exit_code == 0 and "Benchmark" in out.output and "GAIA" not in out.output
    out = CliRunner().invoke(main, ["stats", "--graph", str(MINI), "--json"])
    data = json.loads(out.output)
    assert data["classes"]["Paper"] == 2 and data["top"]["Method"][0]["label"] == "CoPE"


def test_cli_missing_graph(tmp_path):
    out = CliRunner().invoke(main, ["stats", "--graph", str(tmp_path / "x.ttl")])
    assert out.exit_code != 0 and "graph file not found" in out.output and "Traceback" not in out.output


def test_a_graph_without_statistics_gets_them_and_keeps_its_triple_count(tmp_path):
    plain = tmp_path / "plain.ttl"
    plain.write_text(MINI.read_text(encoding="utf-8").split("# --- statistics")[0], encoding="utf-8")
    stats = graph_stats(load_graph(plain))
    assert stats["triples"] == 86
    assert stats["classes"] == graph_stats(load_graph(MINI))["classes"]
    assert stats["classes"]["Paper"] == 2
