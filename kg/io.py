"""Atomic output: nothing half-written ever replaces a user's files.

Single files (:func:`staged_files`, :func:`atomic_write_bytes`) are written to a temporary
path beside the destination and moved into place with ``os.replace`` (atomic on POSIX).

A build writes several files that belong together (``graph.ttl`` and ``graph.html`` plus its
state), and no sequence of per-file renames can replace two files at once: a kill between the
renames leaves a new Turtle beside an old page. :class:`BuildDir` therefore publishes
*generations*::

    DIR/graph.ttl  -> .paperkg/current/graph.ttl      (symlinks, created once)
    DIR/graph.html -> .paperkg/current/graph.html
    DIR/.paperkg/current -> gen-XXXX                   (the one symlink a build swaps)
    DIR/.paperkg/gen-XXXX/                             (a complete, fsynced generation)
    DIR/.paperkg/lock                                  (flock: one build at a time)

A build writes its files into a fresh ``.paperkg/tmp-XXXX`` folder, fsyncs them, renames the
folder to ``gen-XXXX`` and then swaps ``current`` with a single ``os.replace`` of a symlink.
Every path a user opens goes through ``current``, so at every instant, including after a
SIGKILL or a power cut at any point, ``DIR/graph.ttl`` and ``DIR/graph.html`` are both the old
complete output or both the new one. Leftover ``tmp-*``/``gen-*`` folders are removed by the
next build. Regular files found at the public paths (an older layout, or a file a user put
there) are first moved into a generation of their own without changing what they show, so the
switch to symlinks never exposes a mix either.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path


class OutputError(Exception):
    """The output location cannot be written (missing permission, not a folder, ...)."""


#: The hidden folder in an output folder holding generations and the build state.
STATE_DIR = ".paperkg"
CURRENT = "current"
LOCK = "lock"
GEN_PREFIX = "gen-"
TMP_PREFIX = "tmp-"


def _output_error(exc: OSError, target: Path) -> OutputError:
    """A one-line message for a failed write under ``target``."""
    if exc.errno == errno.ENOTDIR:
        blocker = next((p for p in Path(target).parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            return OutputError(f"cannot write to {target}: {blocker} is a file, not a folder")
    return OutputError(f"cannot write to {exc.filename or target}: {exc.strerror or exc}")


@contextlib.contextmanager
def staged_files(destinations: list[Path]) -> Iterator[list[Path]]:
    """Yield one temporary path per destination; on success move each into place.

    If the body raises (or the process dies), the destinations keep their previous content
    and the temporary files are removed (or, after a kill, left as hidden ``.*.tmp`` files).
    Each file is replaced atomically, but not the set as a whole: files that must change
    together belong in a :class:`BuildDir` generation.
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
        raise _output_error(exc, destinations[0].parent) from exc
    try:
        yield temps
        for temp in temps:
            _fsync_file(temp)
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


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            _fsync_file(Path(folder, name))
        _fsync_dir(Path(folder))


def _replace_with_symlink(path: Path, target: str) -> None:
    """Make ``path`` a symlink to ``target`` in one atomic step."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.link")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    os.symlink(target, temp)
    os.replace(temp, path)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _same_tree(a: Path, b: Path) -> bool:
    """True when folders ``a`` and ``b`` hold the same relative file paths with the same bytes."""

    def files(root: Path) -> dict[str, Path]:
        return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()}

    left, right = files(a), files(b)
    if left.keys() != right.keys():
        return False
    for name, path in left.items():
        other = right[name]
        if os.path.samefile(path, other):
            continue
        if path.stat().st_size != other.stat().st_size or _file_sha256(path) != _file_sha256(other):
            return False
    return True


def is_plain_name(name: str) -> bool:
    """True when ``name`` is one path component that stays in its folder (no ``/``, not
    ``.`` or ``..``, no NUL): names read from state files are checked with it."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\0" not in name


def inside_without_links(root: Path, relpath: str) -> bool:
    """True when ``root/relpath`` is a regular file reached through plain names and real
    folders only: no symlink (to a file or a folder) is followed out of ``root``."""
    path = root
    parts = relpath.split("/")
    for index, part in enumerate(parts):
        if not is_plain_name(part):
            return False
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return False
        last = index == len(parts) - 1
        if not (stat.S_ISREG(mode) if last else stat.S_ISDIR(mode)):
            return False
    return True


