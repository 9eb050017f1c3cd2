"""``kg export``: write a built graph in another tool's format."""

from __future__ import annotations

from pathlib import Path

import click

from kg.paths import DEFAULT_GRAPH, DEFAULT_OUTPUT_DIR


class ExportCommand(click.Command):
    """Lists the formats of rdflib's plugin registry in ``--help``, read only when asked."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from rdflib import plugin
        from rdflib.serializer import Serializer

        from kg.export import own_formats, serializer_formats

        own = own_formats()
        rows = []
        for name, plugin_name in serializer_formats().items():
            if name in own:
                doc = plugin.get(plugin_name, Serializer).__doc__ or ""
                rows.append((name, doc.strip().splitlines()[0]))
        rows.append(("neo4j-csv", "CSV folder for neo4j-admin database import full (see its import.sh)"))
        others = [name for name in serializer_formats() if name not in own]
        with formatter.section("paperkg's formats (byte-identical for the same graph)"):
            formatter.write_dl(rows)
        with formatter.section("Other RDF serializers installed (rdflib plugins)"):
            formatter.write_text(", ".join(others))
        super().format_epilog(ctx, formatter)


@click.command(cls=ExportCommand, short_help="Export a built graph to RDF, GraphML, GEXF, Cypher or Neo4j CSV.")
@click.option("--format", "-f", "fmt", required=True, metavar="FORMAT",
              help="A format listed below: paperkg's own or any RDF serializer rdflib has installed.")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=None,
              help="File to write (a folder for neo4j-csv). Default: output/graph.<ext>, output/neo4j/.")
@click.option("--graph", "-g", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_GRAPH, show_default=True, help="The graph to export.")
@click.option("--dialect", type=click.Choice(["neo4j", "falkordb"]), default="neo4j", show_default=True,
              help="Schema statements of the cypher script: Neo4j 5 constraints or FalkorDB indexes.")
def export(fmt: str, output: Path | None, graph_path: Path, dialect: str) -> None:
    """Export a built graph to N-Triples, JSON-LD, GraphML, GEXF, Cypher, Neo4j CSV or any
    RDF format rdflib's plugins write.

    \b
    Examples:
      kg export --format graphml
      kg export --format neo4j-csv -o neo4j/
      kg export --format cypher --dialect falkordb -o graph.cypher --graph out/graph.ttl
    """
    from kg.export import FOLDER_FORMATS, default_name, export as write_export, own_formats, serializer_formats

    if fmt not in serializer_formats() and fmt not in FOLDER_FORMATS:
        raise click.ClickException(
            f"unknown format {fmt!r}; choose one of: {', '.join(own_formats())}, or an RDF serializer 'kg export --help' lists"
        )
    from kg.io import OutputError
    from kg.query import GraphError, load_graph

    target = output or DEFAULT_OUTPUT_DIR / default_name(fmt)
    if fmt in FOLDER_FORMATS and target.exists() and not target.is_dir():
        raise click.ClickException(f"{fmt} writes a folder, but {target} is a file")
    if fmt not in FOLDER_FORMATS and target.is_dir():
        raise click.ClickException(f"{target} is a folder; give a file name with -o")
    try:
        write_export(load_graph(graph_path), fmt, target, dialect=dialect)
    except (GraphError, OutputError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {target}")
