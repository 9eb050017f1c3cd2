"""Time the library queries on one graph file, on either store, without a build.

    python -m bench.queries GRAPH.ttl [--store oxigraph|memory] [--repeat 5] [--only a,b]
                                      [--entity-ranks 1,10,100,1000] [--engine-only]

Loads GRAPH.ttl, chooses the parameters as ``bench.run`` does (the most linked entity and
benchmark, the first paper; found on an Oxigraph copy, since rdflib's engine needs minutes for
them at 100k papers), then prints each query's median time and row count as a markdown table.
Use it to re-measure queries after a change without re-running the whole suite.

``--entity-ranks`` prints a second table instead: the queries taking an entity ``name``, for the
entities at those ranks of the most linked (1 = the most linked), to show how their time
grows with the number of papers linking to the entity.

``--engine-only`` adds a column: the same query with its answer written by Oxigraph itself as
SPARQL CSV, so that no row becomes a Python object. It is the floor of the query on this
store, and the difference to p50 is what handing the rows to rdflib costs.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from rdflib import Graph, Variable

from bench.measure import Figure, repeated
from bench.run import query_params

if TYPE_CHECKING:
    from kg.query import NamedQuery

#: Entities by the papers linking to them, as the library ranks them (entity-paper-counts).
RANKING = """PREFIX pkg: <https://w3id.org/paperkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?papers WHERE {{ ?entity rdfs:label ?label ; pkg:paperCount ?papers }}
ORDER BY DESC(?papers) ?label ?entity LIMIT {limit}"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", help="a Turtle file written by kg build")
    parser.add_argument("--store", choices=("oxigraph", "memory"), default="oxigraph")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--only", default="", help="comma-separated query names (default: all)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per query run")
    parser.add_argument("--entity-ranks", default="",
                        help="comma-separated ranks of entities by papers (1 = most linked): time the "
                             "queries taking a name for each, instead of the whole library once")
    parser.add_argument("--engine-only", action="store_true",
                        help="add a column: each query answered as CSV by Oxigraph alone (no Python rows)")
    args = parser.parse_args(argv)
    if args.engine_only and args.store != "oxigraph":
        parser.error("--engine-only times Oxigraph's own answer: use it with --store oxigraph")

    from kg.cli import tune_garbage_collector
    from kg.query import list_queries, load_graph

    tune_garbage_collector()  # as `kg query` runs them
    start = time.perf_counter()
    graph = load_graph(args.graph, store=args.store)
    loaded = time.perf_counter() - start
    print(f"{args.store}: loaded {args.graph} in {loaded:.1f} s")
    only = {name for name in args.only.split(",") if name}
    queries = [query for query in list_queries() if not only or query.name in only]
    if args.entity_ranks:
        ranks = [int(rank) for rank in args.entity_ranks.split(",")]
        _by_entity_rank(graph, [q for q in queries if [p.name for p in q.params] == ["name"]], ranks, args)
        return
    params = query_params(graph if args.store == "oxigraph" else load_graph(args.graph))
    print(f"parameters {params}\n")
    columns = ["query", "p50", "runs", "rows"]
    if args.engine_only:
        columns.append("engine only")
    print("| " + " | ".join(columns) + " |\n" + "|---" * len(columns) + "|")
    for query in queries:
        given = params.get(query.name, {})
        figure = _time(graph, query.name, given, args)
        line = f"| {query.name} | {_seconds(figure)} | {figure.runs} | {figure.rows} |"
        if args.engine_only:
            line += f" {_seconds(_time_engine(graph, query, given, args))} |"
        print(line, flush=True)


def _by_entity_rank(graph: Graph, queries: list[NamedQuery], ranks: list[int], args: argparse.Namespace) -> None:
    """One row per rank: the entity, its papers and each query's p50 (rows)."""
    from kg.query import run_query

    ranking = run_query(graph, RANKING.format(limit=max(ranks))).bindings
    print("\n| rank | entity | papers | " + " | ".join(q.name for q in queries) + " |")
    print("|---" * (3 + len(queries)) + "|")
    for rank in ranks:
        if rank > len(ranking):
            print(f"(the graph ranks {len(ranking)} entities)")
            break
        label, papers = (str(ranking[rank - 1][Variable(v)]) for v in ("label", "papers"))
        cells = [_time(graph, q.name, {"name": label}, args) for q in queries]
        print(f"| {rank} | {label} | {papers} | " + " | ".join(f"{_seconds(c)} ({c.rows})" for c in cells) + " |",
              flush=True)


def _time(graph: Graph, name: str, params: dict[str, str], args: argparse.Namespace) -> Figure:
    from kg.query import run_named_query

    return repeated(name, lambda: len(run_named_query(graph, name, params).bindings), args.repeat, args.timeout)


def _time_engine(graph: Graph, query: NamedQuery, params: dict[str, str], args: argparse.Namespace) -> Figure:
    """The query timed to Oxigraph's CSV bytes: evaluation and sorting, no Python rows."""
    import pyoxigraph as ox

    from kg.graph import oxigraph_store
    from kg.query import bind_params

    store = oxigraph_store(graph)
    text = bind_params(query.text, params) if params else query.text

    def answer() -> None:
        store.query(text).serialize(format=ox.QueryResultsFormat.CSV)

    return repeated(query.name, answer, args.repeat, args.timeout)


def _seconds(figure: Figure) -> str:
    return f"{figure.seconds * 1000:,.1f} ms" if figure.seconds is not None else str(figure.note)


if __name__ == "__main__":
    main()
