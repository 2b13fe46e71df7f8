"""Regression metric kernels: batch -> statistics, statistics -> value.

Each metric is a pair of pure kernels; the metric class in
`jax_metrics.metrics` folds the statistics into its state and the public
functional form here is `value(statistics(batch))`.

Sample weights follow the shared rule (`align_sample_weight`): a `(n,)`
weight weights samples, a weight of the inputs' shape weights entries. Means
over entries are weighted means, `sum w v / sum w`. Entries outside a
metric's domain (e.g. a non-positive prediction for a Tweedie power >= 1, a
label out of range for perplexity) are ignored: they get weight 0 instead of
poisoning the state with NaN. No samples gives 0 (`divide_no_nan`) unless a
function says otherwise.
"""

from __future__ import annotations

import numbers
from typing import Any

import jax
import jax.numpy as jnp
from jax import Array
from jax.typing import ArrayLike

from jax_metrics import _numerics
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._correlation import (
    Moments,
    moment_statistics,
    outputs_and_weight,
)
from jax_metrics.functional._reduction import align_sample_weight

__all__ = [
    "continuous_ranked_probability_score",
    "continuous_ranked_probability_score_statistics",
    "critical_success_index",
    "critical_success_index_statistics",
    "critical_success_index_value",
    "explained_variance",
    "explained_variance_value",
    "jensen_shannon_divergence",
    "jensen_shannon_divergence_per_sample",
    "jensen_shannon_divergence_statistics",
    "mean_squared_log_error",
    "mean_squared_log_error_statistics",
    "minkowski_distance",
    "minkowski_distance_statistics",
    "minkowski_distance_value",
    "normalized_root_mean_squared_error",
    "normalized_root_mean_squared_error_value",
    "perplexity",
    "perplexity_statistics",
    "perplexity_value",
    "r2_score",
    "r2_score_value",
    "regression_moments",
    "relative_squared_error",
    "relative_squared_error_value",
    "symmetric_mean_absolute_percentage_error",
    "symmetric_mean_absolute_percentage_error_statistics",
    "tweedie_deviance_score",
    "tweedie_deviance_score_statistics",
    "weighted_mean_absolute_percentage_error",
    "weighted_mean_absolute_percentage_error_statistics",
]

#: torchmetrics' clamp for percentage-error denominators.
PERCENTAGE_EPSILON = 1.17e-06
CLASS_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")
MULTIOUTPUTS = ("raw_values", "uniform_average", "variance_weighted")
NORMALIZATIONS = ("mean", "range", "std", "l2")


def check_option(name: str, value: Any, allowed: tuple) -> Any:
    """Raises `ValueError` unless `value` is one of `allowed`."""
    if value not in allowed:
        raise ValueError(
            f"Invalid value for argument `{name}`: expected one of {allowed}, "
            f"received {name}={value!r}"
        )
    return value


