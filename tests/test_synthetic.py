"""The synthetic corpus generator (bench/synth.py) writes readable digests of both formats."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from bench import synth

PAPERS = 300


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, synth.Manifest]:
    out = tmp_path_factory.mktemp("synth")
    manifest = synth.generate(PAPERS, out, seed=7, hf_share=0.3, file_papers=100)
    return out, manifest


def _hf_ids(text: str) -> list[str]:
    return re.findall(r"^- \*\*链接\*\*: https://huggingface\.co/papers/(\S+)$", text, re.M)


def _arxiv_ids(text: str) -> list[str]:
    return [m["id"] for line in text.splitlines() if (m := synth.ARXIV_ROW.match(line))]


def test_both_formats_with_the_manifest_counts(corpus):
    out, manifest = corpus
    files = sorted((out / "digests").glob("*.txt"))
    assert sorted(f.name for f in files) == sorted(manifest.files)
    hf_ids, arxiv_ids, arxiv_rows = set(), set(), 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if text.startswith("# Hugging Face Daily Papers Report\n**Date**: "):
            ids = _hf_ids(text)
            assert text.count("\n## 📄 ") == len(ids) > 0
            assert len(ids) == len(set(ids))
            hf_ids.update(ids)
        else:
            assert text.startswith("---\nlayout: default\n---\n\n## Updated on ")
            rows = [line for line in text.splitlines() if line.startswith("|**")]
            assert rows and all(synth.ARXIV_ROW.match(line) for line in rows)
            arxiv_rows += len(rows)
            arxiv_ids.update(_arxiv_ids(text))
    assert len(hf_ids) == manifest.hf_papers
    assert len(arxiv_ids) == manifest.arxiv_papers
    assert arxiv_rows == manifest.arxiv_rows > manifest.arxiv_papers  # some papers under two topics
    assert hf_ids | arxiv_ids == set(synth.iter_ids(manifest))
    assert all(i.startswith("9") for i in hf_ids | arxiv_ids)
    saved = json.loads((out / "manifest.json").read_text())
    assert saved["papers"] == PAPERS


def test_hf_layout_variations_are_reproduced(corpus):
    out, _ = corpus
    text = "".join(p.read_text(encoding="utf-8") for p in (out / "digests").glob("hf-*.txt"))
    for heading in ("### 1. 应用领域", "1. **应用领域**：", "## 1. 应用领域", "- **阅读来源**: ArXiv Abs"):
        assert heading in text


def test_entity_names_are_synthetic_and_zipf_distributed(corpus):
    out, manifest = corpus
    gen = synth.Generator(PAPERS, seed=7)
    text = "".join(p.read_text(encoding="utf-8") for p in (out / "digests").glob("*.txt"))
    counts = sorted((text.count(name) for name in gen.vocab.names["model"][:20]), reverse=True)
    assert counts[0] > 3 * counts[-1] > 0  # popular names far more frequent than rank-20 names
    assert "Qwen2.5-7B" not in text and "HELMET" not in text  # real names are replaced
    assert 0.08 < manifest.code_links / manifest.papers < 0.25


def test_deterministic_for_a_seed(tmp_path, corpus):
    out, _ = corpus
    synth.generate(PAPERS, tmp_path, seed=7, hf_share=0.3, file_papers=100)
    for path in (out / "digests").glob("*.txt"):
        assert (tmp_path / "digests" / path.name).read_bytes() == path.read_bytes()
    other = synth.Generator(PAPERS, seed=8).paper(5)
    assert other.title != synth.Generator(PAPERS, seed=7).paper(5).title


def test_project_readers_read_every_paper(corpus):
    readers = importlib.import_module("kg.readers")
    if not hasattr(readers, "read_inputs"):
        pytest.skip("kg.readers.read_inputs is not written yet")
    out, manifest = corpus
    result = readers.read_inputs([out / "digests"])
    ids = [paper.arxiv_id for paper in result.papers]
    assert len(ids) == len(set(ids)) == manifest.papers
    assert set(ids) == set(synth.iter_ids(manifest))
    with_code = [p for p in result.papers if p.code_url]
    assert len(with_code) == manifest.arxiv_code_links > 0
    assert all(p.code_url.startswith("https://github.com/") for p in with_code)
    assert not result.diagnostics
