"""Which outlet published the page, and how we know.

From the strongest evidence down: the page's own site name, the domain of the page URL, the domain
most of the article's inline links point to (pasted articles keep links to their own site's topic
pages), and a self-promotion line ("X is now on Telegram", "X commentaries represent the views...").
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

# Share of inline links that must point to one domain before it is taken as the article's own site.
SELF_LINK_SHARE = 0.6
_PROMO = re.compile(r"^(?:the\s+)?([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})\s+(?:is now on|commentaries|columns|articles|opinions)\b")


def domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    host = host.lower().removeprefix("www.").removeprefix("amp.").removeprefix("m.")
    return host or None


def find_outlet(
    sitename: str | None,
    url: str | None,
    link_urls: list[str],
    promo_lines: list[str],
) -> tuple[str | None, str | None]:
    if sitename:
        return sitename, "html-meta"
    if domain(url):
        return domain(url), "url"
    domains = Counter(d for d in map(domain, link_urls) if d)
    if domains:
        top, n = domains.most_common(1)[0]
        if n >= 2 and n >= SELF_LINK_SHARE * sum(domains.values()):
            return top, "linked-urls"
    for line in promo_lines:
        m = _PROMO.match(line.strip())
        if m:
            return m.group(1), "promo-line"
    return None, None
