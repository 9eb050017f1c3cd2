"""GraphML and GEXF through networkx, for Gephi, Cytoscape, yEd and graph libraries.

XML 1.0 cannot carry U+0000-U+001F (but tab, LF, CR), unpaired surrogates, U+FFFE and U+FFFF,
not even as character references, and networkx writes strings as they are; every node id and
attribute value is therefore passed through :func:`xml_text`, which drops them.
"""

from __future__ import annotations

import io
import re

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.export.property_graph import PropertyGraph, Value


#: What XML 1.0 forbids (its ``Char`` production's complement).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent."""
    return _NOT_XML.sub("", text)


def _flat(value: Value) -> str:
    """GraphML/GEXF attributes are scalars: lists are joined with ``; ``, dates in ISO form."""
    if isinstance(value, tuple):
        return xml_text("; ".join(value))
    return value.isoformat() if hasattr(value, "isoformat") else xml_text(value)


def to_networkx(pgraph: PropertyGraph) -> nx.MultiDiGraph:
    """A directed multigraph: node id = IRI, attributes ``label``, ``class`` and the
    properties; edge key ``e<n>`` (export order, the GraphML edge id), attributes
    ``relation`` and the evidence."""
    graph = nx.MultiDiGraph()
    for node in pgraph.nodes:
        attributes = {"class": node.label, **{k: _flat(v) for k, v in node.properties.items()}}
        graph.add_node(xml_text(node.iri), **attributes)
    for number, edge in enumerate(pgraph.edges):
        attributes = {"relation": edge.relation}
        attributes.update({k: _flat(v) for k, v in edge.properties.items()})
        graph.add_edge(xml_text(edge.source), xml_text(edge.target), key=f"e{number}", **attributes)
    return graph


def to_graphml(pgraph: PropertyGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(pgraph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_gexf(pgraph: PropertyGraph) -> bytes:
    """GEXF 1.2 without the writer's ``lastmodifieddate`` (today's date), so runs are identical."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)
    meta.find("creator").text = "paperkg"
    writer.add_graph(to_networkx(pgraph))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
