"""kg/query.py and `kg query` on the hand-written mini graph."""

from __future__ import annotations

import csv
import io
import json
import pickle
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kg.cli import main
from kg.namespaces import ENTITY, PAPER, PKG
from kg.query import (
    QUERIES_DIR,
    STORES,
    GraphError,
    QueryError,
    format_result,
    get_query,
    list_queries,
    load_graph,
    run_named_query,
    run_query,
)
from kg.store import simple_literal

MINI = Path(__file__).parent / "data" / "mini_graph.ttl"
#: Each statistics-reading library query as it was before the build materialised its
#: counts: an aggregate over every link of the graph.
AGGREGATES = Path(__file__).parent / "data" / "aggregates"
#: A value for each parameter of the library, matching something in the mini graph.
SAMPLE_PARAMS = {"name": "HELMET", "id": "2602.05258", "class": "Benchmark"}
SAMPLE_PARAMS_BY_QUERY = {"compared-with": {"name": "HardClip"}, "entity-card": {"name": "qwen2.5-vl-7b"}}
REQUIRED_QUERIES = {
    "top-benchmarks", "top-models", "top-methods", "top-datasets", "papers-evaluating-on", "compared-with",
    "entity-cooccurrence", "entities-per-topic", "new-entities-per-date", "papers-with-code", "paper-card",
    "entity-card",
}


@pytest.fixture(scope="module", params=STORES)
def graph(request):
    return load_graph(MINI, store=request.param)


@pytest.fixture(scope="module")
def graphs():
    return {store: load_graph(MINI, store=store) for store in STORES}


def rows(result) -> list[tuple[str, ...]]:
    return [tuple("" if row.get(v) is None else row.get(v).n3() for v in result.vars) for row in result.bindings]


def test_library_has_the_required_queries_with_leading_comments():
    queries = {query.name: query for query in list_queries()}
    assert REQUIRED_QUERIES <= queries.keys()
    for query in queries.values():
        assert query.text.startswith("#"), query.name
        assert query.summary, query.name
        for param in query.params:
            assert param.description, (query.name, param.name)
            assert re.search(rf"\?{param.name}\b", query.text.split("SELECT", 1)[1]), (query.name, param.name)
    assert [p.name for p in queries["papers-evaluating-on"].params] == ["name"]
    assert [p.name for p in queries["paper-card"].params] == ["id"]


@pytest.mark.parametrize("name", sorted(q.name for q in list_queries(QUERIES_DIR)))
def test_both_stores_give_the_same_answers(graphs, name):
    params = SAMPLE_PARAMS_BY_QUERY.get(name) or {p.name: SAMPLE_PARAMS[p.name] for p in get_query(name).params}
    answers = {store: rows(run_named_query(g, name, params)) for store, g in graphs.items()}
    assert answers["oxigraph"], f"{name} returns no rows on the mini graph"
    assert answers["oxigraph"] == answers["memory"]


def test_top_benchmarks_counts_papers(graph):
    result = run_named_query(graph, "top-benchmarks")
    first = list(result)[0]
    assert (str(first["label"]), first["papers"].toPython()) == ("MMLU", 2)
    assert [str(r["label"]) for r in list(result)] == ["MMLU", "GAIA", "HELMET", "RULER"]


def test_top_models_and_methods_keep_to_their_class(graph):
    models = {str(r["label"]) for r in run_named_query(graph, "top-models")}
    methods = {str(r["label"]) for r in run_named_query(graph, "top-methods")}
    datasets = {str(r["label"]) for r in run_named_query(graph, "top-datasets")}
    assert models == {"MATRIX", "Qwen2.5-7B", "Qwen2.5-VL-7B"}
    assert methods == {"CoPE", "RoPE", "HardClip"}
    assert datasets == {"M-TRACE"}


@pytest.mark.parametrize("name", ["HELMET", "helmet", "HeLmEt"])
def test_papers_evaluating_on_matches_label_case_insensitively(graph, name):
    result = run_named_query(graph, "papers-evaluating-on", {"name": name})
    assert [r["paper"] for r in list(result)] == [PAPER["2602.05258"]]


def test_name_matches_alt_labels(graph):
    result = run_named_query(graph, "entity-card", {"name": "clipped rope"})
    fields = [(str(r["field"]), str(r["value"])) for r in list(result)]
    assert ("label", "CoPE") in fields and ("altLabel", "Clipped RoPE") in fields
    assert ("proposes", str(PAPER["2602.05258"])) in fields


