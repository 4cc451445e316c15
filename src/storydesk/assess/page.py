"""Page signals: who stands behind the page, and does it look like a newsroom's page?

No byline, comment-section or template furniture around the text, and a site that is not a known
news outlet are weak hints, each weighed little: plenty of honest pages lack a byline, and a
fabricated story on a real outlet's site is still fabricated. The outlet list ships in
`storydesk/data/news_outlets.txt` (from Wikidata, CC0; see NEWS_OUTLETS_LICENSE.md) and is read
lazily, once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..extract.furniture import furniture_reason
from ..extract.outlet import domain
from ..model import Article
from .hits import Hit

OUTLETS_FILE = "news_outlets.txt"
NO_BYLINE = 0.3
FURNITURE = 0.3
UNKNOWN_OUTLET = 0.3
# Lines of comment-section furniture (or of any furniture) a page needs before it is flagged.
MIN_COMMENT_LINES = 2
MIN_TEMPLATE_LINES = 6
_COMMENT = re.compile(r"\b(comments?|repl(y|ies)|leave a|posted by|log ?in to|disqus|upvote|report abuse)\b", re.I)


def page_signals(art: Article) -> list[Hit]:
    hits = []
    if not art.byline:
        hits.append(Hit("no_byline", art.id, None, NO_BYLINE, "no author is named on the page"))
    lines = [ln for ln in (art.raw or "").splitlines() if ln.strip()]
    reasons = [(ln.strip(), r) for ln in lines if (r := furniture_reason(ln)) and r != "opinion disclaimer"]
    comments = [ln for ln, _ in reasons if _COMMENT.search(ln)]
    if len(comments) >= MIN_COMMENT_LINES or len(reasons) >= MIN_TEMPLATE_LINES:
        sample = "; ".join(f"'{ln[:40]}'" for ln, _ in reasons[:3])
        hits.append(Hit("page_furniture", art.id, None, FURNITURE,
                        f"{len(reasons)} lines of page furniture ({len(comments)} from a comment section), e.g. {sample}"))
    known = known_outlet(art)
    if known is False:
        hits.append(Hit("unknown_outlet", art.id, None, UNKNOWN_OUTLET,
                        f"'{art.outlet}' is not in the list of known news outlets"))
    elif known is None:
        hits.append(Hit("unknown_outlet", art.id, None, UNKNOWN_OUTLET,
                        "the page does not say which site published it"))
    return hits


def known_outlet(art: Article) -> bool | None:
    """True when the outlet (site name or domain) is a known news outlet, None when there is none."""
    candidates = [c for c in (art.outlet, domain(art.url)) if c]
    if not candidates:
        return None
    domains, names = outlets()
    for c in candidates:
        host = domain(c) if "." in c and " " not in c else None
        if host and any(host == d or host.endswith("." + d) for d in domains):
            return True
        if c.strip().lower() in names:
            return True
    return False


@lru_cache(maxsize=1)
def outlets() -> tuple[frozenset[str], frozenset[str]]:
    text = (resources.files("storydesk") / "data" / OUTLETS_FILE).read_text("utf-8")
    domains, names = set(), set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        host, _, name = line.partition("\t")
        domains.add(host.strip().lower())
        if name.strip():
            names.add(name.strip().lower())
    return frozenset(domains), frozenset(names)
