"""The data the NLP components are configured with: gazetteer, generic terms, cue words.

Everything here is read from files under ``ontology/`` (see ontology/gazetteer/README.md);
the components receive the paths through their spaCy config.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.nlp.normalize import fold_names
from kg.paths import ONTOLOGY_DIR

GAZETTEER_DIR = ONTOLOGY_DIR / "gazetteer"
NLP_DATA_DIR = ONTOLOGY_DIR / "nlp"
GAZETTEER_FILES = {"Model": "models.tsv", "Dataset": "datasets.tsv", "Benchmark": "benchmarks.tsv", "Method": "methods.tsv"}

_SEPARATORS = re.compile(r"[\s\-_]+")
#: A dot between a letter and a digit (``FLUX.1``, ``v.2``); one between digits is a version.
_LETTER_DIGIT_DOT = re.compile(r"(?<=[^\W\d_])\.(?=\d)|(?<=\d)\.(?=[^\W\d_])")
_STRIP = "\"'“”‘’`*()[]{}（）【】《》「」"


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str) -> str:
    """The comparison key of a name, as the evaluation defines it.

    Unicode NFKC, case-folded, surrounding quotes, brackets and ``*`` stripped, whitespace,
    ``-`` and ``_`` removed: ``GSM-8K``, ``gsm8k`` and ``**GSM8K**`` share the key ``gsm8k``.
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip().strip(_STRIP).strip()
    return _SEPARATORS.sub("", text)


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The key under which spellings of one name are one entity: :func:`normalize_name` of
    the plainly spelled name (:func:`kg.nlp.normalize.fold_names`: no zero-width characters
    or soft hyphens, hyphen look-alikes, full-width forms and Greek/Cyrillic look-alikes
    folded), without a dot between a letter and a digit. ``Llama-3.2`` = ``LLaMA 3.2`` =
    ``llama_3.2`` and ``FLUX.1`` = ``FLUX1``; versions stay apart: ``Qwen2.5-1.5B`` (``qwen2.51.5b``)
    is not ``Qwen2.5-15B``, ``GPT-4o`` is not ``GPT-4``."""
    return _LETTER_DIGIT_DOT.sub("", normalize_name(fold_names(name)))


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """Gazetteer, generic terms and cue words, loaded once per process."""

    gazetteer: dict[str, GazetteerEntry] = field(default_factory=dict)  # key -> entry
    generic: frozenset[str] = frozenset()
    cues: dict = field(default_factory=dict)
    #: (class, regular expression) pairs of name morphology, first match wins.
    morphology: tuple[tuple[str, str], ...] = ()
    #: Last parts of hyphenated modifiers (``LLM-based``, ``RL-Guided``), lower case.
    modifier_heads: frozenset[str] = frozenset()
    #: First parts of hyphenated modifiers (``Multi-Agent``, ``Cross-Modal``), lower case.
    modifier_prefixes: frozenset[str] = frozenset()
    #: When a paired form is an alias (``aliases.json``: max_cjk_chars, clause_marks, fragment_leads).
    alias_rules: dict = field(default_factory=dict)
    #: Variant and family rules of names (``families.json``).
    families: dict = field(default_factory=dict)

    def lookup(self, name: str) -> GazetteerEntry | None:
        return self.gazetteer.get(name_key(name))

    def is_generic(self, name: str) -> bool:
        key = normalize_name(name)
        return key in self.generic or (key.endswith("s") and key[:-1] in self.generic)


def read_gazetteer(directory: Path) -> dict[str, GazetteerEntry]:
    """Read the per-class TSV files of ``directory`` into a key -> entry map."""
    entries: dict[str, GazetteerEntry] = {}
    for entity_type, file_name in GAZETTEER_FILES.items():
        path = directory / file_name
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, _, alias_field = line.partition("\t")
            aliases = tuple(a.strip() for a in alias_field.split("|") if a.strip())
            entry = GazetteerEntry(name.strip(), entity_type, aliases)
            for surface in (entry.name, *aliases):
                entries.setdefault(name_key(surface), entry)
    return entries


def read_word_list(path: Path) -> frozenset[str]:
    """Read a one-term-per-line file (``#`` comments) into normalised keys."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(normalize_name(line) for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=4)
def load_lexicon(gazetteer_dir: str = str(GAZETTEER_DIR), nlp_data_dir: str = str(NLP_DATA_DIR)) -> Lexicon:
    """Load (and cache) the lexicon from its data files."""
    data_dir = Path(nlp_data_dir)
    morphology = json.loads((data_dir / "morphology.json").read_text(encoding="utf-8"))
    return Lexicon(
        gazetteer=read_gazetteer(Path(gazetteer_dir)),
        # Chinese generic terms (generic_glosses.txt) are generic terms too: no alias, no name.
        generic=read_word_list(data_dir / "generic_terms.txt") | read_word_list(data_dir / "generic_glosses.txt"),
        cues=json.loads((data_dir / "cues.json").read_text(encoding="utf-8")),
        morphology=tuple((entity_type, pattern) for entity_type, pattern in morphology["patterns"]),
        modifier_heads=frozenset(word.lower() for word in morphology.get("modifier_heads", ())),
        modifier_prefixes=frozenset(word.lower() for word in morphology.get("modifier_prefixes", ())),
        alias_rules=json.loads((data_dir / "aliases.json").read_text(encoding="utf-8")),
        families=json.loads((data_dir / "families.json").read_text(encoding="utf-8")),
    )
