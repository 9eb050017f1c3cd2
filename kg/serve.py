"""A read-only SPARQL 1.1 Protocol endpoint over a built graph, served by Oxigraph.

The ``oxigraph`` package (PyPI) ships the Oxigraph server. The graph file is loaded into a
fresh store folder (``oxigraph load``) and ``oxigraph serve-read-only`` answers on
``http://HOST:PORT/query``: GET and POST, SPARQL results as JSON, XML, CSV or TSV by content
negotiation, Turtle and other RDF syntaxes for CONSTRUCT and DESCRIBE. Updates are refused
(HTTP 403). The root URL serves Oxigraph's query page. The Oxigraph server listens on a
private loopback port behind a front (:mod:`kg.serve_guard`) that refuses ``SERVICE`` (so that
no web page can make this machine connect elsewhere) unless an endpoint is allowed by name, and
stops a query over its time limit or whose client went away.

    >>> with running_server("output/graph.ttl", port=7878) as server:
    ...     print(server.query_url)
"""

from __future__ import annotations

import contextlib
import math
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.query import DEFAULT_TIMEOUT
from kg.serve_guard import Guard, Upstream

#: Seconds to wait for the server to accept connections.
STARTUP_TIMEOUT = 30.0


class ServeError(Exception):
    """The endpoint cannot be prepared or started (missing graph or server, port in use...)."""


@dataclass(frozen=True)
class Server:
    """A running endpoint: its front (:mod:`kg.serve_guard`), the Oxigraph server behind it
    and its URLs."""

    upstream: Upstream
    host: str
    port: int

    @property
    def process(self) -> subprocess.Popen:
        """The Oxigraph server process now running behind the front."""
        return self.upstream.process

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return f"{self.base_url}/query"


def oxigraph_executable() -> str:
    """The Oxigraph server binary: beside this Python first (its pip install), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def prepare_store(graph_path: str | Path, location: str | Path | None = None) -> Path:
    """Load the RDF file ``graph_path`` into a new Oxigraph store folder and return it.

    ``location`` must not exist yet; by default a new temporary folder is made (the caller
    removes it). The RDF syntax is guessed from the file suffix (``.ttl``, ``.nt``, ...).
    """
    graph_path = Path(graph_path)
    if not graph_path.is_file():
        raise ServeError(f"graph file not found: {graph_path} (run `kg build` first or pass --graph)")
    store = Path(location) if location else Path(tempfile.mkdtemp(prefix="paperkg-store-")) / "store"
    if store.exists():
        raise ServeError(f"store folder already exists: {store}")
    store.parent.mkdir(parents=True, exist_ok=True)
    command = [oxigraph_executable(), "load", "--location", str(store), "--file", str(graph_path)]
    if graph_path.suffix not in (".ttl", ".nt", ".nq", ".trig", ".rdf", ".xml", ".owl", ".n3", ".jsonld"):
        command += ["--format", "ttl"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(store, ignore_errors=True)
        first = next((line for line in done.stderr.splitlines() if line.strip()), "unknown error")
        raise ServeError(f"cannot load {graph_path} into Oxigraph: {first.strip()}")
    return store


def stop_process(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate ``process`` (SIGTERM), killing it if it is still alive after ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _wait_until_listening(process: subprocess.Popen, host: str, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"the Oxigraph server exited with code {process.returncode} (is port {port} in use?)")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise ServeError(f"the Oxigraph server did not listen on {host}:{port} within {timeout:.0f} s")


@contextlib.contextmanager
def running_server(
    graph_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = STARTUP_TIMEOUT,
    *,
    query_timeout: float | None = DEFAULT_TIMEOUT,
    allow_service: Collection[str] = (),
) -> Iterator[Server]:
    """Serve ``graph_path`` read-only while the block runs; the store is removed afterwards.

    The public address is the front of :mod:`kg.serve_guard`: ``SERVICE`` is refused unless
    its endpoint is in ``allow_service``, and a request is stopped after ``query_timeout``
    seconds (None: never) or when its client goes away."""
    _check_port_free(host, port)
    with tempfile.TemporaryDirectory(prefix="paperkg-serve-") as workdir:
        store = prepare_store(graph_path, Path(workdir) / "store")
        private = _free_loopback_port()
        command = [oxigraph_executable(), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{private}"]
        if query_timeout is not None:  # stops most evaluations early; the front stops the rest
            command += ["--timeout-s", str(max(1, math.ceil(query_timeout)))]
        log_path = Path(workdir) / "server.log"

        def start() -> subprocess.Popen:
            with open(log_path, "a", encoding="utf-8") as log:
                process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            try:
                _wait_until_listening(process, "127.0.0.1", private, timeout)
            except ServeError as exc:
                process.kill()
                process.wait()
                lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
                detail = next((line.strip() for line in lines if line.strip()), "")
                raise ServeError(f"{exc}{': ' + detail if detail else ''}") from None
            return process

        upstream = Upstream(start)
        try:
            try:
                guard = Guard((host, port), upstream, private, query_timeout=query_timeout, allow_service=allow_service)
            except OSError as exc:
                raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
            thread = threading.Thread(target=guard.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            try:
                yield Server(upstream, host, port)
            finally:
                guard.shutdown()
                guard.server_close()
        finally:
            upstream.stop(stop_process)


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(
    graph_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    echo: Callable[[str], None] = print,
    *,
    query_timeout: float | None = DEFAULT_TIMEOUT,
    allow_service: Collection[str] = (),
) -> int:
    """Run the endpoint in the foreground until SIGINT or SIGTERM; return the exit code.

    Either signal stops the server as :func:`stop_process` does (SIGTERM, then SIGKILL after
    a grace period, so a server that ignores the signal cannot keep ``kg serve`` alive); a
    server stopped that way gives 0, a server that stopped on its own gives its exit code.
    """
    stopping: list[int] = []

    def stop(signum: int, _frame) -> None:
        if not stopping:  # a second Ctrl-C must not interrupt the server's shutdown
            stopping.append(signum)
            raise _Stop(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with running_server(graph_path, host, port, query_timeout=query_timeout, allow_service=allow_service) as server:
            echo(f"SPARQL endpoint (read-only): {server.query_url}")
            echo(f"query page: {server.base_url}/   (Ctrl-C to stop)")
            return server.upstream.wait()
    except _Stop:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Stop(Exception):
    """Raised by the signal handler of :func:`serve` to leave the server's block."""
