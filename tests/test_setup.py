"""The documented set-up: `make build` and `make test` give every documented command."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement_names(requirements: list[str]) -> set[str]:
    return {requirement.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip()
            for requirement in requirements}


def test_the_plain_install_brings_the_server_of_kg_serve():
    # `make build` runs `pip install -e .` (no extras): `kg serve` needs Oxigraph's server
    assert "oxigraph" in requirement_names(project()["dependencies"])


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["build", "test", "bench"])
def test_make_runs_everything_through_the_given_python(target, tmp_path):
    # a venv that is not on PATH: its python, never a `kg` or `pytest` found on PATH
    python = str(tmp_path / "venv" / "bin" / "python")
    done = subprocess.run(["make", "-n", "-C", str(REPO), target, f"PYTHON={python}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    python_lines = [line for line in lines if any(word in line.split() for word in ("kg", "pip", "pytest", "-m"))]
    assert python_lines
    for line in python_lines:
        assert line.startswith(python), line
