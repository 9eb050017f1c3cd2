"""`kg validate` beside pySHACL, the reference engine, on one graph (the samples by default).

    python -m bench.validate [--graph output/graph.ttl] [--repeat 3]

Prints, each as the median of ``--repeat`` runs: the whole command (``python -m kg validate``
in a subprocess, wall clock), and the validation alone in this process, wall and CPU seconds,
with pyshacl-turbo (``kg.validate.validate``) and with pySHACL on the same graph, shapes and
options (tests/test_validate.py checks that their reports are the same).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import python_argv, run_process


def timed(call) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def command_run(graph_path: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, from the kernel's child accounting) of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run_process(python_argv("-m", "kg", "validate", "--graph", str(graph_path))).wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", help="a built graph (default: the samples, built into a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    args = parser.parse_args(argv)

    from pyshacl import validate as reference

    from kg.build import build
    from kg.domain import ONTOLOGY_FILE
    from kg.query import load_graph
    from kg.validate import load_shapes, validate

    with tempfile.TemporaryDirectory(prefix="bench-validate-") as work:
        graph_path = Path(args.graph) if args.graph else Path(build([], work).outputs[0])
        command = [command_run(graph_path) for _ in range(args.repeat)]
        graph = load_graph(graph_path)
        turbo = [timed(lambda: validate(graph)) for _ in range(args.repeat)]
        from rdflib import Graph

        ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
        pyshacl = [timed(lambda: reference(graph, shacl_graph=load_shapes(), ont_graph=ontology,
                                           inference="none", advanced=True)) for _ in range(args.repeat)]
    print(f"graph: {graph_path} ({len(graph)} triples), median of {args.repeat}")
    print("| what | wall s | CPU s |")
    print("| --- | --- | --- |")
    for name, runs in (("`python -m kg validate` (whole command)", command), ("validate(): pyshacl-turbo", turbo),
                       ("pySHACL, same shapes and options", pyshacl)):
        print(f"| {name} | {statistics.median(r[0] for r in runs):.2f} | {statistics.median(r[1] for r in runs):.2f} |")
    print(f"conforms: turbo {turbo[0][2].conforms}, pySHACL {bool(pyshacl[0][2][0])}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
