"""Abbreviation and translation pairs: ``Full Name (ABBR)``, ``中文名（English Name, ABBR）``.

The long-form search follows Schwartz & Hearst (PSB 2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text", extended to full-width brackets,
to short forms like ``Qwen2.5-VL`` and to the reverse order ``ABBR (Full Name)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc
from kg.nlp.lexicon import GAZETTEER_DIR, NLP_DATA_DIR, Lexicon, load_lexicon
from kg.nlp.tokenizer import doc_text

PAREN = re.compile(r"[(（]([^()（）\n]{1,80})[)）]")
CJK = re.compile(r"[\u3400-\u9fff]")
URL_LIKE = re.compile(r"://|www\.|\.(?:com|org|io|ai|net)\b")
LATIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-_+/'&:]*$")
#: Characters that end a Chinese name when reading backwards from a bracket.
ZH_NAME_STOPS = set("的了在和与及或为是将对把被从用以由其这该一种个名称叫即等、，。；：“”\"'《》 \t\n*")


@dataclass(frozen=True)
class Pair:
    """An alias pair found in text: ``long`` and ``short`` are character offsets (start, end)."""

    long: tuple[int, int]
    short: tuple[int, int]
    kind: str  # "abbreviation" or "translation"


def is_short_form(text: str) -> bool:
    """A plausible abbreviation: 2-15 characters, no spaces, starts with a letter or digit,
    contains an upper-case letter."""
    return 2 <= len(text) <= 15 and " " not in text and text[0].isalnum() and any(c.isupper() for c in text)


def find_long_form(short: str, candidate: str) -> str | None:
    """Schwartz-Hearst: the shortest suffix of ``candidate`` whose words cover the letters of
    ``short`` in order, the first letter of ``short`` starting a word. ``None`` if none."""
    letters = [c.lower() for c in short if c.isalnum()]
    if not letters:
        return None
    s_index = len(letters) - 1
    l_index = len(candidate) - 1
    while s_index >= 0:
        current = letters[s_index]
        while l_index >= 0 and (
            candidate[l_index].lower() != current
            or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = candidate.rfind(" ", 0, l_index + 1) + 1
    long_form = candidate[start:].strip()
    max_words = min(len(short) + 5, 2 * len(short))
    if len(long_form.split()) > max_words or long_form.lower() == short.lower():
        return None
    return long_form


def _zh_name_before(text: str, end: int, not_names: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """The Chinese name that ends at ``end``, without a leading cue word (``基于低秩适应`` ->
    ``低秩适应``); None when it is only a cue or category word (``基线``, ``模型``)."""
    start = end
    while start > 0 and start > end - 16 and text[start - 1] not in ZH_NAME_STOPS:
        start -= 1
    prefixes = sorted((w for w in not_names if text.startswith(w, start, end)), key=len, reverse=True)
    while prefixes and end - start > len(prefixes[0]):
        start += len(prefixes[0])
        prefixes = sorted((w for w in not_names if text.startswith(w, start, end)), key=len, reverse=True)
    name = text[start:end]
    if len(name) >= 2 and CJK.search(name) and not re.search(r"[A-Za-z]{2}", name) and name not in not_names:
        return start, end
    return None


def _latin_words_before(text: str, end: int) -> tuple[int, str]:
    start = end
    while start > 0 and re.match(r"[A-Za-z0-9 .\-_+/']", text[start - 1]):
        start -= 1
    while start < end and text[start] == " ":
        start += 1
    return start, text[start:end]


def find_pairs(text: str, not_names: frozenset[str] = frozenset()) -> list[Pair]:
    """All alias pairs of ``text``, in text order. ``not_names``: Chinese cue and category
    words that are no name (基于, 模型, 基线): a Chinese name does not start with or equal one.

    Brackets that hold a list of names (``方法（PiSSA, DoRA, MiLoRA）``) or a web address are
    no pair."""
    pairs: list[Pair] = []
    for match in PAREN.finditer(text):
        inner_start, inner_end = match.span(1)
        inner = match.group(1)
        before_end = match.start()
        while before_end > 0 and text[before_end - 1] == " ":
            before_end -= 1
        parts = [p.strip() for p in re.split(r"[,，;；]\s*", inner)]
        english = [p for p in parts if p and LATIN_NAME.match(p)]
        if not english or any(URL_LIKE.search(p) for p in english):
            continue
        if len(english) > 2 or (len(english) == 2 and find_long_form(english[1], english[0]) is None):
            continue  # a list of examples, not one thing's names
        # Offsets of each English part inside the brackets.
        spans = []
        cursor = inner_start
        for part in english:
            start = text.find(part, cursor, inner_end)
            spans.append((start, start + len(part)))
            cursor = start + len(part)
        zh = _zh_name_before(text, before_end, not_names)
        if zh:
            # 中文名（English Name, ABBR）: each English form translates the Chinese name.
            for span in spans:
                pairs.append(Pair(zh, span, "translation"))
            if len(spans) >= 2 and is_short_form(text[spans[-1][0] : spans[-1][1]]):
                pairs.append(Pair(spans[0], spans[-1], "abbreviation"))
            continue
        lat_start, lat_text = _latin_words_before(text, before_end)
        if not lat_text:
            continue
        first = english[0]
        if is_short_form(first) and len(english) == 1:
            long_form = find_long_form(first, lat_text)
            if long_form:
                start = before_end - len(long_form)
                pairs.append(Pair((start, before_end), spans[0], "abbreviation"))
                continue
        # ABBR (Full Name): the short form stands before the brackets.
        last_word = lat_text.split()[-1] if lat_text.split() else ""
        if is_short_form(last_word) and find_long_form(last_word, first) == first:
            pairs.append(Pair(spans[0], (before_end - len(last_word), before_end), "abbreviation"))
    return pairs


@Language.factory(
    "paperkg_abbreviations",
    assigns=["doc._.alias_pairs"],
    default_config={"gazetteer_dir": str(GAZETTEER_DIR), "nlp_data_dir": str(NLP_DATA_DIR)},
)
def make_abbreviation_detector(nlp: Language, name: str, gazetteer_dir: str, nlp_data_dir: str) -> "AbbreviationDetector":
    return AbbreviationDetector(load_lexicon(gazetteer_dir, nlp_data_dir))


class AbbreviationDetector:
    """Sets ``doc._.alias_pairs``: the (long, short, kind) pairs of :func:`find_pairs`; the
    Chinese cue words of cues.json are no names."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.not_names = chinese_cue_words(lexicon.cues)
        if not Doc.has_extension("alias_pairs"):
            Doc.set_extension("alias_pairs", default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.alias_pairs = [(p.long, p.short, p.kind) for p in find_pairs(doc_text(doc), self.not_names)]
        return doc


def chinese_cue_words(cues: dict) -> frozenset[str]:
    """Every Chinese type and relation cue word of cues.json, plus its ``not_names`` list."""
    words = set(cues.get("not_names", ()))
    for key in ("type_after", "type_before", "relation_before", "relation_after"):
        for cue_list in cues[key].values():
            words.update(w for w in cue_list if CJK.search(w))
    return frozenset(words)