def test_papers_evaluating_on_newest_first(graph):
    result = run_named_query(graph, "papers-evaluating-on", {"name": "mmlu"})
    assert [str(r["arxivId"]) for r in list(result)] == ["2602.05258", "2510.08567"]


def test_hostile_parameter_is_a_literal_not_sparql(graph):
    hostile = 'x" ) } ?s ?p ?o . { FILTER(true) # \\ \n'
    assert list(run_named_query(graph, "papers-evaluating-on", {"name": hostile})) == []
    echoed = run_query(graph, "SELECT ?v WHERE { BIND(?v AS ?w) }", {"v": hostile})
    assert [str(r["v"]) for r in list(echoed)] == [hostile]


def test_iri_parameters_are_bound_as_iris(graph):
    result = run_query(graph, "SELECT ?label WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
                       {"e": ENTITY["helmet"]})
    assert [str(r["label"]) for r in list(result)] == ["HELMET"]


def test_compared_with_both_directions(graph):
    baseline = run_named_query(graph, "compared-with", {"name": "HardClip"})
    assert [(str(r["role"]), str(r["otherLabel"])) for r in list(baseline)] == [("baseline", "CoPE")]
    proposed = run_named_query(graph, "compared-with", {"name": "cope"})
    assert [(str(r["role"]), str(r["otherLabel"])) for r in list(proposed)] == [("proposed", "HardClip")]


def test_paper_card_groups_entities_by_relation(graph):
    result = run_named_query(graph, "paper-card", {"id": "2602.05258"})
    fields = [str(r["field"]) for r in list(result)]
    assert fields[0] == "title"
    relations = [f for f in fields if f in ("proposes", "evaluatesOn", "comparesWith", "uses")]
    assert relations == ["proposes"] + ["evaluatesOn"] * 3 + ["comparesWith"] + ["uses"] * 2
    assert ("hfPage", "https://huggingface.co/papers/2602.05258") in [(str(r["field"]), str(r["value"])) for r in list(result)]


def test_cooccurrence_counts_the_papers_shared_with_the_entity(graph):
    result = run_named_query(graph, "entity-cooccurrence", {"name": "helmet"})
    found = {str(r["otherLabel"]): r["papers"].toPython() for r in list(result)}
    assert found and "HELMET" not in found
    assert [r["papers"].toPython() for r in list(result)] == sorted(found.values(), reverse=True)
    for label, papers in found.items():
        shared = run_query(graph, """PREFIX pkg: <https://w3id.org/paperkg/ontology#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
              ?a rdfs:label "HELMET" . ?b rdfs:label ?label .
              ?p pkg:proposes|pkg:evaluatesOn|pkg:comparesWith|pkg:uses ?a , ?b . }""", {"label": label})
        assert list(shared)[0]["n"].toPython() == papers, label


def test_new_entities_per_date_counts_each_entity_once(graph):
    result = run_named_query(graph, "new-entities-per-date")
    total = sum(r["newEntities"].toPython() for r in list(result))
    # the entities papers link to, and the families of those (new on their first variant's date)
    linked = run_query(graph, "PREFIX pkg: <https://w3id.org/paperkg/ontology#> SELECT (COUNT(DISTINCT ?e) AS ?n) "
                       "WHERE { { ?p pkg:proposes|pkg:evaluatesOn|pkg:comparesWith|pkg:uses ?e } UNION "
                       "{ ?p pkg:proposes|pkg:evaluatesOn|pkg:comparesWith|pkg:uses ?m . ?m pkg:variantOf ?e } }")
    assert total == list(linked)[0]["n"].toPython() == 13


def test_missing_and_unknown_parameters(graph):
    with pytest.raises(QueryError, match="needs parameter"):
        run_named_query(graph, "paper-card")
    with pytest.raises(QueryError, match="has no parameter"):
        run_named_query(graph, "top-models", {"name": "x"})
    with pytest.raises(QueryError, match="unknown query 'nope'.*top-models"):
        run_named_query(graph, "nope")


def test_syntax_error_is_a_query_error(graph):
    with pytest.raises(QueryError, match="query failed"):
        run_query(graph, "SELECT * WHERE { ?s ?p }")


