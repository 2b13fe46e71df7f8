"""Contract cases: Keras confusion, AUC, F-score, IoU, hinge and
probabilistic metrics."""

import numpy as np

import jax_metrics as jm
from tests._helpers.contract import ContractCase

GRID = np.array([0.0, 0.25, 0.5, 0.75, 1.0], np.float32)


def scores(rng, n, classes=3, weighted=True):
    """Binary labels and scores, half of them exactly on threshold values."""
    shape = (n, classes)
    y_pred = np.where(
        rng.uniform(size=shape) < 0.5, rng.choice(GRID, shape), rng.uniform(size=shape)
    ).astype(np.float32)
    batch = {"y_true": rng.integers(0, 2, shape).astype(np.float32), "y_pred": y_pred}
    if weighted:
        batch["sample_weight"] = rng.uniform(0, 2, (n,)).astype(np.float32)
    return batch


def sparse_scores(rng, n, classes=4):
    return {
        "y_true": rng.integers(0, classes, (n,)),
        "y_pred": rng.uniform(size=(n, classes)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, (n,)).astype(np.float32),
    }


def one_hot_scores(rng, n, classes=4):
    batch = sparse_scores(rng, n, classes)
    batch["y_true"] = np.eye(classes, dtype=np.float32)[batch["y_true"]]
    return batch


def ids(rng, n, classes=4):
    return {
        "y_true": rng.integers(-1, classes + 1, (n,)),
        "y_pred": rng.integers(0, classes, (n,)),
        "sample_weight": rng.uniform(0, 2, (n,)).astype(np.float32),
    }


def positive(rng, n, classes=3):
    return {
        "y_true": rng.uniform(0, 1, (n, classes)).astype(np.float32),
        "y_pred": rng.uniform(0.05, 1, (n, classes)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, (n,)).astype(np.float32),
    }


def binary_probabilities(rng, n):
    return {
        "y_true": rng.integers(0, 2, (n, 2)).astype(np.float32),
        "y_pred": rng.uniform(0.05, 0.95, (n, 2)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, (n,)).astype(np.float32),
    }


M = jm.metrics
CASES = [
    ContractCase(
        "TruePositives", lambda: M.TruePositives(thresholds=[0.25, 0.5]), scores
    ),
    ContractCase("FalsePositives", M.FalsePositives, scores),
    ContractCase("TrueNegatives", lambda: M.TrueNegatives(thresholds=0.75), scores),
    ContractCase("FalseNegatives", M.FalseNegatives, scores),
    ContractCase("Precision-top_k", lambda: M.Precision(top_k=2), scores),
    ContractCase("Recall-class_id", lambda: M.Recall(class_id=1), scores),
    ContractCase("AUC-ROC", M.AUC, scores),
    ContractCase(
        "AUC-PR-10000", lambda: M.AUC(curve="PR", num_thresholds=10000), scores
    ),
    ContractCase(
        "AUC-multi_label",
        lambda: M.AUC(multi_label=True, num_labels=3, label_weights=[1.0, 2.0, 0.5]),
        scores,
    ),
    ContractCase(
        "SensitivityAtSpecificity", lambda: M.SensitivityAtSpecificity(0.5), scores
    ),
    ContractCase(
        "SpecificityAtSensitivity", lambda: M.SpecificityAtSensitivity(0.5), scores
    ),
    ContractCase(
        "PrecisionAtRecall", lambda: M.PrecisionAtRecall(0.5, class_id=2), scores
    ),
    ContractCase(
        "RecallAtPrecision", lambda: M.RecallAtPrecision(0.5, num_thresholds=7), scores
    ),
    ContractCase(
        "FBetaScore-macro-sparse",
        lambda: M.FBetaScore(average="macro", beta=2.0, num_classes=4),
        sparse_scores,
    ),
    ContractCase(
        "F1Score-micro",
        lambda: M.F1Score(average="micro", threshold=0.5),
        one_hot_scores,
    ),
    ContractCase("F1Score-none", lambda: M.F1Score(num_classes=4), one_hot_scores),
    ContractCase("IoU", lambda: M.IoU(4, [0, 2], ignore_class=1), ids, invalid=True),
    ContractCase("MeanIoU", lambda: M.MeanIoU(4), ids, invalid=True),
    ContractCase("BinaryIoU", lambda: M.BinaryIoU(threshold=0.3), binary_probabilities),
    ContractCase("OneHotIoU", lambda: M.OneHotIoU(4, [1, 3]), one_hot_scores),
    ContractCase("OneHotMeanIoU", lambda: M.OneHotMeanIoU(4), one_hot_scores),
    ContractCase("Hinge", M.Hinge, binary_probabilities),
    ContractCase("SquaredHinge", M.SquaredHinge, binary_probabilities),
    ContractCase("CategoricalHinge", M.CategoricalHinge, one_hot_scores),
    ContractCase("BinaryCrossentropy", M.BinaryCrossentropy, binary_probabilities),
    ContractCase(
        "CategoricalCrossentropy",
        lambda: M.CategoricalCrossentropy(label_smoothing=0.1),
        one_hot_scores,
    ),
    ContractCase(
        "SparseCategoricalCrossentropy",
        lambda: M.SparseCategoricalCrossentropy(ignore_class=0),
        sparse_scores,
    ),
    ContractCase("KLDivergence", M.KLDivergence, positive),
    ContractCase("Poisson", M.Poisson, positive),
]
