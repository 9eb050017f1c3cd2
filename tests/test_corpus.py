"""The real digests of ``../shared/corpus`` (five layouts from four public sources): every paper
of every file reaches the graph, each file's layout is named right, and the sentences of every
paper's text are in the literals of its paper node (issue 15's checks)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from tests.conftest import SHARED

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
#: The layout of each source folder of the corpus (SOURCES.md).
LAYOUT_OF_FOLDER = {"arxiv-daily-pages": "paper-page", "cv-arxiv-daily": "arxiv-daily",
                    "daily-arxiv-ai-enhanced": "jsonl", "nituchao": None}
_ID = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})|\"id\": \"(\d{4}\.\d{4,5})\"")
#: Every paper keeps at least this share of its sentences (characters), headings and labels aside.
MIN_COVERAGE = 0.95


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    from kg.build import build

    return build([CORPUS], tmp_path_factory.mktemp("corpus"), jobs=2)


def corpus_files() -> list[Path]:
    return sorted(path for path in CORPUS.rglob("*") if path.is_file() and path.name != "SOURCES.md")


def test_every_paper_of_every_file_is_in_the_graph(corpus_build):
    expected = {a or b for path in corpus_files() for a, b in _ID.findall(path.read_text(encoding="utf-8"))}
    found = {str(o) for o in corpus_build.graph.objects(None, URIRef("https://w3id.org/paperkg/ontology#arxivId"))}
    assert len(expected) > 5000
    assert expected <= found
    assert not [d for d in corpus_build.diagnostics if d.kind in ("skipped", "error")]


def test_the_reading_report_names_each_files_layout(corpus_build):
    by_path = {Path(info.path).resolve(): info for info in corpus_build.files}
    for path in corpus_files():
        info = by_path[path.resolve()]
        folder = path.relative_to(CORPUS).parts[0]
        expected = LAYOUT_OF_FOLDER[folder] or ("jsonl" if path.suffix == ".jsonl" else "numbered-daily")
        assert info.format == expected, path
        assert info.papers > 0 and info.coverage >= 0.99, (path, info.coverage)


def test_every_papers_sentences_are_in_its_literals(corpus_build):
    from kg.readers import iter_papers
    from kg.readers.coverage import _fold, sentences
    from kg.readers.text import numbered_lines, sniff

    graph = corpus_build.graph
    literals: dict[str, list[str]] = defaultdict(list)
    rows = graph.query("""
        PREFIX pkg: <https://w3id.org/paperkg/ontology#>
        SELECT ?id ?text WHERE {
          ?paper pkg:arxivId ?id .
          { ?paper ?p ?text } UNION { ?paper pkg:digestSection ?part . ?part ?q ?text }
          UNION { ?paper pkg:topic ?topic . ?topic ?r ?text }
          FILTER isLiteral(?text)
        }""")
    for arxiv_id, text in rows:
        literals[str(arxiv_id)].append(str(text))
    folded = {arxiv_id: _fold("\n".join(texts)) for arxiv_id, texts in literals.items()}
    low = []
    for path in corpus_files():
        lines = dict(numbered_lines(path, sniff(path)))
        for record in iter_papers(path):
            block = [lines[n] for n in range(record.source.line, record.end_line + 1)]
            found = [s for s in sentences(block) if _fold(s)]
            total = sum(len(_fold(s)) for s in found)
            kept = sum(len(_fold(s)) for s in found if _fold(s) in folded[record.arxiv_id])
            if total and kept / total < MIN_COVERAGE:
                low.append((str(path), record.arxiv_id, round(kept / total, 3)))
    assert low == []


def test_extraction_quality_on_dev2(corpus_build):
    """dev2.jsonl (40 papers of the corpus, gold the pipeline was not tuned on when written):
    issue 16's bar for other sources, typed F1 and role accuracy >= 0.85 (reached: 0.90, 0.88)."""
    from kg.evaluate import evaluate, read_gold
    from kg.query import load_graph

    gold = SHARED / "eval" / "dev2.jsonl"
    if not gold.exists():
        pytest.skip("no dev2.jsonl beside the repository")
    # the written Turtle, read as kg eval reads it (an Oxigraph store: rdflib's memory store
    # takes minutes over the corpus graph)
    scores = evaluate(load_graph(corpus_build.outputs[0]), read_gold(gold))
    assert scores.missing_papers == []
    assert scores.typed.f1 >= 0.85, scores.as_dict()["typed"]
    assert scores.role_accuracy >= 0.85, scores.as_dict()["role_accuracy"]
