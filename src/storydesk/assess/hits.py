"""The common currency of the signals: a Hit is one sentence-level (or page-level) reason for doubt.

Each signal module returns Hits; `score.py` turns them into per-article penalties and Flags. A hit's
`strength` is in [0, 1] before the signal's weight is applied: how sure the evidence is and, for
cross-source conflicts, the share of independent sources standing on the other side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Span


@dataclass(slots=True)
class Hit:
    kind: str
    article: str
    span: Span | None
    strength: float
    explanation: str
    related: list[dict[str, Any]] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
