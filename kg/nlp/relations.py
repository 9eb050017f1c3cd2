"""Relation of the paper to each entity it mentions: proposes, evaluatesOn, comparesWith, uses.

A relation cue (提出, 优于, 基于, ...) covers the mentions after it in its clause until a
character that ends its scope (``基于 X 的 Y``: X is used, Y is not). The nearest covering
cue wins. Benchmarks and datasets that the paper does not propose are evaluated on when the
clause or section is about experiments; the title's name is proposed, and so is a name that a
bullet heading of the innovations section gives without a cue (``**比例保持采样器 (RPS)**：``).
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.domain import DEFAULT_RELATIONS, EVALUATED_CLASSES
from kg.nlp.entity_types import ENTITIES_KEY
from kg.nlp.mentions import bold_headings
from kg.nlp.lexicon import Lexicon, normalize_name
from kg.nlp.lexicon_component import LexiconUser
from kg.nlp.tokenizer import doc_text

RESULTS_SECTIONS = {"experimental_results"}
#: Farthest a cue is looked for from a mention, in characters each way. Real clauses are far
#: shorter; the bound keeps a hostile clause (one sentence naming thousands of entities)
#: from costing time quadratic in its length.
CLAUSE_WINDOW = 500
ENGLISH_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])[.!?]\s+(?=[A-Z\"“(])")
#: Sections whose bullet headings name the paper's own components.
CONTRIBUTION_SECTIONS = {"innovations"}


class RelationClassifier:
    """Sets ``span._.relation`` and ``span._.section`` on every typed entity mention."""

    def __init__(self, lexicon: Lexicon) -> None:
        cues = lexicon.cues
        self.before = [(cue, rel) for rel, words in cues["relation_before"].items() for cue in words if not cue.isascii()]
        # English cues: whole words in any case ("using" is no cue in "focusing").
        self.english = {cue.lower(): rel for rel, words in cues["relation_before"].items() for cue in words if cue.isascii()}
        alternatives = "|".join(map(re.escape, sorted(self.english, key=len, reverse=True)))
        self.english_pattern = re.compile(rf"(?i)(?<![A-Za-z0-9\-])(?:{alternatives})(?![A-Za-z0-9\-])") if alternatives else None
        self.after = [(cue, rel) for rel, words in cues["relation_after"].items() for cue in words]
        self.scope_ends = {rel: set("".join(chars)) for rel, chars in cues["scoped_until"].items()}
        self.clause_breaks = set(cues["clause_breaks"])
        self._breaks_of: str | None = None
        self._break_offsets: list[int] = []
        self.evaluation_after = tuple(cues.get("evaluation_context_after", ()))
        self.evaluation_english = re.compile(cues["evaluation_context_english"]) if cues.get("evaluation_context_english") else None
        for name in ("relation", "section"):
            if not Span.has_extension(name):
                Span.set_extension(name, default="")
        if not Doc.has_extension("section_bounds"):
            Doc.set_extension("section_bounds", default=())

    def __call__(self, doc: Doc) -> Doc:
        titles = {normalize_name(name) for name in doc._.title_names}
        text = doc_text(doc)
        headings = [(start, end) for start, end, section in bold_headings(text, doc._.section_bounds) if section in CONTRIBUTION_SECTIONS]
        for span in doc.spans.get(ENTITIES_KEY, []):
            span._.section = self.section_at(doc, span.start_char)
            span._.relation = self.classify(text, span, titles)
            in_heading = any(start <= span.start_char and span.end_char <= end for start, end in headings)
            if (
                in_heading
                and span._.relation == "uses"
                and span._.type_evidence != "gazetteer"
                and self.covering_cue(self.clause(text, span)[0]) not in ("uses", "comparesWith")
            ):
                span._.relation = "proposes"  # 2. **比例保持采样器 (Ratio-Preserving Sampler)**：...
        doc.spans[ENTITIES_KEY] = [self._typed_by_context(doc, text, span) for span in doc.spans.get(ENTITIES_KEY, [])]
        return doc

    def _typed_by_context(self, doc: Doc, text: str, span: Span) -> Span:
        """A name with no evidence of its class (a ``default`` Method) that the text evaluates
        on is a Benchmark: 在 FooEval 上评估, "we evaluate on VBench and FooEval"."""
        if span.label_ != "Method" or span._.type_evidence != "default" or span._.relation == "proposes":
            return span
        before, after = self.clause(text, span)
        chinese = re.search(r"在[^，。；]*$", before) and after.lstrip(" *").startswith(self.evaluation_after)
        english = self.evaluation_english is not None and self.evaluation_english.search(before)
        if not (chinese or english):
            return span
        typed = Span(doc, span.start, span.end, label="Benchmark")
        typed._.type_evidence, typed._.relation, typed._.section = "context", "evaluatesOn", span._.section
        return typed

    @staticmethod
    def section_at(doc: Doc, offset: int) -> str:
        for start, end, key in doc._.section_bounds:
            if start <= offset < end:
                return key
        return ""

    def clause(self, text: str, span: Span) -> tuple[str, str]:
        """The text of the mention's clause before and after it (at most
        :data:`CLAUSE_WINDOW` characters each way, so that a clause with thousands of mentions
        costs linear time)."""
        breaks = self._breaks(text)
        before = bisect.bisect_left(breaks, span.start_char)
        start = breaks[before - 1] + 1 if before else 0
        after = bisect.bisect_left(breaks, span.end_char)
        end = breaks[after] if after < len(breaks) else len(text)
        start = max(start, span.start_char - CLAUSE_WINDOW)
        end = min(end, span.end_char + CLAUSE_WINDOW)
        before, after = text[start : span.start_char], text[span.end_char : end]
        # An English sentence ends at a full stop before a capital: "... AnimateDiff. We use X".
        ends = list(ENGLISH_SENTENCE_END.finditer(before))
        if ends:
            before = before[ends[-1].end() :]
        first = ENGLISH_SENTENCE_END.search(after)
        return before, after[: first.start() + 1] if first else after

    def _breaks(self, text: str) -> list[int]:
        """Offsets of the clause breaks of ``text`` (cached for the document being classified)."""
        if self._breaks_of is not text:
            self._breaks_of = text
            self._break_offsets = [i for i, char in enumerate(text) if char in self.clause_breaks]
        return self._break_offsets

    def covering_cue(self, before: str) -> str | None:
        """The relation of the nearest cue before the mention whose scope reaches it."""
        best: tuple[int, str] | None = None
        if self.english_pattern is not None:
            # An English cue's scope ends at a clause break or a sentence end: the last 200
            # characters hold any cue that still reaches the mention.
            offset = max(0, len(before) - 200)
            for match in self.english_pattern.finditer(before, offset):
                relation = self.english[match.group().lower()]
                between = before[match.end() :]
                if not any(char in self.scope_ends[relation] for char in between) and (best is None or match.end() > best[0]):
                    best = (match.end(), relation)
        for cue, relation in self.before:
            position = before.rfind(cue)
            if position < 0:
                continue
            between = before[position + len(cue) :]
            if any(char in self.scope_ends[relation] for char in between):
                continue
            if best is None or position + len(cue) > best[0]:
                best = (position + len(cue), relation)
        return best[1] if best else None

    def classify(self, text: str, span: Span, titles: set[str]) -> str:
        if normalize_name(span.text) in titles:
            return "proposes"
        before, after = self.clause(text, span)
        cue = self.covering_cue(before)
        if cue == "proposes" and span._.type_evidence == "gazetteer":
            cue = "uses"  # a well-known entity exists before the paper: 引入 GRPO 训练 uses it
        head, window = after.lstrip(" *"), after[:12]
        after_cues = {relation for word, relation in self.after if head.startswith(word) or word in window}
        if "proposes" in after_cues and span._.type_evidence != "gazetteer":
            return "proposes"  # LCRReg是一种新型的正则化方法; FooNet, a novel ...
        if span.label_ in EVALUATED_CLASSES:
            if cue == "proposes" and not ("evaluatesOn" in after_cues and _open_zai(before)):
                return "proposes"  # but 本文提出的 X 在 A 和 B 上的实验: A and B are evaluated on
            experimental = span._.section in RESULTS_SECTIONS or "evaluatesOn" in after_cues or cue == "evaluatesOn"
            if DEFAULT_RELATIONS[span.label_] == "evaluatesOn" or experimental or _open_zai(before):
                return "evaluatesOn"
            return "uses"
        if cue in ("proposes", "comparesWith"):
            return cue
        if "comparesWith" in after_cues:
            return "comparesWith"
        return "uses"


def _open_zai(before: str) -> bool:
    """``在`` ("on/in") before the mention with no ``，。；`` after it: ``在 X 上`` (on X)."""
    position = before.rfind("在")
    return position >= 0 and not any(char in before[position:] for char in "，。；")


@Language.factory(
    "paperkg_relations",
    requires=["doc._.section_bounds"],
)
def make_relation_classifier(nlp: Language, name: str) -> LexiconUser:
    """A :class:`RelationClassifier` of the pipeline's lexicon."""
    return LexiconUser(nlp, RelationClassifier)
