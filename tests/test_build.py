"""kg build end to end: outputs, determinism, parallel extraction, the CLI."""

from __future__ import annotations

import gc
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kg.html
from kg.build import build
from kg.paths import SAMPLES_DIR
from tests.conftest import REPO


def run_kg(*args: str, env: dict | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_turtle_and_html(samples_build):
    ttl, html = samples_build.outputs
    assert ttl.name == "graph.ttl" and html.name == "graph.html"
    assert ttl.stat().st_size > 100_000 and html.stat().st_size > 100_000
    assert samples_build.summary().startswith("558 papers, 0 skipped")


def test_same_input_gives_byte_identical_files_across_processes_and_hash_seeds(samples_build, tmp_path):
    result = run_kg("build", "-q", "-o", str(tmp_path), env={"PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr
    for original in samples_build.outputs:
        assert digest(tmp_path / original.name) == digest(original), original.name


def test_jobs_2_output_is_byte_identical_to_jobs_1(samples_build, tmp_path):
    result = run_kg("build", "-q", "--jobs", "2", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for original in samples_build.outputs:
        assert digest(tmp_path / original.name) == digest(original), original.name


def test_on_disk_store_gives_the_same_bytes_and_leaves_no_store_behind(samples_build, tmp_path):
    result = run_kg("build", "-q", "--store", "disk", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for original in samples_build.outputs:
        assert digest(tmp_path / original.name) == digest(original), original.name
    assert not list((tmp_path / ".paperkg").glob("tmp-*"))


def test_on_disk_store_lasts_as_long_as_the_built_graph(tmp_path):
    result = build([SAMPLES_DIR / "000_366ed5b06f03b68f.txt"], tmp_path, store="disk")
    stores = list((tmp_path / ".paperkg").glob("tmp-store-*"))
    assert len(stores) == 1 and len(result.graph) == result.triples > 0
    del result
    gc.collect()
    assert not stores[0].exists()


def test_cli_build_reports_summary_and_query_answers(tmp_path):
    built = run_kg("build", "-o", str(tmp_path))
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip().splitlines()[-1].startswith("558 papers")
    graph = str(tmp_path / "graph.ttl")
    query = run_kg("query", "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/paperkg/ontology#Paper> }", "--graph", graph, "--format", "csv")
    assert query.returncode == 0, query.stderr
    assert "558" in query.stdout


def test_missing_input_path_is_one_line_error(tmp_path):
    result = run_kg("build", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "nope.txt" in result.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_help_lists_every_command():
    result = run_kg("--help")
    assert result.returncode == 0
    for command in ("build", "query", "stats", "eval", "export", "view", "serve", "validate"):
        assert command in result.stdout


def test_failed_build_removes_its_on_disk_store(tmp_path, monkeypatch):
    sample = SAMPLES_DIR / "000_366ed5b06f03b68f.txt"
    build([sample], tmp_path)  # a published generation, so the failed build keeps the folder

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(kg.html, "write_html", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        build([sample], tmp_path, store="disk")
    assert not list((tmp_path / ".paperkg").glob("tmp-*"))
