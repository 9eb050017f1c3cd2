"""Reader of JSON Lines digests: one JSON object per line, one paper per object.

Which field holds what is read from ``kg/data/jsonl_fields.tsv`` (a new schema is rows there,
not code); nested objects are addressed by dotted paths (``AI.tldr``). Every text field of a
record is kept: listed ones where the table says, others as sections or notes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from kg.paths import PACKAGE_DIR
from kg.records import SECTION_HEADINGS, PaperRecord, SourceRef
from kg.readers.common import LineReader, arxiv_abs_url, arxiv_category, bare_arxiv_id, parse_any_date, read_table
from kg.readers.sections import first_url, split_list

NAME = "jsonl"
DESCRIPTION = "JSON Lines: one JSON object per paper (fields mapped by kg/data/jsonl_fields.tsv)"

FIELDS_FILE = PACKAGE_DIR / "data" / "jsonl_fields.tsv"
_TARGETS = frozenset({"id", "link", "title", "authors", "topics", "date", "code", "note", "ignore", "other",
                      *SECTION_HEADINGS})
#: Unlisted text fields at least this long are summary text (a section); shorter ones notes.
SECTION_MIN_CHARS = 40


@cache
def field_targets() -> dict[str, str]:
    """Field path -> target, from ``kg/data/jsonl_fields.tsv``."""
    targets = dict(read_table(FIELDS_FILE))
    unknown = set(targets.values()) - _TARGETS
    if unknown:
        raise ValueError(f"{FIELDS_FILE}: unknown target(s) {', '.join(sorted(unknown))}")
    return targets


def _record(line: str) -> dict | None:
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def detect(head: Sequence[str]) -> bool:
    """Whether the first non-blank line is a JSON object naming an arXiv paper."""
    first = next((line for line in head if line.strip()), "")
    record = _record(first)
    return record is not None and _arxiv_id(dict(_flatten(record))) is not None


def _flatten(value: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, dict):
            yield from _flatten(item, f"{path}.")
        else:
            yield path, item


def _text(value: object) -> str:
    """A field's value as text: lists joined with commas, scalars as written, null as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_items(value)) if _items(value) else ", ".join(_text(i) for i in value if i is not None)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _items(values: list) -> list[str]:
    """The names of a list field: strings, or objects with a ``name`` (``{"name": "Ann Lee"}``)."""
    names = (item.get("name") if isinstance(item, dict) else item for item in values)
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]


def _arxiv_id(fields: dict[str, object]) -> str | None:
    targets = field_targets()
    for wanted in ("id", "link"):
        for path, value in fields.items():
            if targets.get(path) == wanted and isinstance(value, str) and (found := bare_arxiv_id(value)):
                return found
    return None


class Reader(LineReader):
    """Parse one JSON Lines file into papers, appending problems to ``diagnostics``."""

    def papers(self, lines: Iterable[tuple[int, str]]) -> Iterator[PaperRecord]:
        """Yield one record per line holding a JSON object with an arXiv id."""
        for number, line in lines:
            if not line.strip():
                continue
            record = _record(line)
            if record is None:
                self._report(number, "not a JSON object; line skipped")
                continue
            paper = self._paper(number, dict(_flatten(record)))
            if paper:
                yield paper

    def _paper(self, number: int, fields: dict[str, object]) -> PaperRecord | None:
        arxiv_id = _arxiv_id(fields)
        if arxiv_id is None:
            self._report(number, "record has no arXiv id (no id field, no arXiv URL); skipped")
            return None
        targets = field_targets()
        rank = {path: index for index, path in enumerate(targets)}
        titles: list[tuple[int, str]] = []
        authors: list[str] = []
        topics: list[str] = []
        sections: dict[str, str] = {}
        other: list[tuple[str, str]] = []
        notes: list[tuple[str, str]] = []
        date = code_url = None
        for path, value in fields.items():
            target = targets.get(path)
            text = _text(value).strip()
            if not text or target in ("id", "link", "ignore"):
                continue
            if target == "title":
                titles.append((rank[path], " ".join(text.split())))
            elif target == "authors":
                authors.extend(_items(value) if isinstance(value, list) else split_list(text))
            elif target == "topics":
                items = _items(value) if isinstance(value, list) else text.split(";")
                codes = [arxiv_category(t) for t in items if t.strip()]
                topics.extend(codes)
                if any(code != item.strip() for code, item in zip(codes, items)):
                    notes.append((path, text))  # the categories' names, kept beside their codes
            elif target == "date" and date is None and parse_any_date(text):
                date = parse_any_date(text)
                if text != date.isoformat():  # a time of day, another format: kept as written
                    notes.append((path, text))
            elif target == "code" and code_url is None and first_url(text):
                code_url = first_url(text)
            elif target in SECTION_HEADINGS and target != "title" and target not in sections:
                sections[target] = text
            elif target == "other" or (target is None and len(text) >= SECTION_MIN_CHARS):
                other.append((path, text))
            else:
                notes.append((path, text))
        if not titles:
            self._report(number, f"record {arxiv_id} has no title; skipped")
            return None
        title, *others = (text for _, text in sorted(titles))
        return PaperRecord(
            arxiv_id=arxiv_id,
            title=title,
            source_format=NAME,
            source=SourceRef(self.path, number),
            publish_date=date,
            arxiv_url=arxiv_abs_url(arxiv_id),
            code_url=code_url,
            topics=tuple(dict.fromkeys(topics)),
            sections={key: sections[key] for key in SECTION_HEADINGS if key in sections},
            other_sections=tuple(other),
            notes=tuple(notes),
            authors=tuple(authors),
            alternative_titles=tuple(dict.fromkeys(t for t in others if t != title)),
            sources=(SourceRef(self.path, number),),
            end_line=number,
        )
