"""Candidates for ``ontology/nlp/generic_glosses.txt`` and the alias rules, mined from digests.

    python -m bench.mine_glosses ../shared/corpus kg/data/samples > /tmp/glosses.txt

Reads every ``.md``, ``.txt`` and ``.jsonl`` file under the folders as plain text (no reader:
any layout), finds the translation pairs of ``kg.nlp.abbreviations.find_pairs`` and prints
three lists: glosses that translate a generic English term somewhere (``强化学习（RL）``),
glosses of three or more different names, and the words that open a gloss which is another
gloss with a word in front (``随着`` + ``大型语言模型``): candidates for ``fragment_leads``.
Candidates are read and kept by hand: a term of the field goes to the list, a fragment not.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from kg.nlp.abbreviations import chinese_cue_words, find_pairs
from kg.nlp.lexicon import load_lexicon, name_key
from kg.nlp.normalize import fold_names


def glosses(folders: list[Path]) -> dict[str, set[str]]:
    """Chinese gloss -> name keys of the English forms it translates."""
    lexicon = load_lexicon()
    not_names = chinese_cue_words(lexicon.cues)
    stop_words = frozenset(lexicon.cues.get("zh_words_with_stop_chars", ()))
    found: dict[str, set[str]] = defaultdict(set)
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".md", ".txt", ".jsonl")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".jsonl":
                text = "\n".join(json.dumps(json.loads(line), ensure_ascii=False) for line in text.splitlines() if line.strip())
            for line in fold_names(text).splitlines():
                for pair in find_pairs(line, not_names, stop_words):
                    if pair.kind == "translation":
                        found[line[slice(*pair.long)]].add(name_key(line[slice(*pair.short)]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args()
    lexicon = load_lexicon()
    found = glosses(args.folders)
    generic = sorted(g for g, keys in found.items() if any(lexicon.is_generic(k) for k in keys))
    print("# glosses of generic terms:", len(generic))
    print("\n".join(generic))
    print("# glosses of three or more names")
    for gloss, keys in sorted(found.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(keys) >= 3:
            print(f"{gloss}\t{' '.join(sorted(keys))}")
    leads = Counter(g[:i] for g in found for i in range(1, 5) if len(g) - i >= 2 and g[i:] in found)
    print("# words in front of another gloss (two or more times)")
    print(" ".join(f"{lead}:{n}" for lead, n in leads.most_common() if n >= 2))


if __name__ == "__main__":
    main()
