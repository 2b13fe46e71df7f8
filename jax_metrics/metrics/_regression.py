"""Keras' regression metrics: running means of the loss kernels, and R2.

Keras names (`MeanSquaredError`, ..., `R2Score`) take Keras' options and give
Keras' values. Totals and counts are compensated float32 accumulators and
variances stream by Chan's merge, so long runs do not drift and bfloat16 or
float16 inputs accumulate in float32. The torchmetrics regression families
live in `_regression_errors.py` and `_regression_deviance.py`.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics import _numerics
from jax_metrics.functional import _regression as L
from jax_metrics.functional import _regression_metrics as F
from jax_metrics.metrics._aggregation import MeanMetricWrapper
from jax_metrics.metrics._base import state
from jax_metrics.metrics._correlation import _MomentsMetric

__all__ = [
    "CosineSimilarity",
    "LogCoshError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "R2Score",
    "RootMeanSquaredError",
]


def _cosine_similarity(y_true, y_pred, axis=-1) -> Array:
    """Keras' cosine-similarity metric: the loss kernel's negation."""
    return -L.cosine_similarity(y_true, y_pred, axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """Running mean of `mean((y_true - y_pred)^2, -1)` (Keras), weighted.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MeanSquaredError().update([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.compute())
    0.25
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("mse",)

    def __init__(self, *, name: str | None = "mean_squared_error", dtype: Any = None):
        super().__init__(L.mean_squared_error, name=name, dtype=dtype)


class RootMeanSquaredError(MeanMetricWrapper):
    """`sqrt` of the running weighted mean of squared errors (Keras).

    As in Keras, the running mean is over samples of the squared errors
    (`squared_errors`), each sample's entries averaged: a 1-D batch counts
    each entry as a sample (and takes a `(batch,)` weight), where
    `MeanSquaredError` averages its last axis first.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.RootMeanSquaredError().update(
    ...     [[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    >>> round(float(m.compute()), 4)
    0.7071
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("rmse",)

    def __init__(
        self, *, name: str | None = "root_mean_squared_error", dtype: Any = None
    ):
        super().__init__(L.squared_errors, name=name, dtype=dtype)

    def compute(self) -> Array:
        """The root of the mean squared error (0 when empty)."""
        return jnp.sqrt(super().compute())


class MeanAbsoluteError(MeanMetricWrapper):
    """Running mean of `mean(|y_true - y_pred|, -1)` (Keras), weighted.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MeanAbsoluteError().update([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.compute())
    0.25
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("mae",)

    def __init__(self, *, name: str | None = "mean_absolute_error", dtype: Any = None):
        super().__init__(L.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Running mean of `100 mean(|t - p| / max(|t|, 1e-7), -1)` (Keras).

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MeanAbsolutePercentageError().update([[2.0, 4.0]], [[1.0, 5.0]])
    >>> float(m.compute())
    37.5
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("mape",)

    def __init__(
        self, *, name: str | None = "mean_absolute_percentage_error", dtype: Any = None
    ):
        super().__init__(L.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Running mean of `mean((log1p(p) - log1p(t))^2, -1)`, clipped (Keras).

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MeanSquaredLogarithmicError().update(
    ...     [[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.compute()), 4)
    0.1201
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("msle",)

    def __init__(
        self, *, name: str | None = "mean_squared_logarithmic_error", dtype: Any = None
    ):
        super().__init__(L.mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """Running mean of `mean(log(cosh(y_pred - y_true)), -1)` (Keras).

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.LogCoshError().update([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.compute()), 4)
    0.1084
    """

    higher_is_better = False
    _row_chunks = True
    is_differentiable = True
    aliases = ("logcosh",)

    def __init__(self, *, name: str | None = "logcosh", dtype: Any = None):
        super().__init__(L.log_cosh, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Running mean of the cosine similarity along `axis` (Keras; +cos).

    `sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`, the negation of
    the cosine-similarity loss.

    Args:
        axis: the axis along which the similarity is computed.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.CosineSimilarity(axis=1).update(
    ...     [[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]],
    ...     sample_weight=[0.3, 0.7])
    >>> round(float(m.compute()), 4)
    0.7
    """

    higher_is_better = True
    is_differentiable = True

    def __init__(
        self, *, axis: Any = -1, name: str | None = "cosine_similarity", dtype=None
    ):
        super().__init__(_cosine_similarity, name=name, dtype=dtype, axis=axis)


class R2Score(_MomentsMetric):
    """The coefficient of determination (Keras `R2Score`), streaming.

    Per output `1 - sum w (t - p)^2 / sum w (t - mean_w(t))^2` (0 where the
    target is constant), aggregated by `class_aggregation`; adjusted with
    `num_regressors = k`: `1 - (1 - R2)(n - 1) / (n - k - 1)`, `n` the number
    of target entries (Keras' count), plain R2 when `n - k - 1 <= 0`.
    Inputs are `(batch, num_outputs)` (Keras builds this size lazily; a
    fixed-shape state needs it up front). Empty: 0.

    Args:
        class_aggregation: `None`, `"uniform_average"` or
            `"variance_weighted_average"`.
        num_regressors: regressors of the adjusted score (0: plain R2).
        num_outputs: number of outputs (last axis of the inputs).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.R2Score().update([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
    >>> round(float(m.compute()), 4)
    0.5714
    """

    higher_is_better = True
    num_entries = state("exact_sum")

    def __init__(
        self,
        *,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        num_outputs: int = 1,
        name: str | None = "r2_score",
        dtype: Any = None,
    ):
        self.class_aggregation = F.check_option(
            "class_aggregation", class_aggregation, F.CLASS_AGGREGATIONS
        )
        self.num_regressors = F.check_positive_int("num_regressors", num_regressors, 0)
        self.num_outputs = F.check_positive_int("num_outputs", num_outputs)
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """Zero moments and entry count."""
        return {**super().init_state(), "num_entries": _numerics.accumulator()}

    def update(self, y_true, y_pred, sample_weight=None) -> R2Score:
        """Folds the batch's moments of `(y_true, y_true - y_pred)` in."""
        moments, n, _, _ = F.regression_moments(
            y_true, y_pred, sample_weight, num_outputs=self.num_outputs
        )
        return self._fold(
            moments, num_entries=_numerics.accumulate(self.num_entries, n)
        )

    def compute(self) -> Array:
        """The (adjusted) R2 score."""
        return F.r2_score_value(
            self.moments,
            _numerics.accumulator_value(self.num_entries),
            class_aggregation=self.class_aggregation,
            num_regressors=self.num_regressors,
        ).astype(self.dtype)