def link_or_copy(source: Path, dest: Path) -> None:
    """Hard-link ``source`` to ``dest`` (same file system), else copy it; a folder is
    copied file by file the same way."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        dest.mkdir(exist_ok=True)
        for child in sorted(source.iterdir()):
            link_or_copy(child, dest / child.name)
        return
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


class BuildDir:
    """An output folder whose public files are replaced together (see the module docstring).

    Use :meth:`open`; it holds the folder's lock until the block ends::

        with BuildDir.open("output") as out:
            with out.stage() as stage:
                (stage / "graph.ttl").write_text(...)
                out.publish(stage, public=["graph.ttl"])
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state = path / STATE_DIR
        self.published = False
        #: Names of this build's scratch folders, kept by its own garbage collection.
        self._scratch: set[str] = set()

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: str | Path) -> Iterator[BuildDir]:
        """Create (if needed) and lock the output folder ``path``.

        Raises :class:`OutputError` when it cannot be written or another build holds it. If
        the block raises before anything was published, folders this call created are removed
        again and temporary files are cleaned up, so a failed build leaves the folder as it was.
        """
        out = cls(Path(path))
        out._check_untrusted_links()
        created = next((p for p in (out.path, out.state) if not p.exists() and not p.is_symlink()), None)
        try:
            out.state.mkdir(parents=True, exist_ok=True)
            # O_NOFOLLOW: a ``lock`` symlink must not make the build create or open a file elsewhere.
            lock = os.open(out.state / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise _output_error(exc, out.path) from exc
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputError(f"{out.path} is being written by another kg build; try again when it has finished") from None
            try:
                out.collect_garbage()
                yield out
            except BaseException:
                if created is not None and not out.published and out.current is None:
                    shutil.rmtree(created, ignore_errors=True)
                else:
                    out._scratch.clear()  # a failed build's scratch folders go too
                    out.collect_garbage()
                raise
        finally:
            os.close(lock)

    def _check_untrusted_links(self) -> None:
        """Refuse an output folder that is a dangling symlink, and a state folder that is a
        symlink: the state is the build's own, and following a link out of it would let a
        planted ``.paperkg`` make the build delete or overwrite files elsewhere."""
        if self.path.is_symlink() and not self.path.exists():
            raise OutputError(
                f"cannot write to {self.path}: it is a symbolic link to {os.readlink(self.path)}, which does not exist"
            )
        if self.state.is_symlink():
            raise OutputError(
                f"cannot write to {self.path}: {self.state} is a symbolic link (to {os.readlink(self.state)}); "
                "kg build keeps its state only in a folder of its own: remove the link"
            )

    @property
    def current(self) -> Path | None:
        """The folder of the published generation, None before the first build (or when
        ``current`` does not name a generation folder of this state folder: the state is
        untrusted, and a link elsewhere is not followed)."""
        link = self.state / CURRENT
        if not link.is_symlink():
            return None
        name = os.readlink(link)
        target = self.state / name
        if not is_plain_name(name) or not name.startswith(GEN_PREFIX) or target.is_symlink() or not target.is_dir():
            return None
        return target

    @contextlib.contextmanager
    def stage(self) -> Iterator[Path]:
        """A fresh, empty folder for the next generation's files; removed if the block raises."""
        try:
            folder = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=self.state))
        except OSError as exc:
            raise _output_error(exc, self.state) from exc
        try:
            yield folder
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def scratch(self, name: str) -> Path:
        """A fresh folder for temporary work (``tmp-<name>-*``), kept through this build; the
        next build of the folder removes it if its owner did not."""
        try:
            folder = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{name}-", dir=self.state))
        except OSError as exc:
            raise _output_error(exc, self.state) from exc
        self._scratch.add(folder.name)
        return folder

    def publish(self, staged: Path, public: Sequence[str]) -> bool:
        """Make the generation in ``staged`` the current one; ``DIR/<name>`` for each name in
        ``public`` then shows ``staged/<name>``. Returns False (and writes nothing) when the
        current generation already holds the same bytes."""
        current = self.current
        if current is not None and _same_tree(staged, current) and self._links_ok(public):
            shutil.rmtree(staged, ignore_errors=True)
            return False
        try:
            for path in [staged, *staged.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            _fsync_tree(staged)
            generation = self.state / (GEN_PREFIX + staged.name[len(TMP_PREFIX):])
            os.rename(staged, generation)
            _fsync_dir(self.state)
            self._adopt_public_files(public)
            _replace_with_symlink(self.state / CURRENT, generation.name)
            _fsync_dir(self.state)
        except OSError as exc:
            raise _output_error(exc, self.path) from exc
        self.published = True
        self.collect_garbage()
        return True

    def check_public(self, public: Sequence[str]) -> None:
        """Raise :class:`OutputError` when a public path is taken by a folder (call it before
        the work, to fail fast; :meth:`publish` checks again)."""
        for name in public:
            path = self.path / name
            if path.is_dir() and not path.is_symlink():
                raise OutputError(f"cannot write to {path}: it is a folder; move it away")

    def _link_target(self, name: str) -> str:
        return f"{STATE_DIR}/{CURRENT}/{name}"

    def _links_ok(self, public: Sequence[str]) -> bool:
        return all(
            (self.path / name).is_symlink() and os.readlink(self.path / name) == self._link_target(name)
            for name in public
        )

    def _adopt_public_files(self, public: Sequence[str]) -> None:
        """Turn ``DIR/<name>`` into symlinks through ``current`` without changing what any of
        them shows: what they show now is first made a generation of its own."""
        if self._links_ok(public):
            return
        self.check_public(public)
        with self.stage() as adopted:
            for name in public:
                shown = self.path / name
                if shown.exists():  # follows symlinks: what a user opening the path gets
                    link_or_copy(shown.resolve(), adopted / name)
            _fsync_tree(adopted)
            generation = self.state / (GEN_PREFIX + adopted.name[len(TMP_PREFIX):])
            os.rename(adopted, generation)
            _replace_with_symlink(self.state / CURRENT, generation.name)
            _fsync_dir(self.state)
        for name in public:
            _replace_with_symlink(self.path / name, self._link_target(name))
        _fsync_dir(self.path)

    def collect_garbage(self) -> None:
        """Remove what killed or failed builds left in the state folder (any ``tmp-*`` or
        ``gen-*`` folder but the current one and this build's scratch folders, stray link
        temporaries). Needs the lock."""
        current = self.current
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.state):
                path = Path(entry.path)
                if entry.name in (LOCK, CURRENT, *self._scratch) or (current is not None and entry.name == current.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(path, ignore_errors=True)
                elif entry.name.endswith(".link") or entry.name.startswith(TMP_PREFIX):
                    path.unlink(missing_ok=True)
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.path):
                if entry.name.startswith(".") and entry.name.endswith(".link") and entry.is_symlink():
                    Path(entry.path).unlink(missing_ok=True)
