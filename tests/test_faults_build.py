"""Faulty inputs and outputs end to end through ``kg build`` (issue 7).

Every fault: the build goes on with every valid paper, reports each skipped or repaired item
with file and line, ends with the ``N papers, K skipped: ...`` summary, and exits non-zero
only when nothing usable was read (or with --strict when anything was skipped). User
mistakes give a one-line ``Error: ...`` and no traceback.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal

from kg.namespaces import PKG
from kg.paths import SAMPLES_DIR

HF_SAMPLE = SAMPLES_DIR / "000_366ed5b06f03b68f.txt"
READER_DATA = Path(__file__).parent / "data" / "readers"
PAPER_SEPARATOR = "\n## 📄 "


def hf_slice(count: int, *, renumber: str | None = None) -> str:
    """The header and first ``count`` papers of the HF sample; ``renumber`` replaces the
    ``2602.`` id prefix so the papers are new ones."""
    text = PAPER_SEPARATOR.join(HF_SAMPLE.read_text(encoding="utf-8").split(PAPER_SEPARATOR)[: count + 1])
    return text.replace("/2602.", f"/{renumber}.") if renumber else text


def kg_build(*args: str | Path) -> Result:
    """``kg build ARGS`` in this process (click's runner): stdout and stderr apart."""
    from kg.cli import main

    return CliRunner().invoke(main, ["build", *map(str, args)])


def assert_user_error(result: Result, *needles: str) -> None:
    """A one-line ``Error: ...`` on stderr naming the problem, non-zero exit, no traceback."""
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


def paper_ids(out: Path) -> set[str]:
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    return {str(o) for o in graph.objects(None, PKG.arxivId)}


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A valid three-paper HF digest."""
    path = tmp_path_factory.mktemp("good") / "good.txt"
    path.write_text(hf_slice(3), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def good_ids(good, tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("good-out")
    result = kg_build(good, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3 papers, 0 skipped"
    return paper_ids(out)


def test_empty_file_is_noted_and_the_rest_built(tmp_path, good, good_ids):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = kg_build(good, empty, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert f"note: {empty}:0: empty file; skipped" in result.stderr
    assert result.stdout.strip() == "3 papers, 0 skipped"
    assert paper_ids(tmp_path / "out") == good_ids


def test_only_empty_input_is_an_error_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = kg_build(empty, "-o", tmp_path / "out")
    assert_user_error(result, "no paper could be read", f"{empty}:0: empty file")
    assert not (tmp_path / "out").exists()


def test_binary_file_is_skipped_and_counted(tmp_path, good, good_ids):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16 + b"\x00" * 512)
    result = kg_build(good, binary, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"3 papers, 1 skipped: {binary}:0: binary file (NUL and control bytes); skipped"
    assert paper_ids(tmp_path / "out") == good_ids
    strict = kg_build("--strict", good, binary, "-o", tmp_path / "strict")
    assert strict.exit_code == 1 and strict.stdout.startswith("3 papers, 1 skipped")


def test_gbk_file_is_read_and_its_encoding_noted(tmp_path, good, good_ids):
    gbk = READER_DATA / "gbk_report.txt"
    result = kg_build(good, gbk, "-o", tmp_path)
    assert result.exit_code == 0
    assert f"note: {gbk}:0: read as GB18030 (GBK)" in result.stderr
    graph = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    assert (None, PKG.title, Literal("一篇 GBK 编码的论文")) in graph
    assert paper_ids(tmp_path) == good_ids | {"2602.00001"}


@pytest.mark.parametrize(
    ("name", "encode", "label"),
    [
        ("utf16le.txt", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "UTF-16 (little-endian"),
        ("utf16be.txt", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "UTF-16 (big-endian"),
        ("bom_crlf.txt", lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"), "UTF-8 with byte-order mark"),
    ],
)
def test_re_encoded_digest_gives_the_same_papers(tmp_path, good, name, encode, label):
    path = tmp_path / name
    path.write_bytes(encode(hf_slice(3)))
    result = kg_build(path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"note: {path}:0: read as {label}" in result.stderr
    assert result.stdout.strip() == "3 papers, 0 skipped"
    reference = kg_build(good, "-o", tmp_path / "ref")
    assert reference.exit_code == 0
    # Same papers, titles and summaries: only the digest node (file name and hash) differs.
    ours, theirs = (Graph().parse(tmp_path / d / "graph.ttl") for d in ("out", "ref"))
    digest_facts = (PKG.fileName, PKG.source, PKG.layout, PKG.textCoverage)
    assert {t for t in ours if t[1] not in digest_facts and PKG.Digest not in t} == {
        t for t in theirs if t[1] not in digest_facts and PKG.Digest not in t
    }


def test_truncated_last_paper_is_kept_and_reported(tmp_path):
    lines = hf_slice(4).splitlines(keepends=True)
    title_line = max(i for i, line in enumerate(lines) if line.startswith("## 📄")) + 1
    cut = next(i for i in range(title_line, len(lines)) if "使用指南" in lines[i]) + 2
    path = tmp_path / "truncated.txt"
    path.write_text("".join(lines[:cut]), encoding="utf-8")
    result = kg_build(path, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert f"repaired: {path}:{cut}: file ends inside the paper of line {title_line} (truncated); kept what was read" in result.stderr
    assert "(cut short)" in result.stderr
    assert result.stdout.strip() == "4 papers, 0 skipped"
    assert len(paper_ids(tmp_path / "out")) == 4


def test_papers_without_link_are_skipped_with_file_and_line(tmp_path, good, good_ids):
    no_link = READER_DATA / "no_link.txt"
    result = kg_build(good, no_link, "-o", tmp_path)
    assert result.exit_code == 0
    summary = result.stdout.strip()
    assert summary.startswith("4 papers, 3 skipped: ")
    assert f"{no_link}:7: paper 'A Paper Without Link' has no link line (- **链接**: URL); skipped" in summary
    assert f"{no_link}:26: paper without a title; skipped" in summary
    assert len(paper_ids(tmp_path) - good_ids) == 1


def test_malformed_and_miscolumned_rows_are_skipped_the_table_read_on(tmp_path):
    bad_rows = READER_DATA / "bad_rows.md"
    result = kg_build(bad_rows, "-o", tmp_path)
    assert result.exit_code == 0
    summary = result.stdout.strip()
    assert summary.startswith("4 papers, 5 skipped: ")
    assert f"{bad_rows}:8: table row has 3 cells, expected 4; skipped" in summary
    assert f"{bad_rows}:9: no valid publish date in the date column" in summary
    assert f"repaired: {bad_rows}:14: code column 'see paper' is neither null nor a link; code link dropped" in result.stderr
    assert {"2510.00001", "2510.00008"} <= paper_ids(tmp_path)


def test_same_paper_in_two_files_newest_title_wins_other_kept(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    text = hf_slice(1)
    title = text.split(PAPER_SEPARATOR)[1].splitlines()[0]
    old.write_text(text.replace("2026-02-07", "2026-02-01").replace(title, "An Older Title"), encoding="utf-8")
    new.write_text(text, encoding="utf-8")
    result = kg_build(new, old, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert f"repaired: {old}:" in result.stderr and f"'An Older Title' differs from {title!r} at {new}:" in result.stderr
    assert result.stdout.strip() == "1 papers, 0 skipped"
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    paper = next(graph.subjects(PKG.arxivId, None))
    assert str(graph.value(paper, PKG.title)) == title
    assert list(graph.objects(paper, PKG.alternativeTitle)) == [Literal("An Older Title")]
    assert {str(graph.value(d, PKG.fileName)) for d in graph.objects(paper, PKG.source)} == {"old.txt", "new.txt"}


def test_100_mb_digest_of_repeated_papers(tmp_path):
    """A scraper stuck in a loop: one 100 MB file repeating the same three papers (~31,000
    times); read as a stream, merged to three papers (keeps the suite fast: extraction runs
    on three papers, not on 100 MB of distinct text)."""
    head, _, body = hf_slice(3).partition(PAPER_SEPARATOR)
    block = (PAPER_SEPARATOR + body).encode("utf-8")
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.write(head.encode("utf-8"))
        for _ in range(100_000_000 // len(block) + 1):
            handle.write(block)
    assert big.stat().st_size > 100_000_000
    result = kg_build(big, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3 papers, 0 skipped"
    assert len(paper_ids(tmp_path / "out")) == 3


def test_folder_with_other_files(tmp_path, good_ids):
    folder = tmp_path / "digests"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "day1.txt").write_text(hf_slice(3), encoding="utf-8")
    (folder / "README.md").write_text("# my digests\n", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(4096) + b"\x00" * 64)
    (folder / ".hidden.txt").write_text(hf_slice(3, renumber="2699"), encoding="utf-8")
    result = kg_build(folder, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert f"note: {folder / 'README.md'}:0: not a digest" in result.stderr
    assert f"note: {folder / 'notes.csv'}:0: not a digest" in result.stderr
    assert result.stdout.strip() == f"3 papers, 1 skipped: {folder / 'photo.jpg'}:0: binary file (NUL and control bytes); skipped"
    assert paper_ids(tmp_path / "out") == good_ids


def test_fifo_in_the_input_is_skipped_not_waited_on(tmp_path, good):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = kg_build(good, fifo, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"3 papers, 1 skipped: {fifo}:0: not a regular file (a FIFO, socket or device); skipped"


def test_missing_path(tmp_path, good):
    missing = tmp_path / "nope.txt"
    alone = kg_build(missing, "-o", tmp_path / "alone")
    assert_user_error(alone, "no paper could be read", f"{missing}:0: no such file or folder")
    assert not (tmp_path / "alone").exists()
    mixed = kg_build(good, missing, "-o", tmp_path / "mixed")
    assert mixed.exit_code == 0
    assert mixed.stdout.strip() == f"3 papers, 1 skipped: {missing}:0: no such file or folder; skipped"
    assert kg_build("--strict", good, missing, "-o", tmp_path / "strict").exit_code == 1


def test_output_under_a_regular_file_is_a_one_line_error(tmp_path, good):
    """Root ignores chmod, so unwritable means: the output's parent is a regular file."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = kg_build(good, "-o", blocker / "out")
    assert_user_error(result, f"cannot write to {blocker / 'out'}: {blocker} is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_output_in_proc_is_a_one_line_error(good):
    """/proc refuses new folders even to root."""
    result = kg_build(good, "-o", "/proc/1/paperkg-out")
    assert_user_error(result, "cannot write to /proc/1/paperkg-out")


def test_output_that_is_a_file_is_a_usage_error(tmp_path, good):
    target = tmp_path / "graph.ttl"
    target.write_text("keep me\n", encoding="utf-8")
    result = kg_build(good, "-o", target)
    assert result.exit_code == 2 and "is a file" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_output_graph_path_that_is_a_folder_is_a_one_line_error(tmp_path, good):
    (tmp_path / "graph.ttl").mkdir()
    result = kg_build(good, "-o", tmp_path)
    assert_user_error(result, f"{tmp_path / 'graph.ttl'}: it is a folder")
    assert (tmp_path / "graph.ttl").is_dir() and not (tmp_path / "graph.html").exists()


def test_second_build_while_one_holds_the_folder_is_refused(tmp_path, good):
    import fcntl

    (tmp_path / ".paperkg").mkdir()
    with open(tmp_path / ".paperkg" / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = kg_build(good, "-o", tmp_path)
    assert_user_error(result, f"{tmp_path} is being written by another kg build")
    assert not (tmp_path / "graph.ttl").exists()


def test_script_in_a_summary_is_escaped_in_the_page(tmp_path):
    """Text from a digest never becomes markup in graph.html."""
    payloads = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>")
    text = hf_slice(2)
    first, second = text.split(PAPER_SEPARATOR)[1:3]
    evil_first = first.replace("\n", f" {payloads[0]}\n", 1).replace("**应用领域**：", f"**应用领域**：{payloads[1]} ", 1)
    text = text.replace(first, evil_first)  # in the title and in a summary section
    text = text.replace(second, second.replace("\n", f" {payloads[1]}\n", 1).replace("**应用领域**：", f"**应用领域**：{payloads[0]} ", 1))
    path = tmp_path / "evil.txt"
    path.write_text(text, encoding="utf-8")
    result = kg_build(path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    literals = " ".join(str(o) for o in graph.objects())
    assert all(payload in literals for payload in payloads)  # the text is kept, as text
    # The page and its data files (titles and summaries are in graph-data/, as escaped JSON).
    files = [tmp_path / "out" / "graph.html", *sorted((tmp_path / "out" / "graph-data").glob("*.js"))]
    written = b"".join(path.read_bytes() for path in files)
    assert b"<script>alert" not in written and b"<img src=x" not in written
    assert b"alert(1)" in written and b"alert(2)" in written