def test_missing_graph_file(tmp_path):
    with pytest.raises(GraphError, match="not found"):
        load_graph(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .", encoding="utf-8")
    with pytest.raises(GraphError, match="cannot parse"):
        load_graph(bad)


def test_formats(graph):
    result = run_named_query(graph, "papers-with-code")
    table = format_result(result, "table", graph)
    assert table.splitlines()[0].split() == ["paper", "arxivId", "title", "date", "repository"]
    assert "paper:2510.08567" in table and "(1 row)" in table
    parsed = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert parsed[0] == ["paper", "arxivId", "title", "date", "repository"]
    assert parsed[1][0] == str(PAPER["2510.08567"]) and parsed[1][4] == "https://github.com/mbzuai-oryx/MATRIX"
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0] == "?paper\t?arxivId\t?title\t?date\t?repository"
    assert tsv[1].split("\t")[3] == '"2025-10-09"^^<http://www.w3.org/2001/XMLSchema#date>'
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == ["paper", "arxivId", "title", "date", "repository"]
    assert data["results"]["bindings"][0]["arxivId"] == {"type": "literal", "value": "2510.08567"}


def test_ask_and_construct(graph):
    ask = run_query(graph, "ASK { ?p <https://w3id.org/paperkg/ontology#arxivId> ?id }", {"id": "2602.05258"})
    assert format_result(ask) == "true\n"
    assert json.loads(format_result(ask, "json"))["boolean"] is True
    construct = run_query(graph, "CONSTRUCT { ?e a ?c } WHERE { ?e a ?c }", {"c": PKG["Benchmark"]})
    turtle = format_result(construct, "csv", graph)
    assert "entity:helmet a pkg:Benchmark" in turtle
    assert "@prefix pkg:" in turtle


def test_table_aligns_wide_characters(graph):
    result = run_named_query(graph, "entities-per-topic")
    lines = format_result(result, "table", graph).splitlines()
    assert "多模态" in lines[2]
    before = lines[2][: lines[2].index("pkg:")]
    display_width = sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in before)
    assert display_width == lines[0].index("class")


# --- command line ---------------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(main, ["query", *args], catch_exceptions=False)


def test_cli_named_query_with_param():
    out = invoke("--graph", str(MINI), "--name", "papers-evaluating-on", "--param", "name=helmet", "--format", "csv")
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[1].startswith(str(PAPER["2602.05258"]))


def test_cli_sparql_text_and_rq_file(tmp_path):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/paperkg/ontology#Paper> }"
    out = invoke(text, "--graph", str(MINI), "--format", "csv")
    assert out.exit_code == 0 and out.output.split() == ["n", "2"]
    rq = tmp_path / "count.rq"
    rq.write_text(text, encoding="utf-8")
    out = invoke(str(rq), "--graph", str(MINI), "--format", "json", "--store", "memory")
    assert json.loads(out.output)["results"]["bindings"][0]["n"]["value"] == "2"


def test_cli_long_one_line_query_is_text_not_a_file_name():
    # longer than a file name may be (255 bytes): `Path.is_file()` raised ENAMETOOLONG
    text = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { " + "?p a pkg:Paper ; pkg:title ?title . " * 8 + "}"
    assert len(text.encode()) > 300 and "\n" not in text and "/" not in text
    out = CliRunner().invoke(main, ["query", text, "--graph", str(MINI), "--format", "csv"])
    assert out.exit_code == 0 and out.output.split() == ["n", "2"], out.output


def test_cli_ask_prints_boolean():
    out = invoke("ASK { ?s a <https://w3id.org/paperkg/ontology#Digest> }", "--graph", str(MINI))
    assert out.output == "true\n"


def test_cli_construct_prints_turtle():
    out = invoke("DESCRIBE <https://w3id.org/paperkg/entity/helmet>", "--graph", str(MINI))
    assert out.exit_code == 0 and "HELMET" in out.output and "@prefix" in out.output


