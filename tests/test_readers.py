"""The readers on the bundled sample digests: counts, fields, merging, determinism, API."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections import Counter

import pytest

from kg.paths import SAMPLES_DIR
from kg.readers import detect_format, iter_papers, read_file, read_inputs
from kg.readers.sections import HF_SECTIONS
from kg.readers.text import numbered_lines, sniff

HF_FILES = {
    "000_366ed5b06f03b68f.txt": (47, dt.date(2026, 2, 7)),
    "001_f2c9cab62c1c09ae.txt": (16, dt.date(2026, 2, 27)),
    "002_95405dd955dd9a62.txt": (16, dt.date(2026, 1, 6)),
    "003_c04f0ada7c0ebb3a.txt": (14, dt.date(2025, 12, 25)),
}
ARXIV_FILE = "004_32277511330300ba.txt"


@pytest.fixture(scope="module")
def samples():
    return read_inputs([SAMPLES_DIR])


def test_samples_give_558_distinct_papers(samples):
    assert len(samples.papers) == 558
    assert len({paper.arxiv_id for paper in samples.papers}) == 558
    assert Counter(paper.source_format for paper in samples.papers) == {"hf-daily": 93, "arxiv-daily": 465}
    assert [paper.arxiv_id for paper in samples.papers] == sorted(paper.arxiv_id for paper in samples.papers)


def test_sample_files_counts_hashes_and_formats(samples):
    by_name = {f.path.rsplit("/", 1)[-1]: f for f in samples.files}
    assert sorted(by_name) == sorted([*HF_FILES, ARXIV_FILE, "README.md"])
    for name, (count, _) in HF_FILES.items():
        assert (by_name[name].format, by_name[name].papers) == ("hf-daily", count)
    assert (by_name[ARXIV_FILE].format, by_name[ARXIV_FILE].papers) == ("arxiv-daily", 465)
    assert by_name["README.md"].format is None and by_name["README.md"].papers == 0
    for name, info in by_name.items():
        assert info.sha256 == hashlib.sha256((SAMPLES_DIR / name).read_bytes()).hexdigest()
        assert info.encoding == "UTF-8"


def test_readme_is_skipped_with_a_note_and_nothing_else_is_reported(samples):
    notes = [d for d in samples.diagnostics if d.source.path.endswith("README.md")]
    assert len(notes) == 1 and notes[0].kind == "note" and "not a digest" in notes[0].message
    others = [d for d in samples.diagnostics if not d.source.path.endswith("README.md")]
    # The one real fault of the samples: 2510.01471 listed twice, once with a typo in its title.
    assert len(others) == 1 and "2510.01471" in others[0].message and others[0].source.line == 140


def test_every_paper_has_id_title_and_date(samples):
    for paper in samples.papers:
        assert paper.arxiv_id and paper.title and paper.date, paper
        assert paper.arxiv_url == f"https://arxiv.org/abs/{paper.arxiv_id}"
        assert paper.sources and paper.source in paper.sources


def test_hf_papers_have_all_five_sections(samples):
    hf = [paper for paper in samples.papers if paper.source_format == "hf-daily"]
    for paper in hf:
        assert tuple(paper.sections) == HF_SECTIONS, paper.arxiv_id
        assert all(text.strip() for text in paper.sections.values()), paper.arxiv_id
        assert paper.hf_url == f"https://huggingface.co/papers/{paper.arxiv_id}"
        name = paper.source.path.rsplit("/", 1)[-1]
        assert paper.report_date == HF_FILES[name][1]


def test_arxiv_papers_have_date_abstract_topics(samples):
    arxiv = [paper for paper in samples.papers if paper.source_format == "arxiv-daily"]
    assert sum(len(paper.sources) for paper in arxiv) == 500
    assert Counter(len(paper.topics) >= 1 for paper in arxiv) == {True: 465}
    multi = [paper for paper in arxiv if len(paper.topics) > 1]
    assert multi and all(len(paper.sources) >= len(paper.topics) for paper in multi)
    assert sum(paper.code_url is not None for paper in arxiv) > 0
    assert all(paper.publish_date and paper.sections.get("abstract") for paper in arxiv)
    topics = {topic for paper in arxiv for topic in paper.topics}
    assert topics == {"多模态", "大模型PEFT", "大模型强化学习", "大模型持续学习", "Transformer", "生成模型"}


def test_same_paper_twice_in_the_list_newest_title_wins(samples):
    paper = next(p for p in samples.papers if p.arxiv_id == "2510.01471")
    assert paper.title.endswith("high-dimensional Bayesian optimization")
    assert paper.alternative_titles == (
        "Fine-tuning LLMs with variational Bayesian last layer for high-dimensional Bayesian optimzation",
    )
    assert paper.publish_date == dt.date(2025, 10, 3)
    assert [ref.line for ref in paper.sources] == [139, 140]


def test_reading_is_deterministic(samples):
    again = read_inputs([SAMPLES_DIR])
    assert again.papers == samples.papers
    assert again.diagnostics == samples.diagnostics
    assert again.files == samples.files


def test_read_file_merges_rows_and_iter_papers_streams_them():
    path = SAMPLES_DIR / ARXIV_FILE
    rows = list(iter_papers(path))
    assert len(rows) == 500 and all(len(row.topics) == 1 for row in rows)
    papers, diagnostics, info = read_file(path)
    assert len(papers) == 465 == info.papers
    assert [d.kind for d in diagnostics] == ["repaired"]


def test_format_comes_from_content_not_name(tmp_path):
    shutil.copy(SAMPLES_DIR / "000_366ed5b06f03b68f.txt", tmp_path / "arxiv_list.md")
    shutil.copy(SAMPLES_DIR / ARXIV_FILE, tmp_path / "Hugging Face Daily Papers Report.txt")
    result = read_inputs([tmp_path])
    formats = {f.path.rsplit("/", 1)[-1]: f.format for f in result.files}
    assert formats == {"arxiv_list.md": "hf-daily", "Hugging Face Daily Papers Report.txt": "arxiv-daily"}
    for name, fmt in (("000_366ed5b06f03b68f.txt", "hf-daily"), (ARXIV_FILE, "arxiv-daily")):
        path = SAMPLES_DIR / name
        assert detect_format(numbered_lines(path, sniff(path))) == fmt


def test_progress_hook_counts_files():
    seen: list[int] = []
    read_inputs([SAMPLES_DIR / ARXIV_FILE, SAMPLES_DIR / "README.md"], progress=seen.append)
    assert seen == [1, 2]


def test_hf_and_arxiv_records_of_one_paper_merge(tmp_path):
    """A paper in both formats: the later date wins, the other fills missing fields."""
    arxiv_row = next(line for line in (SAMPLES_DIR / ARXIV_FILE).read_text(encoding="utf-8").splitlines()
                     if "2510.08567" in line)
    (tmp_path / "list.md").write_text(f"## 多模态\n| Publish Date | Title | Code | Abstract |\n{arxiv_row}\n", encoding="utf-8")
    (tmp_path / "report.txt").write_text(
        "# Hugging Face Daily Papers Report\n**Date**: 2025-10-12\n\n====\n\n"
        "## 📄 MATRIX: Multimodal Agent Tuning for Robust Tool-Use Reasoning\n\n"
        "- **链接**: https://huggingface.co/papers/2510.08567\n\n### 1. 应用领域\n多模态智能体\n\n====\n",
        encoding="utf-8",
    )
    result = read_inputs([tmp_path])
    paper, = result.papers
    assert paper.source_format == "hf-daily"
    assert (paper.report_date, paper.publish_date) == (dt.date(2025, 10, 12), dt.date(2025, 10, 9))
    assert paper.topics == ("多模态",)
    assert set(paper.sections) == {"application_area", "abstract"}
    assert [ref.path.rsplit("/", 1)[-1] for ref in paper.sources] == ["list.md", "report.txt"]
    assert paper.alternative_titles == ()
    assert [d.kind for d in result.diagnostics] == ["note"]  # the report lacks four sections
