"""Keras accuracy metrics: running means of the accuracy kernels."""

from __future__ import annotations

from typing import Any

from jax_metrics.functional import _accuracy as F
from jax_metrics.functional._loss_utils import check_real
from jax_metrics.metrics._aggregation import MeanMetricWrapper

__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy",
]


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly (Keras `Accuracy`).

    `sum_i w_i [y_true_i == y_pred_i] / sum_i w_i`.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.Accuracy()
    >>> float(m.update(jnp.array([1, 2, 3, 4]), jnp.array([0, 2, 3, 4])).compute())
    0.75
    """

    higher_is_better = True
    _row_chunks = True
    aliases = ("acc",)

    def __init__(self, *, name: str | None = "accuracy", dtype: Any = None):
        super().__init__(F.accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` matches binary labels (Keras).

    Args:
        threshold: decision threshold on `y_pred`.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.BinaryAccuracy().update(jnp.array([1, 0]), jnp.array([0.8, 0.7]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = True
    _row_chunks = True

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        name: str | None = "binary_accuracy",
        dtype: Any = None,
    ):
        threshold = check_real("threshold", threshold, "to be a number")
        super().__init__(F.binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often `argmax(y_pred)` matches one-hot labels (Keras).

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.CategoricalAccuracy().update(
    ...     jnp.array([[0, 1], [1, 0]]), jnp.array([[0.2, 0.8], [0.3, 0.7]]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = True

    def __init__(self, *, name: str | None = "categorical_accuracy", dtype: Any = None):
        super().__init__(F.categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often `argmax(y_pred)` matches integer labels (Keras).

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.SparseCategoricalAccuracy().update(
    ...     jnp.array([1, 1]), jnp.array([[0.2, 0.8], [0.7, 0.3]]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = True

    def __init__(
        self, *, name: str | None = "sparse_categorical_accuracy", dtype: Any = None
    ):
        super().__init__(F.sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the top-`k` scores (Keras).

    Args:
        k: number of top scores that count as a match.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.TopKCategoricalAccuracy(k=1).update(
    ...     jnp.array([[0, 1], [1, 0]]), jnp.array([[0.2, 0.8], [0.3, 0.7]]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = True

    def __init__(
        self,
        *,
        k: int = 5,
        name: str | None = "top_k_categorical_accuracy",
        dtype: Any = None,
    ):
        super().__init__(F.top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top-`k` scores (Keras).

    Args:
        k: number of top scores that count as a match.
        from_sorted_ids: `y_pred` holds class ids sorted by score.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.SparseTopKCategoricalAccuracy(k=1).update(
    ...     jnp.array([1, 1]), jnp.array([[0.2, 0.8], [0.7, 0.3]]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = True

    def __init__(
        self,
        *,
        k: int = 5,
        from_sorted_ids: bool = False,
        name: str | None = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
    ):
        super().__init__(
            F.sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
