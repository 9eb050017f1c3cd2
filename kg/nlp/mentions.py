"""Mention detection: where does a summary name a model, dataset, benchmark or method?

Rules, each a reason recorded as the candidate's label:
``gazetteer`` a well-known name; ``name`` name morphology (acronyms, CamelCase, alphanumerics
like ``Qwen2.5-VL-7B``, with a following version or size: ``AIME 2025``); ``compound`` a
hyphenated compound of plain words (``Tool-Reflection-Bench``, but also ``Training-Free``:
kept only with evidence of a class); ``pair`` the long
form of an abbreviation pair (``Group Relative Policy Optimization (GRPO)``); ``bold`` an
English name in markdown emphasis; ``list`` the items of an English list after 如/例如/包括
with a name among them; ``heading`` the English name a bold heading gives a Chinese
name (``**比例保持采样器 (Ratio-Preserving Sampler, RPS)**``); ``title`` the name before the colon
of the paper's title; ``named`` a name after 名为/称为. Nothing inside a web address or
repository path is a mention.
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.nlp.lexicon import Lexicon, load_lexicon, normalize_name
from kg.nlp.lexicon_component import LexiconUser
from kg.nlp.tokenizer import doc_text

CANDIDATES_KEY = "paperkg_candidates"

WORD = r"[A-Za-z0-9]+(?:[.\-_+'][A-Za-z0-9]+)*"
#: A version or size that continues a name: ``2025``, ``v3``, ``2.2``, ``5B``, ``TI2V``.
CONTINUATION = re.compile(r"^(v?\d+(\.\d+)*[A-Za-z]?|\d+(\.\d+)?[BMK](-A\d+(\.\d+)?B)?|[A-Z0-9]{2,}\d[A-Z0-9]*|V\d+(\.\d+)?|[A-Z][a-z]+-?\d+(\.\d+)?[BMK]?)$")
NUMBER = re.compile(r"\d+(?:\.\d+)*")
NUMBER_OR_UNIT = re.compile(r"^\d+(\.\d+)*([kKmMbBgGwWxX%]|ms|s|h|fps|Hz|kHz|px|p|K|M|B|T)?$")
#: What a name may end with after its last letter or digit: ``Foo++``, ``HumanEval+``,
#: ``SAM$^2$``, ``A*`` (a star not of markdown emphasis: no second star, no word after it).
SPECIAL_SUFFIX = re.compile(r"\+{1,2}(?![A-Za-z0-9+])|\$\^\{?[A-Za-z0-9]{1,3}\}?\$|\*(?![*A-Za-z0-9])")
BOLD = re.compile(r"\*\*([^*\n]{2,80})\*\*")
ENGLISH_PHRASE = re.compile(rf"^{WORD}(?: {WORD}){{0,6}}$")
NAMED_AFTER = re.compile(rf"(?:名为|称为|命名为|简称|叫做)\s*[“\"「《]?\s*({WORD}(?: {WORD}){{0,5}})")
#: English: "a method called FooNet", "dubbed Bar-1": one word that starts with a capital or digit.
NAMED_AFTER_ENGLISH = re.compile(rf"\b(?:called|named|dubbed|termed|coined)\s+[“\"']?((?=[A-Z0-9]){WORD})")
TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
PLAIN_WORD = re.compile(r"^[A-Z]?[a-z]+$")
CAPITALISED_WORD = re.compile(r"^[A-Z][a-z]+$")
ENGLISH_WORD = re.compile(rf"^{WORD}$")
#: Sections whose bold headings list the paper's own components (not result categories).
HEADING_SECTIONS = {"title", "core_contribution", "usage_guide", "innovations", "abstract"}
#: Web addresses and repository paths (``github.com/owner/repo``, `` `owner/repo` ``): no names inside.
#: A link, a bare domain or a code path. A domain starts only where a run of domain characters
#: starts (the look-behind excludes ``.`` and ``-`` too): starting inside the run made text
#: like ``A-A-A-...`` quadratic.
URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+=%-]+"
    r"|(?<![A-Za-z0-9.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|io|ai|net|edu|cn|dev|co|me)(?:/[A-Za-z0-9._~:/?#@!$&'*+=%-]*)?(?![A-Za-z0-9])"
    r"|`[^`\n]*/[^`\n]*`"
)
#: A bold heading that translates a Chinese name: ``**比例保持采样器 (Ratio-Preserving Sampler, RPS)**``.
#: It opens a bullet line and ends with a colon; at most a short cue word follows the brackets.
BOLD_TRANSLATION = re.compile(rf"^[^A-Za-z(（]*[\u3400-\u9fff][^A-Za-z(（]*[(（]\s*({WORD}(?: {WORD}){{0,6}})\s*(?:[,，]\s*{WORD}\s*)?[)）][\u3400-\u9fff]{{0,4}}$")
#: What may stand between the start of a line and a bullet's bold heading (matched with
#: ``fullmatch`` from the line start: no search, so a long line costs nothing per heading).
BULLET_START = re.compile(r"[ \t]*(?:[-*•]|\d+[.)、])?[ \t]*")
#: Rules that introduce a name whose other occurrences are mentions too.
REPEATED_RULES = {"pair", "heading", "named"}
#: One item of an English list: a name of up to four words.
ITEM = re.compile(rf"{WORD}(?: {WORD}){{0,3}}")
FUNCTION_WORDS = {"a", "an", "the", "of", "for", "and", "or", "in", "on", "to", "with", "via", "by", "from", "as", "is", "at", "before", "after", "like", "than", "beyond", "towards", "toward", "why", "how", "what", "when", "not", "you", "your", "we", "our", "do", "does"}


def is_modifier(token: str, lexicon: Lexicon | None = None) -> bool:
    """A hyphenated English modifier, not a name by itself: a compound of plain words
    (``Training-Free``, ``Short-to-Long``, ``Vision-Language``) or one ending in a modifier head
    of morphology.json (``LLM-based``, ``RL-Guided``), unless one of its parts is a well-known
    name (``Qwen-Image``)."""
    if "-" not in token:
        return False
    lexicon = lexicon or load_lexicon()
    parts = token.split("-")
    if parts[-1].lower() in lexicon.modifier_heads:
        return True
    return all(PLAIN_WORD.match(part) for part in parts) and not any(lexicon.lookup(part) for part in parts)


def is_plain_compound(token: str, lexicon: Lexicon | None = None) -> bool:
    """A hyphenated compound of capitalised plain words that may still be a name given evidence
    of a class (``Tool-Reflection-Bench``, ``Ko-Halu 等基准``), unlike ``LLM-based``,
    ``Plug-and-play``, ``Multi-Agent`` (a modifier prefix) or ``Energy-Regularized``."""
    parts = token.split("-")
    lexicon = lexicon or load_lexicon()
    return (
        len(parts) > 1
        and all(CAPITALISED_WORD.match(part) for part in parts)
        and parts[-1].lower() not in lexicon.modifier_heads
        and parts[0].lower() not in lexicon.modifier_prefixes
        and not parts[-1].endswith("ed")
    )


def is_ascii_alnum(char: str) -> bool:
    """``[A-Za-z0-9]``: the characters a name cannot be cut between."""
    return char.isascii() and char.isalnum()


def whole_name_spans(name: str, text: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of ``name`` in ``text`` that is not part of a longer
    run of letters and digits, like ``(?<![A-Za-z0-9])NAME(?![A-Za-z0-9])``. Compiling that
    pattern for every name would churn the ``re`` module's cache of 512 patterns."""
    spans: list[tuple[int, int]] = []
    start = text.find(name) if name else -1
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not is_ascii_alnum(text[start - 1])) and (end == len(text) or not is_ascii_alnum(text[end])):
            spans.append((start, end))
            start = text.find(name, end)
        else:
            start = text.find(name, start + 1)
    return spans


