from __future__ import annotations

import copy
import json

import pytest
from conftest import MODEL_DIR

from manifest_io import ManifestError, validate_manifest

EXAMPLE = json.loads((MODEL_DIR / "tests" / "fixtures" / "manifest.example.json").read_text(encoding="utf-8"))


def test_shared_example_is_valid():
    # server/model/transformer/manifest-fixture.test.ts parses the same file with parseManifest
    validate_manifest(EXAMPLE)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda m: m.update(nonToxicIndex=4), "nonToxicIndex"),
        (lambda m: m.update(labels=["a", "a"]), "labels"),
        (lambda m: m.update(labels=["only"]), "labels"),
        (lambda m: m.update(schemaVersion=2), "schemaVersion"),
        (lambda m: m["featurizer"].update(normalization="lowercase"), "featurizer.normalization"),
        (lambda m: m["featurizer"].update(maxLength=0), "featurizer.maxLength"),
        (lambda m: m["onnx"].pop("outputName"), "onnx.outputName"),
        (lambda m: m["training"].update(examples=-1), "training.examples"),
        (lambda m: m["calibration"].update(method="platt"), "calibration.method"),
        (lambda m: m["calibration"].update(shift=[0.0]), "calibration.shift"),
        (lambda m: m["calibration"].update(flagThreshold=1.5), "calibration.flagThreshold"),
        (lambda m: m["calibration"].update(method="temperature"), "calibration.temperature"),
    ],
)
def test_invalid_manifests_name_the_field(mutate, path):
    m = copy.deepcopy(EXAMPLE)
    mutate(m)
    with pytest.raises(ManifestError, match=f"Invalid model manifest: {path}:"):
        validate_manifest(m)


def test_a_manifest_from_before_calibration_is_still_valid():
    m = copy.deepcopy(EXAMPLE)
    del m["calibration"]
    validate_manifest(m)
