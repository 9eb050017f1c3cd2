"""How much of a paper's text reached its record: the reading report's coverage figure.

The text of a paper block (the lines from a record's ``source.line`` to its ``end_line``) is
cut into sentences: headings and labels, markup, HTML, links' targets and bare URLs aside; a
JSON Lines record gives the text of its fields. A sentence counts as kept when it appears
(whitespace and markup ignored) in the record's literals: title, sections, notes, authors,
topics. The coverage is the share of sentence characters kept.

>>> from kg.records import PaperRecord, SourceRef
>>> record = PaperRecord("2501.00001", "A title", "x", SourceRef("f", 1), sections={"abstract": "Kept text."},
...                      end_line=3)
>>> paper_coverage(["## A title", "### Abstract", "Kept text. Lost text here."], record)
(9, 22)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from kg.records import PaperRecord
from kg.readers.sections import match_heading

_HTML = re.compile(r"<[^<>]{0,2000}>")
_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\s]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_URL = re.compile(r"<?https?://[^\s)>]{1,2000}>?")
_LINE_MARKUP = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+)?")
#: Sentences end after these; list items (authors, topics) are cut at commas too.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;，,、])|(?<=[.])\s+")
#: Characters ignored when comparing: whitespace and markdown punctuation.
_IGNORED = re.compile(r"[\s*`#>|_~\\]+")
#: A sentence must hold a letter (any script) to count.
_LETTER = re.compile(r"[^\W\d_]")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")


def _fold(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


def _strip_markup(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _URL.sub(" ", line)
    line = _HTML.sub(" ", line)
    return _LINE_MARKUP.sub("", line, count=1)


def _json_texts(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_texts(item)
    elif isinstance(value, str):
        yield value


def _block_texts(lines: Sequence[str]) -> Iterator[str]:
    """The text of a paper block, headings and labels aside, one piece per line or field."""
    if len(lines) == 1 and lines[0].lstrip().startswith("{"):
        try:
            yield from _json_texts(json.loads(lines[0]))
            return
        except (ValueError, RecursionError):
            pass
    for line in lines:
        if line.lstrip().startswith("|"):
            yield from line.split("|")
            continue
        if _RULE.match(line) or line.lstrip().startswith("<"):
            continue
        heading = match_heading(line)
        if heading is not None and heading.key is not None:
            line = heading.rest
        elif heading is not None:
            continue
        yield line


def sentences(lines: Sequence[str]) -> list[str]:
    """The sentences of a paper block (see the module docstring), markup removed."""
    found = []
    for text in _block_texts(lines):
        for sentence in _SENTENCE_END.split(_strip_markup(text)):
            sentence = sentence.strip().rstrip(",，、")
            if len(_fold(sentence)) >= 5 and _LETTER.search(sentence):
                found.append(sentence)
    return found


def record_text(record: PaperRecord) -> str:
    """Every literal a record gives its paper node, as one text."""
    parts = [record.arxiv_id, record.title, *record.alternative_titles, *record.sections.values(),
             *(f"{heading}\n{text}" for heading, text in (*record.other_sections, *record.notes)),
             ", ".join(record.authors), ", ".join(record.topics), record.code_url or ""]
    return "\n".join(_strip_markup(line) for part in parts for line in part.splitlines())


def paper_coverage(lines: Sequence[str], record: PaperRecord) -> tuple[int, int]:
    """(characters of the block's sentences found in the record, characters of all of them)."""
    kept_text = _fold(record_text(record))
    kept = total = 0
    for sentence in sentences(lines):
        size = len(_fold(sentence))
        total += size
        if _fold(sentence) in kept_text:
            kept += size
    return kept, total


def file_coverage(lines: Iterable[tuple[int, str]], records: Sequence[PaperRecord]) -> float:
    """The share of the text of a file's paper blocks kept in its ``records`` (read from it,
    not merged), by characters; 1.0 when the blocks hold no text."""
    spans = sorted((record.source.line, record.end_line or record.source.line, index)
                   for index, record in enumerate(records))
    kept = total = 0
    block: list[str] = []
    numbered = iter(lines)
    current = next(numbered, None)
    for start, end, index in spans:
        block.clear()
        while current is not None and current[0] <= end:
            if current[0] >= start:
                block.append(current[1])
            current = next(numbered, None)
        k, t = paper_coverage(block, records[index])
        kept, total = kept + k, total + t
    return kept / total if total else 1.0
