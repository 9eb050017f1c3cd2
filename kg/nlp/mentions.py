"""Mention detection: where does a summary name a model, dataset, benchmark or method?

Rules, each a reason recorded as the candidate's label:
``gazetteer`` a well-known name; ``name`` name morphology (acronyms, CamelCase, alphanumerics
like ``Qwen2.5-VL-7B``, with a following version or size: ``AIME 2025``); ``pair`` the long
form of an abbreviation pair (``Group Relative Policy Optimization (GRPO)``); ``bold`` an
English name in markdown emphasis; ``title`` the name before the colon of the paper's title;
``named`` a name after 名为/称为.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.nlp.lexicon import GAZETTEER_DIR, NLP_DATA_DIR, Lexicon, load_lexicon, normalize_name

CANDIDATES_KEY = "paperkg_candidates"

WORD = r"[A-Za-z0-9]+(?:[.\-_+/'][A-Za-z0-9]+)*"
#: A version or size that continues a name: ``2025``, ``v3``, ``2.2``, ``5B``, ``TI2V``.
CONTINUATION = re.compile(r"^(v?\d+(\.\d+)*[A-Za-z]?|\d+(\.\d+)?[BMK](-A\d+(\.\d+)?B)?|[A-Z0-9]{2,}\d[A-Z0-9]*|V\d+(\.\d+)?|[A-Z][a-z]+-?\d+(\.\d+)?[BMK]?)$")
NUMBER_OR_UNIT = re.compile(r"^\d+(\.\d+)*([kKmMbBgGwWxX%]|ms|s|h|fps|Hz|kHz|px|p|K|M|B|T)?$")
BOLD = re.compile(r"\*\*([^*\n]{2,80})\*\*")
ENGLISH_PHRASE = re.compile(rf"^{WORD}(?: {WORD}){{0,6}}$")
NAMED_AFTER = re.compile(rf"(?:名为|称为|命名为|简称|叫做)\s*[“\"「《]?\s*({WORD}(?: {WORD}){{0,5}})")
FUNCTION_WORDS = {"a", "an", "the", "of", "for", "and", "or", "in", "on", "to", "with", "via", "by", "from", "as", "is", "at"}


def is_name_token(token: str) -> bool:
    """Name morphology of one token: an acronym, CamelCase or mixed letters and digits."""
    if NUMBER_OR_UNIT.match(token) or not re.search(r"[A-Za-z]", token):
        return False
    letters = re.sub(r"[^A-Za-z]", "", token)
    uppers = sum(c.isupper() for c in letters)
    if uppers >= 2 and len(letters) >= 2:
        return True
    if any(c.isupper() for c in token[1:]) and re.search(r"[a-z]", token):
        return True  # rCM, HardClip, dLLM
    if re.search(r"\d", token) and re.search(r"[A-Za-z]{2}", token):
        return True  # GSM8K, Qwen2.5, gpt-oss-120b, Flickr30K
    return "-" in token and token[0].isupper() and sum(part[:1].isupper() for part in token.split("-")) >= 2


def title_names(title: str) -> list[str]:
    """Names a title introduces before its colon: ``CoPE: Clipped RoPE as ...`` -> ``CoPE``."""
    colon = re.search(r"[:：]", title)
    if not colon:
        return []
    head = title[: colon.start()].strip().strip("*").strip()
    words = head.split()
    if not words or len(words) > 4 or not ENGLISH_PHRASE.match(head):
        return []
    if any(w.lower() in FUNCTION_WORDS for w in words):
        return []
    if len(words) == 1 or any(is_name_token(w) for w in words) or all(w[:1].isupper() for w in words):
        return [head]
    return []


class MentionFinder:
    """Sets ``doc.spans["paperkg_candidates"]``: candidate mentions labelled by their rule."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.max_gazetteer_words = max(len(entry.split()) for entry in self._gazetteer_surfaces())
        for name, default in (("section", ""), ("title_names", ())):
            if not Doc.has_extension(name):
                Doc.set_extension(name, default=default)

    def _gazetteer_surfaces(self) -> list[str]:
        return sorted({s for e in self.lexicon.gazetteer.values() for s in (e.name, *e.aliases)})

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        found: list[tuple[int, int, str]] = []
        found += self._name_runs(text)
        found += self._gazetteer_matches(text)
        found += self._pairs(doc)
        found += self._bold(text)
        found += [(m.start(1), m.end(1), "named") for m in NAMED_AFTER.finditer(text)]
        for name in doc._.title_names:
            found += [(m.start(), m.end(), "title") for m in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text)]
        spans = []
        for start, end, rule in sorted(set(found)):
            span = doc.char_span(start, end, label=rule, alignment_mode="contract")
            if span is not None and span.text.strip():
                spans.append(span)
        doc.spans[CANDIDATES_KEY] = spans
        return doc

    def _name_runs(self, text: str) -> list[tuple[int, int, str]]:
        runs = []
        for match in re.finditer(rf"(?<![A-Za-z0-9.\-_]){WORD}", text):
            if not is_name_token(match.group()):
                continue
            start, end = match.span()
            # Continue over a version or size written after a space: AIME 2025, Wan 2.2 TI2V 5B.
            while True:
                nxt = re.match(rf" ({WORD})", text[end:])
                if not nxt or not CONTINUATION.match(nxt.group(1)):
                    break
                end += nxt.end()
            runs.append((start, end, "name"))
        return runs

    def _gazetteer_matches(self, text: str) -> list[tuple[int, int, str]]:
        matches = []
        for match in re.finditer(rf"(?<![A-Za-z0-9]){WORD}(?: {WORD}){{0,{self.max_gazetteer_words - 1}}}", text):
            words = list(re.finditer(WORD, match.group()))
            # Every word-aligned sub-phrase starting at this run's words.
            for i, first in enumerate(words):
                for last in words[i:]:
                    phrase = match.group()[first.start() : last.end()]
                    if self.lexicon.lookup(phrase):
                        matches.append((match.start() + first.start(), match.start() + last.end(), "gazetteer"))
        return matches

    def _pairs(self, doc: Doc) -> list[tuple[int, int, str]]:
        spans = []
        for long, short, kind in doc._.alias_pairs or ():
            if kind == "abbreviation":
                spans += [(*long, "pair"), (*short, "pair")]
        return spans

    def _bold(self, text: str) -> list[tuple[int, int, str]]:
        spans = []
        for match in BOLD.finditer(text):
            inner = match.group(1).strip()
            # An English name, possibly followed by a bracketed gloss: **Video-MME**, **WebShop (网页购物)**.
            name = re.match(rf"{WORD}(?: {WORD}){{0,5}}", inner)
            if name and re.search(r"[A-Z]", name.group()):
                start = match.start(1) + match.group(1).index(name.group())
                spans.append((start, start + len(name.group()), "bold"))
        return spans


@Language.factory(
    "paperkg_mentions",
    requires=["doc._.alias_pairs"],
    default_config={"gazetteer_dir": str(GAZETTEER_DIR), "nlp_data_dir": str(NLP_DATA_DIR)},
)
def make_mention_finder(nlp: Language, name: str, gazetteer_dir: str, nlp_data_dir: str) -> MentionFinder:
    return MentionFinder(load_lexicon(gazetteer_dir, nlp_data_dir))


def longest_spans(spans: list[Span]) -> list[Span]:
    """Overlapping candidates resolved to the longest (spaCy's ``filter_spans``)."""
    return filter_spans(spans)


__all__ = ["CANDIDATES_KEY", "MentionFinder", "is_name_token", "longest_spans", "normalize_name", "title_names"]
