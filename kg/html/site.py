"""What the page holds and what it loads on demand: the index, the map, time, the shards.

The page opens on a **map of the entities** (not the papers): the most linked ones, sized
by their papers, placed by community of co-occurrence (:func:`kg.html.layout.community_layout`),
linked by the papers they share. It also holds a **search index** of every entity (label,
aliases, class, paper count, papers per week) and every paper's arXiv id. Everything else
(an entity's papers and family, a paper's title, links and evidence, the full view) is in
**shards**: small script files next to the page that the page loads when they are needed, so
the first load stays a few MB at 100k papers. A ``kg view`` page carries its shards inline.

Ids: entity ``e`` is its place in :attr:`Site.entities` (legend order, then label, then IRI);
paper ``p`` its place in :attr:`Site.papers` (newest first, then arXiv id). On the map a
paper is node ``len(entities) + p``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import URIRef

from kg.domain import ENTITY_CLASSES, RELATIONS
from kg.html.layout import community_layout, layout, nudge_apart
from kg.html.model import DRAWN_CLASSES, GraphData

#: Entities drawn on the map when the page opens (the most linked ones).
MAP_ENTITIES = 300
#: Strongest co-occurrence links kept per map entity.
MAP_LINKS_PER_NODE = 6
#: Entities and papers per shard file.
SHARD_ENTITIES = 128
SHARD_PAPERS = 512
SHARD_DETAILS = 128
#: An entity's record carries the evidence of its newest papers (the panel's first page);
#: that of older papers comes from the papers' detail shards, so a hub's record stays small.
EVIDENCE_PAPERS = 50
#: Above this many nodes (entities and papers) the full view is not written: no browser
#: draws it usefully, and its layout would dominate the build.
FULL_VIEW_MAX = 25_000
#: Classes drawn on the map (the entity classes); topics link almost everything, so they are
#: searched and listed, not drawn.
MAP_CLASSES = ENTITY_CLASSES
#: Node size on the page, in vis-network pixels: 10 to 50 with the log of the paper count
#: (full size from 64 papers up); page.js uses the same rule.
MIN_SIZE, MAX_SIZE, FULL_SIZE = 10.0, 50.0, 64


def node_radius(papers: int, most: int) -> float:
    """The drawn radius of a node with ``papers`` papers when the largest has ``most``."""
    return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.log(max(papers, 1)) / math.log(max(most, FULL_SIZE))


def week_of(date: str | None) -> dt.date | None:
    """The Monday of ``date``'s week (an ISO date string), None when there is no valid date."""
    try:
        day = dt.date.fromisoformat((date or "")[:10])
    except ValueError:
        return None
    return day - dt.timedelta(days=day.weekday())


