"""
Writes and checks the model contract (lib/model/manifest.ts, ZModelManifest) from Python.
The checks mirror the zod schema; model/tests/fixtures/manifest.example.json is validated by both
this module and parseManifest in TypeScript, so the two sides cannot drift apart unnoticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


class ManifestError(ValueError):
    pass


def build_transformer_manifest(*, version: str, labels: list[str], non_toxic_index: int, max_length: int,
                               normalization: str, pad_token_id: int, input_names: list[str], opset: int,
                               base_model: str, trained_at: str, examples: int, dataset: str,
                               params: dict[str, Any], metrics: dict[str, Any],
                               calibration: dict[str, Any] | None = None) -> dict[str, Any]:
    names: dict[str, str] = {"inputIds": "input_ids", "attentionMask": "attention_mask"}
    if "token_type_ids" in input_names:
        names["tokenTypeIds"] = "token_type_ids"
    manifest = {
        "schemaVersion": SCHEMA_VERSION,
        "version": version,
        "kind": "transformer",
        "labels": labels,
        "nonToxicIndex": non_toxic_index,
        "featurizer": {
            "type": "hf-tokenizer",
            "tokenizerFile": "tokenizer.json",
            "maxLength": max_length,
            "normalization": normalization,
            "padTokenId": pad_token_id,
            "inputNames": names,
        },
        "onnx": {"file": "model.onnx", "outputName": "logits", "outputIsProbability": False, "opset": opset},
        "training": {"baseModel": base_model, "trainedAt": trained_at, "examples": examples, "dataset": dataset,
                     "params": params},
        "metrics": metrics,
    }
    if calibration is not None:
        manifest["calibration"] = calibration
    validate_manifest(manifest)
    return manifest


def _require(cond: bool, path: str, message: str) -> None:
    if not cond:
        raise ManifestError(f"Invalid model manifest: {path}: {message}")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def validate_manifest(m: Any) -> None:
    """The transformer half of ZModelManifest; raises ManifestError naming the first bad field."""
    _require(isinstance(m, dict), "manifest", "expected an object")
    _require(m.get("schemaVersion") == SCHEMA_VERSION, "schemaVersion", f"expected {SCHEMA_VERSION}")
    _require(isinstance(m.get("version"), str) and len(m["version"]) > 0, "version", "non-empty string required")
    _require(m.get("kind") in ("hashed-linear", "transformer"), "kind", "expected hashed-linear or transformer")
    labels = m.get("labels")
    _require(isinstance(labels, list) and len(labels) >= 2 and all(isinstance(x, str) and x for x in labels),
             "labels", "at least two non-empty strings")
    _require(len(set(labels)) == len(labels), "labels", "labels must be unique")
    nti = m.get("nonToxicIndex")
    _require(_is_int(nti) and 0 <= nti < len(labels), "nonToxicIndex", "must point into labels")
    f = m.get("featurizer")
    _require(isinstance(f, dict), "featurizer", "expected an object")
    if f.get("type") == "hf-tokenizer":
        _require(isinstance(f.get("tokenizerFile", "tokenizer.json"), str), "featurizer.tokenizerFile", "string")
        _require(_is_int(f.get("maxLength")) and f["maxLength"] > 0, "featurizer.maxLength", "positive integer")
        _require(f.get("normalization", "none") in ("none", "bertweet"), "featurizer.normalization", "none or bertweet")
        _require(_is_int(f.get("padTokenId")) and f["padTokenId"] >= 0, "featurizer.padTokenId", "non-negative integer")
        names = f.get("inputNames")
        _require(isinstance(names, dict), "featurizer.inputNames", "expected an object")
        for key, value in names.items():
            _require(key in ("inputIds", "attentionMask", "tokenTypeIds") and isinstance(value, str),
                     f"featurizer.inputNames.{key}", "unknown key or not a string")
    else:
        _require(f.get("type") == "hashed-ngrams", "featurizer.type", "expected hf-tokenizer or hashed-ngrams")
    o = m.get("onnx")
    _require(isinstance(o, dict) and isinstance(o.get("outputName"), str), "onnx.outputName", "string required")
    _require(isinstance(o.get("outputIsProbability"), bool), "onnx.outputIsProbability", "boolean required")
    _require(isinstance(o.get("file", "model.onnx"), str), "onnx.file", "string")
    _require("opset" not in o or (_is_int(o["opset"]) and o["opset"] > 0), "onnx.opset", "positive integer")
    t = m.get("training")
    _require(isinstance(t, dict), "training", "expected an object")
    for key in ("baseModel", "trainedAt", "dataset"):
        _require(isinstance(t.get(key), str), f"training.{key}", "string required")
    _require(_is_int(t.get("examples")) and t["examples"] >= 0, "training.examples", "non-negative integer")
    _require(isinstance(t.get("params", {}), dict), "training.params", "object")
    _require(isinstance(m.get("metrics", {}), dict), "metrics", "object")
    if "calibration" in m:
        _validate_calibration(m["calibration"], len(labels))


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _validate_calibration(c: Any, n_labels: int) -> None:
    """ZCalibration: the method and its parameters, what it was fitted on, the comparison, the default threshold."""
    _require(isinstance(c, dict), "calibration", "expected an object")
    method = c.get("method")
    _require(method in ("none", "temperature", "vector"), "calibration.method", "expected none, temperature or vector")
    if method == "temperature":
        _require(_is_num(c.get("temperature")) and c["temperature"] > 0, "calibration.temperature", "positive number required")
    if method == "vector":
        for key in ("scale", "shift"):
            v = c.get(key)
            _require(isinstance(v, list) and len(v) == n_labels and all(_is_num(x) for x in v), f"calibration.{key}",
                     "one number per label required")
    _require(c.get("fittedOn") in ("out-of-fold", "validation"), "calibration.fittedOn", "expected out-of-fold or validation")
    for key in ("examples", "folds"):
        _require(_is_int(c.get(key)) and c[key] >= 0, f"calibration.{key}", "non-negative integer")
    for key in ("chosenBy", "thresholdRule"):
        _require(isinstance(c.get(key), str), f"calibration.{key}", "string required")
    _require(isinstance(c.get("candidates"), list), "calibration.candidates", "list required")
    for key in ("before", "after"):
        _require(isinstance(c.get(key), dict), f"calibration.{key}", "object required")
    t = c.get("flagThreshold")
    _require(t is None or (_is_num(t) and 0 <= t <= 1), "calibration.flagThreshold", "null or a number in [0, 1]")


def write_manifest(manifest: dict[str, Any], out_dir: Path) -> Path:
    validate_manifest(manifest)
    path = out_dir / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return path
