"""paperkg's domain, read from one place: the ontology (``ontology/paperkg.ttl``).

The entity classes are the subclasses of ``pkg:Entity``; the paper -> entity relations the
sub-properties of ``pkg:mentions``; the summary sections the properties with a
``pkg:sectionKey``. paperkg's own annotation properties there say the rest: each class's
gazetteer file (``pkg:gazetteerFile``), its drawing on the page (``pkg:displayOrder``,
``pkg:drawnColour``, ``pkg:drawnShape``, ``pkg:drawnDescription``), each relation's priority
(``pkg:priority``, 1 the most specific) and which classes a paper evaluates on
(``schema:rangeIncludes`` of ``pkg:evaluatesOn``; ``pkg:defaultRelation`` for a class whose
mentions are evaluated on unless proposed). A new entity class is one block of Turtle there
plus its gazetteer file; the pipeline, graph, page, exports and statistics follow.

    >>> ENTITY_CLASSES
    ('Model', 'Dataset', 'Benchmark', 'Method')
    >>> RELATIONS
    ('proposes', 'evaluatesOn', 'comparesWith', 'uses')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from kg.namespaces import PKG, SCHEMA
from kg.paths import ONTOLOGY_DIR

ONTOLOGY_FILE = ONTOLOGY_DIR / "paperkg.ttl"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_SUBPROPERTY = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass(frozen=True)
class DrawnClass:
    """A class the page draws as nodes, with its legend style."""

    name: str
    color: str
    shape: str
    description: str


def _read() -> dict[str, dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]]]:
    """subject IRI -> predicate IRI -> objects, of the ontology's triples."""
    facts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    with ONTOLOGY_FILE.open("rb") as file:
        for triple in ox.parse(file, format=ox.RdfFormat.TURTLE):
            if isinstance(triple.subject, ox.NamedNode):
                facts[triple.subject.value][triple.predicate.value].append(triple.object)
    return facts


def _local(iri: str) -> str:
    return iri.removeprefix(str(PKG))


def _value(facts: dict, subject: str, annotation: URIRef, default: str = "") -> str:
    values = facts[subject].get(str(annotation), [])
    return values[0].value if values else default


def _english(facts: dict, subject: str, predicate: str) -> str:
    return next((o.value for o in facts[subject].get(predicate, []) if getattr(o, "language", None) == "en"), "")


_FACTS = _read()


def _children(parent: URIRef, link: str) -> list[str]:
    found = [s for s, predicates in _FACTS.items() if any(o.value == str(parent) for o in predicates.get(link, []))]
    return sorted(found, key=lambda s: (int(_value(_FACTS, s, PKG.displayOrder, "0") or 0), int(_value(_FACTS, s, PKG.priority, "0") or 0), s))


#: The entity classes, by local name, in legend order.
ENTITY_CLASSES: tuple[str, ...] = tuple(_local(c) for c in _children(PKG.Entity, _SUBCLASS))
#: The paper -> entity relations (sub-properties of pkg:mentions), most specific first: one
#: relation per paper and entity, the first of these that applies.
RELATIONS: tuple[str, ...] = tuple(_local(p) for p in _children(PKG.mentions, _SUBPROPERTY))
RELATION_PRIORITY = RELATIONS
#: Relation -> its English label (``evaluates on``).
RELATION_LABELS: dict[str, str] = {r: _english(_FACTS, str(PKG[r]), _LABEL) for r in RELATIONS}
#: Entity class -> its gazetteer file in ``ontology/gazetteer/``.
GAZETTEER_FILES: dict[str, str] = {c: _value(_FACTS, str(PKG[c]), PKG.gazetteerFile) for c in ENTITY_CLASSES}
#: The classes a paper can evaluate on (benchmarks, datasets).
EVALUATED_CLASSES: frozenset[str] = frozenset(
    _local(o.value) for o in _FACTS[str(PKG.evaluatesOn)].get(str(SCHEMA.rangeIncludes), [])
)
#: Entity class -> the relation of its mentions when no cue says otherwise (``uses`` unless set).
DEFAULT_RELATIONS: dict[str, str] = {
    c: _local(_value(_FACTS, str(PKG[c]), PKG.defaultRelation, str(PKG.uses))) for c in ENTITY_CLASSES
}
#: Summary section key -> the paper property holding its text, in the ontology's order.
SECTION_PROPERTIES: dict[str, URIRef] = {
    _value(_FACTS, p, PKG.sectionKey): URIRef(p)
    for p in sorted((s for s in _FACTS if _value(_FACTS, s, PKG.sectionKey)), key=lambda s: int(_value(_FACTS, s, PKG.displayOrder, "0")))
}
#: The classes the page draws (papers, the entity classes, topics), in legend order.
DRAWN_CLASSES: tuple[DrawnClass, ...] = tuple(
    DrawnClass(_local(s), _value(_FACTS, s, PKG.drawnColour), _value(_FACTS, s, PKG.drawnShape), _value(_FACTS, s, PKG.drawnDescription))
    for s in sorted((s for s in _FACTS if _value(_FACTS, s, PKG.drawnColour)), key=lambda s: (int(_value(_FACTS, s, PKG.displayOrder, "0")), s))
)


def relationship_type(relation: str) -> str:
    """The property-graph relationship type of a relation: ``evaluatesOn`` -> ``EVALUATES_ON``."""
    return "".join(f"_{c}" if c.isupper() else c.upper() for c in relation)


