"""The shipped stance weights behave sensibly on cases whose answer is not in doubt.

These are sanity checks, not a benchmark (bench/stance.py scores FNC-1): they catch a broken export,
a feature change without retraining, or label columns in the wrong order.
"""

from __future__ import annotations

import numpy as np
import pytest

from storydesk.claims import stance
from storydesk.claims.stance import STANCE_LABELS, StanceModel, split_sentences

AGREE, DISAGREE, DISCUSS, UNRELATED = range(4)

CLAIM = "The city council approved the new bridge, which will open to traffic in March."
PARAPHRASE = "Council members voted to approve the new bridge, and it opens to traffic in March."
REFUTATION = (
    "The council denied reports that it approved the bridge; the claim is false and the bridge "
    "will not open in March."
)
NEGATION = "The city council did not approve the new bridge."
UNRELATED_TEXT = "A famous chef has opened a small bakery selling croissants in Paris."


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


@pytest.fixture(scope="module")
def probs(model: StanceModel) -> np.ndarray:
    return model.predict(
        [
            (CLAIM, PARAPHRASE),
            (CLAIM, REFUTATION),
            (CLAIM, UNRELATED_TEXT),
            (CLAIM, CLAIM),
            (CLAIM, NEGATION),
        ]
    )


def test_labels_order() -> None:
    assert STANCE_LABELS == ("agree", "disagree", "discuss", "unrelated")


def test_probabilities_shape(probs: np.ndarray, model: StanceModel) -> None:
    assert probs.shape == (5, 4)
    assert probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert model.predict([]).shape == (0, 4)


def test_paraphrase_agrees(probs: np.ndarray) -> None:
    assert probs[0, AGREE] > probs[0, DISAGREE]
    assert probs[0, UNRELATED] < 0.5
    assert probs[3, AGREE] > probs[3, DISAGREE]


def test_refutation_raises_disagree(probs: np.ndarray) -> None:
    assert probs[1, DISAGREE] > probs[0, DISAGREE]
    assert probs[1, DISAGREE] > probs[1, AGREE]


def test_bare_negation_raises_disagree(probs: np.ndarray) -> None:
    assert probs[4, DISAGREE] > probs[0, DISAGREE]
    assert probs[4, DISAGREE] > probs[4, AGREE]


def test_unrelated_sentence(probs: np.ndarray) -> None:
    assert probs[2].argmax() == UNRELATED


def test_whole_body_is_reduced_to_relevant_sentences(model: StanceModel) -> None:
    body = f"{UNRELATED_TEXT} The weather was mild all week.\n\n{PARAPHRASE} Tickets cost $5."
    p = model.predict([(CLAIM, body)])[0]
    assert p[UNRELATED] < 0.5


def test_split_sentences_keeps_abbreviations() -> None:
    text = 'Mr. Cooper said the U.S. army left. "It was a hoax." Then 3 men came!\n\nNew paragraph'
    assert split_sentences(text) == [
        "Mr. Cooper said the U.S. army left.",
        '"It was a hoax."',
        "Then 3 men came!",
        "New paragraph",
    ]


def test_missing_weights_say_how_to_train(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "WEIGHTS_FILE", "no-such-weights.npz")
    with pytest.raises(FileNotFoundError, match="make train"):
        StanceModel.load()


def _training_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "train" / "stance.py"
    spec = importlib.util.spec_from_file_location("fnc1_training", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n_classes", [2, 3])
def test_exported_trees_match_sklearn(n_classes: int) -> None:
    """The numpy evaluator gives scikit-learn's probabilities, missing values included."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 6))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int) + (n_classes == 3) * (x[:, 3] > 1)
    x[rng.random(x.shape) < 0.05] = np.nan
    clf = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=15, random_state=0).fit(x, y)
    trees = _training_module().export(clf)
    test = rng.normal(size=(300, 6))
    test[rng.random(test.shape) < 0.1] = np.nan
    np.testing.assert_allclose(trees.proba(test), clf.predict_proba(test), atol=1e-9)
    again = type(trees).from_arrays(trees.to_arrays("t_"), "t_")
    np.testing.assert_allclose(again.proba(test), clf.predict_proba(test), atol=1e-9)


def test_weights_are_arrays_only_and_small() -> None:
    from importlib import resources

    path = resources.files("storydesk") / "data" / stance.WEIGHTS_FILE
    with path.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        assert int(data["feature_version"]) == stance.FEATURE_VERSION
        assert all(data[k].dtype != object for k in data.files)
    assert len(path.read_bytes()) < 5_000_000


def test_prototype_features_read_the_nearest_class() -> None:
    protos = np.eye(4, dtype=np.float32)[:3]
    tables = stance.FeatureTables(np.ones(stance.IDF_BUCKETS, np.float32), protos, np.arange(3, dtype=np.int32))
    sent = np.asarray([[0.0, 1.0, 0.0, 0.0]], dtype=np.float32)
    f = stance.prototype_features(sent, sent, tables)
    assert f[3] == 1.0 and f[0] == 0.0 and f[6] == 0.0
