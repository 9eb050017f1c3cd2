"""kg/export and `kg export` on the mini graph and the samples' graph."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.export import FORMATS, export, render
from kg.export.cypher import cypher_statements
from kg.export.property_graph import load_mapping, to_property_graph
from kg.query import load_graph
from kg.namespaces import bind_prefixes

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point",
               "date", "localtime", "time", "localdatetime", "datetime", "duration"}


@pytest.fixture(scope="module")
def mini() -> Graph:
    return load_graph(MINI, store="memory")


@pytest.fixture(scope="module", params=["mini", "samples"])
def any_graph(request, mini):
    return mini if request.param == "mini" else request.getfixturevalue("samples_graph")


def expected_counts(graph: Graph) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and edges per type, straight from the RDF with SPARQL."""
    mapping = load_mapping()
    nodes = {}
    for rdf_class, label in mapping.labels.items():
        result = graph.query(f"SELECT (COUNT(DISTINCT ?n) AS ?k) WHERE {{ ?n a <{rdf_class}> }}")
        nodes[label] = int(next(iter(result))[0])
    classes = " ".join(f"<{c}>" for c in mapping.labels)
    edges = {}
    for predicate, rtype in mapping.relationships.items():
        result = graph.query(
            f"SELECT (COUNT(*) AS ?k) WHERE {{ ?s <{predicate}> ?o . ?s a ?c . ?o a ?d . "
            f"VALUES ?c {{ {classes} }} VALUES ?d {{ {classes} }} }}"
        )
        edges[rtype] = int(next(iter(result))[0])
    return {k: v for k, v in nodes.items() if v}, {k: v for k, v in edges.items() if v}


def test_every_format_is_byte_identical_across_runs_and_stores():
    outputs = [render(load_graph(MINI, store=store), fmt) for store in ("oxigraph", "memory", "memory")
               for fmt in FORMATS]
    count = len(FORMATS)
    assert outputs[:count] == outputs[count : 2 * count] == outputs[2 * count :]


def test_ntriples_are_sorted_and_round_trip(any_graph):
    data = render(any_graph, "nt")["graph.nt"].decode("utf-8")
    lines = data.splitlines()
    assert lines == sorted(lines) and len(lines) == len(any_graph)
    assert isomorphic(Graph().parse(data=data, format="nt"), any_graph)


def test_jsonld_is_compact_and_round_trips(any_graph):
    text = render(any_graph, "jsonld")["graph.jsonld"].decode("utf-8")
    document = json.loads(text)
    context = document["@context"]
    assert context["pkg"] == "https://w3id.org/paperkg/ontology#"
    assert context["date"] == {"@id": "pkg:date", "@type": "xsd:date"}
    papers = [node for node in document["@graph"] if node.get("@type") == "Paper"]
    assert papers and all("arxivId" in paper and "title" in paper for paper in papers)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), any_graph)


def test_property_graph_has_no_mentions_and_matches_sparql_counts(any_graph):
    pgraph = to_property_graph(any_graph)
    nodes, edges = expected_counts(any_graph)
    count = lambda items, key: {k: sum(1 for i in items if key(i) == k) for k in {key(i) for i in items}}  # noqa: E731
    assert count(pgraph.nodes, lambda n: n.label) == nodes
    assert count(pgraph.edges, lambda e: e.type) == edges
    assert not any("/mention/" in node.iri or "/digest/" in node.iri for node in pgraph.nodes)


def test_property_graph_values(mini):
    pgraph = to_property_graph(mini)
    node = {n.iri: n for n in pgraph.nodes}
    qwen = node["https://w3id.org/paperkg/entity/qwen2-5-vl-7b"]
    assert (qwen.label, qwen.properties["label"], qwen.properties["altLabels"]) == (
        "Model", "Qwen2.5-VL-7B", ("Qwen2.5VL-7B",))
    cope_paper = node["https://w3id.org/paperkg/paper/2602.05258"]
    assert cope_paper.properties["arxivId"] == "2602.05258"
    assert cope_paper.properties["date"].isoformat() == "2026-02-07"
    assert node["https://w3id.org/paperkg/topic/multimodal"].properties["label"] == "多模态"
    helmet = next(e for e in pgraph.edges if e.target.endswith("/helmet"))
    assert (helmet.type, helmet.relation, helmet.properties["section"]) == ("EVALUATES_ON", "evaluatesOn", "实验效果")


