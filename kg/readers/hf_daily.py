"""Reader of the Hugging Face Daily Papers reports.

Layout (see ``kg/data/samples/README.md``)::

    # Hugging Face Daily Papers Report
    **Date**: 2026-02-07
    ============================================================
    ## 📄 <title>
    - **链接**: https://huggingface.co/papers/2602.05258
    - **阅读来源**: HTML
    [an optional extra title line: "# <title>", "# 论文分析报告：<title>", "### <title> 研究报告"]
    <five sections, each starting with a heading line in one of many layouts:
     "### 1. 应用领域", "1. **应用领域**：text", "1. **应用领域**" + text below, "## 1. 应用领域",
     "### 1. **应用领域**", "**1. 应用领域**", "#### 1. 应用领域">
    ============================================================

Only the known section headings (``kg/data/section_headings.tsv``) start a section; numbered
list items inside a section (``1.  **高效的...**：``) are section text.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from kg.paths import PACKAGE_DIR
from kg.records import SECTION_HEADINGS, Diagnostic, PaperRecord, SourceRef
from kg.readers.common import HF_DAILY, arxiv_abs_url, arxiv_id_from_url, parse_date

HEADINGS_FILE = PACKAGE_DIR / "data" / "section_headings.tsv"

REPORT_HEADER = re.compile(r"^\s*#\s*Hugging\s*Face\s+Daily\s+Papers\s+Report\b", re.IGNORECASE)
#: ``## 📄 <title>``; the icon may have become ``?`` in a legacy encoding (GBK has no emoji).
PAPER_TITLE = re.compile(r"^\s{0,3}##\s*(?:\U0001F4C4\ufe0f?|\?)\s*(?P<title>.*?)\s*$")
LINK = re.compile(r"^\s*[-*]?\s*\*\*(?:链接|Link|URL)\*\*\s*[:：]\s*(?P<url>.*?)\s*$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\s*\*\*Date\*\*\s*[:：]\s*(?P<date>.*?)\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*={3,}\s*$")
#: First characters a heading line can start with (after indentation): markdown or a number.
_HEADING_STARTS = frozenset("#*0123456789")


@cache
def section_aliases() -> dict[str, str]:
    """Heading text (case-folded) -> section key, from ``kg/data/section_headings.tsv``.

    The keys, in file order, are the summary sections of a paper (:func:`summary_sections`).
    """
    aliases: dict[str, str] = {}
    for line in HEADINGS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, heading = line.split("\t")
            if key not in SECTION_HEADINGS:
                raise ValueError(f"{HEADINGS_FILE}: unknown section key {key!r}")
            aliases[heading.strip().casefold()] = key
    return aliases


def summary_sections() -> tuple[str, ...]:
    """The keys of the sections every paper of a report should have, in reading order."""
    return tuple(dict.fromkeys(section_aliases().values()))


#: Markdown around a possible heading name: ``#``s, ``**``, a ``1.`` number, a colon, then text.
_HEADING = re.compile(
    r"^\s{0,3}(?P<hashes>#{1,6})?\s*(?P<bold>\*\*)?\s*(?:(?P<number>\d{1,2})\s*[.、．)]\s*)?"
    r"(?P<bold2>\*\*)?\s*(?P<name>[^*:：]{1,40})(?P<colon>[:：])?\s*(?:\*\*)?\s*(?P<colon2>[:：])?\s*(?P<rest>.*)$"
)


def match_heading(line: str) -> tuple[str, str] | None:
    """``(section key, text after the heading)`` when ``line`` is a section heading, else None.

    A heading needs markdown around the known name (``#``, ``**`` or a ``1.`` number), and
    text on the same line only after a colon (``1. **应用领域**：NLP``).
    """
    start = line.lstrip()[:2]
    if not start or start[0] not in _HEADING_STARTS or start in ("* ", "*\t"):
        return None  # fast path for text and bullet lines
    match = _HEADING.match(line)
    if not match or not (match["hashes"] or match["bold"] or match["bold2"] or match["number"]):
        return None
    key = section_aliases().get(match["name"].strip().casefold())
    rest = match["rest"].strip()
    if key is None or (rest and not (match["colon"] or match["colon2"])):
        return None
    return key, rest


@dataclass
class _Paper:
    title: str
    line: int
    link: str | None = None
    link_line: int = 0
    sections: dict[str, list[str]] = field(default_factory=dict)
    current: str | None = None


class HFDailyReader:
    """Parse one report's lines into papers, appending problems to ``diagnostics``."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.report_date: dt.date | None = None
        self.missing_date_reported = False

    def _report(self, line: int, message: str, kind: str) -> None:
        self.diagnostics.append(Diagnostic(SourceRef(self.path, line), message, kind))

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
                paper = _Paper(title["title"], number)
            elif paper is None:
                self._outside(number, line)
            elif _SEPARATOR.match(line):
                yield from self._finish(paper, end=number, closed=True)
                paper = None
            else:
                self._inside(paper, number, line)
        if paper:
            self._report(last, f"file ends inside the paper of line {paper.line} (truncated); kept what was read", "repaired")
            yield from self._finish(paper, end=last, closed=False)

    def _outside(self, number: int, line: str) -> None:
        match = _DATE_LINE.match(line)
        if match:
            self.report_date = parse_date(match["date"])
            if self.report_date is None:
                self._report(number, f"unreadable report date {match['date']!r}", "skipped")

    def _inside(self, paper: _Paper, number: int, line: str) -> None:
        heading = match_heading(line)
        if heading:
            key, rest = heading
            if key in paper.sections:
                self._report(number, f"section {SECTION_HEADINGS[key]} repeated; texts joined", "repaired")
                paper.sections[key].append("")
            else:
                paper.sections[key] = []
            paper.current = key
            if rest:
                paper.sections[key].append(rest)
            return
        if paper.current:
            paper.sections[paper.current].append(line)
            return
        link = LINK.match(line)
        if link and paper.link is None:
            paper.link, paper.link_line = link["url"], number

    def _finish(self, paper: _Paper, end: int, closed: bool) -> Iterator[PaperRecord]:
        where = f"paper {paper.title!r}" if paper.title else "paper"
        if not paper.title:
            self._report(paper.line, "paper without a title; skipped", "skipped")
            return
        if paper.link is None:
            self._report(paper.line, f"{where} has no link line (- **链接**: URL); skipped", "skipped")
            return
        arxiv_id = arxiv_id_from_url(paper.link)
        if arxiv_id is None:
            self._report(paper.link_line, f"{where}: link {paper.link!r} holds no arXiv id; skipped", "skipped")
            return
        sections = {}
        for key in summary_sections():
            text = textwrap.dedent("\n".join(paper.sections.get(key, ()))).strip()
            if text:
                sections[key] = text
        missing = [SECTION_HEADINGS[key] for key in summary_sections() if key not in sections]
        if missing and closed:
            self._report(paper.line, f"{where} lacks section(s) {', '.join(missing)}", "note")
        elif missing:
            self._report(end, f"{where} lacks section(s) {', '.join(missing)} (cut short)", "repaired")
        if self.report_date is None and not self.missing_date_reported:
            self.missing_date_reported = True
            self._report(paper.line, "no report date (**Date**: YYYY-MM-DD) before this paper", "note")
        yield PaperRecord(
            arxiv_id=arxiv_id,
            title=paper.title,
            source_format=HF_DAILY,
            source=SourceRef(self.path, paper.line),
            report_date=self.report_date,
            hf_url=f"https://huggingface.co/papers/{arxiv_id}" if "huggingface.co/" in paper.link.lower() else None,
            arxiv_url=arxiv_abs_url(arxiv_id),
            sections=sections,
            sources=(SourceRef(self.path, paper.line),),
        )
