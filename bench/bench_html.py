"""The map page at size: write time, bytes loaded, time to interactive, search and open latency.

    python bench/bench_html.py --samples                               # the bundled samples
    python bench/bench_html.py --papers 20000                          # a synthetic RDF graph
    python bench/bench_html.py --graph /tmp/synth10k/out/graph.ttl     # a kg build's graph
    python bench/bench_html.py --samples --baseline e3f696e            # beside another revision's page

Each graph is read into Oxigraph (as ``kg build`` holds it) and its page written with
``write_html`` (the page and its ``graph-data/`` shards). In headless Chromium, from
``file://``: "initial MB" is the bytes the browser fetched before the page was ready (the
page and any shard it loaded first); "interactive" is the page's first drawing after its
handlers are bound (``body[data-ready-ms]``, ms since navigation start); "search" one
search over every name, alias and arXiv id; "open" selecting the most linked entity off the
map (its shards loaded, its papers drawn around it, its panel filled), each the median of
``--repeat`` runs. ``--baseline REV`` measures the page of git revision REV on the same graph
in a subprocess (its own ``kg`` from ``git archive``), for "today's page" beside this one.

``--papers N`` graphs are in paperkg's RDF shape, shaped like the samples: a topic (of 6), 2
links drawn Zipf-like from a popular pool and 1-5 links to entities of the paper's own, an
evidence sentence per link, dates over a year.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The repository root replaces this folder on the path: bench/profile.py would shadow the
# standard library's profile module.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from kg.html.browser import launch  # noqa: E402
from kg.domain import ENTITY_CLASSES, RELATIONS  # noqa: E402
from kg.namespaces import PKG, entity_iri, paper_iri, topic_iri  # noqa: E402

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
PROV_VALUE = "http://www.w3.org/ns/prov#value"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def synthetic_ntriples(papers: int, path: Path, seed: int = 1) -> Path:
    """Write a samples-shaped graph of ``papers`` papers to ``path`` as N-Triples (see the
    module docstring); the same arguments give the same file."""
    rng = random.Random(seed)
    pool = max(1, papers)
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(pool)))
    lines: list[str] = []
    seen: set[str] = set()

    def iri(node) -> str:
        return f"<{node}>"

    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    def entity(name: str, rank: int) -> str:
        node = iri(entity_iri(name))
        if node not in seen:
            seen.add(node)
            lines.append(f"{node} <{RDF_TYPE}> <{PKG[ENTITY_CLASSES[rank % 4]]}> .")
            lines.append(f"{node} <{RDFS_LABEL}> {text(name)} .")
        return node

    topics = [iri(topic_iri(f"topic-{number}")) for number in range(6)]
    for number, topic in enumerate(topics):
        lines.append(f"{topic} <{RDF_TYPE}> <{PKG.Topic}> .")
        lines.append(f"{topic} <{SKOS_PREF}> {text(f'topic-{number}')} .")
    first = 20089  # 2025-01-01 in days since 1970-01-01
    for number in range(papers):
        arxiv = f"2601.{number:05d}"
        paper = iri(paper_iri(arxiv))
        day = time.strftime("%Y-%m-%d", time.gmtime((first + number * 365 // papers) * 86400))
        lines.append(f"{paper} <{RDF_TYPE}> <{PKG.Paper}> .")
        lines.append(f"{paper} <{PKG.arxivId}> {text(arxiv)} .")
        lines.append(f"{paper} <{PKG.title}> {text(f'Synthetic paper {number} <b>&</b>')} .")
        lines.append(f'{paper} <{PKG.date}> "{day}"^^<{XSD_DATE}> .')
        lines.append(f"{paper} <{PKG.topic}> {rng.choice(topics)} .")
        ranks = set(rng.choices(range(pool), cum_weights=cumulative, k=2))
        linked = [(rank, entity(f"Entity-{rank}", rank)) for rank in ranks]
        linked += [(rank, entity(f"Own-{number}-{rank}", rank)) for rank in range(rng.randint(1, 5))]
        for rank, node in linked:
            lines.append(f"{paper} <{PKG[RELATIONS[rank % 4]]}> {node} .")
            mention = f"<{paper[1:-1]}/mention/{rank}-{len(lines)}>"
            lines.append(f"{mention} <{RDF_TYPE}> <{PKG.Mention}> .")
            lines.append(f"{mention} <{PKG.inPaper}> {paper} .")
            lines.append(f"{mention} <{PKG.mentionOf}> {node} .")
            lines.append(f"{mention} <{PKG.section}> \"abstract\" .")
            lines.append(f"{mention} <{PROV_VALUE}> {text(f'Sentence {number} about a thing, linked as {RELATIONS[rank % 4]}.')} .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def time_write(graph_path: Path, out: Path, repeat: int, baseline: Path | None = None) -> tuple[float, float]:
    """Median wall and CPU seconds of writing the page of the graph at ``graph_path`` (already
    read) to ``out``, in a subprocess; with ``baseline`` (an extracted ``kg`` tree), that
    tree's ``write_html``. CPU time moves less than wall time on a shared machine."""
    code = (
        "import sys,time,statistics\n"
        "from kg.query import load_graph\nfrom kg.html import write_html\n"
        f"g=load_graph({str(graph_path)!r})\nwall=[];cpu=[]\n"
        f"for _ in range({repeat}):\n"
        "    t=time.perf_counter(); c=time.process_time()\n"
        f"    write_html(g, {str(out)!r}); wall.append(time.perf_counter()-t); cpu.append(time.process_time()-c)\n"
        "print(statistics.median(wall), statistics.median(cpu))\n"
    )
    tree = str(baseline) if baseline else str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": tree}, cwd=tree)
    wall, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def time_page(browser, path: Path, repeat: int, timeout_s: float = 300) -> dict[str, float]:
    """Median figures of the page at ``path`` (see the module docstring); a page not ready
    within ``timeout_s`` seconds is given up (its figures are NaN)."""
    from playwright.sync_api import Error as PlaywrightError

    runs: dict[str, list[float]] = {"initial_mb": [], "interactive_ms": [], "search_ms": [], "open_ms": []}
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        fetched: list[str] = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        try:
            page.goto(path.as_uri(), timeout=timeout_s * 1000)
            page.wait_for_selector("body[data-ready=true]", timeout=timeout_s * 1000)
        except PlaywrightError as error:  # a timeout, or the tab crashed (out of memory)
            print(f"{path}: not ready within {timeout_s:.0f} s ({str(error).splitlines()[0]})", file=sys.stderr)
            page.close()
            break
        runs["interactive_ms"].append(float(page.get_attribute("body", "data-ready-ms")))
        runs["initial_mb"].append(sum(_size(url) for url in fetched) / 1e6)
        new_page = page.evaluate("typeof paperkg.search === 'function' && typeof paperkg.rising === 'function'")
        if new_page:
            runs["search_ms"].append(page.evaluate(
                "() => { const t = performance.now(); paperkg.search('mod'); return performance.now() - t; }"))
            runs["open_ms"].append(page.evaluate("""async () => {
                const onMap = new Set(paperkg.nodes.getIds()), entities = paperkg.search.length >= 0 && JSON.parse(document.getElementById('kg-data').textContent).index.labels.length;
                let best = -1; for (let e = 0; e < entities; e++) { if (!onMap.has(e) && (best < 0 || paperkg.count(e) > paperkg.count(best))) best = e; }
                const t = performance.now(); await paperkg.select(best, false); return performance.now() - t; }"""))
        else:  # the page before the map: one neighbourhood highlight of its last node
            runs["open_ms"].append(page.evaluate(
                """() => { const ids = paperkg.nodes.getIds(); const t = performance.now();
                paperkg.select(ids[ids.length - 1], false); return performance.now() - t; }"""))
        page.close()
    return {key: statistics.median(values) if values else float("nan") for key, values in runs.items()}


