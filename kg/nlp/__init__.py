"""The extraction pipeline: a spaCy ``Language`` that finds, types and relates the entities a
paper summary names.

    >>> from kg.nlp import extract, load_pipeline
    >>> mentions = extract(papers)          # papers: list[kg.records.PaperRecord]
    >>> nlp = load_pipeline()
    >>> nlp.to_disk("my-pipeline")          # then spacy.load("my-pipeline"), or kg build --pipeline

Pipeline (each a registered component with one job; pyproject.toml registers the factories
and the tokenizer as spaCy entry points, so ``spacy.load`` needs no import of ``kg``):
``paperkg.MixedTokenizer.v1`` -> ``paperkg_lexicon`` (the data every other component reads,
:mod:`kg.nlp.lexicon_component`) -> ``paperkg_structure`` (title and sections, from the
text) -> ``paperkg_sentences`` -> ``paperkg_abbreviations`` -> ``paperkg_mentions`` ->
``paperkg_entity_typer`` -> ``paperkg_relations``.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the component modules registers their factories with spaCy (for a pipeline
# loaded by spacy.load, the entry points do).
from kg.nlp import abbreviations, entity_types, lexicon_component, mentions, relations, sentences, structure, tokenizer  # noqa: F401
from kg.nlp.aggregate import EntityMention, paper_entities
from kg.nlp.lexicon_component import LEXICON_PIPE, pipeline_lexicon
from kg.nlp.structure import paper_text
from kg.records import PaperRecord

COMPONENTS = [
    LEXICON_PIPE, "paperkg_structure", "paperkg_sentences", "paperkg_abbreviations", "paperkg_mentions",
    "paperkg_entity_typer", "paperkg_relations",
]
#: The pipeline's config: data paths are ``${paths.x}`` variables, null for the package's files.
CONFIG = {
    "paths": {"gazetteer": None, "nlp_data": None},
    "nlp": {"tokenizer": {"@tokenizers": "paperkg.MixedTokenizer.v1"}},
    "initialize": {"components": {LEXICON_PIPE: {"gazetteer": "${paths.gazetteer}", "nlp_data": "${paths.nlp_data}"}}},
}

#: Fewer papers are extracted in this process whatever ``jobs`` says: starting the worker
#: pool (about 50 ms) costs more than the NLP it would share (about 2 ms per paper).
FORK_MIN_PAPERS = 64

__all__ = ["EntityMention", "extract", "load_pipeline", "make_paper_doc", "paper_text", "pipeline_lexicon"]


def load_pipeline(path: str | Path | None = None, *, gazetteer: str | Path | None = None, nlp_data: str | Path | None = None) -> Language:
    """The paperkg pipeline, initialised: the one saved in ``path`` (``nlp.to_disk``), or a
    new one whose lexicon is read from the folders ``gazetteer`` and ``nlp_data`` (the
    package's own when not given)."""
    if path is not None:
        return spacy.load(path)
    nlp = spacy.blank("xx", config=CONFIG)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    with nlp.select_pipes(enable=[LEXICON_PIPE]):
        nlp.initialize(lambda: [])
    lexicon = nlp.get_pipe(LEXICON_PIPE)
    if gazetteer is not None or nlp_data is not None:
        lexicon.initialize(gazetteer=gazetteer and str(gazetteer), nlp_data=nlp_data and str(nlp_data))
    return nlp


def make_paper_doc(nlp: Language, paper: PaperRecord) -> Doc:
    """The ``Doc`` of a paper (its :func:`kg.nlp.structure.paper_text`), not yet through the
    pipeline, tagged with the paper's id."""
    doc = nlp.make_doc(paper_text(paper))
    doc.user_data["paperkg_paper"] = paper.arxiv_id
    return doc


def extract(
    papers: Iterable[PaperRecord],
    *,
    nlp: Language | None = None,
    jobs: int = 1,
    batch_size: int = 32,
    progress: Callable[[int], None] | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> Iterator[EntityMention]:
    """The entities each paper's summary names, paper by paper in input order.

    A paper whose extraction fails gives no entities: ``(arXiv id, message)`` is appended to
    ``errors`` (when given) and the other papers go on.
    ``jobs`` > 1 splits the papers into chunks and runs ``nlp.pipe`` on each in that many
    forked worker processes, which share the loaded pipeline; results and their order are
    the same as with one; fewer than ``FORK_MIN_PAPERS`` papers stay in this process.
    (spaCy's own ``n_process`` ships every ``Doc`` to the workers and back, which made
    extraction 2.3x slower on two cores: bench/run.py, 2,000 papers.)
    """
    nlp = nlp or load_pipeline()
    errors = [] if errors is None else errors
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        papers = list(papers)
        if len(papers) >= FORK_MIN_PAPERS:
            yield from _extract_forked(nlp, papers, jobs, batch_size, progress, errors)
            return
    for batch in _batches(papers, batch_size):
        yield from _extract_batch(nlp, batch, batch_size, errors)
        if progress:
            progress(len(batch))


def _batches(papers: Iterable[PaperRecord], size: int) -> Iterator[list[PaperRecord]]:
    batch: list[PaperRecord] = []
    for paper in papers:
        batch.append(paper)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_batch(nlp: Language, batch: list[PaperRecord], batch_size: int,
                   errors: list[tuple[str, str]]) -> list[EntityMention]:
    """The entities of a batch of papers; when the batch fails, its papers one by one, so that
    only the failing paper loses its entities."""
    try:
        docs = [make_paper_doc(nlp, paper) for paper in batch]
        return [mention for doc in nlp.pipe(docs, batch_size=batch_size) for mention in paper_entities(doc)]
    except Exception:  # noqa: BLE001 - isolate the paper at fault below
        if len(batch) == 1:
            raise
    found: list[EntityMention] = []
    for paper in batch:
        try:
            found.extend(_extract_batch(nlp, [paper], 1, errors))
        except Exception as exc:  # noqa: BLE001 - one paper's fault must not stop the others
            errors.append((paper.arxiv_id, f"{type(exc).__name__}: {str(exc)[:200]}"))
    return found


#: The pipeline the forked workers inherit (set in the parent just before forking).
_worker_nlp: Language | None = None


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent: a terminal sends SIGINT to the whole process group,
    and each worker would print its own KeyboardInterrupt traceback. The parent stops them
    (``Pool.__exit__`` terminates the pool) and reports the interruption once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_chunk(args: tuple[list[PaperRecord], int]) -> tuple[list[EntityMention], list[tuple[str, str]]]:
    papers, batch_size = args
    errors: list[tuple[str, str]] = []
    return list(extract(papers, nlp=_worker_nlp, batch_size=batch_size, errors=errors)), errors


def _extract_forked(
    nlp: Language,
    papers: Iterable[PaperRecord],
    jobs: int,
    batch_size: int,
    progress: Callable[[int], None] | None,
    errors: list[tuple[str, str]],
) -> Iterator[EntityMention]:
    global _worker_nlp
    papers = list(papers)
    # Small chunks keep every worker busy to the end and the progress bar moving.
    size = min(256, max(1, len(papers) // (jobs * 8)))
    chunks = [(papers[i : i + size], batch_size) for i in range(0, len(papers), size)]
    _worker_nlp = nlp
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_ignore_interrupts) as pool:
            for (chunk, _), (found, failed) in zip(chunks, pool.imap(_extract_chunk, chunks)):
                yield from found
                errors.extend(failed)
                if progress:
                    progress(len(chunk))
    finally:
        _worker_nlp = None
