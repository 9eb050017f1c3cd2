"""``kg stats``: summary figures of a built graph."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.paths import DEFAULT_GRAPH


@click.command(short_help="Print counts per class and relation, and the top entities.")
@click.option("--graph", "-g", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_GRAPH, show_default=True, help="The graph file to summarise.")
@click.option("--top", "-t", "top", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many entities to list per class.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(graph_path: Path, top: int, as_json: bool) -> None:
    """Print nodes per class, links per relation and the most linked entities of each class."""
    from kg.query import GraphError, load_graph
    from kg.stats import format_stats, graph_stats

    try:
        figures = graph_stats(load_graph(graph_path), top=top)
    except GraphError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(figures), nl=False)
