"""Timing and per-stage peak memory for the benchmarks (Linux ``/proc``).

Each stage resets the kernel's peak-RSS mark (``/proc/self/clear_refs`` = 5), runs, and reads
``VmHWM``: the stage's own peak, not the process's lifetime peak (perf_baselines.md).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Figure:
    """One measured stage: median seconds over ``runs``, and memory in MiB."""

    stage: str
    seconds: float | None  # None: not run or timed out
    runs: int = 1
    peak_mb: float | None = None  # VmHWM during the stage
    extra_mb: float | None = None  # peak minus the RSS before the stage
    rows: int | None = None  # result rows (queries) or items produced
    note: str = ""
    samples: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _status_kb(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def reset_peak() -> None:
    """Reset the kernel's peak-RSS mark of this process (VmHWM := VmRSS)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")


@contextlib.contextmanager
def stage(name: str, sink: list[Figure], rows: Callable[[], int | None] | None = None) -> Iterator[Figure]:
    """Time the body once and record its peak memory; append the ``Figure`` to ``sink``."""
    gc.collect()
    reset_peak()
    before = _status_kb("VmRSS")
    figure = Figure(stage=name, seconds=None)
    start = time.perf_counter()
    yield figure
    figure.seconds = time.perf_counter() - start
    figure.samples = [figure.seconds]
    peak = _status_kb("VmHWM")
    figure.peak_mb = round(peak / 1024, 1)
    figure.extra_mb = round((peak - before) / 1024, 1)
    if rows is not None:
        figure.rows = rows()
    sink.append(figure)
    print(f"  {name}: {figure.seconds:.2f} s, +{figure.extra_mb:.0f} MB (peak {figure.peak_mb:.0f} MB)", file=sys.stderr)


class Timeout(Exception):
    """A timed call ran past its limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``Timeout`` in the body after ``seconds`` (interrupts pure-Python work only)."""
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def repeated(name: str, call: Callable[[], int | None], repeat: int, limit: float | None = None,
             slow: float = 10.0) -> Figure:
    """Median of ``repeat`` timed calls (one call when the first takes more than ``slow`` s).

    ``call`` returns a row count. A call past ``limit`` seconds gives a figure with
    ``seconds=None`` and a note.
    """
    samples: list[float] = []
    rows = None
    gc.collect()
    reset_peak()
    before = _status_kb("VmRSS")
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            with time_limit(limit):
                rows = call()
        except Exception as exc:  # the timeout may arrive wrapped (kg.query.QueryError)
            if not isinstance(exc, Timeout) and not isinstance(exc.__cause__, Timeout):
                raise
            return Figure(name, None, len(samples), note=f"timed out after {limit:.0f} s")
        samples.append(time.perf_counter() - start)
        if samples[0] > slow:
            break
    peak = _status_kb("VmHWM")
    return Figure(name, statistics.median(samples), len(samples), round(peak / 1024, 1),
                  round((peak - before) / 1024, 1), rows, samples=[round(s, 6) for s in samples])


@dataclass
class ProcessRun:
    """A whole process: wall seconds, peak RSS of the process tree's largest member, exit code."""

    wall: float
    peak_mb: float
    returncode: int
    stderr: str


def run_process(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> ProcessRun:
    """Run ``argv`` and measure it from outside: wall clock, and peak RSS from ``wait4`` (the
    largest single process of the tree, as ``/usr/bin/time`` reports it)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr_chunks: list[bytes] = []
    # Read stderr before waiting so that a chatty child cannot block on a full pipe.
    stderr_chunks.append(proc.stderr.read())
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ProcessRun(round(wall, 3), round(usage.ru_maxrss / 1024, 1), proc.returncode,
                      b"".join(stderr_chunks).decode("utf-8", "replace")[-2000:])


def python_argv(*args: str) -> list[str]:
    """``python`` (this interpreter) with ``args``."""
    return [sys.executable, *args]
