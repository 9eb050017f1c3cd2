"""Entity resolution: one node per real-world entity across the whole graph.

Surface forms are merged when their name keys are equal (``GSM8K`` = ``GSM-8K`` = ``ＧＳＭ８Ｋ``,
:func:`kg.nlp.lexicon.name_key`), when a summary pairs them (abbreviation = full name) or when
the gazetteer lists them as aliases. Across papers only English forms link entities; a Chinese
name is an alias of the entity its summary pairs it with, when it passes the alias rules
(``ontology/nlp/aliases.json``: no generic term, no fragment of a clause). An alias that two
entities claim goes to neither and is reported (:attr:`Resolution.withheld`). The class is
decided by the evidence of all papers together, the label is the gazetteer name or the most
frequent form. Model variants (size, instruct, quantisation, date) point to their family with
``variant_of`` and derived families to their base with ``based_on`` (``Qwen2.5-VL`` ->
``Qwen2.5``, ``MMLU-Pro`` -> ``MMLU``), by the rules of ``ontology/nlp/families.json``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kg.nlp.abbreviations import CJK
from kg.domain import EVALUATED_CLASSES, RELATION_PRIORITY
from kg.nlp.aggregate import EVIDENCE_RANK, EVIDENCE_WEIGHT, EntityMention
from kg.nlp.lexicon import GazetteerEntry, Lexicon, load_lexicon, name_key

LATIN = re.compile(r"[A-Za-z]")
CJK_CHARS = re.compile(r"[\u3400-\u9fff]")
#: One part of a name: what ``-``, ``_`` or a space separate.
PART_SEPARATOR = re.compile(r"[-_ ]")


@dataclass
class Entity:
    """A resolved entity: its canonical label, other surface forms and class."""

    label: str
    type: str
    alt_labels: tuple[str, ...] = ()
    variant_of: str | None = None  # label of the family entity (a size, instruct, ... variant)
    based_on: str | None = None  # label of the entity a derived family is built on
    paper_count: int = 0


@dataclass(frozen=True)
class Link:
    """A paper -> entity relation with its evidence."""

    paper_id: str
    entity: str  # the entity's label
    relation: str
    surface: str
    section: str
    sentence: str


@dataclass(frozen=True)
class WithheldAlias:
    """An alias that several entities claim: given to none of them."""

    alias: str
    entities: tuple[str, ...]  # labels of the claimants
    paper_ids: tuple[str, ...]  # papers whose summaries pair it with one of them

    def __str__(self) -> str:
        return f"alias {self.alias!r} is claimed by {', '.join(self.entities)}; given to none"


@dataclass
class Resolution:
    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    withheld: list[WithheldAlias] = field(default_factory=list)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key becomes the root, so the result does not depend on input order.
            ra, rb = sorted((ra, rb))
            self.parent[rb] = ra


@lru_cache(maxsize=1 << 16)
def is_latin_name(surface: str) -> bool:
    """Whether ``surface`` is a Latin-script name (``LoRA``, ``3D-GS``), which identifies an
    entity across papers, rather than a Chinese gloss (``低秩适应``, ``单视图3D重建模型``)."""
    return bool(LATIN.search(surface)) and not CJK.search(surface)


@lru_cache(maxsize=4)
def _variant_pattern(parts: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{part})" for part in parts)
    return re.compile(rf"^(?P<family>.*?[A-Za-z].*?)(?:[-_ ](?:{alternatives}))+$", re.IGNORECASE)


def family_name(label: str, lexicon: Lexicon | None = None) -> str | None:
    """The family of a model variant (``families.json`` ``variant_parts``):
    ``Qwen2.5-VL-7B-Instruct`` -> ``Qwen2.5-VL``, ``gpt-4o-2024-08-06`` -> ``gpt-4o``;
    ``GPT-4o`` and ``Qwen2.5-VL`` are no variants."""
    lexicon = lexicon or load_lexicon()
    match = _variant_pattern(tuple(lexicon.families["variant_parts"])).match(label)
    return match.group("family") if match else None


def alias_problem(alias: str, lexicon: Lexicon, names: Iterable[str] = ()) -> str | None:
    """Why ``alias`` may not be an alias of the entity with the Latin ``names``, or None. A
    Latin form is a spelling variant, abbreviation or gazetteer alias; it is refused only when
    it is a generic term. A Chinese gloss is also refused when it is longer than a name, crosses
    a clause, begins like a clause or with a qualifier the names lack, ends in a word for a
    property, or is too short to translate the whole name (``ontology/nlp/aliases.json``)."""
    rules = lexicon.alias_rules
    if lexicon.is_generic(alias):
        return "generic term"
    if is_latin_name(alias):
        return "a variable" if re.match(rules["math_variable"], alias) else None
    chars = len(CJK_CHARS.findall(alias))
    if chars > rules["max_cjk_chars"]:
        return "longer than a name"
    if any(mark in alias for mark in rules["clause_marks"]):
        return "crosses a clause"
    if any(alias.startswith(lead) and len(alias) > len(lead) for lead in rules["fragment_leads"]):
        return "begins a clause"
    if any(alias.endswith(tail) for tail in rules["description_tails"]):
        return "describes a property"
    names = [n for n in names if is_latin_name(n)]
    lowered = " ".join(names).lower()
    if any(alias.startswith(word) and stem not in lowered for word, stem in rules["qualifiers"].items()):
        return "narrows the name"
    if names and chars < rules["min_cjk_per_unit"] * _name_units(names):
        return "translates part of the name"
    return None


def _name_units(names: list[str]) -> int:
    """What a full translation must cover: the words of the longest multiword name, else the
    capital letters and digits of the shortest (an acronym: ``DSGA`` 4, ``CoE`` 2)."""
    phrases = [n for n in names if len(re.findall(r"[A-Za-z]+", n)) > 1 and not re.fullmatch(r"[A-Z0-9\W]+", n)]
    if phrases:
        return max(len(re.findall(r"[A-Za-z]+", n)) for n in phrases)
    return min(len(re.findall(r"[A-Z]", n)) for n in names)


def resolve(mentions: Iterable[EntityMention], lexicon: Lexicon | None = None) -> Resolution:
    """Merge per-paper entity mentions into graph-wide entities and paper links."""
    lexicon = lexicon or load_lexicon()
    mentions = list(mentions)
    ambiguous = _ambiguous_abbreviations(mentions, lexicon)
    anchors = [_anchor(mention, ambiguous) for mention in mentions]
    groups = _UnionFind()
    for mention, anchor in zip(mentions, anchors):
        # Chinese surfaces ride along as labels but link nothing across papers: the same
        # Chinese words (强化学习, 低秩适应, 单视图3D重建模型) gloss different names in
        # different summaries, and one such link chains unrelated entities into one. Nor
        # does an abbreviation that papers expand differently (GSM: Geometry Selection
        # Module, Gather-Scatter Mamba).
        latin = [s for s in mention.surfaces if is_latin_name(s) and name_key(s) not in ambiguous]
        keys = [anchor, *(name_key(s) for s in latin)]
        entry = _gazetteer_entry(latin or mention.surfaces, lexicon)
        if entry:
            keys += [name_key(s) for s in (entry.name, *entry.aliases)]
        for key in keys[1:]:
            groups.union(keys[0], key)

    by_root: dict[str, list[EntityMention]] = defaultdict(list)
    for mention, anchor in zip(mentions, anchors):
        by_root[groups.find(anchor)].append(mention)

    entities: dict[str, Entity] = {}
    label_of_root: dict[str, str] = {}
    for root in sorted(by_root):
        entity = _merge(by_root[root], lexicon, ambiguous)
        entities[entity.label] = entity
        label_of_root[root] = entity.label
    withheld = _withhold_shared_aliases(entities, by_root, label_of_root)
    _link_families(entities, groups, label_of_root, lexicon)

    links: dict[tuple[str, str], Link] = {}
    for mention, anchor in zip(mentions, anchors):
        label = label_of_root[groups.find(anchor)]
        link = Link(mention.paper_id, label, mention.relation, mention.name, mention.section, mention.sentence)
        key = (mention.paper_id, label)
        if key not in links or RELATION_PRIORITY.index(link.relation) < RELATION_PRIORITY.index(links[key].relation):
            links[key] = link
    for entity in entities.values():
        entity.paper_count = 0
    for paper_id, label in links:
        entities[label].paper_count += 1
    _fit_relations_to_types(links, entities)
    return Resolution(
        entities=sorted(entities.values(), key=lambda e: (name_key(e.label), e.label)),
        links=sorted(links.values(), key=lambda l: (l.paper_id, name_key(l.entity), l.entity)),
        withheld=withheld,
    )


def _merge(group: list[EntityMention], lexicon: Lexicon, ambiguous: frozenset[str] = frozenset()) -> Entity:
    surfaces = Counter()
    for mention in group:
        surfaces.update(mention.surfaces)
    # An abbreviation that papers expand differently labels none of the expansions.
    candidates = {s: n for s, n in surfaces.items() if name_key(s) not in ambiguous} or surfaces
    entry = _gazetteer_entry(sorted(candidates), lexicon)
    if entry and entry.curated:
        label, entity_type = entry.name, entry.type
    else:
        # Prefer Latin names over Chinese translations, then the most frequent, then longest.
        label = sorted(candidates.items(), key=lambda item: (not item[0].isascii(), -item[1], -len(item[0]), item[0]))[0][0]
        # A name only packages list is typed by the papers' evidence (a cue beats the list).
        label = entry.name if entry else label
        entity_type = vote_type(group)
    names = [s for s in surfaces if is_latin_name(s)]
    glosses = _attested_glosses(group, entry, has_long_form=any(len(_words(n)) >= 2 and " " in n for n in names))
    # Every lookup (kg view, --param name=, the page's search, kg eval) ignores letter case, so
    # a spelling that differs from the label or a kept alias only in case names nothing new;
    # it is as often an English word (react for ReAct) as the name.
    by_case: dict[str, str] = {label.casefold(): label}
    for surface, _ in sorted(surfaces.items(), key=lambda item: (-item[1], item[0])):
        if (is_latin_name(surface) or surface in glosses) and alias_problem(surface, lexicon, names) is None:
            by_case.setdefault(surface.casefold(), surface)
    alt = sorted(s for s in by_case.values() if s != label)
    return Entity(label=label, type=entity_type, alt_labels=tuple(alt))


def _long_forms(mention: EntityMention) -> tuple[str, ...]:
    """The Latin forms of several words of ``mention`` (expansions: ``Geometry Selection Module``)."""
    return _long_forms_of(mention.surfaces)


@lru_cache(maxsize=1 << 16)
def _long_forms_of(surfaces: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for s in surfaces if " " in s.strip() and is_latin_name(s) and len(_words(s)) >= 2)


def _words(name: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", name)}


def _ambiguous_abbreviations(mentions: list[EntityMention], lexicon: Lexicon) -> frozenset[str]:
    """Keys of the short forms that papers expand into different names, no gazetteer name:
    ``GSM`` as ``Geometry Selection Module`` and as ``Gather-Scatter Mamba``. Expansions that
    share most of their words are one (``Segment Anything`` = ``Segment Anything Model``)."""
    expansions: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for mention in mentions:
        longs = _long_forms(mention)
        if not longs:
            continue
        for surface in mention.surfaces:
            if is_latin_name(surface) and surface not in longs and " " not in surface.strip():
                for long in longs:
                    expansions[name_key(surface)][name_key(long)] = _words(long)
    ambiguous = set()
    for short, longs in expansions.items():
        if len(longs) < 2 or lexicon.lookup(short) is not None:
            continue
        words = sorted(longs.values(), key=sorted)
        if any(len(a & b) < 0.5 * min(len(a), len(b)) for i, a in enumerate(words) for b in words[i + 1 :]):
            ambiguous.add(short)
    return frozenset(ambiguous)


def _anchor(mention: EntityMention, ambiguous: frozenset[str]) -> str:
    """The key a mention joins its entity by: its name's, or its longest expansion's when the
    name is an ambiguous abbreviation."""
    if name_key(mention.name) in ambiguous:
        longs = _long_forms(mention)
        if longs:
            return name_key(max(longs, key=lambda s: (len(s), s)))
    return name_key(mention.name)


def _attested_glosses(group: list[EntityMention], entry: GazetteerEntry | None, has_long_form: bool = True) -> set[str]:
    """The Chinese glosses of ``group`` that name the entity rather than describe it: one that
    two papers give, the gazetteer's, or one given by a paper that proposes the entity (its
    authors' own name for it) when the entity also has an English name of several words that
    the gloss must cover (``alias_problem``). A single paper's gloss of a name it only uses is
    as often a description (密集检索（BGE）, 专家策略（InterMimic）) as a name, and one paper's
    gloss of a bare acronym as often a part or a narrowing of it (在线手写识别 for HWR)."""
    papers: dict[str, set[str]] = defaultdict(set)
    attested = set(entry.aliases) if entry else set()
    for mention in group:
        for surface in mention.surfaces:
            if not is_latin_name(surface):
                papers[surface].add(mention.paper_id)
                if mention.relation == "proposes" and has_long_form:
                    attested.add(surface)
    return attested | {surface for surface, ids in papers.items() if len(ids) >= 2}


def _withhold_shared_aliases(
    entities: dict[str, Entity], by_root: dict[str, list[EntityMention]], label_of_root: dict[str, str]
) -> list[WithheldAlias]:
    """Remove every alias that two entities claim (by name key), or that is another entity's
    label, from all of them, and return what was removed. Latin forms cannot be claimed twice
    (equal keys are one entity); Chinese glosses can: 强化学习 glosses GRPO, PPO and RLHF."""
    claims: dict[str, set[str]] = defaultdict(set)
    for entity in entities.values():
        claims[name_key(entity.label)].add(entity.label)
        for alias in entity.alt_labels:
            claims[name_key(alias)].add(entity.label)
    shared = {key: labels for key, labels in claims.items() if len(labels) > 1}
    if not shared:
        return []
    withheld: dict[str, tuple[str, set[str], set[str]]] = {}
    for root, group in by_root.items():
        for mention in group:
            for surface in mention.surfaces:
                key = name_key(surface)
                if key in shared:
                    withheld.setdefault(key, (surface, set(shared[key]), set()))[2].add(mention.paper_id)
    for entity in entities.values():
        entity.alt_labels = tuple(alias for alias in entity.alt_labels if name_key(alias) not in shared)
    return [
        WithheldAlias(surface, tuple(sorted(labels)), tuple(sorted(papers)))
        for surface, labels, papers in sorted(withheld.values(), key=lambda item: (name_key(item[0]), item[0]))
    ]


def vote_type(group: list[EntityMention]) -> str:
    """The class of an entity from every paper that names it: each paper votes for its class
    with the weight of its evidence (``EVIDENCE_WEIGHT``: a cue outweighs a name's shape, and
    three papers' morphology outweigh one cue); ties go to the strongest evidence, then the
    class name."""
    votes: Counter[str] = Counter()
    strongest: dict[str, int] = {}
    for mention in group:
        votes[mention.type] += EVIDENCE_WEIGHT[mention.type_evidence]
        rank = EVIDENCE_RANK[mention.type_evidence]
        strongest[mention.type] = min(rank, strongest.get(mention.type, rank))
    return sorted(votes, key=lambda t: (-votes[t], strongest[t], t))[0]


def _gazetteer_entry(surfaces: Iterable[str], lexicon: Lexicon) -> GazetteerEntry | None:
    """The gazetteer entry of the first surface listed there. A Chinese gloss counts only
    when no surface is a Latin name: ``低秩适应（GVWKE）`` names GVWKE, not LoRA."""
    surfaces = list(surfaces)
    names = [s for s in surfaces if is_latin_name(s)]
    return next(filter(None, map(lexicon.lookup, names or surfaces)), None)


def _label_for(name: str, groups: _UnionFind, label_of_root: dict[str, str], lexicon: Lexicon) -> str | None:
    """The label of the entity named ``name`` (by key or as a gazetteer alias), if there is one."""
    keys = [name_key(name)]
    entry = lexicon.lookup(name)
    if entry:
        keys += [name_key(s) for s in (entry.name, *entry.aliases)]
    for key in keys:
        if key in groups.parent:
            label = label_of_root.get(groups.find(key))
            if label is not None:
                return label
    return None


def _link_families(entities: dict[str, Entity], groups: _UnionFind, label_of_root: dict[str, str], lexicon: Lexicon) -> None:
    """Variants to their family (created when no paper names it alone), then derived families
    to their base (``families.json``)."""
    rules = lexicon.families
    variant_classes = set(rules["variant_classes"])
    for entity in sorted(entities.values(), key=lambda e: e.label):
        if entity.type not in variant_classes:
            continue
        family = family_name(entity.label, lexicon)
        if not family:
            continue
        family_label = _label_for(family, groups, label_of_root, lexicon)
        if family_label is None:
            entry = lexicon.lookup(family)
            family_label = entry.name if entry else family
            entities[family_label] = Entity(label=family_label, type=entity.type)
            key = name_key(family_label)
            label_of_root[groups.find(key)] = family_label
        if family_label != entity.label:
            entity.variant_of = family_label
    derived = rules["derived"]
    by_key = {name_key(e.label): e for e in entities.values()}
    for entity in sorted(entities.values(), key=lambda e: e.label):
        if entity.variant_of or entity.type not in derived["classes"]:
            continue
        base = _base_of(entity, by_key, derived["min_base_chars"], lexicon)
        if base is not None:
            entity.based_on = base.label


def _base_of(entity: Entity, by_key: dict[str, Entity], min_chars: int, lexicon: Lexicon) -> Entity | None:
    """The entity of the same class whose name is ``entity``'s name less one part at either
    end, the extra part holding a letter: ``MMLU-Pro`` -> ``MMLU``, ``KO-MMLU`` -> ``MMLU``."""
    label = entity.label
    candidates = []
    for match in PART_SEPARATOR.finditer(label):
        before, after = label[: match.start()], label[match.end() :]
        candidates += [(before, after), (after, before)]
    found = []
    for base_name, extra in candidates:
        base = by_key.get(name_key(base_name))
        if (
            base is not None
            and base is not entity
            and base.type == entity.type
            and LATIN.search(extra)
            and not PART_SEPARATOR.search(extra)
            and len(name_key(base_name)) >= min_chars
            and not lexicon.is_generic(base_name)
        ):
            found.append(base)
    # The longest base is the nearest family: Qwen2.5-VL-Max -> Qwen2.5-VL, not Qwen2.5.
    return max(found, key=lambda e: (len(name_key(e.label)), e.label), default=None)


def _fit_relations_to_types(links: dict[tuple[str, str], Link], entities: dict[str, Entity]) -> None:
    """A paper can evaluate on a benchmark or dataset only; after the graph-wide type vote,
    other entities that a paper 'evaluated on' are used."""
    for key, link in links.items():
        if link.relation == "evaluatesOn" and entities[link.entity].type not in EVALUATED_CLASSES:
            links[key] = Link(link.paper_id, link.entity, "uses", link.surface, link.section, link.sentence)
