"""Where paperkg's data files live."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository's ontology folder: the ontology, SHACL shapes, query library and NLP data.
ONTOLOGY_DIR = PACKAGE_DIR.parent / "ontology"
#: The sample digests bundled as the default input of ``kg build``.
SAMPLES_DIR = PACKAGE_DIR / "data" / "samples"
DEFAULT_OUTPUT_DIR = Path("output")
DEFAULT_GRAPH = DEFAULT_OUTPUT_DIR / "graph.ttl"
