"""Output files are replaced whole or not at all.

A reader (a browser on report.html, a script polling stories.json) must never see half a file, and a
run that dies while writing (SIGKILL, a full disk) must leave the previous output intact. So each file
is written to a temporary file in the same folder (same file system, so the rename is atomic), flushed
to disk, then renamed over the target with `os.replace`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically: readers see the old file or the new one, never a mix."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (read by setting and restoring it), so outputs get the usual permissions
    rather than mkstemp's owner-only 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
