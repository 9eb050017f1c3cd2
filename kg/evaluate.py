"""Scoring of a built graph against gold entity annotations (../shared/eval/README.md).

Per paper, the system's entities are the nodes the paper links to with proposes,
evaluatesOn, comparesWith or uses, each with its classes, labels (rdfs:label,
skos:prefLabel, skos:altLabel) and relation. Names match after :func:`normalize_name`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.domain import ENTITY_CLASSES, RELATIONS
from kg.namespaces import PKG
from kg.nlp.lexicon import normalize_name

#: Gold role -> graph relation.
#: The kinds of error --explain lists, in this order.
ERROR_KINDS = ("miss", "false", "type", "role")
ROLE_RELATIONS = {"proposed": "proposes", "evaluated_on": "evaluatesOn", "compared": "comparesWith", "used": "uses"}

#: Paper -> the file name of each digest it was read from (``pkg:source`` / ``pkg:fileName``).
SOURCE_FILES_QUERY = """
SELECT ?id ?file WHERE { ?paper pkg:arxivId ?id ; pkg:source ?digest . ?digest pkg:fileName ?file }
"""

SYSTEM_ENTITIES_QUERY = """
SELECT ?id ?entity ?relation ?class ?label WHERE {
  VALUES ?relation { %s }
  ?paper pkg:arxivId ?id ; ?relation ?entity .
  ?entity a ?class .
  VALUES ?class { %s }
  { ?entity rdfs:label ?label } UNION { ?entity skos:prefLabel ?label } UNION { ?entity skos:altLabel ?label }
}
""" % (" ".join(f"pkg:{r}" for r in RELATIONS), " ".join(f"pkg:{c}" for c in ENTITY_CLASSES))


@dataclass
class SystemEntity:
    iri: str
    labels: set[str] = field(default_factory=set)  # normalised
    types: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
    display: str = ""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class SourceScores:
    """Typed counts and roles of the papers read from one digest file."""

    typed: Counts = field(default_factory=Counts)
    role_correct: int = 0
    role_total: int = 0
    papers: int = 0

    @property
    def role_accuracy(self) -> float:
        return self.role_correct / self.role_total if self.role_total else 0.0

    def as_dict(self) -> dict:
        return {"papers": self.papers, "typed": self.typed.as_dict(), "role_accuracy": round(self.role_accuracy, 4), "role_total": self.role_total}


@dataclass(frozen=True)
class ScoringError:
    """One error for --explain: ``kind`` is miss, false, type or role; ``entity_class`` the
    gold class (the system's for a false hit)."""

    paper: str
    kind: str
    entity_class: str
    text: str


@dataclass
class Scores:
    untyped: Counts = field(default_factory=Counts)
    typed: Counts = field(default_factory=Counts)
    per_class: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in ENTITY_CLASSES})
    #: digest file name -> scores of the gold papers read from it.
    per_source: dict[str, SourceScores] = field(default_factory=dict)
    role_correct: int = 0
    role_total: int = 0
    missing_papers: list[str] = field(default_factory=list)
    #: every error, paper by paper in gold order, for --explain.
    error_list: list[ScoringError] = field(default_factory=list)

    @property
    def role_accuracy(self) -> float:
        return self.role_correct / self.role_total if self.role_total else 0.0

    @property
    def errors(self) -> dict[str, list[tuple[str, str]]]:
        """paper id -> list of (kind, text) lines."""
        by_paper: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for error in self.error_list:
            by_paper[error.paper].append((error.kind, error.text))
        return by_paper

    def as_dict(self) -> dict:
        return {
            "untyped": self.untyped.as_dict(),
            "typed": self.typed.as_dict(),
            "per_class": {c: counts.as_dict() for c, counts in self.per_class.items()},
            "per_source": {name: source.as_dict() for name, source in sorted(self.per_source.items())},
            "role_accuracy": round(self.role_accuracy, 4),
            "role_total": self.role_total,
            "missing_papers": self.missing_papers,
        }


def read_gold(path: str | Path) -> list[dict]:
    """Gold records, one JSON object per line (blank lines ignored)."""
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a JSON object ({exc.msg})") from None
    return records


