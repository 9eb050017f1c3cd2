"""The HTML view's Python side: drawn data, escaping, determinism, name lookup, kg view."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import random
import re
from collections import Counter
from pathlib import Path

import igraph
import pytest
from click.testing import CliRunner
from pyoxigraph import Triple
from rdflib import Graph

from kg.cli import main
from kg.graph import turtle_bytes
from kg.html import UnknownNameError, render_html, render_view, write_html
from kg.html.layout import community_layout, layout, nudge_apart
from kg.html.model import GraphData, TripleReader
from kg.html.page import json_chunks_for_html
from kg.html.site import node_radius
from kg.namespaces import ENTITY, PAPER
from kg.query import load_graph, run_query
from kg.store import to_ox

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)
SHARD_RE = re.compile(r'paperkgShard\("([a-z0-9]+)",(.*)\);\n', re.S)


def counts_of(index: dict) -> list[int]:
    """Every entity's paper count from the page's index: its weekly papers plus undated ones."""
    hists = [[h, 1] if isinstance(h, int) else h for h in index["hist"]]
    counts = [sum(h[1::2]) for h in hists]
    for entity, extra in index["undated"]:
        counts[entity] += extra
    return counts


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


def test_page_from_a_stream_of_triples_equals_page_from_the_graph(mini: Graph, page: str) -> None:
    # kg build hands the page the triples as it writes the Turtle (TripleReader.add), in the
    # Turtle's order; any order, with the store's other triples mixed in, gives the same page.
    triples = [Triple(*map(to_ox, triple)) for triple in mini]
    random.Random(5).shuffle(triples)
    reader = TripleReader()
    for triple in triples:
        reader.add(triple)
    assert render_html(reader.data()) == page
    tapped = TripleReader()
    turtle_bytes(mini, tap=tapped.add)
    assert render_html(tapped.data()) == page


def test_page_read_from_oxigraph_equals_page_read_from_rdflib(mini: Graph, page: str) -> None:
    assert render_html(load_graph(MINI)) == page


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
    scripts = csp.split("script-src")[1].split(";")[0]
    assert "default-src 'none'" in csp and "unsafe-inline" not in scripts
    # only the two inline scripts by hash, and what they add ('strict-dynamic': the shards)
    assert scripts.split() == [scripts.split()[0], scripts.split()[1], "'strict-dynamic'"]
    assert all(token.startswith("'sha256-") for token in scripts.split()[:2])


def test_vis_network_is_inlined_with_its_licence(page: str) -> None:
    assert "@version 9.1.2" in page
    assert "vis.js is dual licensed" in page


def shards_of(folder: Path) -> dict[str, dict]:
    """The shard files of a page's folder, by name (each is ``paperkgShard("name", JSON);``)."""
    found = {}
    for path in sorted(folder.glob("*.js")):
        match = SHARD_RE.fullmatch(path.read_text(encoding="utf-8"))
        assert match, path
        found[match.group(1)] = json.loads(match.group(2))
        assert match.group(1) == path.stem
    return found


@pytest.fixture(scope="module")
def written(mini: Graph, tmp_path_factory) -> tuple[dict, dict[str, dict]]:
    """The page data and shards ``write_html`` writes for the mini graph."""
    out = tmp_path_factory.mktemp("mini") / "graph.html"
    write_html(mini, out)
    return page_json(out.read_text(encoding="utf-8")), shards_of(out.with_name("graph-data"))


def entity_id(data: dict, label: str) -> int:
    return data["index"]["labels"].index(label)


def paper_id(data: dict, arxiv: str) -> int:
    return data["index"]["arxiv"].index(arxiv)


def paper(data: dict, shards: dict, arxiv: str) -> dict:
    number = paper_id(data, arxiv)
    key = str(number)
    return {
        **shards[f"p{number // data['shards']['papers']}"][key],
        **shards[f"d{number // data['shards']['details']}"][key],
    }


def entity(data: dict, shards: dict, label: str) -> dict:
    number = entity_id(data, label)
    return shards[f"e{number // data['shards']['entities']}"][str(number)]


def test_data_is_escaped_json_that_round_trips(page: str, written, tmp_path: Path, mini: Graph) -> None:
    raw = DATA_RE.search(page).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    write_html(mini, tmp_path / "graph.html")
    for path in (tmp_path / "graph-data").iterdir():
        text = path.read_text(encoding="utf-8")
        assert "<" not in text and ">" not in text and "&" not in text
    data, shards = written
    matrix = paper(data, shards, "2510.08567")
    assert matrix["title"] == "MATRIX: Multimodal Agent Tuning for Robust Tool-Use Reasoning <script>alert(1)</script>"
    summaries = [paper(data, shards, arxiv)["summary"] or "" for arxiv in data["index"]["arxiv"]]
    assert any("<img src=x onerror=alert(2)>" in summary for summary in summaries)
    # The title text in the head is HTML-escaped by the template.
    assert "<title>paperkg</title>" in page


