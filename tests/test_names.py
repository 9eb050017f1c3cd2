"""Names as written by any editor: Unicode spellings fold to one name and one key (issue 21,
item 8; issue 17, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.nlp import extract, load_pipeline
from kg.nlp.lexicon import name_key
from kg.nlp.normalize import fold_names
from kg.records import PaperRecord, SourceRef


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def paper(text: str, title: str = "A Study of Things") -> PaperRecord:
    return PaperRecord(
        arxiv_id="2601.00001",
        title=title,
        source_format="hf-daily",
        source=SourceRef("test.txt", 1),
        report_date=dt.date(2026, 1, 1),
        sections={"experimental_results": text},
    )


@pytest.mark.parametrize(
    "spelling",
    [
        "GPT\u20114",  # non-breaking hyphen
        "GP\u00adT-4",  # soft hyphen
        "\uff27\uff30\uff34\uff0d\uff14",  # full-width ＧＰＴ－４
        "GPT-\u200b4",  # zero-width space
        "G\u0420\u0422-4",  # Cyrillic Р and Т
        "\u0393PT-4",  # Greek capital gamma is no look-alike: no name at all, not "PT-4"
    ],
)
def test_odd_spellings_of_a_name_are_the_name(nlp, spelling):
    found = {m.name for m in extract([paper(f"我们与 {spelling} 进行了对比。")], nlp=nlp)}
    assert "GPT" not in found
    assert found == ({"GPT-4"} if not spelling.startswith("\u0393") else found - {"GPT-4"})


def test_a_greek_omicron_in_a_name_is_an_o(nlp):
    found = {m.name for m in extract([paper("我们与 GPT-4\u03bf 进行了对比。")], nlp=nlp)}
    assert found == {"GPT-4o"}


def test_a_decomposed_accent_does_not_split_a_name(nlp):
    nfd = "Cafe\u0301Net"
    found = {m.name for m in extract([paper(f"我们提出了 {nfd} 方法，{nfd} 优于 CaféNet-S。")], nlp=nlp)}
    assert "CafeNet" in found
    assert not any(name in ("Caf", "Cafe", "Net") for name in found)


def test_folding_leaves_chinese_punctuation_and_other_scripts_alone():
    text = "新方法——词元（ABC）：“提升”…，Привет 与 μP"
    assert fold_names(text) == text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Llama-3.2", "LLaMA 3.2"),
        ("Llama3.2", "llama_3.2"),
        ("FLUX.1", "FLUX1"),
        ("GPT\u20114", "gpt-4"),
        ("\uff27\uff30\uff34\uff0d\uff14", "GPT4"),
        ("G\u0420\u0422-4", "GPT-4"),
        ("Cafe\u0301Net", "CaféNet"),
    ],
)
def test_spelling_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Qwen2.5-1.5B", "Qwen2.5-15B"), ("GPT-4o", "GPT-4"), ("Qwen2.5", "Qwen25")])
def test_distinct_versions_keep_distinct_keys(a, b):
    assert name_key(a) != name_key(b)
