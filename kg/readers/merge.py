"""One record per arXiv id: merging the records of a paper read from several places.

Rules, for the records of one id in input order:

* the *newest* record wins: the later :attr:`PaperRecord.date` (publish date, else report
  date; unknown dates are oldest), ties going to the record read later;
* the winner's fields are kept; fields it lacks (dates, URLs, sections, authors) are filled
  from the others, newest first; a section the others give another text of is kept as an other
  section under its heading, as are their other sections and notes (nothing read is lost);
* topics are unioned and sources concatenated, both in reading order;
* titles that differ from the winner's (beyond spacing) go to ``alternative_titles`` and each
  is reported with both places.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from kg.records import SECTION_HEADINGS, Diagnostic, PaperRecord

_FILLED = ("report_date", "publish_date", "hf_url", "arxiv_url", "code_url")


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _newest_first(records: list[PaperRecord]) -> list[PaperRecord]:
    order = sorted(range(len(records)), key=lambda i: (records[i].date or dt.date.min, i), reverse=True)
    return [records[i] for i in order]


def merge_paper(records: list[PaperRecord], diagnostics: list[Diagnostic]) -> PaperRecord:
    """Merge the records of one paper (same arXiv id, in reading order) into one."""
    if len(records) == 1:
        return records[0]
    ranked = _newest_first(records)
    winner = ranked[0]
    fields: dict[str, object] = {name: getattr(winner, name) for name in _FILLED}
    sections: dict[str, str] = {}
    others: dict[tuple[str, str], None] = {}
    for record in ranked:
        for name in _FILLED:
            if fields[name] is None:
                fields[name] = getattr(record, name)
        for key, text in record.sections.items():
            if sections.setdefault(key, text) != text:  # another digest's text of the section: kept
                others.setdefault((SECTION_HEADINGS[key], text))
        for section in record.other_sections:
            others.setdefault(section)
    authors = next((record.authors for record in ranked if record.authors), ())
    alternatives: list[str] = []
    for record in records:
        for title in (record.title, *record.alternative_titles):
            if not _same_title(title, winner.title) and not any(_same_title(title, t) for t in alternatives):
                alternatives.append(title)
                diagnostics.append(
                    Diagnostic(
                        record.source,
                        f"paper {winner.arxiv_id}: title {title!r} differs from {winner.title!r} at "
                        f"{winner.source} (newer); kept as an alternative title",
                        "repaired",
                    )
                )
    return dataclasses.replace(
        winner,
        **fields,
        topics=tuple(dict.fromkeys(topic for record in records for topic in record.topics)),
        sections={key: sections[key] for key in SECTION_HEADINGS if key in sections},
        other_sections=tuple(others),
        notes=tuple(dict.fromkeys(_notes(ranked, authors))),
        authors=authors,
        alternative_titles=tuple(alternatives),
        sources=tuple(dict.fromkeys(ref for record in records for ref in (record.sources or (record.source,)))),
    )


def _notes(ranked: list[PaperRecord], authors: tuple[str, ...]):
    """The notes of all records, and the author lists that differ from the one kept."""
    for record in ranked:
        yield from record.notes
        if record.authors and record.authors != authors:
            yield "authors", ", ".join(record.authors)


def merge_records(records: Iterable[PaperRecord], diagnostics: list[Diagnostic]) -> list[PaperRecord]:
    """One record per arXiv id, sorted by id (see the module docstring for the rules)."""
    by_id: dict[str, list[PaperRecord]] = {}
    for record in records:
        by_id.setdefault(record.arxiv_id, []).append(record)
    return [merge_paper(by_id[arxiv_id], diagnostics) for arxiv_id in sorted(by_id)]
