"""The int8 ONNX MiniLM that StoryDesk runs against the original fp32 model, and the vector cache.

The fp32 reference vectors (tests/fixtures/embed/minilm-fp32.json) were written by
train/embed_fixture.py with sentence-transformers; these tests need neither it nor torch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from storydesk.claims import embed as embed_mod
from storydesk.claims.embed import EMBED_DIM, embed

FIXTURE = Path(__file__).parent / "fixtures" / "embed" / "minilm-fp32.json"


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    rows = json.loads(FIXTURE.read_text("utf-8"))["rows"]
    return [r["text"] for r in rows], np.array([r["vector"] for r in rows], dtype=np.float32)


def test_vectors_agree_with_fp32_minilm(reference) -> None:
    texts, ref = reference
    embed_mod.clear_cache()
    got = embed(texts)
    assert got.shape == (len(texts), EMBED_DIM) and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosines = (got * ref).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.99, f"cosine {cosines[worst]:.4f} for {texts[worst][:60]!r}"
    assert np.median(cosines) >= 0.998


def test_batching_does_not_change_a_vector(reference) -> None:
    """A text's vector is the same alone as padded in a batch with longer texts."""
    texts, _ = reference
    embed_mod.clear_cache()
    together = embed(texts)
    for i in (0, 22, len(texts) - 1):
        embed_mod.clear_cache()
        np.testing.assert_allclose(embed([texts[i]])[0], together[i], atol=1e-4)


def test_repeated_texts_are_embedded_once(monkeypatch) -> None:
    embed_mod.clear_cache()
    model = embed_mod.get_model()
    seen: list[str] = []
    real = model.encode

    def counting(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(model, "encode", counting)
    first = embed(["Rain in Tokyo.", "Sun in Osaka.", "Rain in Tokyo."])
    second = embed(["Sun in Osaka.", "Snow in Sapporo."])
    assert seen == ["Rain in Tokyo.", "Sun in Osaka.", "Snow in Sapporo."]
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_array_equal(first[1], second[0])
    second[0] += 1  # a caller's copy: the cached vector is not touched
    np.testing.assert_array_equal(embed(["Sun in Osaka."])[0], first[1])


def test_cache_is_bounded(monkeypatch) -> None:
    embed_mod.clear_cache()
    monkeypatch.setattr(embed_mod, "CACHE_SIZE", 3)
    embed(["a one", "a two", "a three", "a four"])
    assert len(embed_mod._cache) == 3
    embed_mod.clear_cache()


def test_empty_input_loads_nothing() -> None:
    assert embed([]).shape == (0, EMBED_DIM)


def test_no_torch_at_run_time(example_dir: Path, tmp_path: Path) -> None:
    """Clustering features and a whole analysis import neither torch nor sentence-transformers,
    even where torch is installed (spaCy's thinc would import it)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from storydesk.cluster import features_for\n"
        "from storydesk.options import Options\n"
        "from storydesk.pipeline import load_articles\n"
        "from storydesk.run import run_analysis\n"
        f"features_for(load_articles([{str(example_dir)!r}], Options(progress=False)))\n"
        f"run_analysis([{str(example_dir)!r}], Path({str(tmp_path)!r}), Options(progress=False))\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'sentence_transformers', 'transformers'))\n"
        "print(heavy)\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                         env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout
