"""Pieces shared by the format readers: arXiv ids and URLs, dates, format names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kg.records import Diagnostic, SourceRef

HF_DAILY = "hf-daily"
ARXIV_DAILY = "arxiv-daily"

#: A new-style arXiv id (``2602.05258``) with an optional version, after ``/abs/``, ``/pdf/``
#: or ``/papers/`` (Hugging Face) in a URL.
_ID_IN_URL = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/(?P<id>\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])",
    re.IGNORECASE,
)
_DATE = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")


def arxiv_id_from_url(url: str) -> str | None:
    """The arXiv id (no version suffix) in an arXiv or Hugging Face paper URL, else None."""
    match = _ID_IN_URL.search(url)
    return match["id"] if match else None


def arxiv_abs_url(arxiv_id: str) -> str:
    """The canonical abstract page of an arXiv id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def _date(match: re.Match | None) -> dt.date | None:
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first ``YYYY-MM-DD`` (or ``YYYY.MM.DD``) date in ``text``, None if none or invalid."""
    return _date(_DATE.search(text))


#: An arXiv category code (``cs.CV``, ``stat.ML``, ``eess.IV``, ``q-bio.NC``, ``hep-th``).
_CATEGORY = re.compile(r"\b(?P<code>(?:cs|math|stat|eess|econ|q-bio|q-fin|physics|astro-ph|cond-mat|nlin|"
                       r"quant-ph|hep-[a-z]{2}|gr-qc|nucl-[a-z]{2}|math-ph)(?:\.[A-Za-z-]{2,})?)\b")
#: A bare new-style arXiv id, with an optional version.
_BARE_ID = re.compile(r"(?<![\d.])(?P<id>\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")
#: ``YYYYMMDD`` alone (a digest's date heading such as ``# 20250711``).
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def arxiv_category(text: str) -> str:
    """The arXiv category code a topic names (``Computer Vision (cs.CV)`` -> ``cs.CV``); the
    text itself (whitespace folded, backticks removed) when it holds none."""
    text = " ".join(text.replace("`", " ").split())
    match = _CATEGORY.search(text)
    return match["code"] if match and (len(text) == len(match["code"]) or text.endswith(f"({match['code']})")) else text


def bare_arxiv_id(text: str) -> str | None:
    """The arXiv id in an arXiv or Hugging Face URL, or a bare id (``2412.05839v2``)."""
    found = arxiv_id_from_url(text)
    if found:
        return found
    match = _BARE_ID.search(text)
    return match["id"] if match else None


def parse_any_date(text: str) -> dt.date | None:
    """:func:`parse_date`, or a compact ``YYYYMMDD`` date standing alone."""
    return parse_date(text) or _date(_COMPACT_DATE.match(text))


def read_table(path: Path) -> list[tuple[str, str]]:
    """The rows of a two-column data file (``a<TAB>b``; ``#`` lines and blank lines skipped)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            first, second = line.split("\t")
            rows.append((first.strip(), second.strip()))
    return rows


class LineReader:
    """Base of the layouts' readers: the file's path and where its problems go."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics

    def _report(self, line: int, message: str, kind: str = "skipped") -> None:
        self.diagnostics.append(Diagnostic(SourceRef(self.path, line), message, kind))
