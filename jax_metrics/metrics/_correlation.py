"""Correlation metrics: per-sample (Keras), streaming moments, buffered ranks.

Keras' `PearsonCorrelation`/`ConcordanceCorrelation` average per-sample
correlations; `PearsonCorrCoef`/`ConcordanceCorrCoef` correlate across all
samples; `SpearmanCorrCoef`/`KendallRankCorrCoef` rank buffered samples.

Moment-based metrics keep compensated accumulators merged with Chan's
parallel formula (`jax_metrics.functional.merge_moments`), so splitting data
across batches or devices changes the value by float32 rounding at most.
Rank correlations need every sample: they keep a fixed-capacity buffer
declared at construction, and `compute` raises `OverflowError` (under `jit`,
when the computation runs) when more samples arrived than it holds.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics import _buffer, _numerics
from jax_metrics.functional import _correlation as F
from jax_metrics.functional import _rank_correlation as R
from jax_metrics.functional._loss_utils import check_bool
from jax_metrics.functional._regression_metrics import check_positive_int
from jax_metrics.metrics._aggregation import MeanMetricWrapper
from jax_metrics.metrics._base import Metric, state

__all__ = [
    "ConcordanceCorrCoef",
    "ConcordanceCorrelation",
    "KendallRankCorrCoef",
    "PearsonCorrCoef",
    "PearsonCorrelation",
    "SpearmanCorrCoef",
]


class PearsonCorrelation(MeanMetricWrapper):
    """The running mean of Keras' per-sample Pearson correlation along `axis`.

    `mean_i r_i` with `r_i = mean(z(y_true_i) * z(y_pred_i), axis)` (weighted
    by `sample_weight`); a constant slice counts as 0 (Keras gives NaN).

    Args:
        axis: the axis (or axes) along which each correlation is computed.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.PearsonCorrelation().update(
    ...     jnp.array([[0, 1, 0.5], [1, 1, 0.2]]),
    ...     jnp.array([[0.1, 0.9, 0.5], [1, 0.9, 0.2]]))
    >>> round(float(m.compute()), 4)
    0.9967
    """

    higher_is_better = True

    def __init__(
        self, *, axis: Any = -1, name: str | None = "pearson_correlation", dtype=None
    ):
        super().__init__(F.pearson_correlation, name=name, dtype=dtype, axis=axis)


class ConcordanceCorrelation(MeanMetricWrapper):
    """The running mean of Keras' per-sample concordance correlation.

    `mean_i c_i` with `c_i = mean(2 (t - mean_t)(p - mean_p) / (var_t + var_p +
    (mean_t - mean_p)^2 + 1e-7), axis)` (weighted by `sample_weight`).

    Args:
        axis: the axis (or axes) along which each correlation is computed.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.ConcordanceCorrelation().update(
    ...     jnp.array([[0, 1, 0.5], [1, 1, 0.2]]),
    ...     jnp.array([[0.1, 0.9, 0.5], [1, 0.9, 0.2]]))
    >>> round(float(m.compute()), 4)
    0.9816
    """

    higher_is_better = True

    def __init__(
        self,
        *,
        axis: Any = -1,
        name: str | None = "concordance_correlation",
        dtype=None,
    ):
        super().__init__(F.concordance_correlation, name=name, dtype=dtype, axis=axis)


class _MomentsMetric(Metric):
    """Base of metrics whose state is streaming `Moments` (Chan's merge).

    Subclasses set `num_outputs` and implement `_pair(y_true, y_pred)`
    returning the two variables whose moments are tracked.
    """

    count = state("exact_sum")
    mean_x = state("custom")
    mean_y = state("custom")
    m2_x = state("custom")
    m2_y = state("custom")
    comoment = state("custom")

    def init_state(self) -> dict[str, Array]:
        """Zero moments for `num_outputs` outputs."""
        zero = _numerics.accumulator((self.num_outputs,))
        return dict.fromkeys(F.Moments._fields, zero)

    @property
    def moments(self) -> F.Moments:
        """The state as `Moments`."""
        return F.Moments(*(self.__dict__[k] for k in F.Moments._fields))

    def _fold(self, moments: F.Moments, **extra: Array) -> Metric:
        merged = F.merge_moments(self.moments, moments)
        return self.replace(**merged._asdict(), **extra)

    def _merge_custom(self, other: Metric) -> dict[str, Array]:
        merged = F.merge_moments(self.moments, other.moments)._asdict()
        del merged["count"]
        return merged


class PearsonCorrCoef(_MomentsMetric):
    """Pearson's correlation across all samples seen (torchmetrics), streaming.

    `r = sum w (t - mean_t)(p - mean_p) / sqrt(sum w (t - mean_t)^2 sum w
    (p - mean_p)^2)` per output, from mergeable moments; 0 where a variance
    is zero (torchmetrics gives NaN).

    Args:
        num_outputs: number of outputs (columns of `(n, num_outputs)` inputs).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.PearsonCorrCoef().update(jnp.array([1.0, 2, 3, 4]),
    ...                                         jnp.array([1.0, 3, 2, 4]))
    >>> round(float(m.compute()), 4)
    0.8
    """

    higher_is_better = True

    def __init__(self, *, num_outputs: int = 1, name: str | None = None, dtype=None):
        self.num_outputs = check_positive_int("num_outputs", num_outputs)
        super().__init__(name=name, dtype=dtype)

    def update(self, y_true, y_pred, sample_weight=None) -> PearsonCorrCoef:
        """Folds a batch's moments into the state."""
        t, p, w = F.outputs_and_weight(
            y_true, y_pred, sample_weight, num_outputs=self.num_outputs
        )
        return self._fold(F.moment_statistics(t, p, w))

    def compute(self) -> Array:
        """The coefficient (per output when `num_outputs > 1`)."""
        value = F.pearson_corrcoef_value(self.moments).astype(self.dtype)
        return value[0] if self.num_outputs == 1 else value


class ConcordanceCorrCoef(PearsonCorrCoef):
    """Lin's concordance correlation across all samples (torchmetrics).

    `2 cov(t, p) / (var(t) + var(p) + (mean_t - mean_p)^2)` with unbiased
    weighted moments, per output; 0 where undefined.

    Args:
        num_outputs: number of outputs (columns of `(n, num_outputs)` inputs).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.ConcordanceCorrCoef().update(jnp.array([1.0, 2, 3, 4]),
    ...                                             jnp.array([1.0, 3, 2, 4]))
    >>> round(float(m.compute()), 4)
    0.8
    """

    def compute(self) -> Array:
        """The coefficient (per output when `num_outputs > 1`)."""
        value = F.concordance_corrcoef_value(self.moments).astype(self.dtype)
        return value[0] if self.num_outputs == 1 else value


class _RankMetric(Metric):
    """Base of buffered rank correlations: `(capacity, 2, d)` samples + weights."""

    data = state("custom")
    filled = state("custom")

    def __init__(self, *, capacity: int, num_outputs: int, name=None, dtype=None):
        self.capacity = check_positive_int("capacity", capacity)
        self.num_outputs = check_positive_int("num_outputs", num_outputs)
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """An empty buffer of rows `(y_true, y_pred, weight)` per output."""
        data, filled = _buffer.buffer_init(self.capacity, (3, self.num_outputs))
        return {"data": data, "filled": filled}

    def update(self, y_true, y_pred, sample_weight=None) -> Metric:
        """Appends the batch's rows (non-finite or zero-weight rows are skipped)."""
        t, p, w = F.outputs_and_weight(
            y_true, y_pred, sample_weight, num_outputs=self.num_outputs
        )
        rows = jnp.stack([t, p, w], axis=1)
        keep = jnp.all(jnp.isfinite(rows) & (w > 0)[:, None, :], axis=(1, 2))
        data, filled = _buffer.buffer_append(self.data, self.filled, rows, keep)
        return self.replace(data=data, filled=filled)

    def _merge_custom(self, other: Metric) -> dict[str, Array]:
        data, filled = _buffer.buffer_merge(
            self.data, self.filled, other.data, other.filled
        )
        return {"data": data, "filled": filled}

    def _columns(self) -> tuple[Array, Array, Array]:
        _buffer.check_overflow(self.filled, self.capacity, type(self).__name__)
        valid = _buffer.buffer_mask(self.data, self.filled)[:, None]
        weight = jnp.where(valid, self.data[:, 2], 0.0)
        return self.data[:, 0], self.data[:, 1], weight

    def _finish(self, value: Array) -> Array:
        value = value.astype(self.dtype)
        return value[0] if self.num_outputs == 1 else value


class SpearmanCorrCoef(_RankMetric):
    """Spearman's rank correlation over a fixed-capacity buffer (torchmetrics).

    The weighted Pearson correlation of the mid-ranks (ties averaged) of
    `y_true` and `y_pred` among the buffered samples. Weights count as
    repetitions of a row (a row of weight `w` holds `w` rank positions), so
    integer weights give the rho of the repeated rows. Rows with a
    non-finite value or a zero weight are skipped. More than `capacity` samples raise
    `OverflowError` at `compute`.

    Args:
        capacity: the most samples kept.
        num_outputs: number of outputs (columns of `(n, num_outputs)` inputs).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.SpearmanCorrCoef(capacity=8).update(
    ...     jnp.array([1.0, 2, 3, 4]), jnp.array([1.0, 30, 2, 40]))
    >>> round(float(m.compute()), 4)
    0.8
    """

    higher_is_better = True

    def __init__(
        self, *, capacity: int = 4096, num_outputs: int = 1, name=None, dtype=None
    ):
        super().__init__(
            capacity=capacity, num_outputs=num_outputs, name=name, dtype=dtype
        )

    def compute(self) -> Array:
        """The coefficient (per output when `num_outputs > 1`)."""
        return self._finish(R.spearman_corrcoef_value(*self._columns()))


class KendallRankCorrCoef(_RankMetric):
    """Kendall's tau over a fixed-capacity buffer (torchmetrics), weighted.

    With pair weights `w_i w_j` and `S = sum_{i<j} w_i w_j sign(dt) sign(dp)`:
    tau-a `S / sum w_i w_j`, tau-b `S / sqrt(T_t T_p)` (`T` the weight of
    pairs not tied in that variable). Costs `O(capacity^2)` at `compute`.
    Rows with a non-finite value or a zero weight are skipped; overflow raises
    `OverflowError` at `compute`.

    Args:
        variant: `"a"`, `"b"` or `"c"`.
        t_test: `compute` also gives the p-value of the test of independence
            (normal approximation, corrected for ties for tau-b and tau-c;
            weights count as repetitions of a row).
        alternative: `"two-sided"`, `"less"` or `"greater"` (with `t_test`).
        capacity: the most samples kept.
        num_outputs: number of outputs (columns of `(n, num_outputs)` inputs).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.KendallRankCorrCoef(capacity=8).update(
    ...     jnp.array([1.0, 2, 3, 4]), jnp.array([1.0, 3, 2, 4]))
    >>> round(float(m.compute()), 4)
    0.6667
    >>> m = jm.metrics.KendallRankCorrCoef(t_test=True, capacity=8).update(
    ...     jnp.array([1.0, 2, 3, 4, 5]), jnp.array([2.0, 1, 3, 5, 4]))
    >>> {k: round(float(v), 4) for k, v in m.compute().items()}
    {'tau': 0.6, 'p_value': 0.1416}
    """

    higher_is_better = True

    def __init__(
        self,
        *,
        variant: str = "b",
        t_test: bool = False,
        alternative: str = "two-sided",
        capacity: int = 4096,
        num_outputs: int = 1,
        name=None,
        dtype=None,
    ):
        self.variant = R.check_kendall_variant(variant)
        self.t_test = check_bool("t_test", t_test)
        self.alternative = R.check_kendall_alternative(alternative)
        super().__init__(
            capacity=capacity, num_outputs=num_outputs, name=name, dtype=dtype
        )

    def compute(self) -> Array | dict[str, Array]:
        """The coefficient (per output when `num_outputs > 1`).

        With `t_test`: `{"tau": ..., "p_value": ...}`.
        """
        value, p_value = R.kendall_tau_and_p_value(
            *self._columns(),
            variant=self.variant,
            alternative=self.alternative if self.t_test else None,
        )
        if not self.t_test:
            return self._finish(value)
        return {"tau": self._finish(value), "p_value": self._finish(p_value)}
