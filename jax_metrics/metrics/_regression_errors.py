"""torchmetrics' regression error families, with sample weights.

Explained variance, relative squared error and normalized RMSE stream
moments (Chan's merge); symmetric and weighted MAPE, mean squared log error,
Minkowski distance and the critical success index keep weighted totals. The
names take torchmetrics' options, plus `sample_weight` everywhere (weighted
means `sum w v / sum w`; see each formula). Totals and counts are
compensated float32 accumulators, so long runs do not drift and bfloat16 or
float16 inputs accumulate in float32. Entries outside a metric's domain are
ignored (weight 0), never turned into NaN state.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics import _numerics
from jax_metrics.functional import _regression_errors as F
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._loss_utils import check_real
from jax_metrics.functional._regression_metrics import (
    MULTIOUTPUTS,
    NORMALIZATIONS,
    PERCENTAGE_EPSILON,
    check_option,
    check_positive_int,
    regression_moments,
)
from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._correlation import _MomentsMetric

__all__ = [
    "CriticalSuccessIndex",
    "ExplainedVariance",
    "MeanSquaredLogError",
    "MinkowskiDistance",
    "NormalizedRootMeanSquaredError",
    "RelativeSquaredError",
    "SymmetricMeanAbsolutePercentageError",
    "WeightedMeanAbsolutePercentageError",
]


class ExplainedVariance(_MomentsMetric):
    """Explained variance `1 - var_w(t - p) / var_w(t)` (torchmetrics), streaming.

    Per output; 1 where the residual variance is 0, else 0 where the target
    variance is 0; aggregated by `multioutput`. Empty: 1 (nothing unexplained).

    Args:
        multioutput: `"raw_values"`, `"uniform_average"` or `"variance_weighted"`.
        num_outputs: number of outputs (columns of `(n, num_outputs)` inputs).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.ExplainedVariance().update(jnp.array([3.0, -0.5, 2, 7]),
    ...                                           jnp.array([2.5, 0.0, 2, 8]))
    >>> round(float(m.compute()), 4)
    0.9572
    """

    higher_is_better = True
    is_differentiable = True

    def __init__(
        self,
        *,
        multioutput: str = "uniform_average",
        num_outputs: int = 1,
        name: str | None = None,
        dtype: Any = None,
    ):
        self.multioutput = check_option("multioutput", multioutput, MULTIOUTPUTS)
        self.num_outputs = check_positive_int("num_outputs", num_outputs)
        super().__init__(name=name, dtype=dtype)

    def update(self, y_true, y_pred, sample_weight=None) -> ExplainedVariance:
        """Folds the batch's moments of `(y_true, y_true - y_pred)` in."""
        moments = regression_moments(
            y_true, y_pred, sample_weight, num_outputs=self.num_outputs
        )[0]
        return self._fold(moments)

    def compute(self) -> Array:
        """The explained variance."""
        value = F.explained_variance_value(self.moments, multioutput=self.multioutput)
        return value.astype(self.dtype)


class RelativeSquaredError(_MomentsMetric):
    """`sum w (t - p)^2 / sum w (t - mean_w(t))^2` (torchmetrics), streaming.

    Per output, averaged over outputs; `squared=False` gives the root.

    Args:
        num_outputs: number of outputs (columns of `(n, num_outputs)` inputs).
        squared: whether to return the squared (default) or root error.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.RelativeSquaredError().update(jnp.array([1.0, 2, 3]),
    ...                                              jnp.array([1.0, 2, 4]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(
        self,
        *,
        num_outputs: int = 1,
        squared: bool = True,
        name: str | None = None,
        dtype: Any = None,
    ):
        self.num_outputs = check_positive_int("num_outputs", num_outputs)
        self.squared = bool(squared)
        super().__init__(name=name, dtype=dtype)

    def update(self, y_true, y_pred, sample_weight=None) -> RelativeSquaredError:
        """Folds the batch's moments of `(y_true, y_true - y_pred)` in."""
        moments = regression_moments(
            y_true, y_pred, sample_weight, num_outputs=self.num_outputs
        )[0]
        return self._fold(moments)

    def compute(self) -> Array:
        """The relative squared error."""
        value = F.relative_squared_error_value(self.moments, squared=self.squared)
        return value.astype(self.dtype)


