"""
Parity: the same texts through PyTorch (as trained) and through the Node server's path
(normalise + @huggingface/tokenizers + onnxruntime-node) give the same token ids and logits within 1e-4.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from calibration import apply_map, log_softmax
from normalize import normalize_text

TEXTS = [
    "good game well done mate",
    "you idiot noob, uninstall",
    "i will find you and hurt you",
    "@someone http://x.co/a trash talk",
    "ÇA VA? naïve café — emoji 😀 and tabs\tand\nnewlines",
    " ".join(["match round map"] * 40),  # longer than maxLength: truncation must keep [CLS] ... [SEP]
    "x",
]


def assert_node_matches_pytorch(bundle, texts, tmp_path) -> dict:
    tsx = REPO_ROOT / "node_modules" / ".bin" / "tsx"
    if not tsx.exists():
        pytest.fail("node_modules/.bin/tsx is missing: run npm ci first")
    manifest = json.loads((bundle / "manifest.json").read_text())
    max_length = manifest["featurizer"]["maxLength"]
    normalization = manifest["featurizer"]["normalization"]
    tokenizer = AutoTokenizer.from_pretrained(bundle / "checkpoint")
    model = AutoModelForSequenceClassification.from_pretrained(bundle / "checkpoint").eval()
    normalized = [normalize_text(t, normalization) for t in texts]
    expected_ids = tokenizer(normalized, truncation=True, max_length=max_length)["input_ids"]
    enc = tokenizer(normalized, truncation=True, max_length=max_length, padding=True, return_tensors="pt")
    with torch.no_grad():
        expected_logits = model(**enc).logits.numpy()

    (tmp_path / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    node = subprocess.run([str(tsx), "server/model/transformer/score-model-dir.ts", str(bundle), str(tmp_path / "texts.json")],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert node.returncode == 0, node.stderr
    got = json.loads(node.stdout)
    assert got["ids"] == expected_ids
    diff = np.abs(np.asarray(got["logits"]) - expected_logits).max()
    assert diff <= 1e-4, f"Node logits differ from PyTorch by {diff}"
    # what the app serves: the manifest's calibration applied in Node equals the Python pipeline's own map
    expected_probs = apply_map(manifest.get("calibration", {"method": "none"}), log_softmax(expected_logits))
    probs_diff = np.abs(np.asarray(got["probs"]) - expected_probs).max()
    assert probs_diff <= 1e-5, f"Node's calibrated probabilities differ from Python's by {probs_diff}"
    return {"manifest": manifest, "ids": got["ids"], "tokenizer": tokenizer}


def test_pytorch_and_node_agree(tiny_bundle, tmp_path):
    got = assert_node_matches_pytorch(tiny_bundle, TEXTS, tmp_path)
    # calibrated on the validation split, so the parity above covered a real map
    assert got["manifest"]["calibration"]["fittedOn"] == "validation"
    assert len(got["ids"][5]) == got["manifest"]["featurizer"]["maxLength"]


def test_bertweet_like_checkpoint_runs_the_recipe_path_and_matches_in_node(bertweet_like_bundle, tmp_path):
    manifest = json.loads((bertweet_like_bundle / "manifest.json").read_text())
    featurizer = manifest["featurizer"]
    assert featurizer["normalization"] == "bertweet"
    assert featurizer["inputNames"] == {"inputIds": "input_ids", "attentionMask": "attention_mask"}
    assert featurizer["maxLength"] == 32  # 34 positions - 2 for RoBERTa's padding offset
    assert featurizer["padTokenId"] == 1
    assert manifest["labels"] == ["non-toxic", "insult", "threat"]  # the checkpoint's 2-way head was replaced
    assert manifest["training"]["params"]["tokenizer_agreement"] == 1.0
    texts = ["@bob hello world", "you idiot https://t.co/x", "the zz world", "hellx unknown ✓", " ".join(["hello world"] * 30)]
    got = assert_node_matches_pytorch(bertweet_like_bundle, texts, tmp_path)
    # "@bob" reached the model as BERTweet's "@USER" token, in Node as in Python
    assert got["ids"][0][1] == got["tokenizer"].convert_tokens_to_ids("@USER</w>")
