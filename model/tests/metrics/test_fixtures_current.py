"""The committed metric fixtures must still be what scikit-learn (and the references) compute.

Regenerates every fixture in memory with make_fixtures.build_fixtures() and compares it to
lib/metrics/fixtures/*.json: inputs exactly, numbers to 1e-9 (the same tolerance as the TypeScript
parity test), so a scikit-learn upgrade that changes a definition fails here, not silently in the app.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

# siblings, whatever pytest's import mode or rootdir
sys.path.insert(0, str(Path(__file__).resolve().parent))

import krippendorff_reference  # noqa: E402
import make_fixtures  # noqa: E402

TOLERANCE = 1e-9


def assert_close(actual, expected, where: str) -> None:
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert actual == expected, f"{where}: committed {actual!r}, now {expected!r}"
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{where}: {actual!r} is not a number"
        assert abs(actual - expected) <= TOLERANCE, f"{where}: committed {actual}, sklearn now says {expected}"
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: length differs"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, f"{where}[{i}]")
    elif isinstance(expected, dict):
        # versions record what generated the file; they may differ while the numbers still agree
        keys = set(expected) - {"versions"}
        assert keys == set(actual) - {"versions"}, f"{where}: keys differ"
        for key in sorted(keys):
            assert_close(actual[key], expected[key], f"{where}.{key}")
    else:
        raise AssertionError(f"{where}: unexpected type {type(expected)}")


FRESH = make_fixtures.build_fixtures()


@pytest.mark.parametrize("name", sorted(FRESH))
def test_committed_fixture_matches_a_fresh_computation(name: str) -> None:
    path = make_fixtures.FIXTURE_DIR / name
    assert path.exists(), f"{path} is missing: run .venv/bin/python model/tests/metrics/make_fixtures.py"
    committed = json.loads(path.read_text())
    # a JSON round trip turns the fresh tuples/ints into what the committed file holds
    fresh = json.loads(json.dumps(FRESH[name], allow_nan=False))
    assert_close(committed, fresh, name)


def test_reference_alpha_reproduces_krippendorffs_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: alpha = 0.743
    data = np.array(make_fixtures.KRIPPENDORFF_2011_EXAMPLE)
    assert round(krippendorff_reference.alpha_nominal(data), 3) == 0.743


def test_reference_alpha_matches_the_coincidence_matrix_of_the_paper() -> None:
    # the paper's coincidence matrix for that example has n = 40 pairable values
    o, values = krippendorff_reference.coincidence_matrix(np.array(make_fixtures.KRIPPENDORFF_2011_EXAMPLE))
    assert values == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert o.sum() == pytest.approx(40.0)
    assert o.sum(axis=1).tolist() == pytest.approx([9.0, 13.0, 10.0, 5.0, 3.0])
    assert np.allclose(o, o.T)


def test_reference_alpha_is_one_for_perfect_agreement_and_undefined_for_one_value() -> None:
    assert krippendorff_reference.alpha_nominal(np.array([[1, 2, 3, 1], [1, 2, 3, 1]], dtype=float)) == 1.0
    assert math.isnan(krippendorff_reference.alpha_nominal(np.array([[1, 1], [1, 1]], dtype=float)))
    # a unit rated once carries no pairable value
    assert math.isnan(krippendorff_reference.alpha_nominal(np.array([[1, math.nan], [math.nan, 2]])))
