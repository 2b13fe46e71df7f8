"""Exact accumulation: compensated (double-float32) sums.

An accumulator is a float32 array of shape `(2, *shape)`: a high part and a
low part whose sum carries about 48 significant bits. Counts stay exact to
2^48 and running sums do not drift over long runs, on every backend and
without enabling 64-bit types. Merging two accumulators is exact up to the
final rounding, so splitting data across batches or devices does not change
a result beyond float32 rounding.
"""

from __future__ import annotations

import jax.numpy as jnp
from jax import Array, lax

__all__ = [
    "accumulate",
    "accumulator",
    "accumulator_value",
    "cumulative_accumulator",
    "merge_accumulators",
    "to_python",
]


def _two_sum(a: Array, b: Array) -> tuple[Array, Array]:
    """Knuth's error-free sum: `a + b == s + e` exactly."""
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


def accumulator(shape: tuple[int, ...] = ()) -> Array:
    """Returns a zero accumulator holding values of `shape`."""
    return jnp.zeros((2, *shape), jnp.float32)


def merge_accumulators(a: Array, b: Array) -> Array:
    """Adds two accumulators exactly (up to the final renormalisation)."""
    high, error = _two_sum(a[0], b[0])
    low = a[1] + b[1] + error
    high, low = _two_sum(high, low)
    return jnp.stack([high, low])


def accumulate(acc: Array, value: Array) -> Array:
    """Adds a float32 `value` (broadcast to the accumulator's shape) exactly."""
    value = jnp.broadcast_to(jnp.asarray(value, jnp.float32), acc.shape[1:])
    high, error = _two_sum(acc[0], value)
    low = acc[1] + error
    high, low = _two_sum(high, low)
    return jnp.stack([high, low])


def cumulative_accumulator(acc: Array, axis: int = 0, reverse: bool = False) -> Array:
    """Running sums of an accumulator along `axis` of its values, compensated.

    An associative scan of `merge_accumulators`, so counts stay exact past
    2^24 where a float32 `cumsum` would round.
    """
    return lax.associative_scan(merge_accumulators, acc, reverse=reverse, axis=axis + 1)


def accumulator_value(acc: Array) -> Array:
    """The accumulated value rounded to float32."""
    return acc[0] + acc[1]


def to_python(acc: Array) -> float:
    """The accumulated scalar as a Python float (double precision, on host)."""
    return float(acc[0]) + float(acc[1])
