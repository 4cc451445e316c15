"""Story clustering on a small synthetic stream: real models, no mocks.

Two fictional earthquakes (different towns, months and magnitudes) must stay apart although their
reports use the same vocabulary; reports of one event must go together; a lightly edited copy must
join its original; an unrelated article must stay alone; features recorded in the store and replayed
into a new clusterer must not change what happens next; and the stories must not depend on the arrival order.
"""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from storydesk.cluster import ArticleFeatures, StoryClusterer, bcubed, features_for
from storydesk.model import Article

QUAKE_A = [
    (
        "a1",
        "Magnitude 6.2 earthquake strikes Varnholt",
        "A magnitude 6.2 earthquake struck the mountain town of Varnholt early on Tuesday, 12 March 2024, "
        "collapsing the old granary and damaging the Varnholt bridge over the Seltra river. Mayor Odile "
        "Brascombe said at least 14 people were killed and dozens injured. Rescue teams from Kellstad "
        "searched the rubble through the night.",
    ),
    (
        "a2",
        "Death toll rises to 19 after Varnholt quake",
        "The death toll from the magnitude 6.2 earthquake that hit Varnholt on March 12 rose to 19 on "
        "Wednesday, Mayor Odile Brascombe told reporters. Engineers closed the Seltra river bridge, and "
        "families who lost their homes slept in the Varnholt sports hall. Rescuers from Kellstad pulled "
        "two survivors from the granary ruins.",
    ),
    (
        "a3",
        "Aftershocks rattle Varnholt as survivors camp outside",
        "Strong aftershocks shook Varnholt on Thursday, two days after the 6.2 quake that killed 19 "
        "people in the town. Odile Brascombe, the mayor, asked the Kellstad regional government for tents "
        "and water. Many residents refused to go back indoors while the Seltra valley kept trembling.",
    ),
    (
        "a4",
        "Varnholt begins rebuilding after deadly March quake",
        "Three weeks after the March 2024 earthquake in Varnholt, builders began clearing the ruins of the "
        "granary. Mayor Brascombe said the Seltra bridge would reopen in the summer and thanked the "
        "Kellstad rescue teams who worked in the town after the 6.2 magnitude shock.",
    ),
]
QUAKE_B = [
    (
        "b1",
        "Earthquake of magnitude 5.4 hits Quellmoor",
        "An earthquake of magnitude 5.4 hit the coastal city of Quellmoor on Saturday, 7 October 2023, "
        "cracking the walls of the Tamsin lighthouse and the harbour offices. Governor Piet Harrowgate "
        "said three people were injured and no one was killed. Ferries to Ostrel island were suspended.",
    ),
    (
        "b2",
        "Quellmoor harbour reopens after 5.4 quake",
        "The harbour of Quellmoor reopened on Monday after Saturday's magnitude 5.4 earthquake, Governor "
        "Piet Harrowgate announced. Inspectors found the Tamsin lighthouse safe despite cracks, and ferries "
        "to Ostrel island resumed. Three people were treated for light injuries.",
    ),
    (
        "b3",
        "Quellmoor counts the cost of October earthquake",
        "Officials in Quellmoor estimated the repairs after the October 2023 earthquake at 4 million "
        "crowns. Governor Harrowgate said the 5.4 tremor damaged the harbour offices and the Tamsin "
        "lighthouse, and that the Ostrel ferry line had lost a week of trade.",
    ),
]
SINGLE = (
    "s1",
    "Junior chess open crowns new champion",
    "Fourteen-year-old Maren Volkstedt won the junior chess open in Duvenbrook on Sunday, beating the "
    "top seed in a long endgame. The tournament drew 212 players from nine clubs, and the organisers "
    "plan to add a rapid section next year.",
)
# a1 picked up by another outlet: new headline, one sentence changed, the rest copied.
COPY = (
    "a1-copy",
    "Deadly quake hits mountain town",
    QUAKE_A[0][2].replace("Rescue teams from Kellstad searched the rubble through the night.",
                          "Rescue teams from Kellstad were still searching the rubble on Wednesday."),
)

GOLD = {i: "A" for i, _, _ in QUAKE_A} | {i: "B" for i, _, _ in QUAKE_B} | {"s1": "S", "a1-copy": "A"}


def _article(row: tuple[str, str, str]) -> Article:
    ident, title, text = row
    return Article(id=ident, source=f"test/{ident}", title=title, text=text)


@pytest.fixture(scope="module")
def feats() -> list[ArticleFeatures]:
    rows = [QUAKE_A[0], QUAKE_B[0], QUAKE_A[1], SINGLE, QUAKE_B[1], COPY, QUAKE_A[2], QUAKE_B[2], QUAKE_A[3]]
    return features_for([_article(r) for r in rows])


def _partition(clusterer: StoryClusterer) -> set[frozenset[str]]:
    return {frozenset(members) for members in clusterer.clusters().values()}


