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

from kg.domain import GAZETTEER_FILES
from kg.nlp.normalize import fold_names
from kg.paths import ONTOLOGY_DIR

GAZETTEER_DIR = ONTOLOGY_DIR / "gazetteer"
NLP_DATA_DIR = ONTOLOGY_DIR / "nlp"

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
    #: From the hand-maintained lists (sources column ``curated``): its class is not in doubt.
    #: A name only packages of the field list (``MORPH``, a dataset) may be a paper's new model.
    curated: bool = True


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
    #: Words that continue a name as its edition (``Gemini 1.5 Pro``, ``XBench Lite``), as written.
    variant_suffixes: frozenset[str] = frozenset()

    #: key -> the only spellings that name the entry, for one-word names of letters written
    #: mostly in capitals (``QuALITY``, ``DROP``, ``GLUE``): in other case (``quality``,
    #: ``Drop``) they are English words. See :func:`case_sensitive_spellings`.
    exact: dict[str, frozenset[str]] = field(default_factory=dict)

    #: (kind, pattern) of names that are never entities: measurements, hardware, licences,
    #: venues, platforms (``non_entities.json``); matched against the whole name.
    non_entities: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def non_entity_kind(self, name: str) -> str | None:
        """Why ``name`` is no entity by its shape (``measurement`` for ``19.7 FPS``,
        ``hardware`` for ``80GB H800``, ``venue`` for ``NeurIPS 2024``), or None."""
        if not self.non_entities:
            return None
        match = self.non_entities[0][1].fullmatch(_surface(name))
        return match.lastgroup if match else None

    def lookup(self, name: str) -> GazetteerEntry | None:
        key = name_key(name)
        entry = self.gazetteer.get(key)
        if entry is not None and key in self.exact and _surface(name) not in self.exact[key]:
            return None
        return entry

    def is_generic(self, name: str) -> bool:
        key = normalize_name(name)
        return key in self.generic or (key.endswith("s") and key[:-1] in self.generic)


def _surface(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().strip(_STRIP).strip()


def case_sensitive_spellings(entries: dict[str, GazetteerEntry]) -> dict[str, frozenset[str]]:
    """key -> allowed spellings (as listed, or in capitals) of every gazetteer key that is one
    word of letters spelled mostly in capitals: ``GLUE`` names a benchmark, ``glue`` or ``Glue``
    does not. ``HellaSwag``, ``Cityscapes`` or ``GSM8K`` is no English word in any case."""
    spellings: dict[str, set[str]] = {}
    any_case: set[str] = set()  # keys also listed in a spelling of another shape (Llama, LLaMA)
    for entry in sorted(set(entries.values()), key=lambda e: (e.name, e.type)):
        for surface in (entry.name, *entry.aliases):
            surface = _surface(surface)
            upper = sum(c.isupper() for c in surface)
            if surface.isascii() and surface.isalpha() and upper >= 2 and upper > len(surface) - upper:
                spellings.setdefault(name_key(surface), set()).update({surface, surface.upper()})
            else:
                any_case.add(name_key(surface))
    return {key: frozenset(values) for key, values in spellings.items() if key not in any_case}


def read_gazetteer(directory: Path) -> dict[str, GazetteerEntry]:
    """Read the per-class TSV files of ``directory`` into a key -> entry map."""
    entries: dict[str, GazetteerEntry] = {}
    for entity_type, file_name in GAZETTEER_FILES.items():
        path = directory / file_name
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            # name<TAB>aliases<TAB>sources (the sources column is documentation)
            name, _, rest = line.partition("\t")
            alias_field, _, sources = rest.partition("\t")
            aliases = tuple(a.strip() for a in alias_field.split("|") if a.strip())
            curated = not sources.strip() or "curated" in sources.split(", ")
            entry = GazetteerEntry(name.strip(), entity_type, aliases, curated)
            for surface in (entry.name, *aliases):
                entries.setdefault(name_key(surface), entry)
    return entries


def singular_acronym(name: str) -> str | None:
    """The singular of an acronym's plural (``PRMs`` -> ``PRM``, ``ViTs`` -> ``ViT``), or None."""
    if len(name) > 2 and name.endswith("s") and (name[-2].isupper() or name[-2].isdigit()) and sum(c.isupper() for c in name) >= 2:
        return name[:-1]
    return None


def read_word_list(path: Path) -> frozenset[str]:
    """Read a one-term-per-line file (``#`` comments) into normalised keys."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(normalize_name(line) for line in lines if line.strip() and not line.startswith("#"))


def read_optional_word_list(path: Path) -> frozenset[str]:
    """:func:`read_word_list`, or nothing when the file is absent (a custom ``nlp_data_dir``)."""
    return read_word_list(path) if path.exists() else frozenset()


def read_non_entities(path: Path) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The (kind, pattern) pairs of ``non_entities.json``: its patterns, and one pattern per
    list of names (a name, optionally followed by a year or an edition: ``ICLR'25``)."""
    if not path.exists():
        return ()
    data = json.loads(path.read_text(encoding="utf-8"))
    found = list(data.get("patterns", {}).items())
    for kind, names in data.get("names", {}).items():
        alternatives = "|".join(r"[\s\-_]*".join(map(re.escape, n.split())) for n in sorted(names, key=len, reverse=True))
        found.append((kind, rf"(?i)(?:{alternatives})(?:[\s\-_]*'?\d{{2,4}}|\s+v?\d+(?:\.\d+)*)?"))
    # One pattern, one group per kind (matched once per name); a leading (?i) becomes local.
    groups = "|".join(f"(?P<{kind}>{'(?i:' + p[4:] + ')' if p.startswith('(?i)') else p})" for kind, p in found)
    return (("any", re.compile(groups)),) if found else ()


@lru_cache(maxsize=4)
def load_lexicon(gazetteer_dir: str = str(GAZETTEER_DIR), nlp_data_dir: str = str(NLP_DATA_DIR)) -> Lexicon:
    """Load (and cache) the lexicon from its data files."""
    data_dir = Path(nlp_data_dir)
    morphology = json.loads((data_dir / "morphology.json").read_text(encoding="utf-8"))
    gazetteer = read_gazetteer(Path(gazetteer_dir))
    return Lexicon(
        gazetteer=gazetteer,
        exact=case_sensitive_spellings(gazetteer),
        non_entities=read_non_entities(data_dir / "non_entities.json"),
        # Chinese generic terms (generic_glosses.txt) are generic terms too: no alias, no name.
        generic=read_word_list(data_dir / "generic_terms.txt")
        | read_optional_word_list(data_dir / "metric_names.txt")
        | read_optional_word_list(data_dir / "task_names.txt")
        | read_word_list(data_dir / "generic_glosses.txt"),
        cues=json.loads((data_dir / "cues.json").read_text(encoding="utf-8")),
        morphology=tuple((entity_type, pattern) for entity_type, pattern in morphology["patterns"]),
        modifier_heads=frozenset(word.lower() for word in morphology.get("modifier_heads", ())),
        modifier_prefixes=frozenset(word.lower() for word in morphology.get("modifier_prefixes", ())),
        variant_suffixes=frozenset(morphology.get("variant_suffixes", ())),
        alias_rules=json.loads((data_dir / "aliases.json").read_text(encoding="utf-8")),
        families=json.loads((data_dir / "families.json").read_text(encoding="utf-8")),
    )