def check_positive_int(name: str, value: Any, minimum: int = 1) -> int:
    """Raises `ValueError` unless `value` is an integer >= `minimum`."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise ValueError(f"expected `{name}` an integer, received {value!r}")
    if value < minimum:
        raise ValueError(f"expected `{name}` >= {minimum}, received {value!r}")
    return int(value)


def _entries(
    y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None
) -> tuple[Array, Array, Array]:
    """Same-shape float32 inputs and a weight broadcast to their shape."""
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "expected y_true and y_pred of the same shape, received "
            f"{y_true.shape} and {y_pred.shape}"
        )
    y_true = y_true.astype(jnp.float32)
    y_pred = y_pred.astype(jnp.float32)
    if sample_weight is None:
        return y_true, y_pred, jnp.ones_like(y_pred)
    _, weight = align_sample_weight(y_pred, sample_weight)
    return y_true, y_pred, jnp.broadcast_to(weight, y_pred.shape)


def _weighted_total(values: Array, weight: Array, valid: Array | None = None):
    """`(sum w v, sum w)` over the valid entries."""
    if valid is not None:
        weight = jnp.where(valid, weight, 0.0)
    values = jnp.where(weight != 0, values, 0.0)
    return jnp.sum(weight * values), jnp.sum(weight)


# -- moments-based: R2, explained variance, RSE, NRMSE -----------------------
def regression_moments(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    num_outputs: int = 1,
) -> tuple[Moments, Array, Array, Array]:
    """Statistics of R2, explained variance, RSE and NRMSE for a batch.

    Returns `(moments, num_entries, minimum, maximum)`: `Moments` of the pair
    `(y_true, y_true - y_pred)` per output (so the residual's variance and
    the squared error `m2_y + n mean_y^2` need no cancelling subtraction),
    the number of entries (Keras' adjusted-R2 `n`), and the smallest and
    largest target with positive weight.

    >>> moments, n, lo, hi = regression_moments(jnp.array([1.0, 2.0]),
    ...                                         jnp.array([1.0, 1.0]))
    >>> float(n), float(lo[0]), float(hi[0])
    (2.0, 1.0, 2.0)
    """
    t, p, w = outputs_and_weight(y_true, y_pred, sample_weight, num_outputs=num_outputs)
    moments = moment_statistics(t, t - p, w)
    positive = w > 0
    minimum = jnp.min(jnp.where(positive, t, jnp.inf), axis=0, initial=jnp.inf)
    maximum = jnp.max(jnp.where(positive, t, -jnp.inf), axis=0, initial=-jnp.inf)
    return moments, jnp.asarray(t.size, jnp.float32), minimum, maximum


def _parts(moments: Moments):
    """Count, target mean, target m2, residual m2 and squared error."""
    count, mean_t, mean_e, m2_t, m2_e, _ = (
        _numerics.accumulator_value(f) for f in moments
    )
    return count, mean_t, m2_t, m2_e, m2_e + count * mean_e * mean_e


def r2_score_value(
    moments: Moments,
    num_entries: Array,
    *,
    class_aggregation: str | None = "uniform_average",
    num_regressors: int = 0,
) -> Array:
    """Keras' R2 from `regression_moments`.

    Per output `1 - SSE / SST` (0 where `SST == 0`), aggregated by
    `class_aggregation`; with `num_regressors = p > 0` the adjusted score
    `1 - (1 - R2)(n - 1) / (n - p - 1)` with `n` the number of entries,
    falling back to R2 when `n - p - 1 <= 0` (as Keras does).

    >>> stats = regression_moments(jnp.array([1.0, 4, 3]), jnp.array([2.0, 4, 4]))
    >>> round(float(r2_score_value(*stats[:2])), 4)
    0.5714
    """
    _, _, sst, _, sse = _parts(moments)
    raw = jnp.where(sst == 0, 0.0, 1.0 - divide_no_nan(sse, sst))
    if class_aggregation == "uniform_average":
        score = jnp.mean(raw)
    elif class_aggregation == "variance_weighted_average":
        score = divide_no_nan(jnp.sum(sst * raw), jnp.sum(sst))
    else:
        score = raw
    if num_regressors:
        dof = num_entries - num_regressors - 1.0
        adjusted = 1.0 - (1.0 - score) * divide_no_nan(num_entries - 1.0, dof)
        score = jnp.where(dof > 0, adjusted, score)
    return score


def r2_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    class_aggregation: str | None = "uniform_average",
    num_regressors: int = 0,
    num_outputs: int = 1,
) -> Array:
    """The coefficient of determination (Keras `R2Score`), weighted.

    `1 - sum w (t - p)^2 / sum w (t - mean_w(t))^2` per output.

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        class_aggregation: `None`, `"uniform_average"` or
            `"variance_weighted_average"`.
        num_regressors: regressors of the adjusted R2 (0: plain R2).
        num_outputs: number of outputs (columns).

    Returns:
        The score (per output when `class_aggregation` is `None`).

    >>> round(float(r2_score(jnp.array([1.0, 4, 3]), jnp.array([2.0, 4, 4]))), 4)
    0.5714
    """
    check_option("class_aggregation", class_aggregation, CLASS_AGGREGATIONS)
    moments, n, _, _ = regression_moments(
        y_true, y_pred, sample_weight, num_outputs=num_outputs
    )
    return r2_score_value(
        moments, n, class_aggregation=class_aggregation, num_regressors=num_regressors
    )


def explained_variance_value(
    moments: Moments, *, multioutput: str = "uniform_average"
) -> Array:
    """Explained variance `1 - var(t - p) / var(t)` from `regression_moments`.

    As torchmetrics (and scikit-learn): 1 where the residual variance is 0,
    0 where only the target variance is 0; aggregated by `multioutput`.

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
        return divide_no_nan(jnp.sum(m2_t * score), jnp.sum(m2_t))
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
def tweedie_deviance_score_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    power: float = 0.0,
) -> tuple[Array, Array]:
    """`(sum w d, sum w)` of the Tweedie deviance `d` over valid entries.

    `power` 0 is the squared error, 1 Poisson, 2 Gamma; otherwise
    `2 (max(t, 0)^(2-k) / ((1-k)(2-k)) - t p^(1-k) / (1-k) + p^(2-k) / (2-k))`.
    Entries outside the power's domain (torchmetrics raises) are ignored:
    `p > 0` for `power < 0` or `>= 1`, `t >= 0` for `1 <= power < 2`,
    `t > 0` for `power >= 2`.

    >>> [float(s) for s in tweedie_deviance_score_statistics(
    ...     jnp.array([1.0, 2.0]), jnp.array([2.0, 2.0]), power=1.0)]
    [0.6137, 2.0]
    """
    t, p, w = _entries(y_true, y_pred, sample_weight)
    if power == 0:
        return _weighted_total(jnp.square(t - p), w)
    positive_p = jnp.where(p > 0, p, 1.0)
    if power == 1:
        valid = (p > 0) & (t >= 0)
        safe_t = jnp.where(t > 0, t, 1.0)
        xlogy = jnp.where(t > 0, t * jnp.log(safe_t / positive_p), 0.0)
        deviance = 2.0 * (xlogy + p - t)
    elif power == 2:
        valid = (p > 0) & (t > 0)
        safe_t = jnp.where(t > 0, t, 1.0)
        deviance = 2.0 * (jnp.log(positive_p / safe_t) + safe_t / positive_p - 1.0)
    else:
        if power < 0:
            valid = p > 0
        elif power < 2:
            valid = (p > 0) & (t >= 0)
        else:
            valid = (p > 0) & (t > 0)
        term_1 = jnp.power(jnp.maximum(t, 0.0), 2 - power) / ((1 - power) * (2 - power))
        term_2 = t * jnp.power(positive_p, 1 - power) / (1 - power)
        term_3 = jnp.power(positive_p, 2 - power) / (2 - power)
        deviance = 2.0 * (term_1 - term_2 + term_3)
    return _weighted_total(deviance, w, valid)


