"""Reader of the Hugging Face Daily Papers reports (and reports written the same way).

Layout (see ``kg/data/samples/README.md``)::

    # Hugging Face Daily Papers Report
    **Date**: 2026-02-07
    ============================================================
    ## 📄 <title>
    - **链接**: https://huggingface.co/papers/2602.05258
    - **阅读来源**: HTML
    [an optional extra title line: "# <title>", "# 论文分析报告：<title>", "### <title> 研究报告"]
    <sections, each starting with a heading line in one of many layouts:
     "### 1. 应用领域", "1. **应用领域**：text", "1. **应用领域**" + text below, "## 1. 应用领域",
     "### 1. **应用领域**", "**1. 应用领域**", "#### 1. 应用领域", "TL;DR: text", "## 💡 一句话要点">
    ============================================================

A paper's body (everything after its link line) is read by :class:`kg.readers.sections.BodyReader`:
the five known sections keep their keys, any other heading keeps its own text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kg.records import SECTION_HEADINGS, Diagnostic, PaperRecord, SourceRef
from kg.readers.common import LineReader, arxiv_id_from_url, parse_date
from kg.readers.sections import HF_SECTIONS, BodyReader

NAME = "hf-daily"
DESCRIPTION = "Hugging Face Daily Papers report: '## 📄 title' blocks with a '- **链接**:' line"

REPORT_HEADER = re.compile(r"^\s*#\s*Hugging\s*Face\s+Daily\s+Papers\s+Report\b", re.IGNORECASE)
#: ``## 📄 <title>``; the icon may have become ``?`` in a legacy encoding (GBK has no emoji).
PAPER_TITLE = re.compile(r"^\s{0,3}##\s*(?:\U0001F4C4\ufe0f?|\?)\s*(?P<title>.*?)\s*$")
LINK = re.compile(r"^\s*[-*]?\s*(?P<bold>\*\*)?(?:链接|论文链接|Link|URL|arXiv|Paper)(?(bold)\*\*)\s*[:：]\s*(?P<url>.*?)\s*$",
                  re.IGNORECASE)
_DATE_LINE = re.compile(r"^\s*(?:\*\*)?(?:Date|日期)(?:\*\*)?\s*[:：]\s*(?P<date>.*?)\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*={3,}\s*$")


def decisive(line: str) -> bool:
    """Whether ``line`` marks a report of this layout."""
    if REPORT_HEADER.match(line) or PAPER_TITLE.match(line):
        return True
    link = LINK.match(line)
    return bool(link and "huggingface.co/papers/" in link["url"])


def detect(head: Sequence[str]) -> bool:
    """Whether the first lines of a file are those of a report of this layout."""
    return any(decisive(line) for line in head)


@dataclass
class _Paper:
    title: str
    line: int
    body: BodyReader
    link: str | None = None
    link_line: int = 0


class Reader(LineReader):
    """Parse one report's lines into papers, appending problems to ``diagnostics``."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(path, diagnostics)
        self.report_date: dt.date | None = None
        self.missing_date_reported = False
        #: Whether the report separates its papers with ``====`` lines (the classic layout).
        self.separated = False

    def papers(self, lines: Iterable[tuple[int, str]]) -> Iterator[PaperRecord]:
        """Yield the papers of the report, one per ``## 📄`` block, as they are read."""
        paper: _Paper | None = None
        last = 0
        for number, line in lines:
            last = number
            title = PAPER_TITLE.match(line)
            if title:
                if paper:
                    yield from self._finish(paper, end=number - 1, closed=False)
                paper = _Paper(title["title"], number, BodyReader(self._report))
            elif paper is None:
                self._outside(number, line)
            elif _SEPARATOR.match(line):
                self.separated = True
                yield from self._finish(paper, end=number, closed=True)
                paper = None
            else:
                self._inside(paper, number, line)
        if paper and self.separated:
            self._report(last, f"file ends inside the paper of line {paper.line} (truncated); kept what was read", "repaired")
        if paper:  # a report without ==== lines ends its last paper at the end of the file
            yield from self._finish(paper, end=last, closed=not self.separated)

    def _outside(self, number: int, line: str) -> None:
        match = _DATE_LINE.match(line)
        if match:
            self.report_date = parse_date(match["date"])
            if self.report_date is None:
                self._report(number, f"unreadable report date {match['date']!r}", "skipped")

    def _inside(self, paper: _Paper, number: int, line: str) -> None:
        if paper.link is None:
            link = LINK.match(line)
            if link:
                paper.link, paper.link_line = link["url"], number
                return
        paper.body.feed(number, line)

    def _finish(self, paper: _Paper, end: int, closed: bool) -> Iterator[PaperRecord]:
        where = f"paper {paper.title!r}" if paper.title else "paper"
        body = paper.body.finish()
        title = paper.title or (body.titles[0] if body.titles else "")
        if not title:
            self._report(paper.line, "paper without a title; skipped", "skipped")
            return
        if paper.link is None:
            self._report(paper.line, f"{where} has no link line (- **链接**: URL); skipped", "skipped")
            return
        arxiv_id = arxiv_id_from_url(paper.link)
        if arxiv_id is None:
            self._report(paper.link_line, f"{where}: link {paper.link!r} holds no arXiv id; skipped", "skipped")
            return
        # A paper of the classic layout (==== lines, one of its five sections, no other text) that
        # lacks some of them has lost text; papers of other reports have other sections.
        classic = any(key in body.sections for key in HF_SECTIONS) and not any(t for _, t in body.other_sections)
        if classic and self.separated:
            missing = [SECTION_HEADINGS[key] for key in HF_SECTIONS if key not in body.sections]
            if missing and closed:
                self._report(paper.line, f"{where} lacks section(s) {', '.join(missing)}", "note")
            elif missing:
                self._report(end, f"{where} lacks section(s) {', '.join(missing)} (cut short)", "repaired")
        if self.report_date is None and not self.missing_date_reported:
            self.missing_date_reported = True
            self._report(paper.line, "no report date (**Date**: YYYY-MM-DD) before this paper", "note")
        hf_url = f"https://huggingface.co/papers/{arxiv_id}" if "huggingface.co/" in paper.link.lower() else None
        yield body.record(arxiv_id, title, NAME, SourceRef(self.path, paper.line), end,
                          report_date=self.report_date, hf_url=hf_url)
