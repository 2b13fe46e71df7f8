"""Task classification statistics (torchmetrics' Binary/Multiclass/Multilabel).

One statistics kernel per task turns a batch into weighted true positives,
false positives, true negatives and false negatives (`tp, fp, tn, fn`), per
class or label; one value kernel, `reduce_stat_scores`, turns them into every
score of the family (accuracy, precision, recall, F-beta, specificity,
negative predictive value, Hamming distance, Jaccard index, MCC, Cohen's
kappa) under every averaging mode. Metric classes and functional forms share
the pair.

Conventions:

* The class (or label) axis is the LAST axis (`(N, ..., C)` scores), as in
  JAX/Keras; torchmetrics puts it on axis 1.
* Binary and multilabel predictions are probabilities (`from_logits=False`)
  or logits (`from_logits=True`, a sigmoid is applied), thresholded with
  `y_pred > threshold`; integer predictions are used as labels.
* Multiclass predictions are scores `(N, ..., C)` (argmax, or `top_k`) or
  integer labels `(N, ...)`. With `top_k > 1` the predicted class is the
  target when it is among the `k` best scores, else the best score (the
  torchmetrics rule).
* Entries whose target equals `ignore_index`, whose target is not a valid
  label (outside `{0, 1}` or `[0, num_classes)`), or whose prediction is NaN
  are ignored: they count nowhere (the policy for value problems, which
  cannot raise inside `jit`; checked mode, `jax_metrics.checked`, raises
  them).
* `sample_weight` follows the shared rule (`align_sample_weight`): it weights
  the leading axes of the targets, e.g. `(N,)` samples or `(N, L)` labels.
  Counts are float32 weighted counts.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array, lax

from jax_metrics._checks import (
    check_nan_rows,
    check_probabilities,
    check_scores,
    check_targets,
    value_check,
)
from jax_metrics.functional._confusion_counts import class_pair_counts
from jax_metrics.functional._reduction import entry_weights, flatten_samples
from jax_metrics.functional._top_k import in_top_k, top_index

__all__ = [
    "binary_stat_scores_statistics",
    "exact_match_statistics",
    "multiclass_confusion_statistics",
    "multiclass_stat_scores_statistics",
    "multilabel_stat_scores_statistics",
]


AVERAGES = ("micro", "macro", "weighted", "none", None)
MULTIDIM_AVERAGES = ("global", "samplewise")
SCORES = (
    "stat_scores",
    "accuracy",
    "precision",
    "recall",
    "fbeta",
    "specificity",
    "negative_predictive_value",
    "hamming_distance",
    "jaccard_index",
)


def check_option(name: str, value: Any, allowed: tuple) -> Any:
    """Raises a ValueError unless `value` is one of `allowed`.

    >>> check_option("average", "macro", AVERAGES)
    'macro'
    """
    if value not in allowed:
        raise ValueError(f"expected `{name}` in {allowed}, received {value!r}")
    return value


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(
            f"expected `{name}` to be an integer >= {minimum}, received {value!r}"
        )
    return value


def safe_divide(num: Array, den: Array, zero_division: float = 0.0) -> Array:
    """`num / den`, with `zero_division` where `den == 0` (torchmetrics' rule).

    >>> safe_divide(jnp.array([1.0, 1.0]), jnp.array([2.0, 0.0]), 1.0).tolist()
    [0.5, 1.0]
    """
    num = jnp.asarray(num, jnp.float32)
    den = jnp.asarray(den, jnp.float32)
    safe = jnp.where(den == 0, 1, den)
    return jnp.where(den == 0, jnp.float32(zero_division), num / safe)


def class_scores_error(
    true_shape: tuple[int, ...], pred_shape: tuple[int, ...], num_classes: int
) -> ValueError:
    """The error for multiclass scores of the wrong shape (class axis last)."""
    expected = (*true_shape, num_classes)
    hint = ""
    moved = (*pred_shape[:1], *pred_shape[2:], *pred_shape[1:2])
    if len(pred_shape) > 2 and moved == expected:
        hint = (
            "; the class axis goes last (torchmetrics puts it on axis 1): "
            "jnp.moveaxis(y_pred, 1, -1)"
        )
    return ValueError(
        f"expected `y_pred` of shape {expected} for `y_true` of shape "
        f"{true_shape} and num_classes={num_classes}, received {pred_shape}{hint}"
    )


def _entry_weight(shape: tuple[int, ...], valid: Array, sample_weight) -> Array:
    """Weight of every entry: validity times the aligned sample weight."""
    weight = valid.astype(jnp.float32)
    if sample_weight is None:
        return weight
    return weight * entry_weights(shape, sample_weight)


def _threshold_entries(y_true, y_pred, threshold, from_logits, ignore_index, sw):
    """Binary/multilabel entries: boolean targets, predictions and weights."""
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"expected `y_true` and `y_pred` of the same shape, received "
            f"{y_true.shape} and {y_pred.shape}"
        )
    valid = (y_true == 0) | (y_true == 1)
    ignored = np.False_ if ignore_index is None else y_true == ignore_index
    check_targets(valid | ignored, "not 0 or 1")
    valid &= ~ignored
    if jnp.issubdtype(y_pred.dtype, jnp.floating):
        scores = y_pred.astype(jnp.float32)
        if from_logits:
            scores = jax.nn.sigmoid(scores)
        else:
            check_probabilities(scores)
        check_scores(scores)
        valid &= ~jnp.isnan(scores)
        pred = scores > threshold
    else:
        pred = y_pred == 1
    return y_true == 1, pred, _entry_weight(y_true.shape, valid, sw)


def _sum_counts(target, pred, weight, axes):
    """Weighted `(tp, fp, tn, fn)` summed over `axes`."""

    def total(mask):
        return jnp.sum(jnp.where(mask, weight, 0.0), axis=axes)

    return (
        total(target & pred),
        total(~target & pred),
        total(~target & ~pred),
        total(target & ~pred),
    )


def binary_stat_scores_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> tuple[Array, Array, Array, Array]:
    """Weighted `(tp, fp, tn, fn)` of binary predictions.

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ...)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        multidim_average: `"global"` (scalars) or `"samplewise"` (shape `(N,)`).
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The four weighted counts.

    >>> tp, fp, tn, fn = binary_stat_scores_statistics(
    ...     jnp.array([1, 0, 1, 0]), jnp.array([0.9, 0.8, 0.2, 0.1]))
    >>> [float(x) for x in (tp, fp, tn, fn)]
    [1.0, 1.0, 1.0, 1.0]
    """
    check_option("multidim_average", multidim_average, MULTIDIM_AVERAGES)
    target, pred, weight = _threshold_entries(
        y_true, y_pred, threshold, from_logits, ignore_index, sample_weight
    )
    if multidim_average == "samplewise" and target.ndim < 1:
        raise ValueError(
            "expected inputs with a sample axis for multidim_average='samplewise', "
            f"received shape {target.shape}"
        )
    start = 1 if multidim_average == "samplewise" else 0
    return _sum_counts(target, pred, weight, tuple(range(start, target.ndim)))


def multilabel_stat_scores_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> tuple[Array, Array, Array, Array]:
    """Weighted per-label `(tp, fp, tn, fn)` of multilabel predictions.

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ..., num_labels)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        num_labels: number of labels (the last axis).
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        multidim_average: `"global"` (shape `(L,)`) or `"samplewise"`
            (shape `(N, L)`).
        sample_weight: weights of the leading axes of `y_true` (`(N,)` or
            `(N, ..., L)`).

    Returns:
        The four weighted counts per label.

    >>> tp, fp, tn, fn = multilabel_stat_scores_statistics(
    ...     jnp.array([[1, 0], [1, 1]]), jnp.array([[0.9, 0.8], [0.2, 0.7]]),
    ...     num_labels=2)
    >>> tp.tolist(), fp.tolist()
    ([1.0, 1.0], [0.0, 1.0])
    """
    _check_int("num_labels", num_labels, 1)
    check_option("multidim_average", multidim_average, MULTIDIM_AVERAGES)
    shape = jnp.shape(y_pred)
    if len(shape) < 2 or shape[-1] != num_labels:
        raise ValueError(
            f"expected `y_pred` of shape (N, ..., {num_labels}) for "
            f"num_labels={num_labels}, received {shape}"
        )
    target, pred, weight = _threshold_entries(
        y_true, y_pred, threshold, from_logits, ignore_index, sample_weight
    )
    start = 1 if multidim_average == "samplewise" else 0
    return _sum_counts(target, pred, weight, tuple(range(start, target.ndim - 1)))


def _multiclass_entries(y_true, y_pred, num_classes, top_k, ignore_index, sw):
    """Multiclass entries: integer targets, predicted classes and weights."""
    target, pred, valid = _multiclass_ids(
        y_true, y_pred, num_classes, top_k, ignore_index
    )
    weight = _entry_weight(target.shape, valid, sw)
    target = jnp.clip(target, 0, num_classes - 1)
    return target, pred, weight


def _sample_weights(shape, sample_weight):
    """The aligned sample weight of every entry, or None without weights."""
    if sample_weight is None:
        return None
    return _entry_weight(shape, jnp.ones(shape, bool), sample_weight)


def _multiclass_matrix(
    y_true, y_pred, num_classes, top_k, ignore_index, sw, *, no_class_column=False
):
    """The weighted `(C, C)` matrix of valid (target, prediction) pairs.

    One histogram over the C x C cells (exact integer counts without
    weights); invalid entries fall into a dropped cell. With
    `no_class_column`, the matrix is `(C, C + 1)`: its last column holds the
    predicted labels outside `[0, C)`, which a C x C matrix leaves out.
    """
    target, pred, valid = _multiclass_ids(
        y_true, y_pred, num_classes, top_k, ignore_index
    )
    weight = _sample_weights(target.shape, sw)
    if no_class_column:
        return class_pair_counts(
            target, pred, valid, weight, num_classes, num_classes + 1
        )
    valid &= pred < num_classes
    return class_pair_counts(target, pred, valid, weight, num_classes)


def _argmax_and_nan(scores: Array) -> tuple[Array, Array]:
    """`(argmax, any NaN)` over the last axis, reading `scores` once.

    One variadic reduction keeps the running maximum and its index: NaN
    ranks above every number and ties go to the lowest index, as in
    `jnp.argmax`, so the row's maximum is NaN exactly when the row holds one.
    """
    axis = scores.ndim - 1
    index = lax.broadcasted_iota(jnp.int32, scores.shape, axis)

    def pick(a, b):
        (a_value, a_index), (b_value, b_index) = a, b
        a_nan, b_nan = jnp.isnan(a_value), jnp.isnan(b_value)
        greater = (a_value > b_value) | (a_nan & ~b_nan)
        same = (a_value == b_value) | (a_nan & b_nan)
        take_a = greater | (same & (a_index < b_index))
        return (
            jnp.where(take_a, a_value, b_value),
            jnp.where(take_a, a_index, b_index),
        )

    start = (np.float32(-np.inf), np.int32(np.iinfo(np.int32).max))
    maximum, argmax = lax.reduce((scores, index), start, pick, (axis,))
    return argmax, jnp.isnan(maximum)


def _multiclass_ids(y_true, y_pred, num_classes, top_k, ignore_index):
    """Integer targets, predicted classes and the entries' validity.

    A predicted label outside `[0, num_classes)` becomes the id `num_classes`
    (a prediction of no class): its entry stays valid and counts as wrong.
    """
    _check_int("num_classes", num_classes, 2)
    _check_int("top_k", top_k, 1)
    if top_k > num_classes:
        raise ValueError(
            f"expected `top_k` <= num_classes={num_classes}, received {top_k}"
        )
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    if jnp.issubdtype(y_true.dtype, jnp.floating):
        y_true = jnp.where(jnp.isnan(y_true), -1, y_true)
    target = y_true.astype(jnp.int32)
    valid = (target >= 0) & (target < num_classes) & (target == y_true)
    ignored = np.False_ if ignore_index is None else target == ignore_index
    check_targets(valid | ignored, f"outside [0, {num_classes})")
    valid &= ~ignored
    if y_pred.ndim == y_true.ndim + 1:
        if y_pred.shape[:-1] != y_true.shape or y_pred.shape[-1] != num_classes:
            raise class_scores_error(y_true.shape, y_pred.shape, num_classes)
        scores = y_pred.astype(jnp.float32)
        if top_k == 1:
            pred, has_nan = _argmax_and_nan(scores)
        else:
            has_nan = jnp.any(jnp.isnan(scores), axis=-1)
            hit = in_top_k(scores, target, top_k)
            pred = jnp.where(hit, target, top_index(scores).astype(jnp.int32))
        check_nan_rows(has_nan)
        valid &= ~has_nan
    elif y_pred.shape == y_true.shape:
        if top_k != 1:
            raise ValueError(
                f"expected scores of shape {(*y_true.shape, num_classes)} for "
                f"top_k={top_k}, received labels of shape {y_pred.shape}"
            )
        pred = y_pred.astype(jnp.int32)
        in_range = (pred >= 0) & (pred < num_classes)
        value_check(
            in_range, f"{{count}} predicted label(s) outside [0, {num_classes})"
        )
        pred = jnp.where(in_range, pred, num_classes)
    else:
        raise ValueError(
            f"expected `y_pred` of shape {y_true.shape} (labels) or "
            f"{(*y_true.shape, num_classes)} (scores), received {y_pred.shape}"
        )
    return target, pred, valid


def multiclass_stat_scores_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    top_k: int = 1,
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> tuple[Array, Array, Array, Array]:
    """Weighted per-class `(tp, fp, tn, fn)` of multiclass predictions.

    Args:
        y_true: integer labels, shape `(N, ...)`.
        y_pred: scores `(N, ..., num_classes)` or integer labels `(N, ...)`.
        num_classes: number of classes.
        top_k: a prediction is correct when the label is among the `k` best
            scores (scores only).
        ignore_index: target value whose entries are ignored.
        multidim_average: `"global"` (shape `(C,)`) or `"samplewise"`
            (shape `(N, C)`).
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The four weighted counts per class.

    >>> tp, fp, tn, fn = multiclass_stat_scores_statistics(
    ...     jnp.array([0, 1, 2, 2]), jnp.array([0, 2, 2, 1]), num_classes=3)
    >>> tp.tolist(), fp.tolist(), fn.tolist()
    ([1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0])
    """
    check_option("multidim_average", multidim_average, MULTIDIM_AVERAGES)
    if multidim_average != "samplewise":
        # Every statistic follows from the C x C matrix (one histogram).
        matrix = _multiclass_matrix(
            y_true,
            y_pred,
            num_classes,
            top_k,
            ignore_index,
            sample_weight,
            no_class_column=True,
        )
        tp = jnp.diagonal(matrix)
        fp = jnp.sum(matrix[:, :num_classes], axis=0) - tp
        fn = jnp.sum(matrix, axis=1) - tp
        return tp, fp, jnp.sum(matrix) - tp - fp - fn, fn
    target, pred, weight = _multiclass_entries(
        y_true, y_pred, num_classes, top_k, ignore_index, sample_weight
    )
    if target.ndim < 1:
        raise ValueError(
            "expected inputs with a sample axis for "
            f"multidim_average='samplewise', received shape {target.shape}"
        )
    t_hot = jax.nn.one_hot(flatten_samples(target), num_classes)
    p_hot = jax.nn.one_hot(flatten_samples(pred), num_classes)
    w = flatten_samples(weight)[..., None]
    tp = jnp.sum(w * t_hot * p_hot, axis=1)
    true_count = jnp.sum(w * t_hot, axis=1)
    pred_count = jnp.sum(w * p_hot, axis=1)
    total = jnp.sum(flatten_samples(weight), axis=1)[:, None]
    fp = pred_count - tp
    fn = true_count - tp
    return tp, fp, total - tp - fp - fn, fn


def multiclass_confusion_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """The weighted `(num_classes, num_classes)` confusion matrix (rows: targets).

    Inputs and the ignore policy are those of `multiclass_stat_scores_statistics`.

    >>> multiclass_confusion_statistics(
    ...     jnp.array([0, 1, 1]), jnp.array([0, 1, 0]), num_classes=2).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    return _multiclass_matrix(
        y_true, y_pred, num_classes, 1, ignore_index, sample_weight
    )


