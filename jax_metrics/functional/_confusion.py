"""Keras confusion statistics and value kernels.

The Keras statistics kernel `keras_confusion_histogram` (Keras' input rules:
rank alignment, `top_k`, `class_id`, `multi_label`, `label_weights`), built on
`threshold_histogram` (`_confusion_counts.py`), with
`keras_confusion_statistics` turning it into counts, and the value kernels
(`precision_value`, `recall_value`, `auc_value`, `max_under_constraint`) used
by the metric classes and by the functional forms (`precision`, `recall`,
`auc`, ...; `_confusion_functional.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._confusion_counts import (
    histogram_confusion_counts,
    threshold_histogram,
)
from jax_metrics.functional._loss_utils import number_tuple
from jax_metrics.functional._reduction import (
    align_sample_weight,
    squeeze_or_expand_to_same_rank,
)
from jax_metrics.functional._top_k import top_index

__all__ = [
    "auc_thresholds",
    "auc_value",
    "keras_confusion_histogram",
    "keras_confusion_statistics",
    "max_under_constraint",
    "precision_value",
    "recall_value",
    "sensitivity_thresholds",
]


KERAS_EPSILON = 1e-7
NEG_INF = -1e10
CURVES = ("ROC", "PR")
SUMMATION_METHODS = ("interpolation", "minoring", "majoring")


# --------------------------------------------------------------------------
# Keras' statistics kernel
# --------------------------------------------------------------------------
def _is_evenly_distributed(thresholds: Sequence[float]) -> bool:
    """Keras' test for its optimised path (which clips scores to [0, 1])."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=KERAS_EPSILON))


def _filter_top_k(scores: Array, k: int) -> Array:
    """Keeps the top-`k` scores of the last axis; others become `NEG_INF`."""
    if k == 1:
        keep = jax.nn.one_hot(top_index(scores), scores.shape[-1], dtype=bool)
    else:
        _, index = jax.lax.top_k(scores, k)
        keep = jnp.sum(jax.nn.one_hot(index, scores.shape[-1], dtype=bool), -2) > 0
    return jnp.where(keep, scores, NEG_INF)


def keras_confusion_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    thresholds: Sequence[float],
    **options,
) -> tuple[Array, Array, Array, Array]:
    """Weighted `(tp, fp, tn, fn)` per threshold by Keras' confusion rules.

    `keras_confusion_histogram` (same arguments and options) turned into
    counts by `histogram_confusion_counts`.

    Returns:
        `(tp, fp, tn, fn)` float32 arrays of shape `(T,)` or `(T, labels)`.

    >>> import jax.numpy as jnp
    >>> tp, fp, tn, fn = keras_confusion_statistics(
    ...     jnp.array([1, 0, 1]), jnp.array([0.7, 0.6, 0.2]), thresholds=[0.5])
    >>> tp.tolist(), fp.tolist(), tn.tolist(), fn.tolist()
    ([1.0], [1.0], [0.0], [1.0])
    """
    histogram = keras_confusion_histogram(
        y_true, y_pred, thresholds=thresholds, **options
    )
    return histogram_confusion_counts(histogram, thresholds=thresholds)