class NormalizedRootMeanSquaredError(_MomentsMetric):
    """`RMSE / scale(y_true)` (torchmetrics), weighted and streaming.

    `scale` is the target's weighted mean, range, population std or L2 norm
    `sqrt(sum w t^2)` (`normalization`); 0 where the scale is 0.

    Args:
        normalization: `"mean"`, `"range"`, `"std"` or `"l2"`.
        num_outputs: number of outputs (columns of `(n, num_outputs)` inputs).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.NormalizedRootMeanSquaredError().update(
    ...     jnp.array([1.0, 3.0]), jnp.array([2.0, 2.0]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = False
    is_differentiable = True
    minimum = state("min")
    maximum = state("max")

    def __init__(
        self,
        *,
        normalization: str = "mean",
        num_outputs: int = 1,
        name: str | None = None,
        dtype: Any = None,
    ):
        self.normalization = check_option(
            "normalization", normalization, NORMALIZATIONS
        )
        self.num_outputs = check_positive_int("num_outputs", num_outputs)
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """Zero moments, `+inf` minimum and `-inf` maximum."""
        inf = jnp.full((self.num_outputs,), jnp.inf, jnp.float32)
        return {**super().init_state(), "minimum": inf, "maximum": -inf}

    def update(self, y_true, y_pred, sample_weight=None):
        """Folds the batch's moments and target extrema in."""
        moments, _, lo, hi = regression_moments(
            y_true, y_pred, sample_weight, num_outputs=self.num_outputs
        )
        return self._fold(
            moments,
            minimum=jnp.minimum(self.minimum, lo),
            maximum=jnp.maximum(self.maximum, hi),
        )

    def compute(self) -> Array:
        """The normalised RMSE (per output when `num_outputs > 1`)."""
        return F.normalized_root_mean_squared_error_value(
            self.moments,
            self.minimum,
            self.maximum,
            normalization=self.normalization,
            num_outputs=self.num_outputs,
        ).astype(self.dtype)


class _WeightedMean(Metric):
    """Base of `sum w v / sum w` metrics: `_statistics` gives `(total, count)`."""

    total = state("exact_sum")
    count = state("exact_sum")

    def init_state(self) -> dict[str, Array]:
        """Zero total and count."""
        return {"total": _numerics.accumulator(), "count": _numerics.accumulator()}

    def _statistics(self, y_true, y_pred, sample_weight):
        raise NotImplementedError

    def update(self, y_true, y_pred, sample_weight=None):
        """Folds the batch's weighted total and count in."""
        total, count = self._statistics(y_true, y_pred, sample_weight)
        return self.replace(
            total=_numerics.accumulate(self.total, total),
            count=_numerics.accumulate(self.count, count),
        )

    def _parts(self) -> tuple[Array, Array]:
        total = _numerics.accumulator_value(self.total)
        return total, _numerics.accumulator_value(self.count)

    def compute(self) -> Array:
        """`total / count`, 0 when empty."""
        return divide_no_nan(*self._parts()).astype(self.dtype)


