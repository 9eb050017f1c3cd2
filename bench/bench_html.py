"""Render time of the HTML view in Python and page-interactive time in headless Chromium.

    python bench/bench_html.py                    # synthetic graphs of 1k, 5k, 20k drawn nodes
    python bench/bench_html.py --samples          # plus the bundled samples (runs kg build once)
    python bench/bench_html.py --sizes 2000 --dense 20000 --repeat 5

Synthetic graphs are in paperkg's RDF shape (see ``synthetic_graph``): samples-shaped by
default, or ``--dense`` like perf_baselines.md section 1 (about 7 links per node instead
of 1.3). "interactive" is the
page's first drawing after its handlers are bound (``body[data-ready-ms]``, ms since
navigation start), median of the runs; "select" is one neighbourhood highlight + panel.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal
from rdflib.namespace import XSD

# The repository root replaces this folder on the path: bench/profile.py would shadow the
# standard library's profile module, which pyvis's IPython import needs.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kg.html import render_html  # noqa: E402
from kg.html.browser import launch  # noqa: E402
from kg.html.model import GraphData  # noqa: E402
from kg.domain import ENTITY_CLASSES, RELATIONS  # noqa: E402
from kg.namespaces import PKG, entity_iri, paper_iri, topic_iri  # noqa: E402


def synthetic_graph(drawn_nodes: int, dense: bool = False, seed: int = 1) -> Graph:
    """A graph of about ``drawn_nodes`` papers, entities and topics.

    Shaped like the samples' graph by default: each paper has a topic (of 6), 2 links
    drawn Zipf-like from a popular pool and 1-5 links to entities of its own, so most
    entities occur once (samples: 558 papers, 2,043 entities, 4.9 links per paper).
    ``dense`` follows perf_baselines.md's kggen instead: 9-15 links per paper drawn
    Zipf-like from a pool of half as many entities as papers.
    """
    rng = random.Random(seed)
    papers = max(2, round(drawn_nodes * (2 / 3 if dense else 1 / 4.6)))
    pool = max(1, papers // 2 if dense else papers)
    weights = [1.0 / (rank + 1) for rank in range(pool)]
    graph = Graph()

    def entity(name: str, rank: int):
        node = entity_iri(name)
        graph.add((node, RDF.type, PKG[ENTITY_CLASSES[rank % 4]]))
        graph.add((node, RDFS.label, Literal(name)))
        return node

    popular = [entity(f"Entity-{rank}", rank) for rank in range(pool)] if dense else []
    topics = [topic_iri(f"topic-{number}") for number in range(0 if dense else 6)]
    for topic in topics:
        graph.add((topic, RDF.type, PKG.Topic))
        graph.add((topic, SKOS.prefLabel, Literal(str(topic).rsplit("/", 1)[1])))
    for number in range(papers):
        arxiv = f"2601.{number:05d}"
        paper = paper_iri(arxiv)
        graph.add((paper, RDF.type, PKG.Paper))
        graph.add((paper, PKG.arxivId, Literal(arxiv)))
        graph.add((paper, PKG.title, Literal(f"Synthetic paper {number} <b>&</b>")))
        graph.add((paper, PKG.date, Literal(f"2026-01-{number % 28 + 1:02d}", datatype=XSD.date)))
        if dense:
            ranks = set(rng.choices(range(pool), weights, k=rng.randint(9, 15)))
            linked = [(rank, popular[rank]) for rank in ranks]
        else:
            graph.add((paper, PKG.topic, rng.choice(topics)))
            ranks = set(rng.choices(range(pool), weights, k=2))
            linked = [(rank, entity(f"Entity-{rank}", rank)) for rank in ranks]
            linked += [(rank, entity(f"Own-{number}-{rank}", rank)) for rank in range(rng.randint(1, 5))]
        for rank, node in linked:
            graph.add((paper, PKG[RELATIONS[rank % 4]], node))
    return graph


def time_render(graph: Graph, repeat: int) -> tuple[float, str]:
    times, html = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        html = render_html(graph)
        times.append(time.perf_counter() - start)
    return statistics.median(times), html


def time_page(browser, path: Path, repeat: int) -> tuple[float, float, float]:
    """Median ms to interactive (in page), wall s of goto..ready, ms of one selection."""
    interactive, wall, select = [], [], []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        wall.append(time.perf_counter() - start)
        interactive.append(float(page.get_attribute("body", "data-ready-ms")))
        select.append(
            page.evaluate(
                """() => { const ids = paperkg.nodes.getIds(); const t = performance.now();
                paperkg.select(ids[ids.length - 1], false); return performance.now() - t; }"""
            )
        )
        page.close()
    return statistics.median(interactive), statistics.median(wall), statistics.median(select)


def samples_graph(work: Path) -> Graph:
    subprocess.run([sys.executable, "-m", "kg", "build", "-o", str(work)], check=True, capture_output=True)
    return Graph().parse(work / "graph.ttl")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000], help="drawn nodes per synthetic graph")
    parser.add_argument("--samples", action="store_true", help="also measure the bundled samples' graph")
    parser.add_argument("--dense", type=int, nargs="*", default=[], help="drawn nodes per dense (kggen-shaped) graph")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch(playwright)
        cases = [(f"synthetic {size:,}", lambda size=size: synthetic_graph(size)) for size in args.sizes]
        cases += [(f"dense {size:,}", lambda size=size: synthetic_graph(size, dense=True)) for size in args.dense]
        if args.samples:
            cases.insert(0, ("samples", lambda: samples_graph(Path(tmp) / "samples")))
        for name, make in cases:
            graph = make()
            data = GraphData.from_rdf(graph)
            edges = len({frozenset(pair) for pair in data.edge_pairs()})
            render_s, html = time_render(graph, args.repeat)
            path = Path(tmp) / f"{name.replace(' ', '-').replace(',', '')}.html"
            path.write_text(html, encoding="utf-8")
            interactive_ms, wall_s, select_ms = time_page(browser, path, args.repeat)
            rows.append((name, len(data.classes), edges, len(html.encode()) / 1e6, render_s, interactive_ms, wall_s, select_ms))
            print(f"measured {name}", file=sys.stderr)
        browser.close()
    print(f"runs per figure: {args.repeat} (median)")
    print("| graph | drawn nodes | links | HTML MB | render_html s | interactive ms (in page) | goto..ready s | select ms |")
    print("|---|---|---|---|---|---|---|---|")
    for name, nodes, edges, mb, render_s, interactive_ms, wall_s, select_ms in rows:
        print(f"| {name} | {nodes:,} | {edges:,} | {mb:.2f} | {render_s:.2f} | {interactive_ms:,.0f} | {wall_s:.2f} | {select_ms:,.0f} |")


if __name__ == "__main__":
    main()