def keras_confusion_histogram(
    y_true: Array,
    y_pred: Array,
    *,
    thresholds: Sequence[float],
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: Array | None = None,
    multi_label: bool = False,
    label_weights: Sequence[float] | None = None,
    clip_scores: bool | None = None,
) -> Array:
    """Keras' confusion statistics of a batch, as a threshold histogram.

    Keras' `update_confusion_matrix_variables`, on the O(N) histogram kernel:
    ranks are aligned, `top_k` keeps the `k` highest scores of the last axis
    (the others never pass a threshold), `class_id` selects one column, then
    every entry is flattened into one binary problem (shape `(T,)`), or with
    `multi_label=True` each column of a rank-2 input is its own problem
    (shape `(T, num_labels)`). `label_weights` multiplies the weights of each
    column (flattened case). An entry is positive at `t` when `y_pred > t`.
    With evenly spaced thresholds Keras clips scores to `[0, 1]` first
    (`clip_scores=None` decides as Keras does).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: static threshold list (any order).
        top_k: keep only the top-k scores of the last axis.
        class_id: restrict to this column of the last axis.
        sample_weight: optional weights (shared rule).
        multi_label: keep the label axis of rank-2 inputs.
        label_weights: per-column weights (flattened case).
        clip_scores: clip scores to `[0, 1]`; default: Keras' choice.

    Returns:
        The `threshold_histogram` of the batch: float32 of shape
        `(T + 1, 2)`, or `(T + 1, labels, 2)` with `multi_label`
        (`histogram_confusion_counts` gives the counts).

    >>> import jax.numpy as jnp
    >>> keras_confusion_histogram(
    ...     jnp.array([1, 0, 1]), jnp.array([0.7, 0.6, 0.2]), thresholds=[0.5]
    ... ).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    y_pred = jnp.asarray(y_pred).astype(jnp.float32)
    y_true = jnp.asarray(y_true).astype(jnp.float32)
    # Keras checks the rank of y_pred as given, before ranks are reconciled.
    if multi_label and y_pred.ndim != 2:
        raise ValueError(
            "expected y_pred of rank 2 with multi_label=True, received "
            f"shape {y_pred.shape}"
        )
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "expected y_true and y_pred of the same shape, received "
            f"y_true.shape={y_true.shape} and y_pred.shape={y_pred.shape}"
        )
    weight = None  # no weights: plain (integer) counting
    if sample_weight is not None:
        _, weight = align_sample_weight(y_pred, sample_weight)
        weight = jnp.broadcast_to(weight, y_pred.shape)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2:
            raise ValueError(
                "expected y_pred of shape (num_samples, num_classes) with "
                f"class_id, received shape {y_pred.shape}"
            )
        if not 0 <= class_id < y_pred.shape[-1]:
            raise ValueError(
                f"expected class_id in [0, {y_pred.shape[-1]}), received {class_id}"
            )
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
        if weight is not None:
            weight = weight[..., class_id, None]
    if label_weights is not None and not multi_label:
        label_weights = jnp.broadcast_to(
            jnp.asarray(label_weights, jnp.float32), y_pred.shape
        )
        weight = label_weights if weight is None else weight * label_weights
    if clip_scores is None:
        clip_scores = _is_evenly_distributed(list(thresholds))
    if clip_scores:
        y_pred = jnp.clip(y_pred, 0.0, 1.0)
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
        weight = None if weight is None else weight.reshape(-1)
    return threshold_histogram(
        y_true, y_pred, thresholds=thresholds, sample_weight=weight
    )


# --------------------------------------------------------------------------
# value kernels
# --------------------------------------------------------------------------
def precision_value(true_positives: Array, false_positives: Array) -> Array:
    """`tp / (tp + fp)`, 0 where nothing was predicted positive.

    >>> float(precision_value(jnp.array(3.0), jnp.array(1.0)))
    0.75
    """
    return divide_no_nan(true_positives, true_positives + false_positives)


def recall_value(true_positives: Array, false_negatives: Array) -> Array:
    """`tp / (tp + fn)`, 0 where there was no positive.

    >>> float(recall_value(jnp.array(1.0), jnp.array(3.0)))
    0.25
    """
    return divide_no_nan(true_positives, true_positives + false_negatives)


def max_under_constraint(constrained: Array, dependent: Array, value: float) -> Array:
    """`max(dependent[t] where constrained[t] >= value)`, 0 if none (Keras).

    >>> float(max_under_constraint(jnp.array([1.0, 0.5, 0.2]),
    ...                            jnp.array([0.1, 0.6, 0.9]), 0.5))
    0.6
    """
    feasible = constrained >= value
    return jnp.max(jnp.where(feasible, dependent, 0.0), initial=0.0)


def _label_mean(by_label: Array, label_weights) -> Array:
    if label_weights is None:
        return jnp.mean(by_label)
    label_weights = jnp.asarray(label_weights, jnp.float32)
    return divide_no_nan(jnp.sum(by_label * label_weights), jnp.sum(label_weights))


def auc_value(
    true_positives: Array,
    false_positives: Array,
    true_negatives: Array,
    false_negatives: Array,
    *,
    curve: str = "ROC",
    summation_method: str = "interpolation",
    multi_label: bool = False,
    label_weights: Sequence[float] | None = None,
) -> Array:
    """Area under the ROC or PR curve from per-threshold counts (Keras' rule).

    A Riemann sum over consecutive thresholds of `(x[i] - x[i+1]) * h[i]`
    with `x`, `y` = (FPR, recall) for ROC or (recall, precision) for PR, and
    `h` their mean (`interpolation`), minimum (`minoring`) or maximum
    (`majoring`). PR with `interpolation` integrates precision exactly between
    thresholds assuming TP and FP vary linearly (Davis & Goadrich 2006):
    `sum slope * (dtp + intercept * log(p[i] / p[i+1])) / (tp[i+1] + fn[i+1])`.
    Multi-label counts `(T, L)` give one area per label, averaged (weighted
    by `label_weights` if given). Empty counts give 0.

    Args:
        true_positives: counts of shape `(T,)` or `(T, L)`.
        false_positives: same shape.
        true_negatives: same shape.
        false_negatives: same shape.
        curve: `"ROC"` or `"PR"`.
        summation_method: `"interpolation"`, `"minoring"` or `"majoring"`.
        multi_label: counts carry a label axis to average over.
        label_weights: optional per-label weights of the average.

    Returns:
        The area, a float32 scalar.

    >>> tp = jnp.array([2.0, 1.0, 0.0]); fp = jnp.array([2.0, 0.0, 0.0])
    >>> round(float(auc_value(tp, fp, 2.0 - fp, 2.0 - tp)), 4)
    0.75
    """
    tp, fp, tn, fn = true_positives, false_positives, true_negatives, false_negatives
    if curve == "PR" and summation_method == "interpolation":
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, jnp.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = jnp.where(
            (p[:-1] > 0) & (p[1:] > 0),
            divide_no_nan(p[:-1], jnp.maximum(p[1:], 0)),
            jnp.ones_like(p[1:]),
        )
        terms = divide_no_nan(
            slope * (dtp + intercept * jnp.log(ratio)),
            jnp.maximum(tp[1:] + fn[1:], 0),
        )
    else:
        recall = recall_value(tp, fn)
        if curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, precision_value(tp, fp)
        if summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif summation_method == "minoring":
            heights = jnp.minimum(y[:-1], y[1:])
        else:
            heights = jnp.maximum(y[:-1], y[1:])
        terms = (x[:-1] - x[1:]) * heights
    if multi_label:
        return _label_mean(jnp.sum(terms, axis=0), label_weights)
    return jnp.sum(terms)


def auc_thresholds(
    num_thresholds: int = 200, thresholds: Sequence[float] | None = None
) -> tuple[tuple[float, ...], bool]:
    """Keras AUC's thresholds and whether they are evenly distributed.

    `num_thresholds` evenly spaced over `[0, 1]` with the end points moved by
    `epsilon` outwards (so scores of exactly 0 and 1 are counted), or the
    sorted `thresholds` framed by `-epsilon` and `1 + epsilon`.

    >>> auc_thresholds(3)[0]
    (-1e-07, 0.5, 1.0000001)
    """
    if thresholds is not None:
        inner = sorted(number_tuple("thresholds", thresholds))
        evenly = _is_evenly_distributed([0.0, *inner, 1.0])
    else:
        if not isinstance(num_thresholds, int | np.integer) or num_thresholds <= 1:
            raise ValueError(
                "expected num_thresholds to be an integer > 1, received "
                f"num_thresholds={num_thresholds!r}"
            )
        inner = [
            (i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)
        ]
        evenly = True
    return (0.0 - KERAS_EPSILON, *inner, 1.0 + KERAS_EPSILON), evenly


def sensitivity_thresholds(num_thresholds: int = 200) -> tuple[float, ...]:
    """Keras' thresholds for the at-fixed-value metrics (`[0.5]` when 1).

    >>> sensitivity_thresholds(3)
    (0.0, 0.5, 1.0)
    """
    if not isinstance(num_thresholds, int | np.integer) or num_thresholds <= 0:
        raise ValueError(
            "expected num_thresholds to be an integer > 0, received "
            f"num_thresholds={num_thresholds!r}"
        )
    if num_thresholds == 1:
        return (0.5,)
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return (0.0, *inner, 1.0)


def parse_thresholds(thresholds, default: float = 0.5) -> tuple[float, ...]:
    """Keras' threshold option: a float or a list, each in `[0, 1]`."""
    if thresholds is None:
        return (default,)
    try:
        values = (
            list(np.asarray(thresholds, np.float64).reshape(-1))
            if not isinstance(thresholds, int | float)
            else [thresholds]
        )
    except (TypeError, ValueError):
        values = [None]
    bad = [t for t in values if t is None or not 0 <= t <= 1]
    if bad or not values:
        raise ValueError(
            f"expected thresholds in [0, 1], received thresholds={thresholds!r}"
        )
    return tuple(float(t) for t in values)


def _squeeze_single(values: Array, thresholds) -> Array:
    return values[0] if len(thresholds) == 1 else values


def _precision_recall_thresholds(thresholds, top_k):
    return parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)


def validate_auc_options(curve: str, summation_method: str) -> tuple[str, str]:
    """Normalises Keras' `curve` and `summation_method` spellings."""
    curve_name = str(curve).upper()
    if curve_name not in CURVES:
        raise ValueError(f"expected curve in {CURVES}, received curve={curve!r}")
    method = str(summation_method).lower()
    if method not in SUMMATION_METHODS:
        raise ValueError(
            f"expected summation_method in {SUMMATION_METHODS}, received "
            f"summation_method={summation_method!r}"
        )
    return curve_name, method
