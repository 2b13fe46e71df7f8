"""Segmentation losses (Keras 3 kernels): Dice and Tversky."""

from __future__ import annotations

import jax.numpy as jnp
from jax import Array
from jax.typing import ArrayLike

from jax_metrics.functional._loss_utils import EPSILON, convert_pair
from jax_metrics.functional.optax import (
    binary_dice_loss,
    dice_loss,
    multiclass_generalized_dice_loss,
)

__all__ = [
    "binary_dice_loss",
    "dice",
    "dice_loss",
    "multiclass_generalized_dice_loss",
    "tversky",
]


def dice(y_true: ArrayLike, y_pred: ArrayLike, *, axis=None) -> Array:
    """Dice loss `1 - 2 |y_true * y_pred| / (|y_true| + |y_pred| + 1e-7)`.

    Sums run over `axis`; with the Keras default `axis=None` they run over
    every axis, giving one value for the whole batch. Pass e.g.
    `axis=(1, 2)` for one value per image of a `(batch, h, w)` mask.

    Args:
        y_true: binary (or soft) targets.
        y_pred: predicted probabilities, same shape.
        axis: the axis or axes summed over, or `None` for all.

    Returns:
        The loss, `y_pred`'s shape without `axis`.

    >>> loss = dice(jnp.array([[1.0, 0.0], [1.0, 1.0]]),
    ...             jnp.array([[0.8, 0.2], [0.6, 0.9]]), axis=1)
    >>> [round(float(v), 4) for v in loss]
    [0.2, 0.1429]
    """
    y_true, y_pred = convert_pair(y_true, y_pred)
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    total = jnp.sum(y_true, axis=axis) + jnp.sum(y_pred, axis=axis)
    return 1.0 - 2.0 * intersection / (total + EPSILON)


def tversky(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    alpha: float = 0.5,
    beta: float = 0.5,
    axis=None,
) -> Array:
    """Tversky loss `1 - TP / (TP + alpha FP + beta FN + 1e-7)` (soft counts).

    With `TP = sum(y_true * y_pred)`, `FP = sum((1 - y_pred) * y_true)` and
    `FN = sum(y_pred * (1 - y_true))` over `axis`, as Keras defines them
    (note that Keras' `FP` counts missed positives: `alpha` weighs them and
    `beta` weighs spurious positives). `alpha = beta = 0.5` gives `dice`.

    Args:
        y_true: binary (or soft) targets.
        y_pred: predicted probabilities, same shape.
        alpha: the weight of `FP`.
        beta: the weight of `FN`.
        axis: the axis or axes summed over, or `None` for all.

    Returns:
        The loss, `y_pred`'s shape without `axis`.

    >>> loss = tversky(jnp.array([[1.0, 0.0, 1.0]]), jnp.array([[0.9, 0.5, 0.2]]),
    ...                alpha=0.3, beta=0.7, axis=1)
    >>> round(float(loss[0]), 4)
    0.3605
    """
    y_true, y_pred = convert_pair(y_true, y_pred)
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    fp = jnp.sum((1.0 - y_pred) * y_true, axis=axis)
    fn = jnp.sum(y_pred * (1.0 - y_true), axis=axis)
    return 1.0 - intersection / (intersection + alpha * fp + beta * fn + EPSILON)
