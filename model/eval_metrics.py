"""
The metrics the case study reports, from logits on a labelled split (scikit-learn does the maths):
binary toxic vs non-toxic (toxic score = 1 - p(non-toxic), flagged at 0.5 like a workspace's default
threshold) and fine-grained per-category / macro precision, recall, F1 and one-vs-rest ROC-AUC.
Undefined values (an AUC with one class present) are None so they survive JSON.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support, roc_auc_score


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _auc(y_true: np.ndarray, score: np.ndarray) -> float | None:
    if len(np.unique(y_true)) < 2:
        return None
    return float(roc_auc_score(y_true, score))


def compute_metrics(logits: np.ndarray, labels: np.ndarray, label_names: list[str], non_toxic_index: int,
                    flag_threshold: float = 0.5) -> dict:
    probs = softmax(np.asarray(logits, dtype=np.float64))
    labels = np.asarray(labels)
    pred = probs.argmax(axis=1)
    toxic_score = 1.0 - probs[:, non_toxic_index]
    y_bin = labels != non_toxic_index
    p_bin = toxic_score >= flag_threshold
    bp, br, bf, _ = precision_recall_fscore_support(y_bin, p_bin, average="binary", zero_division=0)
    k = len(label_names)
    per_p, per_r, per_f, support = precision_recall_fscore_support(labels, pred, labels=list(range(k)), zero_division=0)
    per_auc = [_auc(labels == i, probs[:, i]) for i in range(k)]
    defined_auc = [a for a in per_auc if a is not None]
    return {
        "split": "test",
        "examples": int(len(labels)),
        "accuracy": float(accuracy_score(labels, pred)),
        "binary": {"precision": float(bp), "recall": float(br), "f1": float(bf), "rocAuc": _auc(y_bin, toxic_score),
                   "threshold": flag_threshold},
        "fineGrained": {
            "precision": float(np.mean(per_p)),
            "recall": float(np.mean(per_r)),
            "f1": float(np.mean(per_f)),
            # macro one-vs-rest over the classes present in the split
            "rocAuc": float(np.mean(defined_auc)) if defined_auc else None,
            "perCategory": {
                name: {"precision": float(per_p[i]), "recall": float(per_r[i]), "f1": float(per_f[i]),
                       "rocAuc": per_auc[i], "support": int(support[i])}
                for i, name in enumerate(label_names)
            },
        },
        "confusionMatrix": confusion_matrix(labels, pred, labels=list(range(k))).tolist(),
    }
