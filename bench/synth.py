"""Synthetic digest corpora of any size, in both input formats, for benchmarks.

The generator learns from the bundled sample digests (``kg/data/samples/``):

* the **layouts** of the Hugging Face Daily Papers reports, paper by paper (``### 1. 应用领域``,
  ``1. **应用领域**：``, ``## 1. 应用领域``, an extra ``# 论文阅读报告：<title>`` line, ...), and the
  arXiv daily list layout (front matter, ``## Updated on``, one markdown table per topic);
* **sentences** per summary section and from the arXiv abstracts, with every English entity
  name in them turned into a slot typed by the name's shape (model, benchmark, dataset, method).

Each synthetic paper reuses one real layout and fills it with recombined sentences whose slots
are filled with names from a generated vocabulary, drawn with a Zipf law (s = 1.0), so that
extraction and entity resolution do real work. Synthetic arXiv ids start with ``9``
(``9000.00042``) and never clash with real ones. Output is deterministic for a seed (each paper
has its own random stream) and written as a stream: memory stays bounded by one output file.

Usage::

    python -m bench.synth --papers 10000 --out /tmp/synth10k [--seed 0] [--hf-share 0.2]

writes ``DIR/digests/*.txt`` (the build input) and ``DIR/manifest.json`` (counts and ids).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.io import atomic_write_bytes
from kg.paths import SAMPLES_DIR

DATA_DIR = Path(__file__).resolve().parent / "data"

SECTION_KEYS = {
    "应用领域": "application_area",
    "一句话核心贡献": "core_contribution",
    "使用指南": "usage_guide",
    "主要创新点": "innovations",
    "实验效果": "experimental_results",
}
SEPARATOR = "=" * 60
HF_PAPER_HEADING = "## 📄 "
HF_LINK_PREFIX = "- **链接**: https://huggingface.co/papers/"
ARXIV_TABLE_HEAD = (
    "| Publish Date | Title | Code | Abstract |\n"
    "|:---------|:-----------------------|:------|:-------------------------------------------------|\n"
)
ARXIV_ROW = re.compile(
    r"^\|\*\*(?P<date>\d{4}-\d{2}-\d{2})\*\*\|\[(?P<title>.*)\]\(http://arxiv\.org/abs/(?P<id>[^)]+)\)\|"
    r"(?P<code>null|\*\*\[link\]\((?P<code_url>[^)]*)\)\*\*)\|(?P<abstract>.*)\|$"
)
NAME_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?![A-Za-z0-9])")
URL = re.compile(r"https?://[A-Za-z0-9_~:/?#@!$&'*+=%.-]*[A-Za-z0-9_/]")
GITHUB_URL = re.compile(r"https?://github\.com/[A-Za-z0-9_~:/?#@!$&'*+=%.-]*[A-Za-z0-9_/]")
SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
#: A summary line's markdown lead: indent, bullet or number, and an optional bold label with colon.
LINE_LEAD = re.compile(r"^(\s*(?:[*+-]\s+|\d+\.\s+)?(?:\*\*[^*\n]{1,30}\*\*\s*[：:])?\s*)")
ZIPF_S = 1.0
KINDS = ("model", "benchmark", "dataset", "method")


# --------------------------------------------------------------------------- sample analysis

@dataclass(frozen=True)
class Slot:
    """A place in a sentence where an entity name goes."""

    original: str  # the real name it replaces (same original -> same synthetic name in a paper)
    kind: str


Template = tuple  # tuple[str | Slot, ...]


@dataclass
class HFLayout:
    """One real HF paper block: fixed lines and text lines to refill, by section."""

    #: (fixed line, None, 0) or ((lead,), section key, sentences to write after the lead)
    lines: list[tuple[Template, str | None, int]]
    title: str


@dataclass
class SampleModel:
    """Everything the generator learned from the samples."""

    hf_layouts: list[HFLayout] = field(default_factory=list)
    sentences: dict[str, list[Template]] = field(default_factory=dict)  # by section key
    abstract_sentences: list[Template] = field(default_factory=list)
    #: Sentences with a ``{URL}`` slot for a code repository, by origin: "hf" or "abstract".
    code_sentences: dict[str, list[Template]] = field(default_factory=lambda: {"hf": [], "abstract": []})
    titles: list[Template] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    generic: frozenset[str] = frozenset()


def _is_name(token: str, generic: frozenset[str]) -> bool:
    """Does an ASCII token look like an entity name (capitals inside, or letters with digits)?"""
    if token in generic or len(token) < 2:
        return False
    parts = re.split(r"[-.]", token)
    for part in parts:
        uppers = sum(ch.isupper() for ch in part)
        if uppers >= 2 or (uppers and any(ch.isdigit() for ch in part)):
            return True
    return any(ch.isdigit() for ch in token) and any(ch.isupper() for ch in token)


def _kind_of(name: str) -> str:
    """Guess the entity type of a real name from its shape."""
    if re.search(r"Bench|Eval|QA|Arena|MMLU|GSM|MATH|AIME|HumanEval|-\d{3}$", name):
        return "benchmark"
    if re.search(r"\d+(?:\.\d+)?[BM]\b|-(?:VL|Instruct|Chat|R1|Coder)|^(?:Qwen|LLaMA|Llama|GPT|Gemini|Claude|DeepSeek)", name):
        return "model"
    if re.search(r"Data|Corpus|Set\b|-\d+[KM]$|COCO|ImageNet|Pile", name):
        return "dataset"
    return "method"


def _template(text: str, generic: frozenset[str]) -> Template:
    """Split text into literal parts and name slots."""
    parts: list[str | Slot] = []
    pos = 0
    for match in NAME_TOKEN.finditer(text):
        token = match.group()
        if _is_name(token, generic):
            parts.append(text[pos:match.start()])
            parts.append(Slot(token, _kind_of(token)))
            pos = match.end()
    parts.append(text[pos:])
    return tuple(p for p in parts if p != "")


def _sentences(text: str) -> list[str]:
    return [s for s in (m.group().strip() for m in SENTENCE.finditer(text)) if s]


def _balanced(sentence: str) -> bool:
    return sentence.count("**") % 2 == 0 and sentence.count("`") % 2 == 0 and sentence.count("$") % 2 == 0


def load_sample_model(samples_dir: Path = SAMPLES_DIR) -> SampleModel:
    """Read the sample digests and collect layouts, sentence templates, titles and topics."""
    generic = frozenset(
        line.strip() for line in (DATA_DIR / "generic_terms.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    model = SampleModel(generic=generic, sentences={key: [] for key in SECTION_KEYS.values()})
    seen: set[tuple[str, str]] = set()

    def add(pool: list[Template], sentence: str, key: str) -> None:
        if (key, sentence) in seen or not _balanced(sentence):
            return
        seen.add((key, sentence))
        if GITHUB_URL.search(sentence):
            origin = "abstract" if key == "abstract" else "hf"
            model.code_sentences[origin].append(_template(GITHUB_URL.sub("{URL}", sentence), generic))
        elif not URL.search(sentence):
            pool.append(_template(sentence, generic))

    for path in sorted(samples_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("# Hugging Face Daily Papers Report"):
            for block in text.split("\n" + HF_PAPER_HEADING)[1:]:
                model.hf_layouts.append(_hf_layout(HF_PAPER_HEADING + block, model, add))
        else:
            topic = None
            for line in text.splitlines():
                if line.startswith("## ") and not line.startswith("## Updated"):
                    topic = line[3:].strip()
                    if topic not in model.topics:
                        model.topics.append(topic)
                row = ARXIV_ROW.match(line)
                if row and topic:
                    model.titles.append(_template(row["title"], generic))
                    for sentence in _sentences(row["abstract"]):
                        add(model.abstract_sentences, sentence, "abstract")
    return model


def _hf_layout(block: str, model: SampleModel, add) -> HFLayout:
    """One paper block of an HF report as a layout: fixed lines (templates) and text lines."""
    lines = block.rstrip("\n").split("\n")
    title = lines[0][len(HF_PAPER_HEADING):].strip()
    model.titles.append(_template(title, model.generic))
    out: list[tuple[Template, str | None, int]] = []
    section: str | None = None
    for line in lines[1:]:
        stripped = line.strip()
        if not stripped or stripped == SEPARATOR or line.startswith("- **"):
            out.append(((line,), None, 0))
            continue
        lead = LINE_LEAD.match(line).group(1)
        rest = line[len(lead):]
        head = stripped if stripped.startswith("#") else lead
        for heading, key in SECTION_KEYS.items():
            if heading in head:
                section = key
        if stripped.startswith("#") or section is None or not rest.strip():
            out.append((_template(line.replace(title, "{TITLE}"), model.generic), None, 0))
            continue
        found = _sentences(rest)
        for sentence in found:
            add(model.sentences[section], sentence, section)
        out.append(((lead,), section, min(max(len(found), 1), 4)))
    return HFLayout(lines=out, title=title)


# --------------------------------------------------------------------------- vocabulary

class Vocabulary:
    """Generated entity names per kind, drawn with a Zipf law over their rank."""

    def __init__(self, size_per_kind: int, seed: int) -> None:
        spec = json.loads((DATA_DIR / "synth_vocab.json").read_text(encoding="utf-8"))
        self.spec = spec
        rng = random.Random(f"vocab:{seed}")
        used: set[str] = set()
        self.names: dict[str, list[str]] = {}
        for kind in KINDS:
            names: list[str] = []
            while len(names) < size_per_kind:
                name = self._make(kind, spec, rng)
                key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                if key not in used:
                    used.add(key)
                    names.append(name)
            self.names[kind] = names
        weights = list(itertools.accumulate(1.0 / rank**ZIPF_S for rank in range(1, size_per_kind + 1)))
        self._cum = weights

    @staticmethod
    def _word(spec: dict, rng: random.Random) -> str:
        return "".join(rng.choice(spec["syllables"]) for _ in range(rng.choice((2, 2, 3)))).capitalize()

    def _make(self, kind: str, spec: dict, rng: random.Random) -> str:
        word = self._word(spec, rng)
        if kind == "model":
            return word + rng.choice(spec["model_versions"]) + rng.choice(spec["model_suffixes"]) + rng.choice(spec["model_sizes"])
        acro = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXZ") for _ in range(rng.randint(3, 5)))
        pattern = rng.choice(spec[f"{kind}_patterns"])
        return pattern.format(
            Word=word, WORD=word.upper(), Word2=self._word(spec, rng), ACRO=acro,
            year=rng.choice(spec["years"]), num=rng.choice((100, 200, 500, 1000)),
            k=rng.randint(10, 999), m=rng.randint(1, 20),
        )

    def draw(self, kind: str, rng: random.Random) -> str:
        """A name of ``kind``, popular ones far more often (Zipf, s = 1.0)."""
        index = bisect.bisect_left(self._cum, rng.random() * self._cum[-1])
        return self.names[kind][min(index, len(self._cum) - 1)]

    def rare(self, kind: str, rng: random.Random) -> str:
        """A name of ``kind`` drawn uniformly: mostly from the long tail (a paper's new method)."""
        return rng.choice(self.names[kind])


# --------------------------------------------------------------------------- papers

@dataclass(frozen=True)
class SynthPaper:
    """One synthetic paper, rendered in the format(s) it appears in."""

    index: int
    arxiv_id: str
    date: dt.date
    hf: bool
    in_arxiv: bool
    topics: tuple[str, ...]
    title: str
    code_url: str | None
    hf_block: str | None
    abstract: str | None


def synthetic_id(index: int) -> str:
    """The arXiv-like id of paper ``index``: ``9000.00000`` upwards, never a real id."""
    return f"9{index // 100000:03d}.{index % 100000:05d}"


class Generator:
    """Renders synthetic papers from a sample model and a vocabulary."""

    def __init__(self, papers: int, seed: int = 0, hf_share: float = 0.2,
                 start: dt.date = dt.date(2025, 1, 1), model: SampleModel | None = None) -> None:
        self.papers = papers
        self.seed = seed
        self.hf_share = hf_share
        self.start = start
        self.model = model or load_sample_model()
        self.vocab = Vocabulary(max(100, papers // 8), seed)

    def _fill(self, template: Template, names: dict[str, str], rng: random.Random, url: str = "") -> str:
        out = []
        for part in template:
            if isinstance(part, Slot):
                if part.original not in names:
                    names[part.original] = self.vocab.draw(part.kind, rng)
                out.append(names[part.original])
            else:
                out.append(part.replace("{URL}", url) if url else part)
        return "".join(out)

    def _text(self, pool: list[Template], count: int, names: dict[str, str], rng: random.Random) -> str:
        return "".join(self._fill(rng.choice(pool), names, rng) for _ in range(count))

    def paper(self, index: int) -> SynthPaper:
        """Render paper ``index`` (independent of every other paper: its own random stream)."""
        rng = random.Random(f"paper:{self.seed}:{index}")
        model = self.model
        date = self.start + dt.timedelta(days=index * 365 // max(self.papers, 1))
        hf = rng.random() < self.hf_share
        in_arxiv = not hf or rng.random() < 0.03
        topics = (rng.choice(model.topics),)
        if in_arxiv and rng.random() < 0.07:
            topics = tuple(sorted({topics[0], rng.choice(model.topics)}, key=model.topics.index))
        names: dict[str, str] = {}
        proposed = self.vocab.rare(rng.choice(("method", "model", "benchmark", "dataset")), rng)
        base = self._fill(rng.choice(model.titles), names, rng)
        title = f"{proposed}: {base.split(': ', 1)[-1]}"
        has_code = rng.random() < 0.15
        code_url = None
        if has_code:
            owner = Vocabulary._word(self.vocab.spec, rng).lower()
            code_url = f"https://github.com/{owner}-lab/{re.sub(r'[^A-Za-z0-9.-]+', '-', proposed)}"
        hf_block = self._hf_block(title, index, names, rng, code_url) if hf else None
        abstract = None
        if in_arxiv:
            abstract = f"本文提出了{proposed}。" + self._text(model.abstract_sentences, rng.randint(4, 8), names, rng)
            if code_url and rng.random() < 0.5:
                abstract += self._fill(rng.choice(model.code_sentences["abstract"]), names, rng, code_url)
        return SynthPaper(index, synthetic_id(index), date, hf, in_arxiv, topics, title, code_url, hf_block, abstract)

    def _hf_block(self, title: str, index: int, names: dict[str, str], rng: random.Random, code_url: str | None) -> str:
        layout = rng.choice(self.model.hf_layouts)
        lines = [HF_PAPER_HEADING + title]
        code_done = code_url is None
        for template, section, count in layout.lines:
            if section is None:
                text = self._fill(template, names, rng)
                if text.startswith(HF_LINK_PREFIX):
                    text = HF_LINK_PREFIX + synthetic_id(index)
                lines.append(text.replace("{TITLE}", title))
                continue
            text = template[0]
            body = self._text(self.model.sentences[section], count, names, rng)
            if not code_done and section == "usage_guide":
                body += self._fill(rng.choice(self.model.code_sentences["hf"]), names, rng, code_url)
                code_done = True
            lines.append(text + body)
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- writing

def _hf_report(date: dt.date, blocks: list[str]) -> str:
    head = (f"# Hugging Face Daily Papers Report\n**Date**: {date}\n"
            f"**Source URL**: https://huggingface.co/papers/date/{date}\n\n{SEPARATOR}\n\n")
    return head + "\n".join(blocks)


def _arxiv_list(papers: list[SynthPaper], topics: list[str]) -> str:
    updated = max(p.date for p in papers) + dt.timedelta(days=1)
    out = [f"---\nlayout: default\n---\n\n## Updated on {updated:%Y.%m.%d}\n"
           "> Usage instructions: [here](./docs/README.md#usage)\n\n"]
    for topic in topics:
        rows = [p for p in papers if topic in p.topics]
        if not rows:
            continue
        out.append(f"## {topic}\n\n{ARXIV_TABLE_HEAD}")
        for p in sorted(rows, key=lambda p: (p.date, p.index), reverse=True):
            code = f"**[link]({p.code_url})**" if p.code_url else "null"
            out.append(f"|**{p.date}**|[{p.title}](http://arxiv.org/abs/{p.arxiv_id})|{code}|{p.abstract}|\n")
        out.append("\n")
    return "".join(out)


@dataclass
class Manifest:
    """What a generated corpus holds."""

    papers: int
    seed: int
    hf_share: float
    hf_papers: int = 0
    arxiv_papers: int = 0
    arxiv_rows: int = 0
    both_formats: int = 0
    code_links: int = 0
    arxiv_code_links: int = 0  # papers whose arXiv row has a link in the Code column
    files: list[str] = field(default_factory=list)
    first_id: str = ""
    last_id: str = ""


def generate(papers: int, out_dir: Path, seed: int = 0, hf_share: float = 0.2,
             file_papers: int = 2000) -> Manifest:
    """Write a synthetic corpus of ``papers`` distinct papers to ``out_dir/digests/``.

    HF reports are written one per report date; arXiv lists hold about ``file_papers`` papers
    each. Writes ``out_dir/manifest.json`` and returns the same figures.
    """
    digests = Path(out_dir) / "digests"
    digests.mkdir(parents=True, exist_ok=True)
    for old in digests.glob("*.txt"):
        old.unlink()
    gen = Generator(papers, seed, hf_share)
    manifest = Manifest(papers=papers, seed=seed, hf_share=hf_share,
                        first_id=synthetic_id(0), last_id=synthetic_id(max(papers - 1, 0)))
    hf_day: dt.date | None = None
    hf_blocks: list[str] = []
    arxiv_batch: list[SynthPaper] = []

    def write(name: str, text: str) -> None:
        atomic_write_bytes(digests / name, text.encode("utf-8"))
        manifest.files.append(name)

    def flush_hf() -> None:
        if hf_blocks:
            write(f"hf-daily-{hf_day}.txt", _hf_report(hf_day, hf_blocks))
            hf_blocks.clear()

    def flush_arxiv() -> None:
        if arxiv_batch:
            write(f"arxiv-daily-{len([f for f in manifest.files if f.startswith('arxiv')]):04d}.txt",
                  _arxiv_list(arxiv_batch, gen.model.topics))
            arxiv_batch.clear()

    for index in range(papers):
        paper = gen.paper(index)
        manifest.code_links += paper.code_url is not None
        if paper.hf:
            if paper.date != hf_day:
                flush_hf()
                hf_day = paper.date
            hf_blocks.append(paper.hf_block)
            manifest.hf_papers += 1
        if paper.in_arxiv:
            arxiv_batch.append(paper)
            manifest.arxiv_papers += 1
            manifest.arxiv_rows += len(paper.topics)
            manifest.both_formats += paper.hf
            manifest.arxiv_code_links += paper.code_url is not None
            if len(arxiv_batch) >= file_papers:
                flush_arxiv()
    flush_hf()
    flush_arxiv()
    atomic_write_bytes(Path(out_dir) / "manifest.json",
                       (json.dumps(manifest.__dict__, indent=1, sort_keys=True) + "\n").encode())
    return manifest


def iter_ids(manifest: Manifest) -> Iterator[str]:
    """Every paper id of a generated corpus."""
    return (synthetic_id(i) for i in range(manifest.papers))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, required=True, help="number of distinct papers")
    parser.add_argument("--out", type=Path, required=True, help="output folder (digests/ and manifest.json)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hf-share", type=float, default=0.2, help="share of papers in HF reports")
    parser.add_argument("--file-papers", type=int, default=2000, help="papers per arXiv list file")
    args = parser.parse_args(argv)
    if args.papers < 1 or not 0 <= args.hf_share <= 1:
        parser.error("--papers must be >= 1 and --hf-share within [0, 1]")
    manifest = generate(args.papers, args.out, args.seed, args.hf_share, args.file_papers)
    print(f"{manifest.papers} papers ({manifest.hf_papers} HF, {manifest.arxiv_papers} arXiv, "
          f"{manifest.both_formats} in both) in {len(manifest.files)} files under {args.out / 'digests'}")


if __name__ == "__main__":
    main()
