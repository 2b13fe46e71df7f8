"""Keras' curve metrics on the shared thresholded-counts kernel.

`AUC` and the at-constraint metrics (`SensitivityAtSpecificity`,
`SpecificityAtSensitivity`, `PrecisionAtRecall`, `RecallAtPrecision`) keep
the exact per-threshold counts of `_confusion.py`'s `_ConfusionCounts`
(shape `(num_thresholds,)`, or `(num_thresholds, num_labels)` for a
multi-label `AUC`) and read the curve from them in `compute`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
from jax import Array

from jax_metrics.functional import _confusion as F
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._loss_utils import number_tuple
from jax_metrics.metrics._confusion import _ConfusionCounts

__all__ = [
    "AUC",
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
]


class AUC(_ConfusionCounts):
    """Keras' binned area under the ROC or precision-recall curve.

    Counts are kept at `num_thresholds` evenly spaced thresholds over `[0, 1]`
    (end points widened by 1e-7), or at `[-1e-7, *sorted(thresholds),
    1 + 1e-7]`; scores are bucketed in O(N) whatever the number of
    thresholds. The area is a Riemann sum of (FPR, recall) for ROC or
    (recall, precision) for PR (`functional.auc_value`); PR with
    `interpolation` uses Davis & Goadrich's interpolation. With
    `multi_label=True` each column of `(N, num_labels)` inputs has its own
    curve and the areas are averaged (weighted by `label_weights`); otherwise
    all entries form one curve and `label_weights` weight the columns.

    Args:
        num_thresholds: number of thresholds (> 1).
        curve: `"ROC"` or `"PR"`.
        summation_method: `"interpolation"`, `"minoring"` or `"majoring"`.
        thresholds: explicit thresholds in `[0, 1]` instead of
            `num_thresholds`.
        multi_label: one curve per label column, averaged.
        num_labels: number of label columns (multi-label); sizes the state at
            construction (as does `label_weights`; otherwise the first update
            sizes it, as Keras builds lazily).
        label_weights: non-negative per-label weights.
        from_logits: `y_pred` holds logits (a sigmoid is applied).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.AUC(num_thresholds=3).update(
    ...     jnp.array([0, 0, 1, 1]), jnp.array([0.0, 0.5, 0.3, 0.9]))
    >>> round(float(m.compute()), 4)
    0.75
    """

    def __init__(
        self,
        *,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        thresholds: Sequence[float] | None = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Sequence[float] | None = None,
        from_logits: bool = False,
        name: str | None = "auc",
        dtype: Any = None,
    ):
        self._curve, self._summation = F.validate_auc_options(curve, summation_method)
        if thresholds is not None:
            F.parse_thresholds(thresholds)
        if num_labels is not None and not multi_label:
            raise ValueError(
                "expected num_labels only with multi_label=True, received "
                f"num_labels={num_labels!r} and multi_label=False"
            )
        if label_weights is not None:
            label_weights = number_tuple("label_weights", label_weights)
            if any(w < 0 for w in label_weights):
                raise ValueError(
                    f"expected non-negative label_weights, received {label_weights}"
                )
            if num_labels is not None and len(label_weights) != num_labels:
                raise ValueError(
                    f"expected {num_labels} label_weights, received "
                    f"{len(label_weights)}"
                )
        self._thresholds, evenly = F.auc_thresholds(num_thresholds, thresholds)
        self.num_thresholds = len(self._thresholds)
        self.curve, self.summation_method = curve, summation_method
        self.thresholds = thresholds
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights, self.from_logits = label_weights, from_logits
        labels = num_labels or (len(label_weights) if label_weights else 0)
        self._labels = labels if multi_label else None
        self._options = (
            ("clip_scores", evenly),
            ("label_weights", None if multi_label else label_weights),
            ("multi_label", multi_label),
        )
        super().__init__(name=name, dtype=dtype)

    def _prepare(self, y_pred: Array) -> Array:
        if self.from_logits:
            return jax.nn.sigmoid(y_pred.astype(jnp.float32))
        return y_pred

    def compute(self) -> Array:
        """The area (0 when empty)."""
        if self.histogram.size == 0:  # multi-label, not yet sized by a batch
            return jnp.zeros((), self.dtype)
        value = F.auc_value(
            *self._counts(),
            curve=self._curve,
            summation_method=self._summation,
            multi_label=self.multi_label,
            label_weights=self.label_weights,
        )
        return value.astype(self.dtype)


class _AtConstraint(_ConfusionCounts):
    """Base of the at-fixed-value metrics (Keras' SensitivitySpecificityBase)."""

    _target_name = "value"

    def __init__(self, value, *, num_thresholds, class_id, name, dtype):
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(
                f"expected {self._target_name} in [0, 1], received "
                f"{self._target_name}={value!r}"
            )
        if class_id is not None and (not isinstance(class_id, int) or class_id < 0):
            raise ValueError(
                f"expected class_id to be an int >= 0, received {class_id!r}"
            )
        self._thresholds = F.sensitivity_thresholds(num_thresholds)
        self.num_thresholds, self.class_id = num_thresholds, class_id
        self._value = float(value)
        self._options = (("class_id", class_id), ("clip_scores", num_thresholds > 1))
        self._labels = None
        super().__init__(name=name, dtype=dtype)

    def _rates(self) -> dict[str, Array]:
        tp, fp, tn, fn = self._counts()
        return {
            "recall": F.recall_value(tp, fn),
            "precision": F.precision_value(tp, fp),
            "specificity": divide_no_nan(tn, tn + fp),
        }

    def _best(self, constrained: str, dependent: str) -> Array:
        rates = self._rates()
        value = F.max_under_constraint(
            rates[constrained], rates[dependent], self._value
        )
        return value.astype(self.dtype)


class SensitivityAtSpecificity(_AtConstraint):
    """Best sensitivity (recall) over thresholds whose specificity >= target.

    `max_t {tp/(tp+fn) : tn/(tn+fp) >= specificity}` on `num_thresholds`
    evenly spaced thresholds (weighted counts); 0 when no threshold qualifies.

    Args:
        specificity: the target in `[0, 1]`.
        num_thresholds: number of thresholds (1 means the single 0.5).
        class_id: the column of the last axis to evaluate.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.SensitivityAtSpecificity(0.5).update(
    ...     jnp.array([0, 0, 1, 1]), jnp.array([0.1, 0.6, 0.4, 0.9]))
    >>> float(m.compute())
    1.0
    """

    _target_name = "specificity"

    def __init__(
        self,
        specificity: float,
        *,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = "sensitivity_at_specificity",
        dtype: Any = None,
    ):
        self.specificity = specificity
        super().__init__(
            specificity,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def compute(self) -> Array:
        """The best sensitivity meeting the specificity target."""
        return self._best("specificity", "recall")


class SpecificityAtSensitivity(_AtConstraint):
    """Best specificity over thresholds whose sensitivity >= target.

    `max_t {tn/(tn+fp) : tp/(tp+fn) >= sensitivity}`; 0 when none qualifies.

    Args:
        sensitivity: the target in `[0, 1]`.
        num_thresholds: number of thresholds (1 means the single 0.5).
        class_id: the column of the last axis to evaluate.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.SpecificityAtSensitivity(1.0).update(
    ...     jnp.array([0, 0, 1, 1]), jnp.array([0.1, 0.6, 0.4, 0.9]))
    >>> float(m.compute())
    0.5
    """

    _target_name = "sensitivity"

    def __init__(
        self,
        sensitivity: float,
        *,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = "specificity_at_sensitivity",
        dtype: Any = None,
    ):
        self.sensitivity = sensitivity
        super().__init__(
            sensitivity,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def compute(self) -> Array:
        """The best specificity meeting the sensitivity target."""
        return self._best("recall", "specificity")


class PrecisionAtRecall(_AtConstraint):
    """Best precision over thresholds whose recall >= target.

    `max_t {tp/(tp+fp) : tp/(tp+fn) >= recall}`; 0 when none qualifies.

    Args:
        recall: the target in `[0, 1]`.
        num_thresholds: number of thresholds (1 means the single 0.5).
        class_id: the column of the last axis to evaluate.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.PrecisionAtRecall(1.0).update(
    ...     jnp.array([0, 0, 1, 1]), jnp.array([0.1, 0.6, 0.4, 0.9]))
    >>> round(float(m.compute()), 4)
    0.6667
    """

    _target_name = "recall"

    def __init__(
        self,
        recall: float,
        *,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = "precision_at_recall",
        dtype: Any = None,
    ):
        self.recall = recall
        super().__init__(
            recall,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def compute(self) -> Array:
        """The best precision meeting the recall target."""
        return self._best("recall", "precision")


class RecallAtPrecision(_AtConstraint):
    """Best recall over thresholds whose precision >= target.

    `max_t {tp/(tp+fn) : tp/(tp+fp) >= precision}`; 0 when none qualifies.

    Args:
        precision: the target in `[0, 1]`.
        num_thresholds: number of thresholds (1 means the single 0.5).
        class_id: the column of the last axis to evaluate.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.RecallAtPrecision(1.0).update(
    ...     jnp.array([0, 0, 1, 1]), jnp.array([0.1, 0.6, 0.4, 0.9]))
    >>> float(m.compute())
    0.5
    """

    _target_name = "precision"

    def __init__(
        self,
        precision: float,
        *,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = "recall_at_precision",
        dtype: Any = None,
    ):
        self.precision = precision
        super().__init__(
            precision,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def compute(self) -> Array:
        """The best recall meeting the precision target."""
        return self._best("precision", "recall")
