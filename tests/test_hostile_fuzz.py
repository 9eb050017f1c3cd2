"""Fuzzing of the readers' and exporters' public entry points (issue 21).

Each test is a hypothesis property with a small fixed budget (a few seconds in the suite).
The same properties run coverage-guided for as long as wanted with ``python -m bench.fuzz``
(atheris drives hypothesis's ``fuzz_one_input``; docs/robustness.md has the command and what
the longer runs found).

* readers: any bytes, and markdown-shaped text around real digest lines, give papers and one
  line diagnostics, never an exception;
* exporters: a graph whose text holds any characters exports to every format, and each file
  reads back in an independent parser with the text intact (or, for XML, without exactly the
  characters XML cannot carry).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.export import render
from kg.export.cypher import cypher_statements
from kg.export.networkx_formats import xml_text
from kg.namespaces import PAPER, PKG, RDFS
from kg.query import load_graph

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
PAPER_ID = "2602.05258"
BUDGET = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
#: Pieces of digest markup the text strategy mixes with arbitrary characters.
MARKUP = ["\n", "|", "**", "## 📄 ", "- **链接**: https://huggingface.co/papers/2602.0", "[T](x", "](http://arxiv.org/abs/2510.0",
          "| Publish Date | Title | Code | Abstract |\n|:---|:---|:---|:---|\n", "|**2025-10-09**|", "\u2028", "\r\n",
          "# Hugging Face Daily Papers Report\n**Date**: 2026-02-07\n", "1. **应用领域**：", "\x00", "\ufeff"]
digest_text = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(max_size=20)), max_size=40).map("".join)
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


def check_reader(data: bytes) -> None:
    """Reading ``data`` as a digest file never raises, and every diagnostic is one line."""
    from kg.readers import read_inputs

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "digest.md"
        path.write_bytes(data)
        read = read_inputs([str(path)])
    for diagnostic in read.diagnostics:
        assert "\n" not in str(diagnostic) and "\r" not in str(diagnostic)
    for paper in read.papers:
        assert paper.arxiv_id and paper.title is not None


_MINI: Graph | None = None


def check_exports(title: str, label: str) -> None:
    """Every export of a graph holding ``title`` and ``label`` reads back intact."""
    global _MINI
    if _MINI is None:
        _MINI = load_graph(MINI, store="memory")
    graph = Graph()
    graph += _MINI
    paper = PAPER[PAPER_ID]
    graph.set((paper, PKG.title, Literal(title)))
    entity = next(graph.subjects(RDFS.label, None))
    graph.set((entity, RDFS.label, Literal(label)))

    nt = render(graph, "nt")["graph.nt"].decode("utf-8")
    assert nt.splitlines() == nt.split("\n")[:-1]
    assert isomorphic(Graph().parse(data=nt, format="nt"), graph)
    jsonld = render(graph, "jsonld")["graph.jsonld"].decode("utf-8")
    assert isomorphic(Graph().parse(data=json.dumps(json.loads(jsonld)), format="json-ld"), graph)

    # GraphML values are element text, where XML parsers read a raw CR as LF (end-of-line
    # handling); GEXF values are attributes, which the writer escapes as &#13;
    in_text = xml_text(title).replace("\r\n", "\n").replace("\r", "\n")
    for fmt, reader, expected in (("graphml", nx.read_graphml, in_text), ("gexf", nx.read_gexf, xml_text(title))):
        data = render(graph, fmt)[f"graph.{fmt}"]
        ET.fromstring(data)
        read = reader(io.BytesIO(data))
        titles = [attrs.get("title") for _, attrs in read.nodes(data=True) if attrs.get("arxivId") == PAPER_ID]
        assert titles == [expected], fmt

    for dialect in ("neo4j", "falkordb"):
        script = render(graph, "cypher", dialect=dialect)["graph.cypher"].decode("utf-8")
        statements = cypher_statements(script)
        assert all(s.startswith(("CREATE ", "UNWIND [")) for s in statements)
        if dialect == "neo4j":
            assert script.splitlines() == script.split("\n")[:-1]

    files = render(graph, "neo4j-csv")
    rows = list(csv.reader(io.StringIO(files["nodes_Paper.csv"].decode("utf-8"), newline="")))
    column = rows[0].index("title")
    assert [row[column] for row in rows[1:] if row[0] == str(paper)] == [title]


@BUDGET
@given(st.binary(max_size=400) | digest_text.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_readers_never_raise(data):
    check_reader(data)


@BUDGET
@given(any_text, any_text)
def test_exports_read_back_in_independent_parsers(title, label):
    check_exports(title, label)
