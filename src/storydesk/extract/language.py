"""Language identification, the one place py3langid is called."""

from __future__ import annotations

# Characters looked at: enough for a stable guess, cheap on a 10 MB dump.
SAMPLE_CHARS = 4000


def detect_language(text: str) -> str | None:
    sample = text[:SAMPLE_CHARS].strip()
    if len(sample) < 20:
        return None
    import py3langid

    lang, _score = py3langid.classify(sample)
    return lang
