"""``kg eval``: score a built graph against gold entity annotations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.paths import DEFAULT_GRAPH


@click.command("eval", short_help="Score a built graph's entities against gold annotations.")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Gold annotations, one JSON record per line (../shared/eval/README.md).")
@click.option("--graph", "-g", "graph_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_GRAPH, show_default=True, help="The built graph (Turtle).")
@click.option("--explain", is_flag=True, help="List each paper's misses, false hits, wrong types and wrong roles.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(gold: Path, graph_path: Path, explain: bool, as_json: bool) -> None:
    """Score the entities of a built graph against GOLD: precision, recall and F1 (untyped,
    typed, per class), role accuracy and the gold papers missing from the graph."""
    from kg.evaluate import evaluate as score, format_scores, read_gold
    from kg.query import load_graph

    if not graph_path.exists():
        raise click.ClickException(f"{graph_path}: no such graph; run 'kg build' first or pass --graph")
    try:
        records = read_gold(gold)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    scores = score(load_graph(graph_path), records)
    if as_json:
        click.echo(json.dumps(scores.as_dict(), indent=2))
    else:
        click.echo(format_scores(scores, explain=explain))
