"""Entity resolution: one node per real-world entity across the whole graph.

Surface forms are merged when they normalise to the same key (``GSM8K`` = ``GSM-8K``), when
a summary pairs them (abbreviation = full name, English = Chinese name) or when the gazetteer
lists them as aliases. Across papers only English forms link entities; a Chinese name is a
label of the entity its summary pairs it with. The class is decided by the evidence of all papers together, the
label is the gazetteer name or the most frequent form, and model size variants are linked to
their family (``Qwen2.5-VL-7B`` -> ``Qwen2.5-VL``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.nlp.abbreviations import CJK
from kg.domain import EVALUATED_CLASSES, RELATION_PRIORITY
from kg.nlp.aggregate import EVIDENCE_RANK, EVIDENCE_WEIGHT, EntityMention
from kg.nlp.lexicon import GazetteerEntry, Lexicon, load_lexicon, normalize_name

#: ``Family-7B``, ``Family 8B``, ``Family-30B-A3B``, ``Family-7B-Instruct``: the size splits a
#: variant from its family.
LATIN = re.compile(r"[A-Za-z]")
SIZE_VARIANT = re.compile(r"^(?P<family>.+?)[-_ ]\d+(?:\.\d+)?[BMK](?:-A\d+(?:\.\d+)?B)?(?:[-_ ].*)?$")


@dataclass
class Entity:
    """A resolved entity: its canonical label, other surface forms and class."""

    label: str
    type: str
    alt_labels: tuple[str, ...] = ()
    variant_of: str | None = None  # label of the family entity
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


@dataclass
class Resolution:
    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


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


def is_latin_name(surface: str) -> bool:
    """Whether ``surface`` is a Latin-script name (``LoRA``, ``3D-GS``), which identifies an
    entity across papers, rather than a Chinese gloss (``低秩适应``, ``单视图3D重建模型``)."""
    return bool(LATIN.search(surface)) and not CJK.search(surface)


def family_name(label: str) -> str | None:
    """The family of a size variant: ``Qwen2.5-VL-7B-Instruct`` -> ``Qwen2.5-VL``."""
    match = SIZE_VARIANT.match(label)
    return match.group("family") if match else None


def resolve(mentions: Iterable[EntityMention], lexicon: Lexicon | None = None) -> Resolution:
    """Merge per-paper entity mentions into graph-wide entities and paper links."""
    lexicon = lexicon or load_lexicon()
    mentions = list(mentions)
    groups = _UnionFind()
    for mention in mentions:
        # Chinese surfaces ride along as labels but link nothing across papers: the same
        # Chinese words (强化学习, 低秩适应, 单视图3D重建模型) gloss different names in
        # different summaries, and one such link chains unrelated entities into one.
        keys = [normalize_name(mention.name)]
        keys += [normalize_name(s) for s in mention.surfaces if is_latin_name(s)]
        entry = _gazetteer_entry(mention.surfaces, lexicon)
        if entry:
            keys += [normalize_name(s) for s in (entry.name, *entry.aliases)]
        for key in keys[1:]:
            groups.union(keys[0], key)

    by_root: dict[str, list[EntityMention]] = defaultdict(list)
    for mention in mentions:
        by_root[groups.find(normalize_name(mention.name))].append(mention)

    entities: dict[str, Entity] = {}
    label_of_root: dict[str, str] = {}
    for root in sorted(by_root):
        entity = _merge(by_root[root], lexicon)
        entities[entity.label] = entity
        label_of_root[root] = entity.label
    _link_variants(entities, groups, label_of_root)

    links: dict[tuple[str, str], Link] = {}
    for mention in mentions:
        label = label_of_root[groups.find(normalize_name(mention.name))]
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
        entities=sorted(entities.values(), key=lambda e: (normalize_name(e.label), e.label)),
        links=sorted(links.values(), key=lambda l: (l.paper_id, normalize_name(l.entity), l.entity)),
    )


def _merge(group: list[EntityMention], lexicon: Lexicon) -> Entity:
    surfaces = Counter()
    for mention in group:
        surfaces.update(mention.surfaces)
    entry = _gazetteer_entry(sorted(surfaces), lexicon)
    if entry and entry.curated:
        label, entity_type = entry.name, entry.type
    else:
        # Prefer Latin names over Chinese translations, then the most frequent, then longest.
        label = sorted(surfaces.items(), key=lambda item: (not item[0].isascii(), -item[1], -len(item[0]), item[0]))[0][0]
        # A name only packages list is typed by the papers' evidence (a cue beats the list).
        label = entry.name if entry else label
        entity_type = vote_type(group)
    alt = sorted(s for s in surfaces if s != label)
    return Entity(label=label, type=entity_type, alt_labels=tuple(alt))


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


def _link_variants(entities: dict[str, Entity], groups: _UnionFind, label_of_root: dict[str, str]) -> None:
    for entity in sorted(entities.values(), key=lambda e: e.label):
        if entity.type != "Model":
            continue
        family = family_name(entity.label)
        if not family:
            continue
        root = groups.find(normalize_name(family))
        family_label = label_of_root.get(root)
        if family_label is None:
            family_label = family
            if family_label not in entities:
                entities[family_label] = Entity(label=family_label, type="Model")
        if family_label != entity.label:
            entity.variant_of = family_label


def _fit_relations_to_types(links: dict[tuple[str, str], Link], entities: dict[str, Entity]) -> None:
    """A paper can evaluate on a benchmark or dataset only; after the graph-wide type vote,
    other entities that a paper 'evaluated on' are used."""
    for key, link in links.items():
        if link.relation == "evaluatesOn" and entities[link.entity].type not in EVALUATED_CLASSES:
            links[key] = Link(link.paper_id, link.entity, "uses", link.surface, link.section, link.sentence)
