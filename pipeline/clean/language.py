"""Language identification with py3langid's public API, its model loaded once per process.

(An earlier numpy re-implementation of py3langid's private feature counting was ~3x faster per
text but reached into the library's internals; at a few percent of a run it was not worth them.)
"""

from __future__ import annotations

import functools

from py3langid.langid import MODEL_FILE, LanguageIdentifier


@functools.cache
def identifier() -> LanguageIdentifier:
    """Loaded once per process (workers forked after it share it)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE)


def identify(text: str) -> str | None:
    code, _ = identifier().classify(text)
    return code or None
