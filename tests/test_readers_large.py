"""A 100 MB digest (issue 7): read by streaming, with every paper. No timing is asserted;
the file is generated once (a few seconds) and read once."""

from __future__ import annotations

import hashlib

from kg.paths import SAMPLES_DIR
from kg.readers import read_inputs

HF_SAMPLE = SAMPLES_DIR / "000_366ed5b06f03b68f.txt"
SIZE = 100 * 2**20


def test_100_mb_report_reads_all_papers(tmp_path):
    sample = HF_SAMPLE.read_bytes()
    copies = SIZE // len(sample) + 1
    path = tmp_path / "big-report.txt"
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        for _ in range(copies):
            handle.write(sample)
            digest.update(sample)
    assert path.stat().st_size >= SIZE

    result = read_inputs([tmp_path])

    info, = result.files
    assert info.sha256 == digest.hexdigest() and info.format == "hf-daily" and info.papers == 47
    assert len(result.papers) == 47 and result.diagnostics == []
    lines_per_copy = sample.count(b"\n")
    for paper in result.papers:
        assert len(paper.sources) == copies
        first = paper.sources[0].line
        assert [ref.line for ref in paper.sources] == [first + k * lines_per_copy for k in range(copies)]
        assert len(paper.sections) == 5 and all(paper.sections.values())
        assert paper.alternative_titles == ()
