"""Regression metric kernels: batch -> statistics, statistics -> value.

Each metric is a pair of pure kernels; the metric class in
`jax_metrics.metrics` folds the statistics into its state and the public
functional form here is `value(statistics(batch))`.

This module holds the streaming regression moments, R2 and the helpers every
regression kernel module shares; `_regression_errors.py` holds the
torchmetrics error families and `_regression_deviance.py` the deviance and
probabilistic scores.

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

import jax.numpy as jnp
from jax import Array
from jax.typing import ArrayLike

from jax_metrics import _numerics
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._correlation import (
    Moments,
    check_one_of,
    moment_statistics,
    outputs_and_weight,
)
from jax_metrics.functional._reduction import entry_weights

__all__ = [
    "r2_score",
    "r2_score_value",
    "regression_moments",
]

#: torchmetrics' clamp for percentage-error denominators.
PERCENTAGE_EPSILON = 1.17e-06
CLASS_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")
MULTIOUTPUTS = ("raw_values", "uniform_average", "variance_weighted")
NORMALIZATIONS = ("mean", "range", "std", "l2")


#: Raises `ValueError` unless `value` is one of `allowed`.
check_option = check_one_of


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
    return y_true, y_pred, entry_weights(y_pred.shape, sample_weight)


def _weighted_total(values: Array, weight: Array, valid: Array | None = None):
    """`(sum w v, sum w)` over the valid entries."""
    if valid is not None:
        weight = jnp.where(valid, weight, 0.0)
    values = jnp.where(weight != 0, values, 0.0)
    return jnp.sum(weight * values), jnp.sum(weight)


# -- moments-based: regression moments and R2 --------------------------------
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
