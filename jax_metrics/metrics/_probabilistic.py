"""Keras probabilistic metrics: running means of the probabilistic loss kernels."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jax_metrics.functional import _classification as C
from jax_metrics.functional import _probabilistic as P
from jax_metrics.functional._reduction import entry_weights
from jax_metrics.metrics._aggregation import MeanMetricWrapper

__all__ = [
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "KLDivergence",
    "Poisson",
    "SparseCategoricalCrossentropy",
]


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean of the binary cross-entropy (Keras metric).

    Per sample `mean(-(y log p + (1 - y) log(1 - p)))` over the last axis
    (probabilities clipped to `[1e-7, 1 - 1e-7]`, labels smoothed towards
    0.5); weighted mean `sum w_i l_i / sum w_i`.

    Args:
        from_logits: `y_pred` holds logits.
        label_smoothing: in `[0, 1]`.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.BinaryCrossentropy().update(jnp.array([[0.0, 1.0]]),
    ...                                            jnp.array([[0.4, 0.6]]))
    >>> round(float(m.compute()), 4)
    0.5108
    """

    aliases = ("bce",)
    higher_is_better = False

    def __init__(
        self,
        *,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        name: str | None = "binary_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            C.binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of the categorical cross-entropy (Keras metric).

    Per sample `-sum(y log p)` over `axis` (probabilities renormalised and
    clipped, labels smoothed by `label_smoothing / num_classes`); weighted
    mean over samples.

    Args:
        from_logits: `y_pred` holds logits.
        label_smoothing: in `[0, 1]`.
        axis: the class axis.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.CategoricalCrossentropy().update(
    ...     jnp.array([[0.0, 1.0]]), jnp.array([[0.4, 0.6]]))
    >>> round(float(m.compute()), 4)
    0.5108
    """

    higher_is_better = False

    def __init__(
        self,
        *,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        name: str | None = "categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            C.categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of the sparse categorical cross-entropy (Keras metric).

    Per sample `-log p[y]` over `axis`; weighted mean over samples. Entries
    whose label is `ignore_class` are left out of the mean (numerator and
    count), with or without `sample_weight` (Keras leaves them out only when
    a `sample_weight` is passed, and otherwise counts them as zeros).

    Args:
        from_logits: `y_pred` holds logits.
        ignore_class: a label value to ignore, or `None`.
        axis: the class axis.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.SparseCategoricalCrossentropy().update(
    ...     jnp.array([1]), jnp.array([[0.4, 0.6]]))
    >>> round(float(m.compute()), 4)
    0.5108
    """

    higher_is_better = False

    def __init__(
        self,
        *,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
        name: str | None = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        self.ignore_class, self.axis = ignore_class, axis
        super().__init__(
            C.sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )

    def update(self, y_true, y_pred, sample_weight=None):
        """Averages the per-sample loss of valid entries into the state."""
        if self.ignore_class is not None:
            mask = C.sparse_categorical_valid_mask(
                y_true, y_pred, ignore_class=self.ignore_class, axis=self.axis
            )
            weight = mask.astype(jnp.float32)
            if sample_weight is not None:
                weight = weight * entry_weights(mask.shape, sample_weight)
            sample_weight = weight
        return super().update(y_true, y_pred, sample_weight)


class KLDivergence(MeanMetricWrapper):
    """Running mean of the Kullback-Leibler divergence (Keras metric).

    Per sample `sum(y log(y / p))` over the last axis (both clipped to
    `[1e-7, 1]`); weighted mean over samples.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.KLDivergence().update(jnp.array([[0.0, 1.0]]),
    ...                                      jnp.array([[0.4, 0.6]]))
    >>> round(float(m.compute()), 4)
    0.5108
    """

    higher_is_better = False
    _row_chunks = True

    def __init__(self, *, name: str | None = "kl_divergence", dtype: Any = None):
        super().__init__(P.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Running mean of the Poisson loss (Keras metric).

    Per sample `mean(p - y log(p + 1e-7))` over the last axis; weighted mean.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.Poisson().update(jnp.array([[1.0, 0.0]]),
    ...                                 jnp.array([[1.0, 1.0]]))
    >>> round(float(m.compute()), 4)
    1.0
    """

    higher_is_better = False

    def __init__(self, *, name: str | None = "poisson", dtype: Any = None):
        super().__init__(P.poisson, name=name, dtype=dtype)
