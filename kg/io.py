"""Atomic output: nothing half-written ever replaces a user's files.

Every file of a build is first written to a temporary path in the destination folder and
moved into place with ``os.replace`` (atomic on POSIX) only when all files succeeded.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputError(Exception):
    """The output location cannot be written (missing permission, not a folder, ...)."""


@contextlib.contextmanager
def staged_files(destinations: list[Path]) -> Iterator[list[Path]]:
    """Yield one temporary path per destination; on success move them all into place.

    If the body raises (or the process dies), the destinations keep their previous content
    and the temporary files are removed (or, after a kill, left as hidden ``.*.tmp`` files
    that the next build ignores).
    """
    temps: list[Path] = []
    try:
        for dest in destinations:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
            os.close(fd)
            temps.append(Path(name))
    except OSError as exc:
        _remove(temps)
        raise OutputError(f"cannot write to {exc.filename or destinations[0].parent}: {exc.strerror}") from exc
    try:
        yield temps
        for temp in temps:
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
        for temp, dest in zip(temps, destinations):
            os.chmod(temp, 0o644)
            os.replace(temp, dest)
    finally:
        _remove(temps)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with staged_files([Path(path)]) as (temp,):
        temp.write_bytes(data)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
