"""``kg build --update``: growing a graph equals rebuilding it, byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from kg.build import EXTRACTIONS_FILE, GRAPH_FILE, HTML_DATA_DIR, HTML_FILE, build
from kg.io import STATE_DIR
from kg.namespaces import PKG
from kg.paths import SAMPLES_DIR
from tests.test_faults_build import assert_user_error, hf_slice, kg_build

SAMPLES = sorted(SAMPLES_DIR.glob("0*.txt"))  # four HF reports and one arXiv list


def hashes(out: Path) -> dict[str, str]:
    """What a user opening the output gets: the graph, the page and the page's data files."""
    names = [GRAPH_FILE, HTML_FILE, *(f"{HTML_DATA_DIR}/{p.name}" for p in sorted((out / HTML_DATA_DIR).glob("*")))]
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in names}


@pytest.fixture(scope="module")
def days(tmp_path_factory) -> list[Path]:
    """Five days of digests: the samples, plus on the last day a newer report retitling a
    paper of the first day (the title conflict must resolve the same way both ways)."""
    folder = tmp_path_factory.mktemp("days")
    copies = [Path(shutil.copy(path, folder / path.name)) for path in SAMPLES]
    text = hf_slice(1).replace("2026-02-07", "2026-02-09")
    title = text.split("\n## 📄 ")[1].splitlines()[0]
    retitled = folder / "005_retitled.txt"
    retitled.write_text(text.replace(title, "A Newer Title"), encoding="utf-8")
    return [*copies, retitled]


@pytest.fixture(scope="module")
def full(days, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("full")
    result = build(days, out)
    assert result.summary() == "558 papers, 0 skipped" and result.reused == 0
    return out


@pytest.fixture(scope="module")
def grown(days, tmp_path_factory) -> tuple[Path, list]:
    """Built from the first three days, then updated with the rest one call at a time."""
    out = tmp_path_factory.mktemp("grown")
    results = [build(days[:3], out)]
    results += [build([day], out, update=True) for day in days[3:]]
    return out, results


def test_update_equals_full_rebuild_byte_for_byte(full, grown):
    out, results = grown
    assert hashes(out) == hashes(full)
    assert [r.summary() for r in results][-1] == "558 papers, 0 skipped"


def test_update_re_uses_the_extraction_of_papers_already_built(grown):
    _, results = grown
    first, *updates = results
    assert first.reused == 0
    # Each update extracts only the new day's papers; the retitled paper changed, so it is new.
    assert [r.reused for r in updates] == [first.papers, updates[0].papers, updates[1].papers - 1]


def test_newest_title_wins_and_the_old_one_is_an_alternative(grown):
    out, _ = grown
    graph = Graph().parse(out / GRAPH_FILE)
    paper = next(p for p in graph.subjects(PKG.title, Literal("A Newer Title")))
    alternatives = list(graph.objects(paper, PKG.alternativeTitle))
    assert len(alternatives) == 1 and alternatives[0] != Literal("A Newer Title")


def test_adding_a_digest_again_changes_nothing(days, grown):
    out, _ = grown
    before = {name: (out / STATE_DIR / "current" / name).stat().st_mtime_ns for name in (GRAPH_FILE, HTML_FILE)}
    current = (out / STATE_DIR / "current").readlink()
    result = kg_build("--update", days[0], days[-1], "-o", out)
    assert result.exit_code == 0, result.output
    assert "unchanged: " in result.stderr and result.stdout.strip() == "558 papers, 0 skipped"
    assert (out / STATE_DIR / "current").readlink() == current
    assert before == {name: (out / STATE_DIR / "current" / name).stat().st_mtime_ns for name in before}


def test_update_without_inputs_rebuilds_from_the_stored_copies(days, full, tmp_path):
    """The state keeps the digests' bytes: originals may be moved or deleted afterwards."""
    moved = tmp_path / "moved"
    moved.mkdir()
    inputs = [Path(shutil.copy(day, moved / day.name)) for day in days]
    out = tmp_path / "out"
    build(inputs, out)
    shutil.rmtree(moved)
    result = kg_build("--update", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "558 papers, 0 skipped"
    assert hashes(out) == hashes(full)


def test_edited_digest_replaces_its_old_version(days, tmp_path):
    """The same path read again with new bytes (a re-download, a hand edit) replaces the
    stored copy in place: the result is the full build of the current files."""
    folder = tmp_path / "digests"
    folder.mkdir()
    inputs = [Path(shutil.copy(day, folder / day.name)) for day in days[:2]]
    grown = tmp_path / "grown"
    build(inputs, grown)
    inputs[0].write_text(hf_slice(2), encoding="utf-8")
    result = build([inputs[0]], grown, update=True)
    assert result.papers == 2 + 16 and result.inputs == 2
    rebuilt = tmp_path / "rebuilt"
    build(inputs, rebuilt)
    assert hashes(grown) == hashes(rebuilt)


def test_update_into_an_empty_folder_is_a_full_build(days, tmp_path):
    result = build(days[1:3], tmp_path / "out", update=True)
    reference = build(days[1:3], tmp_path / "ref")
    assert result.summary() == reference.summary()
    assert hashes(tmp_path / "out") == hashes(tmp_path / "ref")


def test_update_of_a_graph_without_state_is_refused(days, tmp_path):
    (tmp_path / GRAPH_FILE).write_text("# a graph made elsewhere\n", encoding="utf-8")
    result = kg_build("--update", days[1], "-o", tmp_path)
    assert_user_error(result, f"cannot update {tmp_path / GRAPH_FILE}", "run a full 'kg build")
    assert (tmp_path / GRAPH_FILE).read_text(encoding="utf-8") == "# a graph made elsewhere\n"


def test_damaged_or_outdated_cache_is_ignored(days, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(days[1:3], out)
    expected = hashes(out)
    cache = out / STATE_DIR / "current" / EXTRACTIONS_FILE
    cache.write_text(cache.read_text(encoding="utf-8")[:1000], encoding="utf-8")  # truncated JSON
    result = build([], out, update=True)
    assert result.reused == 0 and hashes(out) == expected
    import kg.build

    monkeypatch.setattr(kg.build, "pipeline_fingerprint", lambda nlp: "another pipeline")
    assert build([], out, update=True).reused == 0
    stored = json.loads((out / STATE_DIR / "current" / EXTRACTIONS_FILE).read_text(encoding="utf-8"))
    assert stored["pipeline"] == "another pipeline"
    assert build([], out, update=True).reused == result.papers


def test_state_holds_one_generation_and_the_inputs_by_content(days, grown):
    out, _ = grown
    state = out / STATE_DIR
    assert sorted(p.name for p in state.iterdir() if not p.name.startswith("gen-")) == ["current", "lock"]
    assert len([p for p in state.iterdir() if p.name.startswith("gen-")]) == 1
    manifest = json.loads((state / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(entry["source"]).name for entry in manifest["inputs"]] == [day.name for day in days]
    for entry in manifest["inputs"]:
        stored = state / "current" / "inputs" / entry["sha256"] / entry["name"]
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == entry["sha256"]
    assert (out / GRAPH_FILE).is_symlink() and (out / GRAPH_FILE).resolve().parent == (state / "current").resolve()
