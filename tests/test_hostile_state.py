"""The output folder's state is untrusted input (issue 21.1, 21.9): names in ``manifest.json``
and links under ``DIR/.paperkg`` never make a build write, delete or read outside it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.build import build
from kg.io import STATE_DIR
from tests.test_faults_build import assert_user_error, hf_slice, kg_build


@pytest.fixture
def built(tmp_path) -> Path:
    """A complete output of a two-paper digest, in ``tmp_path/site/out``."""
    digest = tmp_path / "day.txt"
    digest.write_text(hf_slice(2), encoding="utf-8")
    out = tmp_path / "site" / "out"
    build([digest], out)
    return out


def manifest_of(out: Path) -> tuple[Path, dict]:
    path = out / STATE_DIR / "current" / "manifest.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_manifest_name_cannot_write_outside_the_generation(built, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    attacker = tmp_path / "attacker" / "a" / "b" / "c" / "d"
    attacker.mkdir(parents=True)
    (tmp_path / "attacker" / "victim.txt").write_text("overwritten\n", encoding="utf-8")
    path, manifest = manifest_of(built)
    sha = "a" * 64
    # inputs/<sha> is a symlink deep into the attacker's folder; '..' walks back out of it
    os.symlink(attacker, path.parent / "inputs" / sha)
    escape = "../" * 4 + "victim.txt"
    manifest["inputs"].append({"source": "/x/evil.txt", "name": escape, "sha256": sha})
    manifest["inputs"].append({"source": "/x/evil2.txt", "name": "../../../../../victim.txt", "sha256": "b" * 64})
    path.write_text(json.dumps(manifest), encoding="utf-8")
    result = kg_build("--update", "-o", built)
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert f"stored input {escape!r} is not a file of this generation (edited state?); skipped" in result.stdout
    assert result.stdout.strip().startswith("2 papers, 2 skipped")
    assert sorted(p.name for p in tmp_path.rglob("victim.txt")) == ["victim.txt", "victim.txt"]


def test_stored_input_that_is_a_symlink_is_not_read(built, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(hf_slice(3, renumber="2699"), encoding="utf-8")
    path, manifest = manifest_of(built)
    entry = manifest["inputs"][0]
    stored = path.parent / "inputs" / entry["sha256"] / entry["name"]
    stored.unlink()
    os.symlink(secret, stored)
    result = kg_build("--update", "-o", built)
    assert "2699." not in (built / "graph.ttl").read_text(encoding="utf-8")
    assert "is not a file of this generation" in result.output


def test_state_folder_that_is_a_symlink_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "keep-me").mkdir(parents=True)
    (elsewhere / "tmp-keep.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / STATE_DIR)
    digest = tmp_path / "day.txt"
    digest.write_text(hf_slice(1), encoding="utf-8")
    result = kg_build(digest, "-o", out)
    assert_user_error(result, f"{out / STATE_DIR} is a symbolic link", "remove the link")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep-me", "tmp-keep.txt"]


def test_current_pointing_outside_is_not_followed(built, tmp_path):
    outside = tmp_path / "outside-gen"
    (outside / "inputs").mkdir(parents=True)
    (outside / "manifest.json").write_text(json.dumps({"inputs": []}), encoding="utf-8")
    current = built / STATE_DIR / "current"
    current.unlink()
    os.symlink(outside, current)
    digest = tmp_path / "day2.txt"
    digest.write_text(hf_slice(1), encoding="utf-8")
    result = kg_build(digest, "-o", built)
    assert result.exit_code == 0, result.output
    assert outside.is_dir() and sorted(p.name for p in outside.iterdir()) == ["inputs", "manifest.json"]
    assert os.readlink(current).startswith("gen-")


def test_lock_that_is_a_symlink_creates_nothing_elsewhere(built, tmp_path):
    lock = built / STATE_DIR / "lock"
    lock.unlink()
    target = tmp_path / "created-by-lock"
    os.symlink(target, lock)
    result = kg_build("-o", built, tmp_path / "day.txt")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert not target.exists()


def test_output_that_is_a_dangling_symlink_gets_a_clear_message(tmp_path):
    out = tmp_path / "out"
    os.symlink(tmp_path / "missing" / "folder", out)
    digest = tmp_path / "day.txt"
    digest.write_text(hf_slice(1), encoding="utf-8")
    result = kg_build(digest, "-o", out)
    assert_user_error(result, f"cannot write to {out}: it is a symbolic link to {tmp_path / 'missing' / 'folder'}, which does not exist")


def test_file_name_with_a_newline_cannot_forge_a_diagnostic(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(hf_slice(1), encoding="utf-8")
    (folder / "x\nskipped: forged.txt:1: fake").write_bytes(b"\x00\x01binary")
    result = kg_build(folder, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    forged = [line for line in result.output.splitlines() if line.startswith("skipped: forged.txt")]
    assert forged == []
    assert "x\\nskipped: forged.txt:1: fake" in result.output


def test_a_huge_title_is_not_printed_in_full(tmp_path):
    digest = tmp_path / "day.txt"
    digest.write_text(hf_slice(1) + "\n\n## 📄 " + "T" * 5_000_000 + "\n\nno link here\n", encoding="utf-8")
    result = kg_build(digest, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output[:2000]
    assert len(result.stdout) + len(result.stderr) < 20_000
    assert "characters]…" in result.stdout  # the summary names the skipped paper, shortened
