"""``kg view``: an HTML page of one entity's or paper's neighbourhood."""

from __future__ import annotations

from pathlib import Path

import click

from kg.domain import DRAWN_CLASSES
from kg.paths import DEFAULT_GRAPH


@click.command(short_help="Write an HTML page of one entity's or paper's neighbourhood.")
@click.argument("name")
@click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True, help="Links to follow from NAME.")
@click.option(
    "--types",
    metavar="CLASS,...",
    help=f"Classes to show besides papers, comma-separated: {', '.join(c.name for c in DRAWN_CLASSES if c.name != 'Paper')}.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Page to write [default: view-<NAME>.html next to the graph].",
)
@click.option(
    "--graph",
    "-g",
    "graph_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_GRAPH,
    show_default=True,
    help="Built graph to read.",
)
def view(name: str, hops: int, types: str | None, output: Path | None, graph_path: Path) -> None:
    """Write an offline HTML page of the nodes within --hops links of NAME.

    NAME is an entity's label or alias (HELMET, Qwen2.5-VL-7B), or a paper's arXiv id or
    title. The page starts with NAME selected; open it in any browser, no network needed.
    """
    from kg.html import UnknownNameError, render_view
    from kg.io import OutputError, atomic_write_bytes
    from kg.namespaces import slugify
    from kg.query import GraphError, load_graph

    classes = [part.strip() for part in types.split(",") if part.strip()] if types else None
    try:
        graph = load_graph(graph_path)
        html = render_view(graph, name, hops, classes)
    except (GraphError, UnknownNameError) as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    target = output or graph_path.parent / f"view-{slugify(name)}.html"
    try:
        atomic_write_bytes(target, html.encode("utf-8"))
    except OutputError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {target}")
