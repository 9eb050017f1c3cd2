"""Coverage-guided fuzzing of the readers and exporters, for longer than the test suite does.

    python -m bench.fuzz readers [-max_total_time=600] [CORPUS_DIR]
    python -m bench.fuzz exports [-max_total_time=600]

atheris (pip install atheris) instruments paperkg's code and the parsers it calls, and drives
the hypothesis properties of tests/test_hostile_fuzz.py through their ``fuzz_one_input``:
inputs that reach new code are kept and mutated further. Arguments after the target are
libFuzzer's (``-max_total_time``, ``-runs``, a corpus folder). A failing input is reported
with the property's own assertion and saved as ``crash-*`` in the working folder.
docs/robustness.md lists the runs made and what they found.
"""

from __future__ import annotations

import sys


def main() -> None:
    import atheris

    targets = ("readers", "exports")
    if len(sys.argv) < 2 or sys.argv[1] not in targets:
        sys.exit(f"usage: python -m bench.fuzz {{{'|'.join(targets)}}} [libFuzzer options]")
    target = sys.argv.pop(1)
    with atheris.instrument_imports(include=["kg", "rdflib", "networkx", "xml", "csv", "json"]):
        import kg.export
        import kg.readers  # noqa: F401 - imported here to be instrumented
        from tests import test_hostile_fuzz as properties
    test = properties.test_readers_never_raise if target == "readers" else properties.test_exports_read_back_in_independent_parsers
    atheris.Setup(sys.argv, test.hypothesis.fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
