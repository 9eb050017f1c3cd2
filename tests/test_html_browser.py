"""The page in a real headless Chromium: offline, drawn, searchable, filterable by class and
date, its new-and-rising list and weekly plot equal to SPARQL's figures, its shards loaded
from the page's folder only, safe."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph

from kg.html import write_html
from kg.html.browser import CHROMIUM
from kg.html.model import GraphData
from kg.query import load_graph, run_query
from tests.test_html import counts_of

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
RISING = Path(__file__).parent / "data" / "rising.rq"
DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


@dataclass
class Loaded:
    """A page opened from file:// with everything it logged, asked or requested."""

    page: object
    path: Path
    data: dict
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def entity(self, label: str) -> int:
        return self.data["index"]["labels"].index(label)

    def paper(self, arxiv: str) -> int:
        return len(self.data["index"]["labels"]) + self.data["index"]["arxiv"].index(arxiv)

    def drawn(self) -> list[int]:
        """Ids of the nodes drawn now (not hidden by class or date)."""
        return sorted(int(i) for i in self.page.evaluate("Object.keys(paperkg.network.getPositions())"))

    def select(self, node: int) -> None:
        self.page.evaluate("(id) => paperkg.select(id, false)", node)

    def panel(self) -> str:
        return self.page.text_content("#kg-panel")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from kg.html.browser import launch

    with playwright_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def open_page(browser, path: Path) -> Loaded:
    html = path.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    loaded = Loaded(page, path, json.loads(DATA_RE.search(html).group(1)))
    page.on("console", lambda m: loaded.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: loaded.errors.append(str(exc)))
    page.on("request", lambda request: loaded.requests.append(request.url))

    def dialog(d) -> None:
        loaded.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    return loaded