def test_graphml_reads_back_in_igraph(any_graph, tmp_path):
    import igraph

    export(any_graph, "graphml", tmp_path / "g.graphml")
    pgraph = to_property_graph(any_graph)
    read = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    assert (read.vcount(), read.ecount()) == (len(pgraph.nodes), len(pgraph.edges))
    assert read.is_directed()
    by_id = {v["id"]: v for v in read.vs}
    for node in pgraph.nodes:
        vertex = by_id[node.iri]
        assert (vertex["label"], vertex["class"]) == (node.properties["label"], node.label)
        assert vertex["altLabels"] == "; ".join(node.properties.get("altLabels", ()))
    relations = sorted((read.vs[e.source]["id"], read.vs[e.target]["id"], e["relation"]) for e in read.es)
    assert relations == sorted((e.source, e.target, e.relation) for e in pgraph.edges)


def test_gexf_reads_back_in_networkx(any_graph, tmp_path):
    import networkx as nx

    export(any_graph, "gexf", tmp_path / "g.gexf")
    pgraph = to_property_graph(any_graph)
    read = nx.read_gexf(tmp_path / "g.gexf")
    assert (read.number_of_nodes(), read.number_of_edges()) == (len(pgraph.nodes), len(pgraph.edges))
    for node in pgraph.nodes:
        data = read.nodes[node.iri]
        assert (data["label"], data["class"]) == (node.properties["label"], node.label)
        if "date" in node.properties:
            assert data["date"] == node.properties["date"].isoformat()
    relations = sorted((u, v, d["relation"]) for u, v, d in read.edges(data=True))
    assert relations == sorted((e.source, e.target, e.relation) for e in pgraph.edges)
    assert b"lastmodifieddate" not in (tmp_path / "g.gexf").read_bytes()


def test_cypher_script_dialects(mini):
    neo4j = render(mini, "cypher", "neo4j")["graph.cypher"].decode("utf-8")
    falkordb = render(mini, "cypher", "falkordb")["graph.cypher"].decode("utf-8")
    labels = list(load_mapping().labels.values())
    neo4j_statements, falkordb_statements = cypher_statements(neo4j), cypher_statements(falkordb)
    assert neo4j_statements[: len(labels)] == [
        f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS FOR (n:{label}) REQUIRE n.iri IS UNIQUE"
        for label in labels]
    assert falkordb_statements[: len(labels)] == [f"CREATE INDEX FOR (n:{label}) ON (n.iri)" for label in labels]
    assert neo4j_statements[len(labels):] == falkordb_statements[len(labels):]
    body = neo4j_statements[len(labels):]
    assert all(s.startswith("UNWIND [") and ("MERGE (n:" in s or "MERGE (a)-[r:" in s) for s in body)
    assert 'date("2026-02-07")' in neo4j and '"<script>alert(1)</script>' not in neo4j
    assert "MERGE (a)-[r:EVALUATES_ON]->(b)" in neo4j and "MERGE (a)-[r:VARIANT_OF]->(b)" in neo4j
    with pytest.raises(ValueError, match="falkordb"):
        render(mini, "cypher", "memgraph")


def test_neo4j_csv_bundle_is_valid_for_the_importer(any_graph, tmp_path):
    export(any_graph, "neo4j-csv", tmp_path / "neo4j")
    files = sorted(p.name for p in (tmp_path / "neo4j").iterdir())
    nodes, edges = expected_counts(any_graph)
    assert files == sorted([f"nodes_{label}.csv" for label in nodes]
                           + [f"relationships_{rtype}.csv" for rtype in edges] + ["import.sh"])
    ids: set[str] = set()
    for label in nodes:
        header, *rows = list(csv.reader(io.StringIO((tmp_path / "neo4j" / f"nodes_{label}.csv").read_text("utf-8"))))
        assert header[0] == "iri:ID" and header[-1] == ":LABEL" and header.count("iri:ID") == 1
        check_typed_columns(header[1:-1])
        assert len(rows) == nodes[label] and all(len(row) == len(header) for row in rows)
        assert {row[-1] for row in rows} == {label}
        new = [row[0] for row in rows]
        assert len(set(new)) == len(new) and not ids & set(new), "node IDs must be unique"
        ids |= set(new)
        dates = [i for i, name in enumerate(header) if name.endswith(":date")]
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[i]) for row in rows for i in dates if row[i])
    for rtype in edges:
        header, *rows = list(csv.reader(io.StringIO(
            (tmp_path / "neo4j" / f"relationships_{rtype}.csv").read_text("utf-8"))))
        assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
        check_typed_columns(header[3:])
        assert len(rows) == edges[rtype] and {row[2] for row in rows} == {rtype}
        assert all(row[0] in ids and row[1] in ids for row in rows), "every START_ID/END_ID is a node"
    script = (tmp_path / "neo4j" / "import.sh").read_text("utf-8")
    assert "neo4j-admin database import full neo4j" in script and "--array-delimiter=';'" in script
    assert sorted(re.findall(r"\$DIR/([\w.]+)", script)) == [f for f in files if f.endswith(".csv")]


