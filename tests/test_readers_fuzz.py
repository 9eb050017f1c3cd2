"""Property-based tests (issue 7): random damage to real digests never crashes a reader, and
every paper whose block survived intact is still read with the same id and title."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.paths import SAMPLES_DIR
from kg.readers import read_file, read_inputs
from kg.readers.sections import match_heading

HF_SAMPLE = SAMPLES_DIR / "003_c04f0ada7c0ebb3a.txt"
ARXIV_SAMPLE = SAMPLES_DIR / "004_32277511330300ba.txt"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_HF_LINK = re.compile(rb"huggingface\.co/papers/(\d{4}\.\d{4,5})")
_ARXIV_ROW = re.compile(rb"^\|\*\*[-\d]+\*\*\|\[(.+)\]\(http://arxiv\.org/abs/(\d{4}\.\d{4,5})\)")


def hf_blocks(raw: bytes) -> list[tuple[bytes, str, str]]:
    """(block bytes from ``## 📄`` to its ``====`` line, arXiv id, title) of a clean report."""
    lines = raw.splitlines(keepends=True)
    blocks = []
    for start, line in enumerate(lines):
        if line.startswith("## 📄".encode()):
            end = next(i for i in range(start, len(lines)) if lines[i].startswith(b"===="))
            block = b"".join(lines[start : end + 1])
            blocks.append((block, _HF_LINK.search(block)[1].decode(), line[len("## 📄 ".encode()) :].strip().decode()))
    return blocks


def arxiv_blocks(raw: bytes) -> list[tuple[bytes, str, str]]:
    """(row line, arXiv id, title) of every row of a clean arXiv list."""
    blocks = []
    for line in raw.splitlines(keepends=True):
        match = _ARXIV_ROW.match(line)
        if match:
            blocks.append((line, match[2].decode(), " ".join(match[1].decode().split())))
    return blocks


SAMPLES = {
    "hf": (HF_SAMPLE.read_bytes(), hf_blocks(HF_SAMPLE.read_bytes())),
    "arxiv": (ARXIV_SAMPLE.read_bytes(), arxiv_blocks(ARXIV_SAMPLE.read_bytes())),
}

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
mutation = st.one_of(
    st.tuples(st.just("delete"), st.floats(0, 1)),
    st.tuples(st.just("duplicate"), st.floats(0, 1)),
    st.tuples(st.just("garble"), st.floats(0, 1), _text),
    st.tuples(st.just("junk"), st.floats(0, 1), st.binary(min_size=1, max_size=32)),
    st.tuples(st.just("cut"), st.floats(0, 1)),
)


def mutate(raw: bytes, mutations: list[tuple]) -> bytes:
    lines = raw.splitlines(keepends=True)
    for kind, where, *payload in mutations:
        if not lines:
            break
        index = min(int(where * len(lines)), len(lines) - 1)
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "garble":
            lines[index] = payload[0].encode("utf-8") + b"\n"
        elif kind == "junk":
            line = lines[index]
            at = min(int(where * 7919) % (len(line) + 1), len(line))
            lines[index] = line[:at] + payload[0] + line[at:]
        else:  # cut the file inside this line
            data = b"".join(lines[:index]) + lines[index][: len(lines[index]) // 2]
            lines = data.splitlines(keepends=True)
    return b"".join(lines)


def check_intact_papers_survive(sample: str, mutations: list[tuple]) -> None:
    raw, blocks = SAMPLES[sample]
    damaged = mutate(raw, mutations)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.txt"
        path.write_bytes(damaged)
        papers, diagnostics, info = read_file(path)
        assert read_inputs([path]).papers == papers
    assert info.papers == len(papers)
    line_count = damaged.count(b"\n") + damaged.count(b"\r") + 1
    for diagnostic in diagnostics:
        assert diagnostic.source.path == str(path)
        assert 0 <= diagnostic.source.line <= line_count
        assert diagnostic.kind in {"skipped", "repaired", "note"}
    by_id = {paper.arxiv_id: paper for paper in papers}
    for paper in papers:
        assert paper.arxiv_id and paper.title
    haystack = b"\n" + damaged
    for block, arxiv_id, title in blocks:
        if b"\n" + block in haystack:
            assert arxiv_id in by_id, (arxiv_id, title)
            assert title in (by_id[arxiv_id].title, *by_id[arxiv_id].alternative_titles)


@FUZZ
@given(st.lists(mutation, min_size=1, max_size=8))
def test_damaged_hf_report_keeps_intact_papers(mutations):
    check_intact_papers_survive("hf", mutations)


@FUZZ
@given(st.lists(mutation, min_size=1, max_size=8))
def test_damaged_arxiv_list_keeps_intact_rows(mutations):
    check_intact_papers_survive("arxiv", mutations)


@FUZZ
@given(st.lists(_text, max_size=30))
def test_random_lines_never_crash_either_reader(lines):
    header = {"hf": "# Hugging Face Daily Papers Report\n## 📄 T\n", "arxiv": "| Publish Date | Title | Code | Abstract |\n"}
    for start in header.values():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "random.txt"
            path.write_text(start + "\n".join(lines), encoding="utf-8")
            papers, diagnostics, _ = read_file(path)
            assert all(paper.arxiv_id for paper in papers)
    for line in lines:
        heading = match_heading(line)
        assert heading is None or isinstance(heading.rest, str)


LAYOUT_EXCERPTS = sorted((Path(__file__).parent / "data" / "layouts").iterdir())


@FUZZ
@given(st.sampled_from(LAYOUT_EXCERPTS), st.lists(mutation, min_size=1, max_size=8))
def test_damaged_excerpt_of_every_layout_never_raises(excerpt, mutations):
    """Each layout's excerpt, damaged: read without an exception, faults as diagnostics with a
    line inside the file, every record with an id and a title, coverage a share."""
    damaged = mutate(excerpt.read_bytes(), mutations)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / excerpt.name
        path.write_bytes(damaged)
        papers, diagnostics, info = read_file(path)
    line_count = damaged.count(b"\n") + damaged.count(b"\r") + 1
    assert all(d.kind in {"skipped", "repaired", "note"} and 0 <= d.source.line <= line_count for d in diagnostics)
    assert all(paper.arxiv_id and paper.title for paper in papers)
    assert info.coverage is None or 0.0 <= info.coverage <= 1.0


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(LAYOUT_EXCERPTS), st.lists(mutation, min_size=1, max_size=6))
def test_damaged_excerpt_never_raises_out_of_a_build(excerpt, mutations):
    """The whole build on a damaged excerpt: a graph or NothingToBuild, never another exception."""
    from kg.build import NothingToBuild, build

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / excerpt.name
        path.write_bytes(mutate(excerpt.read_bytes(), mutations))
        try:
            result = build([path], Path(folder) / "out", jobs=1)
        except NothingToBuild:
            return
        assert (Path(folder) / "out" / "graph.ttl").is_file() and result.papers > 0
