"""Where paperkg's data files live.

All of them are package data, found through :mod:`importlib.resources`, so an installed
wheel and a source checkout read the same bytes wherever the process runs from.
"""

from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(str(resources.files("kg")))


def _ontology_dir() -> Path:
    """``kg/ontology`` in an installed package (the wheel maps the repository's top-level
    ``ontology/`` there, see pyproject.toml); the repository's ``ontology/`` in a checkout."""
    installed = resources.files("kg") / "ontology"
    return Path(str(installed)) if installed.is_dir() else PACKAGE_DIR.parent / "ontology"


#: The ontology folder: the ontology, SHACL shapes, query library, gazetteer and NLP data.
ONTOLOGY_DIR = _ontology_dir()
#: The sample digests bundled as the default input of ``kg build``.
SAMPLES_DIR = PACKAGE_DIR / "data" / "samples"
DEFAULT_OUTPUT_DIR = Path("output")
DEFAULT_GRAPH = DEFAULT_OUTPUT_DIR / "graph.ttl"
