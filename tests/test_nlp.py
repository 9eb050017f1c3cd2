"""The extraction pipeline on hand-written summaries in the digest style, and its pure functions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

import kg.nlp
from kg.nlp import FORK_MIN_PAPERS, extract, load_pipeline, make_paper_doc
from kg.nlp.abbreviations import chinese_cue_words, find_long_form, find_pairs
from kg.nlp.aggregate import clean_sentence
from kg.nlp.lexicon import load_lexicon
from kg.nlp.mentions import is_modifier, is_name_token, is_plain_compound, title_names, whole_name_spans
from kg.nlp.tokenizer import doc_text
from kg.records import PaperRecord, SourceRef
from kg.resolve import family_name


def paper(title: str, arxiv_id: str = "2601.00001", **sections: str) -> PaperRecord:
    return PaperRecord(
        arxiv_id=arxiv_id,
        title=title,
        source_format="hf-daily",
        source=SourceRef("test.txt", 1),
        report_date=dt.date(2026, 1, 1),
        sections=sections,
    )


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def entities(nlp, record: PaperRecord) -> dict[str, tuple[str, str]]:
    """name -> (type, relation) of one paper."""
    return {m.name: (m.type, m.relation) for m in extract([record], nlp=nlp)}


# --- pure functions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("GRPO", "GRPO 与 DAPO，GRPO-style，pGRPO，GRPO2，(GRPO)"),
        ("A-A", "A-A-A 和 A-A"),
        ("C++", "C++ 与 C++11"),
        ("Qwen2.5", "Qwen2.5-VL 与 Qwen2.5 以及 Qwen2.55"),
        ("", "anything"),
    ],
)
def test_whole_name_spans_matches_the_boundary_regex(name, text):
    pattern = rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])"
    expected = [m.span() for m in re.finditer(pattern, text)] if name else []
    assert whole_name_spans(name, text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("基于Qwen2.5-VL-7B的模型", ["基", "于", "Qwen2.5-VL-7B", "的", "模", "型"]),
        ("在 MS-COCO 2014 上", ["在", "MS-COCO", "2014", "上"]),
        ("H100/A100，RLHF", ["H100", "/", "A100", "，", "RLHF"]),
        ("a  b", ["a", " ", "b"]),  # the second space is a token
        (" lead\ttab\n\n  x ", [" ", "lead", "\t", "tab", "\n", "\n", " ", "x"]),
        ("全角\u3000空格", ["全", "角", "\u3000", "空", "格"]),
    ],
)
def test_tokenizer_keeps_names_whole_and_text_exact(nlp, text, words):
    doc = nlp.make_doc(text)
    assert [token.text for token in doc] == words
    assert doc.text == text
    assert doc_text(doc) == text


@pytest.mark.parametrize(
    ("short", "candidate", "expected"),
    [
        ("GRPO", "we train with Group Relative Policy Optimization", "Group Relative Policy Optimization"),
        ("RPS", "the Ratio-Preserving Sampler", "Ratio-Preserving Sampler"),
        ("KV", "a key value", "key value"),
        ("ABC", "alpha beta", None),  # no C
        ("CoPE", "Clipped RoPE", "Clipped RoPE"),
        ("XYZ", "nothing matches here", None),
    ],
)
def test_find_long_form_schwartz_hearst(short, candidate, expected):
    assert find_long_form(short, candidate) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("GSM8K", True),
        ("Qwen2.5-VL-7B", True),
        ("HardClip", True),
        ("dLLM", True),
        ("rCM", True),
        ("gpt-oss-120b", True),
        ("Agent-X", True),
        ("Qwen-Image", True),  # a well-known part keeps a compound a name
        ("Training-Free", False),  # capitals only start the hyphen parts
        ("Short-to-Long", False),
        ("Vision-Language", False),
        ("LLM-based", False),  # a modifier head
        ("RL-Guided", False),
        ("Transformer", False),
        ("2025", False),
        ("14B", False),
    ],
)
def test_is_name_token(token, expected):
    assert is_name_token(token) is expected


def test_hyphenated_modifiers_and_plain_compounds():
    assert is_modifier("Dual-Space") and is_modifier("ID-based") and not is_modifier("K-AUT")
    assert is_plain_compound("Tool-Reflection-Bench") and is_plain_compound("Ko-Halu")
    assert not is_plain_compound("Multi-Agent")  # a modifier prefix
    assert not is_plain_compound("Energy-Regularized")  # a participle
    assert not is_plain_compound("Plug-and-play")


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("CoPE: Clipped RoPE as A Scalable Free Lunch", "", ["CoPE"]),
        ("Qwen2.5-VL-7B: a report", "", ["Qwen2.5-VL-7B"]),
        ("Lyra: Generative 3D Scene Reconstruction", "", ["Lyra"]),
        ("Context Forcing: Consistent Video Generation", "提出了 Context Forcing 框架", ["Context Forcing"]),
        ("Beyond Fixed Frames: Dynamic Speech Tokenization", "提出了 DyCAST", []),  # not repeated
        ("Local Linear Attention: An Optimal Interpolation", "", ["Local Linear Attention"]),  # morphology
        ("Thinking in Frames: How Context Emerges", "", []),  # a function word
        ("Training-Free: a study", "", []),
        ("A study of things without a colon", "", []),
    ],
)
def test_title_names(title, body, expected):
    assert title_names(title, body) == expected


def test_family_name_of_size_variants():
    assert family_name("Qwen2.5-VL-7B") == "Qwen2.5-VL"
    assert family_name("Qwen2.5-VL-7B-Instruct") == "Qwen2.5-VL"
    assert family_name("Qwen3-30B-A3B") == "Qwen3"
    assert family_name("MediX-R1 8B") == "MediX-R1"
    assert family_name("GPT-4o") is None
    assert family_name("Qwen2.5-VL") is None


def test_pairs_abbreviation_translation_and_lists():
    cues = load_lexicon().cues
    not_names, stop_words = chinese_cue_words(cues), frozenset(cues["zh_words_with_stop_chars"])
    text = "我们提出组相对策略优化（Group Relative Policy Optimization, GRPO），并与基线（PiSSA, DoRA, MiLoRA）比较。"
    found = find_pairs(text, not_names, stop_words)
    pairs = {(text[p.long[0] : p.long[1]], text[p.short[0] : p.short[1]], p.kind) for p in found}
    assert ("Group Relative Policy Optimization", "GRPO", "abbreviation") in pairs
    assert ("组相对策略优化", "GRPO", "translation") in pairs
    assert not any("PiSSA" in pair or "DoRA" in pair for pair in pairs)  # a list is no pair
    english = "We use Low-Rank Adaptation (LoRA) and see https://github.com/a/b (code)."
    assert {(english[p.long[0] : p.long[1]], english[p.short[0] : p.short[1]]) for p in find_pairs(english)} == {("Low-Rank Adaptation", "LoRA")}


def test_chinese_name_loses_leading_cue_word(nlp):
    record = paper("T", core_contribution="本文基于低秩适应（LoRA）微调模型。")
    (mention,) = [m for m in extract([record], nlp=nlp) if m.name == "LoRA"]
    assert "低秩适应" in mention.surfaces and "基于低秩适应" not in mention.surfaces


def test_clean_sentence():
    assert clean_sentence("*   **质量保持**：在 Wan2.1 上测试。") == "质量保持：在 Wan2.1 上测试。"
    assert clean_sentence("(2) 在  GSM8K 上评估") == "在 GSM8K 上评估"
    assert clean_sentence("3. 基于 **GRPO** 训练") == "基于 GRPO 训练"


# --- the pipeline on sentences ----------------------------------------------------------------


def test_names_sizes_versions_and_camel_case(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            experimental_results="在 AIME 2025 和 GSM8K 上，我们的方法超越了 Qwen2.5-VL-7B 和 HunyuanVideo。",
        ),
    )
    assert found["AIME 2025"] == ("Benchmark", "evaluatesOn")
    assert found["GSM8K"] == ("Benchmark", "evaluatesOn")
    assert found["Qwen2.5-VL-7B"] == ("Model", "comparesWith")
    assert found["HunyuanVideo"][1] == "comparesWith"


def test_translation_with_abbreviation_is_one_entity(nlp):
    record = paper("T", innovations="提出了早期知识对齐（Early Knowledge Alignment, EKA）方法，EKA 在检索前对齐知识。")
    (mention,) = [m for m in extract([record], nlp=nlp) if "EKA" in m.surfaces]
    assert set(mention.surfaces) >= {"EKA", "Early Knowledge Alignment", "早期知识对齐"}
    assert (mention.type, mention.relation) == ("Method", "proposes")


def test_full_name_with_abbreviation(nlp):
    record = paper("T", core_contribution="我们使用 Direct Preference Optimization (DPO) 对齐模型。")
    (mention,) = [m for m in extract([record], nlp=nlp) if "DPO" in m.surfaces]
    assert "Direct Preference Optimization" in mention.surfaces
    assert (mention.type, mention.relation) == ("Method", "uses")


def test_list_after_ru_gives_every_item(nlp):
    found = entities(nlp, paper("T", experimental_results="相比现有的无训练基线方法（如 PromptEOL, Echo, Last-Token），性能提升 10%。"))
    assert found["PromptEOL"][1] == "comparesWith"
    assert "Echo" in found and found["Echo"][1] == "comparesWith"


def test_bold_names_and_bold_headings(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            innovations="1.  **比例保持采样器 (Ratio-Preserving Sampler, RPS)**：保持梯度样本比例。\n2.  **视觉质量 (Visual Quality)**、**Video-MME** 上的评估。",
        ),
    )
    assert found["Ratio-Preserving Sampler"] == ("Method", "proposes")
    assert "Visual Quality" not in found  # an inline bold phrase is no heading
    assert found["Video-MME"][0] == "Benchmark"


def test_translated_phrase_with_a_name_and_compounds_before_english_words(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            usage_guide="通过上下文分布匹配蒸馏（Contextual DMD）训练学生；面向语音大模型 (Speech LLMs)。",
            abstract="现有 Vision-Language Models 与 Tool-Reflection-Bench 基准。",
        ),
    )
    assert found["Contextual DMD"][0] == "Method"  # not the well-known DMD alone
    assert "DMD" not in found and "Speech LLMs" not in found
    assert "Vision-Language" not in found  # it modifies "Models"
    assert found["Tool-Reflection-Bench"][0] == "Benchmark"


def test_title_name_is_proposed(nlp):
    found = entities(nlp, paper("CoPE: Clipped RoPE as A Scalable Free Lunch", core_contribution="提出了一种名为 CoPE 的极简方法，改进 RoPE。"))
    assert found["CoPE"] == ("Method", "proposes")
    assert found["RoPE"][1] == "uses"


def test_generic_terms_hardware_units_and_urls_are_rejected(nlp):
    found = entities(
        nlp,
        paper(
            "Dual-Space Training-Free Vision-Language Alignment",
            usage_guide="在 NVIDIA H200 和 RTX 5090 上运行，H100/A100 亦可；模型规模 14B-32B，Top-8 路由；代码见 https://github.com/org/FooNet 与 `org/BarNet`。LLM 和 RAG 为通用概念，ID 与 KL 也不是名字。",
        ),
    )
    assert found == {}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("45GB", "measurement"), ("0.97GB", "measurement"), ("19.7 FPS", "measurement"), ("27dB", "measurement"),
        ("0.05bpp", "measurement"), ("1000-Frame", "measurement"), ("8-bit", "measurement"),
        ("80GB H800", "hardware"), ("NVIDIA RTX 4090", "hardware"), ("TPU v5e", "hardware"),
        ("CC-BY-NC-SA 4.0", "licence"), ("Apache 2.0", "licence"),
        ("NeurIPS 2024", "venue"), ("ICLR'25", "venue"), ("Apple App Store", "platform"), ("Android 14", "platform"),
        ("Frechet Distance", "metric"), ("Fix Rate", "metric"), ("Text-to-SQL", "task"), ("6-DoF", "measurement"),
        ("Qwen2.5-7B", None), ("3DGS", None), ("2WikiMultiHopQA", None), ("GPT-4o", None), ("FooNet 2024", None), ("Text-to-LoRA", None),
    ],
)
def test_non_entity_shapes(name, kind):
    assert load_lexicon().non_entity_kind(name) == kind


def test_measurements_venues_licences_are_no_entities_and_plurals_fold(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            abstract="FooNet 在 80GB H800 上达到 19.7 FPS，显存 45GB，PSNR 提升 27dB，码率 0.05bpp；以 CC-BY-NC-SA 4.0 发布，论文发表于 NeurIPS 2024，应用上架 Apple App Store。多个 QXMs 与单个 QXM 相比，AIGC 场景下更稳定。",
        ),
    )
    assert set(found) == {"FooNet", "QXM"}
    record = next(m for m in extract([paper("T", abstract="多个 QXMs 与单个 QXM 相比更稳定。")], nlp=nlp))
    assert record.name == "QXM" and "QXMs" in record.surfaces


def test_longest_name_wins_over_editions_and_special_suffixes(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            abstract="我们在 XBench Lite 与 HumanEval+ 上评估，对比 Gemini 1.5 Pro、FooNet V2、DER++ 和 SAM$^2$；**Bar**：*Baz* 不是名字。",
        ),
    )
    assert found["XBench Lite"][0] == "Benchmark"  # the class of its base name
    assert found["HumanEval+"][0] == "Benchmark"
    assert found["Gemini 1.5 Pro"][0] == "Model"
    assert found["SAM$^2$"][0] == "Model"
    assert {"FooNet V2", "DER++"} <= set(found)
    assert not {"XBench", "HumanEval", "FooNet", "DER", "SAM", "Bar*", "Baz*"} & set(found)


def test_english_cues_and_patterns(nlp):
    found = entities(
        nlp,
        paper(
            "FooNet: Editing Videos with Diffusion",
            abstract=(
                "We propose FooNet, a diffusion framework for video editing. FooNet is trained on LAION-5B and fine-tuned "
                "from Stable Diffusion 3. We evaluate on VBench and QuuxArena, where FooNet outperforms AnimateDiff and "
                "BazGen. We also introduce BarSet, a large-scale dataset of 10K clips. Our module, called Quxattn, builds "
                "on FlashAttention. Focusing on GRPO, we discuss its metadata."
            ),
        ),
    )
    assert found["FooNet"] == ("Method", "proposes")
    assert found["LAION-5B"] == ("Dataset", "uses")  # trained on: training data
    assert found["VBench"] == ("Benchmark", "evaluatesOn")
    assert found["QuuxArena"] == ("Benchmark", "evaluatesOn")
    assert found["AnimateDiff"][1] == "comparesWith" and found["BazGen"][1] == "comparesWith"
    assert found["BarSet"] == ("Dataset", "proposes")  # an English appositive
    assert found["Quxattn"][1] == "proposes"  # called X
    assert found["FlashAttention"][1] == "uses"  # the sentence before ends the comparison's scope
    assert found["GRPO"][1] == "uses"  # "using" is no cue inside "Focusing"


def test_an_untyped_name_the_text_evaluates_on_is_a_benchmark(nlp):
    found = entities(nlp, paper("T", experimental_results="在 QuuxSuite 上评估，FooNet 优于 CorgeNet。We also evaluate on GraultQA and Garply."))
    assert found["QuuxSuite"] == ("Benchmark", "evaluatesOn")
    assert "Garply" not in found  # a plain word is no name by itself
    assert found["GraultQA"] == ("Benchmark", "evaluatesOn")
    assert found["CorgeNet"] == ("Method", "comparesWith")


def test_the_head_noun_of_a_chinese_gloss_types_the_name(nlp):
    found = entities(
        nlp,
        paper("T", abstract="我们构建了长视频理解基准（FooVid），并设计了视频编辑框架（BarEdit）。FooVid 与 BarEdit 均已开源。奖励模型（RMs）是通用概念。"),
    )
    assert found["FooVid"][0] == "Benchmark"
    assert found["BarEdit"][0] == "Method"
    assert "RMs" not in found and "RM" not in found  # a category written as an acronym


def test_concepts_tasks_and_english_phrases_are_no_names(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            abstract=(
                "Large Language Models (LLMs) and Vision-Language-Action (VLA) policies help. Test-time compute (TTC) "
                "matters; TTC grows. We study Text-to-SQL with REST-endpoints, AI-supported tutors and MCP-Orchestrated "
                "agents on benchmarks-TriviaQA. NoteIt's design beats FooNet. Query-State Caching (QSC) is ours."
            ),
        ),
    )
    assert set(found) == {"NoteIt", "FooNet", "Query-State Caching"}
    assert set(next(m for m in extract([paper("T", abstract="Query-State Caching (QSC) is ours.")], nlp=nlp)).surfaces) == {"Query-State Caching", "QSC"}


def test_english_proposals_and_lists(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            abstract=(
                "In this paper, we propose a Local State Attention module. We propose Query-State Caching, which enables "
                "reuse. State-of-the-art deblurring methods, such as ExBluRF, fail. Using GPT-4, GPT-4o, and LearnLM, we "
                "assess tutors."
            ),
            experimental_results="在两个跨领域基准SpiderUnion和BirdUnion上进行了广泛的实验。",
        ),
    )
    assert found["Local State Attention"][1] == "proposes" and found["Query-State Caching"][1] == "proposes"
    assert found["ExBluRF"][1] == "comparesWith"
    assert found["LearnLM"][0] == "Model"  # its list's class
    assert found["BirdUnion"] == ("Benchmark", "evaluatesOn")


def test_own_names_tasks_scores_and_query_languages(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            abstract="FooReg是一种新型的正则化方法。我们创建了包含61k QA的BarQA-Geo数据集。本文研究 Text-to-SQL 与 EDL-to-SQL，生成 SPARQL 查询，以 BazScore 指标衡量。",
            experimental_results="结果：QuxNet 1.5 34.7，优于 CorgeNet。",
        ),
    )
    assert found["FooReg"] == ("Method", "proposes")
    assert found["BarQA-Geo"] == ("Dataset", "proposes")
    assert not {"Text-to-SQL", "EDL-to-SQL", "SPARQL", "BazScore"} & set(found)
    assert "QuxNet 1.5" in found and "QuxNet 1.5 34.7" not in found


def test_chinese_proposals_and_glosses_of_tasks_and_measures(nlp):
    found = entities(
        nlp,
        paper("T", abstract="我们引入了Helix 并行策略，并推出了Helix HOP-B策略，降低标记到标记延迟（TTL）；TTL 更低。视频对象分割（VOS）中 VOS 很难。"),
    )
    assert found["Helix"][1] == "proposes" and found["Helix HOP-B"][1] == "proposes"
    assert "TTL" not in found and "VOS" not in found
    found = entities(nlp, paper("T", abstract="本文提出的FooSQL在两个基准SpiderUnion和BirdUnion上的实验结果表明其有效。"))
    assert found["SpiderUnion"] == ("Benchmark", "evaluatesOn") and found["BirdUnion"] == ("Benchmark", "evaluatesOn")


def test_cue_based_typing(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            abstract="我们构建了 M-TRACE，一个包含 2.85 万个任务的大规模数据集，并开发了 FooAgent 智能体。在 Agent-X、GTA 和 GAIA 这三个基准测试中，FooAgent 持续超越 BarNet 模型。",
        ),
    )
    assert found["M-TRACE"] == ("Dataset", "proposes")
    assert found["Agent-X"] == ("Benchmark", "evaluatesOn")
    assert found["GTA"] == ("Benchmark", "evaluatesOn")
    assert found["FooAgent"] == ("Model", "proposes")
    assert found["BarNet"] == ("Model", "comparesWith")


def test_relations_propose_evaluate_outperform_build_on(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            core_contribution="提出了 SparseFlow 框架，基于 FlashAttention 的实现。",
            experimental_results="在 LongBench 上评估，SparseFlow 优于 Fast-dLLM。",
        ),
    )
    assert found["SparseFlow"] == ("Method", "proposes")
    assert found["FlashAttention"] == ("Method", "uses")
    assert found["LongBench"] == ("Benchmark", "evaluatesOn")
    assert found["Fast-dLLM"][1] == "comparesWith"


def test_well_known_entities_are_not_proposed_and_variants_of_proposed_are(nlp):
    found = entities(
        nlp,
        paper(
            "T",
            core_contribution="提出了一种名为 DyCAST 的分词方法，并引入了 GRPO 训练。",
            experimental_results="DyCAST-CA（字符对齐变体）在 LibriSpeech 上取得最低词错误率。",
        ),
    )
    assert found["DyCAST"][1] == "proposes"
    assert found["DyCAST-CA"][1] == "proposes"
    assert found["GRPO"] == ("Method", "uses")


def test_evidence_sentence_is_clean(nlp):
    record = paper("T", experimental_results="*   **质量保持**：在 **VBench** 上测试，效果良好。\n*   其他。")
    (mention,) = [m for m in extract([record], nlp=nlp) if m.name == "VBench"]
    assert mention.sentence == "质量保持：在 VBench 上测试，效果良好。"
    assert mention.section == "实验效果"


def test_a_few_papers_stay_in_this_process_whatever_jobs_says(nlp, monkeypatch):
    def no_pool(*args):
        raise AssertionError("forked a worker pool for two papers")

    monkeypatch.setattr(kg.nlp, "_extract_forked", no_pool)
    records = [paper("T", "2601.00001", experimental_results="在 MMLU 上评估。"), paper("U", "2601.00002")]
    assert [m.name for m in extract(records, nlp=nlp, jobs=4)] == ["MMLU"]


def test_doc_text_is_the_made_text(nlp):
    record = paper("T", abstract="在 MMLU 上评估。")
    doc = make_paper_doc(nlp, record)
    assert doc_text(doc) == doc.text


def test_two_processes_give_the_same_mentions_as_one(nlp):
    """Extension attributes (section bounds, title names, alias pairs) survive nlp.pipe's
    process boundary."""
    records = [
        paper("CoPE: Clipped RoPE", "2601.00001", core_contribution="提出了 CoPE 方法（Clipped RoPE, CoPE）。"),
        paper("T", "2601.00002", experimental_results="*   在 **MMLU** 上评估，优于 GPT-4o。"),
        paper("SparseFlow: fast", "2601.00003", innovations="1.  **稀疏流 (Sparse Flow Routing)**：新机制。"),
    ]
    # Enough papers for the worker pool (fewer are extracted in this process).
    records = [
        dataclasses.replace(record, arxiv_id=f"2601.{index:05d}")
        for index, record in enumerate(records * (FORK_MIN_PAPERS // len(records) + 1))
    ]
    one = list(extract(records, nlp=nlp, jobs=1))
    two = list(extract(records, jobs=2))
    assert one == two
    assert any(m.relation == "proposes" and m.section == "标题" or m.name == "CoPE" for m in two)