def check_typed_columns(columns: list[str]) -> None:
    names = [column.split(":")[0] for column in columns]
    assert len(set(names)) == len(names) and all(names)
    for column in columns:
        if ":" in column:
            kind = column.split(":", 1)[1]
            assert kind.removesuffix("[]") in NEO4J_TYPES, column


def test_neo4j_csv_arrays_use_the_array_delimiter(tmp_path, mini):
    graph = bind_prefixes(Graph()) + mini
    graph.parse(data='@prefix skos: <http://www.w3.org/2004/02/skos/core#> . '
                     '<https://w3id.org/paperkg/entity/cope> skos:altLabel "CoPE v2; clipped" .', format="turtle")
    export(graph, "neo4j-csv", tmp_path)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "nodes_Method.csv").read_text("utf-8"))))
    cope = next(row for row in rows if row["iri:ID"].endswith("/cope"))
    assert cope["altLabels:string[]"].split(";") == ["Clipped RoPE", "CoPE v2, clipped"]


def test_neo4j_csv_removes_stale_files(tmp_path, mini):
    (tmp_path / "nodes_Gone.csv").write_text("iri:ID,:LABEL\n")
    (tmp_path / "keep.txt").write_text("mine")
    export(mini, "neo4j-csv", tmp_path)
    assert not (tmp_path / "nodes_Gone.csv").exists() and (tmp_path / "keep.txt").exists()


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cli_writes_default_paths(fmt, tmp_path, monkeypatch, mini):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "--format", fmt, "--graph", str(MINI))
    assert result.exit_code == 0, result.output
    target = tmp_path / "output" / FORMATS[fmt]
    assert result.output == f"wrote output/{FORMATS[fmt]}\n"
    if fmt == "neo4j-csv":
        assert {p.name: p.read_bytes() for p in target.iterdir()} == render(mini, fmt)
    else:
        assert target.read_bytes() == render(mini, fmt)[FORMATS[fmt]]


def test_cli_dialect_and_output(tmp_path, mini):
    result = invoke("export", "-f", "cypher", "--dialect", "falkordb", "-o", str(tmp_path / "x.cypher"),
                    "--graph", str(MINI))
    assert result.exit_code == 0
    assert (tmp_path / "x.cypher").read_bytes() == render(mini, "cypher", "falkordb")["graph.cypher"]


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "rdfxml"], "Error: unknown format 'rdfxml'; choose one of: cypher, gexf, graphml, jsonld, nt, neo4j-csv, "
                       "or an RDF serializer 'kg export --help' lists\n"),
    (["-f", "nt", "--graph", "missing.ttl"], "Error: graph file not found: missing.ttl"),
])
def test_cli_errors_are_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1


def test_cli_bad_graph_leaves_old_export(tmp_path):
    (tmp_path / "bad.ttl").write_text("this is not turtle")
    (tmp_path / "old.nt").write_text("old")
    result = invoke("export", "-f", "nt", "--graph", str(tmp_path / "bad.ttl"), "-o", str(tmp_path / "old.nt"))
    assert result.exit_code == 1 and result.output.startswith("Error: cannot parse")
    assert (tmp_path / "old.nt").read_text() == "old"


def test_a_serializer_registered_with_rdflib_is_a_format_of_kg_export(tmp_path, mini):
    """A new format is a GraphExport class and its entry point: kg export lists and writes it."""
    from rdflib import plugin
    from rdflib.serializer import Serializer

    plugin.register("tsv-test", Serializer, "tests.test_export", "EdgeList")
    try:
        help_text = invoke("export", "--help").output
        assert "tsv-test" in help_text and "Subject and object of each triple." in help_text
        result = invoke("export", "-f", "tsv-test", "--graph", str(MINI), "-o", str(tmp_path / "edges.tsv"))
        assert result.exit_code == 0, result.output
        assert (tmp_path / "edges.tsv").read_bytes() == EdgeList(mini).render(mini)
    finally:
        del plugin._plugins[("tsv-test", Serializer)]


def test_kg_export_writes_any_rdf_serializer_of_the_registry(tmp_path):
    result = invoke("export", "-f", "turtle", "--graph", str(MINI), "-o", str(tmp_path / "g.ttl"))
    assert result.exit_code == 0, result.output
    written, source = Graph().parse(tmp_path / "g.ttl"), Graph().parse(MINI)
    # rdflib's Turtle writer keeps the xsd:string type Oxigraph gives plain literals.
    assert len(written) == len(source) and set(written.subjects()) == set(source.subjects())


from kg.export.serializers import GraphExport  # noqa: E402


class EdgeList(GraphExport):
    """Subject and object of each triple."""

    file_name = "edges.tsv"

    def render(self, graph, **options):
        return "".join(sorted(f"{s}\t{o}\n" for s, _, o in graph)).encode("utf-8")
