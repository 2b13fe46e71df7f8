"""Keras hinge metrics: running means of the hinge loss kernels."""

from __future__ import annotations

from typing import Any

from jax_metrics.functional import _classification as F
from jax_metrics.metrics._aggregation import MeanMetricWrapper

__all__ = ["CategoricalHinge", "Hinge", "SquaredHinge"]


class Hinge(MeanMetricWrapper):
    """Running mean of the hinge loss (Keras `Hinge` metric).

    Per sample `mean(max(1 - y * p, 0))` over the last axis, labels in
    {0, 1} mapped to {-1, 1}; weighted mean `sum w_i l_i / sum w_i`.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.Hinge().update(jnp.array([[0.0, 1.0]]), jnp.array([[0.6, 0.4]]))
    >>> round(float(m.compute()), 4)
    1.1
    """

    higher_is_better = False

    def __init__(self, *, name: str | None = "hinge", dtype: Any = None):
        super().__init__(F.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Running mean of the squared hinge loss (Keras `SquaredHinge` metric).

    Per sample `mean(max(1 - y * p, 0)^2)`, labels in {0, 1} mapped to
    {-1, 1}; weighted mean over samples.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.SquaredHinge().update(jnp.array([[0.0, 1.0]]),
    ...                                      jnp.array([[0.6, 0.4]]))
    >>> round(float(m.compute()), 4)
    1.46
    """

    higher_is_better = False

    def __init__(self, *, name: str | None = "squared_hinge", dtype: Any = None):
        super().__init__(F.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Running mean of the categorical hinge loss (Keras metric).

    Per sample `max(0, max((1 - y) * p) - sum(y * p) + 1)`; weighted mean.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.CategoricalHinge().update(jnp.array([[0.0, 1.0]]),
    ...                                          jnp.array([[0.6, 0.4]]))
    >>> round(float(m.compute()), 4)
    1.2
    """

    higher_is_better = False

    def __init__(self, *, name: str | None = "categorical_hinge", dtype: Any = None):
        super().__init__(F.categorical_hinge, name=name, dtype=dtype)
