"""Ranking losses."""

from __future__ import annotations

from typing import Any

from jax_metrics.functional import optax as ox
from jax_metrics.losses._optax import _REDUCTION, _OptaxLoss

__all__ = [
    "RankingSoftmaxLoss",
]


class RankingSoftmaxLoss(_OptaxLoss):
    """Listwise ranking softmax loss, one value per list (optax).

    `y_true` holds relevance labels and `y_pred` scores, `(..., list_size)`;
    a `where` mask marks valid items, and lists with none are excluded from
    the mean.

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = RankingSoftmaxLoss()
    >>> round(float(loss(jnp.array([[1.0, 0.0, 0.0]]),
    ...                  jnp.array([[2.0, 1.0, 3.0]]))), 4)
    1.4076
    """

    kernel = staticmethod(ox.ranking_softmax_loss)
    accepts_where = True
    aliases = ("ranking_softmax_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "ranking_softmax_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype, reduce_fn=None)
