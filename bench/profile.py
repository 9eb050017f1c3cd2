"""Where a build spends its time: cProfile of ``kg.build.build`` on a corpus.

    python -m bench.profile --size 10k [--jobs 1] [--top 25]

Prints the functions with the most own time, the most cumulative time, and the own time
summed per package (``kg.nlp``, ``rdflib``, ``spacy``, ...). The raw profile is saved to
``bench/results/profile-<size>.prof`` (open it with ``python -m pstats`` or snakeviz).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.run import RESULTS_DIR, corpus

#: Path fragments that name a package in profile output, most specific first.
PACKAGES = ("kg/nlp", "kg/readers", "kg/resolve", "kg/graph", "kg/html", "kg/build", "kg/",
            "rdflib", "pyoxigraph", "oxrdflib", "spacy", "thinc", "pyvis", "networkx", "igraph",
            "jinja2", "re/", "json", "{built-in", "<frozen")


def package_of(filename: str) -> str:
    """The package a profiled function belongs to (a short label)."""
    for fragment in PACKAGES:
        if fragment in filename:
            return fragment.strip("/{<")
    return "other"


def by_package(stats: pstats.Stats) -> dict[str, float]:
    """Own time per package, in seconds, largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        totals[package_of(filename)] += tottime
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def profile_build(size: str, jobs: int = 1, top: int = 25) -> str:
    """Profile one build of ``size``; return the printable report."""
    from kg.build import build

    inputs, _ = corpus(size)
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="kgprofile-") as tmp:
        profiler.enable()
        build([str(p) for p in inputs], out_dir=Path(tmp) / "out", jobs=jobs)
        profiler.disable()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(RESULTS_DIR / f"profile-{size}.prof")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = sum(row[2] for row in stats.stats.values())
    out.write(f"# profile of kg.build.build on {size} (jobs={jobs}): {total:.1f} s own time in total\n\n")
    out.write("own time per package:\n")
    for name, seconds in by_package(stats).items():
        if seconds >= 0.005 * total:
            out.write(f"  {name:<12} {seconds:8.2f} s  {100 * seconds / total:5.1f} %\n")
    out.write("\n")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="samples", help="samples, 10k, 100k or a number of papers")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--top", type=int, default=25, help="functions listed per table")
    args = parser.parse_args(argv)
    print(profile_build(args.size, args.jobs, args.top))


if __name__ == "__main__":
    main()
