"""Expected metric values from scikit-learn (and references) for lib/metrics/parity.test.ts.

Usage:  .venv/bin/python model/tests/metrics/make_fixtures.py      (bash scripts/setup-python.sh first)

Writes lib/metrics/fixtures/{binary,multiclass,evaluate,agreement,intervals}.json. The TypeScript
parity test reads them and must match to 1e-9; test_fixtures_current.py regenerates them in memory
and checks the committed files are still what the installed scikit-learn says.

References: sklearn.metrics for every classification and ranking metric and Cohen's kappa;
statsmodels proportion_confint(method="wilson") for the Wilson interval; scipy.stats.norm.ppf for
normal quantiles; Krippendorff's alpha from the `krippendorff` package when installed, otherwise
krippendorff_reference.py (written from Krippendorff 2011, cited there). NaN (undefined) is null.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy.stats import norm
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    cohen_kappa_score,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from statsmodels.stats.proportion import proportion_confint

import krippendorff_reference

try:  # preferred reference when the local index carries it
    import krippendorff as krippendorff_package  # type: ignore[import-not-found]
except ImportError:
    krippendorff_package = None

FIXTURE_DIR = Path(__file__).resolve().parents[3] / "lib" / "metrics" / "fixtures"

# The fixtures pin what they were computed with; a mismatch is a reason to regenerate, not an error.
VERSIONS = {"scikit-learn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def num(x) -> float | None:
    """JSON-safe float: NaN → null (the TypeScript API's 'undefined'), infinities kept as strings."""
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"  # type: ignore[return-value]
    return x


def nums(xs) -> list:
    return [num(x) for x in xs]


def quiet(fn, *args, **kwargs):
    """sklearn warns on every undefined case the fixtures exercise on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


# --------------------------------------------------------------------------- binary


def binary_expected(y: np.ndarray, s: np.ndarray, threshold: float, *, has_ap: bool = True) -> dict:
    pred = s >= threshold
    p, r, f, _ = quiet(precision_recall_fscore_support, y, pred, average="binary", zero_division=0)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[False, True]).ravel()
    pr_p, pr_r, pr_t = quiet(precision_recall_curve, y, s)
    fpr, tpr, roc_t = quiet(roc_curve, y, s)
    tradeoff = []
    # every cut, in the TypeScript table's order (highest threshold first), from sklearn's own scores
    for t in sorted(set(s.tolist()), reverse=True):
        cut = s >= t
        cp, cr, cf, _ = quiet(precision_recall_fscore_support, y, cut, average="binary", zero_division=0)
        ctn, cfp, cfn, ctp = confusion_matrix(y, cut, labels=[False, True]).ravel()
        tradeoff.append(
            {
                "threshold": num(t),
                "tp": int(ctp),
                "fp": int(cfp),
                "fn": int(cfn),
                "tn": int(ctn),
                "precision": num(cp),
                "recall": num(cr),
                "f1": num(cf),
                "flaggedRate": num(cut.mean()),
            }
        )
    return {
        "precision": num(p),
        "recall": num(r),
        "f1": num(f),
        "tp": int(tp),
        "fp": int(fp),
        "fn": int(fn),
        "tn": int(tn),
        "support": int(y.sum()),
        "rocAuc": num(quiet(roc_auc_score, y, s)),
        # sklearn gives 0 (with a warning) without positives; the TypeScript API says null there
        "averagePrecision": num(quiet(average_precision_score, y, s)) if has_ap else None,
        "prCurve": {"precision": nums(pr_p), "recall": nums(pr_r), "thresholds": nums(pr_t)},
        "rocCurve": {"fpr": nums(fpr), "tpr": nums(tpr), "thresholds": nums(roc_t)},
        "tradeoff": tradeoff,
    }


def binary_case(name: str, y, s, threshold: float = 0.5) -> dict:
    y = np.asarray(y, dtype=bool)
    s = np.asarray(s, dtype=np.float64)
    return {
        "name": name,
        "yTrue": y.tolist(),
        "scores": s.tolist(),
        "threshold": threshold,
        "expected": binary_expected(y, s, threshold, has_ap=bool(y.any())),
    }


def binary_fixtures() -> dict:
    cases = []
    for seed in (1, 2, 3):
        rng = np.random.default_rng(seed)
        n = 300
        y = rng.random(n) < 0.3
        s = np.clip(0.35 * y + 0.75 * rng.random(n), 0, 1)
        cases.append(binary_case(f"random_seed_{seed}", y, s))
    rng = np.random.default_rng(4)
    y = rng.random(400) < 0.4
    # one decimal: many ties between positives and negatives, the case where AUC conventions differ
    cases.append(binary_case("rounded_ties_seed_4", y, np.round(0.3 * y + 0.7 * rng.random(400), 1), 0.6))
    rng = np.random.default_rng(5)
    y = rng.random(250) < 0.2
    # onnxruntime returns float32 probabilities; their float64 widening must behave the same
    s32 = (0.4 * y + 0.6 * rng.random(250)).astype(np.float32).astype(np.float64)
    cases.append(binary_case("float32_scores_seed_5", y, s32, 0.45))
    cases.append(binary_case("all_ties", [True, False, True, False, False], [0.5] * 5))
    cases.append(binary_case("hand_small", [False, False, True, True], [0.1, 0.4, 0.35, 0.8]))
    cases.append(binary_case("perfect_separation", [False, True, False, True], [0.2, 0.9, 0.1, 0.7]))
    cases.append(binary_case("only_negatives", [False, False, False], [0.1, 0.6, 0.3]))
    cases.append(binary_case("only_positives", [True, True, True], [0.1, 0.6, 0.6]))
    cases.append(binary_case("nothing_flagged", [True, False, True], [0.1, 0.2, 0.3], 0.9))
    return {"generator": "model/tests/metrics/make_fixtures.py", "versions": VERSIONS, "cases": cases}


# --------------------------------------------------------------------------- multiclass


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def multiclass_expected(y: np.ndarray, pred: np.ndarray, probs: np.ndarray | None, labels: list) -> dict:
    p, r, f, sup = quiet(precision_recall_fscore_support, y, pred, labels=labels, average=None, zero_division=0)
    macro = quiet(precision_recall_fscore_support, y, pred, labels=labels, average="macro", zero_division=0)
    weighted = quiet(precision_recall_fscore_support, y, pred, labels=labels, average="weighted", zero_division=0)
    default_macro = quiet(precision_recall_fscore_support, y, pred, average="macro", zero_division=0)
    out = {
        "accuracy": num(accuracy_score(y, pred)),
        "confusion": confusion_matrix(y, pred, labels=labels).tolist(),
        "defaultLabels": np.unique(np.concatenate([y, pred])).tolist(),
        "perClass": [
            {"label": lab, "precision": num(p[i]), "recall": num(r[i]), "f1": num(f[i]), "support": int(sup[i])}
            for i, lab in enumerate(labels)
        ],
        "macro": {"precision": num(macro[0]), "recall": num(macro[1]), "f1": num(macro[2])},
        "weighted": {"precision": num(weighted[0]), "recall": num(weighted[1]), "f1": num(weighted[2])},
        "defaultMacro": {"precision": num(default_macro[0]), "recall": num(default_macro[1]), "f1": num(default_macro[2])},
    }
    if probs is not None:
        per_class = [num(quiet(roc_auc_score, y == lab, probs[:, j])) for j, lab in enumerate(labels)]
        out["ovrRocAuc"] = {"perClass": per_class}
        if set(np.unique(y).tolist()) == set(labels):
            # sklearn's own multi-class path, which must agree with the per-class binary AUCs
            out["ovrRocAuc"]["macro"] = num(roc_auc_score(y, probs, multi_class="ovr", average="macro", labels=labels))
        else:
            defined = [v for v in per_class if v is not None]
            out["ovrRocAuc"]["macro"] = num(np.mean(defined)) if defined else None
    return out


def multiclass_fixtures() -> dict:
    cases = []
    for seed, k, n in ((11, 4, 250), (12, 5, 400), (13, 3, 60)):
        rng = np.random.default_rng(seed)
        y = rng.integers(0, k, n)
        logits = rng.normal(0, 1.2, (n, k))
        logits[np.arange(n), y] += 1.5
        probs = softmax(logits)
        pred = probs.argmax(axis=1)
        labels = list(range(k))
        cases.append(
            {
                "name": f"softmax_seed_{seed}_k{k}",
                "yTrue": y.tolist(),
                "yPred": pred.tolist(),
                "probs": probs.tolist(),
                "labels": labels,
                "expected": multiclass_expected(y, pred, probs, labels),
            }
        )
    # a class that is never predicted and one that never occurs in the truth (zero_division paths)
    rng = np.random.default_rng(14)
    y = rng.choice([0, 1, 2], 80)
    pred = np.where(rng.random(80) < 0.7, y, rng.choice([0, 1, 3], 80))
    pred[pred == 2] = 1
    labels = [0, 1, 2, 3]
    logits = rng.normal(0, 1, (80, 4))
    logits[np.arange(80), pred] += 2
    probs = softmax(logits)
    cases.append(
        {
            "name": "missing_classes_seed_14",
            "yTrue": y.tolist(),
            "yPred": pred.tolist(),
            "probs": probs.tolist(),
            "labels": labels,
            "expected": multiclass_expected(y, pred, probs, labels),
        }
    )
    # string labels, sorted by sklearn as strings
    rng = np.random.default_rng(15)
    names = np.array(["non-toxic", "harassment", "hate", "sexual", "Threat"])
    y = names[rng.integers(0, 5, 120)]
    pred = np.where(rng.random(120) < 0.6, y, names[rng.integers(0, 5, 120)])
    labels = ["non-toxic", "hate", "harassment", "sexual", "Threat"]
    cases.append(
        {
            "name": "string_labels_seed_15",
            "yTrue": y.tolist(),
            "yPred": pred.tolist(),
            "probs": None,
            "labels": labels,
            "expected": multiclass_expected(y, pred, None, labels),
        }
    )
    return {"generator": "model/tests/metrics/make_fixtures.py", "versions": VERSIONS, "cases": cases}


# --------------------------------------------------------------------------- evaluateClassifier


def evaluate_fixtures() -> dict:
    cases = []
    for seed, n, threshold in ((21, 500, 0.5), (22, 150, 0.3)):
        rng = np.random.default_rng(seed)
        labels = ["non-toxic", "hate", "harassment", "sexual", "violence"]
        non_toxic = 0
        y = np.where(rng.random(n) < 0.55, 0, rng.integers(1, 5, n))
        logits = rng.normal(0, 1.3, (n, 5))
        logits[np.arange(n), y] += 1.7
        probs = softmax(logits).astype(np.float32).astype(np.float64)  # as stored from onnxruntime
        toxic = 1.0 - probs[:, non_toxic]
        is_toxic = y != non_toxic
        pred_toxic = toxic >= threshold
        pred = probs.argmax(axis=1)
        bp, br, bf, _ = precision_recall_fscore_support(is_toxic, pred_toxic, average="binary", zero_division=0)
        pp, pr_, pf, psup = precision_recall_fscore_support(
            y, pred, labels=list(range(5)), average=None, zero_division=0
        )
        mp, mr, mf, _ = precision_recall_fscore_support(y, pred, average="macro", zero_division=0)
        wp, wr, wf, _ = precision_recall_fscore_support(y, pred, average="weighted", zero_division=0)
        per_class_auc = [roc_auc_score(y == j, probs[:, j]) for j in range(5)]
        cases.append(
            {
                "name": f"evaluate_seed_{seed}",
                "probs": probs.tolist(),
                "yTrue": y.tolist(),
                "labels": labels,
                "nonToxicIndex": non_toxic,
                "threshold": threshold,
                "expected": {
                    "binary": {
                        "precision": num(bp),
                        "recall": num(br),
                        "f1": num(bf),
                        "rocAuc": num(roc_auc_score(is_toxic, toxic)),
                        "averagePrecision": num(average_precision_score(is_toxic, toxic)),
                    },
                    "fineGrained": {
                        "accuracy": num(accuracy_score(y, pred)),
                        "perCategory": [
                            {
                                "label": labels[j],
                                "precision": num(pp[j]),
                                "recall": num(pr_[j]),
                                "f1": num(pf[j]),
                                "support": int(psup[j]),
                                "rocAuc": num(per_class_auc[j]),
                            }
                            for j in range(5)
                        ],
                        "macro": {
                            "precision": num(mp),
                            "recall": num(mr),
                            "f1": num(mf),
                            "rocAuc": num(roc_auc_score(y, probs, multi_class="ovr", average="macro")),
                        },
                        "weighted": {"precision": num(wp), "recall": num(wr), "f1": num(wf)},
                        "confusion": {"labels": labels, "matrix": confusion_matrix(y, pred, labels=list(range(5))).tolist()},
                    },
                },
            }
        )
    return {"generator": "model/tests/metrics/make_fixtures.py", "versions": VERSIONS, "cases": cases}


# --------------------------------------------------------------------------- agreement

# Krippendorff (2011), section C: 4 observers x 12 units, nominal values 1-5, NaN = missing.
KRIPPENDORFF_2011_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, math.nan, math.nan, math.nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, math.nan, 3],
    [math.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, math.nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, math.nan],
]


def alpha(matrix: np.ndarray) -> float:
    ref = krippendorff_reference.alpha_nominal(matrix)
    if krippendorff_package is not None:
        pkg = krippendorff_package.alpha(reliability_data=matrix, level_of_measurement="nominal")
        if not (math.isnan(ref) and math.isnan(pkg)) and abs(ref - pkg) > 1e-12:
            raise SystemExit(f"reference alpha {ref} disagrees with the krippendorff package {pkg}")
    return ref


def ratings_case(name: str, matrix: np.ndarray, categories: list[int]) -> dict:
    """matrix: raters x units with NaN for missing; ratings listed as (unit, rater, label)."""
    raters, units = matrix.shape
    ratings = [
        {"unit": f"u{u}", "rater": f"r{r}", "label": int(matrix[r, u])}
        for u in range(units)
        for r in range(raters)
        if not math.isnan(matrix[r, u])
    ]
    pairs = []
    for a, b in itertools.combinations(range(raters), 2):
        both = ~np.isnan(matrix[a]) & ~np.isnan(matrix[b])
        if not both.any():
            continue
        y1 = matrix[a, both].astype(int)
        y2 = matrix[b, both].astype(int)
        pairs.append(
            {
                "raterA": f"r{a}",
                "raterB": f"r{b}",
                "items": int(both.sum()),
                "agreed": int((y1 == y2).sum()),
                "kappa": num(quiet(cohen_kappa_score, y1, y2)),
            }
        )
    return {
        "name": name,
        "ratings": ratings,
        "categories": categories,
        "expected": {
            "alpha": num(alpha(matrix)),
            "perCategory": [
                {"category": c, "alpha": num(krippendorff_reference.alpha_nominal_one_vs_rest(matrix, c))}
                for c in categories
            ],
            "pairs": pairs,
        },
    }


def agreement_fixtures() -> dict:
    kappa_cases = []
    for seed, n, k in ((31, 200, 4), (32, 50, 2), (33, 500, 6)):
        rng = np.random.default_rng(seed)
        y1 = rng.integers(0, k, n)
        y2 = np.where(rng.random(n) < 0.65, y1, rng.integers(0, k, n))
        kappa_cases.append(
            {"name": f"kappa_seed_{seed}", "y1": y1.tolist(), "y2": y2.tolist(), "kappa": num(cohen_kappa_score(y1, y2))}
        )
    kappa_cases.append(
        {
            "name": "kappa_strings",
            "y1": ["hate", "none", "none", "sexual", "hate", "none"],
            "y2": ["hate", "none", "hate", "sexual", "none", "none"],
            "kappa": num(cohen_kappa_score(["hate", "none", "none", "sexual", "hate", "none"], ["hate", "none", "hate", "sexual", "none", "none"])),
        }
    )
    kappa_cases.append(
        {"name": "kappa_total_disagreement", "y1": [0, 1, 0, 1], "y2": [1, 0, 1, 0], "kappa": num(cohen_kappa_score([0, 1, 0, 1], [1, 0, 1, 0]))}
    )
    kappa_cases.append(
        {"name": "kappa_one_label_only", "y1": [2, 2, 2], "y2": [2, 2, 2], "kappa": num(quiet(cohen_kappa_score, [2, 2, 2], [2, 2, 2]))}
    )

    rating_cases = [ratings_case("krippendorff_2011_example", np.array(KRIPPENDORFF_2011_EXAMPLE), [1, 2, 3, 4, 5])]
    for seed, raters, units, k, missing in ((41, 3, 60, 4, 0.3), (42, 5, 120, 3, 0.5), (43, 2, 40, 5, 0.0), (44, 4, 30, 2, 0.6)):
        rng = np.random.default_rng(seed)
        truth = rng.integers(0, k, units)
        m = np.where(rng.random((raters, units)) < 0.75, truth, rng.integers(0, k, (raters, units))).astype(float)
        m[rng.random((raters, units)) < missing] = math.nan
        rating_cases.append(ratings_case(f"ratings_seed_{seed}_r{raters}_k{k}", m, list(range(k))))
    # everyone agrees on one value: alpha undefined (no expected disagreement)
    rating_cases.append(ratings_case("ratings_single_value", np.array([[1.0, 1.0, math.nan], [1.0, 1.0, 1.0]]), [1]))
    return {
        "generator": "model/tests/metrics/make_fixtures.py",
        "versions": VERSIONS,
        "alphaReference": "krippendorff package" if krippendorff_package is not None else "model/tests/metrics/krippendorff_reference.py",
        "kappa": kappa_cases,
        "ratings": rating_cases,
    }


# --------------------------------------------------------------------------- intervals


def interval_fixtures() -> dict:
    wilson = []
    for successes, trials in ((0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (17, 23), (250, 1000), (1, 3), (999, 1000)):
        for confidence in (0.8, 0.9, 0.95, 0.99):
            lo, hi = proportion_confint(successes, trials, alpha=1 - confidence, method="wilson")
            wilson.append({"successes": successes, "trials": trials, "confidence": confidence, "lower": num(lo), "upper": num(hi)})
    quantiles = [
        {"p": p, "z": num(norm.ppf(p))}
        for p in (1e-300, 1e-20, 1e-9, 1e-4, 0.001, 0.025, 0.05, 0.075, 0.1, 0.3, 0.5, 0.7, 0.9, 0.925, 0.95, 0.975, 0.995, 1 - 1e-9)
    ]
    return {"generator": "model/tests/metrics/make_fixtures.py", "versions": VERSIONS, "wilson": wilson, "normalQuantile": quantiles}


def build_fixtures() -> dict[str, dict]:
    return {
        "binary.json": binary_fixtures(),
        "multiclass.json": multiclass_fixtures(),
        "evaluate.json": evaluate_fixtures(),
        "agreement.json": agreement_fixtures(),
        "intervals.json": interval_fixtures(),
    }


def main() -> None:
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    for name, content in build_fixtures().items():
        path = FIXTURE_DIR / name
        path.write_text(json.dumps(content, allow_nan=False) + "\n")
        print(f"wrote {path.relative_to(FIXTURE_DIR.parents[2])} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    sys.exit(main())
