"""Entity resolution across papers: one node per real-world entity."""

from __future__ import annotations

import pytest

from kg.nlp.aggregate import EntityMention
from kg.resolve import resolve


def mention(paper: str, name: str, *surfaces: str, type: str = "Method", evidence: str = "default", relation: str = "uses") -> EntityMention:
    return EntityMention(
        paper_id=paper,
        name=name,
        surfaces=tuple(sorted({name, *surfaces})),
        type=type,
        type_evidence=evidence,
        relation=relation,
        section="实验效果",
        sentence=f"{name} 出现在这里。",
    )


def by_label(resolution):
    return {entity.label: entity for entity in resolution.entities}


def test_spelling_variants_are_one_entity():
    entities = by_label(resolve([mention("p1", "GSM-8K", type="Benchmark"), mention("p2", "GSM8K", type="Benchmark"), mention("p3", "gsm8k", type="Benchmark")]))
    assert list(entities) == ["GSM8K"]  # the gazetteer name is the label
    # gsm8k differs from the label only in case: every lookup finds it without an alias.
    assert set(entities["GSM8K"].alt_labels) == {"GSM-8K"}
    assert entities["GSM8K"].paper_count == 3


def test_abbreviation_and_full_name_merge_across_papers():
    resolution = resolve([mention("p1", "FBA", "FooBar Alignment"), mention("p2", "FooBar Alignment"), mention("p3", "FBA")])
    (entity,) = resolution.entities
    assert {entity.label, *entity.alt_labels} == {"FBA", "FooBar Alignment"}
    assert {link.paper_id for link in resolution.links} == {"p1", "p2", "p3"}


def test_chinese_name_is_an_alt_label_but_links_nothing_across_papers():
    resolution = resolve(
        [
            mention("p1", "FooRL", "Foo Reinforcement Learning", "福巴对齐学习", relation="proposes"),
            mention("p2", "BarRL", "Bar Reinforcement Learning", "福巴对齐学习", relation="proposes"),
            mention("p3", "FooRL", "福强化学习法", relation="proposes"),
            mention("p4", "BarRL"),
        ]
    )
    entities = by_label(resolution)
    assert set(entities) == {"FooRL", "BarRL"}
    # Claimed by two entities: given to neither, and reported.
    assert entities["FooRL"].alt_labels == ("Foo Reinforcement Learning", "福强化学习法")
    assert entities["BarRL"].alt_labels == ("Bar Reinforcement Learning",)
    (withheld,) = resolution.withheld
    assert (withheld.alias, withheld.entities, withheld.paper_ids) == ("福巴对齐学习", ("BarRL", "FooRL"), ("p1", "p2"))


@pytest.mark.parametrize(
    "gloss",
    [
        "强化学习",  # a generic term of the field (generic_glosses.txt)
        "模型",
        "视觉-语言模型",
        "界都缺乏构建最先进多模态奖励模型",  # longer than a name
        "先前方法（例如测试时强化学习",  # crosses a clause
        "新方法——词元自适应损失重加权",
        "随着大型语言模型",  # begins like a clause
        "于依赖输入重复",
    ],
)
def test_generic_terms_and_fragments_are_no_aliases(gloss):
    (entity,) = resolve([mention("p1", "FooRL", gloss, relation="proposes")]).entities
    assert entity.alt_labels == ()


@pytest.mark.parametrize(
    ("name", "gloss", "kept"),
    [
        ("Variational Intermediate Reward", "变分中间奖励", True),
        ("Variational Intermediate Reward", "变分奖励", False),  # part of the name
        ("Geometry Selection Module", "几何选择模块", True),
        ("Geometry Selection Module", "轻量级几何选择模块", False),  # a qualifier the name lacks
        ("Visual Test Time Scaling", "零样本泛化能力", False),  # a property, not a name
    ],
)
def test_a_gloss_must_translate_the_whole_name(name, gloss, kept):
    (entity,) = resolve([mention("p1", name, gloss, relation="proposes")]).entities
    assert entity.alt_labels == ((gloss,) if kept else ())


@pytest.mark.parametrize(("name", "gloss", "kept"), [("DSGA", "图适应", False), ("HWR", "在线手写识别", True), ("MRI", "磁共振成像", True)])
def test_a_gloss_of_a_bare_acronym_needs_two_papers(name, gloss, kept):
    # One paper's gloss of an acronym is as often a part or a narrowing of it as its name.
    assert resolve([mention("p1", name, gloss, relation="proposes")]).entities[0].alt_labels == ()
    two = resolve([mention("p1", name, gloss, relation="proposes"), mention("p2", name, gloss)]).entities[0]
    assert two.alt_labels == ((gloss,) if kept else ())


def test_a_gloss_of_one_paper_using_a_name_is_no_alias_two_papers_make_it_one():
    assert resolve([mention("p1", "InterMimic", "专家模仿策略")]).entities[0].alt_labels == ()
    two = resolve([mention("p1", "InterMimic", "专家模仿策略"), mention("p2", "InterMimic", "专家模仿策略")])
    assert two.entities[0].alt_labels == ("专家模仿策略",)


