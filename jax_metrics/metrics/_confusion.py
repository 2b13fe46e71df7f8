"""Keras confusion metrics on the shared thresholded-counts kernel.

Every class here keeps exact (compensated float32) per-threshold counts
`true_positives`, `false_positives`, `true_negatives`, `false_negatives` of
shape `(num_thresholds,)` (or `(num_thresholds, num_labels)` for a
multi-label `AUC`) filled by `functional.keras_confusion_statistics`, the
O(N) histogram kernel; `compute` calls the matching value kernel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
from jax import Array

from jax_metrics._numerics import accumulate, accumulator, accumulator_value
from jax_metrics.functional import _confusion as F
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.metrics._base import Metric, state

__all__ = [
    "AUC",
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "PrecisionAtRecall",
    "Recall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "TrueNegatives",
    "TruePositives",
]


class _ConfusionCounts(Metric):
    """Shared state and update: exact TP/FP/TN/FN per threshold (and label).

    Subclasses set `self._thresholds` (the static threshold tuple),
    `self._options` (keyword options of `keras_confusion_statistics`) and
    `self._labels` (`None`, or the label count of a multi-label state; 0 means
    "sized by the first update") before calling `super().__init__`.
    """

    higher_is_better = True
    true_positives = state("exact_sum")
    false_positives = state("exact_sum")
    true_negatives = state("exact_sum")
    false_negatives = state("exact_sum")

    def _shape(self) -> tuple[int, ...]:
        if self._labels is None:
            return (len(self._thresholds),)
        built = self.__dict__.get("true_positives")
        labels = self._labels or (built.shape[-1] if built is not None else 0)
        return (len(self._thresholds), labels)

    def init_state(self) -> dict[str, Array]:
        """Zero counts of shape `(num_thresholds,)` (or `(T, labels)`)."""
        shape = self._shape()
        return {
            "true_positives": accumulator(shape),
            "false_positives": accumulator(shape),
            "true_negatives": accumulator(shape),
            "false_negatives": accumulator(shape),
        }

    def _prepare(self, y_pred: Array) -> Array:
        return y_pred

    def update(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted counts at every threshold."""
        counts = F.keras_confusion_statistics(
            y_true,
            self._prepare(jnp.asarray(y_pred)),
            thresholds=self._thresholds,
            sample_weight=sample_weight,
            **dict(self._options),
        )
        current = self
        if self._labels == 0 and self.true_positives.shape[-1] != counts[0].shape[-1]:
            # Multi-label state sized by the first batch (Keras' lazy build).
            if self.true_positives.shape[-1] != 0:
                raise ValueError(
                    f"expected y_pred with {self.true_positives.shape[-1]} labels, "
                    f"received shape {jnp.shape(y_pred)}"
                )
            zero = accumulator(counts[0].shape)
            current = self.replace(
                true_positives=zero,
                false_positives=zero,
                true_negatives=zero,
                false_negatives=zero,
            )
        return current.replace(
            true_positives=accumulate(current.true_positives, counts[0]),
            false_positives=accumulate(current.false_positives, counts[1]),
            true_negatives=accumulate(current.true_negatives, counts[2]),
            false_negatives=accumulate(current.false_negatives, counts[3]),
        )

    def _counts(self) -> tuple[Array, Array, Array, Array]:
        return (
            accumulator_value(self.true_positives),
            accumulator_value(self.false_positives),
            accumulator_value(self.true_negatives),
            accumulator_value(self.false_negatives),
        )

    def _result(self, values: Array) -> Array:
        values = values[0] if len(self._thresholds) == 1 else values
        return values.astype(self.dtype)


class _KerasCount(_ConfusionCounts):
    _index = 0

    def __init__(self, *, thresholds=None, name=None, dtype=None):
        self.thresholds = thresholds
        self._thresholds = F.parse_thresholds(thresholds)
        self._options = ()
        self._labels = None
        super().__init__(name=name, dtype=dtype)

    def compute(self) -> Array:
        """The count, or one count per threshold."""
        return self._result(self._counts()[self._index])


class TruePositives(_KerasCount):
    """Weighted count of positives (`y_true != 0`) with `y_pred > threshold`.

    `tp[t] = sum_i w_i [y_i != 0][p_i > t]`, kept exact past 2^24.

    Args:
        thresholds: a float or list of floats in `[0, 1]` (default 0.5); the
            result has one entry per threshold when a list is given.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.TruePositives().update(jnp.array([0, 1, 1, 1]),
    ...                                       jnp.array([1.0, 0.0, 1.0, 1.0]))
    >>> float(m.compute())
    2.0
    """

    higher_is_better = True
    _index = 0


