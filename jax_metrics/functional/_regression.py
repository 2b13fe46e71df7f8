"""Regression losses (Keras 3 kernels): unreduced values, one per sample.

Each kernel converts its inputs as Keras does (`y_pred` to a float array,
`y_true` to the same dtype), reconciles a trailing singleton axis with
`squeeze_or_expand_to_same_rank`, and reduces the last axis only.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import optax
from jax import Array
from jax.typing import ArrayLike

from jax_metrics.functional._loss_utils import EPSILON, prepare_pair
from jax_metrics.functional.optax import (
    cosine_distance,
    huber_loss,
    l2_loss,
    squared_error,
)

__all__ = [
    "cosine_distance",
    "cosine_similarity",
    "huber",
    "huber_loss",
    "l2_loss",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "squared_error",
    "squared_errors",
]


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Mean squared error over the last axis: `mean((y_true - y_pred)**2, -1)`.

    Args:
        y_true: targets, shape `(..., d)`.
        y_pred: predictions, same shape (a trailing singleton axis may differ).

    Returns:
        The per-sample loss, shape `(...)`.

    >>> mean_squared_error(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]])).tolist()
    [0.5]
    """
    return jnp.mean(squared_errors(y_true, y_pred), axis=-1)


def squared_errors(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Elementwise squared errors `(y_pred - y_true)**2`, ranks reconciled.

    The unreduced values behind Keras' `RootMeanSquaredError`, whose running
    mean counts each sample (each entry of a 1-D batch) rather than each
    last-axis mean.

    >>> squared_errors(jnp.array([0.0, 1.0, 3.0]), jnp.array([1.0, 1.0, 1.0])).tolist()
    [1.0, 0.0, 4.0]
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    return optax.losses.squared_error(y_pred, y_true)


def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Mean absolute error over the last axis: `mean(|y_true - y_pred|, -1)`.

    Args:
        y_true: targets, shape `(..., d)`.
        y_pred: predictions, same shape.

    Returns:
        The per-sample loss, shape `(...)`.

    >>> mean_absolute_error(jnp.array([[0.0, 2.0]]), jnp.array([[1.0, 1.0]])).tolist()
    [1.0]
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    return jnp.mean(jnp.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Mean absolute percentage error over the last axis.

    `100 * mean(|y_true - y_pred| / max(|y_true|, epsilon), -1)` with Keras'
    `epsilon = 1e-7`, so a zero target gives a large but finite value.

    Args:
        y_true: targets, shape `(..., d)`.
        y_pred: predictions, same shape.

    Returns:
        The per-sample loss in percent, shape `(...)`.

    >>> loss = mean_absolute_percentage_error(jnp.array([[2.0, 4.0]]),
    ...                                       jnp.array([[1.0, 5.0]]))
    >>> round(float(loss[0]), 4)
    37.5
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    diff = jnp.abs((y_true - y_pred) / jnp.maximum(jnp.abs(y_true), EPSILON))
    return 100.0 * jnp.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Mean squared logarithmic error over the last axis.

    `mean((log(1 + max(y_pred, eps)) - log(1 + max(y_true, eps)))**2, -1)`
    with Keras' `eps = 1e-7` (negative values are clipped).

    Args:
        y_true: non-negative targets, shape `(..., d)`.
        y_pred: non-negative predictions, same shape.

    Returns:
        The per-sample loss, shape `(...)`.

    >>> loss = mean_squared_logarithmic_error(jnp.array([[0.0, 1.0]]),
    ...                                       jnp.array([[1.0, 1.0]]))
    >>> round(float(loss[0]), 4)
    0.2402
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    first_log = jnp.log1p(jnp.maximum(y_pred, EPSILON))
    second_log = jnp.log1p(jnp.maximum(y_true, EPSILON))
    return jnp.mean(jnp.square(first_log - second_log), axis=-1)


def huber(y_true: ArrayLike, y_pred: ArrayLike, *, delta: float = 1.0) -> Array:
    """Huber loss averaged over the last axis.

    With `e = y_pred - y_true`: `0.5 * e**2` where `|e| <= delta`, else
    `delta * |e| - 0.5 * delta**2`; the element-wise value comes from
    `optax.losses.huber_loss`.

    Args:
        y_true: targets, shape `(..., d)`.
        y_pred: predictions, same shape.
        delta: the threshold between the quadratic and linear parts.

    Returns:
        The per-sample loss, shape `(...)`.

    >>> huber(jnp.array([[0.0, 0.0]]), jnp.array([[0.5, 3.0]])).tolist()
    [1.3125]
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    delta = jnp.asarray(delta, y_pred.dtype)
    return jnp.mean(optax.losses.huber_loss(y_pred, y_true, delta=delta), axis=-1)


def log_cosh(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Logarithm of the hyperbolic cosine of the error, averaged over the last axis.

    Computed stably as `x + softplus(-2x) - log(2)` with `x = y_pred - y_true`.

    Args:
        y_true: targets, shape `(..., d)`.
        y_pred: predictions, same shape.

    Returns:
        The per-sample loss, shape `(...)`.

    >>> round(float(log_cosh(jnp.array([[0.0]]), jnp.array([[1.0]]))[0]), 4)
    0.4338
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    x = y_pred - y_true
    values = x + jnp.logaddexp(0.0, -2.0 * x) - math.log(2.0)
    return jnp.mean(values, axis=-1)


def _l2_normalize(x: Array, axis) -> Array:
    """`x / max(||x||, epsilon)` written with a gradient-safe square root."""
    square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jnp.reciprocal(jnp.sqrt(jnp.maximum(square_sum, EPSILON**2)))


def cosine_similarity(y_true: ArrayLike, y_pred: ArrayLike, *, axis=-1) -> Array:
    """Keras' cosine-similarity *loss*: the negated cosine similarity.

    `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: -1 for parallel
    vectors, 0 for orthogonal ones, 1 for opposite ones. Norms below Keras'
    `epsilon` are clipped, so zero vectors give 0. (optax's form, which is
    not negated, is `jax_metrics.functional.optax.cosine_similarity`.)

    Args:
        y_true: targets, shape `(..., d)`.
        y_pred: predictions, same shape.
        axis: the axis (or axes) along which the similarity is computed.

    Returns:
        The per-sample loss, `y_pred`'s shape without `axis`.

    >>> cosine_similarity(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]])).round(4)
    Array([-0.7071], dtype=float32)
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    y_pred = _l2_normalize(y_pred, axis)
    y_true = _l2_normalize(y_true, axis)
    return -jnp.sum(y_true * y_pred, axis=axis)
