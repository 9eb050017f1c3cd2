"""Every digest layout people publish (issue 15): each read from a short excerpt written for
these tests (``tests/data/layouts/``), detected from its content, with nothing of its text lost."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import SKOS

from kg.readers import LAYOUTS, detect_format, layout_names, read_file, read_inputs
from kg.readers.arxiv_daily import split_link
from kg.readers.text import numbered_lines, sniff

LAYOUT_DIR = Path(__file__).parent / "data" / "layouts"
PKG = Namespace("https://w3id.org/paperkg/ontology#")
PAPER = Namespace("https://w3id.org/paperkg/paper/")
EXPECTED_LAYOUT = {
    "hf_other_headings.md": "hf-daily",
    "cv_table.md": "arxiv-daily",
    "reordered_table.md": "arxiv-daily",
    "numbered.md": "numbered-daily",
    "page.md": "paper-page",
    "records.jsonl": "jsonl",
    # variants of the same layouts written the way other digests write them
    "variant_page_plain.md": "paper-page",
    "variant_numbered_linked.md": "numbered-daily",
    "variant_hf_english.md": "hf-daily",
    "variant_arxiv_api.jsonl": "jsonl",
}


def run_kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=600, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYOUT))
def test_layout_is_detected_from_the_content_and_its_text_kept(name, tmp_path):
    # the file name says nothing: the same bytes under a neutral name
    path = tmp_path / "digest.txt"
    shutil.copyfile(LAYOUT_DIR / name, path)
    assert detect_format(numbered_lines(path, sniff(path))) == EXPECTED_LAYOUT[name]
    papers, diagnostics, info = read_file(path)
    assert info.format == EXPECTED_LAYOUT[name] and info.papers == len(papers) > 0
    assert info.coverage == pytest.approx(1.0)
    assert all(d.kind != "error" for d in diagnostics)


def test_registry_names_every_layout_once():
    assert layout_names() == tuple(layout.NAME for layout in LAYOUTS)
    assert len(set(layout_names())) == len(LAYOUTS) == 5
    for layout in LAYOUTS:
        assert layout.DESCRIPTION and callable(layout.detect) and hasattr(layout, "Reader")


def test_report_with_other_headings_keeps_every_section():
    papers, diagnostics, _ = read_file(LAYOUT_DIR / "hf_other_headings.md")
    foo = next(p for p in papers if p.arxiv_id == "2603.00101")
    # 标题： is an alternative title; 摘要： the abstract; 💡 一句话要点 and TL;DR the core contribution
    assert foo.alternative_titles == ("FooNet：面向小型视觉Transformer的稀疏路由",)
    assert foo.sections["abstract"].startswith("本文提出 FooNet")
    assert foo.sections["core_contribution"] == "FooNet 用稀疏路由让小模型更快。\n\nSparse routing makes tiny ViTs cheaper."
    assert foo.sections["experimental_results"].startswith("FooNet beats DeiT-S")
    # an unknown heading keeps its own text; so does a listed label with no key of its own
    assert dict(foo.other_sections) == {
        "📋 核心要点": "1. 现有小型 ViT 的计算浪费在简单图像块上。\n2. 提出按难度路由图像块的 FooNet。",
        "Motivation": "Tiny vision transformers spend the same compute on every patch.",
    }
    assert foo.notes == (("阅读来源", "HTML"),)
    assert any("TL;DR repeated; texts joined" in d.message for d in diagnostics)


def test_header_driven_table_with_bold_titles_and_the_id_in_the_pdf_column():
    papers, diagnostics, _ = read_file(LAYOUT_DIR / "cv_table.md")
    by_id = {p.arxiv_id: p for p in papers}
    assert sorted(by_id) == ["2603.00201", "2603.00202", "2603.00203"]
    match = by_id["2603.00201"]
    assert match.title == "MatchBar: Dense Matching with Learned Anchors"
    assert match.authors == ("Ann Lee et.al.",) and match.topics == ("Image Matching",)
    assert match.code_url == "https://github.com/example/matchbar"
    assert match.publish_date == dt.date(2026, 3, 1)
    assert by_id["2603.00203"].topics == ("NeRF",)
    # a row with fewer cells than the header is reported as before
    assert [(d.source.line, d.kind) for d in diagnostics] == [(18, "skipped")]
    assert "3 cells, expected 5" in diagnostics[0].message


def test_table_columns_in_any_order_and_in_chinese():
    papers, _, _ = read_file(LAYOUT_DIR / "reordered_table.md")
    first, second = papers
    assert (first.arxiv_id, first.title, first.publish_date) == ("2603.00301", "SpanQA：长视频问答", dt.date(2026, 3, 1))
    assert first.sections == {"abstract": "提出 SpanQA 基准，在 Video-MME 上评测。"}
    assert (second.arxiv_id, second.title) == ("2603.00302", "LoopAgent：循环规划")


def test_numbered_daily_digest():
    papers, diagnostics, _ = read_file(LAYOUT_DIR / "numbered.md")
    assert diagnostics == []
    first = papers[0]
    assert (first.arxiv_id, first.title, first.topics) == ("2603.00401", "基于检索的长文本问答", ("cs.CL",))
    assert first.authors == ("Eve Zhang", "Frank Li")
    assert first.report_date == dt.date(2026, 3, 2)
    assert first.sections == {"innovations": "提出 RetroQA，在 LongBench 上优于 Llama-3-8B 基线。"}
    assert [heading for heading, _ in first.other_sections] == ["Background", "Conclusion"]


def test_paper_page():
    (paper,), diagnostics, _ = read_file(LAYOUT_DIR / "page.md")
    assert diagnostics == []
    assert (paper.arxiv_id, paper.title) == ("2603.00501", "Tiny Agents Plan Better")
    assert paper.authors == ("Hana Kim", "Ivan Petrov") and paper.topics == ("cs.AI", "cs.LG")
    assert paper.publish_date == dt.date(2026, 3, 1) and paper.code_url == "https://github.com/example/tiny-agents"
    # the English original is the abstract; the Chinese one keeps its heading
    assert paper.sections["abstract"].startswith("We propose TinyPlanner")
    assert dict(paper.other_sections)["📝 摘要（中文）"].startswith("本文提出 TinyPlanner")
    # the toolbar's controls are not paper text
    assert all("分享" not in text for _, text in (*paper.other_sections, *paper.notes))


def test_json_lines_of_two_schemas():
    papers, diagnostics, _ = read_file(LAYOUT_DIR / "records.jsonl")
    assert diagnostics == []
    quiet, tables = papers
    assert quiet.title == "Quiet Diffusion: Denoising with Fewer Steps" and quiet.authors == ("Jo Park", "Kai Ito")
    assert quiet.topics == ("cs.CV", "cs.LG")
    assert quiet.sections["core_contribution"] == "四步采样的扩散模型。"
    assert quiet.sections["experimental_results"] == "在 CIFAR-10 上与 DDPM 相当。"
    assert [h for h, _ in quiet.other_sections] == ["AI.motivation", "AI.method", "AI.conclusion"]
    assert ("comments", "9 pages") in quiet.notes
    assert tables.title == "Self-Verification for Table Reasoning"
    assert tables.alternative_titles == ("表格推理的自我验证",)
    assert tables.publish_date == dt.date(2026, 3, 2) and tables.authors == ("Lia Sun", "Max Roy")


def test_variants_written_the_way_other_digests_write_them():
    (page,), _, _ = read_file(LAYOUT_DIR / "variant_page_plain.md")
    assert (page.arxiv_id, page.title, page.date) == ("2603.00801", "Graph Prompts for Molecule Design", dt.date(2026, 3, 3))
    assert page.sections["abstract"].startswith("We encode molecules") and page.sections["core_contribution"]
    assert dict(page.other_sections)["Limitations"] == "Only small molecules were tested."
    numbered, _, _ = read_file(LAYOUT_DIR / "variant_numbered_linked.md")
    assert [(p.arxiv_id, p.title) for p in numbered] == [
        ("2603.00901", "Speculative Decoding with Draft Trees"), ("2603.00902", "Reward Models that Explain Themselves")]
    assert numbered[0].authors == ("Pia Novak", "Quinn Adams") and numbered[0].report_date == dt.date(2026, 3, 3)
    english, _, _ = read_file(LAYOUT_DIR / "variant_hf_english.md")
    assert [p.arxiv_id for p in english] == ["2603.01001", "2603.01002"]
    assert english[0].report_date == dt.date(2026, 3, 4) and english[0].hf_url is None
    assert english[0].sections["experimental_results"].startswith("On GLUE")
    assert dict(english[0].other_sections)["Method"].startswith("Each layer")
    (api,), _, _ = read_file(LAYOUT_DIR / "variant_arxiv_api.jsonl")
    assert (api.arxiv_id, api.authors, api.topics) == ("2603.01101", ("Sam Ortiz", "Tara Moss"), ("cs.CV", "cs.AI"))
    assert api.publish_date == dt.date(2026, 3, 4) and api.sections["abstract"].startswith("We count objects")


def test_unknown_json_fields_are_kept(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "2603.00701", "title": "T", "venue_note": "short", '
                    '"reviewer_summary": "A long free-text field that no table lists, kept as a section."}\n'
                    'not json\n', encoding="utf-8")
    (paper,), diagnostics, _ = read_file(path)
    assert ("venue_note", "short") in paper.notes
    assert ("reviewer_summary", "A long free-text field that no table lists, kept as a section.") in paper.other_sections
    assert [(d.source.line, d.kind) for d in diagnostics] == [(2, "skipped")]


def test_a_date_in_the_file_name_dates_undated_papers(tmp_path):
    path = tmp_path / "2026-03-05_digest.jsonl"
    shutil.copyfile(LAYOUT_DIR / "records.jsonl", path)
    papers, _, _ = read_file(path)
    assert papers[0].date == dt.date(2026, 3, 5)  # no date in the record
    assert papers[1].date == dt.date(2026, 3, 2)  # its own date wins


def test_layout_can_be_forced(tmp_path):
    papers, _, info = read_file(LAYOUT_DIR / "numbered.md", layout="hf-daily")
    assert info.format == "hf-daily" and papers == []
    with pytest.raises(ValueError, match="unknown layout"):
        read_file(LAYOUT_DIR / "numbered.md", layout="nope")


def test_title_cell_parsing_is_linear_on_nested_links():
    # a hostile title cell of nested '[T](x' pieces: the last ']('' splits it, no backtracking
    cell = "[T](x" * 50_000 + ")"
    text, url = split_link(cell)
    assert url == "x" and text.startswith("T](x[T]")
    assert split_link("**[A [b] title](https://arxiv.org/abs/2603.00001)**") == ("A [b] title", "https://arxiv.org/abs/2603.00001")


def test_a_symlink_loop_in_an_input_folder_is_reported_not_followed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(LAYOUT_DIR / "numbered.md", folder / "numbered.md")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self").symlink_to(folder / "self")
    result = read_inputs([folder])
    assert len(result.papers) == 2
    assert any("loop" in d.message for d in result.diagnostics)


def test_build_reads_every_layout_into_the_graph(tmp_path):
    done = run_kg("build", str(LAYOUT_DIR), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for name, layout in EXPECTED_LAYOUT.items():
        assert f"{name}: " in done.stderr and f"layout {layout}, 100.0% of its paper text kept" in done.stderr
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    ids = {str(o) for o in graph.objects(None, PKG.arxivId)}
    assert len(ids) == 12 + 6
    # the title-only paper (a one-sentence doc) is extracted without a crash
    assert "2603.00102" in ids
    # a section with its own heading, an author, a topic from an arXiv category
    page = PAPER["2603.00501"]
    assert (page, PKG.author, Literal("Hana Kim")) in graph
    headings = {str(graph.value(part, PKG.heading)) for part in graph.objects(page, PKG.digestSection)}
    assert "📝 摘要（中文）" in headings
    assert (page, PKG.abstract, Literal(
        "We propose TinyPlanner, which decomposes long-horizon tasks into subgoals.\nOn ALFWorld it outperforms GPT-4o-mini.",
        lang="en")) in graph
    topics = {str(graph.value(t, SKOS.prefLabel)) for t in graph.objects(page, PKG.topic)}
    assert topics == {"cs.AI", "cs.LG"}
    # kg stats shows the reading report from the graph
    stats = run_kg("stats", "--json", "-g", str(tmp_path / "out" / "graph.ttl"))
    digests = {row["file"]: row for row in json.loads(stats.stdout)["digests"]}
    assert {name: row["layout"] for name, row in digests.items()} == EXPECTED_LAYOUT
    assert digests["cv_table.md"]["papers"] == 3 and digests["page.md"]["coverage"] == 1.0


def test_one_papers_extraction_failure_keeps_the_others(tmp_path, monkeypatch):
    from kg import build as build_module
    from kg.nlp import aggregate

    original = aggregate.paper_entities

    def failing(doc):
        if doc.user_data.get("paperkg_paper") == "2603.00402":
            raise RuntimeError("boom")
        return original(doc)

    monkeypatch.setattr("kg.nlp.paper_entities", failing)
    result = build_module.build([LAYOUT_DIR / "numbered.md"], out_dir=tmp_path / "out", jobs=1)
    errors = [d for d in result.diagnostics if d.kind == "error"]
    assert len(errors) == 1 and "paper 2603.00402: RuntimeError: boom; kept without entities" in errors[0].message
    assert errors[0].source.line == 13  # the paper's heading line
    assert result.papers == 2
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert (PAPER["2603.00402"], PKG.arxivId, Literal("2603.00402")) in graph
    assert list(graph.objects(PAPER["2603.00401"], PKG.uses)) or list(graph.objects(PAPER["2603.00401"], PKG.evaluatesOn))
