"""Time the library queries on one graph file, on either store, without a build.

    python -m bench.queries GRAPH.ttl [--store oxigraph|memory] [--repeat 5] [--only a,b]

Loads GRAPH.ttl, chooses the parameters as ``bench.run`` does (the most linked entity and
benchmark, the first paper; found on an Oxigraph copy, since rdflib's engine needs minutes for
them at 100k papers), then prints each query's median time and row count as a markdown table.
Use it to re-measure queries after a change without re-running the whole suite.
"""

from __future__ import annotations

import argparse
import time

from bench.measure import repeated
from bench.run import query_params


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", help="a Turtle file written by kg build")
    parser.add_argument("--store", choices=("oxigraph", "memory"), default="oxigraph")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--only", default="", help="comma-separated query names (default: all)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per query run")
    args = parser.parse_args(argv)

    from kg.cli import tune_garbage_collector
    from kg.query import list_queries, load_graph, run_named_query

    tune_garbage_collector()  # as `kg query` runs them
    start = time.perf_counter()
    graph = load_graph(args.graph, store=args.store)
    loaded = time.perf_counter() - start
    params = query_params(graph if args.store == "oxigraph" else load_graph(args.graph))
    print(f"{args.store}: loaded {args.graph} in {loaded:.1f} s; parameters {params}\n")
    only = {name for name in args.only.split(",") if name}
    print("| query | p50 | runs | rows |\n|---|---|---|---|")
    for query in list_queries():
        if only and query.name not in only:
            continue
        given = params.get(query.name, {})
        figure = repeated(query.name, lambda: len(run_named_query(graph, query.name, given).bindings),
                          args.repeat, args.timeout)
        seconds = f"{figure.seconds * 1000:,.1f} ms" if figure.seconds is not None else figure.note
        print(f"| {query.name} | {seconds} | {figure.runs} | {figure.rows} |", flush=True)


if __name__ == "__main__":
    main()
