"""Metric-learning and self-supervised losses."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics import _checks
from jax_metrics.functional import _self_supervised as F
from jax_metrics.functional._loss_utils import check_axis, check_bool, check_number
from jax_metrics.functional._reduction import reduce_weighted_values
from jax_metrics.losses._base import Loss, LossFunctionWrapper

__all__ = [
    "Circle",
    "NTXent",
    "TripletMarginLoss",
]


class Circle(LossFunctionWrapper):
    """Circle loss (Sun et al., 2020) for metric learning, as in Keras.

    `y_true` holds integer labels of shape `(batch,)` and `y_pred` the
    L2-normalised embeddings `(batch, dim)`; pairs within the batch are
    compared. Queries whose loss is 0 (no positive or no negative pair, or
    perfectly separated) are masked, so `"sum_over_batch_size"` averages over
    the queries that contribute.

    Args:
        gamma: the scale factor, `> 0`.
        margin: the relaxation margin.
        remove_diagonal: whether a query is not its own positive.
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> emb = jnp.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> round(float(Circle(gamma=2.0)(jnp.array([0, 0, 1]), emb)), 4)
    0.6141
    """

    aliases = ("circle",)

    def __init__(
        self,
        *,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str = "circle",
        dtype: Any = None,
    ):
        super().__init__(
            F.circle,
            reduction=reduction,
            name=name,
            dtype=dtype,
            gamma=check_number("gamma", gamma, low=0.0, low_open=True),
            margin=check_number("margin", margin),
            remove_diagonal=check_bool("remove_diagonal", remove_diagonal),
        )

    def mask(self, y_true: Array, y_pred: Array) -> Array | None:
        """The queries with a positive loss (Keras' rule)."""
        return self.call(y_true, y_pred) > 0


class NTXent(Loss):
    """NT-Xent contrastive loss (SimCLR), optax's `ntxent` with weights.

    `y_true` holds integer labels `(batch,)` (samples with the same label are
    positive pairs) and `y_pred` the embeddings `(batch, dim)`. The loss of
    each positive pair is `jax_metrics.functional.ntxent_pair_losses`; the
    default reduction averages them over the positive pairs, which is
    optax's value. A `sample_weight` of shape `(batch,)` weights each anchor's
    pairs. A batch without a positive pair gives 0 (optax: NaN).
    `reduction="none"` returns the `(batch, batch)` pair losses (0 off the
    positive pairs), weighted.

    Args:
        temperature: the softmax temperature, `> 0`.
        reduction: `"sum_over_batch_size"` (default: mean over positive
            pairs), `"sum"`, `"mean"`, `"mean_with_sample_weight"`, `"none"`
            or `None`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> emb = jnp.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    >>> round(float(NTXent(temperature=1.0)(jnp.array([0, 0, 1]), emb)), 4)
    0.6178
    """

    aliases = ("ntxent", "NTXentLoss")

    def __init__(
        self,
        *,
        temperature: float = 0.07,
        reduction: str | None = "sum_over_batch_size",
        name: str = "ntxent",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)
        self.temperature = check_number(
            "temperature", temperature, low=0.0, low_open=True
        )

    def call(self, y_true: Array, y_pred: Array) -> Array:
        """The `(batch, batch)` pair losses, 0 off the positive pairs."""
        return F.ntxent_pair_losses(y_true, y_pred, temperature=self.temperature)

    def mask(self, y_true: Array, y_pred: Array) -> Array | None:
        """The positive pairs: same label, not the same sample."""
        del y_pred
        labels = jnp.reshape(y_true, (-1,))
        same = labels[:, None] == labels[None, :]
        return same & ~jnp.eye(labels.shape[0], dtype=bool)


class TripletMarginLoss(Loss):
    """Triplet margin loss of anchors, positives and negatives (optax).

    `max(d(a, p) - d(a, n) + margin, 0)` per triplet, with the
    `norm_degree`-norm distance of `optax.losses.triplet_margin_loss`. In
    Keras order the positives are the targets the anchors should match:
    `loss(positives, anchors, sample_weight=None, negatives=negatives)`;
    `negatives` is required (keyword only). A `sample_weight` of shape
    `(batch,)` weights each triplet.

    Args:
        norm_degree: the degree of the distance norm (2: Euclidean).
        margin: the margin between positive and negative distances.
        eps: added to the summed powers before the root, as in optax.
        axis: the embedding axis (an int or a tuple of ints).
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = TripletMarginLoss()
    >>> anchors, positives = jnp.array([[0.0, 0.0]]), jnp.array([[0.1, 0.1]])
    >>> round(float(loss(positives, anchors, negatives=jnp.array([[1.0, 0.0]]))), 4)
    0.1414
    """

    aliases = ("triplet_margin_loss", "TripletMarginLoss")

    def __init__(
        self,
        *,
        norm_degree: float = 2.0,
        margin: float = 1.0,
        eps: float = 1e-6,
        axis: Any = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "triplet_margin_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)
        self.norm_degree = check_number(
            "norm_degree", norm_degree, low=0.0, low_open=True
        )
        self.margin = check_number("margin", margin)
        self.eps = check_number("eps", eps, low=0.0)
        check_axis("axis", axis)
        self.axis = tuple(axis) if isinstance(axis, list) else axis

    def __call__(self, y_true, y_pred, sample_weight=None, *, negatives=None) -> Array:
        """The weighted, reduced loss of `(anchors=y_pred, positives=y_true)`."""
        if negatives is None:
            raise TypeError(
                f"{type(self).__name__} expected `negatives=` (the negative "
                "embeddings, keyword only), received none"
            )
        positives = jnp.asarray(y_true, self.dtype)
        anchors = jnp.asarray(y_pred, self.dtype)
        negatives = jnp.asarray(negatives, self.dtype)
        if not positives.shape == anchors.shape == negatives.shape:
            raise ValueError(
                "expected anchors, positives and negatives of one shape, received "
                f"y_pred.shape={anchors.shape}, y_true.shape={positives.shape} "
                f"and negatives.shape={negatives.shape}"
            )
        with _checks.metric_scope(self.name):
            values = F.triplet_margin_loss(
                anchors,
                positives,
                negatives,
                axis=self.axis,
                norm_degree=self.norm_degree,
                margin=self.margin,
                eps=self.eps,
            )
        return reduce_weighted_values(
            values, sample_weight, None, self.reduction, self.dtype
        )
