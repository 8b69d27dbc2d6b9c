"""Reference Krippendorff's alpha (nominal), written from the definition, for the parity fixtures.

The `krippendorff` package is not in this machine's local wheel index, so this module is the
reference instead. It follows K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011),
Annenberg School for Communication, Departmental Papers (ASC) 43, section C ("nominal data, any
number of observers, missing data"), step by step and with an explicit coincidence matrix — a
different computation path from the TypeScript, which uses closed-form sums:

1. reliability data: an observers x units matrix, NaN where a value is missing;
2. per unit u with m_u >= 2 values: o_ck += (number of ordered pairs (c, k) of values from
   different observers) / (m_u - 1); units with fewer than two values are not pairable;
3. n_c = sum_k o_ck, n = sum_c n_c;
4. alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k   (nominal metric: delta = [c != k]).

When the package is installed, make_fixtures.py cross-checks this reference against it.
The paper's worked example (4 observers, 12 units, missing values; alpha_nominal = 0.743) is a
test in test_fixtures_current.py.
"""

from __future__ import annotations

import math

import numpy as np


def coincidence_matrix(reliability_data: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Return (o, values): o[c, k] over the sorted distinct values; NaN means missing."""
    data = np.asarray(reliability_data, dtype=float)
    values = sorted({float(v) for v in data.ravel() if not math.isnan(v)})
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for u in range(data.shape[1]):
        column = [float(v) for v in data[:, u] if not math.isnan(v)]
        m_u = len(column)
        if m_u < 2:
            continue
        # every ordered pair of values given by two different observers of this unit
        for i in range(m_u):
            for j in range(m_u):
                if i != j:
                    o[index[column[i]], index[column[j]]] += 1.0 / (m_u - 1)
    return o, values


def alpha_nominal(reliability_data: np.ndarray) -> float:
    """Krippendorff's alpha for nominal data; NaN when undefined (no pairable values, or one value only)."""
    o, _ = coincidence_matrix(reliability_data)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return math.nan
    delta = 1.0 - np.eye(len(n_c))
    expected = float((np.outer(n_c, n_c) * delta).sum())
    if expected == 0.0:
        return math.nan
    observed = float((o * delta).sum())
    return 1.0 - (n - 1.0) * observed / expected


def alpha_nominal_one_vs_rest(reliability_data: np.ndarray, category: float) -> float:
    """Alpha on the binary question "is the value `category`?" (missing stays missing)."""
    data = np.asarray(reliability_data, dtype=float)
    binary = np.where(np.isnan(data), np.nan, (data == category).astype(float))
    return alpha_nominal(binary)
