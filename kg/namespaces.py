"""The namespaces of paperkg and the minting of stable IRIs.

Every node gets an IRI computed from its content (arXiv id, canonical name, ...), never a
blank node, so the same input always gives the same graph and byte-identical Turtle.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

PKG = Namespace("https://w3id.org/paperkg/ontology#")
PAPER = Namespace("https://w3id.org/paperkg/paper/")
ENTITY = Namespace("https://w3id.org/paperkg/entity/")
MENTION = Namespace("https://w3id.org/paperkg/mention/")
TOPIC = Namespace("https://w3id.org/paperkg/topic/")
DIGEST = Namespace("https://w3id.org/paperkg/digest/")
#: The VoID description of a built graph and its partitions (kg.graph.add_statistics).
DATASET = Namespace("https://w3id.org/paperkg/dataset/")
# schema.org over http, as kglab, FAIR4ML and rdflib-neo4j use it; rdflib's default is https.
SCHEMA = Namespace("http://schema.org/")

# A prefix declaration of a SPARQL prologue (text inside a string can only hide a prefix).
_PREFIX_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)

PREFIXES: dict[str, Namespace] = {
    "pkg": PKG,
    "paper": PAPER,
    "entity": ENTITY,
    "mention": MENTION,
    "topic": TOPIC,
    "digest": DIGEST,
    "dataset": DATASET,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "schema": SCHEMA,
    "void": Namespace(str(VOID)),
}


def sparql_prologue(query: str = "") -> str:
    """The ``PREFIX`` lines of paperkg's prefixes (``kg query`` and ``kg serve`` predeclare them)
    that ``query`` does not declare itself: put them before it for any SPARQL engine."""
    declared = {match.group(1) or "" for match in _PREFIX_DECLARATION.finditer(query)}
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items()
                   if prefix not in declared)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind paperkg's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def slugify(text: str) -> str:
    """A stable, readable IRI segment for ``text``.

    ASCII letters and digits are kept (lower-cased), every other run becomes ``-``. Text
    with non-ASCII letters (Chinese names) gets a short content hash so that distinct names
    never share a slug.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    ascii_part = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")
    if folded.isascii() and ascii_part:
        return ascii_part
    digest = hashlib.sha1(folded.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_part}-{digest}" if ascii_part else digest


def paper_iri(arxiv_id: str) -> URIRef:
    return PAPER[arxiv_id]


def section_iri(arxiv_id: str, position: int) -> URIRef:
    """The IRI of a paper's digest section without a property of its own (1 = the first)."""
    return PAPER[f"{arxiv_id}/section/{position}"]


def entity_iri(canonical_name: str) -> URIRef:
    return ENTITY[slugify(canonical_name)]


def mention_iri(arxiv_id: str, entity_slug: str) -> URIRef:
    return MENTION[f"{arxiv_id}--{entity_slug}"]


def topic_iri(label: str) -> URIRef:
    return TOPIC[slugify(label)]


def digest_iri(content_sha256: str) -> URIRef:
    return DIGEST[content_sha256[:16]]
