"""``build``: digests in, knowledge graph out (Turtle and the interactive HTML page).

    >>> from kg.build import build
    >>> result = build(["kg/data/samples"], out_dir="output")
    >>> result.summary()
    '558 papers, 0 skipped'

Stages: store (copy the inputs into the new generation) -> read (kg.readers) -> extract
(kg.nlp, cached per paper) -> resolve (kg.resolve) -> graph (kg.graph) -> write.

Output and state (see :mod:`kg.io` for the layout): every build writes a complete generation
in ``DIR/.paperkg/`` holding ``graph.ttl``, ``graph.html``, ``manifest.json`` (the inputs in
reading order), ``inputs/<sha256>/<file name>`` (a copy of every input digest, the bytes the
graph was built from) and ``extractions.json`` (the extraction of every paper, keyed by a hash
of the paper record and of the NLP pipeline's code and data). The generation replaces the
previous one in a single atomic step, so ``DIR/graph.ttl`` and ``DIR/graph.html`` are always
both old or both new.

``build(..., update=True)`` (``kg build --update``) adds inputs to the stored ones: it re-reads
the stored inputs plus the new ones, re-uses the cached extraction of every unchanged paper,
extracts only new or changed papers and re-runs resolution and the graph on everything, so the
result equals, byte for byte, a full build of all inputs in the order they were added.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import shutil
import stat
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from kg.io import BuildDir, OutputError, inside_without_links, link_or_copy
from kg.paths import DEFAULT_OUTPUT_DIR, ONTOLOGY_DIR, PACKAGE_DIR, SAMPLES_DIR
from kg.records import Diagnostic, SourceRef, shorten

if TYPE_CHECKING:  # spaCy is imported only when a build extracts
    from spacy.language import Language

#: Called with (stage name, items done, items in all) as a build progresses.
ProgressHook = Callable[[str, int, int], None]

GRAPH_FILE = "graph.ttl"
HTML_FILE = "graph.html"
#: The page's shards (kg.html.page.shard_dir_for(HTML_FILE)): published with the page.
HTML_DATA_DIR = "graph-data"
MANIFEST_FILE = "manifest.json"
EXTRACTIONS_FILE = "extractions.json"
INPUTS_DIR = "inputs"
#: Code the extraction of a paper depends on, besides the pipeline's own config and data: a
#: change to any invalidates the cache. (name, folder, pattern): files are hashed under
#: ``name/file``, the same wherever installed.
PIPELINE_SOURCES = (
    ("kg/nlp", PACKAGE_DIR / "nlp", "*.py"),
    ("kg", PACKAGE_DIR, "records.py"),
    ("kg", PACKAGE_DIR, "domain.py"),
    ("ontology", ONTOLOGY_DIR, "paperkg.ttl"),
)
_FORMAT_VERSION = 1
#: Longest title and summary section read from a paper; longer text is cut with a
#: ``repaired`` line. Real titles stay under 400 characters and sections under 10,000; the
#: limits keep a hostile item from costing time and memory out of proportion (spaCy also
#: refuses documents over 1,000,000 characters, error E088).
MAX_TITLE_CHARS = 2_000
MAX_SECTION_CHARS = 100_000
#: Longest summary text of one paper, all sections together.
MAX_PAPER_CHARS = 500_000
#: Where the graph is held while it is built and written (``build(store=...)``).
STORES = ("auto", "memory", "disk")
#: ``auto`` builds graphs of more papers than this in an on-disk Oxigraph store (RocksDB):
#: the memory store costs about 400 bytes per triple (100k synthetic papers: 5.2 M triples).
DISK_STORE_PAPERS = 50_000


def on_disk(store: str, papers: int) -> bool:
    """Whether ``build(store=store)`` holds a graph of ``papers`` papers in an on-disk store."""
    return store == "disk" or (store == "auto" and papers > DISK_STORE_PAPERS)


class NothingToBuild(Exception):
    """The inputs held no usable paper."""


class PipelineError(Exception):
    """A saved extraction pipeline (``build(pipeline=...)``) cannot be loaded."""


@dataclass
class BuildResult:
    """What a build read, made and wrote."""

    papers: int = 0
    entities: int = 0
    links: int = 0
    triples: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    #: Papers whose extraction came from the cache of the previous build.
    reused: int = 0
    #: Input files the graph was built from (stored ones included).
    inputs: int = 0
    #: False when the output already held exactly these bytes and nothing was written.
    changed: bool = True
    #: Wall seconds per stage (store, read, nlp, resolve, graph, write).
    timings: dict[str, float] = field(default_factory=dict)
    graph: Graph | None = None
    #: What was read from each input file (the reading report), under the path it came from.
    files: list = field(default_factory=list)

    @property
    def skipped(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.kind == "skipped"]

    def summary(self) -> str:
        """``558 papers, 2 skipped: a.txt:12 reason; b.txt:40 reason``."""
        text = f"{self.papers} papers, {len(self.skipped)} skipped"
        if self.skipped:
            text += ": " + "; ".join(str(d) for d in self.skipped)
        return text


@dataclass(frozen=True)
class StoredInput:
    """One input digest as kept in a generation: where it was read from and its bytes' hash."""

    source: str  # the absolute path it was read from
    name: str  # its file name (the graph's pkg:fileName)
    sha256: str

    @property
    def relpath(self) -> str:
        """Its path inside a generation folder."""
        return f"{INPUTS_DIR}/{self.sha256}/{self.name}"


