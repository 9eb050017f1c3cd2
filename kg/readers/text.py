"""Raw bytes to numbered text lines: hashing, binary detection and encoding guessing.

A file is read twice, each time as a stream of 1 MiB chunks (never whole in memory): the
first pass (:func:`sniff`) hashes the bytes, decides whether the file is binary and which
encoding decodes it; the second (:func:`numbered_lines`) yields its decoded lines.

Encodings are tried in this order: a UTF-16 or UTF-8 byte-order mark; UTF-8; GB18030 (a
superset of GBK). A UTF-8 file with a few invalid bytes (a damaged file) stays UTF-8 with the
bad bytes replaced by U+FFFD, as long as valid non-ASCII characters outnumber the bad bytes;
otherwise the file is read as GB18030 when that decodes with fewer errors.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK_SIZE = 1 << 20
#: Bytes that never occur in text (C0 controls except tab, newlines, form feed and escape).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")
#: A file is binary when it holds NUL bytes and more than 1/_BINARY_RATIO of its bytes are controls.
_BINARY_RATIO = 20
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (little-endian, byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (big-endian, byte-order mark)"),
)


@dataclass(frozen=True)
class Sniffed:
    """What the first pass over a file found."""

    sha256: str
    size: int
    binary: bool
    #: Python codec name for the second pass (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``).
    encoding: str
    #: Human-readable encoding, for diagnostics.
    label: str
    #: Number of undecodable bytes replaced by U+FFFD (0 for a clean file).
    replaced: int


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


def _count_errors(path: Path, encoding: str) -> tuple[int, int]:
    """Decode the whole file with ``encoding``; return (replaced characters, non-ASCII characters)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    errors = non_ascii = 0
    for chunk in _chunks(path):
        text = decoder.decode(chunk)
        errors += text.count("\ufffd")
        non_ascii += len(text) - len(text.encode("ascii", "ignore"))
    text = decoder.decode(b"", final=True)
    errors += text.count("\ufffd")
    return errors, non_ascii - errors


def sniff(path: Path) -> Sniffed:
    """Hash ``path``, tell whether it is binary, and choose the encoding to read it with."""
    digest = hashlib.sha256()
    size = controls = nuls = 0
    head = b""
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
    utf8_errors = utf8_non_ascii = 0
    for chunk in _chunks(path):
        if not head:
            head = chunk[:4]
        digest.update(chunk)
        size += len(chunk)
        nuls += chunk.count(0)
        controls += len(chunk) - len(chunk.translate(None, _CONTROL_BYTES))
        text = utf8.decode(chunk)
        utf8_errors += text.count("\ufffd")
        utf8_non_ascii += len(text) - len(text.encode("ascii", "ignore"))
    utf8_errors += utf8.decode(b"", final=True).count("\ufffd")

    def result(encoding: str, label: str, replaced: int, binary: bool = False) -> Sniffed:
        return Sniffed(digest.hexdigest(), size, binary, encoding, label, replaced)

    mostly_utf8 = utf8_errors <= utf8_non_ascii - utf8_errors
    for bom, encoding, label in _BOMS:
        if head.startswith(bom):
            if encoding == "utf-8-sig":
                return result(encoding, label, utf8_errors)
            # A UTF-16 BOM on text that reads as UTF-8 without NULs is two junk bytes.
            if nuls * 10 > size or not mostly_utf8:
                return result(encoding, label, _count_errors(path, encoding)[0])
    if nuls and controls * _BINARY_RATIO > size:
        return result("utf-8", "binary", 0, binary=True)
    if utf8_errors == 0:
        return result("utf-8", "UTF-8", 0)
    if mostly_utf8:
        return result("utf-8", "UTF-8", utf8_errors)
    gb_errors, _ = _count_errors(path, "gb18030")
    if gb_errors < utf8_errors:
        return result("gb18030", "GB18030 (GBK)", gb_errors)
    return result("utf-8", "UTF-8", utf8_errors)


def numbered_lines(path: Path, sniffed: Sniffed) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` from 1, without line endings (LF, CRLF or CR)."""
    with open(path, encoding=sniffed.encoding, errors="replace", newline=None) as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip("\n")
