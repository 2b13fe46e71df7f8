"""Fixed-capacity sample buffers for metrics that need every sample.

Rank correlations and exact curves keep their samples in a buffer whose
capacity is declared at construction, so the state has a fixed shape: it
jits, merges and reduces across devices like any other state. A buffer is a
pair `(data, count)`: `data` has shape `(capacity, *shape)` and `count` is the
number of rows that arrived, saturating at `capacity + 1` (so it never
overflows int32). Rows past the capacity are dropped and `check_overflow`
reports it loudly at `compute` time instead of returning a wrong value.

Metrics declare both leaves with `state("custom")` and merge them with
`buffer_merge` in `_merge_custom`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

__all__ = [
    "buffer_append",
    "buffer_init",
    "buffer_mask",
    "buffer_merge",
    "check_overflow",
]


def buffer_init(
    capacity: int, shape: tuple[int, ...] = (), dtype=jnp.float32
) -> tuple[Array, Array]:
    """Returns an empty buffer `(data, count)` of `capacity` rows of `shape`."""
    if not isinstance(capacity, int | np.integer) or capacity < 1:
        raise ValueError(
            f"expected `capacity` to be a positive integer, received {capacity!r}"
        )
    return jnp.zeros((capacity, *shape), dtype), jnp.zeros((), jnp.int32)


def _place(data: Array, count: Array, rows: Array, valid: Array) -> tuple[Array, Array]:
    """Writes the `valid` rows of `rows` after the first `count` rows of `data`."""
    capacity = data.shape[0]
    valid = valid.astype(jnp.int32)
    positions = jnp.minimum(count, capacity) + jnp.cumsum(valid) - valid
    # Invalid rows and rows past the capacity go to an out-of-bounds index and
    # are dropped by the scatter.
    positions = jnp.where((valid > 0) & (positions < capacity), positions, capacity)
    data = data.at[positions].set(rows.astype(data.dtype), mode="drop")
    count = jnp.minimum(count + jnp.sum(valid), capacity + 1).astype(jnp.int32)
    return data, count


def buffer_append(
    data: Array, count: Array, batch: Array, mask: Array | None = None
) -> tuple[Array, Array]:
    """Appends the rows of `batch` (where `mask` is true) to the buffer.

    >>> data, count = buffer_init(4)
    >>> data, count = buffer_append(data, count, jnp.array([1.0, 2.0, 3.0]),
    ...                             mask=jnp.array([True, False, True]))
    >>> data.tolist(), int(count)
    ([1.0, 3.0, 0.0, 0.0], 2)
    """
    batch = jnp.asarray(batch)
    if batch.shape[1:] != data.shape[1:]:
        raise ValueError(
            f"expected rows of shape {data.shape[1:]}, received a batch of "
            f"shape {batch.shape}"
        )
    valid = jnp.ones(batch.shape[:1], bool) if mask is None else jnp.asarray(mask)
    return _place(data, count, batch, valid)


def buffer_merge(
    data_a: Array, count_a: Array, data_b: Array, count_b: Array
) -> tuple[Array, Array]:
    """Appends buffer `b`'s filled rows after buffer `a`'s.

    >>> a = buffer_append(*buffer_init(3), jnp.array([1.0]))
    >>> b = buffer_append(*buffer_init(3), jnp.array([2.0, 3.0]))
    >>> data, count = buffer_merge(*a, *b)
    >>> data.tolist(), int(count)
    ([1.0, 2.0, 3.0], 3)
    """
    data, count = _place(data_a, count_a, data_b, buffer_mask(data_b, count_b))
    # A merged buffer overflows if either part already did.
    overflow = (count_a > data_a.shape[0]) | (count_b > data_b.shape[0])
    count = jnp.where(overflow, data_a.shape[0] + 1, count).astype(jnp.int32)
    return data, count


def buffer_mask(data: Array, count: Array) -> Array:
    """Boolean mask of the filled rows.

    >>> buffer_mask(*buffer_append(*buffer_init(3), jnp.array([5.0]))).tolist()
    [True, False, False]
    """
    return jnp.arange(data.shape[0]) < count


def _raise_overflow(count, capacity: int, name: str) -> None:
    if int(count) > capacity:
        raise OverflowError(
            f"{name}: expected at most capacity={capacity} samples in the "
            "buffer, received more; construct the metric with a larger "
            "`capacity=` (the value would silently ignore dropped samples)"
        )


def check_overflow(count: Array, capacity: int, name: str) -> None:
    """Raises if more samples arrived than the buffer holds.

    Eagerly this raises `OverflowError` at once; under `jit` it raises when
    the computation runs (via a host callback), so a wrong value is never
    returned silently.
    """
    if isinstance(count, jax.core.Tracer):
        jax.debug.callback(_raise_overflow, count, capacity, name)
    else:
        _raise_overflow(count, capacity, name)
