"""
Writes the fixtures server/model/transformer/encode-batch.test.ts reads: a tiny WordPiece tokenizer.json
and the ids Python's Hugging Face tokenizer gives for some texts (normalised, truncated), so the Node
tests check against Python without needing Python. test_node_fixtures_current.py fails if they go stale.

    .venv/bin/python model/tests/make_node_fixtures.py            (tokenizer + ids)
    .venv/bin/python model/tests/make_node_fixtures.py --bundle   (also re-train fixtures/tiny-bundle)
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


def build_bundle() -> None:
    """A tiny trained bundle (model.onnx + tokenizer.json + manifest.json) for the Node import and serving tests."""
    import shutil
    import tempfile

    import prepare
    import train
    from conftest import synthetic_rows, write_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        prepare.prepare(write_jsonl(root / "export.jsonl", synthetic_rows()), root / "data")
        train.main([str(HERE.parent / "configs" / "tiny.py"), f"--data_dir={root / 'data'}", f"--out_dir={root / 'bundle'}",
                    "--version=tiny-fixture"])
        target = OUT / "tiny-bundle"
        target.mkdir(parents=True, exist_ok=True)
        manifest = json.loads((root / "bundle" / "manifest.json").read_text(encoding="utf-8"))
        # temporary paths would make the committed file differ on every run for no reason
        for key in ("data_dir", "out_dir"):
            manifest["training"]["params"][key] = "<tmp>"
        manifest["training"]["dataset"] = "model/tests/conftest.py synthetic_rows()"
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for name in ("model.onnx", "tokenizer.json"):
            shutil.copy(root / "bundle" / name, target / name)
        print(f"wrote {target}")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    if "--bundle" in sys.argv:
        build_bundle()
    for name, content in build().items():
        (OUT / name).write_text(content, encoding="utf-8")
        print(f"wrote {OUT / name}")
