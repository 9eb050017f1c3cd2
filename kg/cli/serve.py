"""``kg serve``: a read-only SPARQL endpoint over a built graph (Oxigraph server)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.query import DEFAULT_TIMEOUT
from kg.paths import DEFAULT_GRAPH


@click.command(short_help="Serve a built graph as a read-only SPARQL 1.1 endpoint.")
@click.option("--graph", "-g", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_GRAPH, show_default=True, help="The graph file to serve.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the endpoint to the network).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds a query may run before it is stopped (0: no limit); a query whose client "
                   "goes away is stopped too.")
@click.option("--allow-service", "allow_service", multiple=True, metavar="IRI",
              help="Let SERVICE <IRI> reach this endpoint (repeatable). Without it SERVICE is refused: "
                   "any web page could make this machine connect to any address.")
def serve(graph_path: Path, host: str, port: int, timeout: float, allow_service: tuple[str, ...]) -> None:
    """Serve a built graph as a read-only SPARQL 1.1 endpoint until Ctrl-C.

    Queries go to http://HOST:PORT/query (GET or POST; JSON, XML, CSV or TSV results by
    the Accept header, Turtle for CONSTRUCT/DESCRIBE); updates are refused. The server is
    Oxigraph's (pip install oxigraph); the graph is loaded into a temporary store first.
    As in kg query, the prefixes pkg:, rdfs:, skos:, ... are predeclared (a query's own
    PREFIX lines win; `kg query --prefixes` prints them). SERVICE (federated queries) is refused unless
    --allow-service names the endpoint, and a query stops after --timeout seconds or when
    its client goes away.

    \b
    Examples:
      kg serve
      kg serve --graph out/graph.ttl --port 8890
      curl -H 'Accept: text/csv' --data-urlencode \\
           'query=SELECT ?l WHERE { ?b a pkg:Benchmark ; rdfs:label ?l }' http://127.0.0.1:7878/query
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
           http://127.0.0.1:7878/query
    """
    from kg.serve import ServeError, serve as run_server

    try:
        code = run_server(graph_path, host=host, port=port, echo=lambda line: click.echo(line),
                          query_timeout=timeout or None, allow_service=allow_service)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)
