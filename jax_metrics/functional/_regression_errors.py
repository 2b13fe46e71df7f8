"""Regression error kernels: batch -> statistics, statistics -> value.

Explained variance, relative squared error and normalized RMSE from the
streaming moments of `_regression_metrics.py`; symmetric and weighted MAPE,
mean squared log error, Minkowski distance and the critical success index as
weighted element-wise means `sum w v / sum w`. Each is a pair of pure
kernels; entries outside a metric's domain get weight 0. No samples gives 0
(`divide_no_nan`) unless a function says otherwise.
"""

from __future__ import annotations

import numbers
from typing import Any

import jax.numpy as jnp
import optax
from jax import Array
from jax.typing import ArrayLike

from jax_metrics._checks import value_check
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._correlation import Moments
from jax_metrics.functional._regression_metrics import (
    MULTIOUTPUTS,
    NORMALIZATIONS,
    PERCENTAGE_EPSILON,
    _entries,
    _parts,
    _weighted_total,
    check_option,
    regression_moments,
)

__all__ = [
    "critical_success_index",
    "critical_success_index_statistics",
    "critical_success_index_value",
    "explained_variance",
    "explained_variance_value",
    "log_cosh_error",
    "mean_squared_log_error",
    "mean_squared_log_error_statistics",
    "minkowski_distance",
    "minkowski_distance_statistics",
    "minkowski_distance_value",
    "normalized_root_mean_squared_error",
    "normalized_root_mean_squared_error_value",
    "relative_squared_error",
    "relative_squared_error_value",
    "symmetric_mean_absolute_percentage_error",
    "symmetric_mean_absolute_percentage_error_statistics",
    "weighted_mean_absolute_percentage_error",
    "weighted_mean_absolute_percentage_error_statistics",
]


# -- moments-based: explained variance, RSE, NRMSE ----------------------------
def explained_variance_value(
    moments: Moments, *, multioutput: str = "uniform_average"
) -> Array:
    """Explained variance `1 - var(t - p) / var(t)` from `regression_moments`.

    As torchmetrics (and scikit-learn): 1 where the residual variance is 0,
    0 where only the target variance is 0; aggregated by `multioutput`
    (`"variance_weighted"` with every target constant averages uniformly, as
    scikit-learn does; torchmetrics gives NaN).

    >>> stats = regression_moments(jnp.array([3.0, -0.5, 2, 7]),
    ...                            jnp.array([2.5, 0.0, 2, 8]))
    >>> round(float(explained_variance_value(stats[0])), 4)
    0.9572
    """
    _, _, m2_t, m2_e, _ = _parts(moments)
    score = jnp.where(
        m2_e == 0, 1.0, jnp.where(m2_t == 0, 0.0, 1.0 - divide_no_nan(m2_e, m2_t))
    )
    if multioutput == "uniform_average":
        return jnp.mean(score)
    if multioutput == "variance_weighted":
        # Every target constant: all weights are 0, so the outputs weigh the
        # same (scikit-learn's fallback).
        total = jnp.sum(m2_t)
        weighted = divide_no_nan(jnp.sum(m2_t * score), total)
        return jnp.where(total > 0, weighted, jnp.mean(score))
    return score


def explained_variance(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str = "uniform_average",
    num_outputs: int = 1,
) -> Array:
    """Explained variance (torchmetrics/scikit-learn), weighted.

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        multioutput: `"raw_values"`, `"uniform_average"` or
            `"variance_weighted"`.
        num_outputs: number of outputs (columns).

    Returns:
        The score.

    >>> round(float(explained_variance(jnp.array([3.0, -0.5, 2, 7]),
    ...                                jnp.array([2.5, 0.0, 2, 8]))), 4)
    0.9572
    """
    check_option("multioutput", multioutput, MULTIOUTPUTS)
    moments = regression_moments(
        y_true, y_pred, sample_weight, num_outputs=num_outputs
    )[0]
    return explained_variance_value(moments, multioutput=multioutput)


