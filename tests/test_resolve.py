"""Entity resolution across papers: one node per real-world entity."""

from __future__ import annotations

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
    assert set(entities["GSM8K"].alt_labels) == {"GSM-8K", "gsm8k"}
    assert entities["GSM8K"].paper_count == 3


def test_abbreviation_and_full_name_merge_across_papers():
    resolution = resolve([mention("p1", "FBA", "FooBar Alignment"), mention("p2", "FooBar Alignment"), mention("p3", "FBA")])
    (entity,) = resolution.entities
    assert {entity.label, *entity.alt_labels} == {"FBA", "FooBar Alignment"}
    assert {link.paper_id for link in resolution.links} == {"p1", "p2", "p3"}


def test_chinese_name_is_an_alt_label_but_links_nothing_across_papers():
    resolution = resolve([mention("p1", "FooRL", "强化学习"), mention("p2", "BarRL", "强化学习"), mention("p3", "FooRL", "福强化")])
    entities = by_label(resolution)
    assert set(entities) == {"FooRL", "BarRL"}
    assert set(entities["FooRL"].alt_labels) == {"强化学习", "福强化"}
    assert entities["BarRL"].alt_labels == ("强化学习",)


def test_chinese_gloss_with_latin_letters_links_nothing_across_papers():
    # 单视图3D重建模型 holds "3D" but is a gloss: it must not chain FooNet and BarNet.
    entities = by_label(resolve([mention("p1", "FooNet", "单视图3D重建模型"), mention("p2", "BarNet", "单视图3D重建模型")]))
    assert set(entities) == {"FooNet", "BarNet"}


def test_chinese_gloss_of_a_gazetteer_entry_does_not_rename_another_entity():
    # 低秩适应 is LoRA's gazetteer alias; here it glosses a different name (GVWKE).
    resolution = resolve([mention("p1", "GVWKE", "低秩适应"), mention("p2", "LoRA"), mention("p3", "GVWKE")])
    entities = by_label(resolution)
    assert set(entities) == {"GVWKE", "LoRA"}
    assert entities["GVWKE"].alt_labels == ("低秩适应",)
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
