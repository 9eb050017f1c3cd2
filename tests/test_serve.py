"""`kg serve`: the real Oxigraph server answering SPARQLWrapper in every result format."""

from __future__ import annotations

import contextlib
import csv
import io
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.query import load_graph, run_query
from kg.serve import ServeError, prepare_store, running_server
from tests.tools import free_port

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
REPO = Path(__file__).resolve().parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SELECT = """PREFIX pkg: <https://w3id.org/paperkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?paper pkg:evaluatesOn ?b . ?b rdfs:label ?label } ORDER BY ?label"""
EXPECTED_LABELS = ["GAIA", "HELMET", "MMLU", "MMLU", "RULER"]


@pytest.fixture(scope="module")
def endpoint():
    """`kg serve` run as a user runs it, in its own process; yields the printed URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--graph", str(MINI), "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()  # printed once the server accepts connections
        assert line.startswith("SPARQL endpoint (read-only): "), line + process.stderr.read()
        yield line.split(": ", 1)[1].strip()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        process.stdout.close()
        process.stderr.close()
    assert code == 0


def client(url: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setTimeout(30)
    return sparql


def count(url: str) -> int:
    result = client(url, COUNT, JSON).queryAndConvert()
    return int(result["results"]["bindings"][0]["n"]["value"])


def test_endpoint_url_is_on_loopback(endpoint):
    assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/query")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(endpoint, method):
    result = client(endpoint, SELECT, JSON, method).queryAndConvert()
    assert result["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == EXPECTED_LABELS


def test_select_xml(endpoint):
    document = client(endpoint, SELECT, XML).queryAndConvert()  # an xml.dom.minidom Document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == EXPECTED_LABELS


def test_select_csv(endpoint):
    text = client(endpoint, SELECT, CSV).queryAndConvert().decode("utf-8")
    assert list(csv.reader(io.StringIO(text))) == [["label"]] + [[label] for label in EXPECTED_LABELS]


def test_select_tsv(endpoint):
    text = client(endpoint, SELECT, TSV).queryAndConvert().decode("utf-8")
    assert text.splitlines() == ["?label"] + [f'"{label}"' for label in EXPECTED_LABELS]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(endpoint, fmt):
    ask = client(endpoint, 'ASK { ?e <http://www.w3.org/2000/01/rdf-schema#label> "HELMET" }', fmt)
    result = ask.queryAndConvert()
    answer = result["boolean"] if fmt == JSON else result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert answer is True


def test_construct_turtle(endpoint):
    query = """PREFIX pkg: <https://w3id.org/paperkg/ontology#>
    CONSTRUCT { ?p pkg:evaluatesOn ?b } WHERE { ?p pkg:evaluatesOn ?b }"""
    data = client(endpoint, query, TURTLE).queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    expected = Graph().parse(MINI)
    assert set(graph) == set(expected.triples((None, expected.namespace_manager.expand_curie("pkg:evaluatesOn"), None)))
    assert len(graph) == 5


def test_update_is_refused_and_changes_nothing(endpoint):
    before = count(endpoint)
    update = SPARQLWrapper(endpoint.removesuffix("/query") + "/update")
    update.setMethod("POST")
    update.setQuery("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    update.setTimeout(30)
    with pytest.raises((SPARQLWrapperException, HTTPError)) as caught:
        update.query()
    assert "403" in str(caught.value) or getattr(caught.value, "code", None) == 403
    assert count(endpoint) == before == len(Graph().parse(MINI))


def test_running_server_api_and_store_cleanup(tmp_path):
    store = prepare_store(MINI, tmp_path / "store")
    assert (store / "CURRENT").is_file()
    with pytest.raises(ServeError, match="already exists"):
        prepare_store(MINI, store)
    with running_server(MINI, port=free_port()) as server:
        assert count(server.query_url) == len(Graph().parse(MINI))
        process = server.process
    assert process.poll() is not None


def test_serve_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .")
    with pytest.raises(ServeError, match="cannot load"):
        prepare_store(bad)
    with socket_in_use() as port:
        done = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(MINI), "--port", str(port)],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}") and done.stderr.count("\n") == 1
    done = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(tmp_path / "none.ttl")],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("Error: graph file not found")


@contextlib.contextmanager
def socket_in_use():
    """A listening socket on a free loopback port, for the whole ``with`` block."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_sigterm_stops_the_server(tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(MINI), "--port", str(port)],
                               cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith("SPARQL endpoint")
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the port is released by the server's exit
            try:
                count(f"http://127.0.0.1:{port}/query")
            except Exception:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the Oxigraph server still answers after kg serve stopped")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.mark.parametrize("method", ["GET", "POST", "POST-raw"])
def test_the_endpoint_predeclares_the_prefixes_of_kg_query(endpoint, method):
    body = "SELECT" + SELECT.split("SELECT", 1)[1]  # pkg: and rdfs: undeclared
    sparql = client(endpoint, body, JSON, "POST" if method != "GET" else "GET")
    if method == "POST-raw":
        sparql.setRequestMethod(POSTDIRECTLY)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [row["label"]["value"] for row in rows] == EXPECTED_LABELS


def test_a_prefix_the_query_declares_is_its_own(endpoint):
    query = 'PREFIX rdfs: <urn:other#> SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?l }'
    rows = client(endpoint, query, JSON).queryAndConvert()["results"]["bindings"]
    assert rows[0]["n"]["value"] == "0"


def test_kg_query_prefixes_prints_the_prologue():
    prologue = subprocess.run([sys.executable, "-m", "kg", "query", "--prefixes"], cwd=REPO,
                              capture_output=True, text=True, timeout=60, check=True).stdout
    assert prologue.splitlines()[0] == "PREFIX pkg: <https://w3id.org/paperkg/ontology#>"
    body = "SELECT" + SELECT.split("SELECT", 1)[1]
    assert [str(row.label) for row in run_query(load_graph(MINI, store="memory"), prologue + body)] == EXPECTED_LABELS
