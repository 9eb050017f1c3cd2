"""The page in a real headless Chromium: offline, drawn, searchable, filterable, safe."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph

from kg.html import render_html
from kg.html.browser import CHROMIUM
from kg.html.model import GraphData

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
playwright_api = pytest.importorskip("playwright.sync_api")

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


@dataclass
class Loaded:
    """A page opened from file:// with everything it logged, asked or requested."""

    page: object
    data: dict
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def record_id(self, predicate) -> int:
        return next(i for i, r in enumerate(self.data["records"]) if predicate(r))

    def drawn_count(self) -> int:
        return self.page.evaluate("Object.keys(paperkg.network.getPositions()).length")


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
    loaded = Loaded(page, json.loads(DATA_RE.search(html).group(1)))
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
    path.write_text(render_html(Graph().parse(MINI)), encoding="utf-8")
    loaded = open_page(browser, path)
    yield loaded
    loaded.page.close()


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory) -> Path:
    """``kg build`` of the bundled samples, run once per session."""
    out = tmp_path_factory.mktemp("samples")
    subprocess.run([sys.executable, "-m", "kg", "build", "-o", str(out)], check=True, capture_output=True)
    return out


def search(loaded: Loaded, text: str) -> None:
    loaded.page.fill("#kg-search", text)
    loaded.page.press("#kg-search", "Enter")


def assert_clean(loaded: Loaded) -> None:
    assert loaded.errors == []
    assert [url for url in loaded.requests if not url.startswith("file://")] == []
    assert loaded.dialogs == []


def test_page_draws_every_drawable_node_offline(mini_page: Loaded) -> None:
    graph_data = GraphData.from_rdf(Graph().parse(MINI))
    assert mini_page.drawn_count() == len(graph_data.classes) == 16
    assert mini_page.page.evaluate("paperkg.network.body.edgeIndices.length") == 15
    assert "16 nodes" in mini_page.page.text_content("#kg-status")
    assert_clean(mini_page)


def test_search_selects_and_shows_the_node(mini_page: Loaded) -> None:
    search(mini_page, "helmet")
    helmet = mini_page.record_id(lambda r: r["label"] == "HELMET")
    assert mini_page.page.evaluate("paperkg.network.getSelectedNodes()") == [helmet]
    assert mini_page.page.text_content("#kg-panel .kg-name") == "HELMET"
    assert "evaluates on" in mini_page.page.text_content("#kg-panel").lower()
    # aliases find their node too, through the suggestion list
    mini_page.page.fill("#kg-search", "Clipped")
    mini_page.page.click(".kg-suggestion")
    assert mini_page.page.text_content("#kg-panel .kg-name") == "CoPE"
    assert "Clipped RoPE" in mini_page.page.text_content("#kg-panel .kg-aliases")
    assert_clean(mini_page)


def test_class_toggle_hides_and_shows_its_nodes(mini_page: Loaded) -> None:
    page = mini_page.page
    page.uncheck('label[data-class="Benchmark"] input')
    positions = page.evaluate("paperkg.network.getPositions()")
    groups = {mini_page.data["records"][int(i)]["class"] for i in positions}
    assert len(positions) == 16 - 4 and "Benchmark" not in groups
    page.check('label[data-class="Benchmark"] input')
    assert mini_page.drawn_count() == 16
    assert_clean(mini_page)


def test_clicking_a_paper_shows_its_entities_by_relation(mini_page: Loaded) -> None:
    page = mini_page.page
    paper = mini_page.record_id(lambda r: r.get("arxiv") == "2602.05258")
    point = page.evaluate(
        "(id) => { const n = paperkg.network; return n.canvasToDOM(n.getPositions([id])[id]); }", paper
    )
    box = page.locator("#kg-network canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.evaluate("paperkg.network.getSelectedNodes()") == [paper]
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
    # the paper and its 7 entities stay lit above the veil that fades the rest
    assert page.evaluate("paperkg.lit().size") == 8
    # a node button in the panel jumps to that node
    page.click('#kg-panel .kg-relation[data-relation="comparesWith"] button')
    assert page.text_content("#kg-panel .kg-name") == "HardClip"
    assert_clean(mini_page)


def test_injected_markup_shows_as_text_and_runs_nothing(mini_page: Loaded) -> None:
    page = mini_page.page
    search(mini_page, "2510.08567")
    panel = page.text_content("#kg-panel")
    assert "<script>alert(1)</script>" in panel
    assert "<img src=x onerror=alert(2)>" in panel
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # data, vis-network, page
    links = page.eval_on_selector_all("#kg-panel a", "els => els.map(a => a.href)")
    assert "https://github.com/mbzuai-oryx/MATRIX" in links
    assert all(link.startswith("https://") for link in links)
    assert_clean(mini_page)


def test_samples_graph_page(browser, samples_build: Path) -> None:
    """The page ``kg build`` writes for the bundled samples."""
    loaded = open_page(browser, samples_build / "graph.html")
    try:
        graph = Graph().parse(samples_build / "graph.ttl")
        drawable = GraphData.from_rdf(graph)
        assert loaded.drawn_count() == len(drawable.classes) > 2000
        search(loaded, "HELMET")
        helmet = loaded.record_id(lambda r: r["label"] == "HELMET")
        assert loaded.page.evaluate("paperkg.network.getSelectedNodes()") == [helmet]
        loaded.page.uncheck('label[data-class="Benchmark"] input')
        counts = {c["name"]: c["count"] for c in loaded.data["classes"]}
        assert loaded.drawn_count() == len(drawable.classes) - counts["Benchmark"]
        assert_clean(loaded)
    finally:
        loaded.page.close()
