"""Exports of a graph holding hostile text, read back by independent parsers (issue 21.2, 21.6).

The text holds every character a line- or statement-oriented reader might break on (U+2028,
U+2029, U+0085, VT, FF, U+001C-U+001F), characters XML cannot carry (U+0001, U+FFFE, U+FFFF,
NUL) and a Cypher statement that deletes the graph if a loader splits the script inside it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.export import render
from kg.export.cypher import cypher_statements
from kg.export.networkx_formats import xml_text
from kg.namespaces import PAPER, PKG
from kg.query import load_graph

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
RAPPER = shutil.which("rapper")
#: Breaks a loader that splits at Unicode line boundaries, and then empties the graph.
INJECTION = "x;\u2028MATCH (n) DETACH DELETE n;\u2028y"
HOSTILE = (
    f'{INJECTION} \\" \x0b\x0c\x1c\x1d\x1e\x1f\x85\u2029 \x01\x08\x7f \ufffe\uffff '
    '\u202e RTL \ufeff BOM "quoted" \\ end'
)
PAPER_ID = "2602.05258"


@pytest.fixture(scope="module")
def hostile() -> Graph:
    """The mini graph with the hostile text as a paper's title and an entity's alias."""
    graph = load_graph(MINI, store="memory")
    graph.set((PAPER[PAPER_ID], PKG.title, Literal(HOSTILE)))
    graph.add((PAPER[PAPER_ID], PKG.abstract, Literal("nul \x00 here " + HOSTILE, lang="zh")))
    return graph


def test_cypher_falkordb_loads_hostile_text_intact(hostile, tmp_path):
    from falkordb import FalkorDB

    from tests.tools import falkordb_server

    script = render(hostile, "cypher", dialect="falkordb")["graph.cypher"].decode("utf-8")
    statements = cypher_statements(script)
    with falkordb_server(tmp_path) as port:
        db = FalkorDB(host="127.0.0.1", port=port).select_graph("paperkg")
        for statement in statements:
            db.query(statement)
        count = db.query("MATCH (n) RETURN count(n)").result_set[0][0]
        title = db.query(f"MATCH (p:Paper {{arxivId: '{PAPER_ID}'}}) RETURN p.title").result_set[0][0]
    assert count == len(hostile_nodes(hostile))
    assert title == HOSTILE


def hostile_nodes(graph: Graph) -> list:
    from kg.export.property_graph import to_property_graph

    return to_property_graph(graph).nodes


def test_cypher_neo4j_has_no_raw_line_break_in_any_literal(hostile):
    script = render(hostile, "cypher", dialect="neo4j")["graph.cypher"].decode("utf-8")
    # every line splitter (Python's, Java's, Neo4j's lexer) sees the same lines as "\n" does
    assert script.splitlines() == script.split("\n")[:-1]
    assert "\\u2028MATCH (n) DETACH DELETE n;\\u2028" in script
    for escaped in ("\\u000B", "\\u000C", "\\u0085", "\\u2029", "\\u0000", "\\u001F", "\\uFFFE", "\\u202E"):
        assert escaped in script
    statements = cypher_statements(script)
    assert all(s.startswith(("CREATE ", "UNWIND [")) for s in statements)
    assert not any("DETACH DELETE" in s.split('"')[0] for s in statements)


def test_cypher_statements_split_only_at_newline():
    script = 'CREATE (n {t: "a;\u2028MATCH (m) DELETE m;\u2028b"});\nRETURN 1;\n'
    assert cypher_statements(script) == ['CREATE (n {t: "a;\u2028MATCH (m) DELETE m;\u2028b"})', "RETURN 1"]


def test_ntriples_one_line_per_triple_and_parsers_agree(hostile, tmp_path):
    data = render(hostile, "nt")["graph.nt"]
    text = data.decode("utf-8")
    assert text.splitlines() == text.split("\n")[:-1]
    assert len(text.splitlines()) == len(hostile)
    assert isomorphic(Graph().parse(data=text, format="nt"), hostile)
    path = tmp_path / "graph.nt"
    path.write_bytes(data)
    ox = load_graph(path)  # kg query's own store (Oxigraph)
    assert len(ox) == len(hostile)
    assert "\\uFFFE\\uFFFF" in text and "\\u0000" in text and "\\u2028" in text


@pytest.mark.skipif(RAPPER is None, reason="rapper (Debian raptor2-utils) is not installed")
def test_ntriples_parse_with_rapper(hostile, tmp_path):
    # Raptor ends a string at NUL and refuses non-characters even escaped: kg build drops
    # them from digest text (test_hostile_build.py); any other character must come through.
    text_only = Graph()
    for s, p, o in hostile:
        if isinstance(o, Literal):
            o = Literal(str(o).translate({0: None, 0xFFFE: None, 0xFFFF: None}), lang=o.language, datatype=o.datatype)
        text_only.add((s, p, o))
    path = tmp_path / "graph.nt"
    path.write_bytes(render(text_only, "nt")["graph.nt"])
    done = subprocess.run([RAPPER, "--quiet", "-i", "ntriples", "-o", "ntriples", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert isomorphic(Graph().parse(data=done.stdout, format="nt"), text_only)


def test_jsonld_round_trips(hostile):
    text = render(hostile, "jsonld")["graph.jsonld"].decode("utf-8")
    json.loads(text)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), hostile)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_are_well_formed_and_keep_the_rest(hostile, fmt, tmp_path):
    data = render(hostile, fmt)[f"graph.{fmt}"]
    ET.fromstring(data)  # raises on a character XML forbids
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(data)
    graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    node = graph.nodes[str(PAPER[PAPER_ID])] if fmt == "graphml" else next(
        attrs for _, attrs in graph.nodes(data=True) if attrs.get("arxivId") == PAPER_ID)
    assert node["title"] == xml_text(HOSTILE)
    assert INJECTION in node["title"] and "\x01" not in node["title"] and "\ufffe" not in node["title"]


def test_xml_text_drops_exactly_what_xml_forbids():
    allowed = "\t\n\r \u2028\u0085\ud7ff\ue000\ufffd\U0001f600"
    assert xml_text(allowed) == allowed
    assert xml_text("a\x00\x01\x0b\x1f\ufffe\uffffb") == "ab"


def test_neo4j_csv_round_trips_hostile_text(hostile):
    files = render(hostile, "neo4j-csv")
    rows = list(csv.reader(io.StringIO(files["nodes_Paper.csv"].decode("utf-8"), newline="")))
    header = rows[0]
    paper = next(row for row in rows[1:] if row[0] == str(PAPER[PAPER_ID]))
    assert paper[header.index("title")] == HOSTILE
