"""Calibration error and task hinge loss (torchmetrics' task classes)."""

from __future__ import annotations

from typing import Any

from jax_metrics._numerics import accumulate, accumulator, accumulator_value
from jax_metrics.functional import _calibration as F
from jax_metrics.functional._stat_scores_statistics import (
    _check_int,
    check_option,
    safe_divide,
)
from jax_metrics.metrics._base import Metric, state

__all__ = [
    "BinaryCalibrationError",
    "BinaryHingeLoss",
    "MulticlassCalibrationError",
    "MulticlassHingeLoss",
]


class _CalibrationError(Metric):
    """Shared state and value of the calibration errors (weighted bins)."""

    higher_is_better = False
    bins = state("exact_sum")

    def _configure(self, n_bins, norm, num_classes):
        _check_int("n_bins", n_bins, 1)
        check_option("norm", norm, F.CALIBRATION_NORMS)
        if num_classes is not None:
            _check_int("num_classes", num_classes, 2)

    def init_state(self):
        """Zero `(count, confidence, accuracy)` sums per bin."""
        return {"bins": accumulator((3, self.n_bins + 1))}

    def update(self, y_true, y_pred, sample_weight=None):
        """Folds a batch's weighted bin sums into the state."""
        bins = F.calibration_statistics(
            y_true,
            y_pred,
            n_bins=self.n_bins,
            num_classes=getattr(self, "num_classes", None),
            from_logits=self.from_logits,
            ignore_index=self.ignore_index,
            sample_weight=sample_weight,
        )
        return self.replace(bins=accumulate(self.bins, bins))

    def compute(self):
        """The calibration error (0 when empty)."""
        value = F.calibration_error_value(accumulator_value(self.bins), self.norm)
        return value.astype(self.dtype)


class BinaryCalibrationError(_CalibrationError):
    """Calibration error of binary probabilities (torchmetrics' class).

    Confidences (the probabilities) fall in `n_bins` equal-width bins; with
    weighted per-bin mean confidence `c_b`, accuracy (label mean) `a_b` and
    weight share `p_b`: `l1 = sum_b p_b |a_b - c_b|` (ECE),
    `l2 = sqrt(sum_b p_b (a_b - c_b)^2)`, `max = max_b |a_b - c_b|`.

    Args:
        n_bins: number of bins (default 15).
        norm: `"l1"`, `"l2"` or `"max"`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.BinaryCalibrationError(n_bins=2).update(
    ...     jnp.array([0, 1, 1, 0, 1]), jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]))
    >>> round(float(m.compute()), 4)
    0.12
    """

    def __init__(
        self,
        *,
        n_bins: int = 15,
        norm: str = "l1",
        from_logits: bool = False,
        ignore_index: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        self._configure(n_bins, norm, None)
        self.n_bins, self.norm = n_bins, norm
        self.from_logits, self.ignore_index = from_logits, ignore_index
        super().__init__(name=name, dtype=dtype)


class MulticlassCalibrationError(_CalibrationError):
    """Calibration error of the top-class probability (torchmetrics' class).

    Confidence is the largest probability, accuracy whether its class is the
    label; bins and norms as `BinaryCalibrationError`.

    Args:
        num_classes: number of classes (scores `(N, ..., C)`).
        n_bins: number of bins (default 15).
        norm: `"l1"`, `"l2"` or `"max"`.
        from_logits: apply a softmax to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MulticlassCalibrationError(num_classes=2, n_bins=2).update(
    ...     jnp.array([0, 1, 1]), jnp.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]))
    >>> round(float(m.compute()), 4)
    0.0333
    """

    def __init__(
        self,
        *,
        num_classes: int,
        n_bins: int = 15,
        norm: str = "l1",
        from_logits: bool = False,
        ignore_index: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        self._configure(n_bins, norm, num_classes)
        self.num_classes, self.n_bins, self.norm = num_classes, n_bins, norm
        self.from_logits, self.ignore_index = from_logits, ignore_index
        super().__init__(name=name, dtype=dtype)


class _HingeLoss(Metric):
    """Shared state and value of the task hinge losses."""

    higher_is_better = False
    totals = state("exact_sum")

    def _shape(self):
        if getattr(self, "multiclass_mode", None) == "one-vs-all":
            return (2, self.num_classes)
        return (2,)

    def init_state(self):
        """Zero loss and weight sums."""
        return {"totals": accumulator(self._shape())}

    def update(self, y_true, y_pred, sample_weight=None):
        """Folds a batch's weighted loss sum and weight into the state."""
        totals = F.hinge_statistics(
            y_true,
            y_pred,
            num_classes=getattr(self, "num_classes", None),
            squared=self.squared,
            multiclass_mode=getattr(self, "multiclass_mode", "crammer-singer"),
            from_logits=self.from_logits,
            ignore_index=self.ignore_index,
            sample_weight=sample_weight,
        )
        return self.replace(totals=accumulate(self.totals, totals))

    def compute(self):
        """The mean loss (0 when empty)."""
        total, count = accumulator_value(self.totals)
        return safe_divide(total, count).astype(self.dtype)


class BinaryHingeLoss(_HingeLoss):
    """Mean hinge loss of binary scores (torchmetrics' class).

    `sum_i w_i max(0, 1 - m_i) / sum_i w_i` with margin `m_i = s_i` for
    positives and `-s_i` for negatives (squared if `squared`).

    Args:
        squared: square the per-sample loss.
        from_logits: apply a sigmoid to `y_pred` first (torchmetrics does this
            to logits).
        ignore_index: target value whose entries are ignored.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.BinaryHingeLoss().update(
    ...     jnp.array([0, 1, 1, 0, 1]), jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]))
    >>> round(float(m.compute()), 4)
    0.76
    """

    def __init__(
        self,
        *,
        squared: bool = False,
        from_logits: bool = False,
        ignore_index: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        self.squared, self.from_logits, self.ignore_index = (
            squared,
            from_logits,
            ignore_index,
        )
        super().__init__(name=name, dtype=dtype)


class MulticlassHingeLoss(_HingeLoss):
    """Mean multiclass hinge loss (torchmetrics' class).

    Crammer-Singer: margin `s_y - max_{k != y} s_k`, a scalar; one-vs-all: a
    binary hinge per class, a `(C,)` value. Weighted mean over samples.

    Args:
        num_classes: number of classes (scores `(N, ..., C)`).
        squared: square the per-sample loss.
        multiclass_mode: `"crammer-singer"` or `"one-vs-all"`.
        from_logits: apply a softmax to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MulticlassHingeLoss(num_classes=2).update(
    ...     jnp.array([0, 1]), jnp.array([[0.8, 0.2], [0.6, 0.4]]))
    >>> round(float(m.compute()), 4)
    0.8
    """

    def __init__(
        self,
        *,
        num_classes: int,
        squared: bool = False,
        multiclass_mode: str = "crammer-singer",
        from_logits: bool = False,
        ignore_index: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_int("num_classes", num_classes, 2)
        check_option("multiclass_mode", multiclass_mode, F.HINGE_MODES)
        self.num_classes, self.squared = num_classes, squared
        self.multiclass_mode = multiclass_mode
        self.from_logits, self.ignore_index = from_logits, ignore_index
        super().__init__(name=name, dtype=dtype)
