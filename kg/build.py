"""``build``: digests in, knowledge graph out (Turtle and the interactive HTML page).

    >>> from kg.build import build
    >>> result = build(["kg/data/samples"], out_dir="output")
    >>> result.summary()
    '558 papers, 0 skipped'

Stages: read (kg.readers) -> extract (kg.nlp) -> resolve (kg.resolve) -> graph (kg.graph)
-> write. All output files are written to temporary paths and moved into place only when
every one of them succeeded, so an interrupted build leaves the previous output intact.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.io import staged_files
from kg.paths import DEFAULT_OUTPUT_DIR, SAMPLES_DIR
from kg.records import Diagnostic

#: Called with (stage name, items done, items in all) as a build progresses.
ProgressHook = Callable[[str, int, int], None]

GRAPH_FILE = "graph.ttl"
HTML_FILE = "graph.html"


class NothingToBuild(Exception):
    """The inputs held no usable paper."""


@dataclass
class BuildResult:
    """What a build read, made and wrote."""

    papers: int = 0
    entities: int = 0
    links: int = 0
    triples: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    #: Wall seconds per stage (read, nlp, resolve, graph, write).
    timings: dict[str, float] = field(default_factory=dict)
    graph: Graph | None = None

    @property
    def skipped(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.kind == "skipped"]

    def summary(self) -> str:
        """``558 papers, 2 skipped: a.txt:12 reason; b.txt:40 reason``."""
        text = f"{self.papers} papers, {len(self.skipped)} skipped"
        if self.skipped:
            text += ": " + "; ".join(str(d) for d in self.skipped)
        return text


def build_graph_from_inputs(
    inputs: Sequence[str | Path] = (),
    *,
    jobs: int = 1,
    progress: ProgressHook | None = None,
) -> BuildResult:
    """Read, extract, resolve and build the graph of ``inputs`` (default: the bundled
    samples) without writing anything. Raises :class:`NothingToBuild` when no paper was read."""
    from kg import nlp, resolve
    from kg.graph import build_graph
    from kg.readers import read_inputs

    result = BuildResult()
    clock = time.perf_counter()
    read = read_inputs(list(inputs) or [SAMPLES_DIR])
    result.diagnostics = read.diagnostics
    result.timings["read"] = time.perf_counter() - clock
    if not read.papers:
        problems = "; ".join(str(d) for d in read.diagnostics[:3]) or "no input files"
        raise NothingToBuild(f"no paper could be read from the input ({problems})")
    result.papers = len(read.papers)

    clock = time.perf_counter()
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("extract", done, result.papers)

    mentions = list(nlp.extract(read.papers, jobs=jobs, progress=advance))
    result.timings["nlp"] = time.perf_counter() - clock

    clock = time.perf_counter()
    resolution = resolve.resolve(mentions)
    result.entities, result.links = len(resolution.entities), len(resolution.links)
    result.timings["resolve"] = time.perf_counter() - clock

    clock = time.perf_counter()
    digests = {f.path: f.sha256 for f in read.files if f.sha256 and f.papers}
    result.graph = build_graph(read.papers, resolution, digests)
    result.triples = len(result.graph)
    result.timings["graph"] = time.perf_counter() - clock
    return result


def build(
    inputs: Sequence[str | Path] = (),
    out_dir: str | Path = DEFAULT_OUTPUT_DIR,
    *,
    jobs: int = 1,
    progress: ProgressHook | None = None,
) -> BuildResult:
    """Build the graph of ``inputs`` and write ``graph.ttl`` and ``graph.html`` to ``out_dir``.

    Both files are replaced together, atomically, only when both were written.
    """
    from kg.html import render_html

    result = build_graph_from_inputs(inputs, jobs=jobs, progress=progress)
    clock = time.perf_counter()
    out_dir = Path(out_dir)
    destinations = [out_dir / GRAPH_FILE, out_dir / HTML_FILE]
    with staged_files(destinations) as (ttl_temp, html_temp):
        if progress:
            progress("write", 0, 2)
        result.graph.serialize(destination=str(ttl_temp), format="turtle", encoding="utf-8")
        if progress:
            progress("write", 1, 2)
        html_temp.write_text(render_html(result.graph), encoding="utf-8")
        if progress:
            progress("write", 2, 2)
    result.outputs = destinations
    result.timings["write"] = time.perf_counter() - clock
    return result