def check_tweedie_power(power: Any) -> float:
    """Raises `ValueError` for a power in (0, 1), where no deviance exists."""
    if not isinstance(power, numbers.Real) or 0 < power < 1:
        raise ValueError(f"expected `power` <= 0 or >= 1, received power={power!r}")
    return float(power)


def tweedie_deviance_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    power: float = 0.0,
) -> Array:
    """Mean Tweedie deviance (torchmetrics `tweedie_deviance_score`), weighted.

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        power: the Tweedie power (not in (0, 1)).

    Returns:
        `sum w d / sum w` over valid entries.

    >>> round(float(tweedie_deviance_score(jnp.array([1.0, 2.0]),
    ...                                    jnp.array([2.0, 2.0]), power=1.0)), 4)
    0.3069
    """
    power = check_tweedie_power(power)
    return divide_no_nan(
        *tweedie_deviance_score_statistics(y_true, y_pred, sample_weight, power=power)
    )


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


def _kl(p: Array, log_p: Array, log_q: Array) -> Array:
    return jnp.sum(jnp.where(p > 0, p * (log_p - log_q), 0.0), axis=-1)


def jensen_shannon_divergence_per_sample(
    y_true: ArrayLike, y_pred: ArrayLike, *, log_prob: bool = False
) -> Array:
    """Per-row Jensen-Shannon divergence (natural log) of `(n, k)` inputs.

    Rows are normalised to sum 1 unless `log_prob` (then they are log
    probabilities).

    >>> jensen_shannon_divergence_per_sample(jnp.array([[1.0, 0]]),
    ...                                      jnp.array([[0.0, 1]])).round(4).tolist()
    [0.6931]
    """
    p = jnp.asarray(y_true, jnp.float32)
    q = jnp.asarray(y_pred, jnp.float32)
    if p.shape != q.shape or p.ndim != 2:
        raise ValueError(
            "expected y_true and y_pred distributions of the same shape "
            f"(batch, k), received {p.shape} and {q.shape}"
        )
    if log_prob:
        log_p, log_q = p, q
        log_m = jnp.logaddexp(log_p, log_q) - jnp.log(2.0)
        return 0.5 * (
            _kl(jnp.exp(log_p), log_p, log_m) + _kl(jnp.exp(log_q), log_q, log_m)
        )
    p = divide_no_nan(p, jnp.sum(p, axis=-1, keepdims=True))
    q = divide_no_nan(q, jnp.sum(q, axis=-1, keepdims=True))
    m = 0.5 * (p + q)

    def log(x):
        return jnp.log(jnp.where(x > 0, x, 1.0))

    return 0.5 * (_kl(p, log(p), log(m)) + _kl(q, log(q), log(m)))


