"""``kg export``: write a built graph in another tool's format."""

from __future__ import annotations

from pathlib import Path

import click

from kg.paths import DEFAULT_GRAPH, DEFAULT_OUTPUT_DIR

# Kept here (not imported from kg.export) so that `kg export --help` loads no rdflib.
_FORMATS = ("nt", "jsonld", "graphml", "gexf", "cypher", "neo4j-csv")


@click.command(short_help="Export a built graph to RDF, GraphML, GEXF, Cypher or Neo4j CSV.")
@click.option("--format", "-f", "fmt", required=True, metavar="FORMAT",
              help=f"One of: {', '.join(_FORMATS)}.")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=None,
              help="File to write (a folder for neo4j-csv). Default: output/graph.<ext>, output/neo4j/.")
@click.option("--graph", "-g", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_GRAPH, show_default=True, help="The graph to export.")
@click.option("--dialect", type=click.Choice(["neo4j", "falkordb"]), default="neo4j", show_default=True,
              help="Schema statements of the cypher script: Neo4j 5 constraints or FalkorDB indexes.")
def export(fmt: str, output: Path | None, graph_path: Path, dialect: str) -> None:
    """Export a built graph to N-Triples, JSON-LD, GraphML, GEXF, Cypher or Neo4j CSV.

    \b
    Formats:
      nt         N-Triples, lines sorted (RDF)
      jsonld     JSON-LD with a compact @context (RDF)
      graphml    GraphML for yEd, Cytoscape, igraph
      gexf       GEXF for Gephi
      cypher     Cypher script (cypher-shell -f graph.cypher; --dialect falkordb for FalkorDB)
      neo4j-csv  CSV folder for neo4j-admin database import full (see its import.sh)

    \b
    Examples:
      kg export --format graphml
      kg export --format neo4j-csv -o neo4j/
      kg export --format cypher --dialect falkordb -o graph.cypher --graph out/graph.ttl
    """
    if fmt not in _FORMATS:
        raise click.ClickException(f"unknown format {fmt!r}; choose one of: {', '.join(_FORMATS)}")
    from kg.export import FORMATS, export as write_export
    from kg.io import OutputError
    from kg.query import GraphError, load_graph

    target = output or DEFAULT_OUTPUT_DIR / FORMATS[fmt]
    if fmt == "neo4j-csv" and target.exists() and not target.is_dir():
        raise click.ClickException(f"neo4j-csv writes a folder, but {target} is a file")
    if fmt != "neo4j-csv" and target.is_dir():
        raise click.ClickException(f"{target} is a folder; give a file name with -o")
    try:
        write_export(load_graph(graph_path), fmt, target, dialect=dialect)
    except (GraphError, OutputError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {target}")
