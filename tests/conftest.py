"""Shared fixtures: the samples' graph is built once per test session."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV_GOLD = SHARED / "eval" / "dev.jsonl"


@pytest.fixture(autouse=True, scope="session")
def interruptible_children():
    """A shell starts a background job (``make test &``) with SIGINT ignored, and every process it
    starts inherits that; the Ctrl-C tests send SIGINT to ``kg`` as a terminal does. With a
    handler here, the ``kg`` processes the tests start get the default again (exec resets it)."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory: pytest.TempPathFactory):
    """``kg build`` on the bundled samples into a session folder: the BuildResult."""
    from kg.build import build

    out = tmp_path_factory.mktemp("samples-build")
    return build([], out)


@pytest.fixture(scope="session")
def samples_graph(samples_build):
    """The samples' graph as read back from the written Turtle (what users get)."""
    from rdflib import Graph

    return Graph().parse(samples_build.outputs[0], format="turtle")


@pytest.fixture
def listener():
    """A loopback port that records whether anything connected to it: yields (port, connected)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.settimeout(0.5)

        def connected() -> bool:
            try:
                sock.accept()[0].close()
                return True
            except TimeoutError:
                return False

        yield sock.getsockname()[1], connected