def test_cli_list():
    out = invoke("--list")
    assert out.exit_code == 0
    names = {line.split()[0] for line in out.output.splitlines()}
    assert REQUIRED_QUERIES <= names
    assert any(line.startswith("paper-card id=") for line in out.output.splitlines())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--name", "top-models", "--graph", "no/such/graph.ttl"], "graph file not found: no/such/graph.ttl"),
        (["SELECT * WHERE { ?s ?p }", "--graph", str(MINI)], "query failed"),
        (["SELECT * WHERE { ?s ?p }", "--graph", str(MINI), "--store", "memory"], "query failed"),
        (["--name", "paper-card", "--graph", str(MINI)], "needs parameter(s): id"),
        (["--name", "nope", "--graph", str(MINI)], "unknown query 'nope'"),
        (["--name", "top-models", "--param", "oops", "--graph", str(MINI)], "expected NAME=VALUE"),
        (["--graph", str(MINI)], "give either QUERY"),
        (["top-models", "--graph", str(MINI)], "'top-models' is a query of the library: run it with --name top-models"),
        (["missing.rq", "--graph", str(MINI)], "cannot read query file missing.rq"),
    ],
)
def test_cli_errors_are_one_line(args, message):
    out = CliRunner().invoke(main, ["query", *args])
    assert out.exit_code != 0
    assert message in out.output
    assert "Traceback" not in out.output
    assert out.exception is None or isinstance(out.exception, SystemExit)
    assert len([line for line in out.output.splitlines() if line.startswith("Error")]) == 1


def test_default_graph_is_output_graph_ttl(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["query", "--name", "top-models"])
    assert out.exit_code != 0 and "output/graph.ttl" in out.output
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "graph.ttl").write_bytes(MINI.read_bytes())
    out = CliRunner().invoke(main, ["query", "--name", "top-models", "-f", "csv"])
    assert out.exit_code == 0 and "Qwen2.5-7B" in out.output


def test_literal_parameter_is_plain_string(graph):
    result = run_query(graph, "SELECT ?x WHERE { BIND(?x AS ?y) }", {"x": Literal(3)})
    assert list(result)[0]["x"].toPython() == 3
    result = run_query(graph, "SELECT ?x WHERE { BIND(?x AS ?y) }", {"x": URIRef("urn:x")})
    assert list(result)[0]["x"] == URIRef("urn:x")


def test_compared_with_a_paper_proposing_nothing_names_no_other_entity():
    # An unbound ?other must not pick up the label of every entity in the graph.
    from rdflib import Graph

    graph = Graph().parse(
        data="""
        @prefix pkg: <https://w3id.org/paperkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:p> a pkg:Paper ; pkg:title "P" ; pkg:comparesWith <urn:grpo> .
        <urn:grpo> a pkg:Method ; rdfs:label "GRPO" .
        <urn:other> a pkg:Method ; rdfs:label "Other" .
        """,
        format="turtle",
    )
    rows = list(run_named_query(graph, "compared-with", {"name": "GRPO"}))
    assert len(rows) == 1
    assert rows[0]["role"].toPython() == "baseline" and rows[0]["otherLabel"] is None


def assert_answers_as_the_aggregate(graph, path: Path) -> None:
    """The library query named like ``path`` gives the rows of the aggregate query in ``path``."""
    expected = run_query(graph, path.read_text(encoding="utf-8"))
    answered = run_named_query(graph, path.stem)
    assert answered.vars == expected.vars
    assert rows(answered) == rows(expected) and rows(expected)


@pytest.mark.parametrize("path", sorted(AGGREGATES.glob("*.rq")), ids=lambda path: path.stem)
def test_the_mini_graph_statistics_answer_as_the_aggregates(graph, path):
    assert_answers_as_the_aggregate(graph, path)


def test_cli_warns_when_the_graph_has_no_statistics(tmp_path):
    plain = tmp_path / "plain.ttl"
    plain.write_text(MINI.read_text(encoding="utf-8").split("# --- statistics")[0], encoding="utf-8")
    out = CliRunner().invoke(main, ["query", "--graph", str(plain), "--name", "top-models"])
    assert out.exit_code == 0 and "has no statistics" in out.stderr and "(0 rows)" in out.stdout
    out = CliRunner().invoke(main, ["query", "--graph", str(MINI), "--name", "top-models"])
    assert out.exit_code == 0 and out.stderr == ""


@pytest.mark.parametrize("text", ["HELMET", "长上下文基准", "", "a\"b\nc", "2025-01-01"])
def test_simple_literal_is_the_plain_literal(text):
    fast, made = simple_literal(text), Literal(text)
    assert fast == made and hash(fast) == hash(made) and fast.eq(made)
    assert (fast.value, fast.language, fast.datatype, fast.ill_typed) == (made.value, made.language, made.datatype, made.ill_typed)
    assert fast.n3() == made.n3()
    assert pickle.loads(pickle.dumps(fast)) == made