def relative_squared_error_value(moments: Moments, *, squared: bool = True) -> Array:
    """`SSE / max(SST, eps)` per output, averaged over outputs (torchmetrics).

    With `squared=False`, the square root is taken before averaging.

    >>> stats = regression_moments(jnp.array([1.0, 2, 3]), jnp.array([1.0, 2, 4]))
    >>> float(relative_squared_error_value(stats[0]))
    0.5
    """
    _, _, m2_t, _, sse = _parts(moments)
    rse = sse / jnp.maximum(m2_t, jnp.finfo(jnp.float32).eps)
    return jnp.mean(rse if squared else jnp.sqrt(rse))


def relative_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    squared: bool = True,
    num_outputs: int = 1,
) -> Array:
    """Relative squared error `sum w (t - p)^2 / sum w (t - mean_w(t))^2`.

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        squared: `False` returns the root relative squared error.
        num_outputs: number of outputs (columns).

    Returns:
        The error, averaged over outputs.

    >>> float(relative_squared_error(jnp.array([1.0, 2, 3]), jnp.array([1.0, 2, 4])))
    0.5
    """
    moments = regression_moments(
        y_true, y_pred, sample_weight, num_outputs=num_outputs
    )[0]
    return relative_squared_error_value(moments, squared=squared)


def normalized_root_mean_squared_error_value(
    moments: Moments,
    minimum: Array,
    maximum: Array,
    *,
    normalization: str = "mean",
    num_outputs: int = 1,
) -> Array:
    """`RMSE / scale` from `regression_moments` (torchmetrics).

    `scale` is the target's weighted mean, range (`max - min`), population
    standard deviation, or L2 norm `sqrt(sum w t^2)`, per `normalization`.
    Scalar for one output, per output otherwise; 0 where `scale == 0`.

    >>> stats = regression_moments(jnp.array([1.0, 3.0]), jnp.array([2.0, 2.0]))
    >>> float(normalized_root_mean_squared_error_value(stats[0], *stats[2:]))
    0.5
    """
    count, mean_t, m2_t, _, sse = _parts(moments)
    rmse = jnp.sqrt(divide_no_nan(sse, count))
    if normalization == "mean":
        scale = mean_t
    elif normalization == "range":
        scale = jnp.where(count > 0, maximum - minimum, 0.0)
    elif normalization == "std":
        scale = jnp.sqrt(divide_no_nan(m2_t, count))
    else:
        scale = jnp.sqrt(m2_t + count * mean_t * mean_t)
    value = divide_no_nan(rmse, scale)
    return value[0] if num_outputs == 1 else value


def normalized_root_mean_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    normalization: str = "mean",
    num_outputs: int = 1,
) -> Array:
    """Root mean squared error normalised by a scale of the target.

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        normalization: `"mean"`, `"range"`, `"std"` or `"l2"`.
        num_outputs: number of outputs (columns).

    Returns:
        The normalised error (per output when `num_outputs > 1`).

    >>> float(normalized_root_mean_squared_error(jnp.array([1.0, 3.0]),
    ...                                          jnp.array([2.0, 2.0])))
    0.5
    """
    check_option("normalization", normalization, NORMALIZATIONS)
    moments, _, minimum, maximum = regression_moments(
        y_true, y_pred, sample_weight, num_outputs=num_outputs
    )
    return normalized_root_mean_squared_error_value(
        moments, minimum, maximum, normalization=normalization, num_outputs=num_outputs
    )


# -- element-wise means ------------------------------------------------------
def symmetric_mean_absolute_percentage_error_statistics(
    y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None
) -> tuple[Array, Array]:
    """`(sum w e, sum w)` of `e = 2 |p - t| / max(|t| + |p|, 1.17e-6)`.

    >>> [float(s) for s in symmetric_mean_absolute_percentage_error_statistics(
    ...     jnp.array([1.0, 2.0]), jnp.array([3.0, 2.0]))]
    [1.0, 2.0]
    """
    t, p, w = _entries(y_true, y_pred, sample_weight)
    denominator = jnp.maximum(jnp.abs(t) + jnp.abs(p), PERCENTAGE_EPSILON)
    return _weighted_total(2.0 * jnp.abs(p - t) / denominator, w)


