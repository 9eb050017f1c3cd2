"""Write ``ontology/gazetteer/*.tsv``, ``ontology/nlp/metric_names.txt`` and
``ontology/nlp/task_names.txt`` from the name lists
of ``tools/gazetteer``: the hand-maintained ``curated/`` lists and the lists that
``extract.py`` took from packages of the field (``sources/``), curated by the rules of
``curation.json``.

    python tools/gazetteer/build.py            # rewrite the files
    python tools/gazetteer/build.py --check    # exit 1 when the committed files differ

Development-time only and deterministic: the same lists give byte-identical files
(``tests/test_gazetteer.py`` checks that the committed files are what this writes).
Every gazetteer line records the sources that list the name, with their versions.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from kg.nlp.lexicon import GAZETTEER_FILES, normalize_name, read_word_list  # noqa: E402

GAZETTEER_DIR = REPO / "ontology" / "gazetteer"
NLP_DATA_DIR = REPO / "ontology" / "nlp"
CURATED = "curated"
PWC_ATTRIBUTION = (
    "Names marked pwc-tasks come from the Papers with Code task tables (archived copy of "
    "paperswithcode.com data), licensed CC BY-SA 4.0."
)
#: Characters a gazetteer name may hold besides letters and digits.
NAME_CHARACTERS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-+'&/]*[A-Za-z0-9+]$")


@dataclass
class Name:
    """Everything the lists say of one comparison key."""

    spellings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # spelling -> sources
    classes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # class -> sources
    aliases: list[str] = field(default_factory=list)
    curated: tuple[str, str] | None = None  # (name, class) of the hand-maintained lists
    pwc_rows: dict[str, int] = field(default_factory=dict)  # class -> task rows


def read_tsv(path: Path) -> tuple[str, list[list[str]]]:
    """(version of the header ``# source: NAME VERSION``, rows of tab-separated fields)."""
    version, rows = "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# source:"):
            version = line.removeprefix("# source:").strip()
        elif line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return version, rows


def is_name_word(word: str) -> bool:
    """Name shape of one word: an acronym, CamelCase or letters with digits (``GSM8K``,
    ``LoRA``, ``Qwen2``), not a plain word (``Bloom``, ``reward``) or a number."""
    letters = sum(c.isalpha() for c in word)
    if sum(c.isupper() for c in word) >= 2:
        return True
    if any(c.isupper() for c in word[1:]) and any(c.islower() for c in word):
        return True
    return letters >= 2 and any(c.isdigit() for c in word)


def reject_reason(name: str, rules: dict, generic: frozenset[str]) -> str | None:
    """Why a package's name is not kept, or None."""
    key = normalize_name(name)
    words = name.split()
    if name in rules["excluded"]:
        return rules["excluded"][name]
    if not NAME_CHARACTERS.match(name) or "_" in name:
        return "not a name's characters (an identifier, a description)"
    if len(key) <= rules["min_key_length"]:
        return "too short to be unambiguous"
    if len(words) > rules["max_words"]:
        return "a description"
    if not any(c.isupper() for c in name):
        return "no spelling of its own (lower-case identifier)"
    if key in generic or all(normalize_name(w) in generic or w.isdigit() for w in re.split(r"[\s\-]+", name) if w):
        return "a generic term"
    if len(words) == 1 and re.search(rules["internal_suffixes"], name) and re.match(r"^[A-Z][A-Za-z0-9]*[a-z0-9][A-Z]", name):
        return "a class of a package's API"
    if not any(is_name_word(w) for w in re.split(r"[\s\-/]+", name)):
        # Plain words (Bloom, Falcon, Visual Genome) are ambiguous in English text: only the
        # curated lists may hold them; a versioned phrase (Claude 3 Opus) is a name.
        if not (len(words) > 1 and words[0][:1].isupper() and any(re.search(r"\d", w) for w in words[1:])):
            return "plain words"
    return None


def collect(sources_dir: Path, curated_dir: Path, rules: dict) -> dict[str, Name]:
    names: dict[str, Name] = defaultdict(Name)
    for entity_class, file_name in GAZETTEER_FILES.items():
        for row in read_tsv(curated_dir / file_name)[1]:
            name, aliases = row[0].strip(), [a.strip() for a in (row[1] if len(row) > 1 else "").split("|") if a.strip()]
            entry = names[normalize_name(name)]
            entry.curated = (name, entity_class)
            entry.aliases = aliases
    for source in rules["source_order"]:
        version, rows = read_tsv(sources_dir / f"{source}.tsv")
        label = version or source
        for row in rows:
            name, entity_class = row[0].strip(), row[1].strip()
            entry = names[normalize_name(name)]
            if label not in entry.spellings[name]:
                entry.spellings[name].append(label)
            if label not in entry.classes[entity_class]:
                entry.classes[entity_class].append(label)
            if source == "pwc-tasks":
                entry.pwc_rows[entity_class] = entry.pwc_rows.get(entity_class, 0) + int(row[2])
    return names