class FalsePositives(_KerasCount):
    """Weighted count of negatives (`y_true == 0`) with `y_pred > threshold`.

    `fp[t] = sum_i w_i [y_i == 0][p_i > t]`, kept exact past 2^24.

    Args:
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.FalsePositives().update(jnp.array([0, 1, 0, 0]),
    ...                                        jnp.array([0.0, 0.0, 1.0, 1.0]))
    >>> float(m.compute())
    2.0
    """

    higher_is_better = False
    _index = 1


class TrueNegatives(_KerasCount):
    """Weighted count of negatives (`y_true == 0`) with `y_pred <= threshold`.

    `tn[t] = sum_i w_i [y_i == 0][p_i <= t]`, kept exact past 2^24.

    Args:
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.TrueNegatives().update(jnp.array([0, 1, 0, 0]),
    ...                                       jnp.array([0.0, 0.0, 1.0, 0.0]))
    >>> float(m.compute())
    2.0
    """

    higher_is_better = True
    _index = 2


class FalseNegatives(_KerasCount):
    """Weighted count of positives (`y_true != 0`) with `y_pred <= threshold`.

    `fn[t] = sum_i w_i [y_i != 0][p_i <= t]`, kept exact past 2^24.

    Args:
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.FalseNegatives().update(jnp.array([0, 1, 1, 1]),
    ...                                        jnp.array([0.0, 1.0, 0.0, 0.0]))
    >>> float(m.compute())
    2.0
    """

    higher_is_better = False
    _index = 3


class _PrecisionRecall(_ConfusionCounts):
    def __init__(self, *, thresholds=None, top_k=None, class_id=None, name, dtype):
        if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
            raise ValueError(f"expected top_k to be an int >= 1, received {top_k!r}")
        if class_id is not None and (not isinstance(class_id, int) or class_id < 0):
            raise ValueError(
                f"expected class_id to be an int >= 0, received {class_id!r}"
            )
        self.thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self._thresholds = F._precision_recall_thresholds(thresholds, top_k)
        self._options = (("class_id", class_id), ("top_k", top_k))
        self._labels = None
        super().__init__(name=name, dtype=dtype)


class Precision(_PrecisionRecall):
    """Keras' precision: `tp / (tp + fp)` at each threshold.

    Weighted: `sum w [y != 0][p > t] / sum w [p > t]`; 0 when nothing was
    predicted positive. With `top_k`, only the `k` highest scores of each
    row can be positive; with `class_id`, only that column counts.

    Args:
        thresholds: a float or list in `[0, 1]` (default 0.5, or "any score"
            with `top_k`).
        top_k: keep only the top-`k` scores of the last axis.
        class_id: the column of the last axis to evaluate.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.Precision().update(jnp.array([0, 1, 1, 1]),
    ...                                   jnp.array([1.0, 0.0, 1.0, 1.0]))
    >>> round(float(m.compute()), 4)
    0.6667
    """

    def __init__(
        self,
        *,
        thresholds: float | Sequence[float] | None = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = "precision",
        dtype: Any = None,
    ):
        super().__init__(
            thresholds=thresholds,
            top_k=top_k,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def compute(self) -> Array:
        """Precision (one value per threshold for a list)."""
        tp, fp, _, _ = self._counts()
        return self._result(F.precision_value(tp, fp))


class Recall(_PrecisionRecall):
    """Keras' recall: `tp / (tp + fn)` at each threshold.

    Weighted: `sum w [y != 0][p > t] / sum w [y != 0]`; 0 when there was no
    positive. `top_k` and `class_id` as in `Precision`.

    Args:
        thresholds: a float or list in `[0, 1]` (default 0.5, or "any score"
            with `top_k`).
        top_k: keep only the top-`k` scores of the last axis.
        class_id: the column of the last axis to evaluate.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.Recall().update(jnp.array([0, 1, 1, 1]),
    ...                                jnp.array([1.0, 0.0, 1.0, 1.0]))
    >>> round(float(m.compute()), 4)
    0.6667
    """

    def __init__(
        self,
        *,
        thresholds: float | Sequence[float] | None = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = "recall",
        dtype: Any = None,
    ):
        super().__init__(
            thresholds=thresholds,
            top_k=top_k,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def compute(self) -> Array:
        """Recall (one value per threshold for a list)."""
        tp, _, _, fn = self._counts()
        return self._result(F.recall_value(tp, fn))


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
            label_weights = tuple(float(w) for w in label_weights)
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