def symmetric_mean_absolute_percentage_error(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> Array:
    """Symmetric MAPE (torchmetrics, a fraction in [0, 2]), weighted.

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.

    Returns:
        `sum w 2|p - t| / max(|t| + |p|, eps) / sum w`.

    >>> float(symmetric_mean_absolute_percentage_error(jnp.array([1.0, 2.0]),
    ...                                                jnp.array([3.0, 2.0])))
    0.5
    """
    return divide_no_nan(
        *symmetric_mean_absolute_percentage_error_statistics(
            y_true, y_pred, sample_weight
        )
    )


def weighted_mean_absolute_percentage_error_statistics(
    y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None
) -> tuple[Array, Array]:
    """`(sum w |p - t|, sum w |t|)`.

    >>> [float(s) for s in weighted_mean_absolute_percentage_error_statistics(
    ...     jnp.array([1.0, 3.0]), jnp.array([2.0, 3.0]))]
    [1.0, 4.0]
    """
    t, p, w = _entries(y_true, y_pred, sample_weight)
    return _weighted_total(jnp.abs(p - t), w)[0], _weighted_total(jnp.abs(t), w)[0]


def weighted_mean_absolute_percentage_error(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> Array:
    """WMAPE `sum w |p - t| / max(sum w |t|, 1.17e-6)` (torchmetrics).

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.

    Returns:
        The error as a fraction.

    >>> float(weighted_mean_absolute_percentage_error(jnp.array([1.0, 3.0]),
    ...                                               jnp.array([2.0, 3.0])))
    0.25
    """
    error, scale = weighted_mean_absolute_percentage_error_statistics(
        y_true, y_pred, sample_weight
    )
    return error / jnp.maximum(scale, PERCENTAGE_EPSILON)


def mean_squared_log_error_statistics(
    y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None
) -> tuple[Array, Array]:
    """`(sum w (log1p(p) - log1p(t))^2, sum w)`; entries `<= -1` are ignored.

    >>> [round(float(s), 4) for s in mean_squared_log_error_statistics(
    ...     jnp.array([0.0]), jnp.array([1.0]))]
    [0.4805, 1.0]
    """
    t, p, w = _entries(y_true, y_pred, sample_weight)
    valid = (t > -1) & (p > -1)
    value_check(valid, "{count} entries <= -1 (log1p undefined)")
    error = jnp.log1p(jnp.where(valid, p, 0.0)) - jnp.log1p(jnp.where(valid, t, 0.0))
    return _weighted_total(jnp.square(error), w, valid)


def mean_squared_log_error(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> Array:
    """Mean squared log error (torchmetrics; no clipping, unlike Keras' MSLE).

    Args:
        y_true: targets (> -1).
        y_pred: predictions, same shape (> -1).
        sample_weight: optional per-sample (or per-entry) weights.

    Returns:
        `sum w (log1p(p) - log1p(t))^2 / sum w`.

    >>> round(float(mean_squared_log_error(jnp.array([0.0]), jnp.array([1.0]))), 4)
    0.4805
    """
    return divide_no_nan(
        *mean_squared_log_error_statistics(y_true, y_pred, sample_weight)
    )


def check_minkowski_p(p: Any) -> float:
    """Raises `ValueError` unless `p >= 1`."""
    if not isinstance(p, numbers.Real) or isinstance(p, bool) or p < 1:
        raise ValueError(f"expected `p` a number >= 1, received p={p!r}")
    return float(p)


def minkowski_distance_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    p: float = 2.0,
) -> Array:
    """`sum w |p - t|^p`.

    >>> float(minkowski_distance_statistics(jnp.array([0.0, 0]), jnp.array([3.0, 4])))
    25.0
    """
    t, y, w = _entries(y_true, y_pred, sample_weight)
    return _weighted_total(jnp.power(jnp.abs(y - t), p), w)[0]


def minkowski_distance_value(total: Array, *, p: float = 2.0) -> Array:
    """`total^(1/p)`.

    >>> float(minkowski_distance_value(jnp.array(25.0), p=2.0))
    5.0
    """
    return jnp.power(total, 1.0 / p)


def minkowski_distance(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    p: float = 2.0,
) -> Array:
    """Minkowski distance `(sum w |p - t|^p)^(1/p)` (torchmetrics), weighted.

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        p: the order (>= 1).

    Returns:
        The distance.

    >>> float(minkowski_distance(jnp.array([0.0, 0]), jnp.array([3.0, 4]), p=2))
    5.0
    """
    p = check_minkowski_p(p)
    total = minkowski_distance_statistics(y_true, y_pred, sample_weight, p=p)
    return minkowski_distance_value(total, p=p)


def log_cosh_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
) -> Array:
    """Log-cosh error as torchmetrics has it: `log(cosh(p - t))` per output.

    Each output (column) is averaged over the samples, weighted: `(n,)`
    inputs give one value, `(n, d)` inputs one per output. The per-entry
    values are optax's `log_cosh`, finite for any error. (Keras'
    `LogCoshError` metric and `log_cosh` average each sample over its last
    axis instead.)

    Args:
        y_true: targets, `(n,)` or `(n, d)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.

    Returns:
        A scalar, or `(d,)`. 0 without weight.

    >>> round(float(log_cosh_error(jnp.array([0.0, 1.0]), jnp.array([1.0, 1.0]))), 4)
    0.2169
    """
    t, p, w = _entries(y_true, y_pred, sample_weight)
    if t.ndim not in (1, 2):
        raise ValueError(f"expected inputs of shape (n,) or (n, d), received {t.shape}")
    values = jnp.where(w != 0, optax.losses.log_cosh(p, t), 0.0)
    return divide_no_nan(jnp.sum(w * values, axis=0), jnp.sum(w, axis=0))


def critical_success_index_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    threshold: float = 0.5,
) -> tuple[Array, Array, Array]:
    """Weighted `(hits, misses, false_alarms)` of `value >= threshold` events.

    >>> [float(s) for s in critical_success_index_statistics(
    ...     jnp.array([1.0, 1, 0]), jnp.array([1.0, 0, 1]))]
    [1.0, 1.0, 1.0]
    """
    t, p, w = _entries(y_true, y_pred, sample_weight)
    t, p = t >= threshold, p >= threshold
    return (
        jnp.sum(jnp.where(t & p, w, 0.0)),
        jnp.sum(jnp.where(t & ~p, w, 0.0)),
        jnp.sum(jnp.where(~t & p, w, 0.0)),
    )


def critical_success_index_value(
    hits: Array, misses: Array, false_alarms: Array
) -> Array:
    """`hits / (hits + misses + false_alarms)`, 0 when there are no events.

    >>> float(critical_success_index_value(1.0, 1.0, 2.0))
    0.25
    """
    return divide_no_nan(hits, hits + misses + false_alarms)


def critical_success_index(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    threshold: float = 0.5,
) -> Array:
    """Critical success index (threat score), torchmetrics, weighted.

    Args:
        y_true: observed values.
        y_pred: forecast values, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        threshold: an event is `value >= threshold`.

    Returns:
        `hits / (hits + misses + false_alarms)`.

    >>> float(critical_success_index(jnp.array([1.0, 1, 0]), jnp.array([1.0, 0, 1])))
    0.3333333432674408
    """
    return critical_success_index_value(
        *critical_success_index_statistics(
            y_true, y_pred, sample_weight, threshold=threshold
        )
    )
