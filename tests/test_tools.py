"""The graph in other real tools: rapper (Raptor), the Oxigraph SPARQL server, FalkorDB.

Each tool runs as its own process on 127.0.0.1 and is stopped at the end.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.export import export
from kg.export.cypher import cypher_statements
from kg.query import bind_params, list_queries, load_graph, run_named_query, run_query
from kg.serve import running_server
from tests.test_export import expected_counts
from tests.tools import falkordb_server, free_port, plain, term_from_json

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
RAPPER = shutil.which("rapper")


@pytest.fixture(scope="module", params=["mini", "samples"])
def graph_file(request) -> Path:
    if request.param == "mini":
        return MINI
    return Path(request.getfixturevalue("samples_build").outputs[0])


def rapper(path: Path, syntax: str) -> tuple[int, str]:
    """Parse ``path`` with rapper (re-serialised as N-Triples); return the triple count and
    everything it reported on stderr (errors and warnings; --quiet drops only progress lines)."""
    done = subprocess.run([RAPPER, "--quiet", "--input", syntax, "--output", "ntriples", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return len(done.stdout.splitlines()), done.stderr


@pytest.mark.skipif(RAPPER is None, reason="rapper (Debian raptor2-utils) is not installed")
def test_turtle_and_ntriples_parse_cleanly_with_rapper(graph_file, tmp_path):
    graph = load_graph(graph_file, store="memory")
    triples, stderr = rapper(graph_file, "turtle")
    assert stderr == "" and triples == len(graph)
    export(graph, "nt", tmp_path / "graph.nt")
    triples, stderr = rapper(tmp_path / "graph.nt", "ntriples")
    assert stderr == "" and triples == len(graph)


# -- the query library on a separate SPARQL server ------------------------------------------


def library_params(graph) -> dict[str, dict[str, str]]:
    """Real parameter values from the graph for each parameterised query of the library."""

    def first(sparql: str) -> str:
        rows = list(graph.query(sparql))
        assert rows, sparql
        return str(rows[0][0])

    prefixes = ("PREFIX pkg: <https://w3id.org/paperkg/ontology#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    busiest = "GROUP BY ?x ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1"
    values = {
        "papers-evaluating-on": {"name": first(prefixes + f"SELECT ?v WHERE {{ ?p pkg:evaluatesOn ?x . ?x rdfs:label ?v }} {busiest}")},
        "compared-with": {"name": first(prefixes + f"SELECT ?v WHERE {{ ?p pkg:comparesWith ?x . ?x rdfs:label ?v }} {busiest}")},
        "entity-card": {"name": first(prefixes + f"SELECT ?v WHERE {{ ?p pkg:uses|pkg:proposes ?x . ?x a pkg:Model ; rdfs:label ?v }} {busiest}")},
        "entity-cooccurrence": {"name": first(prefixes + f"SELECT ?v WHERE {{ ?p pkg:evaluatesOn|pkg:uses ?x . ?x rdfs:label ?v }} {busiest}")},
        "paper-card": {"id": first(prefixes + f"SELECT ?v WHERE {{ ?x pkg:arxivId ?v ; pkg:evaluatesOn|pkg:uses ?e }} {busiest}")},
        "top-entities": {"class": "Model"},
    }
    for query in list_queries():
        assert {p.name for p in query.params} == set(values.get(query.name, {})), query.name
    return values


def order_variables(text: str, projected: list[str]) -> list[str]:
    """The projected variables of the ORDER BY clause, in order (to compare orders with ties)."""
    match = re.search(r"ORDER\s+BY\s+(.*?)(?:LIMIT|OFFSET|$)", text, re.IGNORECASE | re.DOTALL)
    if not match:
        return []
    return [v for v in re.findall(r"\?(\w+)", match.group(1)) if v in projected]


@pytest.fixture(scope="module")
def served(graph_file):
    """The Oxigraph server on the graph, and the same graph loaded locally: in rdflib's own
    engine for the mini graph (an independent implementation), in kg.query's default store
    (embedded Oxigraph) for the samples, where rdflib's engine needs minutes for some queries."""
    store = "memory" if graph_file == MINI else "oxigraph"
    with running_server(graph_file, port=free_port()) as server:
        yield server.query_url, load_graph(graph_file, store=store)


