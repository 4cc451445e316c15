"""Batch mode's ledger: which documents a run handled, their articles' raw input, and the clustering
features in the order they were clustered, so `storydesk batch --resume` continues where a stopped
run left off (even one killed with SIGKILL: each partition is recorded in one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from ..model import Article, article_from_dict
from .features import FORMAT, FeaturesError, decode, encode
from .runs import upsert_article
from .schema import article_features, articles, legacy_cluster_features, processed, raw_texts

if TYPE_CHECKING:
    from ..cluster.features import ArticleFeatures

RESUME_ADVICE = "run the batch again without --resume (its documents are processed again; stored stories stay)"


class LedgerError(RuntimeError):
    """The ledger cannot be resumed from; the message says what to do."""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One input document a batch run handled."""

    hash: str  # scale.batch.document_hash: where it came from and exactly what it held
    source: str
    article_id: str | None  # None when it gave no article (unreadable, or its clustering failed)
    errors: list[str]


class Ledger:
    """The batch part of `Store` (see `store.Store`); it needs only the engine."""

    engine: Engine

    def record_partition(self, entries: list[LedgerEntry], arts: list[Article], features: list["ArticleFeatures"]) -> None:
        """One transaction per partition: its ledger entries, its articles (with raw input) and the
        clustering features it fed, in order. A run killed at any point has recorded all of a
        partition or none of it."""
        now = datetime.now(timezone.utc)
        rows = []
        for feats in features:
            meta, arrays = encode(feats)
            rows.append({"article_id": feats.id, "format": FORMAT, "meta": meta, "arrays": arrays})
        with self.engine.begin() as conn:
            for art in arts:
                upsert_article(conn, art)
                conn.execute(delete(raw_texts).where(raw_texts.c.article_id == art.id))
                conn.execute(insert(raw_texts).values(article_id=art.id, raw=art.raw))
            if entries:
                conn.execute(insert(processed), [{"hash": e.hash, "source": e.source, "article_id": e.article_id,
                                                  "errors": list(e.errors), "recorded": now} for e in entries])
            if rows:
                conn.execute(insert(article_features), rows)

    def processed_rows(self) -> list[LedgerEntry]:
        with self.engine.connect() as conn:
            return [LedgerEntry(r.hash, r.source, r.article_id, list(r.errors or [])) for r in conn.execute(select(processed))]

    def cluster_features(self) -> list["ArticleFeatures"]:
        """The recorded features in the order they were clustered. LedgerError when a row cannot be
        read back safely (see `store.features`), or the ledger was recorded by a version that
        pickled them: the documents behind them must then be processed again."""
        with self.engine.connect() as conn:
            if conn.execute(select(legacy_cluster_features.c.seq).limit(1)).first() is not None:
                raise LedgerError("this database's batch ledger was recorded by an older StoryDesk that stored clustering "
                                  f"features as pickles, which are not read back (unsafe): {RESUME_ADVICE}")
            rows = conn.execute(select(article_features.c.article_id, article_features.c.format, article_features.c.meta,
                                       article_features.c.arrays).order_by(article_features.c.seq)).all()
        try:
            return [decode(aid, fmt, meta, bytes(arrays)) for aid, fmt, meta, arrays in rows]
        except FeaturesError as exc:
            raise LedgerError(f"{exc}: {RESUME_ADVICE}") from None

    def load_articles(self, ids: list[str]) -> list[Article]:
        """Stored articles with their raw input, in the order asked; unknown ids are skipped."""
        found: dict[str, Article] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                query = select(articles.c.id, articles.c.data, raw_texts.c.raw).outerjoin(
                    raw_texts, raw_texts.c.article_id == articles.c.id
                ).where(articles.c.id.in_(chunk))
                for aid, data, raw in conn.execute(query):
                    found[aid] = article_from_dict(data)
                    found[aid].raw = raw or ""
        return [found[i] for i in ids if i in found]

    def reset_batch(self) -> None:
        """Forget which documents were handled (a fresh, non-resumed batch run); stories stay."""
        with self.engine.begin() as conn:
            conn.execute(delete(processed))
            conn.execute(delete(article_features))
            conn.execute(delete(legacy_cluster_features))