def is_name_token(token: str, lexicon: Lexicon | None = None) -> bool:
    """Name morphology of one token: an acronym, CamelCase or mixed letters and digits, and
    not a hyphenated modifier (:func:`is_modifier`)."""
    if NUMBER_OR_UNIT.match(token) or not re.search(r"[A-Za-z]", token) or is_modifier(token, lexicon):
        return False
    if sum(c.isupper() for c in token) >= 2:
        return True
    if any(c.isupper() for c in token[1:]) and any(c.islower() for c in token):
        return True  # rCM, HardClip, dLLM
    return bool(any(c.isdigit() for c in token) and TWO_LETTERS.search(token))  # GSM8K, Qwen2.5, gpt-oss-120b


def outside_sections(section_bounds: tuple, length: int) -> list[tuple[int, int]]:
    """The spans of a text of ``length`` characters outside its title and sections (their
    headings, kg.nlp.structure): nothing there is a mention. None when it has no structure."""
    ends = sorted((start, end) for start, end, _key in section_bounds)
    starts = [start for start, _end in ends[1:]] + [length]
    return [(end, start) for (_start, end), start in zip(ends, starts) if end < start] if ends else []


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def title_names(title: str, body: str = "", lexicon: Lexicon | None = None) -> list[str]:
    """Names a title introduces before its colon: ``CoPE: Clipped RoPE as ...`` -> ``CoPE``.

    A head of several plain capitalised words (``Context Forcing``, but also ``Learning Rate
    Matters``) is a name only when the summary ``body`` repeats it or its morphology suggests a
    class (``Local Linear Attention``).
    """
    lexicon = lexicon or load_lexicon()
    colon = re.search(r"[:：]", title)
    if not colon:
        return []
    head = title[: colon.start()].strip().strip("*").strip()
    words = head.split()
    if not words or len(words) > 4 or not ENGLISH_PHRASE.match(head):
        return []
    if any(w.lower() in FUNCTION_WORDS for w in words):
        return []
    if any(is_name_token(w, lexicon) for w in words) or (len(words) == 1 and head[:1].isupper() and not is_modifier(head, lexicon)):
        return [head]
    if not all(w[:1].isupper() for w in words):
        return []
    typed = any(re.search(pattern, head) for _, pattern in lexicon.morphology)
    repeated = whole_name_spans(head.lower(), body.lower())
    return [head] if typed or repeated else []