def test_an_alias_equal_to_another_entitys_name_is_withheld():
    resolution = resolve([mention("p3", "QuxNet", "Qux Network", "福巴网络结构", relation="proposes"), mention("p4", "福巴网络结构", type="Method"), mention("p5", "QuxNet")])
    entities = by_label(resolution)
    # 福巴网络结构 is QuxNet's gloss and also the (Chinese) name of another entity: it is
    # withheld from QuxNet and reported.
    assert entities["QuxNet"].alt_labels == ("Qux Network",)
    assert [(w.alias, w.entities) for w in resolution.withheld] == [("福巴网络结构", ("QuxNet", "福巴网络结构"))]


def test_chinese_gloss_with_latin_letters_links_nothing_across_papers():
    # 单视图3D重建模型 holds "3D" but is a gloss: it must not chain FooNet and BarNet.
    entities = by_label(resolve([mention("p1", "FooNet", "单视图3D重建模型"), mention("p2", "BarNet", "单视图3D重建模型")]))
    assert set(entities) == {"FooNet", "BarNet"}


def test_chinese_gloss_of_a_gazetteer_entry_does_not_rename_another_entity():
    # 低秩适应 is LoRA's gazetteer alias; here it glosses a different name (GVWKE).
    resolution = resolve([mention("p1", "GVWKE", "低秩适应"), mention("p2", "LoRA"), mention("p3", "GVWKE")])
    entities = by_label(resolution)
    assert set(entities) == {"GVWKE", "LoRA"}
    assert {link.paper_id for link in resolution.links if link.entity == "LoRA"} == {"p2"}


def test_gazetteer_aliases_merge():
    entities = by_label(resolve([mention("p1", "Low-Rank Adaptation"), mention("p2", "LoRA"), mention("p3", "低秩适应")]))
    assert list(entities) == ["LoRA"]
    assert entities["LoRA"].type == "Method"


def test_size_variants_link_to_their_family():
    entities = by_label(
        resolve(
            [
                mention("p1", "Qwen2.5-VL-7B", type="Model", evidence="morphology"),
                mention("p2", "Qwen2.5-VL-72B-Instruct", type="Model", evidence="morphology"),
                mention("p3", "FooLM-8B", type="Model", evidence="morphology"),
                mention("p4", "FooLM", type="Model", evidence="cue"),
            ]
        )
    )
    assert entities["Qwen2.5-VL-7B"].variant_of == "Qwen2.5-VL"
    assert entities["Qwen2.5-VL-72B-Instruct"].variant_of == "Qwen2.5-VL"
    assert entities["FooLM-8B"].variant_of == "FooLM"
    assert entities["FooLM"].variant_of is None
    assert "Qwen2.5-VL" in entities  # the family node exists even if no paper names it alone


def test_type_is_decided_by_the_strongest_evidence_of_all_papers():
    resolution = resolve(
        [
            mention("p1", "Zeta", type="Method", evidence="default"),
            mention("p2", "Zeta", type="Method", evidence="default"),
            mention("p3", "Zeta", type="Benchmark", evidence="cue", relation="evaluatesOn"),
        ]
    )
    assert by_label(resolution)["Zeta"].type == "Benchmark"


def test_equal_evidence_is_a_majority_vote_and_relations_fit_the_type():
    resolution = resolve(
        [
            mention("p1", "Omega", type="Model", evidence="cue"),
            mention("p2", "Omega", type="Model", evidence="cue"),
            mention("p3", "Omega", type="Dataset", evidence="cue", relation="evaluatesOn"),
        ]
    )
    assert by_label(resolution)["Omega"].type == "Model"
    # A model is used, not evaluated on.
    assert {link.relation for link in resolution.links} == {"uses"}


def test_one_link_per_paper_and_entity_with_the_most_specific_relation():
    resolution = resolve([mention("p1", "FooNet", relation="uses"), mention("p1", "Foo-Net", relation="proposes")])
    (link,) = resolution.links
    assert link.relation == "proposes"


def test_resolution_does_not_depend_on_input_order():
    mentions = [mention("p1", "FBA", "FooBar Alignment"), mention("p2", "FooBar Alignment"), mention("p3", "GSM-8K", type="Benchmark"), mention("p4", "GSM8K", type="Benchmark")]
    assert resolve(mentions) == resolve(list(reversed(mentions)))


def test_spellings_of_one_name_are_one_entity_and_versions_stay_apart():
    names = ["Llama-3.2", "LLaMA-3.2", "Llama3.2", "llama_3.2", "Qwen2.5-1.5B", "Qwen2.5-15B", "GPT-4o", "GPT-4", "FLUX.1", "FLUX1"]
    entities = by_label(resolve([mention(f"p{i}", name, type="Model", evidence="cue") for i, name in enumerate(names)]))
    assert {"Llama 3.2", "Qwen2.5-1.5B", "Qwen2.5-15B", "GPT-4o", "GPT-4"} <= set(entities)
    assert entities["Llama 3.2"].paper_count == 4
    assert len([label for label in entities if label.upper().startswith("FLUX")]) == 1


