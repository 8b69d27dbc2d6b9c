"""
Shared fixtures: a synthetic labelled export whose toxic rows carry keywords, and one tiny BERT trained
from scratch on it (once per session, ~30 s on CPU) with the full bundle exported: the tests check
that bundle rather than re-training for each assertion.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

MODEL_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = MODEL_DIR.parent
sys.path.insert(0, str(MODEL_DIR))

NEUTRAL = "game team play good nice match round map win lose friend chat hello thanks well done mate".split()
INSULT = "idiot stupid loser trash noob dumb clown".split()
THREAT = "kill hurt destroy find beat smash".split()


def synthetic_rows(n: int = 300, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        words = rng.sample(NEUTRAL, 4)
        kind = i % 3
        if kind == 1:
            words.insert(rng.randrange(5), rng.choice(INSULT))
        elif kind == 2:
            words.insert(rng.randrange(5), rng.choice(THREAT))
        if i % 7 == 0:
            words.append("@someone")
        if i % 11 == 0:
            words.append("http://x.co/a")
        rows.append({"text": " ".join(words), "label": ["non-toxic", "insult", "threat"][kind]})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_bundle(tmp_path_factory) -> Path:
    import prepare
    import train

    root = tmp_path_factory.mktemp("tiny")
    export = write_jsonl(root / "export.jsonl", synthetic_rows())
    prepare.prepare(export, root / "data")
    out = root / "bundle"
    code = train.main([str(MODEL_DIR / "configs" / "tiny.py"), f"--data_dir={root / 'data'}", f"--out_dir={out}",
                       "--version=tiny-test"])
    assert code == 0
    return out
