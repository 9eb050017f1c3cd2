"""One test per layout variation of the real digests, each on an excerpt of a bundled sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.paths import SAMPLES_DIR
from kg.readers import read_file
from kg.readers.sections import HF_SECTIONS, match_heading
from kg.records import PaperRecord

HF_0207 = SAMPLES_DIR / "000_366ed5b06f03b68f.txt"
HF_0227 = SAMPLES_DIR / "001_f2c9cab62c1c09ae.txt"
HF_1225 = SAMPLES_DIR / "003_c04f0ada7c0ebb3a.txt"
ARXIV = SAMPLES_DIR / "004_32277511330300ba.txt"


def hf_excerpt(sample: Path, arxiv_id: str) -> str:
    """The report header and the one paper block (``## 📄`` .. ``====``) of ``arxiv_id``."""
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    link = next(i for i, line in enumerate(lines) if f"huggingface.co/papers/{arxiv_id}" in line)
    start = max(i for i in range(link) if lines[i].startswith("## 📄"))
    end = next(i for i in range(link, len(lines)) if lines[i].startswith("===="))
    return "".join(lines[:5] + lines[start : end + 1])


def read_one(tmp_path: Path, text: str) -> PaperRecord:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    papers, diagnostics, info = read_file(path)
    assert len(papers) == 1, diagnostics
    assert diagnostics == []
    assert info.papers == 1
    return papers[0]


def read_hf(tmp_path: Path, sample: Path, arxiv_id: str) -> PaperRecord:
    paper = read_one(tmp_path, hf_excerpt(sample, arxiv_id))
    assert paper.arxiv_id == arxiv_id
    assert paper.source_format == "hf-daily"
    assert paper.hf_url == f"https://huggingface.co/papers/{arxiv_id}"
    assert paper.arxiv_url == f"https://arxiv.org/abs/{arxiv_id}"
    assert list(paper.sections) == list(HF_SECTIONS)
    assert all(paper.sections.values())
    for text in paper.sections.values():
        assert "📄" not in text and "链接" not in text and "====" not in text
        assert match_heading(text.splitlines()[0]) is None
    return paper


def test_inline_bold_heading_with_text_after_colon(tmp_path):
    """``1. **应用领域**：text`` keeps the text after the colon, not the heading."""
    paper = read_hf(tmp_path, HF_0207, "2602.05258")
    assert paper.title == "CoPE: Clipped RoPE as A Scalable Free Lunch for Long Context LLMs"
    assert paper.report_date == dt.date(2026, 2, 7)
    assert paper.sections["application_area"] == "NLP-大语言模型（长文本上下文扩展 / 位置编码优化）"
    assert paper.sections["core_contribution"].startswith("提出了一种名为 CoPE 的极简方法")
    assert paper.sections["usage_guide"].startswith("*   **输入**：大语言模型注意力机制中的 Query 和 Key 向量。")


def test_bold_heading_with_empty_colon_and_text_below(tmp_path):
    """``1. **应用领域**：`` then the text on the next lines."""
    paper = read_hf(tmp_path, HF_0207, "2601.21037")
    assert paper.sections["application_area"] == (
        "计算机视觉-视频生成、多模态视觉推理（Visual Reasoning）、具身智能规划（Embodied Planning）。"
    )
    assert paper.sections["experimental_results"].startswith("在两个截然不同的视觉推理任务集上进行了评估：")


def test_h3_numbered_heading(tmp_path):
    """``### 1. 应用领域`` with the text on the next line."""
    paper = read_hf(tmp_path, HF_0207, "2602.02393")
    assert paper.sections["application_area"].startswith("计算机视觉-视频生成 (Video Generation)")
    assert paper.sections["core_contribution"].startswith("提出了一种无需显式相机姿态的交互式世界模型")


def test_numbered_list_items_inside_a_section_are_not_headings(tmp_path):
    """``1.  **分层无姿态记忆压缩器 (HPMC)**：`` inside 主要创新点 stays section text."""
    paper = read_hf(tmp_path, HF_0207, "2602.02393")
    innovations = paper.sections["innovations"]
    assert innovations.startswith("1.  **分层无姿态记忆压缩器 (HPMC)**：")
    assert "2.  **不确定性感知动作标记 (UAL)**" in innovations
    assert "3.  **密集重访微调策略 (Revisit-Dense Finetuning)**" in innovations
    assert match_heading("1.  **分层无姿态记忆压缩器 (HPMC)**：设计了一种") is None


def test_extra_h1_title_and_indented_text_below_bold_heading(tmp_path):
    """An extra ``# <title>`` line, then ``1. **应用领域**`` with indented text below it."""
    paper = read_hf(tmp_path, HF_0207, "2602.02159")
    assert paper.title.startswith("Focus-dLLM: Accelerating Long-Context Diffusion LLM Inference")
    assert paper.sections["application_area"] == "NLP - 扩散大语言模型（Diffusion LLMs）推理加速 / 长文本生成"
    assert paper.sections["usage_guide"].startswith("*   **输入**：长文本提示词")
    assert all("# Focus-dLLM" not in text for text in paper.sections.values())


def test_extra_report_title_line_and_arxiv_abs_source(tmp_path):
    """``# 论文分析报告：<title>`` before the sections; 阅读来源 ``ArXiv Abs`` instead of HTML."""
    excerpt = hf_excerpt(HF_0207, "2602.04210")
    assert "- **阅读来源**: ArXiv Abs" in excerpt and "# 论文分析报告：" in excerpt
    paper = read_hf(tmp_path, HF_0207, "2602.04210")
    assert paper.title == "Steering LLMs via Scalable Interactive Oversight"
    assert paper.sections["application_area"].startswith("**NLP-大模型对齐与监督 (LLM Alignment & Oversight)**")
    assert all("论文分析报告" not in text for text in paper.sections.values())


def test_h2_numbered_heading_after_reading_report_title(tmp_path):
    """``## 1. 应用领域`` (h2, the level of the ``## 📄`` title line) after ``# 论文阅读报告：``."""
    paper = read_hf(tmp_path, HF_1225, "2512.20144")
    assert paper.title == "Multi-hop Reasoning via Early Knowledge Alignment"
    assert paper.report_date == dt.date(2025, 12, 25)
    assert paper.sections["application_area"].startswith("**自然语言处理 (NLP)**")


def test_h3_heading_with_bold_name(tmp_path):
    """``### 1. **应用领域**``."""
    excerpt = hf_excerpt(HF_0207, "2602.05551")
    assert "### 1. **应用领域**" in excerpt
    paper = read_hf(tmp_path, HF_0207, "2602.05551")
    assert paper.title == "FastVMT: Eliminating Redundancy in Video Motion Transfer"


def test_bold_wrapped_number_and_name(tmp_path):
    """``**1. 应用领域**`` (the number inside the bold) and numbered items under 主要创新点."""
    excerpt = hf_excerpt(HF_0207, "2602.05547")
    assert "**1. 应用领域**\n" in excerpt
    paper = read_hf(tmp_path, HF_0207, "2602.05547")
    assert paper.sections["application_area"].startswith("NLP - 大模型强化学习后训练")
    assert paper.sections["innovations"].startswith("1.  **基于改进量的动态任务重加权机制")


def test_h4_heading_after_h3_report_title(tmp_path):
    """``### veScale-FSDP 论文阅读报告`` then ``#### 1. 应用领域``."""
    excerpt = hf_excerpt(HF_0227, "2602.22437")
    assert "#### 1. 应用领域" in excerpt and "### veScale-FSDP 论文阅读报告" in excerpt
    paper = read_hf(tmp_path, HF_0227, "2602.22437")
    assert paper.report_date == dt.date(2026, 2, 27)
    assert paper.sections["application_area"].startswith("**NLP-大语言模型分布式训练 / 系统优化**")
    assert all("论文阅读报告" not in text for text in paper.sections.values())


def test_h3_repeated_title_before_bold_headings(tmp_path):
    """``### <title>`` repeating the paper title, then ``1. **应用领域**`` with indented text."""
    paper = read_hf(tmp_path, HF_0207, "2602.02474")
    assert paper.title == "MemSkill: Learning and Evolving Memory Skills for Self-Evolving Agents"
    assert paper.sections["application_area"].startswith("NLP - 大语言模型智能体 (LLM Agents)")
    assert not paper.sections["application_area"].startswith("###")


def test_report_of_several_papers_shares_the_date(tmp_path):
    """Papers between ``====`` separators, each dated by the report's ``**Date**``."""
    text = hf_excerpt(HF_0207, "2602.05258") + "\n" + "".join(hf_excerpt(HF_0207, "2601.21037").splitlines(True)[5:])
    path = tmp_path / "two.txt"
    path.write_text(text, encoding="utf-8")
    papers, diagnostics, info = read_file(path)
    assert diagnostics == []
    assert [p.arxiv_id for p in papers] == ["2601.21037", "2602.05258"]
    assert {p.report_date for p in papers} == {dt.date(2026, 2, 7)}
    assert info.format == "hf-daily" and info.papers == 2


ARXIV_HEAD = "---\nlayout: default\n---\n\n## Updated on 2025.10.11\n\n"
TABLE_HEAD = "| Publish Date | Title | Code | Abstract |\n|:---------|:-----------------------|:------|:----|\n"


def arxiv_rows(arxiv_id: str) -> list[tuple[str, str]]:
    """(topic, row line) of every row of ``arxiv_id`` in the real arXiv list."""
    topic, rows = "", []
    for line in ARXIV.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            topic = line[3:].strip()
        elif f"arxiv.org/abs/{arxiv_id})" in line:
            rows.append((topic, line))
    return rows


def test_arxiv_row_without_code(tmp_path):
    """``|**date**|[title](http://arxiv.org/abs/id)|null|abstract|``."""
    (topic, row), = arxiv_rows("2510.08567")
    paper = read_one(tmp_path, f"{ARXIV_HEAD}## {topic}\n\n{TABLE_HEAD}{row}\n")
    assert paper.title == "MATRIX: Multimodal Agent Tuning for Robust Tool-Use Reasoning"
    assert paper.publish_date == dt.date(2025, 10, 9) and paper.date == dt.date(2025, 10, 9)
    assert paper.arxiv_url == "https://arxiv.org/abs/2510.08567"
    assert paper.code_url is None and paper.hf_url is None
    assert paper.topics == ("多模态",)
    assert paper.sections["abstract"].startswith("视觉语言模型（VLMs）正越来越多地被部署为控制器")
    assert paper.source_format == "arxiv-daily"


def test_arxiv_row_with_code_link_and_versioned_url(tmp_path):
    """``**[link](https://github.com/...)**`` code cell; ``.../abs/<id>v2`` loses its version."""
    (topic, row), = arxiv_rows("2509.15124")
    row = row.replace("abs/2509.15124)", "abs/2509.15124v2)")
    paper = read_one(tmp_path, f"{ARXIV_HEAD}## {topic}\n\n{TABLE_HEAD}{row}\n")
    assert paper.arxiv_id == "2509.15124"
    assert paper.arxiv_url == "https://arxiv.org/abs/2509.15124"
    assert paper.code_url is not None and paper.code_url.startswith("https://github.com/sanpinna")


def test_arxiv_paper_under_several_topics_is_one_record(tmp_path):
    """A paper listed under two topic tables: one record, topics in order of appearance."""
    rows = arxiv_rows("2509.15076") or pytest.fail("sample changed")
    assert len(rows) >= 2
    text = ARXIV_HEAD + "".join(f"## {topic}\n\n{TABLE_HEAD}{row}\n\n" for topic, row in rows)
    paper = read_one(tmp_path, text)
    assert paper.topics == tuple(dict.fromkeys(topic for topic, _ in rows))
    assert [ref.line for ref in paper.sources] == [line for line, text_line in enumerate(text.splitlines(), 1) if "2509.15076" in text_line]
