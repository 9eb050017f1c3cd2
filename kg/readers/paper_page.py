"""Reader of one-page-per-paper digests: a markdown page (often with Jekyll front matter) for
each paper.

Layout::

    ---
    layout: default
    title: <title>
    ---
    # <title>
    <div class="paper-toolbar"> <a href="https://arxiv.org/abs/2506.16659" ...>📄 arXiv: 2506.16659v2</a> ... </div>
    **作者**: A, B, C
    **分类**: cs.LG, cs.AI
    **发布日期**: 2025-06-20 (更新: 2025-12-10)
    ---
    ## 💡 一句话要点
    ...
    ## 📄 摘要（原文）
    > <the English abstract>

HTML lines are the page's controls and are not read, except for the arXiv link they hold. The
body (from the title on) is read by :class:`kg.readers.sections.BodyReader`; ``> `` quotes
are unquoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from kg.records import PaperRecord, SourceRef
from kg.readers.common import LineReader, bare_arxiv_id, parse_any_date
from kg.readers.sections import BodyReader

NAME = "paper-page"
DESCRIPTION = "one page per paper: front matter, '# title', an arXiv link, '## 💡 一句话要点' ... sections"

_HTML_LINE = re.compile(r"^\s*</?[A-Za-z][^>]{0,2000}>")
_TOOLBAR = re.compile(r"paper-toolbar|data-arxiv-id=", re.IGNORECASE)
_ARXIV_URL = re.compile(r"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/\d{4}\.\d{4,5}", re.IGNORECASE)
_TITLE = re.compile(r"^\s{0,3}#\s+(?P<title>.+?)\s*#*\s*$")
_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]{0,40})\s*:\s*(?P<value>.*?)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_NUMBERED = re.compile(r"^\s{0,3}#{2,3}\s+\d{1,5}\s*[.、．]\s")
_DATE_TITLE = re.compile(r"^\d{4}[-./]?\d{2}[-./]?\d{2}$")
_HF_MARKS = re.compile(r"huggingface\.co/papers/|Hugging\s*Face\s+Daily\s+Papers\s+Report", re.IGNORECASE)


def detect(head: Sequence[str]) -> bool:
    """Whether the first lines of a file are a paper page: its toolbar; or, with nothing of a
    Hugging Face report or a numbered digest, a ``# title`` (or front matter with a title)
    and links to exactly one arXiv paper."""
    if any(_TOOLBAR.search(line) for line in head):
        return True
    if any(_HF_MARKS.search(line) or _NUMBERED.match(line) or line.lstrip().startswith("|") for line in head):
        return False
    front = next((i for i in range(1, len(head)) if head[i].strip() == "---"), 0) if head and head[0].strip() == "---" else 0
    titled = any(line.lower().startswith("title:") for line in head[1:front]) or any(
        (title := _TITLE.match(line)) and not _DATE_TITLE.match(title["title"]) for line in head[front:])
    ids = {bare_arxiv_id(url.group(0)) for line in head for url in _ARXIV_URL.finditer(line)}
    return titled and len(ids) == 1


def _unquote(line: str) -> str:
    stripped = line.lstrip()
    return stripped[1:].lstrip() if stripped.startswith(">") else line


class Reader(LineReader):
    """Parse one page into its paper, appending problems to ``diagnostics``."""

    def papers(self, lines: Iterable[tuple[int, str]]) -> Iterator[PaperRecord]:
        """Yield the page's paper."""
        body = BodyReader(self._report)
        front: dict[str, str] = {}
        in_front = False
        title = ""
        title_line = arxiv_id = None
        first = last = 0
        for number, line in lines:
            last = number
            if number == 1 and line.strip() == "---":
                in_front = True
                continue
            if in_front:
                if line.strip() == "---":
                    in_front = False
                elif key := _FRONT_KEY.match(line):
                    front[key["key"].lower()] = key["value"].strip("'\"")
                continue
            if arxiv_id is None and (url := _ARXIV_URL.search(line)):
                arxiv_id = bare_arxiv_id(url.group(0))
            if _HTML_LINE.match(line) or _RULE.match(line):
                continue
            heading = _TITLE.match(line) if not title else None
            if heading:
                title, title_line = heading["title"], number
                first = first or number
                continue
            if line.strip():
                first = first or number
            body.feed(number, _unquote(line))
        yield from self._finish(body, front, title or front.get("title", ""), title_line or first or 1, arxiv_id, last)

    def _finish(self, body_reader: BodyReader, front: dict[str, str], title: str, line: int,
                arxiv_id: str | None, end: int) -> Iterator[PaperRecord]:
        body = body_reader.finish()
        arxiv_id = arxiv_id or bare_arxiv_id(front.get("arxiv", "") or front.get("arxiv_id", ""))
        if arxiv_id is None:
            self._report(line, "paper page holds no arXiv link or id; skipped", "skipped")
            return
        title = " ".join(title.split()) or (body.titles[0] if body.titles else "")
        if not title:
            self._report(line, f"paper page of {arxiv_id} has no title; skipped", "skipped")
            return
        yield body.record(arxiv_id, title, NAME, SourceRef(self.path, line), end,
                          publish_date=parse_any_date(front.get("date", "")), titles=(front.get("title", ""),))
