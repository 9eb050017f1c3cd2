"""`kg serve` under hostile queries (issue 21.3): no outbound connection for SERVICE, however
the request is written; a cross join stops within the time limit, or when its client leaves."""

from __future__ import annotations

import http.client
import socket
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from kg.serve import running_server
from tests.tools import free_port

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j }"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def server():
    with running_server(MINI, port=free_port(), query_timeout=TIMEOUT) as running:
        yield running


def request(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def service_requests(port: int) -> list[tuple[str, str, bytes | None, dict]]:
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    hidden = query.replace("SERVICE", "SERV\\u0049CE")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    return [
        ("GET", "/query?" + urlencode({"query": query}), None, {}),
        ("GET", "/query?query=" + quote(hidden, safe=""), None, {}),
        ("POST", "/query", urlencode({"query": query}).encode(), form),
        ("POST", "/query", query.encode(), {"Content-Type": "application/sparql-query"}),
        ("POST", "/query", "".join(f"%{b:02X}" for b in f"query={query}".encode()).encode(), form),
        ("GET", "/query?" + urlencode({"query": query.lower()}), None, {}),
    ]


def test_service_opens_no_outbound_connection(server, listener):
    port, connected = listener
    for method, path, body, headers in service_requests(port):
        status, text = request(server, method, path, body, headers)
        assert status == 400 and b"SERVICE" in text and b"--allow-service" in text, (path, text)
    assert not connected()


def test_chunked_request_bodies_are_refused(server):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    connection.putrequest("POST", "/query")
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    connection.send(b"0\r\n\r\n")
    assert connection.getresponse().status == 411


def test_allowed_service_is_relayed(listener, tmp_path):
    port, connected = listener
    endpoint = f"http://127.0.0.1:{port}/sparql"
    with running_server(MINI, port=free_port(), allow_service=[endpoint]) as allowed:
        query = f"SELECT * WHERE {{ SERVICE SILENT <{endpoint}> {{ ?s ?p ?o }} }}"
        connection = http.client.HTTPConnection(allowed.host, allowed.port, timeout=30)
        connection.request("GET", "/query?" + urlencode({"query": query}))
        time.sleep(0.5)
        assert connected()  # the allowed endpoint was reached: the check is not a blanket refusal


def test_cross_join_stops_within_the_timeout_and_the_server_recovers(server):
    start = time.monotonic()
    status, text = request(server, "GET", "/query?" + urlencode({"query": CROSS_JOIN}))
    elapsed = time.monotonic() - start
    assert status == 503 and b"query stopped after 2 s" in text
    assert elapsed < TIMEOUT + 10
    status, _ = request(server, "GET", "/query?" + urlencode({"query": "ASK { ?s ?p ?o }"}),
                        headers={"Accept": "application/sparql-results+json"})
    assert status == 200


def test_abandoned_query_is_stopped_when_its_client_leaves():
    with running_server(MINI, port=free_port(), query_timeout=None) as untimed:
        before = untimed.process
        connection = socket.create_connection((untimed.host, untimed.port))
        connection.sendall(f"GET /query?{urlencode({'query': CROSS_JOIN})} HTTP/1.0\r\n\r\n".encode())
        time.sleep(1)
        connection.close()
        deadline = time.monotonic() + 10
        while untimed.process is before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert untimed.process is not before  # the evaluating server was stopped and replaced
        assert before.poll() is not None