def exact_match_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    task: str,
    num_classes: int | None = None,
    num_labels: int | None = None,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> tuple[Array, Array]:
    """Per-sample exact matches and their weights.

    Multiclass inputs `(N, ...)`: a sample matches (1) when every position is
    predicted correctly. Multilabel inputs `(N, ..., L)`: a row of labels
    matches when every label is, and a sample's value is the share of its
    positions whose row matches (1 or 0 for `(N, L)`), so weighted sums over
    samples count rows as torchmetrics does. Ignored entries
    (`ignore_index`, invalid targets) count as correct, as in torchmetrics.
    `sample_weight` has shape `(N,)`.

    Returns:
        `(matches, weights)`, each of shape `(N,)`.

    >>> m, w = exact_match_statistics(jnp.array([[0, 1], [1, 1]]),
    ...     jnp.array([[0, 1], [0, 1]]), task="multiclass", num_classes=2)
    >>> m.tolist(), w.tolist()
    ([1.0, 0.0], [1.0, 1.0])
    """
    check_option("task", task, ("multiclass", "multilabel"))
    if task == "multiclass":
        target, pred, weight = _multiclass_entries(
            y_true, y_pred, num_classes, 1, ignore_index, None
        )
    else:
        multilabel_stat_scores_statistics(  # validates the shapes
            y_true, y_pred, num_labels=num_labels, threshold=threshold
        )
        target, pred, weight = _threshold_entries(
            y_true, y_pred, threshold, from_logits, ignore_index, None
        )
    if target.ndim < 1:
        raise ValueError(f"expected a sample axis, received shape {target.shape}")
    n = target.shape[0]
    wrong = (target != pred) & (weight > 0)
    if task == "multilabel":  # one row of labels per position
        exact = ~jnp.any(wrong, axis=-1)
        matches = jnp.mean(flatten_samples(exact).astype(jnp.float32), axis=1)
    else:
        matches = (~jnp.any(flatten_samples(wrong), axis=1)).astype(jnp.float32)
    if sample_weight is None:
        return matches, jnp.ones((n,), jnp.float32)
    w = jnp.asarray(sample_weight, jnp.float32)
    if w.shape not in ((n,), (n, 1)):
        raise ValueError(
            f"expected `sample_weight` of shape ({n},), received {w.shape}"
        )
    return matches * w.reshape(n), w.reshape(n)