def _size(url: str) -> int:
    path = Path(url.removeprefix("file://"))
    return path.stat().st_size if path.is_file() else 0


def extract_revision(revision: str, into: Path) -> Path:
    """The ``kg`` package (and the ontology it reads) of git ``revision``, extracted into ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "kg", "ontology"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def samples_graph(work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "kg", "build", "-o", str(work)], check=True, capture_output=True, cwd=ROOT)
    return work / "graph.ttl"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", action="store_true", help="measure the bundled samples' graph (runs kg build once)")
    parser.add_argument("--papers", type=int, nargs="*", default=[], help="papers per synthetic RDF graph")
    parser.add_argument("--graph", type=Path, nargs="*", default=[], help="graph files of kg builds")
    parser.add_argument("--baseline", help="also measure the page of this git revision (e.g. main~3)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a page may take to be ready")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        baseline = extract_revision(args.baseline, work / "baseline") if args.baseline else None
        browser = launch(playwright)
        cases: list[tuple[str, Path]] = []
        if args.samples:
            cases.append(("samples", samples_graph(work / "samples")))
        cases += [(f"synthetic {n:,}", synthetic_ntriples(n, work / f"synthetic-{n}.nt")) for n in args.papers]
        cases += [(str(path), path) for path in args.graph]
        for name, graph_path in cases:
            for label, tree in (("map", None), (f"baseline {args.baseline}", baseline)):
                if label != "map" and tree is None:
                    continue
                out = work / f"{len(rows)}" / "graph.html"
                out.parent.mkdir(parents=True)
                write_s, write_cpu = time_write(graph_path, out, 1, tree)
                figures = time_page(browser, out, args.repeat, args.timeout)
                page_mb = out.stat().st_size / 1e6
                shard_dir = out.with_name("graph-data")
                shards_mb = sum(p.stat().st_size for p in shard_dir.iterdir()) / 1e6 if shard_dir.is_dir() else 0.0
                rows.append((name, label, page_mb, shards_mb, write_s, write_cpu, figures))
                print(f"measured {name} ({label})", file=sys.stderr)
        browser.close()
    print(f"runs per figure: {args.repeat} (median); write_html once")
    print("| graph | page | page MB | shards MB | write_html s (CPU s) | initial MB | interactive ms | search ms | open ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, label, page_mb, shards_mb, write_s, write_cpu, f in rows:
        print(f"| {name} | {label} | {page_mb:.2f} | {shards_mb:.1f} | {write_s:.1f} ({write_cpu:.1f}) | {f['initial_mb']:.2f} | "
              f"{f['interactive_ms']:,.0f} | {f['search_ms']:.0f} | {f['open_ms']:.0f} |")


if __name__ == "__main__":
    main()