def test_query_library_gives_the_same_answers_on_the_server(served):
    url, graph = served
    params = library_params(graph)
    empty = []
    for query in list_queries():
        local = run_named_query(graph, query.name, params.get(query.name))
        variables = [str(v) for v in local.vars]
        local_rows = [tuple(plain(row.get(v)) for v in local.vars) for row in local.bindings]
        text = query.text
        if query.name in params:  # bind the same values the same way as kg.query does
            text = bind_params(text, params[query.name])
        sparql = SPARQLWrapper(url)
        sparql.setQuery(text)
        sparql.setReturnFormat(JSON)
        sparql.setTimeout(60)
        remote = sparql.queryAndConvert()
        assert remote["head"]["vars"] == variables, query.name
        remote_rows = [tuple(term_from_json(b.get(v)) for v in variables) for b in remote["results"]["bindings"]]
        if not local_rows:
            empty.append(query.name)
        assert sorted(map(repr, remote_rows)) == sorted(map(repr, local_rows)), query.name
        keys = [variables.index(v) for v in order_variables(query.text, variables)]
        if keys:
            ordered = lambda rows: [tuple(row[i] for i in keys) for row in rows]  # noqa: E731
            assert ordered(remote_rows) == ordered(local_rows), f"{query.name}: different order"
    assert len(empty) <= len(list_queries()) // 4, f"too many queries answer nothing here: {empty}"


def test_count_matches_on_the_server(served):
    url, graph = served
    sparql = SPARQLWrapper(url)
    sparql.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    sparql.setReturnFormat(JSON)
    remote = int(sparql.queryAndConvert()["results"]["bindings"][0]["n"]["value"])
    local = int(next(iter(run_query(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))).n)
    assert remote == local == len(graph)


# -- the Cypher script on FalkorDB ---------------------------------------------------------


def test_cypher_script_runs_on_falkordb(graph_file, tmp_path):
    from falkordb import FalkorDB

    graph = load_graph(graph_file, store="memory")
    export(graph, "cypher", tmp_path / "graph.cypher", dialect="falkordb")
    statements = cypher_statements((tmp_path / "graph.cypher").read_text("utf-8"))
    nodes, edges = expected_counts(graph)
    with falkordb_server(tmp_path) as port:
        db = FalkorDB(host="127.0.0.1", port=port).select_graph("paperkg")
        for statement in statements:
            db.query(statement)
        loaded_nodes = {row[0]: row[1] for row in db.query(
            "MATCH (n) UNWIND labels(n) AS label RETURN label, count(n)").result_set}
        loaded_edges = {row[0]: row[1] for row in db.query(
            "MATCH ()-[r]->() RETURN type(r), count(r)").result_set}
        assert loaded_nodes == nodes
        assert loaded_edges == edges
        for statement in statements[len(nodes):]:  # re-running the body changes nothing (MERGE)
            db.query(statement)
        assert db.query("MATCH (n) RETURN count(n)").result_set[0][0] == sum(nodes.values())
        assert db.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0] == sum(edges.values())
        # properties arrive typed: dates as dates, aliases as lists, text intact
        paper = db.query("MATCH (p:Paper) WHERE p.date IS NOT NULL "
                         "RETURN p.arxivId, p.date, p.title ORDER BY p.arxivId LIMIT 1").result_set[0]
        expected = run_query(graph, """PREFIX pkg: <https://w3id.org/paperkg/ontology#>
            SELECT ?date ?title WHERE { ?p pkg:arxivId ?id ; pkg:date ?date ; pkg:title ?title }""",
                             {"id": paper[0]})
        expected = next(iter(expected))
        assert paper[1] == expected.date.toPython() and paper[2] == str(expected.title)
        aliases = db.query("MATCH (e) WHERE e.altLabels IS NOT NULL RETURN e.altLabels LIMIT 1").result_set
        assert aliases and isinstance(aliases[0][0], list)
