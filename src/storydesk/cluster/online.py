"""Online story clustering: each article joins the best-scoring candidate story or starts its own.

Why this shape: a stream must be clustered as it arrives, in bounded memory per story and bounded
work per article, and a crashed run must resume. So every article is

1. checked against earlier articles for a near-duplicate (MinHash bands): a copy joins its original's
   story whatever the score says;
2. otherwise scored (`profile.similarity`) against the centroids of the few stories the key index
   proposes; the best `rerank` of those are rescored by average linkage against the story's first
   `representatives` members (a centroid of sparse term and name vectors flattens as a story grows,
   so a fixed threshold against it drifts; the mean over a few real articles does not, and on ECB+
   dev it separated the paired events better). The article joins the best story when that score
   reaches `threshold`, else starts a new story (singletons are fine);
3. then the story it changed is compared with its own candidates and merged into one that now scores
   above `merge_threshold`. Greedy online clustering depends on arrival order (an early off-topic
   article can split a story in two); the merge pass repairs most of that, so a shuffled stream gives
   nearly the same stories.

A story's id is the id of its earliest article; when two stories merge, the older id survives and
`resolve` maps the retired one to it, so ids handed out earlier stay usable.

A crashed run resumes by replaying the features it recorded (`storydesk.store` keeps them, in the
order they arrived) into a fresh clusterer: the same features in the same order give the same
stories, and an article added twice changes nothing.
"""

from __future__ import annotations

from storydesk.cluster.features import ArticleFeatures
from storydesk.cluster.index import DuplicateIndex, KeyIndex
from storydesk.cluster.profile import Profile, Weights, name_weight, prune, similarity

DEFAULTS = {
    # chosen on the dev half of ECB+ topics (bench/clustering.py --tune); the test half was not used
    "threshold": 0.40,
    "merge_threshold": 0.45,
    "duplicate_jaccard": 0.5,  # of word 5-grams: independent reports share far fewer
    "max_candidates": 48,
    "query_keys": 32,
    "posting_cap": 256,
    "merge_rounds": 3,
    "profile_terms": 400,
    "representatives": 6,  # first members kept per story for average-linkage scoring (0: centroid only)
    "rerank": 8,  # how many of the best centroid candidates are rescored by average linkage
}


