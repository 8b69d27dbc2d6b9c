"""
Post-hoc calibration for the fine-tuning pipeline, written from the papers in numpy/scipy: the Python
half of the model contract's `calibration` block (lib/model/manifest.ts ZCalibration; the TypeScript
half is lib/calibration/calibrator.ts, which the server applies to every prediction).

Maps act on log-probabilities u = log_softmax(logits):
    temperature  p' = softmax(u / T)              (Guo et al. 2017)
    vector       p' = softmax(a * u + b)          (vector scaling of log-probabilities = diagonal
                                                   Dirichlet calibration, Kull et al. 2019),
                 fitted with a N(1, 1) / N(0, 1) prior on a / b worth one example
Choice: lowest held-out mean NLL over folds (each fold calibrated by a map fitted on the others);
ties keep the simpler map. ECE: 15 equal-width bins over (0, 1], top label (Guo et al. 2017).
The optimisers differ from the TypeScript ones on purpose (scipy L-BFGS-B here, Newton / own L-BFGS
there), so the worked example in model/tests/make_trust_fixtures.py checks the maths, not a port.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

MIN_PROBABILITY = 1e-30
ECE_BINS = 15
MIN_CALIBRATION_EXAMPLES = 20
MIN_EXAMPLES_PER_CLASS_FOR_VECTOR = 5
COMPARISON_FOLDS = 5
THRESHOLD_RULE = ("maximum binary F1 of the calibrated toxic score on the data the calibration was fitted on "
                  "(halfway between the best cut's score and the next lower one)")
METHODS = ("none", "temperature", "vector")


def log_softmax(logits: np.ndarray) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64)
    m = z.max(axis=1, keepdims=True)
    return z - (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def apply_map(cal: dict, u: np.ndarray) -> np.ndarray:
    """Calibrated probabilities of log-probability rows u under a manifest calibration block (or map)."""
    method = cal["method"]
    if method == "temperature":
        return softmax(u / cal["temperature"])
    if method == "vector":
        return softmax(u * np.asarray(cal["scale"]) + np.asarray(cal["shift"]))
    return softmax(u)


def nll(probs: np.ndarray, labels: np.ndarray) -> float:
    return float(-np.log(np.maximum(probs[np.arange(len(labels)), labels], MIN_PROBABILITY)).mean())


def reliability(probs: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS) -> dict:
    conf = probs.max(axis=1)
    pred = probs.argmax(axis=1)
    edges = np.linspace(0.0, 1.0, bins + 1)
    # right=True: a confidence on an edge belongs to the bin below it; 0 goes to the first bin
    which = np.digitize(conf, edges[1:-1], right=True)
    out, ece, n = [], 0.0, len(labels)
    for b in range(bins):
        mask = which == b
        count = int(mask.sum())
        if count:
            c, a = float(conf[mask].mean()), float((pred[mask] == labels[mask]).mean())
            ece += count / n * abs(a - c)
        else:
            c = a = None
        out.append({"lower": float(edges[b]), "upper": float(edges[b + 1]), "count": count, "confidence": c, "accuracy": a})
    return {"bins": out, "ece": ece if n else None}


def brier_binary(probs: np.ndarray, labels: np.ndarray, non_toxic_index: int) -> float:
    return float(np.mean(((1.0 - probs[:, non_toxic_index]) - (labels != non_toxic_index)) ** 2))


def figures(probs: np.ndarray, labels: np.ndarray, non_toxic_index: int) -> dict:
    return {"ece": reliability(probs, labels)["ece"], "nll": nll(probs, labels), "brierBinary": brier_binary(probs, labels, non_toxic_index)}


def fit_temperature(u: np.ndarray, labels: np.ndarray) -> float:
    """T minimising mean NLL of softmax(u / T), optimised over t = 1 / T in [1e-3, 1e3]."""
    if len(labels) == 0:
        return 1.0
    rows = np.arange(len(labels))

    def f(x):
        z = x[0] * u
        lp = log_softmax(z)
        p = np.exp(lp)
        value = -lp[rows, labels].mean()
        grad = ((p * u).sum(axis=1) - u[rows, labels]).mean()
        return value, np.array([grad])

    res = minimize(f, np.array([1.0]), jac=True, method="L-BFGS-B", bounds=[(1e-3, 1e3)],
                   options={"ftol": 1e-15, "gtol": 1e-13, "maxiter": 1000})
    return float(1.0 / res.x[0])


def fit_vector(u: np.ndarray, labels: np.ndarray) -> tuple[list[float], list[float]]:
    m, k = u.shape
    if m == 0:
        return [1.0] * k, [0.0] * k
    lam = 1.0 / m
    rows = np.arange(m)
    onehot = np.zeros_like(u)
    onehot[rows, labels] = 1.0

    def f(x):
        a, b = x[:k], x[k:]
        lp = log_softmax(u * a + b)
        d = np.exp(lp) - onehot
        value = -lp[rows, labels].mean() + 0.5 * lam * (((a - 1.0) ** 2).sum() + (b ** 2).sum())
        grad = np.concatenate([(d * u).mean(axis=0) + lam * (a - 1.0), d.mean(axis=0) + lam * b])
        return value, grad

    x0 = np.concatenate([np.ones(k), np.zeros(k)])
    res = minimize(f, x0, jac=True, method="L-BFGS-B", options={"ftol": 1e-16, "gtol": 1e-12, "maxiter": 5000, "maxcor": 20})
    return [float(v) for v in res.x[:k]], [float(v) for v in res.x[k:]]


def fit_map(method: str, u: np.ndarray, labels: np.ndarray) -> dict:
    if method == "temperature":
        return {"method": "temperature", "temperature": fit_temperature(u, labels)}
    if method == "vector":
        scale, shift = fit_vector(u, labels)
        return {"method": "vector", "scale": scale, "shift": shift}
    return {"method": "none"}


def best_f1_threshold(scores: np.ndarray, is_toxic: np.ndarray) -> float | None:
    """
    The toxic-score cut (flag iff score >= cut) with the best binary F1 (ties: the higher cut), moved
    halfway down to the next lower score, which flags the same rows and generalises better.
    """
    if is_toxic.all() or not is_toxic.any():
        return None
    cuts = np.unique(scores)[::-1]
    best, best_f1 = 0, -1.0
    positives = int(is_toxic.sum())
    for j, t in enumerate(cuts):
        flagged = scores >= t
        tp = int((flagged & is_toxic).sum())
        fp = int((flagged & ~is_toxic).sum())
        f1 = 2 * tp / (2 * tp + fp + (positives - tp)) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = j, f1
    below = cuts[best + 1] if best + 1 < len(cuts) else cuts[best]
    return min(1.0, max(0.0, float((cuts[best] + below) / 2)))


def fit_calibration(u: np.ndarray, labels: np.ndarray, non_toxic_index: int, fitted_on: str,
                    folds: np.ndarray | None = None) -> tuple[dict, np.ndarray]:
    """The manifest `calibration` block for held-out log-probabilities u, and the calibrated probabilities."""
    u = np.asarray(u, dtype=np.float64)
    labels = np.asarray(labels)
    n, k = u.shape
    folds = np.arange(n) % COMPARISON_FOLDS if folds is None else np.asarray(folds)
    fold_ids = sorted(set(folds.tolist()))
    per_class = np.bincount(labels, minlength=k)
    before = figures(softmax(u), labels, non_toxic_index)
    too_few = n < MIN_CALIBRATION_EXAMPLES or len(fold_ids) < 2 or int((per_class > 0).sum()) < 2
    methods = ["none"] if too_few else ["none", "temperature"] + (["vector"] if (per_class >= MIN_EXAMPLES_PER_CLASS_FOR_VECTOR).all() else [])
    candidates = []
    for method in methods:
        held = np.zeros_like(u)
        for f in fold_ids:
            test = folds == f
            held[test] = apply_map(fit_map(method, u[~test], labels[~test]), u[test])
        candidates.append({"method": method, **figures(held, labels, non_toxic_index)})
    chosen = candidates[0]
    for c in candidates:
        if c["nll"] < chosen["nll"] - 1e-12:
            chosen = c
    cal_map = fit_map(chosen["method"], u, labels)
    probs = apply_map(cal_map, u)
    block = {
        **cal_map,
        "fittedOn": fitted_on,
        "examples": int(n),
        "folds": len(fold_ids),
        "chosenBy": (f"none: calibration needs ≥ {MIN_CALIBRATION_EXAMPLES} held-out examples of ≥ 2 classes in ≥ 2 folds" if too_few
                     else "lowest held-out mean NLL (each fold calibrated by a map fitted on the others); ties: the simpler map"),
        "candidates": candidates,
        "before": before,
        "after": figures(probs, labels, non_toxic_index),
        "flagThreshold": best_f1_threshold(1.0 - probs[:, non_toxic_index], labels != non_toxic_index),
        "thresholdRule": THRESHOLD_RULE,
    }
    return block, probs