def _story(clusterer: StoryClusterer, article: str) -> str:
    return next(sid for sid, members in clusterer.clusters().items() if article in members)


def test_features_are_picklable_unit_vectors_with_names(feats):
    assert [f.id for f in feats][:2] == ["a1", "b1"]
    for f in feats:
        assert f.vector.dtype == np.float32
        assert abs(float(np.linalg.norm(f.vector)) - 1.0) < 1e-3
        assert f.terms and all(w > 0 for w in f.terms.values())
    a1 = feats[0]
    assert "varnholt" in a1.names
    assert "year:2024" in a1.names
    assert any(n.startswith("num:6.2") for n in a1.names)
    again = pickle.loads(pickle.dumps(feats))
    assert again[0].names == a1.names and np.array_equal(again[0].vector, a1.vector)


def test_features_do_not_depend_on_the_batch(feats):
    alone = features_for([_article(QUAKE_B[0])])[0]
    assert alone.names == feats[1].names and alone.terms == feats[1].terms
    assert float(alone.vector @ feats[1].vector) > 0.999


def test_same_event_together_similar_events_apart_singleton_alone(feats):
    clusterer = StoryClusterer()
    returned = clusterer.add_many(feats)
    assert len(returned) == len(feats)
    stories = clusterer.clusters()
    assert _partition(clusterer) == {
        frozenset({"a1", "a2", "a3", "a4", "a1-copy"}),
        frozenset({"b1", "b2", "b3"}),
        frozenset({"s1"}),
    }
    # story ids are the id of the story's first article; members come in arrival order
    assert stories["a1"] == ["a1", "a2", "a1-copy", "a3", "a4"]
    assert stories["b1"] == ["b1", "b2", "b3"]
    assert clusterer.resolve(returned[-1]) == "a1"


def test_near_duplicate_joins_its_original_even_with_a_strict_threshold(feats):
    clusterer = StoryClusterer(threshold=0.99, merge_threshold=0.99)
    clusterer.add_many(feats)
    assert _story(clusterer, "a1-copy") == _story(clusterer, "a1")
    assert _story(clusterer, "a2") != _story(clusterer, "a1")  # only the copy, not the whole event


def test_features_recorded_and_replayed_continue_identically(feats, tmp_path):
    """What `batch --resume` does: features recorded in the store (no pickle) and replayed into a
    fresh clusterer give it exactly the input it first had, so the run goes on as if never stopped."""
    from storydesk.store import Store

    straight = StoryClusterer()
    ids_straight = straight.add_many(feats)
    first = StoryClusterer()
    ids_first = first.add_many(feats[:4])
    store = Store(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    store.record_partition([], [], feats[:2])
    store.record_partition([], [], feats[2:4])
    replayed = store.cluster_features()
    store.close()
    assert [f.id for f in replayed] == [f.id for f in feats[:4]]
    for got, want in zip(replayed, feats):
        assert got.vector.dtype == want.vector.dtype and got.vector.shape == want.vector.shape
        assert got.vector.tobytes() == want.vector.tobytes()
        assert got.shingles is not None and want.shingles is not None
        assert got.shingles.dtype == want.shingles.dtype and got.shingles.tobytes() == want.shingles.tobytes()
        assert list(got.terms.items()) == list(want.terms.items())  # weights and their order
        assert got.names == want.names and got.published == want.published
    resumed = StoryClusterer()
    resumed.add_many(replayed)
    assert resumed.clusters() == first.clusters()
    ids_rest = resumed.add_many(feats[4:])
    assert ids_first + ids_rest == ids_straight
    assert resumed.clusters() == straight.clusters()
    assert resumed.add(feats[0]) == "a1"  # an article seen before (a replayed batch) changes nothing
    assert resumed.clusters() == straight.clusters()


def test_order_does_not_change_the_stories(feats):
    reference = StoryClusterer()
    reference.add_many(feats)
    for seed in range(6):
        order = list(feats)
        random.Random(seed).shuffle(order)
        clusterer = StoryClusterer()
        clusterer.add_many(order)
        assert _partition(clusterer) == _partition(reference), f"seed {seed}"
        pred = {a: sid for sid, members in clusterer.clusters().items() for a in members}
        assert bcubed(pred, GOLD) == (1.0, 1.0, 1.0)


def test_bcubed_counts_a_merged_pair_of_events():
    gold = {"x1": "X", "x2": "X", "y1": "Y", "y2": "Y"}
    assert bcubed({"x1": 1, "x2": 1, "y1": 2, "y2": 2}, gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed({"x1": 1, "x2": 1, "y1": 1, "y2": 1}, gold)
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)


def test_unknown_parameter_is_refused():
    with pytest.raises(TypeError):
        StoryClusterer(treshold=0.5)
