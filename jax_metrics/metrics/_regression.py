"""Regression metrics: Keras' running means and R2, torchmetrics' families.

Keras names (`MeanSquaredError`, ..., `R2Score`) take Keras' options and give
Keras' values. The torchmetrics names take torchmetrics' options, plus
`sample_weight` everywhere (weighted means `sum w v / sum w`; see each
formula). Totals and counts are compensated float32 accumulators and
variances stream by Chan's merge, so long runs do not drift and bfloat16 or
float16 inputs accumulate in float32. Entries outside a metric's domain are
ignored (weight 0), never turned into NaN state.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics import _numerics
from jax_metrics.functional import _regression as L
from jax_metrics.functional import _regression_metrics as F
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.metrics._aggregation import MeanMetricWrapper
from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._correlation import _MomentsMetric

__all__ = [
    "ContinuousRankedProbabilityScore",
    "CosineSimilarity",
    "CriticalSuccessIndex",
    "ExplainedVariance",
    "JensenShannonDivergence",
    "LogCoshError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogError",
    "MeanSquaredLogarithmicError",
    "MinkowskiDistance",
    "NormalizedRootMeanSquaredError",
    "Perplexity",
    "R2Score",
    "RelativeSquaredError",
    "RootMeanSquaredError",
    "SymmetricMeanAbsolutePercentageError",
    "TweedieDevianceScore",
    "WeightedMeanAbsolutePercentageError",
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
        super().__init__(L.mean_squared_error, name=name, dtype=dtype)

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
        self.multioutput = F.check_option("multioutput", multioutput, F.MULTIOUTPUTS)
        self.num_outputs = F.check_positive_int("num_outputs", num_outputs)
        super().__init__(name=name, dtype=dtype)

    def update(self, y_true, y_pred, sample_weight=None) -> ExplainedVariance:
        """Folds the batch's moments of `(y_true, y_true - y_pred)` in."""
        moments = F.regression_moments(
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
        self.num_outputs = F.check_positive_int("num_outputs", num_outputs)
        self.squared = bool(squared)
        super().__init__(name=name, dtype=dtype)

    def update(self, y_true, y_pred, sample_weight=None) -> RelativeSquaredError:
        """Folds the batch's moments of `(y_true, y_true - y_pred)` in."""
        moments = F.regression_moments(
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
        self.normalization = F.check_option(
            "normalization", normalization, F.NORMALIZATIONS
        )
        self.num_outputs = F.check_positive_int("num_outputs", num_outputs)
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """Zero moments, `+inf` minimum and `-inf` maximum."""
        inf = jnp.full((self.num_outputs,), jnp.inf, jnp.float32)
        return {**super().init_state(), "minimum": inf, "maximum": -inf}

    def update(self, y_true, y_pred, sample_weight=None):
        """Folds the batch's moments and target extrema in."""
        moments, _, lo, hi = F.regression_moments(
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


class TweedieDevianceScore(_WeightedMean):
    """Mean Tweedie deviance `sum w d / sum w` (torchmetrics), weighted.

    `power` 0: squared error, 1: Poisson, 2: Gamma, else the general form
    (see `jax_metrics.functional.tweedie_deviance_score`). Entries outside
    the power's domain (torchmetrics raises) are ignored. Empty: 0.

    Args:
        power: the Tweedie power, `<= 0` or `>= 1`.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.TweedieDevianceScore(power=1.0).update(
    ...     jnp.array([1.0, 2.0]), jnp.array([2.0, 2.0]))
    >>> round(float(m.compute()), 4)
    0.3069
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(self, *, power: float = 0.0, name: str | None = None, dtype=None):
        self.power = F.check_tweedie_power(power)
        super().__init__(name=name, dtype=dtype)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.tweedie_deviance_score_statistics(
            y_true, y_pred, sample_weight, power=self.power
        )


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
        return (error / jnp.maximum(scale, F.PERCENTAGE_EPSILON)).astype(self.dtype)


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
        self.threshold = float(threshold)
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


class JensenShannonDivergence(_WeightedMean):
    """Weighted mean (or sum) of per-row Jensen-Shannon divergences.

    `JSD(p, q) = (KL(p || m) + KL(q || m)) / 2`, `m = (p + q) / 2`, natural
    log, rows normalised to sum 1 (or log probabilities with `log_prob`).
    torchmetrics' `reduction="none"` (a growing state) is only in the
    functional form. Empty: 0.

    Args:
        log_prob: whether the inputs are log probabilities.
        reduction: `"mean"` or `"sum"`.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.JensenShannonDivergence().update(
    ...     jnp.array([[1.0, 0]]), jnp.array([[0.5, 0.5]]))
    >>> round(float(m.compute()), 4)
    0.2158
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(
        self,
        *,
        log_prob: bool = False,
        reduction: str = "mean",
        name: str | None = None,
        dtype=None,
    ):
        self.log_prob = bool(log_prob)
        self.reduction = F.check_option("reduction", reduction, ("mean", "sum"))
        super().__init__(name=name, dtype=dtype)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.jensen_shannon_divergence_statistics(
            y_true, y_pred, sample_weight, log_prob=self.log_prob
        )

    def compute(self) -> Array:
        """The mean (or summed) divergence."""
        total, count = self._parts()
        value = total if self.reduction == "sum" else divide_no_nan(total, count)
        return value.astype(self.dtype)


class ContinuousRankedProbabilityScore(_WeightedMean):
    """Weighted mean CRPS of ensemble forecasts (torchmetrics).

    Per sample `mean_j |x_j - t| - sum_jk |x_j - x_k| / (2 m^2)` for `m`
    ensemble members; `y_pred` is `(batch, m)`, `y_true` `(batch,)`. Empty: 0.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.ContinuousRankedProbabilityScore().update(
    ...     jnp.array([0.0]), jnp.array([[-1.0, 1.0]]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("crps",)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.continuous_ranked_probability_score_statistics(
            y_true, y_pred, sample_weight
        )


class Perplexity(_WeightedMean):
    """Token-weighted perplexity `exp(sum w nll / sum w)` (torchmetrics).

    `y_true` are integer tokens `(batch, seq)`, `y_pred` logits
    `(batch, seq, vocab)`; `sample_weight` weights sequences or tokens.
    Tokens equal to `ignore_index`, or out of `[0, vocab)`, are ignored.
    Empty: 1.

    Args:
        ignore_index: a label to ignore (e.g. padding).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.Perplexity(ignore_index=-100).update(
    ...     jnp.array([[0, 1, -100]]), jnp.zeros((1, 3, 4)))
    >>> round(float(m.compute()), 4)
    4.0
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(
        self, *, ignore_index: int | None = None, name: str | None = None, dtype=None
    ):
        self.ignore_index = None if ignore_index is None else int(ignore_index)
        super().__init__(name=name, dtype=dtype)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.perplexity_statistics(
            y_true, y_pred, sample_weight, ignore_index=self.ignore_index
        )

    def compute(self) -> Array:
        """The perplexity."""
        return F.perplexity_value(*self._parts()).astype(self.dtype)
