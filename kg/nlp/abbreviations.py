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
from kg.nlp.lexicon import Lexicon
from kg.nlp.lexicon_component import LexiconUser
from kg.nlp.tokenizer import doc_text

PAREN = re.compile(r"[(（]([^()（）\n]{1,80})[)）]")
CJK = re.compile(r"[\u3400-\u9fff]")
URL_LIKE = re.compile(r"://|www\.|\.(?:com|org|io|ai|net)\b")
LATIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-_+/'&:]*$")
#: The longest Chinese name read before a bracket; no stop character within it: no name.
ZH_NAME_MAX = 16
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


def holds_part(name: str, part: str) -> bool:
    """Whether ``part`` is one of the ``-``/``_``/space-separated parts of ``name``, or a run of
    them (``ATR-GRPO`` holds ``GRPO``): then ``name`` is a name derived from ``part``."""
    return part != name and re.search(rf"(?:^|[-_ ]){re.escape(part)}(?:$|[-_ ])", name) is not None


def _zh_name_before(
    text: str, end: int, not_names: frozenset[str] = frozenset(), stop_words: frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """The Chinese name that ends at ``end``: read backwards to a stop character (unless it is
    part of one of ``stop_words``: 对 in 早期知识对齐), then cut after the last cue word inside
    (``本文基于低秩适应`` -> ``低秩适应``). None when only a cue or category word is left."""
    start = end
    while start > 0:
        char = text[start - 1]
        if char in ZH_NAME_STOPS and not (text[start - 2 : start] in stop_words or text[start - 1 : start + 1] in stop_words):
            break
        if start <= end - ZH_NAME_MAX:
            return None  # no boundary within a name's length: a clause, not a name
        start -= 1
    cut = max((text.rfind(w, start, end) + len(w) for w in not_names if 0 <= text.rfind(w, start, end) and text.rfind(w, start, end) + len(w) <= end - 2), default=start)
    start = max(start, cut)
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


def find_pairs(text: str, not_names: frozenset[str] = frozenset(), stop_words: frozenset[str] = frozenset()) -> list[Pair]:
    """All alias pairs of ``text``, in text order. ``not_names``: Chinese cue and category
    words that are no name (基于, 模型, 基线): a Chinese name does not contain or equal one.
    ``stop_words``: words that a Chinese name may contain although they hold a stop character.

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
        zh = _zh_name_before(text, before_end, not_names, stop_words)
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
            if long_form and not holds_part(first, long_form):
                start = before_end - len(long_form)
                pairs.append(Pair((start, before_end), spans[0], "abbreviation"))
                continue
        # ABBR (Full Name): the short form stands before the brackets; a name that holds it as
        # a part is a derived name, not its expansion (GRPO (ATR-GRPO)).
        last_word = lat_text.split()[-1] if lat_text.split() else ""
        if is_short_form(last_word) and find_long_form(last_word, first) == first and not holds_part(first, last_word):
            pairs.append(Pair(spans[0], (before_end - len(last_word), before_end), "abbreviation"))
    return pairs


@Language.factory(
    "paperkg_abbreviations",
    assigns=["doc._.alias_pairs"],
)
def make_abbreviation_detector(nlp: Language, name: str) -> LexiconUser:
    """A :class:`AbbreviationDetector` of the pipeline's lexicon."""
    return LexiconUser(nlp, AbbreviationDetector)


class AbbreviationDetector:
    """Sets ``doc._.alias_pairs``: the (long, short, kind) pairs of :func:`find_pairs`; the
    Chinese cue words of cues.json are no names."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.not_names = chinese_cue_words(lexicon.cues)
        self.stop_words = frozenset(lexicon.cues.get("zh_words_with_stop_chars", ()))
        if not Doc.has_extension("alias_pairs"):
            Doc.set_extension("alias_pairs", default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.alias_pairs = [(p.long, p.short, p.kind) for p in find_pairs(doc_text(doc), self.not_names, self.stop_words)]
        return doc


def chinese_cue_words(cues: dict) -> frozenset[str]:
    """The Chinese words that end no name's beginning: cues.json ``not_names`` and the relation
    cues (基于, 提出, 优于; not the evaluation cues: 测试 is part of 测试时扩展)."""
    words = set(cues.get("not_names", ()))
    for relation, cue_list in cues["relation_before"].items():
        if relation != "evaluatesOn":
            words.update(w for w in cue_list if CJK.search(w) and len(w) > 1)
    return frozenset(words)
