"""A tokenizer for Chinese prose with embedded English names.

spaCy's ``zh`` character segmenter splits ``Qwen2.5-VL-7B`` into 13 tokens and ``xx`` does not
segment Chinese at all (perf_baselines.md section 4). This tokenizer keeps every run of
Latin letters and digits joined by ``.``, ``-``, ``_``, ``+`` or ``'`` as one token, makes each
CJK character a token of its own and every other non-space character a token (``/`` too:
``H100/A100`` and ``RLHF/RLVR`` are two names), so that any span of Chinese text and any
whole English name is a token-aligned span.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

TOKEN_PATTERN = re.compile(
    r"""
    [A-Za-z0-9]+(?:[.\-_+'][A-Za-z0-9]+)*    # English word or name: GSM8K, Qwen2.5-VL-7B, 3.3
    | \n                                     # line breaks end sentences in bulleted summaries
    | [^\sA-Za-z0-9]                         # a CJK character or a punctuation mark
    | [^\S\n]+                               # other whitespace: see MixedTokenizer
    """,
    re.VERBOSE,
)


#: ``doc.user_data`` key of the text a Doc was made from (see :func:`doc_text`).
TEXT_KEY = "paperkg_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once: spaCy's ``Doc.text`` joins every token on each access, which
    costs more than all the regular-expression work of the pipeline. The tokenizer stores the
    text in ``doc.user_data`` (it survives ``nlp.pipe(n_process=...)``); other docs compute it
    once here."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


class MixedTokenizer:
    """Tokenize mixed Chinese/English text; see the module docstring."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        # One space after a token is its trailing space; any other whitespace is a token of
        # its own, as in spaCy's default tokenizer, so that ``doc.text == text``.
        words: list[str] = []
        spaces: list[bool] = []
        for token in TOKEN_PATTERN.findall(text):
            if token[0] == " " and words and not spaces[-1]:
                spaces[-1] = True
                token = token[1:]
                if not token:
                    continue
            words.append(token)
            spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text
        return doc

    # spaCy serialises tokenizers with the pipeline; this one has no state of its own.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "MixedTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "MixedTokenizer":
        return self


@registry.tokenizers("paperkg.MixedTokenizer.v1")
def create_mixed_tokenizer():
    """Registered factory: ``[nlp.tokenizer] @tokenizers = "paperkg.MixedTokenizer.v1"``."""

    def make_tokenizer(nlp) -> MixedTokenizer:
        return MixedTokenizer(nlp.vocab)

    return make_tokenizer
