"""kg.domain: the domain is read from the ontology, and a new entity class added there (with
its gazetteer) reaches the extraction, the graph, the page, the exports and the shapes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.domain import DRAWN_CLASSES, ENTITY_CLASSES, EVALUATED_CLASSES, GAZETTEER_FILES, RELATIONS, relationship_type

REPO = Path(__file__).resolve().parent.parent

TOOL_CLASS = """
pkg:Tool a owl:Class ;
    rdfs:subClassOf pkg:Entity ;
    rdfs:label "Tool"@en , "工具"@zh ;
    rdfs:comment "A software tool."@en , "一个软件工具。"@zh ;
    owl:disjointWith pkg:Model , pkg:Dataset , pkg:Benchmark , pkg:Method ;
    pkg:gazetteerFile "tools.tsv" ; pkg:displayOrder 5 ;
    pkg:drawnColour "#123456" ; pkg:drawnShape "box" ; pkg:drawnDescription "a software tool" .
"""

DIGEST = """# Hugging Face Daily Papers Report
**Date**: 2026-03-02

## 📄 Faster Serving of Small Models

- **链接**: https://huggingface.co/papers/2603.00001

### 1. 应用领域
模型推理

### 2. 一句话核心贡献
本文基于 Zorblax 提出了一种新的调度方法，在 GSM8K 上评测。

### 5. 实验效果
在 GSM8K 上，使用 Zorblax 部署后吞吐量提升两倍。
"""


def test_the_domain_as_the_ontology_states_it():
    assert ENTITY_CLASSES == ("Model", "Dataset", "Benchmark", "Method")
    assert RELATIONS == ("proposes", "evaluatesOn", "comparesWith", "uses")
    assert EVALUATED_CLASSES == {"Benchmark", "Dataset"}
    assert GAZETTEER_FILES["Benchmark"] == "benchmarks.tsv"
    assert [c.name for c in DRAWN_CLASSES] == ["Paper", *ENTITY_CLASSES, "Topic"]
    assert relationship_type("evaluatesOn") == "EVALUATES_ON"


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of paperkg whose ontology has one more entity class, Tool, and its gazetteer."""
    root = tmp_path_factory.mktemp("extended")
    for name in ("kg", "ontology"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    with (root / "ontology" / "paperkg.ttl").open("a", encoding="utf-8") as ontology:
        ontology.write(TOOL_CLASS)
    (root / "ontology" / "gazetteer" / "tools.tsv").write_text("Zorblax\n", encoding="utf-8")
    (root / "digest.md").write_text(DIGEST, encoding="utf-8")
    return root, {**os.environ, "PYTHONPATH": str(root)}


def _kg(extended, *args: str) -> subprocess.CompletedProcess:
    root, env = extended
    done = subprocess.run([sys.executable, "-m", "kg", *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def test_a_new_entity_class_reaches_the_graph_page_exports_and_shapes(extended):
    root, _ = extended
    _kg(extended, "build", "digest.md", "-o", "out", "-q")
    turtle = (root / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "entity:zorblax a pkg:Tool" in turtle
    assert "pkg:uses entity:zorblax" in turtle
    page = (root / "out" / "graph.html").read_text(encoding="utf-8")
    assert '"name":"Tool"' in page.replace(" ", "") and "#123456" in page  # in the legend, in its colour
    labels = json.loads(re.search(r'"labels":(\[[^\]]*\])', page).group(1))
    classes = json.loads(re.search(r'"classes":(\[[\d,]*\])', page).group(1))
    zorblax = labels.index("Zorblax")
    assert classes[zorblax] == ["Paper", "Model", "Dataset", "Benchmark", "Method", "Tool", "Topic"].index("Tool")
    shards = "".join(path.read_text(encoding="utf-8") for path in sorted((root / "out" / "graph-data").glob("*.js")))
    assert re.search(rf'"relations":\{{[^}}]*"uses":\[{zorblax}\]', shards)  # linked from its paper
    _kg(extended, "export", "-f", "graphml", "--graph", "out/graph.ttl", "-o", "out/graph.graphml")
    _kg(extended, "export", "-f", "cypher", "--graph", "out/graph.ttl", "-o", "out/graph.cypher")
    assert ">Tool<" in (root / "out" / "graph.graphml").read_text(encoding="utf-8")
    cypher = (root / "out" / "graph.cypher").read_text(encoding="utf-8")
    assert "FOR (n:Tool)" in cypher and "MERGE (n:Tool" in cypher
    assert "conforms" in _kg(extended, "validate", "--graph", "out/graph.ttl").stdout
    assert "Zorblax" in _kg(extended, "query", "--graph", "out/graph.ttl", "--name", "top-entities", "-p", "class=Tool").stdout
