"""Reader of numbered daily digests: one ``## N.`` heading per paper with its arXiv links.

Layout::

    # 20250711
    ## 1. `cs.AI` - <title, often translated> [PDF](https://arxiv.org/pdf/2507.07302), [HTML](https://arxiv.org/abs/2507.07302)
    ### Authors
    <names, comma-separated>
    ### Background
    <text>
    ### Innovation
    <text>
    ### Conclusion
    <text>
    ## 2. ...

The `` `cs.AI` `` category (optional) becomes a topic; a ``# YYYYMMDD`` heading the report
date. A paper's body is read by :class:`kg.readers.sections.BodyReader`, so any heading works.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kg.records import Diagnostic, PaperRecord, SourceRef
from kg.readers.common import LineReader, bare_arxiv_id, parse_any_date
from kg.readers.sections import BodyReader, links

NAME = "numbered-daily"
DESCRIPTION = "numbered daily digest: '## N. `cs.XX` - title [PDF](arXiv URL)' + '### Background' sections"

#: ``## 12. <rest>`` (h2 or h3), the rest holding the title and the paper's links.
_PAPER = re.compile(r"^\s{0,3}#{2,3}\s+(?P<number>\d{1,5})\s*[.、．]\s+(?P<rest>.+?)\s*$")
_TOPIC = re.compile(r"^`(?P<topic>[^`]{1,60})`\s*[-–—:：]?\s*")
_DATE_HEADING = re.compile(r"^\s{0,3}#\s+(?P<date>\d{8}|\d{4}-\d{2}-\d{2})\s*$")


@dataclass(frozen=True)
class _Heading:
    title: str
    topic: str | None
    arxiv_id: str | None


def paper_heading(line: str) -> _Heading | None:
    """The title, topic and arXiv id of a paper heading line that links to arXiv, else None."""
    match = _PAPER.match(line)
    if not match:
        return None
    rest = match["rest"]
    found = links(rest)
    arxiv_ids = [bare_arxiv_id(url) for _, url, _ in found if "arxiv.org/" in url.lower()]
    if not arxiv_ids or not any(arxiv_ids):
        return None
    title = rest[: found[0][2]] if found else rest
    topic = _TOPIC.match(title)
    if topic:
        title = title[topic.end() :]
    if not title.strip(" ,，-–—:：") and found:  # ``## 3. [Title](https://arxiv.org/abs/...)``
        title = found[0][0]
    return _Heading(title.strip().rstrip(",，").strip(), topic["topic"].strip() if topic else None,
                    next(filter(None, arxiv_ids)))


def decisive(line: str) -> bool:
    """Whether ``line`` marks a digest of this layout."""
    return line.lstrip().startswith("##") and paper_heading(line) is not None


def detect(head: Sequence[str]) -> bool:
    """Whether the first lines of a file are those of a digest of this layout."""
    return any(decisive(line) for line in head)


@dataclass
class _Paper:
    heading: _Heading
    line: int
    body: BodyReader


class Reader(LineReader):
    """Parse one digest's lines into papers, appending problems to ``diagnostics``."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(path, diagnostics)
        self.report_date: dt.date | None = None

    def papers(self, lines: Iterable[tuple[int, str]]) -> Iterator[PaperRecord]:
        """Yield the papers of the digest, one per numbered heading, as they are read."""
        paper: _Paper | None = None
        last = 0
        for number, line in lines:
            last = number
            heading = paper_heading(line) if line.lstrip().startswith("#") else None
            if heading:
                if paper:
                    yield from self._finish(paper, number - 1)
                paper = _Paper(heading, number, BodyReader(self._report))
            elif paper is None:
                date = _DATE_HEADING.match(line)
                if date:
                    self.report_date = parse_any_date(date["date"])
            else:
                paper.body.feed(number, line)
        if paper:
            yield from self._finish(paper, last)

    def _finish(self, paper: _Paper, end: int) -> Iterator[PaperRecord]:
        body = paper.body.finish()
        heading = paper.heading
        title = heading.title or (body.titles[0] if body.titles else "")
        if not title:
            self._report(paper.line, f"paper {heading.arxiv_id} without a title; skipped", "skipped")
            return
        yield body.record(heading.arxiv_id, title, NAME, SourceRef(self.path, paper.line), end,
                          topics=(heading.topic,) if heading.topic else (), report_date=self.report_date)
