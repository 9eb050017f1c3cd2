"""The graphs ``kg build`` writes conform to the SHACL shapes (``ontology/shapes.ttl``),
also when the input was faulty and had to be repaired."""

from __future__ import annotations

from tests.test_build import run_kg
from tests.test_faults_build import READER_DATA, hf_slice, kg_build


def test_kg_validate_accepts_the_built_samples(samples_build):
    # The suite's one validation of the samples (the graph, the command, its report).
    result = run_kg("validate", "--graph", str(samples_build.outputs[0]))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{samples_build.outputs[0]}: conforms to the shapes\n"


def test_graph_of_repaired_faulty_input_has_no_violations(tmp_path):
    """Truncated paper, bad table rows, a paper without link, GBK, a retitled duplicate and
    markup in a title, all in one build."""
    lines = hf_slice(3).splitlines(keepends=True)
    cut = max(i for i, line in enumerate(lines) if "使用指南" in line) + 2
    (tmp_path / "truncated.txt").write_text("".join(lines[:cut]), encoding="utf-8")
    title = hf_slice(1).split("\n## 📄 ")[1].splitlines()[0]
    retitled = hf_slice(1).replace("2026-02-07", "2026-02-09").replace(title, f"{title} <script>alert(1)</script>")
    (tmp_path / "retitled.txt").write_text(retitled, encoding="utf-8")
    inputs = [tmp_path / "truncated.txt", tmp_path / "retitled.txt", *(READER_DATA / n for n in ("bad_rows.md", "no_link.txt", "gbk_report.txt"))]
    built = kg_build(*inputs, "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    result = run_kg("validate", "--graph", str(tmp_path / "out" / "graph.ttl"))
    assert result.returncode == 0, result.stdout + result.stderr