def test_variants_of_one_model_point_to_the_family_the_gazetteer_names():
    names = ["Llama-3.2-3B", "LLaMA-3.2-1B-Instruct", "gpt-4o-2024-08-06", "Qwen3-30B-A3B-Instruct-2507", "Qwen2.5-7B-Instruct-AWQ", "ResNet-50", "GPT-4o-mini"]
    entities = by_label(resolve([mention(f"p{i}", name, type="Model", evidence="cue") for i, name in enumerate(names)]))
    assert entities["Llama-3.2-3B"].variant_of == "Llama 3.2"
    assert entities["LLaMA-3.2-1B-Instruct"].variant_of == "Llama 3.2"
    assert entities["gpt-4o-2024-08-06"].variant_of == "GPT-4o"
    assert entities["GPT-4o-mini"].variant_of == "GPT-4o"
    assert entities["Qwen3-30B-A3B-Instruct-2507"].variant_of == "Qwen3"
    assert entities["Qwen2.5-7B-Instruct-AWQ"].variant_of == "Qwen2.5"
    assert entities["ResNet-50"].variant_of == "ResNet"
    assert "GPT-4" not in entities  # GPT-4o is no variant of GPT-4


def test_derived_families_are_based_on_their_base():
    resolution = resolve(
        [
            mention("p1", "Qwen2.5-VL-7B", type="Model", evidence="morphology"),
            mention("p2", "Qwen2.5-Coder", type="Model", evidence="cue"),
            mention("p3", "Qwen2.5-7B", type="Model", evidence="morphology"),
            mention("p4", "MMLU-Pro", type="Benchmark", evidence="cue"),
            mention("p5", "KO-MMLU", type="Benchmark", evidence="cue"),
            mention("p6", "MMLU", type="Benchmark", evidence="cue"),
            mention("p7", "Wan 2.1", type="Model", evidence="cue"),
            mention("p8", "Wan", type="Model", evidence="cue"),
            mention("p9", "Flow-GRPO", relation="proposes"),
            mention("p9", "GRPO"),
        ]
    )
    entities = by_label(resolution)
    assert entities["Qwen2.5-VL-7B"].variant_of == "Qwen2.5-VL"
    assert entities["Qwen2.5-VL"].based_on == "Qwen2.5"
    assert entities["Qwen2.5-Coder"].based_on == "Qwen2.5"
    assert entities["MMLU-Pro"].based_on == "MMLU" and entities["KO-MMLU"].based_on == "MMLU"
    assert entities["Wan 2.1"].based_on is None  # a version, not a derived family
    # The paper proposes the variant, not GRPO.
    assert {(l.entity, l.relation) for l in resolution.links if l.paper_id == "p9"} == {("Flow-GRPO", "proposes"), ("GRPO", "uses")}
    assert entities["Flow-GRPO"].based_on == "GRPO"


def test_every_paper_votes_on_the_class_with_the_weight_of_its_evidence():
    # One cue against three papers whose name shape says otherwise: the shape wins.
    shape = [mention(f"p{i}", "FooScope", type="Benchmark", evidence="morphology") for i in range(3)]
    entities = by_label(resolve([mention("p9", "FooScope", type="Model", evidence="cue"), *shape]))
    assert entities["FooScope"].type == "Benchmark"
    # One cue against one paper's default class: the cue wins.
    entities = by_label(resolve([mention("p1", "BarScope", type="Dataset", evidence="cue"), mention("p2", "BarScope")]))
    assert entities["BarScope"].type == "Dataset"


def test_a_cue_beats_a_name_only_packages_list():
    # MORPH: a Papers with Code dataset, here a paper's new model.
    entities = by_label(resolve([mention("p1", "MORPH", type="Model", evidence="cue", relation="proposes")]))
    assert entities["MORPH"].type == "Model"


def test_an_abbreviation_expanded_two_ways_names_two_entities_and_labels_neither():
    resolution = resolve(
        [
            mention("p1", "GSM", "Geometry Selection Module", relation="proposes"),
            mention("p2", "GSM", "Gather-Scatter Mamba", relation="proposes"),
            mention("p3", "SAM", "Segment Anything"),
            mention("p4", "SAM", "Segment Anything Model"),
        ]
    )
    entities = by_label(resolution)
    assert {"Geometry Selection Module", "Gather-Scatter Mamba", "SAM"} <= set(entities)
    assert "GSM" not in entities["Geometry Selection Module"].alt_labels
    assert [(w.alias, w.entities) for w in resolution.withheld] == [("GSM", ("Gather-Scatter Mamba", "Geometry Selection Module"))]
    assert {(l.paper_id, l.entity) for l in resolution.links if l.paper_id in ("p1", "p2")} == {
        ("p1", "Geometry Selection Module"), ("p2", "Gather-Scatter Mamba")}
