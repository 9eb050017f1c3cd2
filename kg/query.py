"""SPARQL over a built graph, and the named query library of ``ontology/queries/``.

The graph is loaded into the Oxigraph store through oxrdflib by default (10-30x faster
than rdflib's memory store for parsing and aggregate queries, ``perf_baselines.md``); the
``memory`` store is rdflib's own engine and gives the same answers.

Parameters are never pasted into the query text as raw user input: each value becomes an
rdflib term (a plain string ``Literal`` unless it already is a term) written with SPARQL's
own escapes (:func:`sparql_term`, never ``Literal.n3``) into a ``VALUES`` block at the start
of the query's WHERE clause, so the query sees them bound everywhere, filters included, on
both stores; a value holding ``\\u`` is refused (rdflib decodes it before parsing).

Queries are untrusted input too (``kg serve`` answers any web page): ``SERVICE`` makes an
engine connect to any address, so :func:`check_service` refuses it unless the endpoint is
allowed by name, and :func:`run_query` gives up after ``timeout`` seconds.

    >>> graph = load_graph("output/graph.ttl")
    >>> result = run_named_query(graph, "papers-evaluating-on", {"name": "HELMET"})
    >>> print(format_result(result, "table", graph))
"""

from __future__ import annotations

import io
import math
import re
import threading
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD, NamespaceManager
from rdflib.query import Result
from rdflib.term import Identifier, Node
from rdflib.util import guess_format

from kg.namespaces import bind_prefixes
from kg.paths import ONTOLOGY_DIR
from kg.records import shorten
from kg.store import TermConverter, from_ox, oxigraph_graph, oxigraph_store

#: The folder of the named query library (``<name>.rq`` files).
QUERIES_DIR = ONTOLOGY_DIR / "queries"
#: Stores ``load_graph`` can put a graph in.
STORES: tuple[str, ...] = ("oxigraph", "memory")
#: Output formats of ``format_result``.
FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json")
#: Widest cell of the terminal table before it is cut with an ellipsis.
TABLE_CELL_WIDTH = 60

_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM_LINE = re.compile(r"#\s*param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:-\s*(?P<text>.*))?$")
# Lexical pieces of SPARQL that may hold braces or '#' without meaning them.
_SKIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*"
)
_CONSTRUCT = re.compile(r"\bCONSTRUCT\s*\{", re.IGNORECASE)


class GraphError(Exception):
    """A graph file is missing or cannot be parsed."""


