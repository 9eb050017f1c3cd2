"""Summary figures of a built graph: nodes per class, links per relation, top entities.

The figures come from the library queries ``class-counts``, ``relation-counts`` and
``entity-paper-counts`` (``ontology/queries/``), so they run on either store.
"""

from __future__ import annotations

from rdflib import Graph

from kg.graph import add_statistics, has_statistics, triple_count
from kg.domain import ENTITY_CLASSES, RELATIONS
from kg.namespaces import PKG
from kg.query import run_named_query


def _local(iri: object) -> str:
    return str(iri).removeprefix(str(PKG))


def graph_stats(graph: Graph, top: int = 10) -> dict:
    """Figures of ``graph`` as plain JSON-ready data.

    ``{"triples": int, "classes": {class: nodes}, "relations": {relation: {"links", "papers",
    "entities"}}, "top": {entity class: [{"entity", "label", "papers"}, ...]}}`` with at most
    ``top`` entities per class, most linked first, ``"digests"``: per digest file read, its
    layout, papers and share of paper text kept (the build's reading report), and
    ``"shared_aliases": [{"alias", "entities", "labels"}, ...]``: the names withheld as aliases
    because several entities claim them (``pkg:sharedAlias``). Every paperkg class and relation is
    present, with 0 when absent. The counts come from the statistics ``kg build`` stores in
    the graph; a graph without them (hand-made, or from an older version) gets them added
    (:func:`kg.graph.add_statistics`) after its triples are counted.
    """
    triples = triple_count(graph)
    if not has_statistics(graph):
        add_statistics(graph)
    classes = {_local(row["class"]): int(row["nodes"]) for row in run_named_query(graph, "class-counts")}
    relations = {name: {"links": 0, "papers": 0, "entities": 0} for name in RELATIONS}
    for row in run_named_query(graph, "relation-counts"):
        relations[_local(row["relation"])] = {
            "links": int(row["links"]), "papers": int(row["papers"]), "entities": int(row["entities"])
        }
    ranked: dict[str, list[dict]] = {name: [] for name in ENTITY_CLASSES}
    for row in run_named_query(graph, "entity-paper-counts"):
        entries = ranked[_local(row["class"])]
        if len(entries) < top:
            entries.append({"entity": str(row["entity"]), "label": str(row["label"]), "papers": int(row["papers"])})
    known = ("Paper", *ENTITY_CLASSES, "Topic", "CodeRepository", "Mention", "Digest")
    by_alias: dict[str, dict] = {}
    for row in run_named_query(graph, "shared-aliases"):
        entry = by_alias.setdefault(str(row["alias"]), {"alias": str(row["alias"]), "entities": int(row["entities"]), "labels": []})
        entry["labels"].append(str(row["label"]))
    shared = list(by_alias.values())
    digests = [
        {"file": str(row["file"]), "layout": str(row["layout"]) if row["layout"] is not None else None,
         "papers": int(row["papers"]), "coverage": float(row["coverage"]) if row["coverage"] is not None else None}
        for row in run_named_query(graph, "digests-read")
    ]
    return {
        "triples": triples,
        "digests": digests,
        "classes": {name: classes.get(name, 0) for name in known}
        | {name: count for name, count in sorted(classes.items()) if name not in known},
        "relations": relations,
        "top": ranked,
        "shared_aliases": shared,
    }


def format_stats(stats: dict) -> str:
    """``graph_stats`` output as readable text for the terminal."""
    lines = [f"triples: {stats['triples']}", "", "nodes per class:"]
    lines += [f"  {name:<16} {count:>8}" for name, count in stats["classes"].items()]
    lines += ["", f"{'links per relation:':<30} {'links':>8} {'papers':>8} {'entities':>8}"]
    lines += [
        f"  {name:<28} {row['links']:>8} {row['papers']:>8} {row['entities']:>8}"
        for name, row in stats["relations"].items()
    ]
    if stats.get("digests"):
        lines += ["", f"{'digests read:':<40} {'layout':<16} {'papers':>8} {'text kept':>10}"]
        lines += [
            f"  {row['file'][:38]:<38} {row['layout'] or '?':<16} {row['papers']:>8} "
            f"{format(row['coverage'], '.1%') if row['coverage'] is not None else '-':>10}"
            for row in stats["digests"]
        ]
    for name, entries in stats["top"].items():
        lines += ["", f"top {name} entities by papers:"]
        lines += [f"  {entry['papers']:>6}  {entry['label']}" for entry in entries] or ["  (none)"]
    shared = stats.get("shared_aliases", [])
    lines += ["", f"aliases withheld as shared by several entities: {len(shared)}"]
    lines += [f"  {row['alias']}  ({', '.join(row['labels'])})" for row in shared[:20]]
    return "\n".join(lines) + "\n"
