"""Spelling-level Unicode folding of names, before extraction and in name keys.

Digests are written with whatever an editor or a converter produced: ``GPT‑4`` with a
non-breaking hyphen (U+2011), a soft hyphen or a zero-width space inside a name, full-width
``ＧＰＴ－４``, a decomposed ``CaféNet`` (``e`` + U+0301), Cyrillic or Greek letters that look
Latin. The extraction rules read names as runs of ASCII letters and digits, so each of these
would cut a name or drop it. :func:`fold_names` rewrites every such run to its plain spelling;
Chinese text, punctuation and dashes between Chinese words are left as they are.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.paths import ONTOLOGY_DIR

CONFUSABLES_FILE = ONTOLOGY_DIR / "nlp" / "confusables.tsv"

#: Characters that are no part of the spelling: soft hyphen, zero-width space and joiners,
#: word joiner, byte-order mark.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
#: Hyphens and minus signs that stand for ``-`` inside a name.
HYPHENS = "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_HYPHEN_TABLE = str.maketrans({c: "-" for c in HYPHENS})
#: A run of name characters that holds at least one character outside ASCII: Latin letters
#: (with accents or combining marks), Greek, Cyrillic, full-width letters and digits, and the
#: joiners, invisibles and hyphen look-alikes between them.
_NAME_CHARS = (
    "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u0370-\u03ff\u0400-\u04ff\u0500-\u052f"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
)
_JOINERS = f".\\-_+'\uff0e\uff3f\uff0b{INVISIBLE}{HYPHENS}"
_RUN = re.compile(f"[{_NAME_CHARS}{INVISIBLE}]+(?:[{_JOINERS}]+[{_NAME_CHARS}]+)*")
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u052f]")
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")


@lru_cache(maxsize=1)
def confusables() -> dict[int, str]:
    """Greek and Cyrillic look-alikes -> Latin letter (``ontology/nlp/confusables.tsv``)."""
    table: dict[int, str] = {}
    for line in CONFUSABLES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            char, _, latin = line.partition("\t")
            table[ord(char)] = latin.strip()
    return table


def fold_name(run: str) -> str:
    """The plain spelling of one name: invisibles dropped, hyphen look-alikes -> ``-``,
    full-width -> ASCII (NFKC), accents removed, and Greek/Cyrillic look-alikes -> Latin when
    the name also holds ASCII letters or digits or is made only of look-alikes."""
    if run.isascii():
        return run
    text = _INVISIBLE_RE.sub("", run).translate(_HYPHEN_TABLE)
    if _OTHER_SCRIPT.search(text):
        mapped = text.translate(confusables())
        if not _ASCII_ALNUM.search(text) and _OTHER_SCRIPT.search(mapped):
            return unicodedata.normalize("NFC", text)  # a Greek or Cyrillic word: left as it is
        text = mapped
    text = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def fold_names(text: str) -> str:
    """``text`` with every name spelled plainly (:func:`fold_name`); the rest unchanged."""
    if text.isascii():
        return text
    return _RUN.sub(lambda match: fold_name(match.group()), unicodedata.normalize("NFC", text))
