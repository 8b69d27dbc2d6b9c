from __future__ import annotations

import json

import pytest
from conftest import MODEL_DIR

from normalize import default_normalization, normalize_text

CASES = json.loads((MODEL_DIR / "tests" / "fixtures" / "normalize-cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["input"][:30] for c in CASES])
def test_shared_normalisation_cases(case):
    # the same file is checked by server/model/transformer/normalize-text.test.ts
    assert normalize_text(case["input"], case["normalization"]) == case["expected"]


def test_bertweet_family_is_detected():
    assert default_normalization("cardiffnlp/bertweet-base-offensive", "roberta") == "bertweet"
    assert default_normalization("vinai/bertweet-base", None) == "bertweet"
    assert default_normalization("bert-base-uncased", "bert") == "none"


def test_unknown_normalisation_is_rejected():
    with pytest.raises(ValueError, match="unknown normalization"):
        normalize_text("x", "lowercase")