def jensen_shannon_divergence_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    log_prob: bool = False,
) -> tuple[Array, Array]:
    """`(sum w JSD, sum w)` over rows.

    >>> [round(float(s), 4) for s in jensen_shannon_divergence_statistics(
    ...     jnp.array([[1.0, 0]]), jnp.array([[0.0, 1]]))]
    [0.6931, 1.0]
    """
    measures = jensen_shannon_divergence_per_sample(y_true, y_pred, log_prob=log_prob)
    if sample_weight is None:
        return _weighted_total(measures, jnp.ones_like(measures))
    _, w = align_sample_weight(measures, sample_weight)
    return _weighted_total(measures, jnp.broadcast_to(w, measures.shape))


def jensen_shannon_divergence(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    log_prob: bool = False,
    reduction: str | None = "mean",
) -> Array:
    """Jensen-Shannon divergence between rows of distributions (torchmetrics).

    Args:
        y_true: distributions `p`, shape `(n, k)` (or log probabilities).
        y_pred: distributions `q`, same shape.
        sample_weight: optional per-row weights.
        log_prob: whether the inputs are log probabilities.
        reduction: `"mean"` (weighted), `"sum"` (weighted), `"none"`/`None`.

    Returns:
        The divergence (per row for `"none"`).

    >>> round(float(jensen_shannon_divergence(jnp.array([[1.0, 0]]),
    ...                                       jnp.array([[0.5, 0.5]]))), 4)
    0.2158
    """
    check_option("reduction", reduction, ("mean", "sum", "none", None))
    if reduction in ("none", None):
        return jensen_shannon_divergence_per_sample(y_true, y_pred, log_prob=log_prob)
    total, count = jensen_shannon_divergence_statistics(
        y_true, y_pred, sample_weight, log_prob=log_prob
    )
    return total if reduction == "sum" else divide_no_nan(total, count)


def continuous_ranked_probability_score_statistics(
    y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None
) -> tuple[Array, Array]:
    """`(sum w crps, sum w)` for an ensemble forecast `y_pred` of shape `(n, m)`.

    Per sample: `mean_j |x_j - t| - sum_jk |x_j - x_k| / (2 m^2)`.

    >>> [float(s) for s in continuous_ranked_probability_score_statistics(
    ...     jnp.array([0.0]), jnp.array([[-1.0, 1.0]]))]
    [0.5, 1.0]
    """
    t = jnp.asarray(y_true, jnp.float32)
    x = jnp.asarray(y_pred, jnp.float32)
    if x.ndim != 2 or x.shape[1] < 2 or t.shape != x.shape[:1]:
        raise ValueError(
            "expected y_pred of shape (batch, members >= 2) and y_true of shape "
            f"(batch,), received {x.shape} and {t.shape}"
        )
    members = x.shape[1]
    skill = jnp.mean(jnp.abs(x - t[:, None]), axis=1)
    spread = jnp.sum(jnp.abs(x[:, :, None] - x[:, None, :]), axis=(1, 2))
    crps = skill - spread / (2.0 * members * members)
    if sample_weight is None:
        return _weighted_total(crps, jnp.ones_like(crps))
    _, w = align_sample_weight(crps, sample_weight)
    return _weighted_total(crps, jnp.broadcast_to(w, crps.shape))


