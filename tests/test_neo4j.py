"""The graph in a real Neo4j (Community 5.26 LTS from Maven Central; tests/neo4j_server.py).

One server runs for the module. Its database is first the bulk import of the
``kg export --format neo4j-csv`` bundle (run by the bundle's own ``import.sh`` with Neo4j's
``neo4j-admin database import full``), then the ``cypher`` export loaded through the official
Python driver into the emptied database, then the Turtle imported by neosemantics (n10s).
Counts per label and relationship type are compared with the RDF graph, and three questions
are answered in SPARQL on the graph and in Cypher on Neo4j with the same rows. The commands
are those of docs/neo4j.md.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from rdflib import Literal, URIRef

from kg.export.cypher import cypher_statements
from kg.query import QUERIES_DIR, load_graph, run_named_query, run_query
from tests import neo4j_server
from tests.test_build import run_kg
from tests.test_export import expected_counts

CYPHER_DIR = QUERIES_DIR / "cypher"
#: The three questions: named query, its parameters.
QUESTIONS = [
    ("papers-evaluating-on", {"name": "HELMET"}),
    ("top-benchmarks", {}),
    ("papers-with-code", {}),
]
#: The n10s configuration of docs/neo4j.md.
N10S_CONFIG = """CALL n10s.graphconfig.init({
  handleVocabUris: 'IGNORE',
  handleMultival: 'ARRAY',
  multivalPropList: ['http://www.w3.org/2004/02/skos/core#altLabel',
                     'http://www.w3.org/2000/01/rdf-schema#label'],
  keepLangTag: true,
  handleRDFTypes: 'LABELS'
})"""


class Neo4j:
    """The module's server and what its database holds (``bulk``, ``cypher`` or ``n10s``)."""

    def __init__(self, runtime: neo4j_server.Runtime, home: Path, bundle: Path) -> None:
        self.runtime, self.home, self.bundle = runtime, home, bundle
        self._server = None
        self.driver = None
        self.contents = ""

    def start(self) -> None:
        self._server = neo4j_server.running_server(self.runtime, self.home)
        self.driver = GraphDatabase.driver(self._server.__enter__(), auth=None)

    def stop(self) -> None:
        if self.driver is not None:
            self.driver.close()
            self.driver = None
        if self._server is not None:
            self._server.__exit__(None, None, None)
            self._server = None

    def bulk_import(self) -> None:
        """``sh import.sh`` from ``$NEO4J_HOME`` with Neo4j stopped, as docs/neo4j.md says."""
        self.stop()
        for folder in ("databases", "transactions"):
            shutil.rmtree(self.home / "data" / folder / "neo4j", ignore_errors=True)
        done = subprocess.run(["sh", str(self.bundle / "import.sh")], cwd=self.home,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        self.start()
        self.contents = "bulk"

    def run(self, cypher: str, **params) -> list[dict]:
        with self.driver.session() as session:
            return session.run(cypher, params).data()

    def empty(self) -> None:
        self.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")
        for row in self.run("SHOW CONSTRAINTS YIELD name"):
            self.run(f"DROP CONSTRAINT `{row['name']}`")
        self.contents = ""

    def load(self, contents: str, graph_file: Path, cypher_file: Path) -> None:
        if self.contents == contents:
            return
        if contents == "bulk":
            self.bulk_import()
            return
        self.empty()
        if contents == "cypher":
            load_cypher_script(self.driver, cypher_file)
        else:
            self.run("CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE")
            self.run(N10S_CONFIG)
            [answer] = self.run("CALL n10s.rdf.import.fetch($url, 'Turtle')", url=graph_file.resolve().as_uri())
            assert answer["terminationStatus"] == "OK", answer
        self.contents = contents

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes = {row["label"]: row["n"] for row in self.run(
            "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")}
        edges = {row["type"]: row["n"] for row in self.run(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}
        return nodes, edges


def load_cypher_script(driver, path: Path) -> None:
    """Run a ``kg export --format cypher`` script statement by statement (docs/neo4j.md)."""
    with driver.session() as session:
        for statement in cypher_statements(path.read_text(encoding="utf-8")):
            session.run(statement).consume()


@pytest.fixture(scope="module")
def graph_file(samples_build) -> Path:
    return Path(samples_build.outputs[0])


@pytest.fixture(scope="module")
def graph(graph_file):
    return load_graph(graph_file)


@pytest.fixture(scope="module")
def exports(graph_file, tmp_path_factory) -> tuple[Path, Path]:
    """The neo4j-csv bundle folder and the cypher script of the samples, by `kg export`."""
    folder = tmp_path_factory.mktemp("neo4j-exports")
    for fmt, target in (("neo4j-csv", folder / "bundle"), ("cypher", folder / "graph.cypher")):
        done = run_kg("export", "--format", fmt, "-o", str(target), "--graph", str(graph_file))
        assert done.returncode == 0, done.stderr
    return folder / "bundle", folder / "graph.cypher"


@pytest.fixture(scope="module")
def neo4j(exports, tmp_path_factory):
    runtime = neo4j_server.install()
    home = neo4j_server.make_home(runtime, tmp_path_factory.mktemp("neo4j-home"))
    server = Neo4j(runtime, home, exports[0])
    try:
        server.bulk_import()
        yield server
    finally:
        server.stop()


# The tests run in the order of this file, which loads each database once: the bulk import
# first, then the Cypher script, then n10s. Run in another order (-k, a single test) they still
# pass: each asks for the contents it needs, and the server reloads them.


@pytest.fixture
def bulk(neo4j, graph_file, exports):
    neo4j.load("bulk", graph_file, exports[1])
    return neo4j


@pytest.fixture
def scripted(neo4j, graph_file, exports):
    neo4j.load("cypher", graph_file, exports[1])
    return neo4j


def test_server_is_neo4j_community(neo4j):
    [kernel] = neo4j.run("CALL dbms.components() YIELD name, versions, edition "
                         "RETURN name, versions, edition")
    assert kernel["edition"] == "community" and kernel["versions"][0].startswith("5.26.")


def assert_counts_equal(server, graph) -> None:
    nodes, edges = expected_counts(graph)
    assert server.counts() == (nodes, edges)


def assert_properties_typed(server, graph) -> None:
    from neo4j.time import Date

    [paper] = server.run("MATCH (p:Paper) WHERE p.date IS NOT NULL RETURN p.arxivId AS id, p.date AS date, "
                         "p.title AS title ORDER BY p.arxivId LIMIT 1")
    [expected] = run_query(graph, "SELECT ?date ?title WHERE { ?p pkg:arxivId ?id ; pkg:date ?date ; "
                                  "pkg:title ?title }", {"id": paper["id"]})
    assert isinstance(paper["date"], Date) and paper["date"].to_native() == expected.date.toPython()
    assert paper["title"] == str(expected.title)
    [row] = server.run("MATCH (e) WHERE e.altLabels IS NOT NULL RETURN e.altLabels AS aliases LIMIT 1")
    assert isinstance(row["aliases"], list) and row["aliases"]


def assert_same_rows(server, graph, name: str, params: dict) -> None:
    result = run_named_query(graph, name, params)
    columns = [str(var) for var in result.vars]
    sparql_rows = [[python_value(row.get(var)) for var in result.vars] for row in result.bindings]
    cypher = (CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    cypher_rows = [[python_value(row[column]) for column in columns] for row in server.run(cypher, **params)]
    assert sparql_rows, f"{name}: no rows on the samples"
    assert cypher_rows == sparql_rows


def test_bulk_import_counts_per_label_and_type_equal_the_rdf_graph(bulk, graph):
    assert_counts_equal(bulk, graph)


def test_bulk_import_properties_arrive_typed(bulk, graph):
    assert_properties_typed(bulk, graph)


@pytest.mark.parametrize(("name", "params"), QUESTIONS, ids=[name for name, _ in QUESTIONS])
def test_bulk_import_answers_as_sparql(bulk, graph, name, params):
    assert_same_rows(bulk, graph, name, params)


def test_cypher_script_counts_per_label_and_type_equal_the_rdf_graph(scripted, graph):
    assert_counts_equal(scripted, graph)


def test_cypher_script_properties_arrive_typed(scripted, graph):
    assert_properties_typed(scripted, graph)


@pytest.mark.parametrize(("name", "params"), QUESTIONS, ids=[name for name, _ in QUESTIONS])
def test_cypher_script_answers_as_sparql(scripted, graph, name, params):
    assert_same_rows(scripted, graph, name, params)


def python_value(value):
    """A SPARQL term or a Neo4j value as the same plain Python value."""
    if isinstance(value, Literal):
        return value.toPython()
    if isinstance(value, URIRef):
        return str(value)
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


def test_neosemantics_imports_the_turtle(neo4j, graph, graph_file, exports):
    neo4j.load("n10s", graph_file, exports[1])
    nodes, edges = neo4j.counts()
    nodes.pop("_GraphConfig")
    # n10s keeps local names only (handleVocabUris: 'IGNORE'), so classes and predicates of
    # different vocabularies with one local name share a label or a type: counted that way.
    expected_nodes = {"Resource": int(next(iter(graph.query(
        "SELECT (COUNT(DISTINCT ?n) AS ?k) WHERE { { ?n ?p ?o } UNION "
        "{ ?s ?p ?n FILTER(!isLiteral(?n) && ?p != rdf:type) } }")))[0])}
    for row in graph.query("SELECT ?c (COUNT(DISTINCT ?n) AS ?k) WHERE { ?n a ?c } GROUP BY ?c"):
        local = local_name(row.c)
        expected_nodes[local] = expected_nodes.get(local, 0) + int(row.k)
    expected_edges: dict[str, int] = {}
    for row in graph.query("SELECT ?p (COUNT(*) AS ?k) WHERE { ?s ?p ?o FILTER(!isLiteral(?o) "
                           "&& ?p != rdf:type) } GROUP BY ?p"):
        local = local_name(row.p)
        expected_edges[local] = expected_edges.get(local, 0) + int(row.k)
    assert (nodes, edges) == (expected_nodes, expected_edges)
    # the paper -> entity relationships are those of the other two imports
    _, property_graph_edges = expected_counts(graph)
    assert edges["evaluatesOn"] == property_graph_edges["EVALUATES_ON"]


def local_name(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
