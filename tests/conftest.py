"""Shared fixtures: the samples' graph is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV_GOLD = SHARED / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory: pytest.TempPathFactory):
    """``kg build`` on the bundled samples into a session folder: the BuildResult."""
    from kg.build import build

    out = tmp_path_factory.mktemp("samples-build")
    return build([], out)


@pytest.fixture(scope="session")
def samples_graph(samples_build):
    """The samples' graph as read back from the written Turtle (what users get)."""
    from rdflib import Graph

    return Graph().parse(samples_build.outputs[0], format="turtle")
