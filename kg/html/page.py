"""Assemble the HTML page and write its shards (what the page holds: :mod:`kg.html.site`).

The page template is ours (``assets/page.html.j2``): it inlines vis-network 9.1.2 from
pyvis's package (licence header kept) and links nothing, so the page works from ``file://``
with the network off. A Content-Security-Policy lets only the two inline scripts run (by
hash), and the page script add the shard scripts it builds the addresses of (``strict-dynamic``);
no markup can load or run anything. The page's data travels as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` escaped; a shard is
one call ``paperkgShard("name", JSON)`` in a ``.js`` file next to the page (data, never
markup), and the page script builds the DOM with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import importlib.util
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

import jinja2
from rdflib import Graph, URIRef

from kg.domain import RELATIONS
from kg.html.model import ASSETS_DIR, DRAWN_CLASSES, STYLE, GraphData
from kg.html.site import Site

#: The vis-network build pyvis 0.3.2 ships, inlined as is.
VIS_NETWORK = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")
#: The shard folder of ``NAME.html`` is ``NAME-data``.
SHARD_SUFFIX = "-data"
DEFAULT_SHARD_DIR = "graph" + SHARD_SUFFIX
#: The names of the files :func:`write_html` writes into a shard folder.
SHARD_FILE = re.compile(r"(?:[epd][0-9]+|full)\.js")
#: Stands for the data in the rendered template; JSON for HTML cannot contain it (``<`` is escaped).
_DATA_MARKER = "<paperkg-data/>"


@cache
def _vis_network_js() -> str:
    # Found without importing pyvis (its import pulls in IPython's display machinery: ~1 s).
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise RuntimeError("pyvis is not installed: the page inlines the vis-network it ships")
    text = Path(spec.origin).parent.joinpath(*VIS_NETWORK).read_text(encoding="utf-8")
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
    a dict's values one at a time, so that a large page's JSON is never one string (lists
    are written whole: the C encoder is many times faster than one piece per item)."""
    if isinstance(value, dict):
        for number, key in enumerate(sorted(value)):
            yield ("{" if number == 0 else ",") + _json_piece(key) + ":"
            yield from json_chunks_for_html(value[key])
        yield "}" if value else "{}"
    else:
        yield _json_piece(value)


def _json_piece(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def vis_options() -> dict:
    """vis-network's options: ``assets/options.json`` plus one group per class (shape, colour)."""
    options = json.loads(_asset("options.json"))
    options["groups"] = {
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
    return options


def page_data(site: Site, focus: URIRef | None = None, shard_dir: str | None = None) -> dict:
    """The JSON the page script reads: classes, relations, vis options and :meth:`Site.page_data`."""
    counts = {name: 0 for name in DRAWN_CLASSES}
    for node in site.drawn:
        counts[site.data.classes[node]] += 1
    return {
        "classes": [dict(entry, count=counts[entry["name"]]) for entry in STYLE["classes"]],
        "relations": [[relation, STYLE["relations"][relation]] for relation in RELATIONS],
        "options": vis_options(),
        **site.page_data(focus, shard_dir=shard_dir),
    }


def render_page(site: Site, *, title: str, focus: URIRef | None = None, shard_dir: str | None = None) -> str:
    """The whole HTML page of ``site`` (see :meth:`Site.page_data` for ``shard_dir``)."""
    return "".join(page_chunks(site, title=title, focus=focus, shard_dir=shard_dir))


def page_chunks(site: Site, *, title: str, focus: URIRef | None = None, shard_dir: str | None = None) -> Iterator[str]:
    """:func:`render_page` in pieces, the graph's JSON streamed between the template's parts."""
    vis_js, page_js = _vis_network_js(), _asset("page.js")
    csp = (
        "default-src 'none'; "
        # 'strict-dynamic': the page script (trusted by its hash) may add the shard scripts;
        # nothing written in the page's markup could.
        f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)} 'strict-dynamic'; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    # A marker JSON cannot contain (it escapes "<") stands for the data in the rendered template.
    page = _template().render(
        title=title, csp=csp, css=_asset("page.css"), vis_js=vis_js, page_js=page_js, data_json=_DATA_MARKER
    )
    head, tail = page.split(_DATA_MARKER)
    yield head
    yield from json_chunks_for_html(page_data(site, focus, shard_dir))
    yield tail


def _graph_data(graph: Graph | GraphData) -> GraphData:
    return graph if isinstance(graph, GraphData) else GraphData.from_rdf(graph)


def shard_dir_for(path: str | Path) -> Path:
    """The folder of a page's shards: ``graph-data/`` next to ``graph.html``."""
    path = Path(path)
    return path.with_name(path.stem + SHARD_SUFFIX)


def render_html(graph: Graph | GraphData, *, title: str = "paperkg", shard_dir: str = DEFAULT_SHARD_DIR) -> str:
    """The map page of the whole ``graph``, its shards expected in ``shard_dir`` next to it
    (:func:`write_html` writes both); the same graph gives byte-identical HTML."""
    site = Site.of(_graph_data(graph))
    return render_page(site, title=title, shard_dir=shard_dir)


def write_html(graph: Graph | GraphData, path: str | Path, *, title: str = "paperkg") -> None:
    """Write the map page of ``graph`` to ``path`` and its shards to :func:`shard_dir_for`
    (``graph-data/`` for ``graph.html``), piece by piece. Shard files an earlier write left
    there are removed first. ``graph`` may also be its page data, already read
    (:class:`kg.html.model.TripleReader`)."""
    path = Path(path)
    folder = shard_dir_for(path)
    site = Site.of(_graph_data(graph))
    if folder.is_dir():
        for old in folder.iterdir():
            if SHARD_FILE.fullmatch(old.name):
                old.unlink()
    folder.mkdir(exist_ok=True)
    for name, payload in site.shards():
        with open(folder / f"{name}.js", "w", encoding="utf-8") as file:
            file.write(f"paperkgShard({_json_piece(name)},{_json_piece(payload)});\n")
    with open(path, "w", encoding="utf-8") as file:
        file.writelines(page_chunks(site, title=title, shard_dir=folder.name))


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
    site = Site(data, data.neighbourhood(node, hops, types))
    title = f"paperkg: {data.labels[node]} ({hops} hop{'s' if hops != 1 else ''})"
    return render_page(site, title=title, focus=node)