@dataclass
class Site:
    """The page's data for the ``drawn`` nodes of ``data`` (all of them for ``kg build``)."""

    data: GraphData
    drawn: set[URIRef]
    #: nodes that are not drawn but named by a drawn one (a ``kg view`` page's edge)
    referenced: set[URIRef] = field(init=False)

    @classmethod
    def of(cls, data: GraphData) -> Site:
        """The site of every drawable node of ``data``."""
        return cls(data, set(data.classes))

    def __post_init__(self) -> None:
        if len(self.drawn) == len(self.data.classes):  # every node drawn: none is only referenced
            self.referenced = set(self.drawn)
            return
        adjacency = self.data.adjacency
        self.referenced = set(self.drawn).union(*(adjacency[node] for node in self.drawn))

    @cached_property
    def entities(self) -> list[URIRef]:
        return sorted((n for n in self.referenced if self.data.classes[n] != "Paper"), key=self.data.sort_key)

    @cached_property
    def papers(self) -> list[URIRef]:
        info = self.data.papers
        papers = sorted((n for n in self.referenced if self.data.classes[n] == "Paper"), key=lambda p: info[p].arxiv_id)
        return sorted(papers, key=lambda p: info[p].date or "", reverse=True)

    @cached_property
    def eid(self) -> dict[URIRef, int]:
        return {node: i for i, node in enumerate(self.entities)}

    @cached_property
    def pid(self) -> dict[URIRef, int]:
        return {node: i for i, node in enumerate(self.papers)}

    def gid(self, node: URIRef) -> int:
        """The node's id on the map."""
        return self.eid[node] if node in self.eid else len(self.entities) + self.pid[node]

    # ------------------------------------------------------------------ time

    @cached_property
    def paper_weeks(self) -> dict[URIRef, dt.date]:
        found = {p: week_of(self.data.papers[p].date) for p in self.papers}
        return {p: week for p, week in found.items() if week is not None}

    @cached_property
    def weeks(self) -> list[str]:
        """The Monday of every week from the first paper's to the last's."""
        if not self.paper_weeks:
            return []
        first, last = min(self.paper_weeks.values()), max(self.paper_weeks.values())
        return [(first + dt.timedelta(weeks=i)).isoformat() for i in range((last - first).days // 7 + 1)]

    @cached_property
    def _week_numbers(self) -> dict[URIRef, int]:
        first = dt.date.fromisoformat(self.weeks[0]) if self.weeks else None
        return {p: (week - first).days // 7 for p, week in self.paper_weeks.items()}

    def week_index(self, paper: URIRef) -> int | None:
        """The paper's week, counted from the first week (None: no date)."""
        return self._week_numbers.get(paper)

    def week_number(self, date: str | None) -> int | None:
        """The week of a date, counted from the first week (None: no date, or before the first week)."""
        week = week_of(date)
        if week is None or not self.weeks:
            return None
        number = (week - dt.date.fromisoformat(self.weeks[0])).days // 7
        return number if number >= 0 else None

    def histogram(self, entity: URIRef) -> list[int]:
        """Papers per week of ``entity`` as flat ``[week, count, week, count, ...]``, weeks ascending."""
        weeks = self._week_numbers
        counts = Counter(weeks[p] for p in self.data.papers_of.get(entity, {}) if p in weeks)
        return [value for week in sorted(counts) for value in (week, counts[week])]

    # ------------------------------------------------------------------ the index

    def index(self) -> dict:
        """Every entity's label, class, aliases and papers per week (and undated papers);
        every paper's arXiv id and week (-1: no date)."""
        data = self.data
        class_number = {name: i for i, name in enumerate(DRAWN_CLASSES)}
        hists = [self.histogram(e) for e in self.entities]
        return {
            "labels": [data.labels[e] for e in self.entities],
            "classes": [class_number[data.classes[e]] for e in self.entities],
            # Most entities have one paper: their histogram is written as its week alone, and
            # a paper count only where undated papers make it more than the histogram's sum.
            "hist": [hist[0] if len(hist) == 2 and hist[1] == 1 else hist for hist in hists],
            "undated": [
                [i, extra]
                for i, (e, hist) in enumerate(zip(self.entities, hists))
                if (extra := data.paper_counts.get(e, 0) - sum(hist[1::2]))
            ],
            "aliases": [[i, alias] for i, e in enumerate(self.entities) for alias in data.aliases.get(e, ())],
            # Entities whose model family was seen before their own first paper: the family's
            # first week, so that the "new" list does not call a new size of a known model new.
            "familyFirst": [
                [i, week]
                for i, (e, hist) in enumerate(zip(self.entities, hists))
                if hist and (week := self.week_number(data.first_dates.get(e))) is not None and week < hist[0]
            ],
            "arxiv": [data.papers[p].arxiv_id for p in self.papers],
            "paperWeeks": [-1 if (week := self.week_index(p)) is None else week for p in self.papers],
        }

    # ------------------------------------------------------------------ the map

    @cached_property
    def map_entities(self) -> list[URIRef]:
        """The entities the map opens on: the most linked of the map's classes."""
        candidates = [e for e in self.entities if e in self.drawn and self.data.classes[e] in MAP_CLASSES]
        counts = self.data.paper_counts
        return sorted(candidates, key=lambda e: (-counts.get(e, 0), self.eid[e]))[:MAP_ENTITIES]

    @cached_property
    def cooccurrence(self) -> Counter:
        """(entity, entity) -> papers they share, for the map's entities (ids, smaller first)."""
        on_map = {e: self.eid[e] for e in self.map_entities}
        pairs: Counter = Counter()
        for paper in self.papers:
            linked = sorted({on_map[e] for es in self.data.links.get(paper, {}).values() for e in es if e in on_map})
            for i, a in enumerate(linked):
                for b in linked[i + 1:]:
                    pairs[a, b] += 1
        return pairs

    def overview(self) -> dict:
        """The map of entities: ``nodes`` [id, x, y, community], ``edges`` [a, b, shared papers]."""
        ids = [self.eid[e] for e in self.map_entities]
        slot = {e: i for i, e in enumerate(ids)}
        counts = self.data.paper_counts
        most = max((counts.get(e, 0) for e in self.map_entities), default=1)
        radii = [node_radius(counts.get(e, 0), most) for e in self.map_entities]
        weighted = [(slot[a], slot[b], w) for (a, b), w in sorted(self.cooccurrence.items())]
        positions, communities = community_layout(len(ids), weighted, radii)
        return {
            "nodes": [[e, x, y, c] for e, (x, y), c in zip(ids, positions, communities)],
            "edges": [[a, b, w] for a, b, w in _strongest(self.cooccurrence, MAP_LINKS_PER_NODE)],
        }

    def drawing(self, drawn: list[URIRef]) -> dict:
        """Every node of ``drawn`` and every link between them, laid out (the full view, a
        ``kg view`` page): ``nodes`` [id, x, y], ``edges`` [a, b], ``titles`` [[id, title]] of papers."""
        gids = sorted(self.gid(node) for node in drawn)
        node_of = {self.gid(node): node for node in drawn}
        slot = {g: i for i, g in enumerate(gids)}
        edges = sorted({
            tuple(sorted((self.gid(a), self.gid(b))))
            for a, b in self.data.edge_pairs()
            if a in self.drawn and b in self.drawn
        })
        counts = self.data.paper_counts
        most = max((counts.get(n, 0) for n in drawn), default=1)
        positions = nudge_apart(
            layout(len(gids), [(slot[a], slot[b]) for a, b in edges]),
            [node_radius(counts.get(node_of[g], 1), most) for g in gids],
        )
        return {
            "nodes": [[g, x, y] for g, (x, y) in zip(gids, positions)],
            "edges": [list(edge) for edge in edges],
            "titles": [[g, self.data.labels[node_of[g]]] for g in gids if g >= len(self.entities)],
        }

    @property
    def full_view_size(self) -> int:
        return len(self.drawn)

    # ------------------------------------------------------------------ records

    def entity_record(self, entity: URIRef) -> dict:
        """An entity's papers (newest first, with the relations as bits of ``RELATIONS``), the
        evidence sentences of the newest :data:`EVIDENCE_PAPERS`, its family, and for one off
        the map the map entity it shares most papers with."""
        data, pid, drawn, bits = self.data, self.pid, self.drawn, self._relation_bits
        papers = sorted(
            (pid[p], bits[tuple(relations)])
            for p, relations in data.papers_of.get(entity, {}).items()
            if p in pid and p in drawn
        )
        evidence = data.evidence
        record: dict = {
            "papers": papers,
            "evidence": {
                str(p): evidence[key]
                for p, _ in papers[:EVIDENCE_PAPERS]
                if (key := (self.papers[p], entity)) in evidence
            },
            "variantOf": sorted(self.eid[f] for f in data.variant_of.get(entity, ()) if f in self.eid),
            "variants": sorted(self.eid[v] for v in data.variants.get(entity, ()) if v in self.eid),
        }
        if entity in self._near:
            record["near"] = self._near[entity]
        return record

    @cached_property
    def _relation_bits(self) -> dict[tuple[str, ...], int]:
        """The relations linking a paper and an entity (in ``RELATIONS`` order) as bits."""
        return _RelationBits()

    @cached_property
    def _near(self) -> dict[URIRef, int]:
        """Each entity off the map -> the map entity it shares most papers with (ties: the
        smaller id), in one pass over the papers."""
        on_map = self._on_map
        shared: dict[URIRef, Counter] = defaultdict(Counter)
        for paper in self.papers:
            linked = {e for es in self.data.links.get(paper, {}).values() for e in es}
            here = [on_map[e] for e in linked if e in on_map]
            if here:
                for node in linked.union(self.data.topics.get(paper, ())):
                    if node not in on_map:
                        shared[node].update(here)
        return {node: min(counts, key=lambda e: (-counts[e], e)) for node, counts in shared.items()}

    @cached_property
    def _on_map(self) -> dict[URIRef, int]:
        return {e: self.eid[e] for e in self.map_entities}

    def paper_record(self, paper: URIRef) -> dict:
        """What the map and an entity's list show of a paper: title, date, links, topics and
        entities by relation."""
        data, info = self.data, self.data.papers[paper]
        by_relation = data.links.get(paper, {})
        return {
            "title": data.labels[paper],
            "date": info.date,
            "arxivUrl": info.arxiv_url,
            "hfUrl": info.hf_url,
            "code": info.code_urls,
            "topics": sorted(self.eid[t] for t in data.topics.get(paper, ()) if t in self.eid),
            "relations": {
                relation: sorted(self.eid[e] for e in by_relation[relation] if e in self.eid)
                for relation in RELATIONS
                if by_relation.get(relation)
            },
        }

    def paper_detail(self, paper: URIRef) -> dict:
        """What only the paper's own panel shows: its summary and the evidence of each link."""
        data = self.data
        entities = {e for es in data.links.get(paper, {}).values() for e in es if e in self.eid}
        return {
            "summary": data.papers[paper].summary,
            "evidence": {str(self.eid[e]): data.evidence[paper, e] for e in entities if (paper, e) in data.evidence},
        }

    def shards(self) -> Iterator[tuple[str, dict]]:
        """(name, payload) of every shard: ``e<N>`` entity records, ``p<N>`` paper records and
        ``d<N>`` paper details (each keyed by id, ``SHARD_*`` ids a shard), ``full`` the full view when it is not too big."""
        entities = [e for e in self.entities if e in self.drawn]
        papers = [p for p in self.papers if p in self.drawn]
        for prefix, nodes, ids, size, record in (
            ("e", entities, self.eid, SHARD_ENTITIES, self.entity_record),
            ("p", papers, self.pid, SHARD_PAPERS, self.paper_record),
            ("d", papers, self.pid, SHARD_DETAILS, self.paper_detail),
        ):
            grouped: dict[int, dict] = defaultdict(dict)
            for node in nodes:
                grouped[ids[node] // size][str(ids[node])] = record(node)
            for number in sorted(grouped):
                yield f"{prefix}{number}", grouped[number]
        if self.full_view_size <= FULL_VIEW_MAX:
            yield "full", self.drawing(sorted(self.drawn, key=self.gid))

    def page_data(self, focus: URIRef | None = None, *, shard_dir: str | None = None) -> dict:
        """The JSON the page script reads. With ``shard_dir`` (``kg build``'s page) the map is
        the overview and the shards are files in that folder; without (a ``kg view`` page) the
        map draws every node and the shards are inline."""
        shards: dict = {
            "entities": SHARD_ENTITIES, "papers": SHARD_PAPERS, "details": SHARD_DETAILS, "evidence": EVIDENCE_PAPERS,
        }
        if shard_dir is None:
            shards["inline"] = {name: payload for name, payload in self.shards() if name != "full"}
            shards["full"] = False
        else:
            shards["dir"] = shard_dir
            shards["full"] = self.full_view_size <= FULL_VIEW_MAX
        return {
            "mapClasses": list(MAP_CLASSES),
            "index": self.index(),
            "weeks": self.weeks,
            "map": self.overview() if shard_dir is not None else self.drawing(sorted(self.drawn, key=self.gid)),
            "shards": shards,
            "focus": self.gid(focus) if focus is not None else None,
        }


class _RelationBits(dict):
    """relations -> their bits (``1 << RELATIONS.index``), each combination computed once."""

    def __missing__(self, relations: tuple[str, ...]) -> int:
        self[relations] = value = sum(1 << RELATIONS.index(r) for r in relations)
        return value


def _strongest(pairs: Counter, per_node: int) -> list[tuple[int, int, int]]:
    """The links among the ``per_node`` strongest of either end, sorted."""
    by_node: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for (a, b), weight in pairs.items():
        by_node[a].append((-weight, b, a))
        by_node[b].append((-weight, a, b))
    kept = set()
    for node, found in by_node.items():
        for weight, other, _ in sorted(found)[:per_node]:
            kept.add((min(node, other), max(node, other), -weight))
    return sorted(kept)
