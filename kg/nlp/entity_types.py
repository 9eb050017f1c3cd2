"""Entity typing: is a candidate a Model, Dataset, Benchmark or Method, or no entity at all?

Evidence, strongest first: the gazetteer; a cue word right after or before the mention
(``X 数据集``, ``模型 X``); name morphology (``-Bench``, ``-7B``, ``-PO``); the context
(an English name in an evaluation clause of the results is a benchmark); the rule that found
it. Generic terms (LLM, RAG, FID, A100, NVIDIA, ...) are rejected, and so are weak candidates
without any evidence of a class.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.lexicon import Lexicon, normalize_name, singular_acronym
from kg.nlp.lexicon_component import LexiconUser
from kg.nlp.mentions import CANDIDATES_KEY, CONTINUATION, NUMBER_OR_UNIT, SPECIAL_SUFFIX, is_name_token, longest_spans
from kg.nlp.tokenizer import doc_text

ENTITIES_KEY = "paperkg_entities"
#: Candidate rules that are a name by themselves; other rules need evidence of a class.
STRONG_RULES = {"gazetteer", "title", "named", "pair", "list"}
#: Candidate rules that need a cue or name morphology (no default class): compounds of plain
#: words (Training-Free) and bold headings' English (**视觉质量 (Visual Quality)**).
WEAK_RULES = {"compound", "heading"}
#: Rules by which the text itself says that a name is one: these override generic parts.
NAMING_RULES = {"title", "named"}
SKIPPABLE_BEFORE_CUE = re.compile(r"^[\s*“”\"'」》）)]*(?:的|等|这|[一二三四五六七八九十两几\d]+\s*[个种套项类]|些)*")
#: The rest of a coordinated list of English names: "Agent-X、GTA和GAIA这三个基准测试".
LIST_CONTINUATION = re.compile(r"^(?:\s*(?:[、,/]|和|及|与|以及|或)\s*[*“\"]*[A-Za-z0-9][A-Za-z0-9.\-_+' ]*[*”\"]*)+")


#: What separates the items of a coordinated list of names.
LIST_SEPARATOR = re.compile(r"[\s*“”\"]*(?:[,，、/]|and|or|和|与|及|以及|或)?[\s*“”\"]*(?:(?:and|or)\s+)?")
#: What may stand between a name and an English type cue: "FooSet dataset", "OceanGym: A
#: Benchmark", "X: a new benchmark".
ENGLISH_CUE_GAP = re.compile(r"(?i)^[\s*\"”'：:]*(?:(?:an?|the)\s+)?(?:[A-Za-z\-]+\s+)?$")


#: A Chinese gloss the mention translates: 视频编辑框架（FooNet）, 数据集（FooSet, FS）.
GLOSS_BEFORE = re.compile(r"([\u3400-\u9fff]{2,})\s*[（(]\s*(?:[^（()）\n]{0,30}[,，、]\s*)?$")
#: ... or that follows it in brackets: FooBench（长视频理解基准）.
GLOSS_AFTER = re.compile(r"\s*[（(]\s*([^（()）\n]{0,30}[\u3400-\u9fff])\s*[)）]")


class EntityTyper:
    """Sets ``doc.spans["paperkg_entities"]``: typed entity mentions (label = class), and
    ``span._.type_evidence`` (gazetteer, cue, morphology, context or default)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        cues = lexicon.cues
        self.after = _longest_first(cues["type_after"])
        self.before = _longest_first(cues["type_before"])
        self.window = int(cues["type_window"])
        self.gap_stops = set(cues["type_gap_stops"])
        openers = "|".join(map(re.escape, cues["appositive_openers"]))
        self.appositive = re.compile(rf"^[，,]\s*(?:{openers})([^，,。]{{0,60}})")
        self.collection = re.compile(cues["collection_pattern"])
        self.non_entity_words = tuple(cues.get("non_entity_after", ()))
        self.non_entity_gloss_heads = tuple(cues.get("non_entity_gloss_heads", ()))
        self.collection_class = cues["collection_class"]
        # English: "FooSet, a large-scale dataset of ...", "FooNet is a video model".
        english = {cue.lower(): entity_type for cue, entity_type in self.after if cue.isascii()}
        self.english_types = english
        english_openers = "|".join(map(re.escape, sorted(cues.get("english_appositive_openers", []), key=len, reverse=True)))
        english_cues = "|".join(map(re.escape, sorted(english, key=len, reverse=True)))
        self.english_appositive = (
            re.compile(rf"(?i)(?:{english_openers})\s+(?:[A-Za-z0-9\-]+\s+){{0,4}}?({english_cues})\b") if english_openers else None
        )
        self.morphology = [(t, re.compile(p)) for t, p in lexicon.morphology]
        if not Span.has_extension("type_evidence"):
            Span.set_extension("type_evidence", default="")

    def __call__(self, doc: Doc) -> Doc:
        candidates = list(doc.spans.get(CANDIDATES_KEY, []))
        rules_by_span: dict[tuple[int, int], set[str]] = {}
        for span in candidates:
            rules_by_span.setdefault((span.start, span.end), set()).add(span.label_)
        counts: dict[str, int] = {}
        for span in longest_spans(candidates):
            counts[normalize_name(span.text)] = counts.get(normalize_name(span.text), 0) + 1
        typed = []
        text = doc_text(doc)
        concepts = self.concept_keys(text, doc._.alias_pairs or ())
        for span in longest_spans(candidates):
            rules = rules_by_span.get((span.start, span.end), set())
            decision = self.decide(text, span, rules, counts)
            concept = concepts.get(_concept_key(span.text))
            if decision and concept and (concept == "generic" or decision[1] == "default"):
                decision = None  # Large Language Models (LLMs); zone of proximal development (ZPD)
            if decision:
                entity_type, evidence = decision
                entity = Span(doc, span.start, span.end, label=entity_type)
                entity._.type_evidence = evidence
                typed.append(entity)
        doc.spans[ENTITIES_KEY] = self.typed_by_list(doc, text, typed)
        return doc

    @staticmethod
    def typed_by_list(doc: Doc, text: str, typed: list[Span]) -> list[Span]:
        """An untyped item of a coordinated list takes the class its typed items agree on:
        "Using GPT-4, GPT-4o and LearnLM" (LearnLM a Model), "基准 SpiderUnion 和 BirdUnion"."""
        typed = sorted(typed, key=lambda s: s.start_char)
        groups: list[list[int]] = []
        for i, span in enumerate(typed):
            if groups and LIST_SEPARATOR.fullmatch(text[typed[groups[-1][-1]].end_char : span.start_char]):
                groups[-1].append(i)
            else:
                groups.append([i])
        for group in groups:
            classes = {typed[i].label_ for i in group if typed[i]._.type_evidence in ("gazetteer", "cue", "catalogue", "morphology")}
            if len(group) < 2 or len(classes) != 1:
                continue
            (entity_class,) = classes
            for i in group:
                if typed[i]._.type_evidence == "default":
                    span = Span(doc, typed[i].start, typed[i].end, label=entity_class)
                    span._.type_evidence = "context"
                    typed[i] = span
        return typed

    def decide(self, text: str, span: Span, rules: set[str], counts: dict[str, int]) -> tuple[str, str] | None:
        """The (class, evidence) of a candidate, or None when it is not an entity."""
        name = span.text.strip()
        singular = singular_acronym(name)
        entry = self.lexicon.lookup(name) or (self.lexicon.lookup(singular) if singular else None)
        if entry is None and self.lexicon.non_entity_kind(name):
            return None  # 19.7 FPS, 80GB H800, CC-BY-NC-SA 4.0, NeurIPS 2024, App Store
        if entry and not entry.curated:
            # How the text presents the name beats a package's list: MORPH 模型 is a model.
            cue = self.cue_type(text, span)
            return (cue, "cue") if cue else (entry.type, "catalogue")
        if entry:
            return entry.type, "gazetteer"
        if not re.search(r"[A-Za-z]", name) or self.lexicon.is_generic(name) or len(normalize_name(name)) <= 2:
            return None  # two-letter names (KL, ID, DR) are too ambiguous without the gazetteer
        if self.generic_parts(name) and not rules & NAMING_RULES:
            return None
        if inflected_compound(name):
            return None  # REST-endpoints, AI-supported, MCP-Orchestrated, benchmarks-TriviaQA
        # A weak candidate right before an English word modifies it: Vision-Language Models.
        modifies = rules <= WEAK_RULES and re.match(r" [A-Za-z]", text[span.end_char : span.end_char + 2])
        cue = None if modifies else self.cue_type(text, span)
        if cue:
            return cue, "cue"
        for entity_type, pattern in self.morphology:
            if pattern.search(name):
                return entity_type, "morphology"
        base = self.base_name(name)
        if base != name:  # an edition has its base name's class: XBench Lite, SAM$^2$
            entry = self.lexicon.lookup(base)
            if entry:
                return entry.type, "morphology"
            for entity_type, pattern in self.morphology:
                if pattern.search(base):
                    return entity_type, "morphology"
        part_type = self.part_type(name)
        if part_type:
            return part_type, "morphology"
        if rules <= WEAK_RULES:
            return None
        strong = bool(rules & STRONG_RULES) or any(is_name_token(w, self.lexicon) for w in name.split()) or bool(SPECIAL_SUFFIX.search(name))
        if not strong:
            return None
        if self._only_in_brackets(text, span, counts) and not rules & STRONG_RULES:
            return None
        gloss = self.gloss_type(text, span)
        if gloss:
            return gloss, "cue"
        if self.non_entity_after(text, span):
            return None  # X 指标, the X metric: a measure, not a named thing
        return "Method", "default"

    def concept_keys(self, text: str, pairs) -> dict[str, str]:
        """Names that an abbreviation pair shows to be concepts, not named things: both sides
        of a pair one side of which is a generic term (``Large Language Models (LLMs)``:
        ``generic``), and both sides of a pair whose long form is lower-case words but for its
        first letter (``Test-time compute (TTC)``: ``lowercase``, kept only with evidence of a
        class)."""
        concepts: dict[str, str] = {}
        for (ls, le), (ss, se), kind in pairs:
            long, short = text[ls:le], text[ss:se]
            if kind == "translation":
                # 标记到标记延迟（TTL）: a gloss ending in a task or measure word names a concept.
                if long.endswith(self.non_entity_gloss_heads) and not self.lexicon.lookup(short):
                    concepts.setdefault(_concept_key(short), "lowercase")
                continue
            if kind != "abbreviation":
                continue
            if self.lexicon.lookup(long) or self.lexicon.lookup(short):
                continue
            if self.lexicon.is_generic(long) or self.lexicon.is_generic(short) or self.generic_parts(long):
                strength = "generic"
            elif long.isascii() and len(long.split()) > 1 and not any(c.isupper() for c in long[1:]):
                strength = "lowercase"
            else:
                continue
            for surface in (long, short):
                key = _concept_key(surface)
                if concepts.get(key) != "generic":
                    concepts[key] = strength
        return concepts

    def base_name(self, name: str) -> str:
        """``name`` without its special suffix and trailing edition words or versions:
        ``XBench Lite`` -> ``XBench``, ``Foo 1.5 Pro`` -> ``Foo``, ``SAM$^2$`` -> ``SAM``."""
        base = name
        suffix = re.search(rf"(?:{SPECIAL_SUFFIX.pattern})$", base)
        if suffix:
            base = base[: suffix.start()]
        words = base.split()
        while len(words) > 1 and (words[-1] in self.lexicon.variant_suffixes or CONTINUATION.match(words[-1])):
            words.pop()
        return " ".join(words) or name

    def part_type(self, name: str) -> str | None:
        """The class of a well-known name inside a compound: ``gte-Qwen2`` is a Model,
        ``MMLU-Redux`` a Benchmark."""
        for part in re.split(r"[\s\-_]+", name):
            entry = self.lexicon.lookup(part) if len(part) > 2 else None
            if entry:
                return entry.type
        return None

    def generic_parts(self, name: str) -> bool:
        """A name made only of generic terms and numbers: ``NVIDIA H200``, ``RTX 5090``,
        ``14B-32B``, ``Top-8``, ``Transformer-SSM``, ``rFVD`` (unless the text names it so:
        ``KV-Embedding: ...`` as a title)."""
        parts = [part for part in re.split(r"[\s\-]+", name) if part]
        return all(self.lexicon.is_generic(part) or NUMBER_OR_UNIT.match(part) for part in parts) or (
            # a flavour letter before a generic term: rFID, gFVD, dWER
            len(parts) == 1 and name[:1].islower() and self.lexicon.is_generic(name[1:])
        )

    def cue_type(self, text: str, span: Span) -> str | None:
        after = text[span.end_char : span.end_char + self.window + 80]
        after = after[LIST_CONTINUATION.match(after).end() if LIST_CONTINUATION.match(after) else 0 :]
        after = after[SKIPPABLE_BEFORE_CUE.match(after).end() :][: self.window + 4]
        # The cue may follow a few descriptive characters: "CoPE 的极简方法", "X 开源模型家族".
        segment = re.split(r"[^\u3400-\u9fff]", after, maxsplit=1)[0] if after[:1] > "\u3400" else after
        found = sorted((_find_cue(segment, cue), -len(cue), entity_type) for cue, entity_type in self.after if cue in segment)
        found = [item for item in found if item[0] >= 0]
        for position, cue_length, entity_type in found:
            gap = segment[:position]
            if segment[position : position - cue_length].isascii() and gap.isascii() and not ENGLISH_CUE_GAP.match(gap):
                break  # an English cue right after the name: "FooSet dataset", "X: A Benchmark", not ". Our method"
            if position == 0 or not self.gap_stops & set(gap):
                return entity_type
            break
        for cue, entity_type in self.after:
            if after.startswith(cue) and _find_cue(after, cue) == 0:
                return entity_type
        english = None
        if self.english_appositive is not None and text.startswith((",", " is ", " which"), span.end_char):
            english = self.english_appositive.match(text, span.end_char, span.end_char + 120)
        if english:
            return self.english_types[english.group(1).lower()]
        # An appositive within the clause: "M-TRACE，一个包含 2.85 万个任务的大规模数据集".
        clause = re.split(r"[。；\n]", text[span.end_char : span.end_char + 80])[0]
        appositive = self.appositive.match(clause)
        if appositive:
            for cue, entity_type in self.after:
                if appositive.group(1).endswith(cue):
                    return entity_type
            if self.collection.search(appositive.group(1)):
                return self.collection_class
        before = text[max(0, span.start_char - 8) : span.start_char].rstrip(" *“\"")
        for cue, entity_type in self.before:
            if before.endswith(cue):
                return entity_type
        return None

    def non_entity_after(self, text: str, span: Span) -> bool:
        """Whether a word of ``non_entity_after`` (指标, problem, metric) follows the name."""
        after = text[span.end_char : span.end_char + 12].lstrip(" *”\"'")
        return any(after.startswith(word) and _find_cue(after, word) == 0 for word in self.non_entity_words)

    def gloss_type(self, text: str, span: Span) -> str | None:
        """The class the head noun of the mention's Chinese gloss names: 视频编辑框架（FooNet）,
        多模态数据集（FooSet, FS）, FooBench（长视频理解基准）."""
        glosses = []
        before = GLOSS_BEFORE.search(text, max(0, span.start_char - 40), span.start_char)
        if before:
            glosses.append(before.group(1))
        after = GLOSS_AFTER.match(text, span.end_char, span.end_char + 40)
        if after:
            glosses.append(after.group(1))
        for gloss in glosses:
            for cue, entity_type in self.after:
                if not cue.isascii() and gloss.endswith(cue):
                    return entity_type
        return None

    @staticmethod
    def _only_in_brackets(text: str, span: Span, counts: dict[str, int]) -> bool:
        """An acronym seen once, as the gloss of a Chinese term (分布外（OOD）), names a concept."""
        inside = text[span.start_char - 1 : span.start_char] in "(（" and text[span.end_char : span.end_char + 1] in ")）"
        return inside and counts.get(normalize_name(span.text), 0) <= 1