@functools.cache
def _code_fingerprint() -> str:
    import spacy

    digest = hashlib.sha256(f"{_FORMAT_VERSION} spacy {spacy.__version__}".encode())
    for name, folder, pattern in PIPELINE_SOURCES:
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                digest.update(f"\0{name}/{path.name}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def pipeline_fingerprint(nlp: Language) -> str:
    """Hash of the NLP code, spaCy's version and ``nlp``'s config and lexicon data."""
    from kg.nlp.lexicon_component import LEXICON_PIPE

    data = f"{_code_fingerprint()}\0{nlp.config.to_str()}\0{nlp.get_pipe(LEXICON_PIPE).fingerprint()}"
    return hashlib.sha256(data.encode()).hexdigest()


def paper_key(paper) -> str:
    """Hash of everything the extraction reads from a paper record (id, title, sections)."""
    text = json.dumps([paper.arxiv_id, paper.title, list(paper.sections.items()), list(paper.other_sections)],
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store_input(path: Path, stage: Path, diagnostics: list[Diagnostic]) -> StoredInput | None:
    """Copy ``path`` into the generation being built, hashing it on the way."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            diagnostics.append(Diagnostic(SourceRef(str(path), 0), "not a regular file (a FIFO, socket or device); skipped"))
            return None
        temp = stage / f"{INPUTS_DIR}.part"
        digest = hashlib.sha256()
        with open(path, "rb") as source, open(temp, "wb") as copy:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                copy.write(chunk)
    except OSError as exc:
        (stage / f"{INPUTS_DIR}.part").unlink(missing_ok=True)
        diagnostics.append(Diagnostic(SourceRef(str(path), 0), f"cannot read the file ({exc.strerror}); skipped"))
        return None
    stored = StoredInput(str(path.resolve()), path.name, digest.hexdigest())
    target = stage / stored.relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    temp.replace(target)
    return stored


def limit_lengths(papers) -> list[Diagnostic]:
    """Cut over-long titles and sections of ``papers`` (see :data:`MAX_TITLE_CHARS`); one
    ``repaired`` diagnostic per cut."""
    diagnostics = []

    def cut(paper, what: str, text: str, limit: int) -> str:
        if len(text) <= limit:
            return text
        diagnostics.append(Diagnostic(
            paper.source, f"paper {paper.arxiv_id}: {what} has {len(text):,} characters; cut to the first {limit:,}", "repaired"
        ))
        return text[:limit]

    for paper in papers:
        paper.title = cut(paper, "title", paper.title, MAX_TITLE_CHARS)
        paper.alternative_titles = tuple(t[:MAX_TITLE_CHARS] for t in paper.alternative_titles)
        budget = MAX_PAPER_CHARS
        for key, text in paper.sections.items():
            paper.sections[key] = cut(paper, f"section {key}", text, min(MAX_SECTION_CHARS, budget))
            budget -= len(paper.sections[key])
        others = []
        for heading, text in paper.other_sections:
            heading = cut(paper, "section heading", heading, MAX_TITLE_CHARS)
            text = cut(paper, f"section {shorten(heading, 40)!r}", text, min(MAX_SECTION_CHARS, budget))
            budget -= len(text)
            others.append((heading, text))
        paper.other_sections = tuple(others)
    return diagnostics


def _load_state(generation: Path | None) -> tuple[list[StoredInput], dict]:
    """The stored inputs and the extraction cache (``{"pipeline": fingerprint, "papers": ...}``)
    of a generation.

    A missing or unreadable state gives nothing: the build then extracts everything again."""
    if generation is None:
        return [], {}
    try:
        manifest = json.loads((generation / MANIFEST_FILE).read_text(encoding="utf-8"))
        inputs = [StoredInput(**entry) for entry in manifest["inputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return [], {}
    try:
        cache = json.loads((generation / EXTRACTIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    return inputs, cache if isinstance(cache, dict) and isinstance(cache.get("papers"), dict) else {}


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _trusted_inputs(generation: Path | None, stored: list[StoredInput], diagnostics: list[Diagnostic]) -> list[StoredInput]:
    """The stored inputs whose copies are where a build puts them: the state folder is output
    of an earlier run that anyone with write access may have edited, so an entry whose name
    leaves its folder (``../../victim``), or whose copy is reached through a symlink, is
    skipped with a diagnostic instead of being copied or read."""
    trusted = []
    for entry in stored:
        valid = (
            all(isinstance(value, str) for value in (entry.source, entry.name, entry.sha256))
            and _SHA256.fullmatch(entry.sha256) is not None
            and generation is not None
            and inside_without_links(generation, entry.relpath)
        )
        if valid:
            trusted.append(entry)
        else:
            where = SourceRef(str(generation / MANIFEST_FILE) if generation else MANIFEST_FILE, 0)
            name = shorten(str(entry.name))
            diagnostics.append(Diagnostic(
                where, f"stored input {name!r} is not a file of this generation (edited state?); skipped"
            ))
    return trusted


def _merge_inputs(stored: list[StoredInput], new: list[StoredInput]) -> list[StoredInput]:
    """``stored`` with ``new`` added: an input read again from the same path replaces its old
    version in place; other new inputs go last, in the order given."""
    merged = {entry.source: entry for entry in stored}
    for entry in new:
        merged[entry.source] = entry
    return list(merged.values())


def _extract(papers, cache: dict[str, list[dict]], nlp: Language, jobs: int, progress: ProgressHook | None):
    """Mentions of ``papers`` in paper order (as :func:`kg.nlp.extract` gives them), the
    cached ones re-used; returns (mentions, the cache of these papers, papers re-used, an
    ``error`` diagnostic per paper whose extraction failed)."""
    from kg.nlp import extract
    from kg.nlp.aggregate import EntityMention

    keys = [paper_key(paper) for paper in papers]
    missing = [paper for paper, key in zip(papers, keys) if key not in cache]
    extracted: dict[str, list[EntityMention]] = {paper.arxiv_id: [] for paper in missing}
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("extract", done, len(missing))

    failed: list[tuple[str, str]] = []
    if missing:
        for mention in extract(missing, nlp=nlp, jobs=jobs, progress=advance, errors=failed):
            extracted[mention.paper_id].append(mention)
    by_id = {paper.arxiv_id: paper for paper in missing}
    failed_ids = {arxiv_id for arxiv_id, _ in failed}
    diagnostics = [Diagnostic(by_id[arxiv_id].source, f"paper {arxiv_id}: {message}; kept without entities", "error")
                   for arxiv_id, message in failed]
    mentions: list[EntityMention] = []
    papers_cache: dict[str, list[dict]] = {}
    for paper, key in zip(papers, keys):
        if key in cache:
            found = [EntityMention(**{**m, "surfaces": tuple(m["surfaces"])}) for m in cache[key]]
        else:
            found = extracted[paper.arxiv_id]
        mentions.extend(found)
        if paper.arxiv_id not in failed_ids:  # a failed extraction is tried again next time
            papers_cache[key] = [dataclasses.asdict(m) for m in found]
    return mentions, papers_cache, len(papers) - len(missing), diagnostics


def _shown_paths(diagnostics: list[Diagnostic], shown: dict[str, str]) -> list[Diagnostic]:
    """Diagnostics with the stored copies' paths replaced by the paths the inputs came from."""
    if not shown:
        return diagnostics
    pattern = re.compile("|".join(re.escape(path) for path in sorted(shown, key=len, reverse=True)))

    def fix(text: str) -> str:
        return pattern.sub(lambda match: shown[match.group(0)], text)

    return [
        Diagnostic(SourceRef(fix(d.source.path), d.source.line), fix(d.message), d.kind) for d in diagnostics
    ]


def build(
    inputs: Sequence[str | Path] = (),
    out_dir: str | Path = DEFAULT_OUTPUT_DIR,
    *,
    jobs: int = 1,
    update: bool = False,
    store: str = "auto",
    pipeline: str | Path | None = None,
    progress: ProgressHook | None = None,
    layout: str | None = None,
) -> BuildResult:
    """Build the graph of ``inputs`` and write ``graph.ttl`` and ``graph.html`` to ``out_dir``.

    ``inputs`` are digest files or folders; with none, the bundled samples (or, with
    ``update``, only the inputs stored in ``out_dir``). With ``update``, the inputs are added
    to those of the graph already in ``out_dir``. Both files are replaced together, atomically,
    and only when their bytes changed. ``store`` (one of :data:`STORES`) holds the graph in
    memory or in an on-disk Oxigraph store in ``out_dir/.paperkg`` that lasts as long as
    ``result.graph``; ``auto`` chooses disk above :data:`DISK_STORE_PAPERS` papers. ``layout``
    (a name of :func:`kg.readers.layout_names`) reads every input in that layout instead of
    detecting it. ``pipeline`` is a folder of a saved extraction pipeline (``nlp.to_disk``) to
    use instead of the package's own; its lexicon also resolves the entities. Raises
    :class:`NothingToBuild` when no paper was read and :class:`kg.io.OutputError` when
    ``out_dir`` cannot be written.
    """
    from kg.graph import drop_invalid_links
    from kg.nlp import load_pipeline, pipeline_lexicon
    from kg.readers import input_files, read_inputs

    if store not in STORES:
        raise ValueError(f"unknown store {store!r}; choose one of {', '.join(STORES)}")

    out_dir = Path(out_dir)
    result = BuildResult()
    with BuildDir.open(out_dir) as out, out.stage() as stage:
        out.check_public([GRAPH_FILE, HTML_FILE, HTML_DATA_DIR])
        if update and out.current is None and (out_dir / GRAPH_FILE).exists():
            raise OutputError(
                f"cannot update {out_dir / GRAPH_FILE}: it was not made by a build that keeps its "
                f"state; run a full 'kg build INPUT ... -o {out_dir}' once"
            )
        diagnostics: list[Diagnostic] = []
        stored, cache = _load_state(out.current)
        if not update:
            stored, inputs = [], list(inputs) or [SAMPLES_DIR]

        clock = time.perf_counter()
        stored = _trusted_inputs(out.current, stored, diagnostics)
        for entry in stored:
            link_or_copy(out.current / entry.relpath, stage / entry.relpath)
        new = [_store_input(path, stage, diagnostics) for path in input_files(list(inputs), diagnostics)]
        entries = _merge_inputs(stored, [entry for entry in new if entry])
        if update and not entries and not diagnostics:
            raise NothingToBuild(f"nothing to update: {out_dir} holds no build and no INPUT was given")
        result.inputs = len(entries)
        result.timings["store"] = time.perf_counter() - clock

        clock = time.perf_counter()
        copies = list(dict.fromkeys(str(stage / entry.relpath) for entry in entries))
        read = read_inputs(copies, layout=layout)
        read.diagnostics.extend(limit_lengths(read.papers) + drop_invalid_links(read.papers))
        shown = {str(stage / entry.relpath): entry.source for entry in entries}
        result.diagnostics = diagnostics + _shown_paths(read.diagnostics, shown)
        result.files = [dataclasses.replace(info, path=shown.get(info.path, info.path)) for info in read.files]
        result.timings["read"] = time.perf_counter() - clock
        if not read.papers:
            problems = "; ".join(str(d) for d in result.diagnostics[:3]) or "no input files"
            raise NothingToBuild(f"no paper could be read from the input ({problems})")
        result.papers = len(read.papers)

        clock = time.perf_counter()
        try:
            nlp = load_pipeline(pipeline)
        except Exception as exc:  # spaCy raises OSError, ValueError, KeyError, registry errors...
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise PipelineError(f"cannot load the extraction pipeline {pipeline}: {first}") from exc
        fingerprint = pipeline_fingerprint(nlp)
        cache = cache["papers"] if cache.get("pipeline") == fingerprint else {}
        mentions, papers_cache, result.reused, failed = _extract(read.papers, cache, nlp, jobs, progress)
        result.diagnostics += _shown_paths(failed, shown)
        del cache
        # Written now so that the extraction cache is not held through the graph stages.
        _write_json(stage / EXTRACTIONS_FILE, {"pipeline": fingerprint, "papers": papers_cache})
        del papers_cache
        result.timings["nlp"] = time.perf_counter() - clock

        store_dir = out.scratch("store") if on_disk(store, result.papers) else None
        result.graph = _graph(read, mentions, pipeline_lexicon(nlp), result, store_dir, shown)
        if store_dir is not None:
            # Removed with the graph, or at exit; a killed build's is removed by the next build.
            weakref.finalize(result.graph, shutil.rmtree, store_dir, True)
        del read, mentions  # the graph holds all the write stage needs

        clock = time.perf_counter()
        _write_generation(stage, result.graph, entries, progress)
        result.changed = out.publish(stage, public=[GRAPH_FILE, HTML_FILE, HTML_DATA_DIR])
        result.outputs = [out_dir / GRAPH_FILE, out_dir / HTML_FILE]
        result.timings["write"] = time.perf_counter() - clock
    return result


def _graph(read, mentions, lexicon, result: BuildResult, store_dir: Path | None, shown: dict[str, str]) -> Graph:
    """Resolve ``mentions`` with ``lexicon`` and build the graph of ``read``'s papers (timings
    into ``result``, aliases withheld as shared into its diagnostics), in memory or on disk in
    ``store_dir``."""
    from kg import resolve
    from kg.graph import build_graph, triple_count

    clock = time.perf_counter()
    resolution = resolve.resolve(mentions, lexicon)
    result.entities, result.links = len(resolution.entities), len(resolution.links)
    sources = {paper.arxiv_id: paper.source for paper in read.papers}
    result.diagnostics += _shown_paths(
        [
            Diagnostic(sources[w.paper_ids[0]], f"{w} (papers {', '.join(w.paper_ids[:5])}{' ...' if len(w.paper_ids) > 5 else ''})", "note")
            for w in resolution.withheld
        ],
        shown,
    )
    result.timings["resolve"] = time.perf_counter() - clock

    clock = time.perf_counter()
    digests = {f.path: f.sha256 for f in read.files if f.sha256 and f.papers}
    graph = build_graph(read.papers, resolution, digests, store_dir=store_dir, files=read.files)
    result.triples = triple_count(graph)
    result.timings["graph"] = time.perf_counter() - clock
    return graph


def _write_json(path: Path, value: object) -> None:
    with path.open("w", encoding="utf-8") as file:
        json.dump(value, file, ensure_ascii=False, indent=1, sort_keys=True)
        file.write("\n")


def _write_generation(stage: Path, graph: Graph, entries: list[StoredInput], progress: ProgressHook | None) -> None:
    """Write the generation's graph files and manifest into ``stage`` (the inputs and the
    extraction cache are already there)."""
    from kg.graph import turtle_bytes
    from kg.html import write_html
    from kg.html.model import TripleReader

    if progress:
        progress("write", 0, 2)
    # The page's data is taken from the triples as the Turtle is written: one read of the
    # store for both files (a second read was most of the page's time on the disk store).
    page = TripleReader()
    (stage / GRAPH_FILE).write_bytes(turtle_bytes(graph, tap=page.add))
    if progress:
        progress("write", 1, 2)
    write_html(page.data(), stage / HTML_FILE)
    if progress:
        progress("write", 2, 2)
    _write_json(stage / MANIFEST_FILE, {"format": _FORMAT_VERSION, "inputs": [dataclasses.asdict(entry) for entry in entries]})