class QueryError(Exception):
    """A query is malformed, unknown, or lacks a parameter."""


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query, declared as ``# param: name - description``."""

    name: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library: its file, leading comment and declared parameters."""

    name: str
    path: Path
    description: str
    params: tuple[QueryParam, ...]
    text: str

    @property
    def summary(self) -> str:
        """The first comment line: what the query answers."""
        return self.description.splitlines()[0] if self.description else ""


def load_graph(path: str | Path, store: str = "oxigraph") -> Graph:
    """Parse the RDF file at ``path`` (format guessed from its suffix, Turtle by default).

    ``store`` is ``"oxigraph"`` (pyoxigraph through oxrdflib, the fast default) or
    ``"memory"`` (rdflib's own store and SPARQL engine). Raises ``GraphError`` when the
    file is missing or not valid RDF.
    """
    if store not in STORES:
        raise ValueError(f"unknown store {store!r}; choose one of {', '.join(STORES)}")
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"graph file not found: {path} (run `kg build` first or pass --graph)")
    rdf_format = guess_format(str(path)) or "turtle"
    if store == "oxigraph":
        graph = oxigraph_graph()
        rdf_format = "ox-" + rdf_format
    else:
        graph = bind_prefixes(Graph())
    try:
        graph.parse(path, format=rdf_format)
    except Exception as exc:  # the parsers raise many unrelated types
        raise GraphError(f"cannot parse {path}: {_one_line(exc)}") from exc
    return graph


#: Seconds a query may run before it is abandoned (``kg query --timeout``, ``kg serve --timeout``).
DEFAULT_TIMEOUT = 60.0


class QueryTimeout(QueryError):
    """A query ran longer than its time limit."""


def run_query(
    graph: Graph,
    sparql: str,
    params: Mapping[str, object] | None = None,
    *,
    timeout: float | None = None,
    allow_service: Collection[str] = (),
) -> Result:
    """Run the SPARQL 1.1 query ``sparql`` on ``graph`` and return rdflib's ``Result``.

    ``params`` maps variable names (without ``?``) to values: strings become plain
    literals, rdflib terms are used as they are; :func:`bind_params` binds them with a
    ``VALUES`` block of escaped terms, so no value can change the query. ``SERVICE`` is refused unless its endpoint is in
    ``allow_service`` (:func:`check_service`). With ``timeout`` (seconds),
    :class:`QueryTimeout` is raised when the answer is not complete in time; the engine
    cannot be stopped from outside, so the evaluation goes on in a background thread until it
    ends or the process exits (``kg query`` exits at once). Raises ``QueryError`` for
    malformed or refused SPARQL.
    """
    check_service(sparql, allow_service)
    params = dict(params or {})
    bind_params("{}", params)  # bad names and unsafe values fail here, not in the thread
    if timeout is None:
        return _evaluate(graph, sparql, params)
    answer: list[Result] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            answer.append(_evaluate(graph, sparql, params))
        except BaseException as exc:  # handed to the waiting thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(None if math.isinf(timeout) else timeout)  # Ctrl-C interrupts the wait
    if worker.is_alive():
        raise QueryTimeout(f"query stopped after {timeout:g} s, its time limit (--timeout)")
    if failure:
        raise failure[0]
    return answer[0]


def _evaluate(graph: Graph, sparql: str, params: Mapping[str, object]) -> Result:
    # rdflib would fetch a graph named by FROM / FROM NAMED from the web: never from a query.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    text = bind_params(sparql, params) if params else sparql
    store = oxigraph_store(graph)
    try:
        if store is not None:
            prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
            return _rdflib_result(store.query(text, prefixes=prefixes))
        result = graph.query(text)
        if result.type == "SELECT":  # materialised here so that evaluation errors surface here
            result.bindings = [
                {var: plain_term(term) for var, term in row.items()} for row in result.bindings
            ]
    except Exception as exc:  # pyparsing, Oxigraph's SyntaxError, evaluation errors
        raise QueryError(f"query failed: {_one_line(exc)}") from exc
    return result


def _param_terms(params: Mapping[str, object]) -> dict[str, Identifier]:
    for name in params:
        if not _PARAM_NAME.fullmatch(name):
            raise QueryError(f"bad parameter name {name!r}: use letters, digits and '_'")
    return {name: _as_term(value) for name, value in sorted(params.items())}


#: Lexical pieces of SPARQL that a SERVICE check sees past (strings, comments), IRIs, and
#: the keyword itself where it is not part of a variable or a prefixed name.
_SERVICE_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|#[^\n\r]*)"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<service>(?<![\w?$:.\-])SERVICE(?![\w:\-]))",
    re.IGNORECASE,
)
_SILENT = re.compile(r"(?:\s|#[^\n\r]*)*(?:SILENT(?![\w:\-]))?(?:\s|#[^\n\r]*)*", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_service(sparql: str, allowed: Collection[str] = ()) -> None:
    """Raise :class:`QueryError` when ``sparql`` uses ``SERVICE`` with an endpoint that is not
    in ``allowed`` (exact IRIs). The check is lexical and errs on the side of refusing: the
    ``\\u`` escapes SPARQL decodes before parsing are decoded first, and an endpoint must be
    an ``<IRI>`` written out (a variable or a prefixed name is refused)."""
    text = _CODEPOINT.sub(lambda m: _codepoint(m.group(1) or m.group(2)), sparql)
    for token in _SERVICE_TOKENS.finditer(text):
        if token.lastgroup != "service":
            continue
        after = _SILENT.match(text, token.end()).end()
        endpoint = _SERVICE_TOKENS.match(text, after)
        iri = endpoint.group("iri") if endpoint is not None else None
        if iri is None or iri[1:-1] not in allowed:
            shown = iri[1:-1] if iri else text[after : after + 40].split("{")[0].strip()
            raise QueryError(
                f"SERVICE {shorten(shown, 80)!r} refused: a federated query makes this machine connect "
                "to another server; allow an endpoint by its exact IRI with --allow-service IRI"
            )


def _codepoint(hex_digits: str) -> str:
    code = int(hex_digits, 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def list_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """The named queries of ``directory``, sorted by name."""
    return [read_query(path) for path in sorted(Path(directory).glob("*.rq"))]


def read_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file: its leading ``#`` lines are the description and parameters."""
    text = Path(path).read_text(encoding="utf-8")
    description: list[str] = []
    params: list[QueryParam] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM_LINE.match(line)
        if match:
            params.append(QueryParam(match["name"], (match["text"] or "").strip()))
        elif line.strip("# "):
            description.append(line.lstrip("#").strip())
    return NamedQuery(Path(path).stem, Path(path), "\n".join(description), tuple(params), text)


def get_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """The named query ``name``; ``QueryError`` names the known ones when it does not exist."""
    path = Path(directory) / f"{name}.rq"
    if not _PARAM_NAME.fullmatch(name.replace("-", "_")) or not path.is_file():
        known = ", ".join(query.name for query in list_queries(directory))
        raise QueryError(f"unknown query {name!r}; known queries: {known}")
    return read_query(path)


def run_named_query(
    graph: Graph,
    name: str,
    params: Mapping[str, object] | None = None,
    directory: Path = QUERIES_DIR,
    *,
    timeout: float | None = None,
) -> Result:
    """Run the library query ``name`` with ``params``, which must match its declared parameters
    (``timeout`` as for :func:`run_query`)."""
    query = get_query(name, directory)
    given = dict(params or {})
    declared = {param.name for param in query.params}
    missing = sorted(declared - given.keys())
    unknown = sorted(given.keys() - declared)
    if missing:
        raise QueryError(f"query {name!r} needs parameter(s): {', '.join(missing)} (use --param NAME=VALUE)")
    if unknown:
        accepted = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"query {name!r} has no parameter(s) {', '.join(unknown)}; it accepts: {accepted}")
    return run_query(graph, query.text, given, timeout=timeout)


