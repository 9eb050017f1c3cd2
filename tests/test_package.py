"""paperkg as an installed package: the built wheel holds all its code and data, declares every
library it imports, and builds the same bytes as the source checkout, from any folder."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _files(folder: Path, prefix: str) -> set[str]:
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}"
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``pip wheel .`` builds from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools leaves build/ in the source tree, whose stale files
    # would end up in the next wheel.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("kg", "ontology"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )
    (found,) = out.glob("paperkg-*.whl")
    return found


def test_the_wheel_holds_every_file_of_kg_and_of_the_ontology(wheel):
    import zipfile

    names = {name for name in zipfile.ZipFile(wheel).namelist() if not name.startswith("paperkg-")}
    expected = _files(REPO / "kg", "kg") | _files(REPO / "ontology", "kg/ontology")
    assert names == expected


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_library_kg_imports_is_a_declared_dependency():
    """Each third-party module imported anywhere in kg/ belongs to a distribution that
    pyproject.toml lists, as a dependency or in an extra (kg.html.browser's playwright)."""
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    extras = {_requirement_name(r) for group in PYPROJECT["project"]["optional-dependencies"].values() for r in group}
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for path in sorted((REPO / "kg").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top == "kg" or top in sys.stdlib_module_names:
                    continue
                names = {name.lower().replace("_", "-") for name in distributions.get(top, [top])}
                if not names & (declared | extras):
                    missing.append(f"{path.relative_to(REPO)}: {module}")
    assert missing == []


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh virtual environment with the wheel installed: (its python, the environment to
    run it in). The system's site-packages give the dependencies, so nothing is downloaded."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    environ = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # pip of this interpreter installs into the venv; --no-deps: the dependencies are the system's.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--force-reinstall", str(wheel)],
        check=True, capture_output=True, text=True, env=environ,
    )
    return python, environ


def test_the_installed_wheel_builds_the_same_bytes_as_the_checkout_from_any_folder(installed, samples_build, tmp_path):
    python, environ = installed
    located = subprocess.run(
        [str(python), "-c", "import kg, kg.paths; print(kg.__file__); print(kg.paths.ONTOLOGY_DIR)"],
        cwd=tmp_path, check=True, capture_output=True, text=True, env=environ,
    ).stdout.split()
    assert all(Path(path).is_relative_to(python.parent.parent) for path in located), located
    done = subprocess.run(
        [str(python.parent / "kg"), "build", "-o", "out", "--jobs", "1", "-q"],
        cwd=tmp_path, capture_output=True, text=True, env=environ,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("558 papers")
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / "out" / name).read_bytes() == (samples_build.outputs[0].parent / name).read_bytes(), name


SERIALIZE = """
import sys
from rdflib import Graph
graph = Graph().parse(sys.argv[1])
assert "kg" not in sys.modules
sys.stdout.buffer.write(graph.serialize(format=sys.argv[2], encoding="utf-8"))
"""


@pytest.mark.parametrize("fmt", ["cypher", "graphml", "gexf", "jsonld", "nt"])
def test_rdflib_writes_paperkg_formats_once_installed_without_importing_kg(installed, tmp_path, fmt):
    from kg.export import render, serializer_formats
    from kg.query import load_graph

    python, environ = installed
    mini = REPO / "tests" / "data" / "mini_graph.ttl"
    done = subprocess.run(
        [str(python), "-c", SERIALIZE, str(mini), serializer_formats()[fmt]],
        cwd=tmp_path, capture_output=True, env=environ,
    )
    assert done.returncode == 0, done.stderr.decode()
    (expected,) = render(load_graph(mini), fmt).values()
    assert done.stdout == expected


LOAD_AND_EXTRACT = """
import dataclasses, json, sys
import spacy
nlp = spacy.load(sys.argv[1])  # finds paperkg's factories and tokenizer by their entry points
from kg.nlp import extract
from kg.paths import SAMPLES_DIR
from kg.readers import read_inputs
mentions = extract(read_inputs([SAMPLES_DIR]).papers, nlp=nlp)
json.dump([dataclasses.asdict(m) for m in mentions], sys.stdout, ensure_ascii=False)
"""


def test_a_saved_pipeline_loads_with_spacy_in_a_fresh_interpreter_and_extracts_the_same(installed, tmp_path):
    import dataclasses
    import json

    from kg.nlp import extract, load_pipeline
    from kg.paths import SAMPLES_DIR
    from kg.readers import read_inputs

    python, environ = installed
    nlp = load_pipeline()
    nlp.to_disk(tmp_path / "pipeline")
    done = subprocess.run(
        [str(python), "-c", LOAD_AND_EXTRACT, str(tmp_path / "pipeline")],
        cwd=tmp_path, capture_output=True, text=True, env=environ,
    )
    assert done.returncode == 0, done.stderr
    expected = [dataclasses.asdict(m) for m in extract(read_inputs([SAMPLES_DIR]).papers, nlp=nlp)]
    assert json.loads(done.stdout) == json.loads(json.dumps(expected, ensure_ascii=False))
