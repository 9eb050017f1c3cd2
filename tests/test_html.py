"""The HTML view's Python side: drawn data, escaping, determinism, name lookup, kg view."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import igraph
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.html import UnknownNameError, render_html, render_view, write_html
from kg.html.layout import layout
from kg.html.model import GraphData
from kg.html.page import json_chunks_for_html
from kg.namespaces import ENTITY, PAPER

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def mini() -> Graph:
    return Graph().parse(MINI)


@pytest.fixture(scope="module")
def page(mini: Graph) -> str:
    return render_html(mini)


def page_json(html: str) -> dict:
    return json.loads(DATA_RE.search(html).group(1))


def test_same_graph_gives_byte_identical_html(mini: Graph, page: str) -> None:
    shuffled = Graph()
    triples = sorted(mini, key=str)
    random.Random(3).shuffle(triples)
    for triple in triples:
        shuffled.add(triple)
    assert render_html(shuffled) == page
    assert render_html(mini, title="other") != page


def test_written_page_equals_rendered_page(mini: Graph, page: str, tmp_path: Path) -> None:
    write_html(mini, tmp_path / "graph.html")
    assert (tmp_path / "graph.html").read_bytes() == page.encode("utf-8")


def test_streamed_json_equals_json_dumps_with_html_escapes() -> None:
    value = {"nodes": [{"b": "</script><!--", "a": "R&D"}, []], "empty": {}, "none": [], "n": 3, "zh": "模型"}
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    expected = expected.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    streamed = "".join(json_chunks_for_html(value))
    assert streamed == expected
    assert json.loads(streamed) == value


def test_page_loads_nothing_from_outside(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "<link" not in page
    assert "cdn" not in page.lower()
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_vis_network_is_inlined_with_its_licence(page: str) -> None:
    assert "@version 9.1.2" in page
    assert "vis.js is dual licensed" in page


def test_data_is_escaped_json_that_round_trips(page: str) -> None:
    raw = DATA_RE.search(page).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = page_json(page)
    labels = {record["label"] for record in data["records"]}
    assert "MATRIX: Multimodal Agent Tuning for Robust Tool-Use Reasoning <script>alert(1)</script>" in labels
    summaries = [record.get("summary") or "" for record in data["records"]]
    assert any("<img src=x onerror=alert(2)>" in summary for summary in summaries)
    # The title text in the head is HTML-escaped by the template.
    assert "<title>paperkg</title>" in page


def test_drawn_nodes_are_papers_entities_and_topics_only(mini: Graph, page: str) -> None:
    data = page_json(page)
    groups = [node["group"] for node in data["nodes"]]
    assert len(groups) == 16
    assert sorted(set(groups)) == ["Benchmark", "Dataset", "Method", "Model", "Paper", "Topic"]
    assert {c["name"]: c["count"] for c in data["classes"]} == {
        "Paper": 2, "Model": 5, "Dataset": 1, "Benchmark": 4, "Method": 3, "Topic": 1,
    }
    labels = {node["label"] for node in data["nodes"]}
    assert not any("github.com" in label or "--" in label for label in labels)
    assert all(isinstance(node["x"], int) and isinstance(node["y"], int) for node in data["nodes"])
    # 11 paper-entity links + 1 paper-topic + 2 variant links
    assert len(data["edges"]) == 14 + 1
    assert data["options"]["physics"]["enabled"] is False


def test_paper_record_groups_entities_by_relation(page: str) -> None:
    data = page_json(page)
    records = data["records"]
    cope = next(r for r in records if r.get("arxiv") == "2602.05258")
    named = {rel: sorted(records[i]["label"] for i in ids) for rel, ids in cope["relations"].items()}
    assert named == {
        "proposes": ["CoPE"],
        "evaluatesOn": ["HELMET", "MMLU", "RULER"],
        "comparesWith": ["HardClip"],
        "uses": ["Qwen2.5-7B", "RoPE"],
    }
    helmet = next(i for i, r in enumerate(records) if r["label"] == "HELMET")
    assert cope["evidence"][str(helmet)][0][0] == "实验效果"
    matrix = next(r for r in records if r.get("arxiv") == "2510.08567")
    assert matrix["code"] == ["https://github.com/mbzuai-oryx/MATRIX"]
    assert [records[i]["label"] for i in matrix["topics"]] == ["多模态"]


def test_entity_record_lists_papers_aliases_and_family(page: str) -> None:
    records = page_json(page)["records"]
    by_label = {r["label"]: r for r in records}
    mmlu = by_label["MMLU"]
    assert mmlu["papers"] == 2
    assert [records[i]["arxiv"] for i, _ in mmlu["paperLinks"]] == ["2602.05258", "2510.08567"]  # newest first
    assert all(rels == ["evaluatesOn"] for _, rels in mmlu["paperLinks"])
    assert by_label["Qwen2.5-VL-7B"]["aliases"] == ["Qwen2.5VL-7B"]
    assert [records[i]["label"] for i in by_label["Qwen2.5-VL-7B"]["variantOf"]] == ["Qwen2.5-VL"]
    assert [records[i]["label"] for i in by_label["Qwen2.5-VL"]["variants"]] == ["Qwen2.5-VL-7B"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HELMET", ENTITY["helmet"]),
        ("helmet", ENTITY["helmet"]),
        ("Clipped RoPE", ENTITY["cope"]),
        ("2510.08567", PAPER["2510.08567"]),
        ("CoPE: Clipped RoPE as A Scalable Free Lunch for Long Context LLMs", PAPER["2602.05258"]),
        ("MATRIX", ENTITY["matrix"]),  # the model wins over a paper title
    ],
)
def test_find_by_label_alias_arxiv_id_or_title(mini: Graph, name: str, expected) -> None:
    assert GraphData.from_rdf(mini).find(name) == expected


def test_unknown_name_suggests_close_ones(mini: Graph) -> None:
    with pytest.raises(UnknownNameError) as info:
        GraphData.from_rdf(mini).find("HELMT")
    assert info.value.suggestions == ("HELMET",)
    assert "did you mean: HELMET" in str(info.value)


def test_view_limits_hops_and_types(mini: Graph) -> None:
    data = GraphData.from_rdf(mini)
    one = data.neighbourhood(ENTITY["helmet"], 1)
    assert one == {ENTITY["helmet"], PAPER["2602.05258"]}
    two = data.neighbourhood(ENTITY["helmet"], 2, ["Benchmark"])
    assert {data.classes[n] for n in two} == {"Benchmark", "Paper"}
    assert ENTITY["mmlu"] in two and ENTITY["rope"] not in two
    view = page_json(render_view(mini, "HELMET", 2, ["Benchmark"]))
    assert len(view["nodes"]) == len(two)
    assert view["records"][view["focus"]]["label"] == "HELMET"
    with pytest.raises(ValueError, match="unknown class Foo"):
        render_view(mini, "HELMET", 1, ["Foo"])


def test_layout_is_seeded_and_leaves_igraph_rng_alone() -> None:
    edges = [(i, (i * 7 + 3) % 300) for i in range(300)]
    assert layout(300, edges) == layout(300, edges)
    random.seed(5)
    expected = random.random()
    random.seed(5)
    layout(300, edges)
    assert random.random() == expected  # the global generator was not consumed
    random.seed(9)
    first = igraph.Graph.Erdos_Renyi(30, 0.2).get_edgelist()
    random.seed(9)
    assert igraph.Graph.Erdos_Renyi(30, 0.2).get_edgelist() == first  # igraph draws from random again


def test_kg_view_writes_a_page(tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    result = CliRunner().invoke(main, ["view", "Clipped RoPE", "--hops", "2", "--types", "Benchmark,Model", "-o", str(out), "--graph", str(MINI)])
    assert result.exit_code == 0, result.output
    data = page_json(out.read_text(encoding="utf-8"))
    assert data["records"][data["focus"]]["label"] == "CoPE"
    assert {n["group"] for n in data["nodes"]} == {"Method", "Paper", "Benchmark", "Model"}


def test_kg_view_default_output_goes_next_to_the_graph(tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(MINI.read_bytes())
    result = CliRunner().invoke(main, ["view", "HELMET", "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "view-helmet.html").is_file()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["view", "HELMT"], 1, "no entity or paper named 'HELMT' in the graph; did you mean: HELMET?"),
        (["view", "HELMET", "--types", "Model,Foo"], 2, "unknown class Foo"),
        (["view", "HELMET", "--hops", "-1"], 2, "-1"),
    ],
)
def test_kg_view_user_mistakes_are_one_line_errors(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(main, [*args, "--graph", str(MINI), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_kg_view_missing_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "HELMET", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 1
    assert "graph file not found" in result.output
