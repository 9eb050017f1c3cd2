"""Interrupted builds: whatever moment a build dies at, DIR shows the old complete output or
the new one, never a mix, and the next build runs clean (issue 7).

Two tests: SIGKILL of ``python -m kg build`` after random delays, and a crash (``os._exit``)
injected before every file-system step that touches the output folder, one run per step.
Each runs on both layouts an output folder can hold before the build: a generation made by
this version, and plain ``graph.ttl``/``graph.html`` files (older versions, or copied in).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kg.build import GRAPH_FILE, HTML_DATA_DIR, HTML_FILE
from kg.io import STATE_DIR
from tests.conftest import REPO

SAMPLES = Path("kg/data/samples")  # relative to the code snapshot
OLD_INPUTS = [SAMPLES / "000_366ed5b06f03b68f.txt", SAMPLES / "001_f2c9cab62c1c09ae.txt"]
NEW_INPUTS = [SAMPLES]
SMALL_NEW_INPUTS = [*OLD_INPUTS, SAMPLES / "002_95405dd955dd9a62.txt"]
KILL_RUNS = 24
#: Builds each folder named after the inputs (``python -c BUILD_EACH INPUTS DIR...``).
BUILD_EACH = "import os, sys; from kg.build import build; [build(sys.argv[1].split(os.pathsep), d) for d in sys.argv[2:]]"


def shown(out: Path) -> tuple[str | None, str | None]:
    """Hashes of what a user opening DIR/graph.ttl and DIR/graph.html gets (None: absent)."""

    def digest(path: Path) -> str | None:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            return None

    return digest(out / GRAPH_FILE), digest(out / HTML_FILE)


def copy_output(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, symlinks=True)
    return dest


def assert_clean_state(out: Path) -> None:
    """After a completed build: the state folder holds the lock, ``current`` and one generation."""
    state = out / STATE_DIR
    names = sorted(p.name for p in state.iterdir())
    assert len(names) == 3 and names[0] == "current" and names[1].startswith("gen-") and names[2] == "lock", names
    assert sorted(p.name for p in out.iterdir()) == [STATE_DIR, HTML_DATA_DIR, HTML_FILE, GRAPH_FILE]


@pytest.fixture(scope="module")
def code(tmp_path_factory) -> Path:
    """A snapshot of the code, ontology and samples: every build here runs on it, so the
    outputs compared are made by one version even while the working tree is being edited."""
    root = tmp_path_factory.mktemp("code")
    shutil.copytree(REPO / "kg", root / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "ontology", root / "ontology")
    return root


def run_python(code: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, *args], cwd=code, env=env, capture_output=True, text=True)


def build_each(code: Path, inputs: list[Path], *folders: Path) -> None:
    """Build ``inputs`` into each folder, in one process on the snapshot."""
    done = run_python(code, "-c", BUILD_EACH, os.pathsep.join(map(str, inputs)), *map(str, folders))
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def outputs(code, tmp_path_factory) -> dict:
    """Templates of an output folder holding the old output in both layouts; the hashes of
    the old output and of the new outputs of the full samples (kill test) and of a smaller
    new input (crash test: one run per step, so its builds must be quick)."""
    root = tmp_path_factory.mktemp("kill")
    generation = root / "old-generation"
    build_each(code, OLD_INPUTS, generation)
    legacy = root / "old-legacy"
    legacy.mkdir()
    for name in (GRAPH_FILE, HTML_FILE):
        shutil.copyfile(generation / name, legacy / name)
    found = {"code": code, "root": root, "templates": [generation, legacy], "old": shown(generation)}
    for key, inputs in (("new", NEW_INPUTS), ("small", SMALL_NEW_INPUTS)):
        reference = copy_output(generation, root / f"reference-{key}")
        build_each(code, inputs, reference)
        found[key] = shown(reference)
        assert None not in found[key] and found[key] != found["old"]
    return found


def kg_build_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "kg", "build", "-q", *map(str, NEW_INPUTS), "-o", str(out)]


def run_build(code: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.Popen(kg_build_command(out), cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_at_random_moments_leaves_old_or_new_output(outputs):
    root, templates, code, new = outputs["root"], outputs["templates"], outputs["code"], outputs["new"]
    clock = time.perf_counter()
    assert run_build(code, copy_output(templates[0], root / "timed")).wait() == 0
    typical = time.perf_counter() - clock
    assert shown(root / "timed") == new
    rng = random.Random(7)
    outcomes = []
    for run in range(KILL_RUNS):
        out = copy_output(templates[run % 2], root / f"run-{run}")
        delay = rng.uniform(0, 1.25 * typical)  # beyond 1x: under load some runs still finish
        process = run_build(code, out)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        state = shown(out)
        outcome = "old" if state == outputs["old"] else "new" if state == new else f"MIX {state}"
        outcomes.append((run, "generation" if run % 2 == 0 else "legacy", round(delay, 2), process.returncode, outcome))
    print(f"\ntypical build {typical:.1f} s; runs (run, layout, delay s, exit code, outcome):")
    for row in outcomes:
        print("  ", row)
    assert all(row[-1] in ("old", "new") for row in outcomes), outcomes
    # No stray files break the next build: the folders killed latest (likeliest to hold a
    # half-written generation) build clean to the new output.
    killed = sorted((row for row in outcomes if row[3] == -signal.SIGKILL), key=lambda row: -row[2])
    again = [root / f"run-{run}" for run, *_ in killed[:6]]
    build_each(code, NEW_INPUTS, *again)
    for out in again:
        assert shown(out) == new
        assert_clean_state(out)


CRASHING_BUILD = textwrap.dedent(
    """
    import os, sys
    crash_at, out = int(sys.argv[1]), sys.argv[2]
    steps = 0
    def crashing(original):
        def step(*args, **kwargs):
            global steps
            if any(out in str(arg) for arg in args):
                steps += 1
                if steps == crash_at:
                    os._exit(137)
            return original(*args, **kwargs)
        return step
    for name in ("replace", "rename", "symlink", "link", "unlink", "rmdir", "mkdir"):
        setattr(os, name, crashing(getattr(os, name)))
    from kg.build import build
    build(sys.argv[3:], out)
    print(steps)
    """
)


@pytest.mark.parametrize("layout", [0, 1], ids=["generation", "legacy"])
def test_crash_before_every_file_system_step(outputs, layout):
    """``os._exit`` just before the k-th rename, link, unlink or mkdir in DIR, for every k."""
    root, template, code = outputs["root"], outputs["templates"][layout], outputs["code"]
    inputs = [str(p) for p in SMALL_NEW_INPUTS]
    crash_at, outcomes = 1, []
    while True:
        out = copy_output(template, root / f"crash-{layout}-{crash_at}")
        run = run_python(code, "-c", CRASHING_BUILD, str(crash_at), str(out), *inputs)
        state = shown(out)
        outcome = "old" if state == outputs["old"] else "new" if state == outputs["small"] else f"MIX {state}"
        outcomes.append((crash_at, run.returncode, outcome))
        if run.returncode == 0:
            break
        assert run.returncode == 137, run.stderr
        crash_at += 1
    print(f"\n{len(outcomes) - 1} crash points (step, exit code, outcome): {outcomes}")
    assert all(outcome in ("old", "new") for _, _, outcome in outcomes), outcomes
    assert outcomes[-1][2] == "new" and any(outcome == "old" for _, _, outcome in outcomes)
    crashed = [root / f"crash-{layout}-{step}" for step in range(1, crash_at)]
    build_each(code, SMALL_NEW_INPUTS, *crashed)
    for out in crashed:
        assert shown(out) == outputs["small"]
        assert_clean_state(out)
