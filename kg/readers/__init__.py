"""Digest readers: files in any digest layout -> one :class:`PaperRecord` per arXiv id.

Layouts are told apart by their content (never the file name). Each is one module of this
package, registered in :data:`LAYOUTS` (the one place a new layout is added: see
``docs/readers.md``). A layout module has ``NAME``, ``DESCRIPTION``, ``detect(head)`` (whether
the first lines of a file are of this layout) and a ``Reader(path, diagnostics)`` whose
``papers(numbered_lines)`` yields records; it may have ``decisive(line)``, asked for the lines
after the head.

Files are streamed line by line. Faults never raise: each is a :class:`Diagnostic` naming the
file and line (line 0 means the file or path as a whole) with kind ``skipped`` (dropped),
``repaired`` (read with a fix), ``error`` (a fault of paperkg's own, reported and isolated) or
``note``. Papers read from several places are merged by :func:`kg.readers.merge.merge_records`.

>>> from kg.paths import SAMPLES_DIR
>>> result = read_inputs([SAMPLES_DIR])
>>> len(result.papers), [f.format for f in result.files][:2]
(558, ['hf-daily', 'hf-daily'])
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from kg.records import Diagnostic, PaperRecord, SourceRef
from kg.readers import arxiv_daily, hf_daily, jsonl, numbered_daily, paper_page
from kg.readers.common import ARXIV_DAILY, HF_DAILY, parse_date
from kg.readers.coverage import file_coverage
from kg.readers.merge import merge_records
from kg.readers.text import Sniffed, numbered_lines, sniff

__all__ = [
    "ARXIV_DAILY",
    "HF_DAILY",
    "LAYOUTS",
    "InputFile",
    "ReadResult",
    "detect_format",
    "iter_papers",
    "layout_names",
    "read_file",
    "read_inputs",
]

#: The layouts read, in the order they are asked (the first whose ``detect`` says yes wins).
LAYOUTS: tuple[ModuleType, ...] = (jsonl, paper_page, numbered_daily, hf_daily, arxiv_daily)
#: Lines of a file every layout's ``detect`` sees.
HEAD_LINES = 400
_BY_NAME = {layout.NAME: layout for layout in LAYOUTS}


def layout_names() -> tuple[str, ...]:
    """The names of the layouts read (``kg build --format NAME``)."""
    return tuple(_BY_NAME)


@dataclass(frozen=True)
class InputFile:
    """One input file and what was read from it."""

    path: str
    #: The layout read (a name of :data:`LAYOUTS`), or None when the file was skipped.
    format: str | None
    #: SHA-256 of the raw bytes (None when the file could not be read).
    sha256: str | None
    #: Distinct papers (arXiv ids) read from the file.
    papers: int
    #: The encoding the file was read with (e.g. ``UTF-8``, ``GB18030 (GBK)``).
    encoding: str | None = None
    #: Share of the text of the file's paper blocks kept in the papers read (see
    #: :mod:`kg.readers.coverage`); None when no paper was read.
    coverage: float | None = None


@dataclass
class ReadResult:
    """Everything :func:`read_inputs` read: merged papers sorted by arXiv id, problems, files."""

    papers: list[PaperRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[InputFile] = field(default_factory=list)


def detect_format(lines: Iterable[tuple[int, str]]) -> str | None:
    """The layout of numbered lines, None if none: each layout's ``detect`` is asked about the
    first :data:`HEAD_LINES` lines in :data:`LAYOUTS` order, then the first later line that a
    layout's ``decisive`` recognises decides."""
    iterator = iter(lines)
    head = [line for _, (_, line) in zip(range(HEAD_LINES), iterator)]
    for layout in LAYOUTS:
        if layout.detect(head):
            return layout.NAME
    deciders = [layout for layout in LAYOUTS if hasattr(layout, "decisive")]
    for _, line in iterator:
        for layout in deciders:
            if layout.decisive(line):
                return layout.NAME
    return None


def _report(diagnostics: list[Diagnostic], path: Path, line: int, message: str, kind: str) -> None:
    diagnostics.append(Diagnostic(SourceRef(str(path), line), message, kind))


