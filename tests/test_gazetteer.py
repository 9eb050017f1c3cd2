"""The gazetteer is what tools/gazetteer/build.py writes from its committed lists, curated by
its rules; names spelled mostly in capitals match only in that case."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kg.nlp.lexicon import GazetteerEntry, case_sensitive_spellings, load_lexicon

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "gazetteer"


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("gazetteer_build", TOOLS / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_committed_files_are_what_the_script_writes(builder):
    for path, text in builder.outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python tools/gazetteer/build.py"


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("CamemBERT", True),
        ("Claude 3 Opus", True),  # a versioned phrase
        ("MMLU-Pro", True),
        ("Bloom", False),  # a plain English word
        ("Visual Genome", False),  # plain words: only the curated lists may hold them
        ("OPT", False),  # too short to be unambiguous
        ("mmlu_pro", False),  # an identifier, no spelling of its own
        ("CLIPVisionModel", False),  # a class of a package's API
        ("Gemma3ForCausalLM", False),
        ("Chest X-Ray Images of many hospitals in five countries", False),
        ("PSNR", False),  # a generic term (a metric)
    ],
)
def test_curation_rules(builder, name, kept):
    import json

    rules = json.loads((TOOLS / "curation.json").read_text(encoding="utf-8"))
    generic = builder.read_word_list(builder.NLP_DATA_DIR / "generic_terms.txt")
    assert (builder.reject_reason(name, rules, generic) is None) is kept


def test_every_line_names_its_sources():
    for path in sorted((TOOLS.parent.parent / "ontology" / "gazetteer").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                name, aliases, sources = line.split("\t")
                assert name and sources, line


def test_names_in_capitals_match_only_in_capitals():
    entries = {"glue": GazetteerEntry("GLUE", "Benchmark"), "llama": GazetteerEntry("Llama", "Model", ("LLaMA",))}
    exact = case_sensitive_spellings(entries)
    assert exact == {"glue": frozenset({"GLUE"})}  # Llama is also listed in another shape
    lexicon = load_lexicon()
    assert lexicon.lookup("GLUE") and lexicon.lookup("glue") is None and lexicon.lookup("Glue") is None
    assert lexicon.lookup("HellaSwag") and lexicon.lookup("Hellaswag")  # no English word


def test_a_cue_beats_a_name_only_packages_list():
    from kg.nlp import extract

    from tests.test_nlp import paper

    entry = load_lexicon().lookup("MORPH")
    assert entry is not None and not entry.curated
    record = paper("MORPH: Shape-agnostic PDE Foundation Models", innovations="我们引入了MORPH，一个形状无关的偏微分方程基础模型。")
    assert [(m.name, m.type, m.type_evidence) for m in extract([record])] == [("MORPH", "Model", "cue")]
