from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
from conftest import MODEL_DIR

from manifest_io import validate_manifest


def test_bundle_has_the_contract_files(tiny_bundle):
    for name in ("model.onnx", "tokenizer.json", "manifest.json", "metrics.json", "checkpoint/run_config.json"):
        assert (tiny_bundle / name).is_file(), name
    manifest = json.loads((tiny_bundle / "manifest.json").read_text())
    validate_manifest(manifest)
    assert manifest["kind"] == "transformer"
    assert manifest["version"] == "tiny-test"
    assert manifest["labels"] == ["non-toxic", "insult", "threat"]
    assert manifest["nonToxicIndex"] == 0
    assert manifest["featurizer"]["type"] == "hf-tokenizer"
    assert manifest["featurizer"]["inputNames"] == {"inputIds": "input_ids", "attentionMask": "attention_mask", "tokenTypeIds": "token_type_ids"}
    assert manifest["onnx"] == {"file": "model.onnx", "outputName": "logits", "outputIsProbability": False, "opset": 18}


def test_checkpoint_and_manifest_store_the_run_config(tiny_bundle):
    run = json.loads((tiny_bundle / "checkpoint" / "run_config.json").read_text())
    params = json.loads((tiny_bundle / "manifest.json").read_text())["training"]["params"]
    assert run["learning_rate"] == params["learning_rate"] == 3e-3
    assert run["optim"] == "adamw_torch"
    assert run["device"] == "cpu"
    assert run["onnx_max_abs_diff"] < 1e-4


def test_metrics_have_the_case_study_shape_and_the_model_learned(tiny_bundle):
    m = json.loads((tiny_bundle / "metrics.json").read_text())
    assert m["examples"] == 60
    for part in ("binary", "fineGrained"):
        for key in ("precision", "recall", "f1", "rocAuc"):
            assert 0.0 <= m[part][key] <= 1.0, (part, key)
    assert set(m["fineGrained"]["perCategory"]) == {"non-toxic", "insult", "threat"}
    assert sum(sum(row) for row in m["confusionMatrix"]) == 60
    # the toxic rows carry keywords the neutral rows never have: even a tiny model ranks them apart
    assert m["binary"]["rocAuc"] >= 0.8


def test_the_bundle_is_calibrated_on_its_validation_split(tiny_bundle):
    manifest = json.loads((tiny_bundle / "manifest.json").read_text())
    c = manifest["calibration"]
    assert c["fittedOn"] == "validation"
    assert c["method"] in ("none", "temperature", "vector")
    # 300 synthetic rows, a tenth carved out for validation
    assert c["examples"] == 24
    assert [x["method"] for x in c["candidates"]][:2] == ["none", "temperature"]
    # the chosen map has the lowest held-out NLL of those compared
    assert min(x["nll"] for x in c["candidates"]) == next(x["nll"] for x in c["candidates"] if x["method"] == c["method"])
    # the test metrics are the served (calibrated) probabilities' at the calibrated default threshold
    expected = c["flagThreshold"] if c["flagThreshold"] is not None else 0.5
    assert manifest["metrics"]["binary"]["threshold"] == expected


def test_onnx_axes_are_dynamic(tiny_bundle):
    session = ort.InferenceSession(str(tiny_bundle / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input_ids", "attention_mask", "token_type_ids"]
    for batch, length in ((1, 3), (5, 17), (2, 32)):
        feed = {"input_ids": np.full((batch, length), 5, dtype=np.int64), "attention_mask": np.ones((batch, length), dtype=np.int64),
                "token_type_ids": np.zeros((batch, length), dtype=np.int64)}
        (logits,) = session.run(["logits"], feed)
        assert logits.shape == (batch, 3)


def test_configs_folder_is_next_to_train():
    assert (MODEL_DIR / "configs" / "tiny.py").is_file()
