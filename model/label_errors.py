"""
Confident learning (Northcutt, Jiang & Chuang, JAIR 70, 2021), written from the paper in numpy: the
independent reference for lib/label-errors/confident-learning.ts (checked through the worked example
that model/tests/make_trust_fixtures.py writes).

  t_j        = mean over examples labelled j of p(j | x)                       (per-class threshold)
  y*(x)      = argmax over {j : p(j | x) >= t_j} of p(j | x), none if the set is empty
  C[i][j]    = #{x labelled i with y*(x) = j}                                   (confident joint)
  issue(x)   = y*(x) exists and differs from the label                          (off-diagonal of C)
  quality(x) = p(label | x)                     (self-confidence), or
               (p(label | x) - max_{k != label} p(k | x) + 1) / 2   (normalized margin)
Issues are ranked by quality, lowest first (ties: row order).
"""

from __future__ import annotations

import numpy as np


def find_label_issues(probs: np.ndarray, labels: np.ndarray, rank_by: str = "normalized_margin") -> dict:
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels)
    n, k = probs.shape
    thresholds: list[float | None] = []
    for j in range(k):
        mask = labels == j
        thresholds.append(float(probs[mask, j].mean()) if mask.any() else None)
    t = np.array([np.inf if v is None else v for v in thresholds])
    above = probs >= t[None, :]
    masked = np.where(above, probs, -np.inf)
    likely = np.where(above.any(axis=1), masked.argmax(axis=1), -1)
    joint = np.zeros((k, k), dtype=int)
    for given, true in zip(labels, likely):
        if true >= 0:
            joint[given, true] += 1
    is_issue = (likely >= 0) & (likely != labels)
    rows = np.arange(n)
    self_conf = probs[rows, labels]
    others = probs.copy()
    others[rows, labels] = -np.inf
    margin = self_conf - others.max(axis=1)
    quality = self_conf if rank_by == "self_confidence" else (margin + 1.0) / 2.0
    issue_rows = np.flatnonzero(is_issue)
    order = issue_rows[np.lexsort((issue_rows, quality[issue_rows]))]
    return {
        "thresholds": thresholds,
        "confidentJoint": joint.tolist(),
        "likelyLabels": likely.tolist(),
        "isIssue": is_issue.astype(int).tolist(),
        "selfConfidence": self_conf.tolist(),
        "normalizedMargin": margin.tolist(),
        "quality": quality.tolist(),
        "issues": order.tolist(),
        "suspicion": (is_issue.astype(float) + (1.0 - quality)).tolist(),
    }
