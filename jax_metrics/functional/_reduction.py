"""The one sample-weight, mask and reduction rule shared by losses and metrics.

Rule (Keras 3's, made total):

1. If the ranks of the values and of `sample_weight` differ by one and the
   longer one ends in a singleton axis, that axis is squeezed (a rank-1
   partner is expanded instead), exactly as Keras' `squeeze_or_expand_to_same_rank`.
2. A weight of lower rank then applies to the *leading* axes of the values:
   shape `(batch,)` weights samples, `(batch, time)` weights time steps.
3. A boolean mask (e.g. from `ignore_class`) multiplies the weight; under the
   `"sum_over_batch_size"`/`"mean"` reductions valid entries are rescaled so
   the mean runs over valid entries only.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
from jax import Array

__all__ = [
    "REDUCTIONS",
    "align_sample_weight",
    "entry_weights",
    "flatten_samples",
    "reduce_weighted_values",
    "samplewise_values",
    "squeeze_or_expand_to_same_rank",
    "standardize_reduction",
]

REDUCTIONS = (
    "sum_over_batch_size",
    "sum",
    "mean",
    "mean_with_sample_weight",
    "none",
    None,
)


def standardize_reduction(reduction: str | None) -> str | None:
    """Validates a reduction name.

    >>> standardize_reduction("sum")
    'sum'
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`: expected one of "
            f"{REDUCTIONS}, received reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(
    x1: Array, x2: Array, expand_rank_1: bool = True
) -> tuple[Array, Array]:
    """Squeezes or expands a trailing singleton axis when ranks differ by one.

    >>> a, b = squeeze_or_expand_to_same_rank(jnp.zeros((4, 1)), jnp.zeros(4))
    >>> a.shape, b.shape
    ((4, 1), (4, 1))
    """
    r1, r2 = jnp.ndim(x1), jnp.ndim(x2)
    if r1 == r2 + 1 and jnp.shape(x1)[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = jnp.expand_dims(x2, -1)
        else:
            x1 = jnp.squeeze(x1, -1)
    elif r2 == r1 + 1 and jnp.shape(x2)[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = jnp.expand_dims(x1, -1)
        else:
            x2 = jnp.squeeze(x2, -1)
    return x1, x2


def _expand_trailing(weight: Array, values: Array, what: str) -> Array:
    """Reshapes `weight` so it applies to the leading axes of `values`."""
    if weight.ndim > values.ndim:
        raise ValueError(
            f"expected {what} of rank at most {values.ndim} (values shape "
            f"{values.shape}), received shape {weight.shape}"
        )
    weight = weight.reshape(weight.shape + (1,) * (values.ndim - weight.ndim))
    for w_dim, v_dim in zip(weight.shape, values.shape, strict=True):
        if w_dim not in (1, v_dim):
            raise ValueError(
                f"expected {what} broadcastable to the values' leading axes "
                f"{values.shape}, received shape {weight.shape}"
            )
    return weight


def align_sample_weight(
    values: Array, sample_weight: Array | None, dtype=jnp.float32
) -> tuple[Array, Array | None]:
    """Aligns `sample_weight` with `values` by the shared rule (not broadcast).

    Returns the (possibly squeezed) values and a weight of the same rank whose
    axes are 1 or equal to the values' axes.

    >>> v, w = align_sample_weight(jnp.ones((2, 3)), jnp.array([1.0, 2.0]))
    >>> w.shape
    (2, 1)
    """
    if sample_weight is None:
        return values, None
    weight = jnp.asarray(sample_weight, dtype)
    values, weight = squeeze_or_expand_to_same_rank(values, weight)
    return values, _expand_trailing(weight, values, "sample_weight")


def entry_weights(
    shape: tuple[int, ...], sample_weight: Array | None, dtype=jnp.float32
) -> Array | None:
    """`sample_weight` aligned by the shared rule and broadcast to `shape`.

    One weight per entry of values of `shape` (`None` without weights). The
    rule may expand 1-D values to `(N, 1)` for an `(N, 1)` weight; the result
    has `shape` all the same.

    >>> entry_weights((3,), jnp.array([[1.0], [2.0], [0.0]])).tolist()
    [1.0, 2.0, 0.0]
    """
    if sample_weight is None:
        return None
    values, weight = align_sample_weight(jnp.zeros(shape, dtype), sample_weight, dtype)
    return jnp.broadcast_to(weight, values.shape).reshape(shape)


def _apply_mask(
    sample_weight: Array | None, mask: Array | None, reduction, dtype
) -> Array | None:
    if mask is None:
        return sample_weight
    mask = jnp.asarray(mask)
    if reduction in ("mean", "sum_over_batch_size"):
        total = jnp.asarray(math.prod(mask.shape), dtype)
        valid = jnp.sum(mask.astype(dtype))
        scale = jnp.where(valid > 0, total / jnp.where(valid > 0, valid, 1), 0)
        float_mask = jnp.where(mask.astype(bool), scale, 0).astype(dtype)
    else:
        float_mask = mask.astype(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, weight = align_sample_weight(float_mask, sample_weight, dtype)
    return weight * float_mask


def reduce_weighted_values(
    values: Array,
    sample_weight: Array | None = None,
    mask: Array | None = None,
    reduction: str | None = "sum_over_batch_size",
    dtype=jnp.float32,
) -> Array:
    """Weights, masks and reduces unreduced loss values (Keras 3 semantics).

    Args:
        values: unreduced per-sample (or per-entry) values.
        sample_weight: optional weights aligned by the shared rule.
        mask: optional boolean mask of valid entries (same shape as values).
        reduction: one of `REDUCTIONS`.
        dtype: computation dtype.

    Returns:
        The reduced value (a scalar), or the weighted values for `"none"`.

    >>> float(reduce_weighted_values(jnp.array([1.0, 3.0]), jnp.array([1.0, 0.0])))
    0.5
    """
    reduction = standardize_reduction(reduction)
    values = jnp.asarray(values, dtype)
    weight = _apply_mask(sample_weight, mask, reduction, dtype)
    if weight is not None and values.ndim == 0:
        # A batch-level value (e.g. Dice with axis=None) is spread over the
        # weights, as Keras' broadcast does: the mean becomes value * mean(w).
        weight = jnp.asarray(weight, dtype)
        values = jnp.broadcast_to(values, weight.shape)
    if weight is not None:
        values, weight = align_sample_weight(values, weight, dtype)
        values = values * weight
    if reduction in (None, "none") or values.shape in ((), (0,)):
        return values
    total = jnp.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weight is not None:
        divisor = jnp.sum(weight)
    else:
        divisor = jnp.asarray(math.prod(values.shape), dtype)
    return jnp.where(divisor != 0, total / jnp.where(divisor != 0, divisor, 1), 0)


def flatten_samples(x: Array) -> Array:
    """`(n, ...)` values as `(n, entries)`, also for n = 0.

    (`reshape(n, -1)` raises for an empty batch.)

    >>> flatten_samples(jnp.zeros((0, 2, 3))).shape
    (0, 6)
    """
    return x.reshape(x.shape[0], math.prod(x.shape[1:]))


def samplewise_values(
    values: Array, sample_weight: Array | None, *, reduce_fn=jnp.mean, dtype=None
) -> tuple[Array, Array | None]:
    """Reduces values to one per sample, weighting them (Keras' metric rule).

    Values beyond the weight's rank are reduced with `reduce_fn`; weights of
    rank > 1 are averaged over their trailing axes. Returns the weighted
    per-sample values and the per-sample weights (or `None`).

    >>> v, w = samplewise_values(jnp.ones((2, 3)), jnp.array([1.0, 2.0]))
    >>> v.tolist(), w.tolist()
    ([1.0, 2.0], [1.0, 2.0])
    """
    dtype = dtype or jnp.float32
    values = jnp.asarray(values, dtype)
    weight = None
    if sample_weight is not None:
        weight = jnp.asarray(sample_weight, dtype)
        values, weight = squeeze_or_expand_to_same_rank(values, weight)
        if values.ndim > weight.ndim:
            values = reduce_fn(values, axis=tuple(range(weight.ndim, values.ndim)))
        weight = _expand_trailing(weight, values, "sample_weight")
        weight = jnp.broadcast_to(weight, values.shape)
        values = values * weight
        if weight.ndim > 1:
            weight = reduce_fn(weight, axis=tuple(range(1, weight.ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, weight
