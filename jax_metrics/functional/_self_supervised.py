"""Metric-learning and self-supervised losses (Keras 3's circle loss, NT-Xent)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import Array
from jax.typing import ArrayLike

from jax_metrics.functional._loss_utils import as_float
from jax_metrics.functional.optax import (
    ntxent,
    triplet_margin_loss,
)

__all__ = [
    "circle",
    "ntxent",
    "ntxent_pair_losses",
    "triplet_margin_loss",
]

# A finite stand-in for -inf: exp() of it underflows to exactly 0, and
# gradients stay finite when a row has no positive (or negative) pair.
_MASKED = -1e9


def _masked_logsumexp(x: Array, mask: Array) -> Array:
    return jax.nn.logsumexp(jnp.where(mask, x, _MASKED), axis=1)


def circle(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    ref_labels: ArrayLike | None = None,
    ref_embeddings: ArrayLike | None = None,
    remove_diagonal: bool = True,
    gamma: float = 80.0,
    margin: float = 0.4,
) -> Array:
    """Circle loss (Sun et al., 2020) over cosine distances of embeddings.

    For each query, with cosine distances `d` to the reference embeddings,
    positive pairs (same label) and negative pairs weighted adaptively:
    `softplus(logsumexp_pos(-gamma a_p (margin - d)) +
    logsumexp_neg(gamma a_n (1 - margin - d)))` with `a_p = max(margin + d, 0)`
    and `a_n = max(1 + margin - d, 0)`. Embeddings should be L2-normalised.
    Queries with no positive or no negative pair give 0.

    Args:
        y_true: integer labels of the queries, shape `(batch,)`.
        y_pred: query embeddings, shape `(batch, dim)`.
        ref_labels: reference labels (default: `y_true`).
        ref_embeddings: reference embeddings (default: `y_pred`).
        remove_diagonal: whether a query is not its own positive (for
            self-reference).
        gamma: the scale factor.
        margin: the relaxation margin.

    Returns:
        The per-query loss, shape `(batch,)`.

    >>> emb = jnp.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> [round(float(v), 4) for v in circle(jnp.array([0, 0, 1]), emb, gamma=2.0)]
    [0.4518, 0.7763, 0.0]
    """
    y_pred = as_float(y_pred)
    labels = jnp.asarray(y_true).astype(jnp.int32)
    ref_emb = y_pred if ref_embeddings is None else jnp.asarray(ref_embeddings)
    ref = labels if ref_labels is None else jnp.asarray(ref_labels).astype(jnp.int32)
    distances = jnp.maximum(1.0 - y_pred @ ref_emb.T, 0.0)
    positive = labels.reshape(-1, 1) == ref.reshape(1, -1)
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~jnp.eye(*positive.shape, dtype=bool)
    pos_weights = jnp.maximum((margin + distances) * positive, 0.0)
    neg_weights = jnp.maximum((1.0 + margin - distances) * negative, 0.0)
    pos_logits = -gamma * pos_weights * (margin - distances)
    neg_logits = gamma * neg_weights * (1.0 - margin - distances)
    total = _masked_logsumexp(pos_logits, positive) + _masked_logsumexp(
        neg_logits, negative
    )
    return jax.nn.softplus(total)


def ntxent_pair_losses(
    y_true: ArrayLike, y_pred: ArrayLike, *, temperature: float = 0.07
) -> Array:
    """NT-Xent (SimCLR) loss of every positive pair, unreduced.

    With cosine similarities `s_ij / temperature` of the embeddings, the
    pair `(i, j)` of two samples with the same label (`i != j`) has loss
    `-log(exp(s_ij) / (exp(s_ij) + sum_k exp(s_ik)))`, `k` over the samples
    with another label than `i`. optax's `ntxent` is the mean of these over
    all positive pairs; `jax_metrics.losses.NTXent` keeps them apart so a
    `sample_weight` can weight each anchor `i`. Entries that are not
    positive pairs are 0.

    Args:
        y_true: integer labels, shape `(batch,)`; samples with the same label
            form positive pairs.
        y_pred: embeddings, shape `(batch, dim)` (normalised here).
        temperature: the softmax temperature, `> 0`.

    Returns:
        The per-pair losses, shape `(batch, batch)`.

    >>> emb = jnp.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    >>> loss = ntxent_pair_losses(jnp.array([0, 0, 1]), emb, temperature=1.0)
    >>> [[round(float(v), 4) for v in row] for row in loss]
    [[0.0, 0.4375, 0.0], [0.7981, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    y_pred = as_float(y_pred)
    labels = jnp.asarray(y_true).reshape(-1)
    if y_pred.ndim != 2 or labels.shape[0] != y_pred.shape[0]:
        raise ValueError(
            "expected labels of shape (batch,) and embeddings of shape "
            f"(batch, dim), received y_true.shape={jnp.shape(y_true)} and "
            f"y_pred.shape={y_pred.shape}"
        )
    # optax's normalisation: a squared norm clipped at the dtype's epsilon.
    epsilon = jnp.finfo(y_pred.dtype).eps
    norm = jnp.sqrt(jnp.maximum(jnp.sum(y_pred * y_pred, -1, keepdims=True), epsilon))
    unit = y_pred / norm
    logits = (unit @ unit.T) / temperature
    same = labels[:, None] == labels[None, :]
    positive = same & ~jnp.eye(labels.shape[0], dtype=bool)
    negative = ~same
    # Shift each row by its largest pair logit (self excluded) for stability.
    shift = jnp.max(jnp.where(positive | negative, logits, _MASKED), 1, keepdims=True)
    shifted = logits - jax.lax.stop_gradient(shift)
    negatives = jnp.sum(
        jnp.exp(jnp.where(negative, shifted, _MASKED)), 1, keepdims=True
    )
    pair = jnp.where(positive, shifted, 0.0)
    losses = jnp.log(jnp.exp(pair) + negatives) - pair
    return jnp.where(positive, losses, 0.0)
