"""The body of one paper block: headings, labels and text -> sections and fields.

Every layout whose papers are blocks of markdown (Hugging Face reports, numbered daily digests,
one page per paper) hands the lines of a paper's body to a :class:`BodyReader`. A line starts
a section when it is

* a heading or label listed in ``kg/data/section_headings.tsv`` (in any markdown form:
  ``### 1. 应用领域``, ``1. **应用领域**：text``, ``**作者**: names``, ``TL;DR: text``), or
* any other ``#`` heading, which keeps its own heading text.

Text before the first heading is kept as a section without a heading. What a heading's key
says decides where its text goes: a summary section, a title, authors, topics, a date, a code
link or a note (see the table's header). Nothing in the body is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from kg.paths import PACKAGE_DIR
from kg.records import SECTION_HEADINGS, PaperRecord, SourceRef
from kg.readers.common import arxiv_abs_url, arxiv_category, parse_date, read_table

HEADINGS_FILE = PACKAGE_DIR / "data" / "section_headings.tsv"
#: Keys of the table that are not summary sections (see the table's header).
FIELD_KEYS = frozenset({"title", "authors", "topics", "date", "code", "note", "other"})
#: The sections of a Hugging Face report's paper, in reading order.
HF_SECTIONS = ("application_area", "core_contribution", "usage_guide", "innovations", "experimental_results")

#: Markdown around a possible heading name: ``#``s, ``**``, a ``1.`` number, a colon, then text.
_HEADING = re.compile(
    r"^\s{0,3}(?:[-*+]\s+)?(?P<hashes>#{1,6})?\s*(?P<bold>\*\*)?\s*(?:(?P<number>\d{1,2})\s*[.、．)]\s*)?"
    r"(?P<bold2>\*\*)?\s*(?P<name>[^*:：\n]{1,40})\s*(?P<colon>[:：])?\s*(?:\*\*)?\s*(?P<colon2>[:：])?\s*(?P<rest>.*)$"
)
_ATX = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_LINK = re.compile(r"\[(?P<text>[^\]\n]{0,500})\]\(\s*<?(?P<url>[^)\s>]{1,2000})>?\s*\)")
_URL = re.compile(r"https?://[^\s)\]>\"']{1,2000}")
#: Characters that decorate a heading without being part of its name (emoji, symbols).
_DECORATION = frozenset({"So", "Sk", "Mn", "Cf", "Zs"})


def _bare(name: str) -> str:
    """A heading name without decoration, markdown emphasis and full-width forms, case-folded."""
    name = unicodedata.normalize("NFKC", name).replace("*", "").replace("`", "").strip()
    start = 0
    while start < len(name) and unicodedata.category(name[start]) in _DECORATION:
        start += 1
    return name[start:].strip().casefold()


@cache
def heading_keys() -> dict[str, str]:
    """Heading text (bare, see ``_bare``) -> key, from ``kg/data/section_headings.tsv``."""
    keys: dict[str, str] = {}
    for key, heading in read_table(HEADINGS_FILE):
        if key not in SECTION_HEADINGS and key not in FIELD_KEYS:
            raise ValueError(f"{HEADINGS_FILE}: unknown key {key!r}")
        keys.setdefault(_bare(heading), key)
    return keys


@dataclass(frozen=True)
class Heading:
    """A line that starts a section: its key (None for an unlisted ``#`` heading), the heading
    text as written (markdown removed), text on the same line after a colon, and whether it is
    a ``#`` heading (not a label)."""

    key: str | None
    text: str
    rest: str
    atx: bool = False
    numbered: bool = False

    @property
    def strong(self) -> bool:
        """A ``#`` or numbered heading: labels below it belong to its text."""
        return self.atx or self.numbered


def match_heading(line: str) -> Heading | None:
    """The heading ``line`` starts, else None.

    A listed heading needs markdown around it (``#``, ``**``, a ``1.`` number or a list dash)
    or a colon after it; text on the same line only after a colon. Any ``#`` heading counts.
    """
    stripped = line.lstrip()
    if not stripped:
        return None
    match = _HEADING.match(line)
    if match:
        key = heading_keys().get(_bare(match["name"]))
        marked = match["hashes"] or match["bold"] or match["bold2"] or match["number"] or stripped[0] in "-*+"
        colon = match["colon"] or match["colon2"]
        rest = match["rest"].strip()
        if key is not None and (marked or colon) and (not rest or colon):
            return Heading(key, match["name"].strip(), rest, bool(match["hashes"]), bool(match["number"]))
    atx = _ATX.match(line)
    if atx and atx["text"]:
        text = atx["text"].replace("**", "").strip()
        return Heading(heading_keys().get(_bare(text)), text, "", True)
    return None


def split_list(text: str) -> tuple[str, ...]:
    """Names of a comma-separated list (``A, B,C``; Chinese commas too), in order."""
    return tuple(part.strip() for part in re.split(r"[,，、;；]", text) if part.strip())


def links(text: str) -> list[tuple[str, str, int]]:
    """The markdown links of ``text``: (link text, target, offset), in order."""
    return [(match["text"], match["url"], match.start()) for match in _LINK.finditer(text)]


def first_url(text: str) -> str | None:
    """The first link target (``[x](url)``) or bare URL in ``text``."""
    link = _LINK.search(text)
    if link:
        return link["url"]
    url = _URL.search(text)
    return url.group(0) if url else None


@dataclass
class Body:
    """What a paper's body held."""

    sections: dict[str, str] = field(default_factory=dict)
    other_sections: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    date: dt.date | None = None
    code_url: str | None = None

    def record(self, arxiv_id: str, title: str, layout: str, source: SourceRef, end_line: int,
               topics: tuple[str, ...] = (), **fields) -> PaperRecord:
        """The paper record of this body; ``topics`` come before the body's own, ``fields``
        (dates, URLs) are the record's other fields."""
        return PaperRecord(
            arxiv_id=arxiv_id,
            title=title,
            source_format=layout,
            source=source,
            publish_date=fields.pop("publish_date", None) or self.date,
            arxiv_url=arxiv_abs_url(arxiv_id),
            code_url=self.code_url,
            topics=tuple(dict.fromkeys(arxiv_category(topic) for topic in (*topics, *self.topics))),
            sections=self.sections,
            other_sections=tuple(self.other_sections),
            notes=tuple(self.notes),
            authors=self.authors,
            alternative_titles=tuple(dict.fromkeys(t for t in (*self.titles, *fields.pop("titles", ())) if t != title)),
            sources=(source,),
            end_line=end_line,
            **fields,
        )


@dataclass
class _Open:
    key: str | None  # None: an unlisted heading; "" for text before the first heading
    heading: str
    line: int
    strong: bool = False
    lines: list[str] = field(default_factory=list)


class BodyReader:
    """Collects the lines of one paper's body into a :class:`Body`.

    ``report(line, message, kind)`` receives problems (a repeated section).
    """

    def __init__(self, report: Callable[[int, str, str], None]) -> None:
        self.report = report
        self.body = Body()
        self.open: _Open | None = None

    def feed(self, number: int, line: str) -> None:
        """One line of the body."""
        heading = match_heading(line)
        if heading is not None and not heading.strong and heading.key in FIELD_KEYS and self._in_strong_summary():
            heading = None  # a label inside a summary section under a heading (``**结论**：``) is its text
        if heading is not None:
            self._close()
            self.open = _Open(heading.key, heading.text, number, heading.strong)
            if heading.rest:
                self.open.lines.append(heading.rest)
            return
        if self.open is None:
            if not line.strip():
                return
            self.open = _Open("", "", number)
        self.open.lines.append(line)

    def _in_strong_summary(self) -> bool:
        section = self.open
        return section is not None and section.strong and section.key in SECTION_HEADINGS and section.key != "title"

    def finish(self) -> Body:
        """The body read (summary sections in :data:`SECTION_HEADINGS` order); the reader is spent."""
        self._close()
        sections = self.body.sections
        self.body.sections = {key: sections[key] for key in SECTION_HEADINGS if key in sections}
        return self.body

    def _close(self) -> None:
        section, self.open = self.open, None
        if section is None:
            return
        text = textwrap.dedent("\n".join(section.lines)).strip()
        body, key = self.body, section.key
        if key in SECTION_HEADINGS and key != "title":
            if key in body.sections:
                self.report(section.line, f"section {section.heading} repeated; texts joined", "repaired")
                body.sections[key] = f"{body.sections[key]}\n\n{text}".strip()
            elif text:
                body.sections[key] = text
        elif key == "title" and text:
            body.titles.append(" ".join(text.split()))
        elif key == "authors" and text:
            body.authors += split_list(" ".join(text.split()))
        elif key == "topics" and text:
            body.topics += split_list(" ".join(text.split()))
        elif key == "date" and parse_date(text):
            body.date = body.date or parse_date(text)
            if text.strip() != body.date.isoformat():
                body.notes.append((section.heading, text))
        elif key == "code" and first_url(text):
            body.code_url = body.code_url or first_url(text)
            if text != body.code_url:  # link text or words beside the link: kept too
                body.notes.append((section.heading, text))
        elif key in ("note", "date", "code"):
            if text:
                body.notes.append((section.heading, text))
        else:  # an unlisted heading, an "other" one, or text before the first heading
            if text or section.heading:
                body.other_sections.append((section.heading, text))
