"""Contract cases: torchmetrics-style task classification metrics."""

import numpy as np

import jax_metrics as jm
from tests._helpers.contract import ContractCase

M = jm.metrics
C = 3


def binary(rng, n):
    return {
        "y_true": rng.integers(0, 2, size=(n,)),
        "y_pred": rng.uniform(size=(n,)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def multiclass(rng, n):
    return {
        "y_true": rng.integers(0, C, size=(n,)),
        "y_pred": rng.normal(size=(n, C)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def multilabel(rng, n):
    return {
        "y_true": rng.integers(0, 2, size=(n, C)),
        "y_pred": rng.uniform(size=(n, C)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def segmentation(rng, n):
    return {
        "y_true": rng.integers(0, C, size=(n, 4)),
        "y_pred": rng.normal(size=(n, 4, C)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


_BATCH = {"binary": binary, "multiclass": multiclass, "multilabel": multilabel}
_SIZE = {
    "binary": {},
    "multiclass": {"num_classes": C},
    "multilabel": {"num_labels": C},
}


def _case(cls_name, batch=None, **options):
    task = next(t for t in _BATCH if cls_name.lower().startswith(t))
    cls = getattr(M, cls_name)
    kwargs = {**_SIZE[task], **options}
    if cls_name.endswith("FBetaScore"):
        kwargs.setdefault("beta", 2.0)
    suffix = ",".join(f"{k}={v}" for k, v in options.items())
    return ContractCase(
        f"{cls_name}({suffix})" if suffix else cls_name,
        lambda: cls(**kwargs),
        batch or _BATCH[task],
        rtol=1e-4,
        atol=1e-5,
    )


_STAT_FAMILIES = (
    "StatScores",
    "Accuracy",
    "Precision",
    "Recall",
    "F1Score",
    "FBetaScore",
    "Specificity",
    "NegativePredictiveValue",
    "HammingDistance",
    "JaccardIndex",
    "ConfusionMatrix",
    "MatthewsCorrCoef",
    "CohenKappa",
    "ExactMatch",
)

CASES = [
    _case(f"{task.capitalize()}{family}")
    for family in _STAT_FAMILIES
    for task in _BATCH
    if hasattr(M, f"{task.capitalize()}{family}")
    and f"{task.capitalize()}{family}" != "BinaryAccuracy"  # Keras' metric
]
CASES += [
    _case("MulticlassPrecision", average="none", top_k=2, ignore_index=1),
    _case("MulticlassRecall", segmentation, multidim_average="samplewise"),
    _case("MultilabelF1Score", average="micro", multidim_average="samplewise"),
    _case("BinaryJaccardIndex", multidim_average="samplewise", ignore_index=0),
    _case("MulticlassCohenKappa", weights="quadratic"),
]

_CURVE_FAMILIES = (
    "ROC",
    "PrecisionRecallCurve",
    "AUROC",
    "AveragePrecision",
    "LogAUC",
    "EER",
    "PrecisionAtFixedRecall",
    "RecallAtFixedPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
)
_MINIMA = {
    "PrecisionAtFixedRecall": {"min_recall": 0.5},
    "RecallAtFixedPrecision": {"min_precision": 0.5},
    "SensitivityAtSpecificity": {"min_specificity": 0.5},
    "SpecificityAtSensitivity": {"min_sensitivity": 0.5},
}


def probabilities(rng, n):
    batch = multiclass(rng, n)
    logits = batch["y_pred"]
    batch["y_pred"] = (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype(
        np.float32
    )
    return batch


def _curve_case(family, task, **options):
    options = {**_MINIMA.get(family, {}), **options}
    if task != "binary" and family in ("AUROC", "AveragePrecision"):
        options.setdefault("average", "weighted")
    # Binned curves read probabilities on a [0, 1] grid (checked mode reports
    # scores outside it); exact curves rank any scores.
    binned = options.get("thresholds") is not None
    batch = probabilities if task == "multiclass" and binned else None
    return _case(f"{task.capitalize()}{family}", batch, **options)


CASES += [
    _curve_case(family, task, thresholds=11)
    for family in _CURVE_FAMILIES
    for task in _BATCH
]
CASES += [
    _curve_case("AUROC", "binary", thresholds=None, capacity=64),
    _curve_case("AveragePrecision", "multiclass", thresholds=None, capacity=64),
    _curve_case("ROC", "multilabel", thresholds=None, capacity=64),
    _curve_case("PrecisionRecallCurve", "binary", thresholds=None, capacity=64),
    _curve_case("AUROC", "multilabel", average="micro", thresholds=None, capacity=64),
    _curve_case("SpecificityAtSensitivity", "multiclass", thresholds=None, capacity=64),
    _curve_case("ROC", "multiclass", average="macro", thresholds=11),
    _curve_case("EER", "multiclass", average="micro", thresholds=None, capacity=64),
    _curve_case("PrecisionRecallCurve", "multiclass", average="micro", thresholds=11),
]


CASES += [
    _case("BinaryCalibrationError", n_bins=5),
    _case("MulticlassCalibrationError", probabilities, n_bins=5, norm="l2"),
    _case("BinaryHingeLoss", squared=True),
    _case("MulticlassHingeLoss"),
    _case("MulticlassHingeLoss", multiclass_mode="one-vs-all", from_logits=True),
]
