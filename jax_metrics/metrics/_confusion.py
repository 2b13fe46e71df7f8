"""Keras confusion metrics on the shared thresholded-counts kernel.

The four counts (`TruePositives`, ...), `Precision` and `Recall`. Every class
here keeps one exact (compensated float32) state leaf, `histogram`: the
positives and negatives per threshold bucket, shape `(2, T + 1, 2)` (or
`(2, T + 1, num_labels, 2)` for a multi-label `AUC`), filled by
`functional.keras_confusion_histogram`, the O(N) histogram kernel. An update
is one bucketing pass and one scatter; `compute` takes the exact cumulative
sums (the counts `true_positives`, ... at every threshold, also available as
properties) and calls the matching value kernel. `AUC` and the at-constraint
metrics, built on the same state, live in `_confusion_curves.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics._chunking import in_row_chunks
from jax_metrics._numerics import accumulate, accumulator
from jax_metrics.functional import _confusion as F
from jax_metrics.functional._confusion_counts import histogram_confusion_counts
from jax_metrics.metrics._base import Metric, state, statistic_view

__all__ = [
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "Recall",
    "TrueNegatives",
    "TruePositives",
]


class _ConfusionCounts(Metric):
    """Shared state and update: an exact per-threshold (and label) histogram.

    Subclasses set `self._thresholds` (the static threshold tuple),
    `self._options` (keyword options of `keras_confusion_histogram`) and
    `self._labels` (`None`, or the label count of a multi-label state; 0 means
    "sized by the first update") before calling `super().__init__`.
    """

    higher_is_better = True
    histogram = state("exact_sum")

    def _shape(self) -> tuple[int, ...]:
        buckets = len(self._thresholds) + 1
        if self._labels is None:
            return (buckets, 2)
        built = self.__dict__.get("histogram")
        labels = self._labels or (built.shape[-2] if built is not None else 0)
        return (buckets, labels, 2)

    def init_state(self) -> dict[str, Array]:
        """A zero histogram of shape `(T + 1, 2)` (or `(T + 1, labels, 2)`)."""
        return {"histogram": accumulator(self._shape())}

    def _prepare(self, y_pred: Array) -> Array:
        return y_pred

    def update(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted histogram over the threshold buckets."""
        return in_row_chunks(
            type(self)._update_rows, self, y_true, y_pred, sample_weight
        )

    def _update_rows(self, y_true, y_pred, sample_weight):
        histogram = F.keras_confusion_histogram(
            y_true,
            self._prepare(jnp.asarray(y_pred)),
            thresholds=self._thresholds,
            sample_weight=sample_weight,
            **dict(self._options),
        )
        state = self.histogram
        if self._labels == 0 and state.shape[1:] != histogram.shape:
            # Multi-label state sized by the first batch (Keras' lazy build).
            if state.shape[-2] != 0:
                raise ValueError(
                    f"expected y_pred with {state.shape[-2]} labels, "
                    f"received shape {jnp.shape(y_pred)}"
                )
            state = accumulator(histogram.shape)
        return self.replace(histogram=accumulate(state, histogram))

    def _counts(self) -> tuple[Array, Array, Array, Array]:
        return histogram_confusion_counts(
            self.histogram, thresholds=self._thresholds, accumulated=True
        )

    true_positives = statistic_view(
        0, "Weighted true positives at every threshold (Keras' variable)."
    )
    false_positives = statistic_view(
        1, "Weighted false positives at every threshold (Keras' variable)."
    )
    true_negatives = statistic_view(
        2, "Weighted true negatives at every threshold (Keras' variable)."
    )
    false_negatives = statistic_view(
        3, "Weighted false negatives at every threshold (Keras' variable)."
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
