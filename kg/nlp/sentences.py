"""Sentence boundaries from the text: a sentence ends after ``。！？!?；`` or a line break.

It does the job of spaCy's ``sentencizer`` with one regular-expression pass over the text,
setting only the sentence starts, instead of a Python-level loop over every token (each CJK
character is a token). Tokens left unset count as inside a sentence (``doc.sents``,
``span.sent``).
"""

from __future__ import annotations

import re

import numpy
from spacy.language import Language
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from kg.nlp.tokenizer import doc_text

#: Sentence ends in Chinese and English summaries; bullets are one per line.
SENTENCE_ENDS = "。！？!?；\n"


class SentenceSplitter:
    """Sets ``token.is_sent_start``: true after each run of sentence-end characters."""

    def __init__(self, punct_chars: str = SENTENCE_ENDS) -> None:
        self.ends = re.compile(f"[{re.escape(punct_chars)}]+")

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        text = doc_text(doc)
        ends = [match.end() for match in self.ends.finditer(text) if match.end() < len(text)]
        # The first token at or after each sentence end starts a sentence; every other token is
        # marked as inside one (-1), so that a one-sentence doc (a paper with a title only) has
        # its boundaries set too (spaCy's E030 otherwise). Set as one array:
        # ``token.is_sent_start = True`` checks the whole Doc's annotation on every call, which
        # made a summary of thousands of lines quadratic.
        starts = numpy.full(len(doc), -1, dtype="int64")
        starts[[0, *numpy.searchsorted(doc.to_array("IDX"), ends).tolist()]] = 1
        doc.from_array([SENT_START], starts.astype("uint64"))
        return doc


@Language.factory("paperkg_sentences", default_config={"punct_chars": SENTENCE_ENDS})
def make_sentence_splitter(nlp: Language, name: str, punct_chars: str) -> SentenceSplitter:
    return SentenceSplitter(punct_chars)
