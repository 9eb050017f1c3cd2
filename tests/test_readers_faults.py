"""Faulty inputs (issue 7): every fault is a Diagnostic naming file and line, never an exception."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path

import pytest

from kg.paths import SAMPLES_DIR
from kg.readers import read_file, read_inputs
from kg.records import Diagnostic

DATA = Path(__file__).parent / "data" / "readers"
HF_SAMPLE = SAMPLES_DIR / "000_366ed5b06f03b68f.txt"
ARXIV_SAMPLE = SAMPLES_DIR / "004_32277511330300ba.txt"


def kinds(diagnostics: list[Diagnostic]) -> list[tuple[int, str]]:
    return [(d.source.line, d.kind) for d in diagnostics]


def test_empty_file_is_skipped_with_a_note(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    papers, diagnostics, info = read_file(path)
    assert papers == [] and info.papers == 0 and info.format is None
    assert kinds(diagnostics) == [(0, "note")] and "empty" in diagnostics[0].message
    assert diagnostics[0].source.path == str(path)


def test_blank_file_is_not_a_digest(tmp_path):
    path = tmp_path / "blank.md"
    path.write_text("\n\n   \n", encoding="utf-8")
    papers, diagnostics, _ = read_file(path)
    assert papers == [] and kinds(diagnostics) == [(0, "note")] and "not a digest" in diagnostics[0].message


def test_binary_file_is_skipped(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16 + b"\x00" * 512)
    papers, diagnostics, info = read_file(path)
    assert papers == [] and info.format is None and info.sha256
    assert kinds(diagnostics) == [(0, "skipped")] and "binary" in diagnostics[0].message


def test_gbk_file_is_read_and_the_encoding_noted():
    papers, diagnostics, info = read_file(DATA / "gbk_report.txt")
    paper, = papers
    assert paper.title == "一篇 GBK 编码的论文" and paper.arxiv_id == "2602.00001"
    assert paper.report_date == dt.date(2026, 1, 6)
    assert paper.sections["experimental_results"] == "在 **MMLU** 上提升 3%。"
    assert paper.sections["innovations"] == "1.  **高效的注意力**：更快。"
    assert info.encoding == "GB18030 (GBK)"
    assert kinds(diagnostics) == [(0, "note")] and "GB18030" in diagnostics[0].message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read(tmp_path, codec):
    path = tmp_path / "report-utf16.txt"
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    path.write_bytes(bom + HF_SAMPLE.read_text(encoding="utf-8").encode(codec))
    papers, diagnostics, info = read_file(path)
    assert len(papers) == 47 and info.format == "hf-daily"
    assert info.encoding.startswith("UTF-16")
    assert kinds(diagnostics) == [(0, "note")]
    expected, _, _ = read_file(HF_SAMPLE)
    assert [(p.arxiv_id, p.title, p.report_date, p.sections, p.source.line) for p in papers] == [
        (p.arxiv_id, p.title, p.report_date, p.sections, p.source.line) for p in expected
    ]


def test_utf8_bom_and_crlf_line_endings(tmp_path):
    path = tmp_path / "list-crlf.md"
    text = ARXIV_SAMPLE.read_text(encoding="utf-8")
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    papers, diagnostics, info = read_file(path)
    expected, _, _ = read_file(ARXIV_SAMPLE)
    assert len(papers) == 465 and info.encoding == "UTF-8 with byte-order mark"
    assert [(p.arxiv_id, p.title, p.sections, p.code_url, p.topics) for p in papers] == [
        (p.arxiv_id, p.title, p.sections, p.code_url, p.topics) for p in expected
    ]
    assert all("\r" not in p.sections["abstract"] for p in papers)
    assert [d.kind for d in diagnostics] == ["note", "repaired"]  # the BOM; the sample's duplicate title


def test_crlf_hf_report_keeps_sections_and_lines(tmp_path):
    path = tmp_path / "report-crlf.txt"
    path.write_bytes(HF_SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    papers, diagnostics, _ = read_file(path)
    expected, _, _ = read_file(HF_SAMPLE)
    assert diagnostics == []
    assert [(p.arxiv_id, p.title, p.sections, p.source.line) for p in papers] == [
        (p.arxiv_id, p.title, p.sections, p.source.line) for p in expected
    ]


def test_utf8_with_a_few_bad_bytes_stays_utf8(tmp_path):
    raw = HF_SAMPLE.read_bytes()
    cut = raw.index("## 📄 Thinking in Frames".encode())
    path = tmp_path / "damaged.txt"
    path.write_bytes(raw[:cut] + b"\xff\xfe junk \xc3\n" + raw[cut:])
    papers, diagnostics, info = read_file(path)
    assert len(papers) == 47 and info.encoding == "UTF-8"
    bad_line = raw[:cut].count(b"\n") + 1
    assert kinds(diagnostics) == [(bad_line, "repaired")] and "U+FFFD" in diagnostics[0].message


def test_truncated_last_paper_keeps_what_is_valid(tmp_path):
    lines = HF_SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    last_title = max(i for i, line in enumerate(lines) if line.startswith("## 📄"))
    cut = next(i for i in range(last_title, len(lines)) if "使用指南" in lines[i]) + 2
    path = tmp_path / "truncated.txt"
    path.write_text("".join(lines[:cut]), encoding="utf-8")
    papers, diagnostics, info = read_file(path)
    assert len(papers) == 47 == info.papers
    last = next(p for p in papers if p.source.line == last_title + 1)
    assert last.title == "DFlash: Block Diffusion for Flash Speculative Decoding"
    assert set(last.sections) == {"application_area", "core_contribution", "usage_guide"}
    assert kinds(diagnostics) == [(cut, "repaired"), (cut, "repaired")]
    assert "truncated" in diagnostics[0].message and "主要创新点" in diagnostics[1].message


def test_file_cut_right_after_a_title_line_drops_that_paper(tmp_path):
    lines = HF_SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    last_title = max(i for i, line in enumerate(lines) if line.startswith("## 📄"))
    path = tmp_path / "cut.txt"
    path.write_text("".join(lines[: last_title + 1]), encoding="utf-8")
    papers, diagnostics, _ = read_file(path)
    assert len(papers) == 46
    assert kinds(diagnostics) == [(last_title + 1, "repaired"), (last_title + 1, "skipped")]
    assert "no link line" in diagnostics[1].message


def test_papers_without_link_id_or_title_are_skipped_with_file_and_line():
    path = DATA / "no_link.txt"
    papers, diagnostics, _ = read_file(path)
    paper, = papers
    assert (paper.arxiv_id, paper.title, paper.hf_url) == ("2602.00001", "A Good Paper", "https://huggingface.co/papers/2602.00001")
    assert paper.sections["application_area"] == "NLP"
    assert paper.sections["innovations"] == "1.  **高效的注意力**：更快。"
    assert [(str(d), d.kind) for d in diagnostics] == [
        (f"{path}:7: paper 'A Paper Without Link' has no link line (- **链接**: URL); skipped", "skipped"),
        (f"{path}:18: paper 'A Paper Whose Link Has No Id': link 'https://huggingface.co/papers/not-an-id' "
         "holds no arXiv id; skipped", "skipped"),
        (f"{path}:26: paper without a title; skipped", "skipped"),
    ]


def test_malformed_and_miscolumned_rows_are_skipped_and_the_table_read_on():
    path = DATA / "bad_rows.md"
    papers, diagnostics, info = read_file(path)
    assert [p.arxiv_id for p in papers] == ["2510.00001", "2510.00006", "2510.00007", "2510.00008"]
    by_id = {p.arxiv_id: p for p in papers}
    assert by_id["2510.00006"].sections["abstract"] == "摘要里有 A | B 这样的竖线。"
    assert by_id["2510.00006"].arxiv_url == "https://arxiv.org/abs/2510.00006"
    assert by_id["2510.00007"].code_url is None
    assert by_id["2510.00008"].code_url == "https://github.com/owner/repo"
    assert {p.topics for p in papers} == {("多模态",)}
    assert kinds(diagnostics) == [
        (8, "skipped"), (9, "skipped"), (10, "skipped"), (11, "skipped"), (12, "skipped"),
        (13, "repaired"), (14, "repaired"),
    ]
    assert "3 cells, expected 4" in diagnostics[0].message and "publish date" in diagnostics[1].message
    assert all(d.source.path == str(path) for d in diagnostics)
    assert info.papers == 4


def _hf_report(date: str, title: str) -> str:
    return (
        f"# Hugging Face Daily Papers Report\n**Date**: {date}\n\n====\n\n## 📄 {title}\n\n"
        "- **链接**: https://huggingface.co/papers/2602.00009\n\n"
        "### 1. 应用领域\nNLP\n### 2. 一句话核心贡献\n贡献\n### 3. 使用指南\n指南\n"
        "### 4. 主要创新点\n创新\n### 5. 实验效果\n效果\n\n====\n"
    )


@pytest.mark.parametrize("order", [("old", "new"), ("new", "old")])
def test_same_paper_in_two_files_newest_title_wins(tmp_path, order):
    files = {"old": ("2026-02-01", "Old Title"), "new": ("2026-02-08", "New Title")}
    paths = []
    for name in order:
        paths.append(tmp_path / f"{name}.txt")
        paths[-1].write_text(_hf_report(*files[name]), encoding="utf-8")
    result = read_inputs(paths)
    paper, = result.papers
    assert paper.title == "New Title" and paper.alternative_titles == ("Old Title",)
    assert paper.report_date == dt.date(2026, 2, 8)
    assert [Path(ref.path).name for ref in paper.sources] == [f"{name}.txt" for name in order]
    diagnostic, = result.diagnostics
    assert diagnostic.kind == "repaired" and diagnostic.source.path.endswith("old.txt") and diagnostic.source.line == 6
    assert "new.txt:6" in diagnostic.message and "Old Title" in diagnostic.message


def test_same_date_the_later_input_wins(tmp_path):
    for name, title in (("a", "First Title"), ("b", "Second Title")):
        (tmp_path / f"{name}.txt").write_text(_hf_report("2026-02-08", title), encoding="utf-8")
    paper, = read_inputs([tmp_path]).papers
    assert (paper.title, paper.alternative_titles) == ("Second Title", ("First Title",))
    paper, = read_inputs([tmp_path / "b.txt", tmp_path / "a.txt"]).papers
    assert (paper.title, paper.alternative_titles) == ("First Title", ("Second Title",))


def test_folder_with_other_files_hidden_files_and_subfolders(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(os.urandom(2048) + b"\x00" * 64)
    (tmp_path / ".secret.txt").write_bytes(HF_SAMPLE.read_bytes())
    (tmp_path / ".hidden" / "report.txt").write_bytes(HF_SAMPLE.read_bytes())
    (tmp_path / "sub" / "deeper" / "list.md").write_bytes(ARXIV_SAMPLE.read_bytes())
    (tmp_path / "sub" / "report.txt").write_bytes(HF_SAMPLE.read_bytes())
    result = read_inputs([tmp_path])
    names = [Path(f.path).relative_to(tmp_path).as_posix() for f in result.files]
    assert names == ["blob.bin", "data.csv", "notes.txt", "sub/deeper/list.md", "sub/report.txt"]
    assert [f.format for f in result.files] == [None, None, None, "arxiv-daily", "hf-daily"]
    assert len(result.papers) == 465 + 47
    skipped = {Path(d.source.path).name: d.kind for d in result.diagnostics if d.source.line == 0}
    assert skipped == {"blob.bin": "skipped", "data.csv": "note", "notes.txt": "note"}


def test_missing_path_is_a_diagnostic(tmp_path):
    missing = tmp_path / "nope" / "report.txt"
    result = read_inputs([missing, HF_SAMPLE])
    assert len(result.papers) == 47
    diagnostic = result.diagnostics[0]
    assert diagnostic.source.path == str(missing) and diagnostic.kind == "skipped"
    assert "no such file" in diagnostic.message
    assert [f.path for f in result.files] == [str(HF_SAMPLE)]


def test_empty_folder_and_a_file_named_twice(tmp_path):
    (tmp_path / "empty").mkdir()
    result = read_inputs([tmp_path / "empty", HF_SAMPLE, SAMPLES_DIR])
    assert len(result.files) == 6 and len(result.papers) == 558
    assert [(Path(d.source.path).name, d.kind) for d in result.diagnostics if d.source.line == 0][:2] == [
        ("empty", "note"), (HF_SAMPLE.name, "note"),
    ]


def test_unreadable_file_is_a_diagnostic(tmp_path):
    """read_file on something that cannot be opened as a file (here a folder)."""
    papers, diagnostics, info = read_file(tmp_path)
    assert papers == [] and info.sha256 is None and info.format is None
    assert kinds(diagnostics) == [(0, "skipped")] and "cannot read" in diagnostics[0].message


def test_stray_utf16_bom_on_utf8_text_is_junk_not_utf16(tmp_path):
    path = tmp_path / "stray-bom.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + HF_SAMPLE.read_bytes())
    papers, diagnostics, info = read_file(path)
    assert len(papers) == 47 and info.encoding == "UTF-8"
    assert kinds(diagnostics) == [(1, "repaired")]