def _prepare(path: Path, diagnostics: list[Diagnostic], layout: str | None = None) -> tuple[Sniffed | None, str | None]:
    """Sniff and detect ``path`` (or take ``layout`` as given); (sniffed, layout name), the
    name None when the file is skipped."""
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
    fmt = layout or detect_format(numbered_lines(path, sniffed))
    if fmt is None:
        _report(diagnostics, path, 0, f"not a digest of a known layout ({', '.join(_BY_NAME)}); skipped", "note")
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
    """The records of one file; a fault of the reader ends the file with an ``error`` line
    (the records read before it are kept), never an exception."""
    reader = _BY_NAME[fmt].Reader(str(path), diagnostics)
    fallback = parse_date(path.name)
    line = 0
    try:
        for record in reader.papers(_checked_lines(path, sniffed, diagnostics)):
            line = record.end_line or record.source.line
            if record.date is None and fallback:
                record = dataclasses.replace(record, report_date=fallback)
            yield record
    except Exception as exc:  # noqa: BLE001 - one file's fault must not stop the build
        _report(diagnostics, path, line, f"reading stopped after line {line}: {type(exc).__name__}: {exc}; "
                f"the rest of the file is not read", "error")


def iter_papers(path: str | Path, diagnostics: list[Diagnostic] | None = None,
                layout: str | None = None) -> Iterator[PaperRecord]:
    """Stream the records of one file as they are read, one per paper block or table row.

    Records are not merged: a paper listed under several topics comes once per row.
    Problems are appended to ``diagnostics`` when given. ``layout`` forces a layout.
    """
    diagnostics = [] if diagnostics is None else diagnostics
    path = Path(path)
    sniffed, fmt = _prepare(path, diagnostics, layout)
    if sniffed and fmt:
        yield from _records(path, sniffed, fmt, diagnostics)


def _read_raw(path: Path, diagnostics: list[Diagnostic], layout: str | None = None) -> tuple[list[PaperRecord], InputFile]:
    sniffed, fmt = _prepare(path, diagnostics, layout)
    records = list(_records(path, sniffed, fmt, diagnostics)) if sniffed and fmt else []
    info = InputFile(
        path=str(path),
        format=fmt,
        sha256=sniffed.sha256 if sniffed else None,
        papers=len({record.arxiv_id for record in records}),
        encoding=sniffed.label if sniffed and not sniffed.binary else None,
        coverage=file_coverage(numbered_lines(path, sniffed), records) if records else None,
    )
    return records, info


def read_file(path: str | Path, layout: str | None = None) -> tuple[list[PaperRecord], list[Diagnostic], InputFile]:
    """Read one digest: its papers (one per arXiv id, sorted by id), problems and file facts.
    ``layout`` (a name of :func:`layout_names`) forces a layout instead of detecting it."""
    diagnostics: list[Diagnostic] = []
    records, info = _read_raw(Path(path), diagnostics, _checked_layout(layout))
    return merge_records(records, diagnostics), diagnostics, info


def _checked_layout(layout: str | None) -> str | None:
    if layout is not None and layout not in _BY_NAME:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(_BY_NAME)}")
    return layout


def _visible_files(folder: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """The visible files below ``folder``; linked folders are followed once each (a link loop
    is reported, not followed)."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        try:
            info = os.stat(root)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            _report(diagnostics, Path(root), 0, "folder reached again through a link (a loop); not read twice", "note")
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
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
            found = _visible_files(given, diagnostics)
            if not found:
                _report(diagnostics, given, 0, "folder holds no (visible) files", "note")
        elif given.exists():
            found = [given]
        elif given.is_symlink():
            _report(diagnostics, given, 0, "a link to nothing (or a link loop); skipped", "skipped")
            continue
        else:
            _report(diagnostics, given, 0, "no such file or folder; skipped", "skipped")
            continue
        for path in found:
            try:
                key = path.resolve(strict=False)
            except (OSError, RuntimeError):
                _report(diagnostics, path, 0, "a link loop; skipped", "skipped")
                continue
            if key in seen:
                _report(diagnostics, path, 0, "named more than once; read once", "note")
                continue
            seen.add(key)
            files.append(path)
    return files


def read_inputs(
    paths: Sequence[str | Path],
    progress: Callable[[int], None] | None = None,
    layout: str | None = None,
) -> ReadResult:
    """Read digest files and folders into one record per arXiv id, sorted by id.

    ``progress``, when given, is called after each file with the number of files read so far.
    ``layout`` (a name of :func:`layout_names`) forces a layout for every file.
    """
    layout = _checked_layout(layout)
    result = ReadResult()
    records: list[PaperRecord] = []
    for done, path in enumerate(input_files(paths, result.diagnostics), start=1):
        file_records, info = _read_raw(path, result.diagnostics, layout)
        records.extend(file_records)
        result.files.append(info)
        if progress:
            progress(done)
    result.papers = merge_records(records, result.diagnostics)
    return result
