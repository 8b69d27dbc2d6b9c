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


def test_pytorch_and_node_agree(tiny_bundle, tmp_path):
    tsx = REPO_ROOT / "node_modules" / ".bin" / "tsx"
    if not tsx.exists():
        pytest.fail("node_modules/.bin/tsx is missing: run npm ci first")
    manifest = json.loads((tiny_bundle / "manifest.json").read_text())
    max_length = manifest["featurizer"]["maxLength"]
    normalization = manifest["featurizer"]["normalization"]
    tokenizer = AutoTokenizer.from_pretrained(tiny_bundle / "checkpoint")
    model = AutoModelForSequenceClassification.from_pretrained(tiny_bundle / "checkpoint").eval()
    normalized = [normalize_text(t, normalization) for t in TEXTS]
    expected_ids = tokenizer(normalized, truncation=True, max_length=max_length)["input_ids"]
    enc = tokenizer(normalized, truncation=True, max_length=max_length, padding=True, return_tensors="pt")
    with torch.no_grad():
        expected_logits = model(**enc).logits.numpy()

    (tmp_path / "texts.json").write_text(json.dumps(TEXTS), encoding="utf-8")
    node = subprocess.run([str(tsx), "server/model/transformer/score-model-dir.ts", str(tiny_bundle), str(tmp_path / "texts.json")],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert node.returncode == 0, node.stderr
    got = json.loads(node.stdout)
    assert got["ids"] == expected_ids
    assert len(got["ids"][5]) == max_length
    diff = np.abs(np.asarray(got["logits"]) - expected_logits).max()
    assert diff <= 1e-4, f"Node logits differ from PyTorch by {diff}"
