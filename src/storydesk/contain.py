"""Containment: a failure while processing one document or one story becomes its error, not the run's.

Text from a real collection reaches code paths no fixture did. The stages guard what they compute
from text at its source (an empty name is not a name, "Feb 30" is no date); this module is the safety
net behind those guards, used only at the per-document and per-story boundaries (building an article,
clustering features, clustering assignment, a story's analysis). Every failure caught here is logged
with its document (or story) and stage, with the traceback, so that it can be found and fixed at its
source, and the caller records the returned line as that document's or story's error.
"""

from __future__ import annotations

import logging

log = logging.getLogger("storydesk.contained")


def contained(stage: str, subject: str, exc: BaseException) -> str:
    """Log a caught failure (subject: a document's source or "story <id>") and return its error line."""
    log.warning("%s failed for %s: %s: %s", stage, subject, exc.__class__.__name__, exc, exc_info=exc)
    return f"{stage} failed: {exc.__class__.__name__}: {exc}"