def format_result(result: Result, fmt: str = "table", graph: Graph | None = None) -> str:
    """Render ``result`` as text.

    SELECT results: ``table`` (aligned columns for the terminal, IRIs shortened with the
    graph's prefixes), ``csv``, ``tsv`` or ``json`` (the SPARQL 1.1 result formats).
    ASK results print ``true``/``false`` (a SPARQL JSON boolean for ``json``);
    CONSTRUCT and DESCRIBE results print Turtle whatever ``fmt`` is.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if result.type == "ASK":
        if fmt == "json":
            return result.serialize(format="json").decode("utf-8") + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return bind_prefixes(Graph() + result.graph).serialize(format="turtle")
    if fmt == "table":
        manager = graph.namespace_manager if graph is not None else bind_prefixes(Graph()).namespace_manager
        return _table(result, manager)
    if fmt == "tsv":
        return _tsv(result)
    text = result.serialize(format=fmt).decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def bind_params(sparql: str, params: Mapping[str, object]) -> str:
    """``sparql`` with ``params`` bound by a ``VALUES`` block at the start of its WHERE clause;
    the same text runs on any SPARQL 1.1 engine (a server included).

    Each value is written with SPARQL's own escapes (:func:`sparql_term`). A value holding
    ``\\u`` or ``\\U`` is refused: engines decode those before parsing (rdflib even after an
    escaped backslash), so no escaping of them is safe in every engine.
    """
    terms = _param_terms(params)
    variables = " ".join(f"?{name}" for name in terms)
    values = " ".join(sparql_term(term) for term in terms.values())
    block = f"VALUES ({variables}) {{ ({values}) }}\n"
    position = _where_start(sparql)
    return sparql[:position] + block + sparql[position:]


_LITERAL_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
                    ord("\t"): "\\t", ord("\b"): "\\b", ord("\f"): "\\f"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_IRI_TEXT = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")


def sparql_term(term: Identifier) -> str:
    """The SPARQL text of an IRI or a literal, escaped so that it cannot end early."""
    if isinstance(term, URIRef):
        if not _IRI_TEXT.fullmatch(str(term)):
            raise QueryError(f"parameter IRI {shorten(str(term))!r} holds characters an IRI cannot")
        return f"<{term}>"
    text = str(term)
    if re.search(r"\\[uU]", text):
        raise QueryError(f"parameter value {shorten(text)!r} holds \\u or \\U, which SPARQL text cannot carry safely")
    literal = '"' + text.translate(_LITERAL_ESCAPES) + '"'
    if term.language:
        if not _LANGUAGE_TAG.fullmatch(term.language):
            raise QueryError(f"bad language tag {term.language!r}")
        return f"{literal}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{literal}^^{sparql_term(URIRef(term.datatype))}"
    return literal


def plain_term(term: Node | None) -> Node | None:
    """RDF 1.1 simple literals the same way from both stores (Oxigraph adds ``^^xsd:string``)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _rdflib_result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    """rdflib's ``Result`` of a pyoxigraph answer, SELECT rows materialised as plain terms
    (:class:`kg.store.TermConverter`)."""
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
    elif isinstance(answer, ox.QueryTriples):
        result = Result("CONSTRUCT")
        result.graph = Graph()
        result.graph += (from_ox(triple) for triple in answer)
    else:
        result = Result("SELECT")
        result.vars = [Variable(variable.value) for variable in answer.variables]
        term = TermConverter()
        result.bindings = [dict(zip(result.vars, map(term, solution))) for solution in answer]
    return result


