"""Extract the names of models, datasets, benchmarks and methods from packages of the field.

Development-time only (paperkg never imports this): each package's wheel is fetched with
``pip download --no-deps`` and read as files (source parsed with ``ast``, YAML and JSON read
as text), never imported, so neither torch nor tensorflow is needed. The raw lists are
written to ``tools/gazetteer/sources/<source>.tsv`` (committed), one ``name<TAB>class`` a
line under a header naming the package and its version; ``build.py`` curates them into
``ontology/gazetteer/``.

    python tools/gazetteer/extract.py [--wheels DIR] [--pwc ../shared/reference/pwc-tasks]

Without network access to PyPI, pass ``--wheels`` a folder that already holds the wheels.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES_DIR = HERE / "sources"
REPO = HERE.parent.parent
#: ../shared beside the checkout (a worktree's is two levels up).
DEFAULT_PWC = next((p / "shared" / "reference" / "pwc-tasks" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").is_dir()), REPO.parent / "shared")

#: package requirement -> extractor name; the version pinned is the one read.
PACKAGES = {
    "transformers": "transformers>=4.57,<4.58",  # 4.57 has the cased display-name table
    "lm-eval": "lm-eval==0.4.13",
    "lmms-eval": "lmms-eval==0.7.3",
    "evalscope": "evalscope==1.14.1",
    "inspect-evals": "inspect-evals==0.28.0",
    "opencompass": "opencompass==0.5.4",
    "crfm-helm": "crfm-helm==0.5.16",
    "timm": "timm==1.0.31",
    "open-clip-torch": "open-clip-torch==3.3.0",
    "torchvision": "torchvision==0.29.2",
    "tensorflow-datasets": "tensorflow-datasets==4.9.10",
    "peft": "peft==0.21.2",
    "trl": "trl==1.16.0",
}

Entry = tuple[str, str]  # (name, class)


class Wheel:
    """The files of one downloaded wheel."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.names = sorted(self.zip.namelist())
        self.version = path.name.split("-")[1]

    def read(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8", errors="replace")

    def glob(self, pattern: str) -> list[str]:
        regex = re.compile(pattern)
        return [name for name in self.names if regex.search(name)]


def _assigned_literal(source: str, variable: str) -> object:
    """The literal value assigned to ``variable`` at module level (``OrderedDict([...])`` too)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == variable for t in node.targets):
            value = node.value
            if isinstance(value, ast.Call) and value.args:
                value = value.args[0]
            return ast.literal_eval(value)
    raise KeyError(variable)


def transformers_names(wheel: Wheel) -> Iterator[Entry]:
    """The cased display names of the model architectures (``MODEL_NAMES_MAPPING``)."""
    source = wheel.read("transformers/models/auto/configuration_auto.py")
    for _key, display in _assigned_literal(source, "MODEL_NAMES_MAPPING"):
        yield display, "Model"


def _heading(text: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    return match.group(1) if match else ""


def lm_eval_names(wheel: Wheel) -> Iterator[Entry]:
    """Task folders, named by the first heading of their README when it has one."""
    for readme in wheel.glob(r"^lm_eval/tasks/[^/]+/README\.md$"):
        folder = readme.split("/")[2]
        heading = _heading(wheel.read(readme))
        yield folder, "Benchmark"
        if heading:
            yield heading, "Benchmark"


def lmms_eval_names(wheel: Wheel) -> Iterator[Entry]:
    for folder in sorted({name.split("/")[2] for name in wheel.glob(r"^lmms_eval/tasks/[^/_][^/]*/")}):
        yield folder, "Benchmark"


def evalscope_names(wheel: Wheel) -> Iterator[Entry]:
    """Benchmark keys of the index and the adapters' ``pretty_name``."""
    for key in json.loads(wheel.read("evalscope/benchmarks/_index.json")):
        yield key, "Benchmark"
    for path in wheel.glob(r"^evalscope/benchmarks/.+\.py$"):
        for match in re.finditer(r"pretty_name\s*=\s*['\"]([^'\"]+)['\"]", wheel.read(path)):
            yield match.group(1), "Benchmark"


def inspect_evals_names(wheel: Wheel) -> Iterator[Entry]:
    """Each evaluation's folder and the name its ``eval.yaml`` title gives before a colon."""
    for path in wheel.glob(r"^inspect_evals/[^/]+/eval\.yaml$"):
        yield path.split("/")[1], "Benchmark"
        title = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", wheel.read(path), re.M)
        if title:
            yield title.group(1).split(":")[0].strip(), "Benchmark"


def opencompass_names(wheel: Wheel) -> Iterator[Entry]:
    for name in sorted({n.split("/")[2] for n in wheel.glob(r"^opencompass/datasets/[^/_][^/]*")}):
        yield name.removesuffix(".py"), "Benchmark"


def helm_names(wheel: Wheel) -> Iterator[Entry]:
    """Display names of HELM's model metadata, without the bracketed size or date."""
    text = wheel.read("helm/config/model_metadata.yaml")
    for match in re.finditer(r"^\s*display_name:\s*['\"]?(.+?)['\"]?\s*$", text, re.M):
        yield re.sub(r"\s*\([^)]*\)", "", match.group(1)).strip(), "Model"


def timm_names(wheel: Wheel) -> Iterator[Entry]:
    """Model names registered with ``@register_model`` (function names)."""
    for path in wheel.glob(r"^timm/models/[^/]+\.py$"):
        for match in re.finditer(r"@register_model\s*\ndef\s+([A-Za-z0-9_]+)", wheel.read(path)):
            yield match.group(1), "Model"


def open_clip_names(wheel: Wheel) -> Iterator[Entry]:
    """Architecture configs (models) and the pretraining sets their tags name (datasets)."""
    for path in wheel.glob(r"^open_clip/model_configs/[^/]+\.json$"):
        yield path.rsplit("/", 1)[1].removesuffix(".json"), "Model"
    pretrained = wheel.read("open_clip/pretrained.py")
    for tag in re.findall(r"^\s*([a-z][a-z0-9]+)(?:_[a-z0-9]+)*\s*=\s*_pcfg", pretrained, re.M):
        yield tag, "Dataset"


def torchvision_names(wheel: Wheel) -> Iterator[Entry]:
    for name in _assigned_literal(wheel.read("torchvision/datasets/__init__.py"), "__all__"):
        yield name, "Dataset"


def tfds_names(wheel: Wheel) -> Iterator[Entry]:
    """Builder folders of the catalogue (a folder holding a ``*_dataset_builder.py``)."""
    for path in wheel.glob(r"^tensorflow_datasets/[a-z_]+/[a-z0-9_]+/[a-z0-9_]+_dataset_builder\.py$"):
        yield path.split("/")[2], "Dataset"


def peft_names(wheel: Wheel) -> Iterator[Entry]:
    """Adapter methods: the configuration classes of ``peft/tuners`` without ``Config``."""
    for path in wheel.glob(r"^peft/tuners/[^/]+/config\.py$"):
        for name in re.findall(r"^class\s+([A-Za-z0-9]+)Config\(", wheel.read(path), re.M):
            yield name, "Method"


def trl_names(wheel: Wheel) -> Iterator[Entry]:
    """Training algorithms: the trainers of ``trl`` without ``Trainer``."""
    for name in re.findall(r"\b([A-Z][A-Za-z0-9]*)Trainer\b", wheel.read("trl/__init__.py")):
        yield name, "Method"


EXTRACTORS: dict[str, Callable[[Wheel], Iterator[Entry]]] = {
    "transformers": transformers_names,
    "lm-eval": lm_eval_names,
    "lmms-eval": lmms_eval_names,
    "evalscope": evalscope_names,
    "inspect-evals": inspect_evals_names,
    "opencompass": opencompass_names,
    "crfm-helm": helm_names,
    "timm": timm_names,
    "open-clip-torch": open_clip_names,
    "torchvision": torchvision_names,
    "tensorflow-datasets": tfds_names,
    "peft": peft_names,
    "trl": trl_names,
}


def pwc_names(folder: Path) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]], list[tuple[str, int]]]:
    """Dataset and benchmark names of the Papers with Code task tables, with the number of
    task rows that list each, and the metric names and task names (not entities) with theirs."""
    names: Counter[tuple[str, str]] = Counter()
    metrics: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    for path in sorted(folder.glob("*_tasks_detailed.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column, entity_class in (("Common Datasets (Top 10)", "Dataset"), ("Benchmarks", "Benchmark")):
                    for cell in {c.strip() for c in (row.get(column) or "").split(";") if c.strip()}:
                        names[cell, entity_class] += 1
                for cell in {c.strip() for c in (row.get("SOTA Metrics") or "").split(";") if c.strip()}:
                    metrics[cell] += 1
                for cell in {c.strip() for c in [row.get("Task Name") or "", *(row.get("Subtasks") or "").split(";")] if c.strip()}:
                    tasks[cell] += 1
    return [(n, c, k) for (n, c), k in sorted(names.items())], sorted(metrics.items()), sorted(tasks.items())


def write_source(name: str, version: str, entries: list[Entry], note: str = "") -> None:
    rows = sorted({(n.strip(), c) for n, c in entries if n.strip() and "\t" not in n and "\n" not in n})
    header = [f"# source: {name} {version}".rstrip(), *([f"# {note}"] if note else []), "# name\tclass"]
    text = "\n".join(header + [f"{n}\t{c}" for n, c in rows]) + "\n"
    (SOURCES_DIR / f"{name}.tsv").write_text(text, encoding="utf-8")
    print(f"{name} {version}: {len(rows)} names", file=sys.stderr)


def fetch(requirement: str, wheels: Path) -> Path:
    """The wheel of ``requirement`` in ``wheels``, downloaded there if missing."""
    project = re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0].replace("-", "_")
    found = sorted(wheels.glob(f"{project}-*.whl"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels), requirement], check=True)
        found = sorted(wheels.glob(f"{project}-*.whl"))
    return found[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, help="folder of downloaded wheels (default: a temporary folder)")
    parser.add_argument("--pwc", type=Path, default=DEFAULT_PWC, help="folder of the Papers with Code task tables")
    args = parser.parse_args(argv)
    SOURCES_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        wheels = args.wheels or Path(temporary)
        for package, requirement in PACKAGES.items():
            wheel = Wheel(fetch(requirement, wheels))
            write_source(package, wheel.version, list(EXTRACTORS[package](wheel)))
    if args.pwc.is_dir():
        names, metrics, tasks = pwc_names(args.pwc)
        note = "Papers with Code task tables (archived), CC BY-SA 4.0; third column: task rows listing the name"
        # A name listed by one task row only is too obscure (and too noisy) to keep.
        rows = "\n".join(f"{n}\t{c}\t{k}" for n, c, k in names if "\t" not in n and k >= 2)
        (SOURCES_DIR / "pwc-tasks.tsv").write_text(f"# source: pwc-tasks\n# {note}\n# name\tclass\trows\n{rows}\n", encoding="utf-8")
        metric_rows = "\n".join(f"{m}\t{k}" for m, k in metrics if "\t" not in m and k >= 2)
        (SOURCES_DIR / "pwc-metrics.tsv").write_text(f"# source: pwc-tasks\n# {note}; metric names, not entities\n# name\trows\n{metric_rows}\n", encoding="utf-8")
        task_rows = "\n".join(f"{t}\t{k}" for t, k in tasks if "\t" not in t and k >= 2)
        (SOURCES_DIR / "pwc-task-names.tsv").write_text(f"# source: pwc-tasks\n# {note}; task names (listed by two task rows or more), not entities\n# name\trows\n{task_rows}\n", encoding="utf-8")
        print(f"pwc-tasks: {len(names)} names, {len(metrics)} metrics, {len(tasks)} tasks", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
