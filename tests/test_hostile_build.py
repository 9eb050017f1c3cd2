"""``kg build`` on hostile digests (issue 21.4, 21.9): one bad item never stops the build, and
every export of the result parses in an independent tool.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.build import MAX_SECTION_CHARS, MAX_TITLE_CHARS
from kg.namespaces import PKG

RAPPER = shutil.which("rapper")
HEADER = "## 多模态\n\n| Publish Date | Title | Code | Abstract |\n|:---|:---|:---|:---|\n"


def row(arxiv_id: str, title: str, code: str = "null", abstract: str = "We evaluate BERT on GLUE.") -> str:
    return f"|**2025-10-09**|[{title}](http://arxiv.org/abs/{arxiv_id})|{code}|{abstract}|\n"


def kg(*args: str | Path):
    from kg.cli import main

    return CliRunner().invoke(main, [*map(str, args)])


def arxiv_ids(out: Path) -> set[str]:
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    return {str(o) for o in graph.objects(None, PKG.arxivId)}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    """A folder with one digest of hostile rows and one of good rows."""
    folder = tmp_path_factory.mktemp("hostile")
    rows = [
        row("2510.00001", "Injection \u2028Title", abstract="x;\u2028MATCH (n) DETACH DELETE n;\u2028y uses GPT-4."),
        row("2510.00002", "Controls", abstract="We test \x0bLLaMA\x0c on GSM8K \x85 \u2029 \x01 \ufffe\uffff."),
        row("2510.00003", "Bad code link", code="**[link](repo)**"),
        row("2510.00004", "Quote in code link", code='**[link](https://github.com/a/b"c)**'),
        row("2510.00005", "Huge abstract", abstract="We propose FooNet. " * 60_000),
        row("2510.00006", "T" * 3 * MAX_TITLE_CHARS),
        row("2510.00007", "Good paper", code="**[link](https://github.com/a/b)**"),
        row("2510.00008", "[T](x" * 12_000),  # 60 KB of nested links in the title cell (21.5)
    ]
    (folder / "hostile.md").write_text(HEADER + "".join(rows), encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # a link loop in the folder (21.4)
    return folder


@pytest.fixture(scope="module")
def built(hostile_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return kg("build", "-j", "1", hostile_dir, "-o", out), out


def test_every_paper_is_kept_with_a_repaired_line_per_fix(built, hostile_dir):
    result, out = built
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert arxiv_ids(out) == {f"2510.0000{i}" for i in range(1, 9)}
    stderr = result.stderr
    assert f"note: {hostile_dir / 'loop'}:0: folder reached again through a link (a loop); not read twice" in stderr
    source = hostile_dir / "hostile.md"
    assert f"repaired: {source}:7: paper 2510.00003: code link 'repo' is not a valid IRI; dropped" in stderr
    assert "paper 2510.00004: code link 'https://github.com/a/b\"c' is not a valid IRI; dropped" in stderr
    assert f"paper 2510.00005: section abstract has 1,139,999 characters; cut to the first {MAX_SECTION_CHARS:,}" in stderr
    assert f"paper 2510.00006: title has 6,000 characters; cut to the first {MAX_TITLE_CHARS:,}" in stderr
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    repos = {str(o) for o in graph.objects(None, PKG.codeRepository)}
    assert repos == {"https://github.com/a/b"}


def test_no_diagnostic_line_is_longer_than_a_screenful(built):
    result, _ = built
    assert max(len(line) for line in result.output.splitlines()) < 1000


@pytest.mark.parametrize("fmt", ["nt", "graphml", "gexf", "cypher", "jsonld"])
def test_exports_of_the_hostile_graph_parse(built, fmt, tmp_path):
    _, out = built
    target = tmp_path / f"graph.{fmt}"
    extra = ["--dialect", "falkordb"] if fmt == "cypher" else []
    result = kg("export", "-f", fmt, "-o", target, "--graph", out / "graph.ttl", *extra)
    assert result.exit_code == 0, result.output
    original = Graph().parse(out / "graph.ttl", format="turtle")
    if fmt == "nt":
        assert len(Graph().parse(target, format="nt")) == len(original)
        if RAPPER:
            done = subprocess.run([RAPPER, "-q", "-i", "ntriples", "-c", str(target)], capture_output=True, text=True)
            assert done.returncode == 0 and not done.stderr.strip(), done.stderr
            done = subprocess.run([RAPPER, "-q", "-i", "turtle", "-c", str(out / "graph.ttl")],
                                  capture_output=True, text=True)
            assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    elif fmt in ("graphml", "gexf"):
        ET.parse(target)
        graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
        assert sum(1 for _, a in graph.nodes(data=True) if a.get("class") == "Paper") == 8
    elif fmt == "jsonld":
        assert len(Graph().parse(target, format="json-ld")) == len(original)
    else:
        from falkordb import FalkorDB

        from kg.export.cypher import cypher_statements
        from tests.tools import falkordb_server

        with falkordb_server(tmp_path) as port:
            db = FalkorDB(host="127.0.0.1", port=port).select_graph("paperkg")
            for statement in cypher_statements(target.read_text("utf-8")):
                db.query(statement)
            assert db.query("MATCH (p:Paper) RETURN count(p)").result_set[0][0] == 8


def test_ctrl_c_to_the_process_group_prints_no_worker_traceback(tmp_path):
    """A terminal's Ctrl-C reaches the build and its extraction workers at once."""
    import os
    import signal
    import sys
    import time

    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", "-j", "2", "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def workers() -> list[str]:
        try:
            return Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        except OSError:
            return []

    deadline = time.monotonic() + 60
    while len(workers()) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(workers()) == 2, "the build did not start its extraction workers"
    time.sleep(0.3)  # inside the workers' extraction
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == "Aborted!"
    assert not out.exists()  # a failed first build leaves nothing behind