@pytest.fixture
def mini_page(browser, tmp_path: Path) -> Iterator[Loaded]:
    path = tmp_path / "graph.html"
    write_html(Graph().parse(MINI), path)
    loaded = open_page(browser, path)
    yield loaded
    loaded.page.close()


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory) -> Path:
    """``kg build`` of the bundled samples, run once per session."""
    out = tmp_path_factory.mktemp("samples")
    subprocess.run([sys.executable, "-m", "kg", "build", "-o", str(out)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def samples_page(browser, samples_build: Path) -> Iterator[Loaded]:
    loaded = open_page(browser, samples_build / "graph.html")
    yield loaded
    loaded.page.close()


def search(loaded: Loaded, text: str) -> None:
    loaded.page.fill("#kg-search", text)
    loaded.page.press("#kg-search", "Enter")
    loaded.page.wait_for_function("() => document.querySelector('#kg-panel').dataset.node !== undefined")


def assert_clean(loaded: Loaded) -> None:
    """No error, no dialog, and no request outside the page's own folder."""
    assert loaded.errors == []
    folder = loaded.path.parent.as_uri() + "/"
    assert [url for url in loaded.requests if not url.startswith(folder)] == []
    assert loaded.dialogs == []


def test_map_draws_the_entities_offline(mini_page: Loaded) -> None:
    data = mini_page.data
    assert mini_page.drawn() == sorted(node[0] for node in data["map"]["nodes"])
    assert mini_page.page.evaluate("paperkg.network.body.edgeIndices.length") == len(data["map"]["edges"])
    assert "13 entities · 0 papers · 31 links shown" in mini_page.page.text_content("#kg-status")
    # nothing but the page was fetched before a node was opened
    assert mini_page.requests == [mini_page.path.as_uri()]
    assert_clean(mini_page)


def test_search_opens_the_entity_and_its_papers_around_it(mini_page: Loaded) -> None:
    search(mini_page, "helmet")
    helmet = mini_page.entity("HELMET")
    page = mini_page.page
    assert page.evaluate("paperkg.network.getSelectedNodes()") == [helmet]
    assert page.text_content("#kg-panel .kg-name") == "HELMET"
    assert "evaluates on" in mini_page.panel().lower()
    cope = mini_page.paper("2602.05258")
    assert cope in mini_page.drawn()  # its paper appeared next to it
    assert page.evaluate("(ids) => paperkg.network.getConnectedNodes(ids[0]).includes(ids[1])", [helmet, cope])
    # the selected node and its neighbours are labelled, whatever their size
    assert {helmet, cope} <= set(page.evaluate("paperkg.labelled()"))
    # aliases find their node too, through the suggestion list
    page.fill("#kg-search", "Clipped")
    page.click(".kg-suggestion")
    page.wait_for_function("() => document.querySelector('#kg-panel .kg-name').textContent === 'CoPE'")
    assert "Clipped RoPE" in page.text_content("#kg-panel .kg-aliases")
    # shards came from the page's own folder
    assert any(url.endswith("/graph-data/e0.js") for url in mini_page.requests)
    assert_clean(mini_page)


def test_class_toggle_hides_its_nodes_and_the_status_line_says_so(mini_page: Loaded) -> None:
    page = mini_page.page
    before = page.text_content("#kg-status")
    page.uncheck('label[data-class="Benchmark"] input')
    classes = [c["name"] for c in mini_page.data["classes"]]
    groups = {classes[mini_page.data["index"]["classes"][i]] for i in mini_page.drawn()}
    assert len(mini_page.drawn()) == 13 - 4 and "Benchmark" not in groups
    status = page.text_content("#kg-status")
    assert "9 entities" in status and "4 hidden by class" in status and status != before
    page.check('label[data-class="Benchmark"] input')
    assert len(mini_page.drawn()) == 13
    assert "hidden" not in page.text_content("#kg-status")
    assert_clean(mini_page)


def test_clicking_a_paper_drawn_around_an_entity_shows_its_entities(mini_page: Loaded) -> None:
    page = mini_page.page
    mini_page.select(mini_page.entity("RULER"))
    paper = mini_page.paper("2602.05258")
    point = page.evaluate("(id) => { const n = paperkg.network; return n.canvasToDOM(n.getPositions([id])[id]); }", paper)
    box = page.locator("#kg-network canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function("(id) => document.querySelector('#kg-panel').dataset.node === String(id)", arg=paper)
    sections = page.eval_on_selector_all(
        "#kg-panel .kg-relation",
        "els => els.map(s => [s.dataset.relation, [...s.querySelectorAll('.kg-node-ref')].map(b => b.textContent)])",
    )
    assert dict(sections) == {
        "proposes": ["CoPE"],
        "evaluatesOn": ["HELMET", "MMLU", "RULER"],
        "comparesWith": ["HardClip"],
        "uses": ["Qwen2.5-7B", "RoPE"],
    }
    assert "实验效果" in mini_page.panel()  # the evidence sentence's section
    page.click('#kg-panel .kg-relation[data-relation="comparesWith"] button')
    page.wait_for_function("() => document.querySelector('#kg-panel .kg-name').textContent === 'HardClip'")
    assert_clean(mini_page)


def test_injected_markup_shows_as_text_and_runs_nothing(mini_page: Loaded) -> None:
    page = mini_page.page
    search(mini_page, "2510.08567")
    panel = mini_page.panel()
    assert "<script>alert(1)</script>" in panel
    assert "<img src=x onerror=alert(2)>" in panel
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 3  # data, vis-network, page
    sources = page.evaluate("[...document.querySelectorAll('script[src]')].map(s => s.getAttribute('src'))")
    assert sources and all(re.fullmatch(r"graph-data/[epd][0-9]+\.js", src) for src in sources)
    links = page.eval_on_selector_all("#kg-panel a", "els => els.map(a => a.href)")
    assert "https://github.com/mbzuai-oryx/MATRIX" in links
    assert all(link.startswith("https://") for link in links)
    assert_clean(mini_page)


def test_full_view_is_one_click_away(mini_page: Loaded) -> None:
    page = mini_page.page
    page.click("#kg-view-full")
    page.wait_for_function("() => paperkg.nodes.length === 16")
    assert len(mini_page.drawn()) == 16 == len(GraphData.from_rdf(Graph().parse(MINI)).classes)
    page.click("#kg-view-map")
    assert len(mini_page.drawn()) == 13
    assert_clean(mini_page)


def test_kg_view_page_holds_its_data_and_opens_on_its_node(browser, tmp_path: Path) -> None:
    path = tmp_path / "view.html"
    done = subprocess.run([sys.executable, "-m", "kg", "view", "HELMET", "--hops", "2", "--graph", str(MINI), "-o", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = open_page(browser, path)
    try:
        page = loaded.page
        assert len(loaded.drawn()) == len(loaded.data["map"]["nodes"]) == 8  # papers included
        assert page.text_content("#kg-panel .kg-name") == "HELMET"
        assert page.evaluate("paperkg.network.getSelectedNodes()") == [loaded.entity("HELMET")]
        assert "实验效果" in loaded.panel()
        assert page.is_hidden("#kg-views")
        assert loaded.requests == [path.as_uri()]  # its shards are inline
        assert_clean(loaded)
    finally:
        page.close()


# ---------------------------------------------------------------------- the samples


def sparql_rows(graph: Graph, start: str, end: str, before: str) -> list[tuple[str, int, int, str]]:
    """(label, papers in [start, end), papers in [before, start), first date) per entity, by SPARQL."""
    query = RISING.read_text(encoding="utf-8")
    query = query.replace("?start", f'"{start}"').replace("?end", f'"{end}"').replace("?before", f'"{before}"')
    return [(str(r.label), int(r.now), int(r.previous), str(r.first)) for r in run_query(graph, query)]


def week_range(data: dict, first: int, last: int) -> tuple[str, str, str]:
    weeks = [dt.date.fromisoformat(w) for w in data["weeks"]]
    length = dt.timedelta(weeks=last - first + 1)
    return weeks[first].isoformat(), (weeks[last] + dt.timedelta(weeks=1)).isoformat(), (weeks[first] - length).isoformat()


def listed(loaded: Loaded, kind: str) -> list[tuple[str, int]]:
    return [tuple(pair) for pair in loaded.page.eval_on_selector_all(
        f'#kg-panel ol[data-list="{kind}"] li',
        "els => els.map(li => [li.querySelector('.kg-node-ref').textContent, Number(li.dataset.count)])")]


def test_samples_overview_reads(samples_page: Loaded, samples_build: Path) -> None:
    """The samples open on a map of their most linked entities, labelled, with no paper."""
    page, data = samples_page.page, samples_page.data
    drawn = samples_page.drawn()
    assert 100 <= len(drawn) == len(data["map"]["nodes"]) <= 400
    assert all(node < len(data["index"]["labels"]) for node in drawn)  # entities only
    counts = counts_of(data["index"])
    top = sorted(drawn, key=lambda e: -counts[e])[:10]
    labelled = set(page.evaluate("paperkg.labelled()"))
    assert len(labelled) >= 20 and len(set(top) & labelled) >= 8  # the biggest are named
    assert len({c for *_, c in data["map"]["nodes"]}) > 3  # placed by community
    size = (samples_build / "graph.html").stat().st_size
    assert size < 1_500_000  # the whole graph's page was 2.3 MB
    assert_clean(samples_page)


def test_samples_rising_list_equals_sparql(samples_page: Loaded, samples_build: Path) -> None:
    page, data = samples_page.page, samples_page.data
    graph = load_graph(samples_build / "graph.ttl")
    weeks = len(data["weeks"])
    for first, last in ((weeks - 1, weeks - 1), (weeks - 4, weeks - 1), (2, 5)):
        page.evaluate("([a, b]) => paperkg.setRange(a, b)", [first, last])
        start, end, before = week_range(data, first, last)
        rows = sparql_rows(graph, start, end, before)
        fresh = sorted(((label, now) for label, now, _, day in rows if now and day >= start), key=lambda r: (-r[1], r[0]))
        grown = sorted(((label, now - prev, now) for label, now, prev, day in rows if now > prev and day < start),
                       key=lambda r: (-r[1], -r[2], r[0]))
        shown_fresh, shown_grown = listed(samples_page, "fresh"), listed(samples_page, "grown")
        assert shown_fresh == fresh[: len(shown_fresh)] and len(shown_fresh) == min(10, len(fresh))
        assert shown_grown == [(label, growth) for label, growth, _ in grown[: len(shown_grown)]]
        assert len(shown_grown) == min(10, len(grown))
    page.evaluate("paperkg.setRange(0, 1e9)")
    assert_clean(samples_page)


def test_samples_date_filter_and_weekly_plot(samples_page: Loaded, samples_build: Path) -> None:
    page, data = samples_page.page, samples_page.data
    graph = load_graph(samples_build / "graph.ttl")
    weeks = len(data["weeks"])
    page.click('.kg-preset[data-weeks="4"]')
    start, end, _ = week_range(data, weeks - 4, weeks - 1)
    in_range = {label for label, now, _, _ in sparql_rows(graph, start, end, start) if now}
    labels = data["index"]["labels"]
    drawn = samples_page.drawn()
    assert drawn and {labels[e] for e in drawn} <= in_range
    assert {labels[e] for e, *_ in data["map"]["nodes"]} & in_range == {labels[e] for e in drawn}
    assert "hidden by dates" in page.text_content("#kg-status")
    page.click('.kg-preset[data-weeks="0"]')
    assert len(samples_page.drawn()) == len(data["map"]["nodes"])
    # the plot of LoRA's papers per week: the weeks and counts of its papers' dates in SPARQL
    search(samples_page, "LoRA")
    bars = page.eval_on_selector_all("#kg-panel .kg-plot .kg-bar", "els => els.map(b => [b.dataset.week, Number(b.dataset.count)])")
    rows = run_query(graph, """SELECT DISTINCT ?paper (STR(?date) AS ?day) WHERE {
        ?paper pkg:evaluatesOn|pkg:proposes|pkg:uses|pkg:comparesWith ?e ; pkg:date ?date . ?e rdfs:label "LoRA" }""")
    expected = Counter()
    for row in rows:
        day = dt.date.fromisoformat(str(row.day))
        expected[(day - dt.timedelta(days=day.weekday())).isoformat()] += 1
    assert dict(bars) == dict(expected) and sum(expected.values()) > 20
    # its papers, 50 at a time; the evidence of older ones comes from the papers' detail files
    items = "#kg-panel .kg-papers > li"
    assert page.evaluate(f"document.querySelectorAll('{items}').length") == 50
    with_evidence = page.evaluate(f"document.querySelectorAll('{items} .kg-evidence').length")
    page.click("#kg-panel .kg-more")
    page.wait_for_function(f"() => document.querySelectorAll('{items}').length > 50")
    assert page.evaluate(f"document.querySelectorAll('{items}').length") == counts_of(data["index"])[samples_page.entity("LoRA")]
    more = page.evaluate(f"document.querySelectorAll('{items} .kg-evidence').length") - with_evidence
    assert more > 0 and any(name.startswith("d") for name in page.evaluate("paperkg.loaded()"))
    assert_clean(samples_page)


def test_samples_search_and_open_load_only_what_they_need(samples_page: Loaded) -> None:
    page = samples_page.page
    search(samples_page, "HELMET")
    helmet = samples_page.entity("HELMET")
    assert page.evaluate("paperkg.network.getSelectedNodes()") == [helmet]
    papers = [n for n in samples_page.drawn() if n >= len(samples_page.data["index"]["labels"])]
    assert len(papers) == min(40, counts_of(samples_page.data["index"])[helmet])
    loaded = page.evaluate("paperkg.loaded()")
    assert 1 < len(loaded) < 10 and "full" not in loaded
    page.click("#kg-view-full")
    page.wait_for_function("() => paperkg.nodes.length > 2000")
    assert len(samples_page.drawn()) == len(GraphData.from_rdf(Graph().parse(samples_page.path.with_name("graph.ttl"))).classes)
    page.click("#kg-view-map")
    assert_clean(samples_page)


# ---------------------------------------------------------------------- 20k synthetic papers


@pytest.fixture(scope="module")
def synthetic_20k(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT))
    from bench.bench_html import synthetic_ntriples

    folder = tmp_path_factory.mktemp("synthetic20k")
    graph = load_graph(synthetic_ntriples(20_000, folder / "graph.nt"))
    write_html(graph, folder / "graph.html")
    return folder / "graph.html"


def test_synthetic_20k_papers_page_is_small_and_opens_entities(browser, synthetic_20k: Path) -> None:
    loaded = open_page(browser, synthetic_20k)
    try:
        page, data = loaded.page, loaded.data
        assert synthetic_20k.stat().st_size < 10_000_000
        assert loaded.requests == [synthetic_20k.as_uri()]  # nothing else before it is ready
        assert len(data["index"]["arxiv"]) == 20_000 and len(loaded.drawn()) == 300
        assert page.evaluate("paperkg.search('entity-1')[0][2]") == "Entity-1"
        hub = loaded.entity("Entity-0")
        loaded.select(hub)
        assert len([n for n in loaded.drawn() if n >= len(data["index"]["labels"])]) == 40
        assert page.text_content("#kg-panel .kg-name") == "Entity-0"
        assert page.evaluate("document.querySelectorAll('#kg-panel .kg-papers > li').length") == 50
        assert data["shards"]["full"] is False and page.is_disabled("#kg-view-full")
        assert_clean(loaded)
    finally:
        loaded.page.close()