def continuous_ranked_probability_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> Array:
    """Mean CRPS of an ensemble forecast (torchmetrics), weighted.

    Args:
        y_true: observations, shape `(n,)`.
        y_pred: ensemble members, shape `(n, m)` with `m >= 2`.
        sample_weight: optional per-sample weights.

    Returns:
        The weighted mean CRPS.

    >>> float(continuous_ranked_probability_score(jnp.array([0.0]),
    ...                                           jnp.array([[-1.0, 1.0]])))
    0.5
    """
    return divide_no_nan(
        *continuous_ranked_probability_score_statistics(y_true, y_pred, sample_weight)
    )


def perplexity_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    ignore_index: int | None = None,
) -> tuple[Array, Array]:
    """`(sum w nll, sum w)` over tokens of logits `(batch, seq, vocab)`.

    `nll = -log_softmax(y_pred)[y_true]`; tokens equal to `ignore_index`, or
    with a label outside `[0, vocab)`, are ignored. `sample_weight` weights
    sequences `(batch,)` or tokens `(batch, seq)`.

    >>> [round(float(s), 4) for s in perplexity_statistics(
    ...     jnp.array([[0, 1]]), jnp.zeros((1, 2, 4)))]
    [2.7726, 2.0]
    """
    logits = jnp.asarray(y_pred)
    labels = jnp.asarray(y_true)
    if logits.ndim != 3 or labels.shape != logits.shape[:2]:
        raise ValueError(
            "expected y_pred logits of shape (batch, seq, vocab) and y_true of "
            f"shape (batch, seq), received {logits.shape} and {labels.shape}"
        )
    if not jnp.issubdtype(labels.dtype, jnp.integer):
        raise TypeError(f"expected integer y_true labels, received {labels.dtype}")
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        raise TypeError(f"expected floating y_pred logits, received {logits.dtype}")
    log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    valid = (labels >= 0) & (labels < logits.shape[-1])
    if ignore_index is not None:
        valid = valid & (labels != ignore_index)
    safe = jnp.where(valid, labels, 0)
    nll = -jnp.take_along_axis(log_probs, safe[..., None], axis=-1)[..., 0]
    weight = jnp.ones_like(nll)
    if sample_weight is not None:
        _, weight = align_sample_weight(nll, sample_weight)
        weight = jnp.broadcast_to(weight, nll.shape)
    return _weighted_total(nll, weight, valid)


def perplexity_value(total: Array, count: Array) -> Array:
    """`exp(total / count)`; 1 when no token was counted.

    >>> round(float(perplexity_value(jnp.array(2.7726), jnp.array(2.0))), 3)
    4.0
    """
    return jnp.exp(divide_no_nan(total, count))


def perplexity(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    ignore_index: int | None = None,
) -> Array:
    """Token-weighted perplexity of language-model logits (torchmetrics).

    Args:
        y_true: integer token labels, shape `(batch, seq)`.
        y_pred: logits, shape `(batch, seq, vocab)`.
        sample_weight: optional weights per sequence or per token.
        ignore_index: a label value to ignore (e.g. padding).

    Returns:
        `exp(sum w nll / sum w)`.

    >>> round(float(perplexity(jnp.array([[0, 1]]), jnp.zeros((1, 2, 4)))), 4)
    4.0
    """
    return perplexity_value(
        *perplexity_statistics(y_true, y_pred, sample_weight, ignore_index=ignore_index)
    )
