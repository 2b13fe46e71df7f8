"""Intersection-over-union (Keras' IoU family) on the shared confusion matrix.

The statistics kernel `iou_statistics` turns a batch into a weighted
`(num_classes, num_classes)` confusion matrix (`confusion_matrix_counts`);
the value kernel `iou_value` turns a matrix into the mean IoU of the target
classes. The functional forms compose the two.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax.numpy as jnp
from jax import Array

from jax_metrics.functional._confusion import KERAS_EPSILON
from jax_metrics.functional._confusion_counts import confusion_matrix_counts
from jax_metrics.functional._loss_utils import number_tuple
from jax_metrics.functional._reduction import entry_weights

__all__ = [
    "binary_iou",
    "iou",
    "iou_statistics",
    "iou_value",
    "mean_iou",
    "one_hot_iou",
    "one_hot_mean_iou",
    "validate_iou_options",
]


def validate_iou_options(
    num_classes: int, target_class_ids: Sequence[int] | None = None
) -> tuple[int, ...]:
    """Checks `num_classes` and the target ids; returns the ids as a tuple.

    >>> validate_iou_options(3, [0, 2])
    (0, 2)
    """
    if (
        not isinstance(num_classes, int)
        or isinstance(num_classes, bool)
        or (num_classes < 1)
    ):
        raise ValueError(
            f"expected num_classes to be a positive int, received {num_classes!r}"
        )
    if target_class_ids is None:
        return tuple(range(num_classes))
    ids = number_tuple("target_class_ids", target_class_ids, integers=True)
    if not ids or any(not 0 <= i < num_classes for i in ids):
        raise ValueError(
            f"expected target_class_ids in [0, {num_classes}), received "
            f"target_class_ids={list(target_class_ids)}"
        )
    return ids


def _check_class_axis(name: str, x: Array, axis: int, num_classes: int) -> None:
    """One-hot rows or scores: a class axis of `num_classes` beside the batch."""
    if x.ndim < 2 or not -x.ndim <= axis < x.ndim or x.shape[axis] != num_classes:
        raise ValueError(
            f"expected {name} of one-hot rows or scores with {num_classes} "
            f"classes on axis {axis} (num_classes={num_classes}), received shape "
            f"{x.shape}"
        )


def iou_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_class: int | None = None,
    sparse_y_true: bool = True,
    sparse_y_pred: bool = True,
    axis: int = -1,
    sample_weight: Array | None = None,
) -> Array:
    """The weighted confusion matrix of a batch by Keras' IoU input rules.

    Non-sparse inputs are reduced with `argmax` over `axis`; class ids of any
    shape are flattened; entries whose true or predicted id falls outside
    `[0, num_classes)`, or whose true id is `ignore_class`, are ignored.

    Args:
        y_true: class ids (or one-hot/scores when `sparse_y_true=False`).
        y_pred: class ids (or scores when `sparse_y_pred=False`).
        num_classes: number of classes.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_true: `y_true` holds ids rather than one-hot rows.
        sparse_y_pred: `y_pred` holds ids rather than scores.
        axis: the class axis of non-sparse inputs.
        sample_weight: optional weights aligned with the ids.

    Returns:
        A float32 `(num_classes, num_classes)` matrix (rows true, columns
        predicted).

    >>> iou_statistics(jnp.array([0, 1, 1]), jnp.array([0, 1, 0]),
    ...                num_classes=2).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    for name, x, sparse in (
        ("y_true", y_true, sparse_y_true),
        ("y_pred", y_pred, sparse_y_pred),
    ):
        if not sparse:
            _check_class_axis(name, x, axis, num_classes)
    if not sparse_y_true:
        y_true = jnp.argmax(y_true, axis=axis)
    if not sparse_y_pred:
        y_pred = jnp.argmax(y_pred, axis=axis)
    if y_true.size != y_pred.size:
        raise ValueError(
            "expected y_true and y_pred with the same number of class ids, "
            f"received shapes {y_true.shape} and {y_pred.shape}"
        )
    y_pred = y_pred.reshape(y_true.shape)
    if sample_weight is not None:
        weight = entry_weights(y_true.shape, sample_weight)
    else:
        weight = jnp.ones(y_true.shape, jnp.float32)
    if ignore_class is not None:
        # Ignored entries count nowhere: weight 0 in a valid cell.
        ignored = y_true == ignore_class
        weight = jnp.where(ignored, 0.0, weight)
        y_true = jnp.where(ignored, 0, y_true)
        y_pred = jnp.where(ignored, 0, y_pred)
    return confusion_matrix_counts(
        y_true.reshape(-1),
        y_pred.reshape(-1),
        num_classes=num_classes,
        sample_weight=weight.reshape(-1),
    )


def iou_value(confusion_matrix: Array, *, target_class_ids: Sequence[int]) -> Array:
    """Mean IoU of the target classes from a confusion matrix (Keras' rule).

    `iou_c = cm[c, c] / (row_c + col_c - cm[c, c] + eps)`; classes with an
    empty denominator are left out of the mean; 0 when none is present.

    Args:
        confusion_matrix: `(C, C)` weighted counts, rows true.
        target_class_ids: the classes to average.

    Returns:
        A float32 scalar.

    >>> cm = jnp.array([[2.0, 1.0], [0.0, 1.0]])
    >>> round(float(iou_value(cm, target_class_ids=(0, 1))), 4)
    0.5833
    """
    cm = jnp.asarray(confusion_matrix, jnp.float32)
    ids = jnp.asarray(tuple(target_class_ids), jnp.int32)
    diagonal = jnp.diag(cm)
    denominator = jnp.sum(cm, 0) + jnp.sum(cm, 1) - diagonal
    true_positives, denominator = diagonal[ids], denominator[ids]
    valid = denominator > 1e-9
    ious = jnp.where(valid, true_positives / (denominator + KERAS_EPSILON), 0.0)
    return jnp.sum(ious) / (jnp.sum(valid.astype(jnp.float32)) + KERAS_EPSILON)


