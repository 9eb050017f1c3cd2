"""Audit of a built graph's names and aliases (issue 17's checks).

    python -m bench.aliases output/graph.ttl [--sample 150 --seed 17]

Counts: aliases that are generic terms (``Lexicon.is_generic``, plus ``--generic FILE``
lists kept outside the project), aliases that two entities share (or that are another
entity's label), Chinese aliases of more than 12 CJK characters, and pairs of entities whose
labels differ only by case, spaces, ``-``, ``_`` or a dot between a letter and a digit.
``--sample N`` prints N random aliases (alias <TAB> entity label) to judge by hand.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from pathlib import Path

from rdflib import RDFS, Graph
from rdflib.namespace import SKOS

from kg.nlp.lexicon import load_lexicon, normalize_name, read_word_list

CJK = re.compile(r"[\u3400-\u9fff]")
LETTER_DIGIT_DOT = re.compile(r"(?<=[a-z])\.(?=\d)|(?<=\d)\.(?=[a-z])")


def spelling_key(label: str) -> str:
    """Case, spaces, ``-``, ``_`` and a letter-digit dot removed (the check's own key)."""
    return re.sub(r"[\s\-_]+", "", LETTER_DIGIT_DOT.sub("", label.casefold()))


def audit(graph: Graph, extra_generic: frozenset[str] = frozenset()) -> dict:
    lexicon = load_lexicon()
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    aliases = [(str(o), s) for s, o in graph.subject_objects(SKOS.altLabel)]
    claims: dict[str, set] = defaultdict(set)
    for node, label in labels.items():
        claims[normalize_name(label)].add(node)
    for alias, node in aliases:
        claims[normalize_name(alias)].add(node)
    generic = [a for a, _ in aliases if lexicon.is_generic(a) or normalize_name(a) in extra_generic]
    shared = sorted({a for a, _ in aliases if len(claims[normalize_name(a)]) > 1})
    long_cjk = [a for a, _ in aliases if len(CJK.findall(a)) > 12]
    by_key: dict[str, list[str]] = defaultdict(list)
    for label in labels.values():
        by_key[spelling_key(label)].append(label)
    split = sorted(sorted(v) for v in by_key.values() if len(v) > 1)
    return {
        "entities": len(labels),
        "aliases": len(aliases),
        "generic": sorted(generic),
        "shared": shared,
        "long_cjk": sorted(long_cjk),
        "split": split,
        "pairs": sorted((a, labels[n]) for a, n in aliases),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--generic", type=Path, action="append", default=[], help="another list of generic terms")
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    graph = Graph()
    graph.parse(args.graph)
    extra = frozenset().union(*(read_word_list(path) for path in args.generic))
    result = audit(graph, extra)
    print(f"entities {result['entities']}, aliases {result['aliases']}")
    for key in ("generic", "shared", "long_cjk", "split"):
        print(f"{key}: {len(result[key])} {result[key][:20]}")
    if args.sample:
        for alias, label in random.Random(args.seed).sample(result["pairs"], min(args.sample, len(result["pairs"]))):
            print(f"{alias}\t{label}")


if __name__ == "__main__":
    main()