class StoryClusterer:
    """Incremental story clustering; see the module docstring for the method."""

    def __init__(self, **params) -> None:
        weights = {k: params.pop(k) for k in list(params) if k in Weights.__dataclass_fields__}
        unknown = set(params) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown StoryClusterer parameters: {sorted(unknown)}")
        self.params = {**DEFAULTS, **params}
        self.weights = Weights(**weights)
        self.stories: dict[str, Profile] = {}
        self.alias: dict[str, str] = {}  # retired story id -> the story that absorbed it
        self.story_of: dict[str, str] = {}  # article id -> story id at the time it joined
        self.arrival: dict[str, int] = {}
        self.keys = KeyIndex(self.params["posting_cap"])
        self.dups = DuplicateIndex()
        self.reps: dict[str, list[Profile]] = {}

    # -- public API ---------------------------------------------------------------------------

    def add(self, feats: ArticleFeatures) -> str:
        """Cluster one article; returns the id of the story it is in after this step."""
        if feats.id in self.arrival:  # the same article twice (a resumed batch): no-op
            return self.resolve(self.story_of[feats.id])
        # Everything computed from the article's features comes first: should it raise, the
        # clusterer is unchanged and the caller can record the article as failed.
        single = Profile.of(feats)
        query = self._query(single)
        original = self.dups.find(feats.shingles, self.params["duplicate_jaccard"])
        if original is not None:
            target = self.resolve(self.story_of[original])
        else:
            target = self._best(single, query)
        self.arrival[feats.id] = len(self.arrival)
        if target is None:
            target = feats.id
            self.stories[target] = single
        else:
            self.stories[target].add(feats)
            self._prune(self.stories[target])
        self.story_of[feats.id] = target
        if self.params["representatives"]:
            reps = self.reps.setdefault(target, [])
            if len(reps) < self.params["representatives"]:
                reps.append(single)
        self.keys.add(target, [k for k, _ in query])
        self.dups.add(feats.id, feats.shingles)
        return self._merge_from(target)

    def contains(self, article: str) -> bool:
        """Whether the article was assigned to a story (it stays in one, whatever merges follow)."""
        return article in self.story_of

    def add_many(self, feats: list[ArticleFeatures]) -> list[str]:
        return [self.add(f) for f in feats]

    def clusters(self) -> dict[str, list[str]]:
        """Story id -> article ids, both in arrival order."""
        out: dict[str, list[str]] = {}
        for sid in sorted(self.stories, key=lambda s: self.arrival[s]):
            out[sid] = sorted(self.stories[sid].members, key=self.arrival.__getitem__)
        return out

    def resolve(self, story: str) -> str:
        """The current id of a story id handed out earlier (stories merge; ids never vanish)."""
        path = []
        while story in self.alias:
            path.append(story)
            story = self.alias[story]
        for p in path:  # path compression
            self.alias[p] = story
        return story

    # -- internals ----------------------------------------------------------------------------

    def _query(self, prof: Profile) -> list[tuple[str, float]]:
        """The profile's most distinctive keys with weights: names first-class, terms prefixed."""
        keys = [("n:" + n, name_weight(n)) for n in prof.names]
        keys += [("t:" + t, w / max(1, prof.size)) for t, w in prof.terms.items()]
        keys.sort(key=lambda kv: (-kv[1], kv[0]))
        return keys[: self.params["query_keys"]]

    def _best(self, prof: Profile, query: list[tuple[str, float]], exclude: str | None = None):
        threshold = self.params["threshold"] if exclude is None else self.params["merge_threshold"]
        scored = []
        for sid in self.keys.candidates(query, self.resolve, self.params["max_candidates"] + 1):
            if sid == exclude or sid not in self.stories:
                continue
            scored.append((similarity(prof, self.stories[sid], self.weights), self.arrival[sid], sid))
        scored.sort(key=lambda t: (-t[0], t[1]))
        if self.params["representatives"]:  # rerank the centroid shortlist by average linkage
            scored = [(self._linkage(prof, sid, exclude), arr, sid) for _, arr, sid in scored[: self.params["rerank"]]]
            scored.sort(key=lambda t: (-t[0], t[1]))
        if scored and scored[0][0] >= threshold:
            return scored[0][2]
        return None

    def _linkage(self, prof: Profile, sid: str, exclude: str | None) -> float:
        """Mean similarity between the first members of both sides (average linkage, bounded)."""
        mine = self.reps.get(exclude, [prof]) if exclude else [prof]
        theirs = self.reps[sid]
        total = sum(similarity(a, b, self.weights) for a in mine for b in theirs)
        return total / (len(mine) * len(theirs))

    def _prune(self, prof: Profile) -> None:
        prune(prof.terms, self.params["profile_terms"])
        prune(prof.names, self.params["profile_terms"])

    def _older(self, a: str, b: str) -> bool:
        return self.arrival[a] < self.arrival[b]

    def _merge_from(self, sid: str) -> str:
        for _ in range(self.params["merge_rounds"]):
            prof = self.stories[sid]
            other = self._best(prof, self._query(prof), exclude=sid)
            if other is None:
                break
            keep, gone = (sid, other) if self._older(sid, other) else (other, sid)
            self.stories[keep].absorb(self.stories.pop(gone))
            if self.params["representatives"]:  # the older story's first members come first
                self.reps[keep] = (self.reps[keep] + self.reps.pop(gone))[: self.params["representatives"]]
            self._prune(self.stories[keep])
            self.alias[gone] = keep
            self.keys.add(keep, [k for k, _ in self._query(self.stories[keep])])
            sid = keep
        return sid
