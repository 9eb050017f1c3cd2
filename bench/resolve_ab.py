"""The resolve stage of two versions side by side, on the same mentions, in one process.

    python -m bench.resolve_ab --papers 10000 --other /path/to/other/kg/resolve.py [--repeat 5]

Generates (or reuses) the synthetic corpus of ``bench/synth.py``, extracts its mentions once
with this checkout's pipeline, then times ``resolve()`` of this checkout and of the other file
(e.g. main's ``kg/resolve.py`` from another worktree) alternately, ``--repeat`` times each,
and prints the medians and their ratio. Both read the same lexicon (this checkout's).
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import statistics
import sys
import time
from pathlib import Path

from bench.run import corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--other", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from kg import nlp, resolve
    from kg.readers import read_inputs

    inputs, _ = corpus(str(args.papers))
    papers = read_inputs(inputs).papers
    cache = inputs[0] / "mentions.pickle"  # this checkout's extraction, reused across runs
    if cache.is_file():
        mentions = pickle.loads(cache.read_bytes())
    else:
        mentions = list(nlp.extract(papers, jobs=args.jobs))
        cache.write_bytes(pickle.dumps(mentions))
    spec = importlib.util.spec_from_file_location("other_resolve", args.other)
    other = importlib.util.module_from_spec(spec)
    sys.modules["other_resolve"] = other  # dataclasses look their module up there
    spec.loader.exec_module(other)
    times: dict[str, list[float]] = {"this": [], "other": []}
    for _ in range(args.repeat):
        for name, module in (("other", other), ("this", resolve)):
            clock = time.perf_counter()
            result = module.resolve(mentions)
            times[name].append(time.perf_counter() - clock)
            if name == "this":
                entities = len(result.entities)
            else:
                other_entities = len(result.entities)
    this, that = statistics.median(times["this"]), statistics.median(times["other"])
    print(f"{len(papers)} papers, {len(mentions)} mentions")
    print(f"resolve other ({args.other}): {that:.3f} s median of {args.repeat}, {other_entities} entities")
    print(f"resolve this: {this:.3f} s median of {args.repeat}, {entities} entities")
    print(f"ratio this/other: {this / that:.2f}")


if __name__ == "__main__":
    main()
