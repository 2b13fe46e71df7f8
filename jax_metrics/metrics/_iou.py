"""Keras IoU metrics: an exact running confusion matrix, Keras' IoU value.

State: `total_cm`, the weighted `(num_classes, num_classes)` confusion matrix
(rows true, columns predicted) as an exact compensated sum, filled by
`functional.iou_statistics` (the shared `confusion_matrix_counts` kernel).
Entries whose true or predicted id is outside `[0, num_classes)`, or whose
true id is `ignore_class`, are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics._numerics import accumulate, accumulator, accumulator_value
from jax_metrics.functional import _iou as F
from jax_metrics.functional._loss_utils import check_real
from jax_metrics.metrics._base import Metric, state

__all__ = ["BinaryIoU", "IoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU"]


class IoU(Metric):
    """Keras' intersection-over-union, averaged over `target_class_ids`.

    `iou_c = tp_c / (tp_c + fp_c + fn_c)` from the weighted confusion matrix
    (`tp_c = cm[c, c]`, `fp_c` its column rest, `fn_c` its row rest); the
    result is the mean over target classes whose denominator is nonzero
    (0 when none is). Unlike Keras (integer state by default), weights are
    never truncated: the matrix is an exact float sum.

    Args:
        num_classes: number of classes.
        target_class_ids: the classes whose IoU is averaged.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_true: `y_true` holds class ids (else one-hot, argmax'd).
        sparse_y_pred: `y_pred` holds class ids (else scores, argmax'd).
        axis: the class axis of non-sparse inputs.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> m = m.update(jnp.array([0, 0, 1, 1]), jnp.array([0, 1, 0, 1]))
    >>> round(float(m.compute()), 4)
    0.3333
    """

    higher_is_better = True
    total_cm = state("exact_sum")

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        *,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
        name: str | None = None,
        dtype: Any = None,
    ):
        self._target_ids = F.validate_iou_options(num_classes, target_class_ids)
        self.num_classes, self.target_class_ids = num_classes, target_class_ids
        self.ignore_class, self.axis = ignore_class, axis
        self.sparse_y_true, self.sparse_y_pred = sparse_y_true, sparse_y_pred
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """A zero `(num_classes, num_classes)` matrix."""
        return {"total_cm": accumulator((self.num_classes, self.num_classes))}

    def update(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted confusion matrix."""
        cm = F.iou_statistics(
            y_true,
            self._predicted_ids(y_pred),
            num_classes=self.num_classes,
            ignore_class=self.ignore_class,
            sparse_y_true=self.sparse_y_true,
            sparse_y_pred=self.sparse_y_pred,
            axis=self.axis,
            sample_weight=sample_weight,
        )
        return self.replace(total_cm=accumulate(self.total_cm, cm))

    def _predicted_ids(self, y_pred):
        return y_pred

    def compute(self) -> Array:
        """The mean IoU of the target classes (0 when none is present)."""
        cm = accumulator_value(self.total_cm)
        return F.iou_value(cm, target_class_ids=self._target_ids).astype(self.dtype)


class MeanIoU(IoU):
    """Keras' mean IoU: `IoU` averaged over every class.

    Args:
        num_classes: number of classes.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_true: `y_true` holds class ids (else one-hot, argmax'd).
        sparse_y_pred: `y_pred` holds class ids (else scores, argmax'd).
        axis: the class axis of non-sparse inputs.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.MeanIoU(num_classes=2)
    >>> m = m.update(jnp.array([0, 0, 1, 1]), jnp.array([0, 1, 0, 1]))
    >>> round(float(m.compute()), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes: int,
        *,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
        name: str | None = "mean_io_u",
        dtype: Any = None,
    ):
        F.validate_iou_options(num_classes)
        super().__init__(
            num_classes,
            tuple(range(num_classes)),
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
            name=name,
            dtype=dtype,
        )


class BinaryIoU(IoU):
    """Keras' binary IoU: scores `>= threshold` predict class 1.

    Labels are truncated to integer ids 0/1; the IoU of classes 0 and 1 (or
    the `target_class_ids` subset) is averaged as in `IoU`.

    Args:
        target_class_ids: which of the classes 0 and 1 to average.
        threshold: scores at or above it predict class 1.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.BinaryIoU().update(jnp.array([0, 1, 0, 1]),
    ...                                   jnp.array([0.1, 0.9, 0.6, 0.4]))
    >>> round(float(m.compute()), 4)
    0.3333
    """

    def __init__(
        self,
        target_class_ids: Sequence[int] = (0, 1),
        threshold: float = 0.5,
        *,
        name: str | None = "binary_io_u",
        dtype: Any = None,
    ):
        self.threshold = check_real("threshold", threshold, "to be a number")
        super().__init__(2, target_class_ids, name=name, dtype=dtype)

    def _predicted_ids(self, y_pred):
        return (jnp.asarray(y_pred, jnp.float32) >= self.threshold).astype(jnp.int32)


class OneHotIoU(IoU):
    """Keras' one-hot IoU: `IoU` with one-hot `y_true` and scores `y_pred`.

    Args:
        num_classes: number of classes.
        target_class_ids: the classes whose IoU is averaged.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_pred: `y_pred` holds class ids instead of scores.
        axis: the class axis.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.OneHotIoU(num_classes=2, target_class_ids=[1]).update(
    ...     jnp.array([[1, 0], [0, 1], [0, 1]]),
    ...     jnp.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]))
    >>> float(m.compute())
    0.5
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        *,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
        name: str | None = "one_hot_io_u",
        dtype: Any = None,
    ):
        super().__init__(
            num_classes,
            target_class_ids,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
            name=name,
            dtype=dtype,
        )


class OneHotMeanIoU(IoU):
    """Keras' one-hot mean IoU: `MeanIoU` with one-hot `y_true`.

    Args:
        num_classes: number of classes.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_pred: `y_pred` holds class ids instead of scores.
        axis: the class axis.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax.numpy as jnp, jax_metrics as jm
    >>> m = jm.metrics.OneHotMeanIoU(num_classes=2).update(
    ...     jnp.array([[1, 0], [0, 1], [0, 1]]),
    ...     jnp.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]))
    >>> float(m.compute())
    0.5
    """

    def __init__(
        self,
        num_classes: int,
        *,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
        name: str | None = "one_hot_mean_io_u",
        dtype: Any = None,
    ):
        F.validate_iou_options(num_classes)
        super().__init__(
            num_classes,
            tuple(range(num_classes)),
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
            name=name,
            dtype=dtype,
        )
