"""Gradient-boosted trees as plain arrays, evaluated with numpy.

The stance model is trained with scikit-learn's HistGradientBoostingClassifier, but what ships is
only arrays (no pickle: nothing in the weights file can run code, and any numpy loads it). All trees
of a model are packed node by node into flat arrays; a leaf points to itself, so walking every tree
of every row one level per step, `max_depth` steps, lands each (row, tree) on its leaf without
branching in Python. A leaf's value already includes the learning rate (scikit-learn folds the
shrinkage into the leaves when fitting), so the raw score is the baseline plus the sum of leaves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

# Rows walked together: bounds the (rows x trees) index arrays to a few MB.
ROW_CHUNK = 512


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Packed trees of one boosted model; tree t's root is node `roots[t]` and it adds to column
    `tree_class[t]` of the raw scores (one column for a binary model)."""

    feature: np.ndarray  # int32, per node; unused on leaves
    threshold: np.ndarray  # float64, per node: x <= threshold goes left
    missing_left: np.ndarray  # bool, per node: where a NaN goes
    left: np.ndarray  # int32, per node; a leaf's children are itself
    right: np.ndarray  # int32, per node
    value: np.ndarray  # float64, per node: the leaf's contribution to the raw score
    roots: np.ndarray  # int32, per tree
    tree_class: np.ndarray  # int32, per tree
    baseline: np.ndarray  # float64, per raw-score column
    depth: int

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw scores (n, columns): the baseline plus every tree's leaf value for each row."""
        x = np.asarray(x, dtype=np.float64)
        out = np.tile(self.baseline, (len(x), 1))
        for start in range(0, len(x), ROW_CHUNK):
            xs = x[start : start + ROW_CHUNK]
            rows = np.arange(len(xs))[:, None]
            node = np.broadcast_to(self.roots, (len(xs), len(self.roots))).copy()
            for _ in range(self.depth):
                v = xs[rows, self.feature[node]]
                go_left = np.where(np.isnan(v), self.missing_left[node], v <= self.threshold[node])
                node = np.where(go_left, self.left[node], self.right[node])
            leaves = self.value[node]
            for c in range(out.shape[1]):
                out[start : start + len(xs), c] += leaves[:, self.tree_class == c].sum(axis=1)
        return out

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities as scikit-learn's predict_proba gives them: a sigmoid for a binary
        model (columns: negative, positive), a softmax otherwise."""
        raw = self.raw(x)
        if raw.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        raw = raw - raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        names = ("feature", "threshold", "missing_left", "left", "right", "value", "roots",
                 "tree_class", "baseline")
        arrays = {f"{prefix}{n}": getattr(self, n) for n in names}
        arrays[f"{prefix}depth"] = np.asarray(self.depth)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> "TreeEnsemble":
        return cls(
            feature=arrays[f"{prefix}feature"].astype(np.int32),
            threshold=arrays[f"{prefix}threshold"].astype(np.float64),
            missing_left=arrays[f"{prefix}missing_left"].astype(bool),
            left=arrays[f"{prefix}left"].astype(np.int32),
            right=arrays[f"{prefix}right"].astype(np.int32),
            value=arrays[f"{prefix}value"].astype(np.float64),
            roots=arrays[f"{prefix}roots"].astype(np.int32),
            tree_class=arrays[f"{prefix}tree_class"].astype(np.int32),
            baseline=arrays[f"{prefix}baseline"].astype(np.float64).reshape(-1),
            depth=int(arrays[f"{prefix}depth"]),
        )
