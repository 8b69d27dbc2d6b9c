"""
A small worked example for calibration, ECE and confident learning, computed in Python (numpy/scipy,
model/calibration.py and model/label_errors.py, written from the papers), which the TypeScript unit
tests (lib/calibration/*.test.ts, lib/label-errors/*.test.ts) must reproduce.

    .venv/bin/python model/tests/make_trust_fixtures.py

Writes lib/calibration/fixtures/worked-example.json and lib/label-errors/fixtures/worked-example.json;
test_trust_fixtures_current.py regenerates them in memory and checks the committed files.

The example: 240 rows, 3 classes (0 = non-toxic, most common), an overconfident model (logits × 2.5)
that also over-weights the rare classes (as class balancing does), 10% of the given labels flipped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import calibration  # noqa: E402
import label_errors  # noqa: E402

REPO = HERE.parents[1]
CALIBRATION_OUT = REPO / "lib" / "calibration" / "fixtures" / "worked-example.json"
LABEL_ERRORS_OUT = REPO / "lib" / "label-errors" / "fixtures" / "worked-example.json"


def example() -> dict:
    rng = np.random.default_rng(16)
    n, k = 240, 3
    true = rng.choice(k, size=n, p=[0.6, 0.25, 0.15])
    logits = rng.normal(0.0, 1.0, size=(n, k))
    logits[np.arange(n), true] += 1.6
    u = calibration.log_softmax(2.5 * logits + np.array([0.0, 0.4, 0.9]))
    flipped = rng.random(n) < 0.1
    given = true.copy()
    given[flipped] = (true[flipped] + rng.integers(1, k, size=int(flipped.sum()))) % k
    folds = rng.integers(0, 5, size=n)
    return {"u": u, "true": true, "labels": given, "flipped": flipped, "folds": folds, "classes": k, "nonToxicIndex": 0}


def build() -> dict[Path, dict]:
    ex = example()
    u, labels, folds, nti = ex["u"], ex["labels"], ex["folds"], ex["nonToxicIndex"]
    uncal = calibration.softmax(u)
    block, probs = calibration.fit_calibration(u, labels, nti, "out-of-fold", folds)
    cal = {
        "input": {"logProbs": u.tolist(), "labels": labels.tolist(), "folds": folds.tolist(), "classes": ex["classes"], "nonToxicIndex": nti},
        "expected": {
            "uncalibratedReliability": calibration.reliability(uncal, labels),
            "uncalibrated": calibration.figures(uncal, labels, nti),
            "temperature": calibration.fit_temperature(u, labels),
            "vector": dict(zip(("scale", "shift"), calibration.fit_vector(u, labels))),
            "calibration": block,
            "calibratedProbs": probs.tolist(),
        },
    }
    # confident learning on the calibrated probabilities, as the product runs it
    cl = {
        "input": {"probs": probs.tolist(), "labels": labels.tolist(), "classes": ex["classes"], "flipped": ex["flipped"].astype(int).tolist()},
        "expected": {rank: label_errors.find_label_issues(probs, labels, rank) for rank in ("self_confidence", "normalized_margin")},
    }
    return {CALIBRATION_OUT: cal, LABEL_ERRORS_OUT: cl}


def dump(obj: dict) -> str:
    return json.dumps(obj, indent=1, allow_nan=False) + "\n"


if __name__ == "__main__":
    for path, content in build().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(content), encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
