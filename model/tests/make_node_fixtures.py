"""
Writes the fixtures server/model/transformer/encode-batch.test.ts reads: a tiny WordPiece tokenizer.json
and the ids Python's Hugging Face tokenizer gives for some texts (normalised, truncated), so the Node
tests check against Python without needing Python. test_node_fixtures_current.py fails if they go stale.

    .venv/bin/python model/tests/make_node_fixtures.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from normalize import normalize_text  # noqa: E402
from tokenizer_tools import wordpiece_from_vocab  # noqa: E402

OUT = HERE.parents[1] / "server" / "model" / "transformer" / "fixtures"
WORDS = "good game well play you are such an idiot i will find nice match team uninstall the noob @ user httpurl thanks".split()
VOCAB = WORDS + ["##ed", "##er", "##s", "##ing"] + list("abcdefghijklmnopqrstuvwxyz,.!:/") + [f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz"]
MAX_LENGTH = 12
CASES = [
    {"text": "Good game, well played!", "normalization": "none"},
    {"text": "Players uninstalling… naïve ÉMOJI 😀", "normalization": "none"},
    {"text": "@bob you idiot http://x.co", "normalization": "bertweet"},
    {"text": "@bob you idiot http://x.co", "normalization": "none"},
    {"text": "nice match team " * 6, "normalization": "none"},
    {"text": "", "normalization": "none"},
]


def build() -> dict[str, str]:
    tokenizer = wordpiece_from_vocab(VOCAB)
    cases = []
    for case in CASES:
        normalized = normalize_text(case["text"], case["normalization"])
        ids = tokenizer(normalized, truncation=True, max_length=MAX_LENGTH)["input_ids"]
        cases.append({**case, "maxLength": MAX_LENGTH, "ids": ids})
    return {
        "tokenizer.json": json.dumps(json.loads(tokenizer.backend_tokenizer.to_str()), indent=1, ensure_ascii=False) + "\n",
        "expected-ids.json": json.dumps({"padTokenId": tokenizer.pad_token_id, "cases": cases}, indent=1, ensure_ascii=False) + "\n",
    }


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in build().items():
        (OUT / name).write_text(content, encoding="utf-8")
        print(f"wrote {OUT / name}")
