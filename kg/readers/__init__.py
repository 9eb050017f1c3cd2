"""Digest readers: files in either digest format -> one :class:`PaperRecord` per arXiv id.

Two formats are read, told apart by their content (never the file name):

* ``hf-daily``: the Hugging Face Daily Papers reports (:mod:`kg.readers.hf_daily`);
* ``arxiv-daily``: the arXiv daily lists of markdown tables (:mod:`kg.readers.arxiv_daily`).

Files are streamed line by line. Faults never raise: each is a :class:`Diagnostic` naming the
file and line (line 0 means the file or path as a whole) with kind ``skipped`` (dropped),
``repaired`` (read with a fix) or ``note``. Papers read from several places are merged by
:func:`kg.readers.merge.merge_records`.

>>> from kg.paths import SAMPLES_DIR
>>> result = read_inputs([SAMPLES_DIR])
>>> len(result.papers), [f.format for f in result.files][:2]
(558, ['hf-daily', 'hf-daily'])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.records import Diagnostic, PaperRecord, SourceRef
from kg.readers import arxiv_daily, hf_daily
from kg.readers.common import ARXIV_DAILY, HF_DAILY
from kg.readers.merge import merge_records
from kg.readers.text import Sniffed, numbered_lines, sniff

__all__ = [
    "ARXIV_DAILY",
    "HF_DAILY",
    "InputFile",
    "ReadResult",
    "detect_format",
    "iter_papers",
    "read_file",
    "read_inputs",
]

_READERS = {HF_DAILY: hf_daily.HFDailyReader, ARXIV_DAILY: arxiv_daily.ArxivDailyReader}


@dataclass(frozen=True)
class InputFile:
    """One input file and what was read from it."""

    path: str
    #: ``hf-daily``, ``arxiv-daily``, or None when the file was skipped.
    format: str | None
    #: SHA-256 of the raw bytes (None when the file could not be read).
    sha256: str | None
    #: Distinct papers (arXiv ids) read from the file.
    papers: int
    #: The encoding the file was read with (e.g. ``UTF-8``, ``GB18030 (GBK)``).
    encoding: str | None = None


@dataclass
class ReadResult:
    """Everything :func:`read_inputs` read: merged papers sorted by arXiv id, problems, files."""

    papers: list[PaperRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[InputFile] = field(default_factory=list)


def detect_format(lines: Iterable[tuple[int, str]]) -> str | None:
    """The digest format of numbered lines (the first decisive line decides), None if neither."""
    for _, line in lines:
        if hf_daily.REPORT_HEADER.match(line) or hf_daily.PAPER_TITLE.match(line):
            return HF_DAILY
        link = hf_daily.LINK.match(line)
        if link and "huggingface.co/papers/" in link["url"]:
            return HF_DAILY
        if arxiv_daily.TABLE_HEADER.match(line) or arxiv_daily.ROW.match(line):
            return ARXIV_DAILY
    return None


def _report(diagnostics: list[Diagnostic], path: Path, line: int, message: str, kind: str) -> None:
    diagnostics.append(Diagnostic(SourceRef(str(path), line), message, kind))


def _prepare(path: Path, diagnostics: list[Diagnostic]) -> tuple[Sniffed | None, str | None]:
    """Sniff and detect ``path``; (sniffed, format), format None when the file is skipped."""
    try:
        sniffed = sniff(path)
    except OSError as exc:
        _report(diagnostics, path, 0, f"cannot read the file ({exc.strerror}); skipped", "skipped")
        return None, None
    if sniffed.size == 0:
        _report(diagnostics, path, 0, "empty file; skipped", "note")
        return sniffed, None
    if sniffed.binary:
        _report(diagnostics, path, 0, "binary file (NUL and control bytes); skipped", "skipped")
        return sniffed, None
    fmt = detect_format(numbered_lines(path, sniffed))
    if fmt is None:
        _report(
            diagnostics, path, 0,
            "not a digest (neither a Hugging Face Daily Papers report nor an arXiv daily list); skipped", "note",
        )
        return sniffed, None
    if sniffed.label != "UTF-8":
        _report(diagnostics, path, 0, f"read as {sniffed.label}", "note")
    return sniffed, fmt


def _checked_lines(path: Path, sniffed: Sniffed, diagnostics: list[Diagnostic]) -> Iterator[tuple[int, str]]:
    """The file's lines; reports the first line holding undecodable bytes, if any."""
    reported = not sniffed.replaced
    for number, line in numbered_lines(path, sniffed):
        if not reported and "\ufffd" in line:
            reported = True
            _report(
                diagnostics, path, number,
                f"{sniffed.replaced} undecodable byte(s) in {sniffed.label} text replaced by U+FFFD (first here)",
                "repaired",
            )
        yield number, line


def _records(path: Path, sniffed: Sniffed, fmt: str, diagnostics: list[Diagnostic]) -> Iterator[PaperRecord]:
    reader = _READERS[fmt](str(path), diagnostics)
    yield from reader.papers(_checked_lines(path, sniffed, diagnostics))


def iter_papers(path: str | Path, diagnostics: list[Diagnostic] | None = None) -> Iterator[PaperRecord]:
    """Stream the records of one file as they are read, one per paper block or table row.

    Records are not merged: a paper listed under several topics comes once per row.
    Problems are appended to ``diagnostics`` when given.
    """
    diagnostics = [] if diagnostics is None else diagnostics
    path = Path(path)
    sniffed, fmt = _prepare(path, diagnostics)
    if sniffed and fmt:
        yield from _records(path, sniffed, fmt, diagnostics)


def _read_raw(path: Path, diagnostics: list[Diagnostic]) -> tuple[list[PaperRecord], InputFile]:
    sniffed, fmt = _prepare(path, diagnostics)
    records = list(_records(path, sniffed, fmt, diagnostics)) if sniffed and fmt else []
    info = InputFile(
        path=str(path),
        format=fmt,
        sha256=sniffed.sha256 if sniffed else None,
        papers=len({record.arxiv_id for record in records}),
        encoding=sniffed.label if sniffed and not sniffed.binary else None,
    )
    return records, info


def read_file(path: str | Path) -> tuple[list[PaperRecord], list[Diagnostic], InputFile]:
    """Read one digest: its papers (one per arXiv id, sorted by id), problems and file facts."""
    diagnostics: list[Diagnostic] = []
    records, info = _read_raw(Path(path), diagnostics)
    return merge_records(records, diagnostics), diagnostics, info


def _visible_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(Path(root, name) for name in files if not name.startswith("."))
    return sorted(found)


def input_files(paths: Sequence[str | Path], diagnostics: list[Diagnostic]) -> list[Path]:
    """The files named by ``paths``: files as given, folders expanded to their files
    (recursively, sorted by path, hidden ones ignored). Missing paths, empty folders and
    files named twice are reported, not raised."""
    files: list[Path] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        if given.is_dir():
            found = _visible_files(given)
            if not found:
                _report(diagnostics, given, 0, "folder holds no (visible) files", "note")
        elif given.exists():
            found = [given]
        else:
            _report(diagnostics, given, 0, "no such file or folder; skipped", "skipped")
            continue
        for path in found:
            key = path.resolve()
            if key in seen:
                _report(diagnostics, path, 0, "named more than once; read once", "note")
                continue
            seen.add(key)
            files.append(path)
    return files


def read_inputs(paths: Sequence[str | Path], progress: Callable[[int], None] | None = None) -> ReadResult:
    """Read digest files and folders into one record per arXiv id, sorted by id.

    ``progress``, when given, is called after each file with the number of files read so far.
    """
    result = ReadResult()
    records: list[PaperRecord] = []
    for done, path in enumerate(input_files(paths, result.diagnostics), start=1):
        file_records, info = _read_raw(path, result.diagnostics)
        records.extend(file_records)
        result.files.append(info)
        if progress:
            progress(done)
    result.papers = merge_records(records, result.diagnostics)
    return result
