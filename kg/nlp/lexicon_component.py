"""The pipeline's lexicon: one component holds it, every other component reads it from there.

``paperkg_lexicon`` loads the gazetteer and the NLP data files in ``initialize`` (from the
config's ``[initialize.components.paperkg_lexicon]``: ``${paths.gazetteer}`` and
``${paths.nlp_data}``, the package's own files when null), writes them with ``to_disk`` and
reads them back with ``from_disk``, so ``nlp.to_disk(DIR)`` then ``spacy.load(DIR)`` is the
same pipeline anywhere, and a saved pipeline's data can be edited in ``DIR/paperkg_lexicon/``.
The components that need the lexicon are :class:`LexiconUser` wrappers around a plain class
built from a :class:`~kg.nlp.lexicon.Lexicon` (``EntityTyper(lexicon)``, testable alone).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.lexicon import GAZETTEER_DIR, NLP_DATA_DIR, Lexicon, load_lexicon

LEXICON_PIPE = "paperkg_lexicon"
#: The lexicon's two folders, as named in a saved pipeline.
FOLDERS = ("gazetteer", "nlp")


class PipelineLexicon:
    """Holds the lexicon and the bytes of the files it was read from; changes no ``Doc``."""

    def __init__(self) -> None:
        self.lexicon: Lexicon | None = None
        #: ``gazetteer/<file>`` or ``nlp/<file>`` -> bytes, of every data file.
        self.files: dict[str, bytes] = {}

    def __call__(self, doc: Doc) -> Doc:
        return doc

    def initialize(
        self,
        get_examples: Callable[[], Iterable] | None = None,
        *,
        nlp: Language | None = None,
        gazetteer: str | None = None,
        nlp_data: str | None = None,
    ) -> None:
        """Load the data files (the package's own for a ``None`` path)."""
        self.load(Path(gazetteer or GAZETTEER_DIR), Path(nlp_data or NLP_DATA_DIR))

    def load(self, gazetteer_dir: Path, nlp_data_dir: Path) -> None:
        self.files = {
            f"{name}/{path.name}": path.read_bytes()
            for name, folder in zip(FOLDERS, (gazetteer_dir, nlp_data_dir))
            for path in sorted(folder.iterdir())
            if path.is_file()
        }
        self.lexicon = load_lexicon(str(gazetteer_dir), str(nlp_data_dir))

    def fingerprint(self) -> str:
        """Hash of the data files."""
        digest = hashlib.sha256()
        for name, data in sorted(self.files.items()):
            digest.update(f"\0{name}\0".encode())
            digest.update(data)
        return digest.hexdigest()

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        for name in FOLDERS:
            (path / name).mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (path / name).write_bytes(data)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "PipelineLexicon":
        path = Path(path)
        self.load(*(path / name for name in FOLDERS))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.files)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "PipelineLexicon":
        with tempfile.TemporaryDirectory() as folder:
            files = srsly.msgpack_loads(data)
            for name in FOLDERS:
                (Path(folder) / name).mkdir()
            for name, content in files.items():
                (Path(folder) / name).write_bytes(content)
            self.from_disk(folder)
        return self


@Language.factory(LEXICON_PIPE)
def make_pipeline_lexicon(nlp: Language, name: str) -> PipelineLexicon:
    return PipelineLexicon()


def pipeline_lexicon(nlp: Language) -> Lexicon:
    """The lexicon of ``nlp``'s ``paperkg_lexicon`` component."""
    lexicon = nlp.get_pipe(LEXICON_PIPE).lexicon
    if lexicon is None:
        raise ValueError("the paperkg pipeline has no lexicon yet: call nlp.initialize() (kg.nlp.load_pipeline does)")
    return lexicon


class LexiconUser:
    """A component made by ``make(lexicon)`` from the pipeline's lexicon, made again whenever
    that lexicon is replaced (``initialize``, ``from_disk``)."""

    def __init__(self, nlp: Language, make: Callable[[Lexicon], Callable[[Doc], Doc]]) -> None:
        self.nlp = nlp
        self.make = make
        self.component: Callable[[Doc], Doc] | None = None
        self._made_from: Lexicon | None = None

    def __call__(self, doc: Doc) -> Doc:
        lexicon = pipeline_lexicon(self.nlp)
        if lexicon is not self._made_from:
            self.component, self._made_from = self.make(lexicon), lexicon
        return self.component(doc)
