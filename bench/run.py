"""paperkg speed and memory at scale, beside rdflib's in-memory store.

    python -m bench.run --sizes samples,10k,100k [--jobs 1] [--repeat 5]

For each size (``samples`` = the bundled digests, ``Nk`` = a synthetic corpus of N thousand
papers from ``bench/synth.py``, generated once and cached under ``bench/results/corpora/``):

1. **end to end**: ``python -m kg build INPUT -o OUT --jobs J`` in a subprocess: wall time and
   peak RSS measured from outside; with ``--check-jobs``, also the other of ``--jobs 1`` and
   ``2`` and a byte comparison of every output file;
2. **stages** in a fresh worker process, each with its own peak RSS (``bench/measure.py``): the
   build stages (read, NLP, resolve, graph, write), then Turtle write and read, every query of
   ``ontology/queries/*.rq`` (median of ``--repeat`` runs) and the HTML page, on the project's
   store (Oxigraph through oxrdflib);
3. **rdflib**: the same graph-level stages on rdflib's default Memory store in another fresh
   worker (a query past ``--rdflib-timeout`` seconds is reported as such).

Prints a markdown table (each figure beside ``rdflib / paperkg`` measured in the same run) and
saves the raw figures to ``bench/results/results-<sizes>.json``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.measure import Figure, python_argv, repeated, run_process, stage

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
CORPORA_DIR = RESULTS_DIR / "corpora"
SEED = 0


# --------------------------------------------------------------------------- corpora

def corpus(size: str) -> tuple[list[Path], int | None]:
    """Inputs for ``size`` (``samples`` or ``<N>k``/``<N>``) and the number of papers if known."""
    if size == "samples":
        from kg.paths import SAMPLES_DIR

        return [SAMPLES_DIR], None
    match = re.fullmatch(r"(\d+)(k?)", size)
    if not match:
        raise SystemExit(f"unknown size {size!r}: use 'samples', '10k', '100k' or a number of papers")
    papers = int(match[1]) * (1000 if match[2] else 1)
    from bench import synth

    out = CORPORA_DIR / f"synth-{papers}-seed{SEED}"
    manifest = out / "manifest.json"
    if not manifest.is_file() or json.loads(manifest.read_text())["papers"] != papers:
        synth.generate(papers, out, seed=SEED)
    return [out / "digests"], papers


# --------------------------------------------------------------------------- workers

def query_params(graph) -> dict[str, dict[str, str]]:
    """Parameter values for the library queries that need them, chosen from the graph:
    the most linked benchmark, the most linked entity, and the first paper."""
    from kg.query import run_query

    def first(sparql: str) -> str:
        rows = run_query(graph, sparql).bindings
        return str(next(iter(rows[0].values()))) if rows else "none"

    prefix = "PREFIX pkg: <https://w3id.org/paperkg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    linked = "?p pkg:proposes|pkg:evaluatesOn|pkg:comparesWith|pkg:uses ?e ."
    top = f"SELECT ?l WHERE {{ ?e a {{cls}} ; rdfs:label ?l . {linked} }} GROUP BY ?l ORDER BY DESC(COUNT(?p)) ?l LIMIT 1"
    benchmark = first(prefix + top.replace("{cls}", "pkg:Benchmark"))
    entity = first(prefix + top.replace("{cls}", "?c"))
    paper = first(prefix + "SELECT ?i WHERE { ?p pkg:arxivId ?i } ORDER BY ?i LIMIT 1")
    return {"papers-evaluating-on": {"name": benchmark}, "entity-card": {"name": entity},
            "compared-with": {"name": entity}, "entity-cooccurrence": {"name": entity},
            "paper-card": {"id": paper}, "top-entities": {"class": "Method"}}


def graph_stages(graph_path: Path, store: str, params: dict | None, repeat: int,
                 limit: float | None, work: Path) -> tuple[list[Figure], dict]:
    """Turtle read and write, every library query and the HTML page on ``store``."""
    from kg.graph import triple_count, turtle_bytes
    from kg.query import list_queries, load_graph, run_named_query

    figures: list[Figure] = []
    with stage("Turtle read", figures) as fig:
        graph = load_graph(graph_path, store=store)
        fig.rows = triple_count(graph)
    with stage("Turtle write", figures):
        if store == "oxigraph":  # what kg build writes: sorted, byte-stable Turtle
            (work / "rewrite-oxigraph.ttl").write_bytes(turtle_bytes(graph))
        else:
            graph.serialize(destination=str(work / f"rewrite-{store}.ttl"), format="turtle")
    params = params if params is not None else query_params(graph)
    for query in list_queries():
        given = params.get(query.name, {})
        figures.append(repeated(
            f"query {query.name}", lambda: len(run_named_query(graph, query.name, given).bindings),
            repeat, limit))
    from kg.html import write_html

    with stage("HTML write", figures):
        write_html(graph, work / f"graph-{store}.html")
    return figures, params


def build_stages(inputs: list[Path], out_dir: Path, jobs: int) -> tuple[list[Figure], object]:
    """The build, stage by stage as ``kg.build`` runs them, each with its own peak RSS.

    Returns the figures and the built rdflib graph; writes ``out_dir/graph.ttl`` and
    ``out_dir/graph.html`` as ``kg build`` does.
    """
    from kg import nlp, resolve
    from kg.build import GRAPH_FILE, HTML_FILE, on_disk
    from kg.graph import build_graph, triple_count, turtle_bytes
    from kg.html import write_html
    from kg.html.model import TripleReader
    from kg.readers import read_inputs

    figures: list[Figure] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    with stage("build: read", figures) as fig:
        read = read_inputs(inputs)
        fig.rows = papers = len(read.papers)
    with stage("build: NLP", figures) as fig:
        mentions = list(nlp.extract(read.papers, nlp=nlp.load_pipeline(), jobs=jobs))
        fig.rows = len(mentions)
    with stage("build: resolve", figures) as fig:
        resolution = resolve.resolve(mentions)
        fig.rows = len(resolution.entities)
    with stage("build: graph", figures) as fig:
        digests = {f.path: f.sha256 for f in read.files if f.sha256 and f.papers}
        # The store kg build's default (--store auto) chooses for this many papers.
        store_dir = out_dir.parent / "store" if on_disk("auto", papers) else None
        graph = build_graph(read.papers, resolution, digests, store_dir=store_dir)
        fig.rows = triple_count(graph)
    del read, mentions, resolution  # as kg build does: the graph holds all the write needs
    page = TripleReader()  # as kg build does: the page's data taken as the Turtle is written
    with stage("build: write Turtle", figures):
        (out_dir / GRAPH_FILE).write_bytes(turtle_bytes(graph, tap=page.add))
    with stage("build: write HTML", figures):
        write_html(page.data(), out_dir / HTML_FILE)
    total = sum(f.seconds for f in figures)
    figures.insert(0, Figure("build (all stages)", total, rows=papers,
                             peak_mb=max(f.peak_mb for f in figures)))
    return figures, graph


def worker(args: argparse.Namespace) -> None:
    """Run in a fresh process; print one JSON document of figures on stdout.

    The process collects garbage as ``kg`` does (:func:`kg.cli.tune_garbage_collector`), so
    the figures are those of the command line."""
    from kg.cli import tune_garbage_collector

    tune_garbage_collector()
    work = Path(args.work)
    result: dict = {"store": args.store}
    figures: list[Figure] = []
    if args.store == "oxigraph" and not args.graph_only:
        built, graph = build_stages([Path(p) for p in args.inputs], work / "out", args.jobs)
        figures += built
        del graph
    graph_path = Path(args.graph) if args.graph else work / "out" / "graph.ttl"
    params = json.loads(args.params) if args.params else None
    more, result["params"] = graph_stages(graph_path, args.store, params, args.repeat, args.limit, work)
    result["figures"] = [f.as_dict() for f in figures + more]
    json.dump(result, sys.stdout)


def spawn_worker(store: str, inputs: list[Path], work: Path, args: argparse.Namespace,
                 params: dict | None = None, graph: Path | None = None) -> dict:
    argv = python_argv("-m", "bench.run", "--worker", store, "--work", str(work), "--jobs", str(args.jobs),
                       "--repeat", str(args.repeat), "--inputs", *map(str, inputs))
    if store == "memory":
        argv += ["--limit", str(args.rdflib_timeout)]
    if params is not None:
        argv += ["--params", json.dumps(params)]
    if graph is not None:
        argv += ["--graph", str(graph), "--graph-only"]
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # progress on stderr
    if done.returncode != 0:
        raise SystemExit(f"the {store} worker failed (exit {done.returncode}); see its messages above")
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- driver

def end_to_end(inputs: list[Path], work: Path, jobs: int, check_jobs: bool) -> dict:
    """``kg build`` as a user runs it, measured from outside."""
    out = work / f"e2e-jobs{jobs}"
    run = run_process(python_argv("-m", "kg", "build", *map(str, inputs), "-o", str(out), "--jobs", str(jobs)), cwd=ROOT)
    result = {"jobs": jobs, "wall": run.wall, "peak_mb": run.peak_mb, "returncode": run.returncode}
    if run.returncode:
        result["stderr"] = run.stderr
    if check_jobs and not run.returncode:
        # The other job count, into a fresh folder (the same one would re-use the extraction cache).
        other_jobs = 2 if jobs == 1 else 1
        other = work / f"e2e-jobs{other_jobs}"
        run2 = run_process(python_argv("-m", "kg", "build", *map(str, inputs), "-o", str(other), "--jobs", str(other_jobs)), cwd=ROOT)
        result["other"] = {"jobs": other_jobs, "wall": run2.wall, "peak_mb": run2.peak_mb, "returncode": run2.returncode}
        names = sorted(p.name for p in out.iterdir() if p.is_file())  # graph.ttl, graph.html, ...
        match, mismatch, errors = filecmp.cmpfiles(out, other, names, shallow=False)
        result["other"]["identical"] = not mismatch and not errors
        result["other"]["differing"] = mismatch + errors
    return result


def measure_size(size: str, args: argparse.Namespace) -> dict:
    inputs, papers = corpus(size)
    with tempfile.TemporaryDirectory(prefix=f"kgbench-{size}-") as tmp:
        work = Path(tmp)
        result: dict = {"size": size, "papers": papers, "inputs": [str(p) for p in inputs]}
        if not args.skip_e2e:
            print(f"[{size}] end-to-end kg build ...", file=sys.stderr)
            result["e2e"] = end_to_end(inputs, work, args.jobs, args.check_jobs)
        print(f"[{size}] stages (paperkg) ...", file=sys.stderr)
        ours = spawn_worker("oxigraph", inputs, work, args)
        result["paperkg"] = ours["figures"]
        _save(result, f"partial-{size}")
        if not args.skip_rdflib:
            print(f"[{size}] rdflib Memory baseline ...", file=sys.stderr)
            theirs = spawn_worker("memory", inputs, work, args, ours["params"], work / "out" / "graph.ttl")
            result["rdflib"] = theirs["figures"]
        result["params"] = ours["params"]
    return result


def _save(result: dict | list, name: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return path


def _cell(fig: dict | None) -> str:
    if fig is None:
        return "—"
    if fig["seconds"] is None:
        return fig.get("note") or "—"
    sec = fig["seconds"]
    text = f"{sec * 1000:.0f} ms" if sec < 1 else f"{sec:.2f} s"
    if fig.get("extra_mb") is not None and not fig["stage"].startswith("query"):
        text += f" / {fig['extra_mb']:.0f} MB"
    return text


def table(results: list[dict]) -> str:
    """The markdown table: one block of columns per size, rows are stages."""
    stages: list[str] = []
    for res in results:
        for fig in res["paperkg"] + res.get("rdflib", []):
            if fig["stage"] not in stages:
                stages.append(fig["stage"])
    head = ["stage"]
    for res in results:
        head += [f"{res['size']} paperkg", f"{res['size']} rdflib Memory", f"{res['size']} ratio"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    e2e = ["kg build (end to end, wall / peak RSS)"]
    for res in results:
        run = res.get("e2e")
        cell = "not run" if run is None else "failed" if run["returncode"] else f"--jobs {run['jobs']}: {run['wall']:.2f} s / {run['peak_mb']:.0f} MB"
        if run and "other" in run:
            other = run["other"]
            cell += f"; --jobs {other['jobs']}: {other['wall']:.2f} s / {other['peak_mb']:.0f} MB, identical: {other['identical']}"
        e2e += [cell, "", ""]
    lines.append("| " + " | ".join(e2e) + " |")
    for name in stages:
        row = [name]
        for res in results:
            ours = next((f for f in res["paperkg"] if f["stage"] == name), None)
            theirs = next((f for f in res.get("rdflib", []) if f["stage"] == name), None)
            ratio = ""
            if ours and theirs and ours["seconds"] and theirs["seconds"]:
                ratio = f"{theirs['seconds'] / ours['seconds']:.1f}×"
            elif ours and ours["seconds"] and theirs and theirs["seconds"] is None:
                ratio = "> " + f"{theirs['note'].split()[-2]} s" if theirs.get("note") else ""
            row += [_cell(ours), _cell(theirs), ratio]
        lines.append("| " + " | ".join(row) + " |")
    for res in results:
        papers = res["papers"]
        build = next((f for f in res["paperkg"] if f["stage"].startswith("build")), None)
        if papers and build and build["seconds"]:
            lines.append(f"\n{res['size']}: {papers / build['seconds']:.0f} papers/s through the build stages")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0],
                                     epilog="Raw figures: bench/results/results-<sizes>.json")
    parser.add_argument("--sizes", default="samples,10k", help="comma-separated: samples, 10k, 100k, 2000, ...")
    parser.add_argument("--jobs", type=int, default=1, help="--jobs of the build")
    parser.add_argument("--check-jobs", action="store_true", help="also build with the other of --jobs 1 and 2 and compare bytes")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--rdflib-timeout", type=float, default=300.0, help="seconds per rdflib query run")
    parser.add_argument("--skip-rdflib", action="store_true", help="no rdflib Memory baseline")
    parser.add_argument("--skip-e2e", action="store_true", help="no end-to-end `kg build` run")
    parser.add_argument("--worker", choices=("oxigraph", "memory"), help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--graph-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        args.store = args.worker
        worker(args)
        return
    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    results = [measure_size(size, args) for size in sizes]
    saved = _save(results, f"results-{'-'.join(sizes)}")
    print(f"raw figures: {saved}", file=sys.stderr)
    print(table(results))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