def test_shards_are_deterministic_and_stale_ones_go(mini: Graph, written, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    (tmp_path / "graph-data").mkdir()
    (tmp_path / "graph-data" / "e99.js").write_text("stale", encoding="utf-8")
    (tmp_path / "graph-data" / "notes.txt").write_text("mine", encoding="utf-8")
    write_html(mini, out)
    assert shards_of(tmp_path / "graph-data") == written[1]
    assert sorted(p.name for p in (tmp_path / "graph-data").iterdir()) == ["d0.js", "e0.js", "full.js", "notes.txt", "p0.js"]


def test_map_shows_entities_by_papers_without_overlaps(written) -> None:
    data, shards = written
    index, nodes = data["index"], data["map"]["nodes"]
    classes = [c["name"] for c in data["classes"]]
    drawn = {classes[index["classes"][e]] for e, *_ in nodes}
    assert drawn == {"Model", "Dataset", "Benchmark", "Method"}  # no papers, no topics
    assert {c["name"]: c["count"] for c in data["classes"]} == {
        "Paper": 2, "Model": 5, "Dataset": 1, "Benchmark": 4, "Method": 3, "Topic": 1,
    }
    assert len(nodes) == 13 and all(isinstance(v, int) for node in nodes for v in node)
    most = max(counts_of(index)[e] for e, *_ in nodes)
    for i, (a, ax, ay, _) in enumerate(nodes):  # no two nodes overlap (issue 19: a click hits the node drawn)
        for b, bx, by, _ in nodes[i + 1:]:
            need = node_radius(counts_of(index)[a], most) + node_radius(counts_of(index)[b], most)
            assert math.hypot(ax - bx, ay - by) >= need, (index["labels"][a], index["labels"][b])
    # links are papers shared: MMLU and HELMET share CoPE's paper
    pairs = {(index["labels"][a], index["labels"][b]): w for a, b, w in data["map"]["edges"]}
    assert pairs[("HELMET", "MMLU")] == 1
    assert data["options"]["physics"]["enabled"] is False
    full = shards["full"]
    assert len(full["nodes"]) == 16 and len(full["edges"]) == 15  # every drawable node and link
    assert len({(x, y) for _, x, y in full["nodes"]}) == 16


def test_index_counts_papers_per_week_as_a_sparql_query_does(mini: Graph, written) -> None:
    data, _ = written
    query = """
        SELECT ?label (STR(?date) AS ?day) WHERE {
          ?paper pkg:evaluatesOn|pkg:proposes|pkg:uses|pkg:comparesWith ?e ; pkg:date ?date .
          ?e rdfs:label ?label }"""
    weeks = [dt.date.fromisoformat(w) for w in data["weeks"]]
    expected: dict[str, Counter] = {}
    for row in run_query(mini, query):
        day = dt.date.fromisoformat(str(row.day))
        expected.setdefault(str(row.label), Counter())[(day - weeks[0]).days // 7] += 1
    index = data["index"]
    for label, counts in expected.items():
        hist = index["hist"][entity_id(data, label)]
        hist = [hist, 1] if isinstance(hist, int) else hist
        assert dict(zip(hist[::2], hist[1::2])) == counts, label
    assert counts_of(index) == [GraphData.from_rdf(mini).paper_counts.get(e, 0) for e in _entities(mini)]
    assert [data["weeks"][w] for w in index["paperWeeks"]] == ["2026-02-02", "2025-10-06"]


def _entities(graph: Graph) -> list:
    data = GraphData.from_rdf(graph)
    return sorted((n for n, c in data.classes.items() if c != "Paper"), key=data.sort_key)


def test_paper_record_groups_entities_by_relation(written) -> None:
    data, shards = written
    labels = data["index"]["labels"]
    cope = paper(data, shards, "2602.05258")
    named = {rel: sorted(labels[i] for i in ids) for rel, ids in cope["relations"].items()}
    assert named == {
        "proposes": ["CoPE"],
        "evaluatesOn": ["HELMET", "MMLU", "RULER"],
        "comparesWith": ["HardClip"],
        "uses": ["Qwen2.5-7B", "RoPE"],
    }
    helmet = entity_id(data, "HELMET")
    assert cope["evidence"][str(helmet)][0][0] == "实验效果"
    matrix = paper(data, shards, "2510.08567")
    assert matrix["code"] == ["https://github.com/mbzuai-oryx/MATRIX"]
    assert [labels[i] for i in matrix["topics"]] == ["多模态"]


def test_entity_record_lists_papers_aliases_and_family(written) -> None:
    data, shards = written
    labels, arxiv = data["index"]["labels"], data["index"]["arxiv"]
    mmlu = entity(data, shards, "MMLU")
    assert counts_of(data["index"])[entity_id(data, "MMLU")] == 2
    assert [arxiv[p] for p, _ in mmlu["papers"]] == ["2602.05258", "2510.08567"]  # newest first
    assert all(bits == 2 for _, bits in mmlu["papers"])  # evaluatesOn, the second relation
    helmet = entity(data, shards, "HELMET")
    assert helmet["evidence"][str(paper_id(data, "2602.05258"))][0][0] == "实验效果"
    assert [pair[1] for pair in data["index"]["aliases"] if pair[0] == entity_id(data, "Qwen2.5-VL-7B")] == ["Qwen2.5VL-7B"]
    assert [labels[i] for i in entity(data, shards, "Qwen2.5-VL-7B")["variantOf"]] == ["Qwen2.5-VL"]
    assert [labels[i] for i in entity(data, shards, "Qwen2.5-VL")["variants"]] == ["Qwen2.5-VL-7B"]


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
    assert len(view["map"]["nodes"]) == len(two)
    assert view["index"]["labels"][view["focus"]] == "HELMET"
    assert "dir" not in view["shards"] and set(view["shards"]["inline"]) == {"e0", "p0", "d0"}
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
    index, entities = data["index"], len(data["index"]["labels"])
    assert index["labels"][data["focus"]] == "CoPE"
    classes = [c["name"] for c in data["classes"]]
    drawn = {"Paper" if g >= entities else classes[index["classes"][g]] for g, *_ in data["map"]["nodes"]}
    assert drawn == {"Method", "Paper", "Benchmark", "Model"}


def test_community_layout_is_deterministic_and_parts_nothing_on_top_of_another() -> None:
    rng = random.Random(4)
    edges = sorted({(a, b, rng.randint(1, 5)) for a, b in ((rng.randrange(120), rng.randrange(120)) for _ in range(300)) if a < b})
    radii = [10 + (i % 7) * 5 for i in range(120)]
    positions, communities = community_layout(120, edges, radii)
    assert (positions, communities) == community_layout(120, edges, radii)
    sizes = Counter(communities)
    assert len(sizes) > 1 and sizes[0] == max(sizes.values())  # numbered by size
    for i in range(120):
        for j in range(i + 1, 120):
            assert math.hypot(positions[i][0] - positions[j][0], positions[i][1] - positions[j][1]) >= radii[i] + radii[j] - 1


def test_nudge_apart_moves_only_coincident_nodes() -> None:
    placed = nudge_apart([(0, 0), (0, 0), (5, 5), (0, 0)], [10, 10, 10, 10])
    assert placed[0] == (0, 0) and placed[2] == (5, 5)
    assert len(set(placed)) == 4


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


def test_kg_build_publishes_the_shard_folder_write_html_writes() -> None:
    from kg.build import HTML_DATA_DIR, HTML_FILE
    from kg.html.page import shard_dir_for

    assert shard_dir_for(HTML_FILE).name == HTML_DATA_DIR


def test_a_new_size_of_a_known_model_family_is_not_new(samples_graph: Graph) -> None:
    """The index gives an entity its family's first week (pkg:firstDate) when the family was seen
    before the entity's own first paper, so the page's "new" list leaves it out (issue 17)."""
    data = page_json(render_html(samples_graph))
    index = data["index"]
    weeks = [dt.date.fromisoformat(w) for w in data["weeks"]]
    family_first = dict(index["familyFirst"])
    rows = run_query(samples_graph, """
        SELECT ?label (STR(?first) AS ?family) (MIN(STR(?date)) AS ?own) WHERE {
          ?e rdfs:label ?label ; pkg:firstDate ?first .
          ?paper pkg:evaluatesOn|pkg:proposes|pkg:uses|pkg:comparesWith ?e ; pkg:date ?date }
        GROUP BY ?label ?first""")
    week = lambda day: (dt.date.fromisoformat(day) - weeks[0]).days // 7  # noqa: E731
    earlier = {str(r.label): week(str(r.family)) for r in rows if week(str(r.family)) < week(str(r.own))}
    assert earlier  # the samples have size variants of families seen before (Qwen3-32B of Qwen3 ...)
    for label, first in earlier.items():
        assert family_first.get(entity_id(data, label)) == first, label
    assert len(family_first) == len(earlier)
