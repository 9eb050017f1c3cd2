"""``kg query``: run SPARQL or a named library query on a built graph."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import click

from kg.paths import DEFAULT_GRAPH

#: kg.query.DEFAULT_TIMEOUT, kept here so that `kg query --help` loads no rdflib.
DEFAULT_TIMEOUT = 60.0


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--param")
        params[name.strip()] = value
    return params


@click.command()
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option("--name", "-n", "query_name", metavar="NAME", help="Run a named query of the library (see --list).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable), e.g. --param name=HELMET.")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and their parameters.")
@click.option("--prefixes", "prefixes_only", is_flag=True,
              help="Print the PREFIX lines this command predeclares (pkg:, rdfs:, ...), for other endpoints.")
@click.option("--graph", "-g", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_GRAPH, show_default=True, help="The graph file to query.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format of SELECT/ASK results (CONSTRUCT/DESCRIBE print Turtle).")
@click.option("--store", type=click.Choice(["oxigraph", "memory"]), default="oxigraph", show_default=True,
              help="Triple store: Oxigraph (fast) or rdflib's in-memory store.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds the query may run before it is stopped (0: no limit). Ctrl-C stops it too.")
@click.option("--allow-service", "allow_service", multiple=True, metavar="IRI",
              help="Let SERVICE <IRI> reach this endpoint (repeatable). Without it SERVICE is refused: "
                   "a federated query makes this machine connect to another server.")
def query(query_text: str | None, query_name: str | None, params: tuple[str, ...], list_only: bool,
          prefixes_only: bool, graph_path: Path, fmt: str, store: str, timeout: float,
          allow_service: tuple[str, ...]) -> None:
    """Run a SPARQL 1.1 query on a built graph and print the results.

    QUERY is SPARQL text or the path of a .rq file. Instead of QUERY, --name runs a query
    of the library in ontology/queries/ with --param values bound safely. The prefixes
    pkg:, rdfs:, skos:, ... are predeclared (--prefixes prints them).

    \b
    Examples:
      kg query --list
      kg query --name top-benchmarks
      kg query --name papers-evaluating-on --param name=HELMET --format csv
      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      kg query my-query.rq --graph out/graph.ttl
    """
    from kg import query as kgquery
    from kg.graph import has_statistics

    if prefixes_only:
        from kg.namespaces import sparql_prologue

        click.echo(sparql_prologue(), nl=False)
        return
    if list_only:
        for named in kgquery.list_queries():
            names = " ".join(f"{param.name}=…" for param in named.params)
            click.echo(f"{named.name}{' ' + names if names else ''}\t{named.summary}")
        return
    if bool(query_text) == bool(query_name):
        raise click.UsageError("give either QUERY (SPARQL text or a .rq file) or --name NAME")
    if query_text in {named.name for named in kgquery.list_queries()} and not Path(query_text).exists():
        raise click.UsageError(f"{query_text!r} is a query of the library: run it with --name {query_text}")
    bound = _parse_params(params)
    limit = timeout or math.inf  # always in a worker thread, so that Ctrl-C stops the wait
    try:
        graph = kgquery.load_graph(graph_path, store=store)
        if query_name:
            result = _interruptible(lambda: kgquery.run_named_query(graph, query_name, bound, timeout=limit))
            if not has_statistics(graph):
                click.echo(f"warning: {graph_path} has no statistics (a graph not made by this version of "
                           "kg build?): library queries that read counts answer nothing; rebuild it, or see "
                           "add_statistics in docs/queries.md", err=True)
        else:
            text = _read_query_text(query_text)
            result = _interruptible(lambda: kgquery.run_query(graph, text, bound or None, timeout=limit,
                                                              allow_service=allow_service))
    except (kgquery.GraphError, kgquery.QueryError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(kgquery.format_result(result, fmt, graph), nl=False)


def _interruptible(run):
    """``run()``; when the query is interrupted (Ctrl-C) or over its time limit, a one-line
    error and an immediate exit: the engine's thread cannot be stopped, only ended with the
    process."""
    from kg.query import QueryTimeout

    try:
        return run()
    except (KeyboardInterrupt, QueryTimeout) as exc:
        message = str(exc) if isinstance(exc, QueryTimeout) else "query interrupted"
        click.echo(f"Error: {message}", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1 if isinstance(exc, QueryTimeout) else 130)


def _read_query_text(query_text: str) -> str:
    path = Path(query_text)
    if query_text.endswith(".rq") or ("\n" not in query_text and _is_file(path)):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot read query file {query_text}: {exc.strerror}") from exc
    return query_text


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False for text that cannot name a file: a one-line query longer than
    the system's name limit makes ``stat`` fail with ENAMETOOLONG rather than answer."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # ValueError: a NUL character
        return False
