"""B-cubed scoring of a clustering against gold labels (Bagga & Baldwin 1998).

Why B-cubed: it scores every article by how much of its predicted story is right (precision) and how
much of its gold story it found (recall), so one giant wrong story and many split singletons both
cost, and big stories do not drown small ones the way pairwise counting lets them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """(precision, recall, F1) over the ids of `gold`; `pred` maps every such id to a cluster label."""
    ids = list(gold)
    if not ids:
        return 0.0, 0.0, 0.0
    by_pred: dict[Hashable, set[str]] = defaultdict(set)
    by_gold: dict[Hashable, set[str]] = defaultdict(set)
    for i in ids:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in ids:
        both = len(by_pred[pred[i]] & by_gold[gold[i]])
        p += both / len(by_pred[pred[i]])
        r += both / len(by_gold[gold[i]])
    p, r = p / len(ids), r / len(ids)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
