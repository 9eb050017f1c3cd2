"""Reader of the arXiv daily lists: markdown tables of papers under ``## <topic>`` headings.

Layout (see ``kg/data/samples/README.md``)::

    ## 多模态
    | Publish Date | Title | Code | Abstract |
    |:---------|:-----------------------|:------|:-------------------------------------------------|
    |**2025-10-09**|[Title](http://arxiv.org/abs/2510.08567)|null|<Chinese abstract>|
    |**2025-10-09**|[Title](http://arxiv.org/abs/2510.08566v2)|**[link](https://github.com/o/r)**|<abstract>|

Columns are found by their header names, so a list with reordered columns reads the same;
without a header the order above is assumed. Each valid row gives one record with the topic of
the heading above it; rows of one paper under several topics are merged later
(:func:`kg.readers.merge.merge_records`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kg.records import Diagnostic, PaperRecord, SourceRef
from kg.readers.common import ARXIV_DAILY, arxiv_abs_url, arxiv_id_from_url, parse_date

#: A table row whose title cell links to arXiv: what tells this format apart.
ROW = re.compile(r"^\s*\|.*\]\(\s*https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/", re.IGNORECASE)
#: The header row of a list's table.
TABLE_HEADER = re.compile(r"^\s*\|\s*Publish\s+Date\s*\|", re.IGNORECASE)
_TOPIC = re.compile(r"^\s{0,3}#{1,6}\s+(?P<topic>.+?)\s*#*\s*$")
_UPDATED = re.compile(r"^updated\s+on\b", re.IGNORECASE)
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_DATE_CELL = re.compile(r"^\**\s*(?P<date>\d{4}-\d{1,2}-\d{1,2})\s*\**$")
_TITLE_CELL = re.compile(r"^\**\s*\[(?P<title>.+)\]\(\s*(?P<url>[^)\s]+)\s*\)\s*\**$")
_CODE_CELL = re.compile(r"^\**\s*(?:\[[^\]]*\]\(\s*(?P<link>[^)\s]+)\s*\)|(?P<url>https?://\S+))\s*\**$")
_NO_CODE = {"", "null", "none", "-", "n/a"}
#: Column names (lower case) -> field, and the order assumed when a table has no header.
_COLUMNS = {"publish date": "date", "date": "date", "title": "title", "code": "code", "abstract": "abstract"}
_DEFAULT_ORDER = ("date", "title", "code", "abstract")


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [cell.replace("\\|", "|") for cell in _CELL_SPLIT.split(text)]


class ArxivDailyReader:
    """Parse one list's lines into one record per valid row, appending problems to ``diagnostics``."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.topic: str | None = None
        self.columns: tuple[str, ...] = _DEFAULT_ORDER

    def _report(self, line: int, message: str, kind: str = "skipped") -> None:
        self.diagnostics.append(Diagnostic(SourceRef(self.path, line), message, kind))

    def papers(self, lines: Iterable[tuple[int, str]]) -> Iterator[PaperRecord]:
        """Yield one record per table row, in file order."""
        for number, line in lines:
            stripped = line.strip()
            if stripped.startswith("|"):
                if _DELIMITER_ROW.match(stripped):
                    continue
                cells = _cells(stripped)
                if "title" in (cell.strip().lower() for cell in cells):
                    self._header(number, cells)
                    continue
                record = self._row(number, cells)
                if record:
                    yield record
                continue
            topic = _TOPIC.match(line)
            if topic and not _UPDATED.match(topic["topic"]):
                self.topic = topic["topic"]

    def _header(self, number: int, cells: list[str]) -> None:
        names = [_COLUMNS.get(cell.strip().lower()) for cell in cells]
        if set(_DEFAULT_ORDER) <= set(names):
            self.columns = tuple(name or "" for name in names)
        else:
            self._report(number, "table header lacks one of Publish Date, Title, Code, Abstract; assumed that order", "repaired")
            self.columns = _DEFAULT_ORDER

    def _row(self, number: int, cells: list[str]) -> PaperRecord | None:
        expected = len(self.columns)
        if len(cells) < expected:
            self._report(number, f"table row has {len(cells)} cells, expected {expected}; skipped")
            return None
        if len(cells) > expected:
            if self.columns[-1] != "abstract":
                self._report(number, f"table row has {len(cells)} cells, expected {expected}; skipped")
                return None
            self._report(number, "abstract holds unescaped '|'; read as part of the abstract", "repaired")
            cells = cells[: expected - 1] + ["|".join(cells[expected - 1 :])]
        row = dict(zip(self.columns, (cell.strip() for cell in cells)))
        date_cell = _DATE_CELL.match(row["date"])
        publish_date = parse_date(date_cell["date"]) if date_cell else None
        if publish_date is None:
            self._report(number, f"no valid publish date in the date column ({row['date'][:40]!r}); row skipped")
            return None
        title_cell = _TITLE_CELL.match(row["title"])
        if not title_cell or not title_cell["title"].strip():
            self._report(number, f"title column is not a [title](arXiv URL) link ({row['title'][:60]!r}); row skipped")
            return None
        arxiv_id = arxiv_id_from_url(title_cell["url"])
        if arxiv_id is None:
            self._report(number, f"title link {title_cell['url']!r} holds no arXiv id; row skipped")
            return None
        abstract = row["abstract"].strip()
        return PaperRecord(
            arxiv_id=arxiv_id,
            title=" ".join(title_cell["title"].split()),
            source_format=ARXIV_DAILY,
            source=SourceRef(self.path, number),
            publish_date=publish_date,
            arxiv_url=arxiv_abs_url(arxiv_id),
            code_url=self._code_url(number, row["code"]),
            topics=(self.topic,) if self.topic else (),
            sections={"abstract": abstract} if abstract else {},
            sources=(SourceRef(self.path, number),),
        )

    def _code_url(self, number: int, cell: str) -> str | None:
        if cell.strip("* ").lower() in _NO_CODE:
            return None
        match = _CODE_CELL.match(cell)
        if match is None:
            self._report(number, f"code column {cell[:60]!r} is neither null nor a link; code link dropped", "repaired")
            return None
        return match["link"] or match["url"]
