"""A paper's structure, read from its text by the pipeline: the title and the summary sections.

A build gives the pipeline each paper as :func:`paper_text` writes it: the title line, then
each section under its digest heading (``### 实验效果``). ``paperkg_structure`` finds them
again, so ``nlp(paper_text(paper))`` extracts exactly what a build does, and so does ``nlp``
on any text laid out the same way. It sets ``doc._.section_bounds`` ((start, end, section
key) of the title and of each section's text) and ``doc._.title_names`` (the names the title
introduces, :func:`kg.nlp.mentions.title_names`). A text of several lines without section
headings has no structure: no bounds, no title; a text of one line is a title.

    >>> doc = nlp("CoPE: Clipped RoPE\\n\\n### 实验效果\\n在 HELMET 上 ...")
    >>> doc._.section_bounds
    ((0, 18, 'title'), (29, 42, 'experimental_results'))
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.aggregate import OTHER_SECTION
from kg.nlp.lexicon import Lexicon
from kg.nlp.lexicon_component import LexiconUser
from kg.nlp.mentions import title_names
from kg.nlp.normalize import fold_names
from kg.nlp.tokenizer import doc_text
from kg.records import SECTION_HEADINGS, PaperRecord

#: A section heading line: ``### 实验效果`` (a digest's ``### 5. 实验效果`` too).
HEADING = re.compile(r"^#{2,4}[ \t]*(?P<heading>\S[^\n]*?)[ \t]*$", re.MULTILINE)
NUMBER = re.compile(r"^\d+\.[ \t]*")
_KEYS = {heading: key for key, heading in SECTION_HEADINGS.items()}
#: The heading :func:`paper_text` gives another section without one.
UNTITLED = "正文"


def paper_text(paper: PaperRecord) -> str:
    """The text of ``paper`` the pipeline reads: its title, then each summary section under its
    heading and each other section under its own, blank lines between; names are plainly
    spelled (:func:`kg.nlp.normalize.fold_names`: ``GPT‑4`` with U+2011 is ``GPT-4``)."""
    parts = [
        fold_names(paper.title),
        *(f"### {SECTION_HEADINGS.get(key, key)}\n{fold_names(text)}" for key, text in paper.sections.items()),
        *(f"### {heading or UNTITLED}\n{fold_names(text)}" for heading, text in paper.other_sections if text),
    ]
    return "\n\n".join(parts) + "\n\n"


def section_key(heading: str) -> str:
    """The key of a section by its heading: a summary section's (``experimental_results``), or
    ``other:<heading>`` (:data:`kg.nlp.aggregate.OTHER_SECTION`)."""
    key = _KEYS.get(heading) or _KEYS.get(NUMBER.sub("", heading))
    return key or f"{OTHER_SECTION}{'' if heading == UNTITLED else heading}"


def section_bounds(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, key) of the title (the first line) and of each section's text, in a text
    laid out as :func:`paper_text` writes it; ``()`` when it has no section heading and more
    than one line (a paper without sections is its title line alone)."""
    headings = list(HEADING.finditer(text))
    if not headings and "\n" in text.rstrip("\n"):
        return ()
    title_end = text.find("\n")
    bounds = [(0, title_end if title_end >= 0 else len(text), "title")]
    for match, following in zip(headings, [*headings[1:], None]):
        start = match.end() + 1
        end = len(text[: following.start() if following else len(text)].rstrip("\n"))
        bounds.append((start, max(start, end), section_key(match.group("heading"))))
    return tuple(bounds)


class PaperStructure:
    """Sets ``doc._.section_bounds`` and ``doc._.title_names``."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        for name in ("section_bounds", "title_names"):
            if not Doc.has_extension(name):
                Doc.set_extension(name, default=())

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        bounds = section_bounds(text)
        doc._.section_bounds = bounds
        if bounds:
            title = text[bounds[0][0] : bounds[0][1]]
            body = "\n".join(text[start:end] for start, end, key in bounds[1:])
            doc._.title_names = tuple(title_names(title, body, self.lexicon))
        return doc


@Language.factory("paperkg_structure", assigns=["doc._.section_bounds", "doc._.title_names"])
def make_paper_structure(nlp: Language, name: str) -> LexiconUser:
    """A :class:`PaperStructure` of the pipeline's lexicon."""
    return LexiconUser(nlp, PaperStructure)