def iou(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    target_class_ids: Sequence[int],
    ignore_class: int | None = None,
    sparse_y_true: bool = True,
    sparse_y_pred: bool = True,
    axis: int = -1,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' `IoU` of one batch: mean IoU over `target_class_ids`.

    Args:
        y_true: class ids (or one-hot rows when `sparse_y_true=False`).
        y_pred: class ids (or scores when `sparse_y_pred=False`).
        num_classes: number of classes.
        target_class_ids: the classes to average.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_true: `y_true` holds ids.
        sparse_y_pred: `y_pred` holds ids.
        axis: the class axis of non-sparse inputs.
        sample_weight: optional weights.

    Returns:
        A float32 scalar.

    >>> round(float(iou(jnp.array([0, 0, 1, 1]), jnp.array([0, 1, 0, 1]),
    ...                 num_classes=2, target_class_ids=[0])), 4)
    0.3333
    """
    ids = validate_iou_options(num_classes, target_class_ids)
    cm = iou_statistics(
        y_true,
        y_pred,
        num_classes=num_classes,
        ignore_class=ignore_class,
        sparse_y_true=sparse_y_true,
        sparse_y_pred=sparse_y_pred,
        axis=axis,
        sample_weight=sample_weight,
    )
    return iou_value(cm, target_class_ids=ids)


def mean_iou(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_class: int | None = None,
    sparse_y_true: bool = True,
    sparse_y_pred: bool = True,
    axis: int = -1,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' `MeanIoU` of one batch: IoU averaged over every class.

    Args:
        y_true: class ids (or one-hot rows when `sparse_y_true=False`).
        y_pred: class ids (or scores when `sparse_y_pred=False`).
        num_classes: number of classes.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_true: `y_true` holds ids.
        sparse_y_pred: `y_pred` holds ids.
        axis: the class axis of non-sparse inputs.
        sample_weight: optional weights.

    Returns:
        A float32 scalar.

    >>> round(float(mean_iou(jnp.array([0, 0, 1, 1]), jnp.array([0, 1, 0, 1]),
    ...                      num_classes=2)), 4)
    0.3333
    """
    return iou(
        y_true,
        y_pred,
        num_classes=num_classes,
        target_class_ids=range(num_classes),
        ignore_class=ignore_class,
        sparse_y_true=sparse_y_true,
        sparse_y_pred=sparse_y_pred,
        axis=axis,
        sample_weight=sample_weight,
    )


def binary_iou(
    y_true: Array,
    y_pred: Array,
    *,
    target_class_ids: Sequence[int] = (0, 1),
    threshold: float = 0.5,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' `BinaryIoU` of one batch: scores `>= threshold` are class 1.

    Args:
        y_true: binary labels (truncated to integers).
        y_pred: scores.
        target_class_ids: which of the classes 0 and 1 to average.
        threshold: scores at or above it predict class 1.
        sample_weight: optional weights.

    Returns:
        A float32 scalar.

    >>> round(float(binary_iou(jnp.array([0, 1, 0, 1]),
    ...                        jnp.array([0.1, 0.9, 0.6, 0.4]))), 4)
    0.3333
    """
    ids = validate_iou_options(2, target_class_ids)
    predicted = (jnp.asarray(y_pred, jnp.float32) >= threshold).astype(jnp.int32)
    cm = iou_statistics(y_true, predicted, num_classes=2, sample_weight=sample_weight)
    return iou_value(cm, target_class_ids=ids)


def one_hot_iou(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    target_class_ids: Sequence[int],
    ignore_class: int | None = None,
    sparse_y_pred: bool = False,
    axis: int = -1,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' `OneHotIoU` of one batch: `IoU` with one-hot `y_true`.

    Args:
        y_true: one-hot labels.
        y_pred: scores (or ids when `sparse_y_pred=True`).
        num_classes: number of classes.
        target_class_ids: the classes to average.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_pred: `y_pred` holds ids.
        axis: the class axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar.

    >>> y_true = jnp.array([[1, 0], [0, 1], [0, 1]])
    >>> y_pred = jnp.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    >>> float(one_hot_iou(y_true, y_pred, num_classes=2, target_class_ids=[1]))
    0.5
    """
    return iou(
        y_true,
        y_pred,
        num_classes=num_classes,
        target_class_ids=target_class_ids,
        ignore_class=ignore_class,
        sparse_y_true=False,
        sparse_y_pred=sparse_y_pred,
        axis=axis,
        sample_weight=sample_weight,
    )


def one_hot_mean_iou(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_class: int | None = None,
    sparse_y_pred: bool = False,
    axis: int = -1,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' `OneHotMeanIoU` of one batch: `MeanIoU` with one-hot `y_true`.

    Args:
        y_true: one-hot labels.
        y_pred: scores (or ids when `sparse_y_pred=True`).
        num_classes: number of classes.
        ignore_class: a true class id whose entries are ignored.
        sparse_y_pred: `y_pred` holds ids.
        axis: the class axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar.

    >>> y_true = jnp.array([[1, 0], [0, 1], [0, 1]])
    >>> y_pred = jnp.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    >>> float(one_hot_mean_iou(y_true, y_pred, num_classes=2))
    0.5
    """
    return mean_iou(
        y_true,
        y_pred,
        num_classes=num_classes,
        ignore_class=ignore_class,
        sparse_y_true=False,
        sparse_y_pred=sparse_y_pred,
        axis=axis,
        sample_weight=sample_weight,
    )
