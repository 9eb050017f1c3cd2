"""Plain data types passed between the stages of a build."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

#: Longest value a diagnostic quotes in full; longer ones keep their start and end.
MESSAGE_VALUE_CHARS = 200
#: Characters escaped in diagnostics, so that one diagnostic is always one terminal line:
#: C0 and C1 controls, line and paragraph separators, bidi overrides and isolates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shorten(text: str, limit: int = MESSAGE_VALUE_CHARS) -> str:
    """``text`` cut to about ``limit`` characters (start and end kept) for a message."""
    if len(text) <= limit:
        return text
    keep = max(1, limit // 2 - 10)
    return f"{text[:keep]}…[{len(text) - 2 * keep:,} characters]…{text[-keep:]}"


def printable(text: str) -> str:
    """``text`` with control and line-breaking characters written as ``\\xNN``/``\\uNNNN``."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)

#: Summary sections, in reading order: key -> Chinese heading used in the digests.
SECTION_HEADINGS: dict[str, str] = {
    "application_area": "应用领域",
    "core_contribution": "一句话核心贡献",
    "usage_guide": "使用指南",
    "innovations": "主要创新点",
    "experimental_results": "实验效果",
    "abstract": "摘要",
    "title": "标题",
}


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where a record came from: a file and a 1-based line number."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in the input, reported to the user as ``path:line: message``."""

    source: SourceRef
    message: str
    #: ``skipped``: the item was dropped; ``repaired``: read with a fix; ``note``: informative.
    kind: str = "skipped"

    def __str__(self) -> str:
        """``path:line: message`` on one line: control characters escaped (a file name may
        hold a newline), and a message of more than 10 short values shortened."""
        return printable(f"{self.source}: {shorten(self.message, 20 * MESSAGE_VALUE_CHARS)}")


@dataclass
class PaperRecord:
    """One paper as read from a digest, before any NLP."""

    arxiv_id: str  # no version suffix, e.g. "2602.05258"
    title: str
    source_format: str  # the reader's layout name, e.g. "hf-daily" (kg.readers.LAYOUTS)
    source: SourceRef
    report_date: dt.date | None = None  # date of the HF report listing the paper
    publish_date: dt.date | None = None  # publish date in the arXiv list
    hf_url: str | None = None
    arxiv_url: str | None = None
    code_url: str | None = None
    topics: tuple[str, ...] = ()
    #: Summary text by section key (see SECTION_HEADINGS), in reading order.
    sections: dict[str, str] = field(default_factory=dict)
    #: Summary text under any other heading, in reading order: (heading as written, text);
    #: the heading is "" for text before a paper's first heading. Read by the NLP pipeline.
    other_sections: tuple[tuple[str, str], ...] = ()
    #: Labelled facts the digest gives about the paper that are not summary text (comments,
    #: keywords, where the digest read it from): (label, value). In the graph, not the NLP.
    notes: tuple[tuple[str, str], ...] = ()
    #: Authors as listed (an "et al." entry kept as written).
    authors: tuple[str, ...] = ()
    #: Other titles seen for the same paper in other inputs (see readers' merge rules).
    alternative_titles: tuple[str, ...] = ()
    #: Every file the paper was read from.
    sources: tuple[SourceRef, ...] = ()
    #: The last line of the record in its file (``source.line`` for a one-line record).
    end_line: int = 0

    @property
    def date(self) -> dt.date | None:
        """The paper's date: the arXiv publish date when known, else the report date."""
        return self.publish_date or self.report_date
