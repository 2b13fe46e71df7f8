"""Task confusion-matrix, MCC, Cohen's kappa and exact-match functional forms."""

from __future__ import annotations

import jax.numpy as jnp
from jax import Array

from jax_metrics.functional._stat_scores_statistics import (
    MULTIDIM_AVERAGES,
    binary_stat_scores_statistics,
    check_option,
    exact_match_statistics,
    multiclass_confusion_statistics,
    multiclass_stat_scores_statistics,
    multilabel_stat_scores_statistics,
    safe_divide,
)
from jax_metrics.functional._stat_scores_values import (
    NORMALIZE,
    cohen_kappa_value,
    matthews_corrcoef_from_stat_scores,
    normalize_confusion_matrix,
    stat_scores_confusion_matrix,
)

__all__ = [
    "binary_cohen_kappa",
    "binary_confusion_matrix",
    "binary_matthews_corrcoef",
    "multiclass_cohen_kappa",
    "multiclass_confusion_matrix",
    "multiclass_exact_match",
    "multiclass_matthews_corrcoef",
    "multilabel_confusion_matrix",
    "multilabel_exact_match",
    "multilabel_matthews_corrcoef",
]


def binary_confusion_matrix(
    y_true: Array,
    y_pred: Array,
    *,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    normalize: str | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted 2x2 confusion matrix `[[tn, fp], [fn, tp]]` (torchmetrics').

    Args:
        y_true: labels in `{0, 1}`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        normalize: `"true"`, `"pred"`, `"all"` or `None`.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The `(2, 2)` matrix, rows indexing targets.

    >>> binary_confusion_matrix(jnp.array([0, 1, 1, 0, 1]),
    ...     jnp.array([0.2, 0.7, 0.4, 0.6, 0.9])).tolist()
    [[1.0, 1.0], [1.0, 2.0]]
    """
    check_option("normalize", normalize, NORMALIZE)
    stats = binary_stat_scores_statistics(
        y_true,
        y_pred,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return normalize_confusion_matrix(stat_scores_confusion_matrix(*stats), normalize)


def multiclass_confusion_matrix(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_index: int | None = None,
    normalize: str | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(C, C)` confusion matrix, rows indexing targets (torchmetrics').

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: scores `(N, ..., C)` (argmax) or integer labels `(N, ...)`.
        num_classes: number of classes.
        ignore_index: target value whose entries are ignored.
        normalize: `"true"`, `"pred"`, `"all"` or `None`.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The `(C, C)` matrix.

    >>> multiclass_confusion_matrix(jnp.array([0, 1, 2, 2, 1]),
    ...     jnp.array([0, 1, 1, 2, 2]), num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]
    """
    check_option("normalize", normalize, NORMALIZE)
    confmat = multiclass_confusion_statistics(
        y_true,
        y_pred,
        num_classes=num_classes,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return normalize_confusion_matrix(confmat, normalize)


def multilabel_confusion_matrix(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    normalize: str | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(L, 2, 2)` confusion matrices, one per label (torchmetrics').

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ..., L)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        num_labels: number of labels.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        normalize: `"true"`, `"pred"`, `"all"` or `None`.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The `(L, 2, 2)` matrices.

    >>> multilabel_confusion_matrix(jnp.array([[0, 1], [1, 1]]),
    ...     jnp.array([[0.2, 0.7], [0.6, 0.4]]), num_labels=2)[1].tolist()
    [[0.0, 0.0], [1.0, 1.0]]
    """
    check_option("normalize", normalize, NORMALIZE)
    stats = multilabel_stat_scores_statistics(
        y_true,
        y_pred,
        num_labels=num_labels,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return normalize_confusion_matrix(stat_scores_confusion_matrix(*stats), normalize)


def binary_matthews_corrcoef(
    y_true: Array,
    y_pred: Array,
    *,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Matthews correlation coefficient of binary predictions (0 if undefined).

    Args:
        y_true: labels in `{0, 1}`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The coefficient, in `[-1, 1]`.

    >>> round(float(binary_matthews_corrcoef(jnp.array([0, 1, 1, 0, 1]),
    ...     jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]))), 4)
    0.1667
    """
    stats = binary_stat_scores_statistics(
        y_true,
        y_pred,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return matthews_corrcoef_from_stat_scores(*stats, task="binary")


def multiclass_matthews_corrcoef(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Multiclass Matthews correlation coefficient (0 if undefined).

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: scores `(N, ..., C)` (argmax) or integer labels `(N, ...)`.
        num_classes: number of classes.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The coefficient.

    >>> round(float(multiclass_matthews_corrcoef(jnp.array([0, 1, 2, 2, 1]),
    ...     jnp.array([0, 1, 1, 2, 2]), num_classes=3)), 4)
    0.375
    """
    stats = multiclass_stat_scores_statistics(
        y_true,
        y_pred,
        num_classes=num_classes,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return matthews_corrcoef_from_stat_scores(*stats, task="multiclass")


def multilabel_matthews_corrcoef(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Matthews correlation coefficient of all labels pooled (torchmetrics').

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ..., L)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        num_labels: number of labels.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The coefficient.

    >>> round(float(multilabel_matthews_corrcoef(jnp.array([[0, 1], [1, 1], [1, 0]]),
    ...     jnp.array([[0.2, 0.7], [0.6, 0.4], [0.8, 0.3]]), num_labels=2)), 4)
    0.7071
    """
    stats = multilabel_stat_scores_statistics(
        y_true,
        y_pred,
        num_labels=num_labels,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return matthews_corrcoef_from_stat_scores(*stats, task="multilabel")


def binary_cohen_kappa(
    y_true: Array,
    y_pred: Array,
    *,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    weights: str | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Cohen's kappa of thresholded binary predictions.

    Args:
        y_true: labels in `{0, 1}`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        weights: `None`, `"linear"` or `"quadratic"`.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The kappa.

    >>> round(float(binary_cohen_kappa(jnp.array([0, 1, 1, 0, 1]),
    ...     jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]))), 4)
    0.1667
    """
    confmat = binary_confusion_matrix(
        y_true,
        y_pred,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return cohen_kappa_value(confmat, weights)


def multiclass_cohen_kappa(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_index: int | None = None,
    weights: str | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Cohen's kappa of multiclass predictions (scikit-learn's weights).

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: scores `(N, ..., C)` (argmax) or integer labels `(N, ...)`.
        num_classes: number of classes.
        ignore_index: target value whose entries are ignored.
        weights: `None`, `"linear"` or `"quadratic"`.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The kappa.

    >>> round(float(multiclass_cohen_kappa(jnp.array([0, 1, 2, 2, 1]),
    ...     jnp.array([0, 1, 1, 2, 2]), num_classes=3)), 4)
    0.375
    """
    confmat = multiclass_confusion_statistics(
        y_true,
        y_pred,
        num_classes=num_classes,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return cohen_kappa_value(confmat, weights)


def _exact_match(task, y_true, y_pred, multidim_average, sample_weight, **options):
    check_option("multidim_average", multidim_average, MULTIDIM_AVERAGES)
    matches, weight = exact_match_statistics(
        y_true, y_pred, task=task, sample_weight=None, **options
    )
    if multidim_average == "samplewise":
        return matches
    if sample_weight is not None:
        matches, weight = exact_match_statistics(
            y_true, y_pred, task=task, sample_weight=sample_weight, **options
        )
    return safe_divide(jnp.sum(matches), jnp.sum(weight))


def multiclass_exact_match(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> Array:
    """Share of samples whose every position is predicted correctly.

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: scores `(N, ..., C)` (argmax) or integer labels `(N, ...)`.
        num_classes: number of classes.
        ignore_index: target value whose entries count as correct.
        multidim_average: `"global"` (weighted share) or `"samplewise"` (0/1
            per sample, unweighted).
        sample_weight: per-sample weights `(N,)`.

    Returns:
        The ratio, or per-sample matches.

    >>> float(multiclass_exact_match(jnp.array([[0, 1], [1, 1]]),
    ...     jnp.array([[0, 1], [0, 1]]), num_classes=2))
    0.5
    """
    return _exact_match(
        "multiclass",
        y_true,
        y_pred,
        multidim_average,
        sample_weight,
        num_classes=num_classes,
        ignore_index=ignore_index,
    )


def multilabel_exact_match(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> Array:
    """Share of samples whose every label is predicted correctly (subset accuracy).

    With positions (`(N, ..., L)`), each position's row of labels is one
    case: the global value is the share of exactly matched rows, the
    samplewise value each sample's share.

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ..., L)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        num_labels: number of labels.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries count as correct.
        multidim_average: `"global"` (weighted share) or `"samplewise"` (the
            share of each sample's positions, unweighted).
        sample_weight: per-sample weights `(N,)`.

    Returns:
        The ratio, or per-sample matches.

    >>> round(float(multilabel_exact_match(jnp.array([[0, 1], [1, 1], [1, 0]]),
    ...     jnp.array([[0.2, 0.7], [0.6, 0.4], [0.8, 0.3]]), num_labels=2)), 4)
    0.6667
    """
    return _exact_match(
        "multilabel",
        y_true,
        y_pred,
        multidim_average,
        sample_weight,
        num_labels=num_labels,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
    )