def system_entities(graph: Graph) -> dict[str, dict[str, SystemEntity]]:
    """paper arXiv id -> entity IRI -> what the graph says of it."""
    papers: dict[str, dict[str, SystemEntity]] = defaultdict(dict)
    for row in graph.query(SYSTEM_ENTITIES_QUERY, initNs={"pkg": PKG, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#"}):
        entity = papers[str(row.id)].setdefault(str(row.entity), SystemEntity(str(row.entity)))
        entity.labels.add(normalize_name(str(row.label)))
        entity.types.add(str(row["class"]).rsplit("#", 1)[-1])
        entity.relations.add(str(row.relation).rsplit("#", 1)[-1])
        if not entity.display or str(row.label) < entity.display:
            entity.display = str(row.label)
    return papers


def source_files(graph: Graph) -> dict[str, str]:
    """paper arXiv id -> the name of the (first, by name) digest file it was read from."""
    files: dict[str, str] = {}
    for row in graph.query(SOURCE_FILES_QUERY, initNs={"pkg": PKG}):
        paper, name = str(row.id), str(row.file)
        if paper not in files or name < files[paper]:
            files[paper] = name
    return files


def evaluate(graph: Graph, gold: list[dict]) -> Scores:
    """Score ``graph`` against ``gold`` records as ../shared/eval/README.md defines."""
    scores = Scores()
    system = system_entities(graph)
    known_papers = {str(o) for o in graph.objects(None, PKG.arxivId)}
    files = source_files(graph)
    for record in gold:
        paper = record["paper"]
        if paper not in known_papers:
            scores.missing_papers.append(paper)
        source = scores.per_source.setdefault(files.get(paper, "(not in the graph)"), SourceScores())
        source.papers += 1
        before = (scores.typed.tp, scores.typed.fp, scores.typed.fn, scores.role_correct, scores.role_total)
        _score_paper(scores, paper, record["entities"], list(system.get(paper, {}).values()))
        after = (scores.typed.tp, scores.typed.fp, scores.typed.fn, scores.role_correct, scores.role_total)
        tp, fp, fn, correct, total = (b - a for a, b in zip(before, after))
        source.typed.tp += tp
        source.typed.fp += fp
        source.typed.fn += fn
        source.role_correct += correct
        source.role_total += total
    return scores


def _score_paper(scores: Scores, paper: str, gold: list[dict], found: list[SystemEntity]) -> None:
    def explain_error(kind: str, entity_class: str, text: str) -> None:
        scores.error_list.append(ScoringError(paper, kind, entity_class, text))

    def names(g: dict) -> set[str]:
        return {normalize_name(g["name"]), *(normalize_name(a) for a in g.get("aliases", []))}

    def matches(s: SystemEntity, g: dict) -> bool:
        return bool(s.labels & names(g))

    def type_ok(s: SystemEntity, g: dict) -> bool:
        return bool(s.types & {g["type"], *g.get("alt_types", [])})

    required = [g for g in gold if not g.get("optional")]
    for g in required:
        matched = [s for s in found if matches(s, g)]
        typed = [s for s in matched if type_ok(s, g)]
        if matched:
            scores.untyped.tp += 1
            scores.role_total += 1
            if any(ROLE_RELATIONS[g["role"]] in s.relations for s in matched):
                scores.role_correct += 1
            else:
                got = ",".join(sorted(set().union(*(s.relations for s in matched))))
                explain_error("role", g["type"], f"{g['name']}: {got}, gold {ROLE_RELATIONS[g['role']]}")
        else:
            scores.untyped.fn += 1
        if typed:
            scores.typed.tp += 1
            scores.per_class[g["type"]].tp += 1
        else:
            scores.typed.fn += 1
            scores.per_class[g["type"]].fn += 1
            if matched:
                got = ",".join(sorted(set().union(*(s.types for s in matched))))
                explain_error("type", g["type"], f"{g['name']}: {got}, gold {g['type']}")
            else:
                explain_error("miss", g["type"], f"{g['name']} ({g['type']})")
    for s in found:
        gold_matched = [g for g in gold if matches(s, g)]
        if not gold_matched:
            scores.untyped.fp += 1
            scores.typed.fp += 1
            for t in s.types & set(scores.per_class):
                scores.per_class[t].fp += 1
            explain_error("false", min(s.types), f"{s.display} ({','.join(sorted(s.types))})")
            continue
        required_matched = [g for g in gold_matched if not g.get("optional")]
        if required_matched and not any(type_ok(s, g) for g in required_matched):
            scores.typed.fp += 1
            for t in s.types & set(scores.per_class):
                scores.per_class[t].fp += 1


def format_scores(scores: Scores, explain: bool = False) -> str:
    """The figures as a table, optionally followed by each paper's errors."""
    lines = [f"{'':<12}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}"]

    def row(name: str, c: Counts) -> str:
        return f"{name:<12}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}"

    lines.append(row("untyped", scores.untyped))
    lines.append(row("typed", scores.typed))
    for name, counts in scores.per_class.items():
        lines.append(row(f"  {name}", counts))
    lines.append(f"role accuracy {scores.role_accuracy:.3f} ({scores.role_correct}/{scores.role_total})")
    lines.append(f"papers missing from the graph: {len(scores.missing_papers)}" + (f" ({', '.join(scores.missing_papers)})" if scores.missing_papers else ""))
    if len(scores.per_source) > 1:
        lines.append(f"\n{'source file':<44}{'papers':>7}{'P':>7}{'R':>7}{'F1':>7}{'role':>7}")
        for name, source in sorted(scores.per_source.items()):
            c = source.typed
            lines.append(f"{name[:43]:<44}{source.papers:>7}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{source.role_accuracy:>7.3f}")
    if explain:
        lines.append("\nerrors by class (type: the gold class; false: the system's class)")
        for entity_class in sorted({e.entity_class for e in scores.error_list}):
            errors = [e for e in scores.error_list if e.entity_class == entity_class]
            kinds = Counter(e.kind for e in errors)
            lines.append(f"\n{entity_class}: " + ", ".join(f"{kind} {kinds[kind]}" for kind in ERROR_KINDS if kinds[kind]))
            for kind in ERROR_KINDS:
                lines += [f"  {kind:<6}{e.paper:<13}{e.text}" for e in errors if e.kind == kind]
        lines.append("\nerrors by paper")
        errors = scores.errors
        for paper in sorted(errors):
            lines.append(f"\n{paper}")
            lines += [f"  {kind:<6}{text}" for kind, text in errors[paper]]
    return "\n".join(lines)
