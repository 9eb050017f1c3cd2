"""Hostile queries and parameters (issue 21.3, 21.7): values never change a query, SERVICE
reaches no other server unless allowed, and no query runs past its time limit or Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Literal

from kg.query import (
    DEFAULT_TIMEOUT,
    QueryError,
    QueryTimeout,
    bind_params,
    check_service,
    load_graph,
    run_query,
)

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
REPO = Path(__file__).resolve().parent.parent
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
#: Ends its literal in rdflib's Literal.n3() (a newline makes it triple-quoted, the final \"
#: then closes it) and, with a second parameter, turns the rest into query text.
ESCAPING = 'x\nfoo\\"'
TWO = {"a": ESCAPING, "b": ' } } UNION { ?s ?p ?o } #'}


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def graph(request):
    return load_graph(MINI, store=request.param)


def test_parameter_values_are_bound_as_values_never_as_text(graph):
    query = "SELECT ?a ?b WHERE { BIND(1 AS ?one) }"
    rows = list(run_query(graph, query, TWO))
    assert [(str(row.a), str(row.b)) for row in rows] == [(TWO["a"], TWO["b"])]
    label = run_query(graph, "SELECT ?s WHERE { ?s ?p ?name }", {"name": ESCAPING, "other": ESCAPING})
    assert list(label) == []  # a literal that no triple has, not a changed query


def test_bind_params_text_is_safe_in_both_engines(graph):
    text = bind_params("SELECT ?a ?b WHERE { BIND(1 AS ?one) }", TWO)
    rows = list(run_query(graph, text))
    assert [(str(row.a), str(row.b)) for row in rows] == [(TWO["a"], TWO["b"])]
    with pytest.raises(QueryError, match=r"\\u or \\U"):
        bind_params("SELECT ?a WHERE { }", {"a": 'x\\u0022 } } #'})
    typed = bind_params("SELECT ?a WHERE { }", {"a": Literal("chat", lang="fr")})
    assert '"chat"@fr' in typed


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE # a comment\n <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "PREFIX x: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE x: { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE<http://127.0.0.1:9/>{ ?s ?p ?o } }",
])
def test_service_is_refused(graph, query):
    with pytest.raises(QueryError, match="refused"):
        run_query(graph, query)


def test_service_names_in_strings_variables_and_iris_are_not_service():
    check_service('SELECT ?service WHERE { ?service <http://x/SERVICE> "SERVICE <http://y/>" }')
    check_service("SELECT * WHERE { ?s <urn:service:SERVICE> ?o } # SERVICE <http://z/>")
    check_service("SELECT * WHERE { SERVICE <http://allowed/sparql> { ?s ?p ?o } }", ["http://allowed/sparql"])
    with pytest.raises(QueryError):
        check_service("SELECT * WHERE { SERVICE <http://allowed/sparql2> { ?s ?p ?o } }", ["http://allowed/sparql"])


def test_kg_query_opens_no_connection_for_service(listener):
    port, connected = listener
    done = subprocess.run(
        [sys.executable, "-m", "kg", "query", "--graph", str(MINI), "--store", "memory",
         f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"],
        cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("Error: SERVICE"), done.stderr
    assert "--allow-service" in done.stderr
    assert not connected()


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_named_graphs_are_never_fetched(listener, store):
    port, connected = listener
    for query in (f"SELECT * FROM <http://127.0.0.1:{port}/g> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        subprocess.run([sys.executable, "-m", "kg", "query", "--graph", str(MINI), "--store", store, query],
                       cwd=REPO, capture_output=True, text=True, timeout=60)
    assert not connected()


def test_timeout_stops_a_cross_join(graph):
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped after 1 s"):
        run_query(graph, CROSS_JOIN, timeout=1)
    assert time.monotonic() - start < 10


def test_cli_timeout_and_ctrl_c_stop_the_query_and_the_process():
    command = [sys.executable, "-m", "kg", "query", "--graph", str(MINI), CROSS_JOIN]
    start = time.monotonic()
    done = subprocess.run([*command, "--timeout", "1"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr == "Error: query stopped after 1 s, its time limit (--timeout)\n"
    assert time.monotonic() - start < 30
    process = subprocess.Popen([*command, "--timeout", "0"], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # loaded and inside the query
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130 and stderr == "Error: query interrupted\n"


def test_cli_default_timeout_is_the_library_default():
    from kg.cli import query as cli_query

    assert cli_query.DEFAULT_TIMEOUT == DEFAULT_TIMEOUT
