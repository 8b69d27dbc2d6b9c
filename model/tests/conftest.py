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


BERTWEET_NEUTRAL = ["hello", "world", "the", "a", "s", "you"]


@pytest.fixture(scope="session")
def bertweet_like_bundle(tmp_path_factory) -> Path:
    """
    The case-study path without a download: a local folder shaped like cardiffnlp/bertweet-base-offensive
    (RoBERTa, 2-way head, slow BertweetTokenizer from vocab.txt + bpe.codes) fine-tuned into 3 categories.
    """
    import prepare
    import train
    from test_bertweet_tokenizer import CODES, VOCAB
    from transformers import RobertaConfig, RobertaForSequenceClassification
    from transformers.models.bertweet.tokenization_bertweet import BertweetTokenizer

    root = tmp_path_factory.mktemp("bertweet")
    base = root / "bertweet-tiny-offensive"  # the name makes normalization "auto" pick "bertweet"
    base.mkdir()
    def write_fastbpe_files() -> None:
        (base / "bpe.codes").write_text("".join(f"{c} 10\n" for c in CODES), encoding="utf-8")
        (base / "vocab.txt").write_text("".join(f"{v} 10\n" for v in VOCAB), encoding="utf-8")

    write_fastbpe_files()
    slow = BertweetTokenizer(vocab_file=str(base / "vocab.txt"), merges_file=str(base / "bpe.codes"))
    slow.save_pretrained(base)
    # transformers 5 saves bpe.codes without fastBPE's count column, which it then cannot read back;
    # the hub's vinai/bertweet-base files have it, so put the originals back
    write_fastbpe_files()
    config = RobertaConfig(vocab_size=len(slow), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                           max_position_embeddings=34, pad_token_id=1, bos_token_id=0, eos_token_id=2, type_vocab_size=1,
                           num_labels=2)
    RobertaForSequenceClassification(config).save_pretrained(base)

    rng = random.Random(1)
    rows = []
    for i in range(120):
        words = rng.sample(BERTWEET_NEUTRAL, 3)
        kind = i % 3
        if kind:
            words.insert(rng.randrange(4), "idiot" if kind == 1 else "zz")
        if i % 4 == 0:
            words.insert(0, "@someone")
        if i % 5 == 0:
            words.append("https://t.co/x")
        rows.append({"text": " ".join(words), "label": ["non-toxic", "insult", "threat"][kind]})
    export = write_jsonl(root / "export.jsonl", rows)
    prepare.prepare(export, root / "data")
    out = root / "bundle"
    code = train.main([str(MODEL_DIR / "configs" / "tiny.py"), f"--init_from={base}", f"--data_dir={root / 'data'}",
                       f"--out_dir={out}", "--version=bertweet-like", "--normalization=auto", "--max_length=128"])
    assert code == 0
    return out
