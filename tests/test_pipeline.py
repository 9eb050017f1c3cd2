"""kg.nlp as a spaCy pipeline: one lexicon for every component, the paper's structure read by
the pipeline itself, saved and loaded with spaCy, and used by ``kg build --pipeline``."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from kg.cli import main
from kg.nlp import extract, load_pipeline, paper_text
from kg.nlp.aggregate import paper_entities
from kg.nlp.lexicon import GAZETTEER_DIR
from kg.paths import SAMPLES_DIR
from kg.readers import read_inputs
from kg.records import PaperRecord, SourceRef

DIGEST = """# Hugging Face Daily Papers Report
**Date**: 2026-03-02

## 📄 Faster Serving of Small Models

- **链接**: https://huggingface.co/papers/2603.00001

### 1. 应用领域
模型推理

### 2. 一句话核心贡献
本文提出了一种新的调度方法，并在 Zorblax 上评测。
"""


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def papers():
    return read_inputs([SAMPLES_DIR]).papers


def _without_id(mentions) -> list[dict]:
    return [dataclasses.asdict(dataclasses.replace(m, paper_id="")) for m in mentions]


def test_nlp_of_a_papers_text_extracts_what_a_build_does(nlp, papers):
    """The title and sections come from the text: nlp(text) needs nothing set beside it."""
    for paper in papers[:200]:
        assert _without_id(paper_entities(nlp(paper_text(paper)))) == _without_id(extract([paper], nlp=nlp))


def test_the_structure_is_read_from_the_text(nlp):
    paper = PaperRecord("2603.00001", "CoPE: Clipped RoPE", "hf-daily", SourceRef("d.md", 1),
                        sections={"core_contribution": "提出 CoPE。", "experimental_results": "在 HELMET 上评测。"})
    doc = nlp(paper_text(paper))
    keys = [key for _, _, key in doc._.section_bounds]
    assert keys == ["title", "core_contribution", "experimental_results"]
    assert [doc.text[start:end] for start, end, _ in doc._.section_bounds] == [paper.title, *paper.sections.values()]
    assert doc._.title_names == ("CoPE",)
    assert nlp("Two lines\nwithout sections")._.section_bounds == ()
    assert nlp("CoPE: a title alone")._.title_names == ("CoPE",)


def _gazetteer_with(tmp_path: Path, name: str, file: str = "benchmarks.tsv") -> Path:
    folder = tmp_path / "gazetteer"
    shutil.copytree(GAZETTEER_DIR, folder)
    with (folder / file).open("a", encoding="utf-8") as gazetteer:
        gazetteer.write(f"{name}\n")
    return folder


def test_one_gazetteer_for_every_component(tmp_path):
    """A name listed only in the given gazetteer is typed from it (not Method/default)."""
    paper = read_inputs_text(tmp_path, DIGEST)
    (found,) = [m for m in extract([paper], nlp=load_pipeline(gazetteer=_gazetteer_with(tmp_path, "Zorblax"))) if m.name == "Zorblax"]
    assert (found.type, found.type_evidence, found.relation) == ("Benchmark", "gazetteer", "evaluatesOn")


def read_inputs_text(tmp_path: Path, text: str) -> PaperRecord:
    path = tmp_path / "digest.md"
    path.write_text(text, encoding="utf-8")
    (paper,) = read_inputs([path]).papers
    return paper


def test_to_disk_then_spacy_load_is_the_same_pipeline(nlp, papers, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    config = (tmp_path / "pipeline" / "config.cfg").read_text(encoding="utf-8")
    assert str(GAZETTEER_DIR.parent) not in config and "${paths.gazetteer}" in config
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    assert list(extract(papers[:100], nlp=loaded)) == list(extract(papers[:100], nlp=nlp))


def test_kg_build_with_a_saved_and_edited_pipeline(tmp_path):
    paper_file = tmp_path / "digest.md"
    paper_file.write_text(DIGEST, encoding="utf-8")
    saved = tmp_path / "pipeline"
    load_pipeline().to_disk(saved)
    with (saved / "paperkg_lexicon" / "gazetteer" / "benchmarks.tsv").open("a", encoding="utf-8") as gazetteer:
        gazetteer.write("Zorblax\n")
    runner = CliRunner()
    done = runner.invoke(main, ["build", str(paper_file), "-o", str(tmp_path / "out"), "--pipeline", str(saved), "-q"])
    assert done.exit_code == 0, done.output
    assert "entity:zorblax a pkg:Benchmark" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    (tmp_path / "empty").mkdir()
    done = runner.invoke(main, ["build", str(paper_file), "-o", str(tmp_path / "out"), "--pipeline", str(tmp_path / "empty")])
    assert done.exit_code == 1 and done.output.startswith("Error: cannot load the extraction pipeline")
    assert done.output.count("\n") == 1
