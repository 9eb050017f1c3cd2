"""Pieces shared by the format readers: arXiv ids and URLs, dates, format names."""

from __future__ import annotations

import datetime as dt
import re

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


def parse_date(text: str) -> dt.date | None:
    """The first ``YYYY-MM-DD`` (or ``YYYY.MM.DD``) date in ``text``, None if none or invalid."""
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
