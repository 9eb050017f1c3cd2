"""The bench harness measures what it claims, and the Turtle fast path is deterministic."""

from __future__ import annotations

import mmap
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from bench import fastpath
from bench.measure import Figure, stage
from bench.run import graph_stages, table
from kg.query import list_queries

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini_graph.ttl"


def test_stage_records_time_and_own_peak_memory():
    figures: list[Figure] = []
    with stage("allocate", figures):
        # fresh pages from the kernel (an anonymous map): a bytearray may reuse memory that a
        # test before this one freed and that is still resident, which raises no peak
        block = mmap.mmap(-1, 64 * 1024 * 1024)
        for offset in range(0, len(block), 4096):  # touch every page
            block[offset] = 1
    block.close()
    (fig,) = figures
    assert fig.stage == "allocate" and fig.seconds > 0
    assert fig.extra_mb >= 60 and fig.peak_mb >= fig.extra_mb


def test_graph_stages_run_every_library_query_on_both_stores(tmp_path):
    ours, params = graph_stages(MINI, "oxigraph", None, repeat=2, limit=None, work=tmp_path)
    theirs, _ = graph_stages(MINI, "memory", params, repeat=1, limit=60, work=tmp_path)
    names = [f"query {q.name}" for q in list_queries()]
    for figures in (ours, theirs):
        stages = [f.stage for f in figures]
        assert stages[:2] == ["Turtle read", "Turtle write"] and stages[-1] == "HTML write"
        assert [s for s in stages if s.startswith("query ")] == names
    # both stores give the same number of rows for every query
    assert [f.rows for f in ours if f.stage in names] == [f.rows for f in theirs if f.stage in names]
    assert params["paper-card"]["id"]
    text = table([{"size": "mini", "papers": None, "paperkg": [f.as_dict() for f in ours],
                   "rdflib": [f.as_dict() for f in theirs]}])
    assert "| query top-models |" in text and "×" in text


def test_fast_turtle_keeps_the_triples(tmp_path):
    graph = Graph().parse(MINI)
    triples = fastpath.sorted_ox_triples(graph)
    data = fastpath.turtle_bytes(triples, fastpath.project_prefixes())
    assert Graph().parse(data=data, format="turtle").isomorphic(graph)
    assert len(fastpath.oxigraph_graph(triples, {})) == len(graph)


def test_fast_turtle_is_byte_identical_across_hash_seeds(tmp_path):
    script = (
        "import sys; from rdflib import Graph; from bench import fastpath\n"
        "g = Graph()\n"
        f"for t in sorted(Graph().parse({str(MINI)!r}), reverse=sys.argv[1] == '1'): g.add(t)\n"
        "sys.stdout.buffer.write(fastpath.turtle_bytes(fastpath.sorted_ox_triples(g), fastpath.project_prefixes()))\n"
    )
    outputs = set()
    for seed, order in (("1", "0"), ("2", "1"), ("random", "0")):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", script, order], cwd=ROOT, env=env,
                              capture_output=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_bench_queries_times_the_named_queries_on_a_graph_file(capsys):
    from bench import queries

    queries.main([str(MINI), "--repeat", "2", "--only", "class-counts,entity-card"])
    lines = capsys.readouterr().out.splitlines()
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if " ms |" in line]
    assert [(name, runs) for name, _, runs, _ in cells] == [("class-counts", "2"), ("entity-card", "2")]
    assert cells[0][3] == "9" and int(cells[1][3]) > 0  # the mini graph's nine classes


def test_bench_queries_engine_only_adds_oxigraphs_own_answer_time(capsys):
    from bench import queries

    queries.main([str(MINI), "--repeat", "1", "--only", "entity-card,top-models", "--engine-only"])
    lines = capsys.readouterr().out.splitlines()
    assert "| query | p50 | runs | rows | engine only |" in lines
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if " ms |" in line]
    assert [row[0] for row in cells] == ["entity-card", "top-models"]
    assert all(len(row) == 5 and row[4].endswith(" ms") for row in cells)


def test_bench_queries_engine_only_needs_the_oxigraph_store(capsys):
    from bench import queries

    with pytest.raises(SystemExit) as exit_info:
        queries.main([str(MINI), "--store", "memory", "--engine-only"])
    assert exit_info.value.code == 2
    assert "use it with --store oxigraph" in capsys.readouterr().err


def test_bench_queries_times_the_name_queries_by_entity_rank(capsys):
    from bench import queries

    queries.main([str(MINI), "--repeat", "1", "--entity-ranks", "1,2,99"])
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("| rank"))
    assert [cell.strip() for cell in header.strip("|").split("|")][3:] == [
        "compared-with", "entity-card", "entity-cooccurrence", "papers-evaluating-on"]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if " ms (" in line]
    # MMLU is the mini graph's only entity linked from two papers; rank 99 is past its entities.
    assert [row[:3] for row in rows][0] == ["1", "MMLU", "2"] and [row[0] for row in rows] == ["1", "2"]
    assert rows[0][6].endswith(" ms (2)")  # two papers evaluate on MMLU
    assert lines[-1] == "(the graph ranks 11 entities)"