def decide(names: dict[str, Name], rules: dict, generic: frozenset[str]) -> dict[str, list[tuple[str, list[str], list[str]]]]:
    """class -> sorted (name, aliases, sources) lines of the gazetteer."""
    order = {source: i for i, source in enumerate(rules["source_order"])}

    def rank(label: str) -> int:
        return order.get(label.split()[0], len(order))

    alias_keys = {normalize_name(a) for n in names.values() if n.curated for a in n.aliases}
    out: dict[str, list[tuple[str, list[str], list[str]]]] = {c: [] for c in GAZETTEER_FILES}
    for key in sorted(names):
        entry = names[key]
        sources = sorted({s for labels in entry.spellings.values() for s in labels}, key=lambda s: (rank(s), s))
        if entry.curated:
            name, entity_class = entry.curated
            out[entity_class].append((name, entry.aliases, [CURATED, *sources]))
            continue
        if key in alias_keys:
            continue  # an alias of a curated name (GSM-8K): the curated line holds it
        kept = [s for s in entry.spellings if reject_reason(s, rules, generic) is None]
        if not kept:
            continue
        # The spelling of the highest-ranked source; among its spellings, the most capitals.
        name = min(kept, key=lambda s: (min(rank(x) for x in entry.spellings[s]), -sum(c.isupper() for c in s), s))
        if len(entry.classes) == 1 and "pwc-tasks" in next(iter(entry.classes.values()))[0] and max(entry.pwc_rows.values()) < rules["pwc_min_rows"]:
            continue
        classes = {c: labels for c, labels in entry.classes.items() if not labels[0].startswith("pwc-tasks")}
        if classes:
            entity_class = min(classes, key=lambda c: (min(rank(x) for x in classes[c]), c))
        else:  # Papers with Code only: a benchmark when more task rows list it as one
            rows = entry.pwc_rows
            entity_class = "Benchmark" if rows.get("Benchmark", 0) > rows.get("Dataset", 0) else "Dataset"
        out[entity_class].append((name, [], sources))
    return {c: sorted(lines, key=lambda line: (normalize_name(line[0]), line[0])) for c, lines in out.items()}


def gazetteer_text(entity_class: str, lines: list[tuple[str, list[str], list[str]]]) -> str:
    header = [
        f"# {entity_class} names: generated by tools/gazetteer/build.py; do not edit (add a name to",
        "# tools/gazetteer/curated/ or a rule to tools/gazetteer/curation.json, then run the script).",
        f"# {PWC_ATTRIBUTION}",
        "# name\taliases\tsources",
    ]
    body = [f"{name}\t{'|'.join(aliases)}\t{', '.join(sources)}" for name, aliases, sources in lines]
    return "\n".join(header + body) + "\n"


def metric_names(sources_dir: Path, rules: dict, gazetteer_keys: set[str]) -> str:
    """Metric names of the Papers with Code tables: short, name-like, no entity of the gazetteer."""
    _version, rows = read_tsv(sources_dir / "pwc-metrics.tsv")
    keep = set()
    for name, count in ((row[0].strip(), int(row[1])) for row in rows):
        if count < rules["metric_min_rows"] or len(name.split()) > 3 or not NAME_CHARACTERS.match(name):
            continue
        if normalize_name(name) in gazetteer_keys or not re.search(r"[A-Za-z]{2}", name):
            continue
        keep.add(name)
    header = [
        "# Metric names (no entities): generated by tools/gazetteer/build.py from the Papers with",
        "# Code task tables (CC BY-SA 4.0); do not edit. Read with generic_terms.txt.",
    ]
    return "\n".join(header + sorted(keep, key=lambda n: (normalize_name(n), n))) + "\n"


def task_names(sources_dir: Path, rules: dict, gazetteer_keys: set[str]) -> str:
    """Task names of the Papers with Code tables (Text-to-SQL, Question Answering): topics, not
    entities. Names of the gazetteer (a task named after its benchmark) are left out."""
    _version, rows = read_tsv(sources_dir / "pwc-task-names.tsv")
    keep = {
        name
        for name in (row[0].strip() for row in rows)
        if len(name.split()) <= rules["max_words"] and NAME_CHARACTERS.match(name) and normalize_name(name) not in gazetteer_keys
    }
    header = [
        "# Task names (topics, no entities): generated by tools/gazetteer/build.py from the Papers",
        "# with Code task tables (CC BY-SA 4.0); do not edit. Read with generic_terms.txt.",
    ]
    return "\n".join(header + sorted(keep, key=lambda n: (normalize_name(n), n))) + "\n"


def outputs(tools_dir: Path = HERE) -> dict[Path, str]:
    """Each file the script writes -> its content."""
    rules = json.loads((tools_dir / "curation.json").read_text(encoding="utf-8"))
    generic = read_word_list(NLP_DATA_DIR / "generic_terms.txt")
    names = collect(tools_dir / "sources", tools_dir / "curated", rules)
    decided = decide(names, rules, generic)
    files = {GAZETTEER_DIR / GAZETTEER_FILES[c]: gazetteer_text(c, lines) for c, lines in decided.items()}
    keys = {normalize_name(s) for lines in decided.values() for name, aliases, _ in lines for s in (name, *aliases)}
    files[NLP_DATA_DIR / "metric_names.txt"] = metric_names(tools_dir / "sources", rules, keys)
    files[NLP_DATA_DIR / "task_names.txt"] = task_names(tools_dir / "sources", rules, keys)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'differs' if args.check else 'wrote'}: {path.relative_to(REPO)}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
