"""Aggregation statistics: weighted totals, counts and extrema.

Each formula is a pair: a kernel turning a batch into sufficient statistics
and a kernel turning statistics into the value. `Mean`, `Sum`, `Min`, `Max`
and every running-mean metric use these pairs.
"""

from __future__ import annotations

import jax.numpy as jnp
from jax import Array

from jax_metrics.functional._reduction import align_sample_weight, samplewise_values

__all__ = [
    "divide_no_nan",
    "max_statistics",
    "mean_statistics",
    "mean_value",
    "min_statistics",
    "sum_statistics",
    "weighted_mean",
]


def divide_no_nan(numerator: Array, denominator: Array) -> Array:
    """Element-wise division that returns 0 where the denominator is 0.

    >>> divide_no_nan(jnp.array([1.0, 2.0]), jnp.array([2.0, 0.0])).tolist()
    [0.5, 0.0]
    """
    safe = jnp.where(denominator == 0, 1, denominator)
    return jnp.where(denominator == 0, 0, numerator / safe)


def mean_statistics(values: Array, sample_weight: Array | None = None):
    """Returns `(total, count)` of a batch by Keras' `Mean` rule.

    Values beyond the weight's rank are averaged per sample first; then
    `total = sum_i w_i * v_i` and `count = sum_i w_i` (the sample count when
    unweighted).

    >>> total, count = mean_statistics(jnp.array([1.0, 2.0, 3.0]))
    >>> float(total), float(count)
    (6.0, 3.0)
    """
    values, weight = samplewise_values(values, sample_weight, reduce_fn=jnp.mean)
    total = jnp.sum(values)
    if weight is not None:
        count = jnp.sum(weight)
    else:
        count = jnp.asarray(values.shape[0] if values.ndim else 1, jnp.float32)
    return total, count


def mean_value(total: Array, count: Array) -> Array:
    """The mean from its statistics; 0 when nothing was counted.

    >>> float(mean_value(jnp.array(6.0), jnp.array(3.0)))
    2.0
    """
    return divide_no_nan(total, count)


def weighted_mean(values: Array, sample_weight: Array | None = None) -> Array:
    """The (weighted) mean of a batch by Keras' `Mean` rule.

    >>> float(weighted_mean(jnp.array([1.0, 3.0]), jnp.array([3.0, 1.0])))
    1.5
    """
    return mean_value(*mean_statistics(values, sample_weight))


def sum_statistics(values: Array, sample_weight: Array | None = None) -> Array:
    """The weighted total of a batch by Keras' `Sum` rule.

    >>> float(sum_statistics(jnp.array([[1.0, 2.0], [3.0, 4.0]])))
    10.0
    """
    values, _ = samplewise_values(values, sample_weight, reduce_fn=jnp.sum)
    return jnp.sum(values)


def _masked_extreme(values, sample_weight, reduce, fill) -> Array:
    values = jnp.asarray(values, jnp.float32)
    if sample_weight is not None:
        values, weight = align_sample_weight(values, sample_weight)
        valid = jnp.broadcast_to(weight > 0, values.shape)
        values = jnp.where(valid, values, fill)
    return reduce(values, initial=fill)


def min_statistics(values: Array, sample_weight: Array | None = None) -> Array:
    """The smallest value with a positive weight (`+inf` if none).

    >>> float(min_statistics(jnp.array([3.0, 1.0, 2.0]), jnp.array([1, 0, 1])))
    2.0
    """
    return _masked_extreme(values, sample_weight, jnp.min, jnp.inf)


def max_statistics(values: Array, sample_weight: Array | None = None) -> Array:
    """The largest value with a positive weight (`-inf` if none).

    >>> float(max_statistics(jnp.array([3.0, 1.0, 2.0]), jnp.array([0, 1, 1])))
    2.0
    """
    return _masked_extreme(values, sample_weight, jnp.max, -jnp.inf)