def bold_headings(text: str, section_bounds: tuple = ()) -> list[tuple[int, int, str]]:
    """(start, end, section) of the bold text that heads a bullet (``2.  **比例保持采样器 (...)**：``)
    in a section that lists the paper's own components (HEADING_SECTIONS)."""
    headings = []
    line_start = scanned = 0  # the line start is found once per stretch of text: linear time
    for match in BOLD.finditer(text):
        section = next((key for start, end, key in section_bounds if start <= match.start() < end), "")
        line_start = max(line_start, text.rfind("\n", scanned, match.start()) + 1)
        scanned = match.start()
        if (
            section in HEADING_SECTIONS
            and BULLET_START.fullmatch(text, line_start, match.start()) is not None
            and text[match.end() : match.end() + 1] in (":", "：")
        ):
            headings.append((match.start(1), match.end(1), section))
    return headings


class MentionFinder:
    """Sets ``doc.spans["paperkg_candidates"]``: candidate mentions labelled by their rule."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        markers = "|".join(map(re.escape, sorted(lexicon.cues.get("list_markers", []), key=len, reverse=True)))
        self.list_pattern = re.compile(rf"(?:{markers})\s*[:：]?\s*({WORD}(?: {WORD}){{0,3}}(?:\s*(?:[,，、/]|和|及|与|以及|或)\s*{WORD}(?: {WORD}){{0,3}})+)")
        verbs = "|".join(map(re.escape, sorted(lexicon.cues.get("english_proposal_verbs", []), key=len, reverse=True)))
        # "we propose a Local State Attention module": the capitalised phrase is the paper's name.
        self.proposal_pattern = (
            re.compile(rf"(?i:\b(?:{verbs}))\s+(?i:(?:a|an|the|our)\s+)?(?i:(?:novel|new|simple|unified|general|lightweight)\s+)?((?=[A-Z0-9]){WORD}(?:\s+(?=[A-Z0-9]){WORD}){{0,4}})")
            if verbs
            else None
        )
        zh_cues = "|".join(map(re.escape, sorted(lexicon.cues.get("zh_proposal_cues", []), key=len, reverse=True)))
        # 我们引入了Helix 并行策略: a capitalised English name right after a Chinese proposal word.
        self.zh_proposal_pattern = (
            re.compile(rf"(?:{zh_cues})(?:一种|一个|一套)?\s*((?=[A-Z]){WORD}(?: (?=[A-Z0-9]){WORD}){{0,3}})(?=\s*[\u3400-\u9fff])") if zh_cues else None
        )
        # The pattern runs only on texts holding a verb's stem (a substring test is cheap).
        self.proposal_stems = tuple(sorted({verb.split()[-1][:6].lower() for verb in lexicon.cues.get("english_proposal_verbs", [])}))
        self.max_gazetteer_words = max(len(entry.split()) for entry in self._gazetteer_surfaces())
        for name, default in (("section", ""), ("title_names", ()), ("section_bounds", ())):
            if not Doc.has_extension(name):
                Doc.set_extension(name, default=default)

    def _gazetteer_surfaces(self) -> list[str]:
        return sorted({s for e in self.lexicon.gazetteer.values() for s in (e.name, *e.aliases)})

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found: list[tuple[int, int, str]] = []
        found += self._name_runs(text)
        found += self._gazetteer_matches(text)
        found += self._pairs(doc, text)
        found += self._bold(text, doc._.section_bounds)
        found += [(m.start(1), m.end(1), "named") for m in NAMED_AFTER.finditer(text)]
        if any(word in text for word in ("called", "named", "dubbed", "termed", "coined")):
            found += [(m.start(1), m.end(1), "named") for m in NAMED_AFTER_ENGLISH.finditer(text) if not self.lexicon.is_generic(m.group(1))]
        if self.zh_proposal_pattern is not None:
            found += [(m.start(1), m.end(1), "named") for m in self.zh_proposal_pattern.finditer(text) if not self.lexicon.is_generic(m.group(1))]
        if self.proposal_pattern is not None and any(stem in text for stem in self.proposal_stems):
            found += [(m.start(1), m.end(1), "named") for m in self.proposal_pattern.finditer(text) if not self.lexicon.is_generic(m.group(1))]
        found += self._lists(text)
        # A name the text introduces once is a name wherever the summary repeats it.
        introduced = {(text[start:end], rule) for start, end, rule in found if rule in REPEATED_RULES}
        introduced |= {(name, "title") for name in doc._.title_names}
        for name, rule in sorted(introduced):
            found += [(start, end, rule) for start, end in whole_name_spans(name, text)]
        found = [(start, self._with_suffix(text, start, end), rule) for start, end, rule in found]
        # Web addresses and the section headings are masked. The masked spans are merged, so
        # their ends are sorted too: one bisection per candidate (a scan of every URL per
        # candidate was quadratic on text like ``1.1.1.1...``).
        masked = merged_spans([match.span() for match in URL.finditer(text)] + outside_sections(doc._.section_bounds, len(text)))
        masked_ends = [m_end for _, m_end in masked]
        spans = []
        for start, end, rule in sorted(set(found)):
            first = bisect.bisect_right(masked_ends, start)  # the first URL ending after start
            if first < len(masked) and masked[first][0] < end:
                continue
            span = doc.char_span(start, end, label=rule, alignment_mode="contract")
            if span is not None and span.text.strip():
                spans.append(span)
        doc.spans[CANDIDATES_KEY] = spans
        return doc

    @staticmethod
    def _with_suffix(text: str, start: int, end: int) -> int:
        """The end of a name over its special suffix (``Foo++``, ``SAM$^2$``, ``A*``); a star
        after a name in emphasis (``*Foo*``) is markdown."""
        if text[end : end + 1] not in ("+", "$", "*"):
            return end
        suffix = SPECIAL_SUFFIX.match(text, end)
        if suffix is None or (suffix.group() == "*" and text[start - 1 : start] == "*"):
            return end
        return suffix.end()

    def _lists(self, text: str) -> list[tuple[int, int, str]]:
        """Items of an English list after 如/例如/包括 (cues.json ``list_markers``): ``基线方法（如
        PromptEOL, Echo, Last-Token）``. The items are names when another item of the list is one
        by morphology or the gazetteer (``Echo`` beside ``PromptEOL``)."""
        spans = []
        for match in self.list_pattern.finditer(text):
            items = [(m.start() + match.start(1), m.end() + match.start(1), m.group()) for m in ITEM.finditer(match.group(1))]
            named = [item for item in items if is_name_token(item[2], self.lexicon) or self.lexicon.lookup(item[2])]
            if len(items) >= 2 and named:
                spans += [(start, end, "list") for start, end, item in items if item[:1].isupper() and not is_modifier(item, self.lexicon)]
        return spans

    def _name_runs(self, text: str) -> list[tuple[int, int, str]]:
        runs = []
        for match in re.finditer(rf"(?<![A-Za-z0-9.\-_]){WORD}", text):
            suffixed = text[match.end() : match.end() + 1] in ("+", "$", "*") and match.group()[:1].isupper() and SPECIAL_SUFFIX.match(text, match.end()) is not None
            if is_name_token(match.group(), self.lexicon) or suffixed:
                rule = "name"  # Qwen2.5-VL, HardClip; a capitalised word with a suffix: Foo++
            elif is_plain_compound(match.group(), self.lexicon):
                rule = "compound"
            else:
                continue
            start, end = match.span()
            # Continue over a version or size written after a space: AIME 2025, Wan 2.2 TI2V 5B.
            while True:
                nxt = re.match(rf" ({WORD})", text[end:])
                if not nxt or not (CONTINUATION.match(nxt.group(1)) or nxt.group(1) in self.lexicon.variant_suffixes):
                    break
                if text[end - 1].isdigit() and NUMBER.fullmatch(nxt.group(1)):
                    break  # a number after a version is a score: GPT-5 34.7
                end += nxt.end()
            runs.append((start, end, rule))
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

    def _pairs(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """Both sides of abbreviation pairs, and the English side of a translation when it is a
        phrase holding a name (``上下文分布匹配蒸馏（Contextual DMD）``)."""
        spans = []
        for long, short, kind in doc._.alias_pairs or ():
            if kind == "abbreviation":
                spans += [(*long, "pair"), (*short, "pair")]
            elif self._names_a_thing(text[short[0] : short[1]]):
                spans.append((*short, "pair"))
        return spans

    def _names_a_thing(self, phrase: str) -> bool:
        """A phrase of capitalised words or names, no generic term among them, one of them a
        specific name: ``Contextual DMD``, ``Vanilla LoRA``; not ``Speech LLMs``, ``MoE + MTP``,
        ``RL Post-training for LLMs``."""
        words = phrase.split()
        if len(words) < 2 or not all(ENGLISH_WORD.match(word) for word in words):
            return False
        if any(self.lexicon.is_generic(word) for word in words):
            return False
        named = [w for w in words if is_name_token(w, self.lexicon) or (self.lexicon.lookup(w) and not CAPITALISED_WORD.match(w))]
        return bool(named) and all(w in named or CAPITALISED_WORD.match(w) for w in words)

    def _bold(self, text: str, section_bounds: tuple = ()) -> list[tuple[int, int, str]]:
        spans = []
        headings = {start for start, _end, _section in bold_headings(text, section_bounds)}
        for match in BOLD.finditer(text):
            inner = match.group(1).strip()
            # An English name, possibly followed by a bracketed gloss: **Video-MME**, **WebShop (网页购物)**.
            name = re.match(rf"{WORD}(?: {WORD}){{0,5}}", inner)
            if name and re.search(r"[A-Z]", name.group()):
                start = match.start(1) + match.group(1).index(name.group())
                spans.append((start, start + len(name.group()), "bold"))
            heading = BOLD_TRANSLATION.match(match.group(1))
            if heading and re.search(r"[A-Z]", heading.group(1)) and match.start(1) in headings:
                spans.append((match.start(1) + heading.start(1), match.start(1) + heading.end(1), "heading"))
        return spans


@Language.factory(
    "paperkg_mentions",
    requires=["doc._.alias_pairs"],
)
def make_mention_finder(nlp: Language, name: str) -> LexiconUser:
    """A :class:`MentionFinder` of the pipeline's lexicon."""
    return LexiconUser(nlp, MentionFinder)


def longest_spans(spans: list[Span]) -> list[Span]:
    """Overlapping candidates resolved to the longest (spaCy's ``filter_spans``)."""
    return filter_spans(spans)


__all__ = ["CANDIDATES_KEY", "MentionFinder", "bold_headings", "is_modifier", "is_name_token", "is_plain_compound", "longest_spans", "normalize_name", "title_names"]