def _concept_key(surface: str) -> str:
    """The key of a name with an acronym's plural folded: ``NLQs`` and ``NLQ`` are one concept."""
    return normalize_name(singular_acronym(surface) or surface)


def inflected_compound(name: str) -> bool:
    """A hyphenated English phrase, not a name: it ends in an inflected lower-case word
    (``REST-endpoints``, ``AI-supported``, ``DiaASQ-demonstrating``) or a capitalised past
    participle (``MCP-Orchestrated``), or starts with an inflected lower-case word
    (``benchmarks-TriviaQA``)."""
    parts = name.split("-")
    if len(parts) < 2:
        return False
    first, last = parts[0], parts[-1]

    def inflected(word: str) -> bool:
        return word.isascii() and word.isalpha() and word.islower() and len(word) >= 4 and word.endswith(("ing", "ed", "s"))

    return inflected(last) or inflected(first) or (len(last) > 4 and last[:1].isupper() and last[1:].islower() and last.endswith("ed"))


def _find_cue(text: str, cue: str) -> int:
    """Where ``cue`` starts in ``text``, or -1; an English cue only as a whole word (``data``
    is no cue in ``database``)."""
    position = text.find(cue)
    if not cue.isascii():
        return position
    while position >= 0:
        end = position + len(cue)
        if (position == 0 or not text[position - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return position
        position = text.find(cue, position + 1)
    return -1


def _longest_first(cue_map: dict[str, list[str]]) -> list[tuple[str, str]]:
    pairs = [(cue, entity_type) for entity_type, cues in cue_map.items() for cue in cues]
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0]))


@Language.factory("paperkg_entity_typer")
def make_entity_typer(nlp: Language, name: str) -> LexiconUser:
    """A :class:`EntityTyper` of the pipeline's lexicon."""
    return LexiconUser(nlp, EntityTyper)
