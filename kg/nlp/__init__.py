"""The extraction pipeline: a spaCy ``Language`` that finds, types and relates the entities a
paper summary names.

    >>> from kg.nlp import extract
    >>> mentions = extract(papers)          # papers: list[kg.records.PaperRecord]

Pipeline (each a registered component with one job, configured from data files under
``ontology/``): ``paperkg.MixedTokenizer.v1`` -> ``paperkg_sentences`` -> ``paperkg_abbreviations``
-> ``paperkg_mentions`` -> ``paperkg_entity_typer`` -> ``paperkg_relations``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the component modules registers their factories with spaCy.
from kg.nlp import abbreviations, entity_types, mentions, relations, sentences, tokenizer  # noqa: F401
from kg.nlp.aggregate import EntityMention, paper_entities
from kg.nlp.mentions import title_names
from kg.records import PaperRecord

COMPONENTS = ["paperkg_sentences", "paperkg_abbreviations", "paperkg_mentions", "paperkg_entity_typer", "paperkg_relations"]

__all__ = ["EntityMention", "extract", "load_pipeline", "make_paper_doc"]


def load_pipeline(component_config: dict[str, dict] | None = None) -> Language:
    """The paperkg pipeline. ``component_config`` overrides a component's settings, e.g.
    ``{"paperkg_mentions": {"gazetteer_dir": "my/gazetteer"}}``."""
    component_config = component_config or {}
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "paperkg.MixedTokenizer.v1"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name, config=component_config.get(name, {}))
    return nlp


def make_paper_doc(nlp: Language, paper: PaperRecord) -> Doc:
    """One ``Doc`` per paper: the title, then each summary section, with their offsets in
    ``doc._.section_bounds`` and the title's names in ``doc._.title_names``."""
    parts = [("title", paper.title), *paper.sections.items()]
    text = ""
    bounds = []
    for key, part in parts:
        start = len(text)
        text += part
        bounds.append((start, len(text), key))
        text += "\n\n"
    doc = nlp.make_doc(text)
    doc._.section_bounds = tuple(bounds)
    doc._.title_names = tuple(title_names(paper.title, "\n".join(paper.sections.values())))
    doc.user_data["paperkg_paper"] = paper.arxiv_id
    return doc


def extract(
    papers: Iterable[PaperRecord],
    *,
    nlp: Language | None = None,
    jobs: int = 1,
    batch_size: int = 32,
    progress: Callable[[int], None] | None = None,
) -> Iterator[EntityMention]:
    """The entities each paper's summary names, paper by paper in input order.

    ``jobs`` > 1 runs spaCy's ``nlp.pipe`` on that many processes; results and their order
    are the same as with one.
    """
    nlp = nlp or load_pipeline()
    docs = (make_paper_doc(nlp, paper) for paper in papers)
    n_process = jobs if jobs > 1 else 1
    for doc in nlp.pipe(docs, batch_size=batch_size, n_process=n_process):
        yield from paper_entities(doc)
        if progress:
            progress(1)
