"""Reader of the arXiv daily lists: markdown tables of papers under ``## <topic>`` headings.

Layouts (see ``kg/data/samples/README.md``)::

    ## 多模态
    | Publish Date | Title | Code | Abstract |
    |:---------|:-----------------------|:------|:-------------------------------------------------|
    |**2025-10-09**|[Title](http://arxiv.org/abs/2510.08567)|null|<Chinese abstract>|

    ## SLAM
    |Publish Date|Title|Authors|PDF|Code|
    |---|---|---|---|---|
    |**2024-12-08**|**Title**|Juwon Kim et.al.|[2412.05839](http://arxiv.org/abs/2412.05839)|null|

Columns are found by their header names (``kg/data/table_columns.tsv``), in any order and any
subset; a title is linked, bold or plain; the arXiv id comes from whichever cell holds it.
Without a header the first layout's order is assumed. Each valid row gives one record with the
topic of the heading above it; rows of one paper under several topics are merged later
(:func:`kg.readers.merge.merge_records`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from kg.paths import PACKAGE_DIR
from kg.records import Diagnostic, PaperRecord, SourceRef
from kg.readers.common import LineReader, arxiv_abs_url, bare_arxiv_id, parse_date, read_table
from kg.readers.sections import split_list

NAME = "arxiv-daily"
DESCRIPTION = "arXiv daily list: markdown tables (date, title, authors, PDF, code, abstract) under topic headings"

COLUMNS_FILE = PACKAGE_DIR / "data" / "table_columns.tsv"
#: A table row holding a link to an arXiv paper.
ROW = re.compile(r"^\s*\|.*\]\(\s*<?https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/", re.IGNORECASE)
_TOPIC = re.compile(r"^\s{0,3}#{1,6}\s+(?P<topic>.+?)\s*#*\s*$")
_UPDATED = re.compile(r"^updated\s+on\b", re.IGNORECASE)
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_DATE_CELL = re.compile(r"^\**\s*(?P<date>\d{4}-\d{1,2}-\d{1,2})\s*\**$")
_NO_CODE = {"", "null", "none", "-", "n/a"}
_DEFAULT_ORDER = ("date", "title", "code", "abstract")


@cache
def column_names() -> dict[str, str]:
    """Header text (lower case) -> field, from ``kg/data/table_columns.tsv``."""
    return {header.lower(): field for field, header in read_table(COLUMNS_FILE)}


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [cell.replace("\\|", "|") for cell in _CELL_SPLIT.split(text)]


def _header_fields(cells: list[str]) -> list[str | None]:
    return [column_names().get(cell.strip().strip("*").strip().lower()) for cell in cells]


def _is_header(cells: list[str]) -> bool:
    return "title" in _header_fields(cells)


def decisive(line: str) -> bool:
    """Whether ``line`` marks a list of this layout: a header row with a title column, or a
    row linking to an arXiv paper."""
    stripped = line.strip()
    return stripped.startswith("|") and (_is_header(_cells(stripped)) or bool(ROW.match(line)))


def detect(head: Sequence[str]) -> bool:
    """Whether the first lines of a file are those of a list of this layout."""
    return any(decisive(line) for line in head)


def _unbold(cell: str) -> str:
    cell = cell.strip()
    while len(cell) >= 4 and cell.startswith("**") and cell.endswith("**"):
        cell = cell[2:-2].strip()
    return cell


def split_link(cell: str) -> tuple[str, str | None]:
    """``[text](url)`` -> (text, url); any other cell -> (its text, None). Linear in the cell:
    the link's target is after the last ``](``."""
    cell = _unbold(cell)
    if cell.startswith("[") and cell.endswith(")"):
        middle = cell.rfind("](")
        if middle > 0:
            return _unbold(cell[1:middle]), cell[middle + 2 : -1].strip().strip("<>").strip()
    return cell, None


class Reader(LineReader):
    """Parse one list's lines into one record per valid row, appending problems to ``diagnostics``."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(path, diagnostics)
        self.topic: str | None = None
        self.columns: tuple[str, ...] = _DEFAULT_ORDER

    def papers(self, lines: Iterable[tuple[int, str]]) -> Iterator[PaperRecord]:
        """Yield one record per table row, in file order."""
        for number, line in lines:
            stripped = line.strip()
            if stripped.startswith("|"):
                if _DELIMITER_ROW.match(stripped):
                    continue
                cells = _cells(stripped)
                if _is_header(cells):
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
        fields = _header_fields(cells)
        unknown = [cell.strip() for cell, name in zip(cells, fields) if name is None and cell.strip()]
        if unknown:
            self._report(number, f"table column(s) {', '.join(map(repr, unknown))} not known; kept as notes", "note")
        self.columns = tuple(name or f"note:{cell.strip()}" for cell, name in zip(cells, fields))

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
        publish_date = None
        if "date" in row:
            date_cell = _DATE_CELL.match(row["date"])
            publish_date = parse_date(date_cell["date"]) if date_cell else None
            if publish_date is None:
                self._report(number, f"no valid publish date in the date column ({row['date'][:40]!r}); row skipped")
                return None
        title, title_url = split_link(row.get("title", ""))
        title = " ".join(title.split())
        if not title:
            self._report(number, f"title column is empty ({row.get('title', '')[:60]!r}); row skipped")
            return None
        arxiv_id = self._arxiv_id(title_url, row)
        if arxiv_id is None:
            if title_url:
                self._report(number, f"title link {title_url!r} holds no arXiv id; row skipped")
            else:
                self._report(number, "no cell of the row holds an arXiv id or URL; row skipped")
            return None
        abstract = row.get("abstract", "").strip()
        authors = _unbold(row.get("authors", ""))
        notes = tuple((name[5:], value) for name, value in row.items() if name.startswith("note:") and value)
        return PaperRecord(
            arxiv_id=arxiv_id,
            title=title,
            source_format=NAME,
            source=SourceRef(self.path, number),
            publish_date=publish_date,
            arxiv_url=arxiv_abs_url(arxiv_id),
            code_url=self._code_url(number, row.get("code", "")),
            topics=(self.topic,) if self.topic else (),
            sections={"abstract": abstract} if abstract else {},
            notes=notes,
            authors=split_list(authors) if authors else (),
            sources=(SourceRef(self.path, number),),
            end_line=number,
        )

    @staticmethod
    def _arxiv_id(title_url: str | None, row: dict[str, str]) -> str | None:
        """The id in the title's link, else in the link column, else in any cell linking to arXiv."""
        cells = [cell for cell in row.values() if "arxiv.org/" in cell.lower()]
        for candidate in (title_url or "", row.get("link", ""), *cells):
            if candidate and (found := bare_arxiv_id(candidate)):
                return found
        return None

    def _code_url(self, number: int, cell: str) -> str | None:
        if _unbold(cell).lower() in _NO_CODE:
            return None
        text, url = split_link(cell)
        url = url or (text if text.lower().startswith(("http://", "https://")) and " " not in text else None)
        if url is None:
            self._report(number, f"code column {cell[:60]!r} is neither null nor a link; code link dropped", "repaired")
        return url
