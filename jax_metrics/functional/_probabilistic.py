"""Probabilistic losses (Keras 3 kernels): KL divergence, Poisson, NLL."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax
from jax import Array
from jax.typing import ArrayLike

from jax_metrics.functional._loss_utils import (
    EPSILON,
    as_float,
    check_axis_bounds,
    prepare_pair,
)
from jax_metrics.functional.optax import (
    convex_kl_divergence,
    ctc_loss,
    ctc_loss_with_forward_probs,
    generalized_kl_divergence,
    kl_divergence_with_log_targets,
)

__all__ = [
    "convex_kl_divergence",
    "ctc",
    "ctc_loss",
    "ctc_loss_with_forward_probs",
    "generalized_kl_divergence",
    "kl_divergence",
    "kl_divergence_with_log_targets",
    "negative_log_likelihood",
    "nll_loss",
    "poisson",
]


def kl_divergence(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), -1)`.

    Both inputs are probabilities clipped to `[1e-7, 1]` first (Keras' rule),
    so zeros give finite values. (optax's form, on log-predictions, is
    `jax_metrics.functional.optax.kl_divergence`.)

    Args:
        y_true: target distribution, shape `(..., d)`.
        y_pred: predicted distribution, same shape.

    Returns:
        The per-sample divergence.

    >>> loss = kl_divergence(jnp.array([[0.5, 0.5]]), jnp.array([[0.25, 0.75]]))
    >>> round(float(loss[0]), 4)
    0.1438
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    y_true = jnp.clip(y_true, EPSILON, 1.0)
    y_pred = jnp.clip(y_pred, EPSILON, 1.0)
    return jnp.sum(y_true * (jnp.log(y_true) - jnp.log(y_pred)), axis=-1)


def poisson(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Poisson negative log-likelihood (up to a constant), over the last axis.

    `mean(y_pred - y_true * log(y_pred + 1e-7), -1)` with `y_pred` the
    predicted rate.

    Args:
        y_true: observed counts, shape `(..., d)`.
        y_pred: predicted rates (non-negative), same shape.

    Returns:
        The per-sample loss.

    >>> loss = poisson(jnp.array([[1.0, 2.0]]), jnp.array([[1.0, 1.0]]))
    >>> round(float(loss[0]), 4)
    1.0
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + EPSILON), axis=-1)


def negative_log_likelihood(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    ignore_index: int | None = -100,
    axis: int = -1,
) -> Array:
    """Negative log-likelihood of integer labels under log-probabilities.

    PyTorch's `nll_loss` (unreduced): `-y_pred[y]` along the class `axis`,
    where `y_pred` holds log-probabilities (e.g. `jax.nn.log_softmax(logits)`).
    Entries whose label equals `ignore_index` give 0; so do labels outside
    `[0, num_classes)`.

    Args:
        y_true: integer labels, `y_pred`'s shape without `axis` (a trailing
            singleton axis is accepted).
        y_pred: log-probabilities.
        ignore_index: a label value to ignore (PyTorch's default `-100`), or
            `None`.
        axis: the class axis of `y_pred`.

    Returns:
        The per-sample loss.

    >>> log_p = jnp.log(jnp.array([[0.25, 0.75], [0.5, 0.5]]))
    >>> negative_log_likelihood(jnp.array([1, -100]), log_p).round(4).tolist()
    [0.2877, 0.0]
    """
    y_pred = as_float(y_pred)
    check_axis_bounds(axis, y_pred.ndim)
    axis = axis % y_pred.ndim
    y_true = jnp.asarray(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = jnp.squeeze(y_true, axis)
    expected = y_pred.shape[:axis] + y_pred.shape[axis + 1 :]
    if y_true.shape != expected:
        raise ValueError(
            f"expected integer labels of shape {expected} for y_pred of shape "
            f"{y_pred.shape} (class axis {axis}), received y_true.shape="
            f"{y_true.shape}"
        )
    labels = y_true.astype(jnp.int32)
    one_hot = jax.nn.one_hot(labels, y_pred.shape[axis], dtype=y_pred.dtype, axis=axis)
    # `where` keeps -inf log-probabilities of other classes out of the sum.
    picked = jnp.sum(jnp.where(one_hot > 0, y_pred, 0.0), axis=axis)
    values = -picked
    if ignore_index is not None:
        values = jnp.where(y_true != ignore_index, values, 0.0)
    return values


def nll_loss(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    ignore_index: int | None = -100,
    axis: int = -1,
) -> Array:
    """Alias of `negative_log_likelihood` under PyTorch's name.

    Args:
        y_true: integer labels.
        y_pred: log-probabilities.
        ignore_index: a label value to ignore, or `None`.
        axis: the class axis of `y_pred`.

    Returns:
        The per-sample loss.

    >>> nll_loss(jnp.array([0]), jnp.log(jnp.array([[0.5, 0.5]]))).round(4).tolist()
    [0.6931]
    """
    return negative_log_likelihood(y_true, y_pred, ignore_index=ignore_index, axis=axis)


def ctc(y_true: ArrayLike, y_pred: ArrayLike) -> Array:
    """Connectionist temporal classification loss, Keras' convention.

    `y_true` holds label sequences padded with 0, which is also the blank
    class; each sequence's length is its count of non-zero labels (so padding
    must come last). Every time step of `y_pred` is used. The value is the
    negative log-likelihood of the label sequence, from
    `optax.losses.ctc_loss` with `blank_id=0`.

    Args:
        y_true: integer labels, shape `(batch, max_label_length)`.
        y_pred: logits, shape `(batch, time, num_classes)`.

    Returns:
        The per-sequence loss, shape `(batch,)`.

    >>> logits = jnp.zeros((1, 3, 3))
    >>> round(float(ctc(jnp.array([[1, 2]]), logits)[0]), 4)
    1.6864
    """
    y_pred = as_float(y_pred)
    y_true = jnp.asarray(y_true)
    if y_true.ndim != 2 or y_pred.ndim != 3:
        raise ValueError(
            "expected y_true of shape (batch, max_label_length) and y_pred of "
            "shape (batch, time, num_classes), received y_true.shape="
            f"{y_true.shape}, y_pred.shape={y_pred.shape}"
        )
    return _ctc_zero_padded(y_true.astype(jnp.int32), y_pred)


@jax.jit
def _ctc_zero_padded(labels: Array, logits: Array) -> Array:
    # Jitted so that eager calls reuse one compiled scan.
    lengths = jnp.sum(labels != 0, axis=-1)
    positions = jnp.arange(labels.shape[1]).reshape(1, -1)
    label_paddings = (positions >= lengths.reshape(-1, 1)).astype(logits.dtype)
    logit_paddings = jnp.zeros(logits.shape[:2], logits.dtype)
    return optax.losses.ctc_loss(
        logits, logit_paddings, labels, label_paddings, blank_id=0
    )
