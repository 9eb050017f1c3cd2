"""From the typed, related mentions of one paper's ``Doc`` to one record per entity."""

from __future__ import annotations

import re
from collections import Counter
import dataclasses
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.domain import EVALUATED_CLASSES, RELATION_PRIORITY
from kg.nlp.entity_types import ENTITIES_KEY
from kg.nlp.lexicon import normalize_name, singular_acronym
from kg.nlp.mentions import is_ascii_alnum
from kg.records import SECTION_HEADINGS
from kg.nlp.tokenizer import doc_text

#: ``catalogue``: a name only packages of the field list (tools/gazetteer): the text's cue beats it.
#: ``context``: an otherwise untyped name the text evaluates on (在 X 上评估, evaluate on X).
EVIDENCE_RANK = {"gazetteer": 0, "cue": 1, "catalogue": 2, "morphology": 3, "context": 4, "default": 5}
#: How much one paper's evidence weighs in the graph-wide vote on an entity's class
#: (resolve.vote_type): a package's list or a cue beats a name's shape, which beats the
#: evaluation context; a default class hardly counts.
EVIDENCE_WEIGHT = {"gazetteer": 12, "cue": 6, "catalogue": 5, "morphology": 3, "context": 2, "default": 1}
POSSESSIVE = re.compile(r"['’]s$")
BULLET = re.compile(r"^(?:[-*•]+|\d+[.)、]|[(（]\d+[)）])\s*")


@dataclass(frozen=True)
class EntityMention:
    """One entity named in one paper's summary, with the evidence of its relation."""

    paper_id: str
    name: str  # the most frequent surface form in this summary
    surfaces: tuple[str, ...]  # every surface form and alias seen in this summary
    type: str
    type_evidence: str  # gazetteer, cue, morphology or default
    relation: str
    section: str  # the Chinese heading of the section, or "标题" for the title
    sentence: str


#: Prefix of the section key of a summary section without a key of its own: the key is this
#: prefix and the section's heading (see :func:`kg.nlp.make_paper_doc`).
OTHER_SECTION = "other:"


def section_heading(key: str) -> str:
    """The heading a mention's section key stands for: the canonical heading of a known
    section, the heading as written of another one, 标题 for the title."""
    if key.startswith(OTHER_SECTION):
        return key[len(OTHER_SECTION):] or "正文"
    return SECTION_HEADINGS.get(key, "标题")


def without_possessive(surface: str) -> str:
    """``NoteIt's`` -> ``NoteIt``."""
    return POSSESSIVE.sub("", surface) if "s" in surface[-1:] and ("'" in surface or "’" in surface) else surface


def clean_sentence(sentence: str) -> str:
    """Evidence text without markdown: no bullet or list number in front (``*   ``, ``2.``,
    ``(3)``), no ``**`` emphasis, spaces collapsed."""
    sentence = BULLET.sub("", sentence.replace("**", "").strip())
    return re.sub(r"\s+", " ", sentence).strip()


def paper_entities(doc: Doc) -> list[EntityMention]:
    """Group a paper's entity mentions (and their alias pairs) into one record per entity."""
    paper_id = doc.user_data.get("paperkg_paper", "")  # set by kg.nlp.make_paper_doc
    spans = list(doc.spans.get(ENTITIES_KEY, []))
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    keys_of: dict[str, str] = {}

    def key_of(surface: str) -> str:
        # An acronym's plural is the acronym: PRMs beside PRM is one entity.
        key = keys_of.get(surface)
        if key is None:
            bare = without_possessive(surface)
            key = keys_of[surface] = normalize_name(singular_acronym(bare) or bare)
        return key

    keys = {key_of(span.text) for span in spans}
    aliases: dict[str, set[str]] = {}
    text = doc_text(doc)
    for (ls, le), (ss, se), _kind in doc._.alias_pairs or ():
        long_text, short_text = text[ls:le], text[ss:se]
        long_key, short_key = key_of(long_text), key_of(short_text)
        if long_key in keys and short_key in keys:
            parent[find(long_key)] = find(short_key)
        elif long_key in keys:
            aliases.setdefault(long_key, set()).add(short_text)
        elif short_key in keys:
            aliases.setdefault(short_key, set()).add(long_text)

    groups: dict[str, list] = {}
    for span in spans:
        groups.setdefault(find(key_of(span.text)), []).append(span)
    records = []
    for group in groups.values():
        surfaces = Counter(without_possessive(span.text) for span in group)  # NoteIt's: NoteIt
        extra = set().union(*(aliases.get(key_of(s), set()) for s in surfaces))
        extra |= {singular_acronym(s) for s in surfaces if singular_acronym(s)}
        best_rank = min(EVIDENCE_RANK[s._.type_evidence] for s in group)
        types = Counter(s.label_ for s in group if EVIDENCE_RANK[s._.type_evidence] == best_rank)
        entity_type = sorted(types.items(), key=lambda item: (-item[1], item[0]))[0][0]
        relations = [s._.relation for s in group]
        if entity_type not in EVALUATED_CLASSES:
            relations = ["uses" if r == "evaluatesOn" else r for r in relations]
        relation = min(relations, key=RELATION_PRIORITY.index)
        evidence = next(s for s in group if s._.relation == relation or relation == "uses")
        name = sorted(surfaces.items(), key=lambda item: (bool(singular_acronym(item[0])), -item[1], -len(item[0]), item[0]))[0][0]
        records.append(
            EntityMention(
                paper_id=paper_id,
                name=name,
                surfaces=tuple(sorted(set(surfaces) | extra)),
                type=entity_type,
                type_evidence=next(k for k, v in EVIDENCE_RANK.items() if v == best_rank),
                relation=relation,
                section=section_heading(evidence._.section),
                sentence=clean_sentence(text[evidence.sent.start_char : evidence.sent.end_char]),
            )
        )
    return sorted(_variants_of_proposed(records), key=lambda r: (normalize_name(r.name), r.name))


def _variants_of_proposed(records: list[EntityMention]) -> list[EntityMention]:
    """A name that extends a name the paper proposes is proposed too: ``DyCAST-CA`` of ``DyCAST``."""
    proposed = [r.name for r in records if r.relation == "proposes"]

    def extends(name: str) -> bool:
        return any(
            name.startswith(p) and name[len(p) : len(p) + 1] in ("-", " ") and is_ascii_alnum(name[len(p) + 1 : len(p) + 2])
            for p in proposed
        )

    return [dataclasses.replace(r, relation="proposes") if r.relation == "uses" and extends(r.name) else r for r in records]
