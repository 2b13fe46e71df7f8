"""F-beta kernels (Keras' `FBetaScore` / `F1Score`) and functional forms."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array, lax

from jax_metrics._checks import check_targets
from jax_metrics.functional._confusion import KERAS_EPSILON
from jax_metrics.functional._confusion_counts import _scatter_add
from jax_metrics.functional._reduction import align_sample_weight

__all__ = [
    "f1_score",
    "fbeta_score",
    "fbeta_statistics",
    "fbeta_value",
]


AVERAGES = (None, "micro", "macro", "weighted")


# --------------------------------------------------------------------------
# F-beta (Keras' FBetaScore / F1Score)
# --------------------------------------------------------------------------
def validate_fbeta_options(average, beta, threshold) -> None:
    """Keras' checks of `average`, `beta` and `threshold`."""
    if average not in AVERAGES:
        raise ValueError(
            f"expected average in {AVERAGES}, received average={average!r}"
        )
    if isinstance(beta, bool) or not isinstance(beta, int | float) or beta <= 0:
        raise ValueError(f"expected beta to be a float > 0, received beta={beta!r}")
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 < threshold <= 1
    ):
        raise ValueError(
            f"expected threshold in (0, 1], received threshold={threshold!r}"
        )


def fbeta_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    average: str | None = None,
    threshold: float | None = None,
    num_classes: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(tp, fp, fn, support)` per class (summed for `micro`), stacked.

    `y_pred` is `(N, C)` scores; an entry is predicted positive when
    `y_pred > threshold`, or, with `threshold=None`, when it is its row's
    maximum and nonzero (Keras). `y_true` is `(N, C)` (multi-)hot labels or,
    unlike Keras, `(N,)` integer class ids (one-hot encoded; ids outside
    `[0, C)` are ignored, weight 0). `support` is the weighted label count.

    Args:
        y_true: `(N, C)` labels or `(N,)` class ids.
        y_pred: `(N, C)` scores.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.
        threshold: decision threshold, or `None` for the row maximum.
        num_classes: expected `C` (checked against `y_pred`).
        sample_weight: optional `(N,)` (or `(N, C)`) weights.

    Returns:
        Float32 of shape `(4, C)` (`(4,)` for `micro`): the rows are `tp`,
        `fp`, `fn` and `support`.

    >>> tp, fp, fn, support = fbeta_statistics(
    ...     jnp.array([0, 1, 1]), jnp.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]]))
    >>> tp.tolist(), fp.tolist(), fn.tolist(), support.tolist()
    ([1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 2.0])
    """
    y_pred = jnp.asarray(y_pred).astype(jnp.float32)
    y_true = jnp.asarray(y_true)
    if y_pred.ndim != 2:
        raise ValueError(
            "expected y_pred of shape (batch_size, num_classes), received "
            f"shape {y_pred.shape}"
        )
    classes = y_pred.shape[-1]
    if num_classes is not None and num_classes != classes:
        raise ValueError(
            f"expected y_pred with num_classes={num_classes} columns, received "
            f"shape {y_pred.shape}"
        )
    valid = jnp.ones(y_pred.shape[:1], jnp.float32)
    if y_true.ndim == 1 and classes == 1:
        y_true = y_true[:, None]  # binary labels for a single score column
    if y_true.ndim == 1 or (y_true.ndim == 2 and y_true.shape[-1] == 1 < classes):
        ids = y_true.reshape(-1)
        if jnp.issubdtype(ids.dtype, jnp.floating):
            ids = jnp.where(jnp.isfinite(ids), ids, -1)
        ids = ids.astype(jnp.int32)
        in_range = (ids >= 0) & (ids < classes)
        check_targets(in_range, f"outside [0, {classes})")
        valid = in_range.astype(jnp.float32)
        y_true = jax.nn.one_hot(ids, classes, dtype=jnp.float32)
    y_true = y_true.astype(jnp.float32)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "expected y_true of shape (batch_size, num_classes) or (batch_size,), "
            f"received y_true.shape={y_true.shape} and y_pred.shape={y_pred.shape}"
        )
    weight = valid[:, None]
    if sample_weight is not None:
        _, sample_weight = align_sample_weight(y_pred, sample_weight)
        weight = weight * sample_weight
    if threshold is None and weight.shape[-1] == 1 and y_pred.size >= _LARGE_BATCH:
        totals = _top_statistics(y_true, y_pred, weight.reshape(-1))
    else:
        totals = _statistics(y_true, y_pred, weight, threshold)
    return jnp.sum(totals, axis=-1) if average == "micro" else totals


# From this many scores, `threshold=None` statistics take `_top_statistics`.
_LARGE_BATCH = 1 << 16


def _predicted_top(y_pred: Array) -> Array:
    """Keras' `threshold=None` rule: a row's maxima, if nonzero, as 0/1."""
    top = jnp.max(y_pred, axis=-1, keepdims=True)
    return ((y_pred >= top) & (jnp.abs(y_pred) > 1e-9)).astype(jnp.float32)


def _statistics(y_true: Array, y_pred: Array, weight: Array, threshold) -> Array:
    """`(4, C)` weighted `tp, fp, fn, support`, every entry marked."""
    if threshold is None:
        predicted = _predicted_top(y_pred)
    else:
        predicted = (y_pred > threshold).astype(jnp.float32)
    parts = jnp.stack(
        [
            predicted * y_true,
            predicted * (1 - y_true),
            (1 - predicted) * y_true,
            y_true,
        ],
        axis=1,
    )
    if weight.shape[-1] != 1:
        parts = parts * weight[:, None, :]
        weight = jnp.ones(weight.shape[:1], jnp.float32)
    # One weighted sum over the batch for all four statistics: a
    # matrix-vector product (full float32 precision on every backend), where
    # four reductions cost four passes on XLA:CPU.
    return jnp.einsum(
        "n,nkc->kc",
        weight.reshape(-1).astype(jnp.float32),
        parts,
        precision=lax.Precision.HIGHEST,
    )


def _top_statistics(y_true: Array, y_pred: Array, weight: Array) -> Array:
    """`_statistics` with `threshold=None` and `(N,)` weights, for large batches.

    XLA:CPU compares scores with their broadcast row maximum slowly (45 ms
    for 10^6 x 10), and the `(N, 4, C)` products cost more. One row
    reduction finds each row's maximum, how many entries reach it and where
    one is; when no predicting row has a tie, each row predicts one class
    and the counts are scatter-adds at that class (`fn = support - tp`).
    A batch with a tie (rare with real-valued scores) takes `_statistics`.
    6x faster on 10^6 x 10 scores.
    """
    classes = y_pred.shape[-1]

    def reducer(a, b):
        top = jnp.maximum(a[0], b[0])
        ties = jnp.where(a[0] == top, a[1], 0) + jnp.where(b[0] == top, b[1], 0)
        return top, ties, jnp.where(a[0] == top, a[2], b[2])

    top, ties, where = lax.reduce(
        (
            y_pred,
            jnp.ones(y_pred.shape, jnp.int32),
            lax.broadcasted_iota(jnp.int32, y_pred.shape, 1),
        ),
        (np.float32(-np.inf), np.int32(0), np.int32(0)),
        reducer,
        (1,),
    )
    predicts = jnp.abs(top) > 1e-9  # NaN rows (NaN maximum) predict nothing

    def single(y_true, y_pred, weight):
        hit = jnp.take_along_axis(y_true, where[:, None], axis=1)[:, 0]
        booked = jnp.where(predicts, weight, 0.0)
        tp = _scatter_add(classes, where, booked * hit)
        fp = _scatter_add(classes, where, booked * (1.0 - hit))
        support = jnp.einsum("n,nc->c", weight, y_true, precision=lax.Precision.HIGHEST)
        return jnp.stack([tp, fp, support - tp, support])

    def general(y_true, y_pred, weight):
        return _statistics(y_true, y_pred, weight[:, None], None)

    tied = jnp.any(predicts & (ties > 1))
    return lax.cond(tied, general, single, y_true, y_pred, weight)


def fbeta_value(
    true_positives: Array,
    false_positives: Array,
    false_negatives: Array,
    support: Array,
    *,
    beta: float = 1.0,
    average: str | None = None,
) -> Array:
    """Keras' F-beta from its statistics (epsilon-smoothed, never NaN).

    `p = tp / (tp + fp + eps)`, `r = tp / (tp + fn + eps)`,
    `f = (1 + beta^2) p r / (beta^2 p + r + eps)` per class; `macro` takes
    the mean, `weighted` the support-weighted mean, `micro` uses summed
    counts, `None` returns the per-class vector. `eps = 1e-7`.

    Args:
        true_positives: per-class (or summed) counts.
        false_positives: same shape.
        false_negatives: same shape.
        support: weighted label count, same shape.
        beta: weight of recall relative to precision.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.

    Returns:
        A float32 scalar or per-class vector.

    >>> round(float(fbeta_value(jnp.array(2.0), jnp.array(1.0), jnp.array(1.0),
    ...                         jnp.array(3.0), average="micro")), 4)
    0.6667
    """
    tp = true_positives
    eps = KERAS_EPSILON
    precision_ = tp / (tp + false_positives + eps)
    recall_ = tp / (tp + false_negatives + eps)
    beta2 = beta**2
    score = (1 + beta2) * (precision_ * recall_) / (beta2 * precision_ + recall_ + eps)
    if average == "weighted":
        return jnp.sum(score * support / (jnp.sum(support) + eps))
    if average is not None:
        return jnp.mean(score)
    return score


def fbeta_score(
    y_true: Array,
    y_pred: Array,
    *,
    average: str | None = None,
    beta: float = 1.0,
    threshold: float | None = None,
    num_classes: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' F-beta score of one batch (see `fbeta_statistics`/`fbeta_value`).

    Args:
        y_true: `(N, C)` labels or `(N,)` class ids.
        y_pred: `(N, C)` scores.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.
        beta: weight of recall relative to precision.
        threshold: decision threshold, or `None` for the row maximum.
        num_classes: expected number of classes.
        sample_weight: optional weights.

    Returns:
        A float32 scalar, or per-class scores for `average=None`.

    >>> y_pred = jnp.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
    >>> round(float(fbeta_score(jnp.array([0, 1, 1]), y_pred, average="micro",
    ...                         beta=2.0)), 4)
    0.6667
    """
    validate_fbeta_options(average, beta, threshold)
    statistics = fbeta_statistics(
        y_true,
        y_pred,
        average=average,
        threshold=threshold,
        num_classes=num_classes,
        sample_weight=sample_weight,
    )
    return fbeta_value(*statistics, beta=beta, average=average)


def f1_score(
    y_true: Array,
    y_pred: Array,
    *,
    average: str | None = None,
    threshold: float | None = None,
    num_classes: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' F1 score of one batch: `fbeta_score` with `beta=1`.

    Args:
        y_true: `(N, C)` labels or `(N,)` class ids.
        y_pred: `(N, C)` scores.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.
        threshold: decision threshold, or `None` for the row maximum.
        num_classes: expected number of classes.
        sample_weight: optional weights.

    Returns:
        A float32 scalar, or per-class scores for `average=None`.

    >>> y_pred = jnp.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
    >>> [round(x, 4) for x in f1_score(jnp.array([0, 1, 1]), y_pred).tolist()]
    [0.6667, 0.6667]
    """
    return fbeta_score(
        y_true,
        y_pred,
        average=average,
        beta=1.0,
        threshold=threshold,
        num_classes=num_classes,
        sample_weight=sample_weight,
    )
