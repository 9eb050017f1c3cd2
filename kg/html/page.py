"""Assemble the self-contained HTML page: pyvis node/edge data and options, our template.

pyvis shapes the node and edge records and carries the vis-network options; the page
template is ours (``assets/page.html.j2``): it inlines vis-network 9.1.2 from pyvis's
package (licence header kept) and links nothing, so the page works from ``file://`` with
the network off. A Content-Security-Policy lets only the two inline scripts run (by hash)
and forbids every request. The graph data travels as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` escaped, and the
page script builds the DOM with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node
from rdflib import Graph, URIRef

from kg.html.layout import layout
from kg.html.model import ASSETS_DIR, DRAWN_CLASSES, STYLE, GraphData
from kg.domain import RELATIONS

#: The vis-network build pyvis 0.3.2 ships, inlined as is.
VIS_NETWORK = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")
#: Longest node label drawn on the canvas; the panel shows the whole text.
LABEL_CHARS = 32
#: Above this many drawn nodes the page hides edges while panning.
BIG_GRAPH = 5000
#: Stands for the data in the rendered template; JSON for HTML cannot contain it (``<`` is escaped).
_DATA_MARKER = "<paperkg-data/>"


@cache
def _vis_network_js() -> str:
    text = resources.files("pyvis").joinpath(*VIS_NETWORK).read_text(encoding="utf-8")
    if "@version 9.1.2" not in text[:400] or "@license" not in text[:800]:
        raise RuntimeError("pyvis no longer bundles vis-network 9.1.2 with its licence header")
    return text


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("page.html.j2")


def _asset(name: str) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def json_chunks_for_html(value: object) -> Iterator[str]:
    """``value`` as compact, key-sorted JSON that is safe inside any HTML element, in pieces:
    a dict's values and a list's items one at a time, so that the JSON of a large graph
    (250 MB at 100k papers) is never one string."""
    if isinstance(value, dict):
        for number, key in enumerate(sorted(value)):
            yield ("{" if number == 0 else ",") + _json_piece(key) + ":"
            yield from json_chunks_for_html(value[key])
        yield "}" if value else "{}"
    elif isinstance(value, list) and value:
        for number, item in enumerate(value):
            yield "[" if number == 0 else ","
            yield _json_piece(item)
        yield "]"
    else:
        yield _json_piece(value)


def _json_piece(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _record(data: GraphData, node: URIRef, index: dict[URIRef, int], full: bool) -> dict:
    """What the side panel shows of ``node``; ``full`` adds its lists of linked nodes."""
    cls = data.classes[node]
    record: dict = {"class": cls, "label": data.labels[node], "papers": data.paper_counts.get(node, 0)}
    if data.aliases.get(node):
        record["aliases"] = data.aliases[node]
    if cls == "Paper":
        info = data.papers[node]
        record.update(arxiv=info.arxiv_id, date=info.date, arxivUrl=info.arxiv_url, hfUrl=info.hf_url, code=info.code_urls)
        if not full:
            return record
        by_relation = data.links.get(node, {})
        record["relations"] = {
            relation: sorted(index[e] for e in by_relation[relation] if e in index)
            for relation in RELATIONS
            if by_relation.get(relation)
        }
        record["topics"] = sorted(index[t] for t in data.topics.get(node, ()) if t in index)
        record["summary"] = info.summary
        record["evidence"] = {
            str(index[entity]): [list(pair) for pair in data.evidence[node, entity]]
            for entities in by_relation.values()
            for entity in entities
            if (node, entity) in data.evidence and entity in index
        }
        return record
    if not full:
        return record
    papers = [
        (data.papers[p].date or "", data.papers[p].arxiv_id, index[p], relations)
        for p, relations in data.papers_of.get(node, {}).items()
        if p in index
    ]
    record["paperLinks"] = [[i, relations] for _, _, i, relations in sorted(papers, reverse=True)]
    record["variantOf"] = sorted(index[f] for f in data.variant_of.get(node, ()) if f in index)
    record["variants"] = sorted(index[v] for v in data.variants.get(node, ()) if v in index)
    return record


def _tooltip(data: GraphData, node: URIRef) -> str:
    cls, count = data.classes[node], data.paper_counts.get(node, 0)
    if cls == "Paper":
        info = data.papers[node]
        return f"{data.labels[node]}\narXiv {info.arxiv_id} · {info.date or 'no date'}"
    return f"{data.labels[node]}\n{cls} · {count} paper{'s' if count != 1 else ''}"


def page_data(data: GraphData, drawn: set[URIRef], focus: URIRef | None = None) -> dict:
    """The JSON the page script reads: vis nodes/edges/options, panel records, legend."""
    referenced = set(drawn).union(*(data.adjacency[node] for node in drawn)) if drawn else set()
    order = sorted(referenced, key=data.sort_key)
    index = {node: i for i, node in enumerate(order)}
    drawn_order = [node for node in order if node in drawn]
    slot = {index[node]: i for i, node in enumerate(drawn_order)}
    edges = sorted({tuple(sorted((index[a], index[b]))) for a, b in data.edge_pairs() if a in drawn and b in drawn})
    positions = layout(len(drawn_order), [(slot[a], slot[b]) for a, b in edges])
    shapes = {entry["name"]: entry["shape"] for entry in STYLE["classes"]}

    network = Network(directed=False)
    # pyvis's add_node/add_edge scan lists (quadratic, perf_baselines.md section 3): the
    # records are built with pyvis's Node and Edge and stored directly.
    network.nodes = [
        Node(
            index[node],
            shapes[data.classes[node]],
            label=_short(data.labels[node]),
            group=data.classes[node],
            value=max(data.paper_counts.get(node, 0), 1),
            title=_tooltip(data, node),
            x=x,
            y=y,
        ).options
        for node, (x, y) in zip(drawn_order, positions)
    ]
    # Explicit edge ids spare vis-network generating a UUID per edge.
    network.edges = [Edge(a, b, id=number).options for number, (a, b) in enumerate(edges)]
    network.set_options(_asset("options.json"))
    network.options["groups"] = {
        entry["name"]: {
            "shape": entry["shape"],
            "color": {
                "background": entry["color"],
                "border": entry["color"],
                "highlight": {"background": entry["color"], "border": "#1f2933"},
            },
        }
        for entry in STYLE["classes"]
    }
    if len(drawn_order) > BIG_GRAPH:
        network.options["interaction"]["hideEdgesOnDrag"] = True
    nodes, edge_records, *_ = network.get_network_data()
    counts = {name: 0 for name in DRAWN_CLASSES}
    for node in drawn_order:
        counts[data.classes[node]] += 1
    return {
        "classes": [dict(entry, count=counts[entry["name"]]) for entry in STYLE["classes"]],
        "relations": [[relation, STYLE["relations"][relation]] for relation in RELATIONS],
        "nodes": nodes,
        "edges": edge_records,
        "options": network.options,
        "records": [_record(data, node, index, full=node in drawn) for node in order],
        "focus": index[focus] if focus is not None else None,
    }


def render_page(data: GraphData, drawn: set[URIRef], *, title: str, focus: URIRef | None = None) -> str:
    """The whole HTML page drawing the ``drawn`` nodes of ``data``."""
    return "".join(page_chunks(data, drawn, title=title, focus=focus))


def page_chunks(data: GraphData, drawn: set[URIRef], *, title: str, focus: URIRef | None = None) -> Iterator[str]:
    """:func:`render_page` in pieces, the graph's JSON streamed between the template's parts."""
    vis_js, page_js = _vis_network_js(), _asset("page.js")
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    # A marker JSON cannot contain (it escapes "<") stands for the data in the rendered template.
    page = _template().render(
        title=title, csp=csp, css=_asset("page.css"), vis_js=vis_js, page_js=page_js, data_json=_DATA_MARKER
    )
    head, tail = page.split(_DATA_MARKER)
    yield head
    yield from json_chunks_for_html(page_data(data, drawn, focus))
    yield tail


def render_html(graph: Graph, *, title: str = "paperkg") -> str:
    """The interactive page of the whole ``graph``; the same graph gives byte-identical HTML."""
    return "".join(html_chunks(graph, title=title))


def write_html(graph: Graph, path: str | Path, *, title: str = "paperkg") -> None:
    """Write :func:`render_html`'s page to ``path`` piece by piece (never the whole page in memory)."""
    with open(path, "w", encoding="utf-8") as file:
        file.writelines(html_chunks(graph, title=title))


def html_chunks(graph: Graph, *, title: str = "paperkg") -> Iterator[str]:
    """The page of the whole ``graph`` in pieces."""
    data = GraphData.from_rdf(graph)
    return page_chunks(data, set(data.classes), title=title)


def render_view(graph: Graph, focus: str, hops: int, types: Sequence[str] | None = None) -> str:
    """A page of the nodes within ``hops`` links of the node named ``focus``.

    ``focus`` is an entity label or alias, or a paper's arXiv id or title (raises
    ``UnknownNameError`` with close names otherwise). ``types`` limits the entity and topic
    classes shown (papers always are); the focus node starts selected.
    """
    unknown = sorted(set(types or ()) - set(DRAWN_CLASSES))
    if unknown:
        raise ValueError(f"unknown class {', '.join(unknown)}; choose from {', '.join(DRAWN_CLASSES)}")
    if hops < 0:
        raise ValueError("hops must be 0 or more")
    data = GraphData.from_rdf(graph)
    node = data.find(focus)
    drawn = data.neighbourhood(node, hops, types)
    title = f"paperkg: {data.labels[node]} ({hops} hop{'s' if hops != 1 else ''})"
    return render_page(data, drawn, title=title, focus=node)