def _as_term(value: object) -> Identifier:
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, Node):
        raise QueryError(f"parameter values must be IRIs or literals, not {type(value).__name__}")
    return Literal(str(value))


def _where_start(sparql: str) -> int:
    """Index just after the ``{`` opening the query's WHERE group (skipping a CONSTRUCT template)."""
    code = _SKIPPED.sub(lambda match: " " * len(match.group()), sparql)
    construct = _CONSTRUCT.search(code)
    start = 0
    if construct:
        depth = 0
        for index in range(construct.end() - 1, len(code)):
            depth += {"{": 1, "}": -1}.get(code[index], 0)
            if depth == 0:
                start = index + 1
                break
    brace = code.find("{", start)
    if brace < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return brace + 1


def _cell(term: Node | None, manager: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            prefix, namespace, local = manager.compute_qname(str(term), generate=False)
        except (KeyError, ValueError):
            return f"<{term}>"
        return f"{prefix}:{local}"
    return " ".join(str(term).split())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _clip(text: str) -> str:
    if _width(text) <= TABLE_CELL_WIDTH:
        return text
    while _width(text) > TABLE_CELL_WIDTH - 1:
        text = text[:-1]
    return text + "…"


def _table(result: Result, manager: NamespaceManager) -> str:
    header = [str(var) for var in result.vars or []]
    rows = [[_clip(_cell(row.get(var), manager)) for var in result.vars] for row in result.bindings]
    widths = [max([_width(name)] + [_width(row[i]) for row in rows]) for i, name in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths)).rstrip()

    out = [line(header), line(["-" * width for width in widths])]
    out.extend(line(row) for row in rows)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _tsv(result: Result) -> str:
    out = io.StringIO()
    out.write("\t".join(f"?{var}" for var in result.vars or []) + "\n")
    for row in result.bindings:
        cells = ["" if row.get(var) is None else row.get(var).n3().replace("\t", "\\t") for var in result.vars]
        out.write("\t".join(cells) + "\n")
    return out.getvalue()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
