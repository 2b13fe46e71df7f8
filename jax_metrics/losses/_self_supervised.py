"""Metric-learning and self-supervised losses."""

from __future__ import annotations

from typing import Any

from jax import Array

from jax_metrics.functional import _self_supervised as F
from jax_metrics.functional._loss_utils import check_bool, check_number
from jax_metrics.losses._base import LossFunctionWrapper

__all__ = [
    "Circle",
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
