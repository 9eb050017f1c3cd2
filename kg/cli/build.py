"""``kg build``: digests -> output/graph.ttl and output/graph.html."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kg.build import DISK_STORE_PAPERS, STORES
from kg.readers import layout_names
from kg.paths import DEFAULT_OUTPUT_DIR


@click.command(short_help="Build the graph of digest files or folders (default: the samples).")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "--out", "out_dir", metavar="OUT", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT_DIR, show_default=True, help="Folder to write graph.ttl and graph.html to.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Processes for the extraction  [default: the CPU cores this process may use]. The output is identical for any value.")
@click.option("--store", type=click.Choice(STORES), default="auto", show_default=True, help=f"Where the graph is held while building: in memory, or in an on-disk Oxigraph store in OUT/.paperkg for graphs larger than memory (auto: disk above {DISK_STORE_PAPERS:,} papers). The output is identical.")
@click.option("--format", "layout", type=click.Choice(layout_names()), default=None, help="Read every input in this digest layout instead of detecting it from the content (see docs/readers.md).")
@click.option("--update", is_flag=True, help="Add INPUTS to the graph already in OUT (its inputs are kept in OUT/.paperkg); the result equals a full build of all inputs in the order they were added.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any input item was skipped.")
@click.option("--pipeline", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="A saved extraction pipeline (spaCy's nlp.to_disk of kg.nlp.load_pipeline(), its data editable in DIR/paperkg_lexicon/) to extract with instead of the package's own.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
def build(inputs: tuple[Path, ...], out_dir: Path, jobs: int | None, store: str, layout: str | None, update: bool,
          strict: bool, pipeline: Path | None, quiet: bool) -> None:
    """Build the knowledge graph of INPUTS (digest files or folders; default: the bundled
    samples, or with --update only the inputs already stored in OUT).

    Every digest layout paperkg reads (Hugging Face Daily Papers reports, arXiv daily tables,
    numbered daily digests, one page per paper, JSON Lines) is detected from the content; a
    reading report gives per file the papers read, the layout and the share of its paper text
    kept. Writes OUT/graph.ttl (Turtle) and OUT/graph.html (the interactive view),
    replacing both together in one atomic step, and only when their bytes changed; an
    interrupted build leaves the previous output. Problems in the input are reported with file
    and line; every valid paper still reaches the graph (a link that is not a valid IRI is
    dropped, a title over 2,000 or a section over 100,000 characters is cut, each with a
    'repaired:' line). OUT/.paperkg is checked before use: it must be a real folder, and an
    input its manifest names outside it is skipped. Exits non-zero when no paper could be read
    (or, with --strict, when anything was skipped).
    """
    from kg.build import NothingToBuild, PipelineError, build as run_build
    from kg.io import OutputError

    bar = None

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if quiet:
            return
        if stage == "write":  # a minute or more at 100k papers: say what is being written
            if done < total:
                click.echo(f"writing {('graph.ttl', 'graph.html')[done]}", err=True)
            return
        if stage != "extract":
            return
        if bar is None:
            bar = click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True)
            bar.__enter__()
        bar.update(done - bar.pos)
        if done >= total:
            bar.__exit__(None, None, None)

    try:
        result = run_build(inputs, out_dir, jobs=jobs or usable_cpus(), update=update, store=store, progress=progress,
                           layout=layout, pipeline=pipeline)
    except (NothingToBuild, OutputError, PipelineError) as exc:
        raise click.ClickException(str(exc)) from None
    for diagnostic in result.diagnostics:
        if diagnostic.kind != "note" or not quiet:
            click.echo(f"{diagnostic.kind}: {diagnostic}", err=True)
    if not quiet:
        for line in reading_report(result.files):
            click.echo(line, err=True)
        if result.changed:
            click.echo(f"wrote {', '.join(str(p) for p in result.outputs)}", err=True)
        else:
            click.echo(f"unchanged: {', '.join(str(p) for p in result.outputs)}", err=True)
        if result.reused:
            click.echo(f"{result.reused} of {result.papers} papers' extraction re-used from {out_dir}/.paperkg", err=True)
        click.echo(f"{result.entities} entities, {result.links} paper-entity links, {result.triples} triples", err=True)
    click.echo(result.summary())
    if strict and result.skipped:
        sys.exit(1)


def reading_report(files: list) -> list[str]:
    """One line per input file read: papers, layout and the share of its paper text kept."""
    lines = []
    for info in files:
        if info.format is None:
            continue
        kept = f", {info.coverage:.1%} of its paper text kept" if info.coverage is not None else ""
        lines.append(f"read: {info.path}: {info.papers} papers, layout {info.format}{kept}")
    return lines


def usable_cpus() -> int:
    """The CPU cores this process may run on (its affinity mask, as in a container)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no sched_getaffinity: macOS, Windows
        return os.cpu_count() or 1
