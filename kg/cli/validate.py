"""``kg validate``: check a built graph against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from kg.paths import DEFAULT_GRAPH


@click.command(short_help="Check a built graph against paperkg's SHACL shapes.")
@click.option("--graph", "-g", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_GRAPH, show_default=True, help="The graph file to check.")
@click.option("--shapes", "shapes_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="SHACL shapes to use instead of ontology/shapes.ttl.")
def validate(graph_path: Path, shapes_path: Path | None) -> None:
    """Check a graph against paperkg's SHACL shapes (ontology/shapes.ttl).

    Prints one line per problem (severity, node, property: message) and exits with
    status 1 when the graph has violations, 0 when it conforms.
    """
    from kg import validate as kgvalidate
    from kg.query import GraphError, load_graph

    try:
        graph = load_graph(graph_path)
        shapes = kgvalidate.load_shapes(shapes_path) if shapes_path else None
        report = kgvalidate.validate(graph, shapes)
    except GraphError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # a broken shapes file: rdflib or pySHACL errors
        raise click.ClickException(f"cannot validate: {' '.join(str(exc).split())}") from exc
    for problem in report.problems:
        click.echo(problem.describe(graph.namespace_manager))
    if report.conforms:
        click.echo(f"{graph_path}: conforms to the shapes")
        return
    click.echo(f"{graph_path}: {len(report.violations)} violation(s)", err=True)
    raise SystemExit(1)
