"""Keras confusion functional forms: counts, precision, recall, AUC, at-X.

Each form is the value kernel applied to the statistics kernel of
`_confusion.py`, as the metric classes use them.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
from jax import Array

from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._confusion import (
    _precision_recall_thresholds,
    _squeeze_single,
    auc_thresholds,
    auc_value,
    keras_confusion_statistics,
    max_under_constraint,
    parse_thresholds,
    precision_value,
    recall_value,
    sensitivity_thresholds,
    validate_auc_options,
)

__all__ = [
    "auc",
    "false_negatives",
    "false_positives",
    "precision",
    "precision_at_recall",
    "recall",
    "recall_at_precision",
    "sensitivity_at_specificity",
    "specificity_at_sensitivity",
    "true_negatives",
    "true_positives",
]


# --------------------------------------------------------------------------
# functional forms
# --------------------------------------------------------------------------
def _count(index: int, y_true, y_pred, thresholds, sample_weight) -> Array:
    thresholds = parse_thresholds(thresholds)
    counts = keras_confusion_statistics(
        y_true, y_pred, thresholds=thresholds, sample_weight=sample_weight
    )
    return _squeeze_single(counts[index], thresholds)


def true_positives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of positives with `y_pred > threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(true_positives(jnp.array([0, 1, 1]), jnp.array([0.9, 0.8, 0.1])))
    1.0
    """
    return _count(0, y_true, y_pred, thresholds, sample_weight)


def false_positives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of negatives with `y_pred > threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(false_positives(jnp.array([0, 1, 1]), jnp.array([0.9, 0.8, 0.1])))
    1.0
    """
    return _count(1, y_true, y_pred, thresholds, sample_weight)


def true_negatives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of negatives with `y_pred <= threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(true_negatives(jnp.array([0, 0, 1]), jnp.array([0.9, 0.2, 0.1])))
    1.0
    """
    return _count(2, y_true, y_pred, thresholds, sample_weight)


def false_negatives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of positives with `y_pred <= threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(false_negatives(jnp.array([0, 1, 1]), jnp.array([0.9, 0.8, 0.1])))
    1.0
    """
    return _count(3, y_true, y_pred, thresholds, sample_weight)


def precision(
    y_true, y_pred, *, thresholds=None, top_k=None, class_id=None, sample_weight=None
) -> Array:
    """Keras' precision, `tp / (tp + fp)` at each threshold (0 when undefined).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list in `[0, 1]` (default 0.5; with `top_k`,
            every top-k entry counts as predicted positive).
        top_k: only the `k` highest scores of the last axis can be positive.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A scalar, or one value per threshold.

    >>> y_true, y_pred = jnp.array([0, 1, 1, 1]), jnp.array([1.0, 0.0, 1.0, 1.0])
    >>> round(float(precision(y_true, y_pred)), 4)
    0.6667
    """
    thresholds = _precision_recall_thresholds(thresholds, top_k)
    tp, fp, _, _ = keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=thresholds,
        top_k=top_k,
        class_id=class_id,
        sample_weight=sample_weight,
    )
    return _squeeze_single(precision_value(tp, fp), thresholds)


def recall(
    y_true, y_pred, *, thresholds=None, top_k=None, class_id=None, sample_weight=None
) -> Array:
    """Keras' recall, `tp / (tp + fn)` at each threshold (0 when undefined).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list in `[0, 1]` (default 0.5; with `top_k`,
            every top-k entry counts as predicted positive).
        top_k: only the `k` highest scores of the last axis can be positive.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A scalar, or one value per threshold.

    >>> y_true, y_pred = jnp.array([0, 1, 1, 1]), jnp.array([1.0, 0.0, 1.0, 1.0])
    >>> round(float(recall(y_true, y_pred)), 4)
    0.6667
    """
    thresholds = _precision_recall_thresholds(thresholds, top_k)
    tp, _, _, fn = keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=thresholds,
        top_k=top_k,
        class_id=class_id,
        sample_weight=sample_weight,
    )
    return _squeeze_single(recall_value(tp, fn), thresholds)


def auc(
    y_true,
    y_pred,
    *,
    num_thresholds: int = 200,
    curve: str = "ROC",
    summation_method: str = "interpolation",
    thresholds: Sequence[float] | None = None,
    multi_label: bool = False,
    label_weights: Sequence[float] | None = None,
    from_logits: bool = False,
    sample_weight=None,
) -> Array:
    """Keras' binned area under the ROC or PR curve of one batch.

    See `jax_metrics.metrics.AUC` for the options and `auc_value` for the
    summation.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]` (or logits with `from_logits=True`).
        num_thresholds: number of evenly spaced thresholds.
        curve: `"ROC"` or `"PR"`.
        summation_method: `"interpolation"`, `"minoring"` or `"majoring"`.
        thresholds: explicit thresholds in place of `num_thresholds`.
        multi_label: one curve per column of rank-2 inputs, averaged.
        label_weights: per-label weights.
        from_logits: apply a sigmoid to `y_pred` first.
        sample_weight: optional weights.

    Returns:
        The area, a float32 scalar.

    >>> round(float(auc(jnp.array([0, 0, 1, 1]), jnp.array([0.0, 0.5, 0.3, 0.9]))), 4)
    0.75
    """
    curve, summation_method = validate_auc_options(curve, summation_method)
    grid, evenly = auc_thresholds(num_thresholds, thresholds)
    y_pred = jnp.asarray(y_pred)
    if from_logits:
        y_pred = jax.nn.sigmoid(y_pred.astype(jnp.float32))
    counts = keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=grid,
        sample_weight=sample_weight,
        multi_label=multi_label,
        label_weights=None if multi_label else label_weights,
        clip_scores=evenly,
    )
    return auc_value(
        *counts,
        curve=curve,
        summation_method=summation_method,
        multi_label=multi_label,
        label_weights=label_weights,
    )


def _at_constraint(y_true, y_pred, num_thresholds, class_id, sample_weight):
    grid = sensitivity_thresholds(num_thresholds)
    return keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=grid,
        class_id=class_id,
        sample_weight=sample_weight,
        clip_scores=num_thresholds > 1,
    )


def sensitivity_at_specificity(
    y_true,
    y_pred,
    *,
    specificity: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best sensitivity (recall) among thresholds with specificity >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        specificity: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> float(sensitivity_at_specificity(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), specificity=0.5))
    1.0
    """
    tp, fp, tn, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(
        divide_no_nan(tn, tn + fp), recall_value(tp, fn), specificity
    )


def specificity_at_sensitivity(
    y_true,
    y_pred,
    *,
    sensitivity: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best specificity among thresholds with sensitivity >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        sensitivity: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> float(specificity_at_sensitivity(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), sensitivity=1.0))
    0.5
    """
    tp, fp, tn, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(
        recall_value(tp, fn), divide_no_nan(tn, tn + fp), sensitivity
    )


def precision_at_recall(
    y_true,
    y_pred,
    *,
    recall: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best precision among thresholds with recall >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        recall: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> round(float(precision_at_recall(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), recall=1.0)), 4)
    0.6667
    """
    tp, fp, _, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(recall_value(tp, fn), precision_value(tp, fp), recall)


def recall_at_precision(
    y_true,
    y_pred,
    *,
    precision: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best recall among thresholds with precision >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        precision: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> float(recall_at_precision(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), precision=1.0))
    0.5
    """
    tp, fp, _, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(
        precision_value(tp, fp), recall_value(tp, fn), precision
    )
