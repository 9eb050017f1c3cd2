"""The HTTP front of ``kg serve``: every request passes here before it reaches Oxigraph.

Oxigraph's server follows ``SERVICE <url>`` to any address (a GET from any web page can make
it connect anywhere) and its ``--timeout-s`` does not stop every evaluation (a ``COUNT`` over
a cross join ran for minutes past it). The front therefore

* refuses a request whose text names ``SERVICE`` with an endpoint not allowed by name
  (:func:`kg.query.check_service` on the decoded URL query and body, and on the raw body
  unless it is a form; a chunked request body, which it cannot read ahead, is refused);
* relays everything else to the Oxigraph server, which listens on a private loopback port,
  with paperkg's prefixes (``pkg:``, ``rdfs:``, ...) declared before the query unless it
  declares them itself, as ``kg query`` predeclares them;
* stops a request that is not answered within the time limit, or whose client went away, by
  restarting the Oxigraph server (the only way to stop its evaluation). Requests in flight
  at that moment get ``502`` and may be sent again.
"""

from __future__ import annotations

import contextlib
import http.client
import queue
import select
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Collection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit

from kg.namespaces import sparql_prologue
from kg.query import QueryError, check_service

#: Request headers not relayed (hop-by-hop, and those the relay sets itself).
_HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
                "host", "content-length"}
#: Seconds between two checks of the time limit and of the client while a request waits.
POLL = 0.1


class Upstream:
    """The Oxigraph server process behind the front, restarted to stop an evaluation."""

    def __init__(self, start: Callable[[], subprocess.Popen]) -> None:
        self._start = start
        self._lock = threading.Lock()
        self.process = start()
        self.generation = 0
        self.stopped = False

    def restart(self, generation: int) -> None:
        """Kill the server and start it again, unless that already happened since ``generation``."""
        with self._lock:
            if generation != self.generation or self.stopped:
                return
            self.process.kill()
            self.process.wait()
            self.generation += 1
            self.process = self._start()

    def wait(self) -> int:
        """Wait until the server stops on its own (not by a restart); its exit code."""
        while True:
            process, generation = self.process, self.generation
            code = process.wait()
            with self._lock:
                if self.generation == generation:
                    return code

    def stop(self, stop_process: Callable[[subprocess.Popen], None]) -> None:
        with self._lock:
            self.stopped = True
            stop_process(self.process)


class Guard(ThreadingHTTPServer):
    """Listens on the public address and relays checked requests to the private server."""

    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], upstream: Upstream, private_port: int, *,
                 query_timeout: float | None, allow_service: Collection[str]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Relay)
        self.upstream = upstream
        self.private_port = private_port
        self.query_timeout = query_timeout
        self.allow_service = tuple(allow_service)


class _Relay(BaseHTTPRequestHandler):
    server: Guard
    protocol_version = "HTTP/1.0"  # one request per connection: the response ends at close

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the front is quiet, as Oxigraph's server is

    def do_GET(self) -> None:
        if self.headers.get("Transfer-Encoding"):
            self._error(411, "send the request with a Content-Length (chunked bodies are not accepted)")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        refused = self._refused(body)
        if refused:
            self._error(400, refused)
            return
        self._relay(self._with_prefixes(body))

    do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = do_GET

    def _refused(self, body: bytes) -> str | None:
        """Why the request may not reach the server (a SERVICE not allowed), or None."""
        text = body.decode("utf-8", errors="replace")
        texts = [unquote_plus(urlsplit(self.path).query, errors="replace"), unquote_plus(text, errors="replace")]
        if "x-www-form-urlencoded" not in (self.headers.get("Content-Type") or "").lower():
            texts.append(text)  # a raw SPARQL body (application/sparql-query) is read as it is
        for text in texts:
            try:
                check_service(text, self.server.allow_service)
            except QueryError as exc:
                return str(exc).replace("--allow-service IRI", "kg serve --allow-service IRI")
        return None

    def _with_prefixes(self, body: bytes) -> bytes:
        """The request body (and ``self.path``) with paperkg's prefixes declared in the query, in
        each of the protocol's three forms: URL parameter, form field, raw SPARQL body."""
        url = urlsplit(self.path)
        if url.query:
            fields = [(k, v if k != "query" else sparql_prologue(v) + v) for k, v in parse_qsl(url.query, True)]
            self.path = url._replace(query=urlencode(fields)).geturl()
        content_type = (self.headers.get("Content-Type") or "").lower()
        if "x-www-form-urlencoded" in content_type:
            fields = parse_qsl(body.decode("utf-8", errors="replace"), True)
            return urlencode([(k, v if k != "query" else sparql_prologue(v) + v) for k, v in fields]).encode()
        if "sparql-query" in content_type:
            text = body.decode("utf-8", errors="replace")
            return (sparql_prologue(text) + text).encode("utf-8")
        return body

    def _relay(self, body: bytes) -> None:
        upstream = self.server.upstream
        generation = upstream.generation
        chunks: queue.Queue = queue.Queue(maxsize=64)
        threading.Thread(target=self._fetch, args=(body, chunks), daemon=True).start()
        deadline = None if self.server.query_timeout is None else time.monotonic() + self.server.query_timeout
        started = False
        while True:
            try:
                item = chunks.get(timeout=POLL)
            except queue.Empty:
                if deadline is not None and time.monotonic() > deadline:
                    upstream.restart(generation)
                    if not started:
                        self._error(503, f"query stopped after {self.server.query_timeout:g} s, the "
                                         "endpoint's time limit (kg serve --timeout)")
                    return
                if self._client_gone():
                    upstream.restart(generation)
                    return
                continue
            if isinstance(item, BaseException):
                if not started:
                    self._error(502, "the SPARQL server was restarted to stop another query; try again")
                return
            if item is None:
                return
            if isinstance(item, http.client.HTTPResponse):
                self._start_response(item)
                started = True
                continue
            try:
                self.wfile.write(item)
            except OSError:  # the client went away while the answer streamed
                upstream.restart(generation)
                return

    def _fetch(self, body: bytes, chunks: queue.Queue) -> None:
        """Send the request to the private server; put the response, its body chunks and
        ``None`` (or an exception) into ``chunks``."""
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.server.private_port)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
            headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body if body else None, headers=headers)
            response = connection.getresponse()
            chunks.put(response)
            if self.command != "HEAD":
                while chunk := response.read1(65536):
                    chunks.put(chunk)
            chunks.put(None)
        except BaseException as exc:  # the server restarted or went away
            with contextlib.suppress(queue.Full):
                chunks.put(exc, timeout=1)

    def _start_response(self, response: http.client.HTTPResponse) -> None:
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in _HOP_HEADERS:
                self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()

    def _client_gone(self) -> bool:
        """True when the client closed its connection (it is readable and at end of file)."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _error(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response_only(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
