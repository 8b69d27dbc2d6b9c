"""The committed calibration and confident-learning fixtures must still be what the Python reference computes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_trust_fixtures  # noqa: E402

FRESH = make_trust_fixtures.build()


# The fixtures hold fitted values (a calibration map found by an optimiser, margins from it): the same code
# on another CPU (another BLAS kernel, another summation order) lands ~1e-9 away, which a 1e-9 tolerance
# failed on a fresh machine. 1e-6 still catches any change to what is computed.
TOLERANCE = 1e-6


def assert_close(actual, expected, where: str, tol: float = TOLERANCE) -> None:
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert actual == expected, f"{where}: committed {actual!r}, now {expected!r}"
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)), f"{where}: {actual!r} is not a number"
        assert abs(actual - expected) <= tol, f"{where}: committed {actual}, now {expected}"
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: length differs"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, f"{where}[{i}]", tol)
    elif isinstance(expected, dict):
        assert set(actual) == set(expected), f"{where}: keys differ"
        for key in sorted(expected):
            assert_close(actual[key], expected[key], f"{where}.{key}", tol)
    else:
        raise AssertionError(f"{where}: unexpected type {type(expected)}")


@pytest.mark.parametrize("path", sorted(FRESH), ids=lambda p: p.name)
def test_committed_fixture_matches_a_fresh_computation(path: Path) -> None:
    assert path.exists(), f"{path} is missing: run .venv/bin/python model/tests/make_trust_fixtures.py"
    committed = json.loads(path.read_text())
    fresh = json.loads(make_trust_fixtures.dump(FRESH[path]))
    assert_close(committed, fresh, path.name)


def test_the_example_is_miscalibrated_and_calibration_fixes_it() -> None:
    cal = FRESH[make_trust_fixtures.CALIBRATION_OUT]["expected"]
    assert cal["uncalibrated"]["ece"] > 0.1
    assert cal["calibration"]["method"] in ("temperature", "vector")
    assert cal["calibration"]["after"]["ece"] < cal["uncalibrated"]["ece"] / 2
    # the chosen map has the lowest held-out NLL of the candidates
    nlls = {c["method"]: c["nll"] for c in cal["calibration"]["candidates"]}
    assert nlls[cal["calibration"]["method"]] == min(nlls.values())


def test_confident_learning_finds_most_flips() -> None:
    cl = FRESH[make_trust_fixtures.LABEL_ERRORS_OUT]
    flipped = np.array(cl["input"]["flipped"], dtype=bool)
    for rank, result in cl["expected"].items():
        issues = np.array(result["issues"])
        top = issues[: int(flipped.sum())]
        assert flipped[top].mean() > 0.5, rank


def test_temperature_gradient_vanishes_at_the_fitted_value() -> None:
    import calibration

    ex = make_trust_fixtures.example()
    t = 1.0 / calibration.fit_temperature(ex["u"], ex["labels"])
    p = calibration.softmax(t * ex["u"])
    rows = np.arange(len(ex["labels"]))
    grad = ((p * ex["u"]).sum(axis=1) - ex["u"][rows, ex["labels"]]).mean()
    assert abs(grad) < 1e-8