class SymmetricMeanAbsolutePercentageError(_WeightedMean):
    """Weighted mean of `2 |p - t| / max(|t| + |p|, 1.17e-6)` (torchmetrics).

    A fraction in `[0, 2]` (not a percentage). Empty: 0.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.SymmetricMeanAbsolutePercentageError().update(
    ...     jnp.array([1.0, 2.0]), jnp.array([3.0, 2.0]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("smape",)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.symmetric_mean_absolute_percentage_error_statistics(
            y_true, y_pred, sample_weight
        )


class WeightedMeanAbsolutePercentageError(_WeightedMean):
    """`sum w |p - t| / max(sum w |t|, 1.17e-6)` (torchmetrics), weighted.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.WeightedMeanAbsolutePercentageError().update(
    ...     jnp.array([1.0, 3.0]), jnp.array([2.0, 3.0]))
    >>> float(m.compute())
    0.25
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("wmape",)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.weighted_mean_absolute_percentage_error_statistics(
            y_true, y_pred, sample_weight
        )

    def compute(self) -> Array:
        """The error as a fraction."""
        error, scale = self._parts()
        return (error / jnp.maximum(scale, PERCENTAGE_EPSILON)).astype(self.dtype)


class MeanSquaredLogError(_WeightedMean):
    """Weighted mean of `(log1p(p) - log1p(t))^2` (torchmetrics; no clipping).

    Unlike Keras' `MeanSquaredLogarithmicError`, values are not clipped at 0;
    entries `<= -1` (where the log is undefined) are ignored. Empty: 0.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MeanSquaredLogError().update(jnp.array([0.0]), jnp.array([1.0]))
    >>> round(float(m.compute()), 4)
    0.4805
    """

    higher_is_better = False
    is_differentiable = True

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.mean_squared_log_error_statistics(y_true, y_pred, sample_weight)


class MinkowskiDistance(_WeightedMean):
    """`(sum w |p - t|^p)^(1/p)` over everything seen (torchmetrics), weighted.

    Args:
        p: the order, `>= 1`.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MinkowskiDistance(p=2).update(jnp.array([0.0, 0]),
    ...                                              jnp.array([3.0, 4]))
    >>> float(m.compute())
    5.0
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(self, *, p: float = 2.0, name: str | None = None, dtype=None):
        self.p = F.check_minkowski_p(p)
        super().__init__(name=name, dtype=dtype)

    def _statistics(self, y_true, y_pred, sample_weight):
        total = F.minkowski_distance_statistics(y_true, y_pred, sample_weight, p=self.p)
        return total, jnp.zeros((), jnp.float32)

    def compute(self) -> Array:
        """The distance."""
        total, _ = self._parts()
        return F.minkowski_distance_value(total, p=self.p).astype(self.dtype)


class CriticalSuccessIndex(Metric):
    """Threat score `hits / (hits + misses + false_alarms)` (torchmetrics).

    Events are `value >= threshold`; counts are weighted by `sample_weight`.
    No event at all: 0. (torchmetrics' `keep_sequence_dim`, whose state grows
    with every batch, is not provided.)

    Args:
        threshold: the event threshold.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.CriticalSuccessIndex(threshold=0.5).update(
    ...     jnp.array([1.0, 1, 0, 1]), jnp.array([1.0, 0, 1, 1]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = True
    hits = state("exact_sum")
    misses = state("exact_sum")
    false_alarms = state("exact_sum")

    def __init__(self, *, threshold: float = 0.5, name: str | None = None, dtype=None):
        self.threshold = check_real("threshold", threshold, "to be a number")
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """Zero counts."""
        return {k: _numerics.accumulator() for k in ("hits", "misses", "false_alarms")}

    def update(self, y_true, y_pred, sample_weight=None) -> CriticalSuccessIndex:
        """Adds the batch's weighted hits, misses and false alarms."""
        hits, misses, false_alarms = F.critical_success_index_statistics(
            y_true, y_pred, sample_weight, threshold=self.threshold
        )
        return self.replace(
            hits=_numerics.accumulate(self.hits, hits),
            misses=_numerics.accumulate(self.misses, misses),
            false_alarms=_numerics.accumulate(self.false_alarms, false_alarms),
        )

    def compute(self) -> Array:
        """The critical success index."""
        counts = (self.hits, self.misses, self.false_alarms)
        values = [_numerics.accumulator_value(c) for c in counts]
        return F.critical_success_index_value(*values).astype(self.dtype)
