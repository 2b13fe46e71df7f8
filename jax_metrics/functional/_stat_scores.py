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
  cannot raise inside `jit`).
* `sample_weight` follows the shared rule (`align_sample_weight`): it weights
  the leading axes of the targets, e.g. `(N,)` samples or `(N, L)` labels.
  Counts are float32 weighted counts.
"""

from __future__ import annotations

import inspect
from typing import Any

import jax
import jax.numpy as jnp
from jax import Array

from jax_metrics.functional._confusion import class_pair_counts
from jax_metrics.functional._reduction import align_sample_weight

__all__ = [
    "binary_stat_scores",
    "binary_stat_scores_statistics",
    "cohen_kappa_value",
    "exact_match_statistics",
    "matthews_corrcoef_from_stat_scores",
    "matthews_corrcoef_value",
    "multiclass_confusion_statistics",
    "multiclass_stat_scores",
    "multiclass_stat_scores_statistics",
    "multilabel_stat_scores",
    "multilabel_stat_scores_statistics",
    "normalize_confusion_matrix",
    "reduce_stat_scores",
    "stat_scores_confusion_matrix",
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


def _entry_weight(shape: tuple[int, ...], valid: Array, sample_weight) -> Array:
    """Weight of every entry: validity times the aligned sample weight."""
    weight = valid.astype(jnp.float32)
    if sample_weight is None:
        return weight
    values, aligned = align_sample_weight(jnp.zeros(shape, jnp.float32), sample_weight)
    aligned = jnp.broadcast_to(aligned, values.shape).reshape(shape)
    return weight * aligned


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
    if ignore_index is not None:
        valid &= y_true != ignore_index
    if jnp.issubdtype(y_pred.dtype, jnp.floating):
        scores = y_pred.astype(jnp.float32)
        if from_logits:
            scores = jax.nn.sigmoid(scores)
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
    pred = jnp.clip(pred, 0, num_classes - 1)
    return target, pred, weight


def _sample_weights(shape, sample_weight):
    """The aligned sample weight of every entry, or None without weights."""
    if sample_weight is None:
        return None
    return _entry_weight(shape, jnp.ones(shape, bool), sample_weight)


def _multiclass_matrix(y_true, y_pred, num_classes, top_k, ignore_index, sw):
    """The weighted `(C, C)` matrix of valid (target, prediction) pairs.

    One histogram over the C x C cells (exact integer counts without
    weights); invalid entries fall into a dropped cell.
    """
    target, pred, valid = _multiclass_ids(
        y_true, y_pred, num_classes, top_k, ignore_index
    )
    weight = _sample_weights(target.shape, sw)
    return class_pair_counts(target, pred, valid, weight, num_classes)


def _multiclass_ids(y_true, y_pred, num_classes, top_k, ignore_index):
    """Integer targets and predicted classes (unclipped) and their validity."""
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
    if ignore_index is not None:
        valid &= target != ignore_index
    if y_pred.ndim == y_true.ndim + 1:
        if y_pred.shape[:-1] != y_true.shape or y_pred.shape[-1] != num_classes:
            raise ValueError(
                f"expected `y_pred` of shape {(*y_true.shape, num_classes)} for "
                f"`y_true` of shape {y_true.shape} and num_classes={num_classes}, "
                f"received {y_pred.shape}"
            )
        scores = y_pred.astype(jnp.float32)
        valid &= ~jnp.any(jnp.isnan(scores), axis=-1)
        if top_k == 1:
            pred = jnp.argmax(scores, axis=-1).astype(jnp.int32)
        else:
            best = jax.lax.top_k(scores, top_k)[1].astype(jnp.int32)
            hit = jnp.any(best == target[..., None], axis=-1)
            pred = jnp.where(hit, target, best[..., 0])
    elif y_pred.shape == y_true.shape:
        if top_k != 1:
            raise ValueError(
                f"expected scores of shape {(*y_true.shape, num_classes)} for "
                f"top_k={top_k}, received labels of shape {y_pred.shape}"
            )
        pred = y_pred.astype(jnp.int32)
        valid &= (pred >= 0) & (pred < num_classes)
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
            y_true, y_pred, num_classes, top_k, ignore_index, sample_weight
        )
        tp = jnp.diagonal(matrix)
        fp = jnp.sum(matrix, axis=0) - tp
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
    n = target.shape[0]
    t_hot = jax.nn.one_hot(target.reshape(n, -1), num_classes)
    p_hot = jax.nn.one_hot(pred.reshape(n, -1), num_classes)
    w = weight.reshape(n, -1, 1)
    tp = jnp.sum(w * t_hot * p_hot, axis=1)
    true_count = jnp.sum(w * t_hot, axis=1)
    pred_count = jnp.sum(w * p_hot, axis=1)
    total = jnp.sum(weight.reshape(n, -1), axis=1)[:, None]
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


# ---------------------------------------------------------------------------
# statistics -> value


_TOP_K_SCORES = ("accuracy", "precision", "recall", "negative_predictive_value")


def _score(score, tp, fp, tn, fn, *, multilabel, beta, zero_division):
    if score == "accuracy":
        if multilabel:
            return safe_divide(tp + tn, tp + tn + fp + fn, zero_division)
        return safe_divide(tp, tp + fn, zero_division)
    if score == "hamming_distance":
        correct = _score(
            "accuracy",
            tp,
            fp,
            tn,
            fn,
            multilabel=multilabel,
            beta=beta,
            zero_division=zero_division,
        )
        return 1.0 - correct
    if score == "precision":
        return safe_divide(tp, tp + fp, zero_division)
    if score == "recall":
        return safe_divide(tp, tp + fn, zero_division)
    if score == "fbeta":
        b2 = beta * beta
        return safe_divide((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, zero_division)
    if score == "specificity":
        return safe_divide(tn, tn + fp, zero_division)
    if score == "negative_predictive_value":
        return safe_divide(tn, tn + fn, zero_division)
    return safe_divide(tp, tp + fp + fn, zero_division)  # jaccard_index


def reduce_stat_scores(
    score: str,
    tp: Array,
    fp: Array,
    tn: Array,
    fn: Array,
    *,
    task: str = "binary",
    average: str | None = "macro",
    top_k: int = 1,
    beta: float = 1.0,
    zero_division: float = 0.0,
    ignore_index: int | None = None,
) -> Array:
    """Turns `(tp, fp, tn, fn)` into a score under an averaging mode.

    Scores: `"stat_scores"` (`[tp, fp, tn, fn, support]` on the last axis),
    `"accuracy"`, `"precision"` `tp/(tp+fp)`, `"recall"` `tp/(tp+fn)`,
    `"fbeta"` `(1+b^2)tp/((1+b^2)tp+b^2 fn+fp)`, `"specificity"`
    `tn/(tn+fp)`, `"negative_predictive_value"` `tn/(tn+fn)`,
    `"hamming_distance"` (1 - accuracy) and `"jaccard_index"`
    `tp/(tp+fp+fn)`. Accuracy is `(tp+tn)/(tp+fp+tn+fn)` for binary and
    multilabel, `tp/(tp+fn)` per class for multiclass. A 0/0 ratio gives
    `zero_division`.

    Averages (multiclass/multilabel; the class axis is the last one):
    `"micro"` sums the counts first; `"macro"` is the mean of per-class
    scores, skipping (multiclass only) classes absent from both targets and
    predictions (`tp+fn == 0` when `top_k > 1`); `"weighted"` weights by
    support `tp+fn`; `"none"`/`None` returns per-class scores.

    Args:
        score: one of the scores above.
        tp: true positives (scalar for binary, `(..., C)` otherwise).
        fp: false positives.
        tn: true negatives.
        fn: false negatives.
        task: `"binary"`, `"multiclass"` or `"multilabel"`.
        average: averaging mode (ignored for binary).
        top_k: the `top_k` the statistics were computed with.
        beta: F-beta's beta.
        zero_division: value of a 0/0 score.
        ignore_index: for the Jaccard index, a class in range that is ignored
            is left out of the micro and macro averages (torchmetrics' rule).

    Returns:
        The score.

    >>> tp, fp = jnp.array([2.0, 0.0]), jnp.array([1.0, 1.0])
    >>> tn, fn = jnp.array([1.0, 3.0]), jnp.array([0.0, 0.0])
    >>> value = reduce_stat_scores("precision", tp, fp, tn, fn, task="multiclass")
    >>> round(float(value), 4)
    0.3333
    """
    check_option("score", score, SCORES)
    check_option("task", task, ("binary", "multiclass", "multilabel"))
    multilabel = task == "multilabel"
    tp, fp, tn, fn = (jnp.asarray(x, jnp.float32) for x in (tp, fp, tn, fn))
    if score == "stat_scores":
        stats = jnp.stack([tp, fp, tn, fn, tp + fn], axis=-1)
        if task == "binary" or average in ("none", None):
            return stats
        if average == "micro":
            return jnp.sum(stats, axis=-2)
        if average == "macro":
            return jnp.mean(stats, axis=-2)
        weight = safe_divide(tp + fn, jnp.sum(tp + fn, axis=-1, keepdims=True))
        return jnp.sum(stats * weight[..., None], axis=-2)
    options = {
        "multilabel": task != "multiclass",
        "beta": beta,
        "zero_division": zero_division,
    }
    if task == "binary":
        return _score(score, tp, fp, tn, fn, **options)
    check_option("average", average, AVERAGES)
    keep = None
    num = tp.shape[-1]
    if (
        score == "jaccard_index"
        and ignore_index is not None
        and 0 <= ignore_index < num
    ):
        keep = jnp.arange(num) != ignore_index
    if average == "micro":
        if keep is not None:
            tp, fp, tn, fn = (jnp.where(keep, x, 0.0) for x in (tp, fp, tn, fn))
        totals = (jnp.sum(x, axis=-1) for x in (tp, fp, tn, fn))
        return _score(score, *totals, **options)
    value = _score(score, tp, fp, tn, fn, **options)
    if average in ("none", None):
        return value
    if average == "weighted":
        weight = tp + fn
    else:
        weight = jnp.ones_like(value)
        if not multilabel:
            # torchmetrics' rule: with top_k > 1, accuracy, precision, recall
            # and NPV skip classes without support, the others classes absent
            # from both targets and predictions
            top_k_rule = top_k > 1 and score in _TOP_K_SCORES
            present = (tp + fn) if top_k_rule else (tp + fp + fn)
            weight = jnp.where(present == 0, 0.0, weight)
        if keep is not None:
            weight = jnp.where(keep, weight, 0.0)
    return safe_divide(jnp.sum(weight * value, axis=-1), jnp.sum(weight, axis=-1))


def binary_stat_scores(
    y_true: Array,
    y_pred: Array,
    *,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> Array:
    """`[tp, fp, tn, fn, support]` of binary predictions (weighted counts).

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ...)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        multidim_average: `"global"` or `"samplewise"` (one row per sample).
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The five counts on the last axis.

    >>> binary_stat_scores(jnp.array([1, 0, 1]), jnp.array([0.9, 0.8, 0.2])).tolist()
    [1.0, 1.0, 0.0, 1.0, 2.0]
    """
    stats = binary_stat_scores_statistics(
        y_true,
        y_pred,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        multidim_average=multidim_average,
        sample_weight=sample_weight,
    )
    return reduce_stat_scores("stat_scores", *stats, task="binary")


def multiclass_stat_scores(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    average: str | None = "macro",
    top_k: int = 1,
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> Array:
    """`[tp, fp, tn, fn, support]` of multiclass predictions, averaged.

    Args:
        y_true: integer labels, shape `(N, ...)`.
        y_pred: scores `(N, ..., num_classes)` or integer labels `(N, ...)`.
        num_classes: number of classes.
        average: `"micro"` (summed), `"macro"` (mean over classes),
            `"weighted"` (by support) or `"none"` (per class, `(C, 5)`).
        top_k: count a hit when the label is among the `k` best scores.
        ignore_index: target value whose entries are ignored.
        multidim_average: `"global"` or `"samplewise"` (one result per sample).
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The five counts on the last axis.

    >>> multiclass_stat_scores(jnp.array([0, 1, 2]), jnp.array([0, 2, 2]),
    ...                        num_classes=3, average="micro").tolist()
    [2.0, 1.0, 5.0, 1.0, 3.0]
    """
    check_option("average", average, AVERAGES)
    stats = multiclass_stat_scores_statistics(
        y_true,
        y_pred,
        num_classes=num_classes,
        top_k=top_k,
        ignore_index=ignore_index,
        multidim_average=multidim_average,
        sample_weight=sample_weight,
    )
    return reduce_stat_scores("stat_scores", *stats, task="multiclass", average=average)


def multilabel_stat_scores(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    average: str | None = "macro",
    ignore_index: int | None = None,
    multidim_average: str = "global",
    sample_weight: Array | None = None,
) -> Array:
    """`[tp, fp, tn, fn, support]` of multilabel predictions, averaged.

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ..., num_labels)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        num_labels: number of labels (the last axis).
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        average: `"micro"`, `"macro"`, `"weighted"` or `"none"` (`(L, 5)`).
        ignore_index: target value whose entries are ignored.
        multidim_average: `"global"` or `"samplewise"` (one result per sample).
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The five counts on the last axis.

    >>> multilabel_stat_scores(jnp.array([[1, 0], [1, 1]]),
    ...     jnp.array([[0.9, 0.8], [0.2, 0.7]]), num_labels=2, average="micro").tolist()
    [2.0, 1.0, 0.0, 1.0, 3.0]
    """
    check_option("average", average, AVERAGES)
    stats = multilabel_stat_scores_statistics(
        y_true,
        y_pred,
        num_labels=num_labels,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        multidim_average=multidim_average,
        sample_weight=sample_weight,
    )
    return reduce_stat_scores("stat_scores", *stats, task="multilabel", average=average)


def stat_scores_confusion_matrix(tp: Array, fp: Array, tn: Array, fn: Array) -> Array:
    """`[[tn, fp], [fn, tp]]` per entry of the counts (shape `(..., 2, 2)`).

    >>> stat_scores_confusion_matrix(4.0, 1.0, 3.0, 2.0).tolist()
    [[3.0, 1.0], [2.0, 4.0]]
    """
    tp, fp, tn, fn = (jnp.asarray(x, jnp.float32) for x in (tp, fp, tn, fn))
    top = jnp.stack([tn, fp], axis=-1)
    bottom = jnp.stack([fn, tp], axis=-1)
    return jnp.stack([top, bottom], axis=-2)


NORMALIZE = ("true", "pred", "all", "none", None)


def normalize_confusion_matrix(confmat: Array, normalize: str | None = None) -> Array:
    """Normalizes confusion matrices over targets, predictions or everything.

    `"true"` divides each row (target class) by its sum, `"pred"` each column,
    `"all"` the whole matrix; `"none"`/`None` returns the counts. 0/0 gives 0.

    >>> normalize_confusion_matrix(jnp.array([[3.0, 1.0], [0.0, 0.0]]), "true").tolist()
    [[0.75, 0.25], [0.0, 0.0]]
    """
    check_option("normalize", normalize, NORMALIZE)
    confmat = jnp.asarray(confmat, jnp.float32)
    if normalize == "true":
        return safe_divide(confmat, jnp.sum(confmat, axis=-1, keepdims=True))
    if normalize == "pred":
        return safe_divide(confmat, jnp.sum(confmat, axis=-2, keepdims=True))
    if normalize == "all":
        return safe_divide(confmat, jnp.sum(confmat, axis=(-2, -1), keepdims=True))
    return confmat


def matthews_corrcoef_value(confmat: Array) -> Array:
    """Matthews correlation coefficient of a `(C, C)` confusion matrix.

    `(c s - sum_k t_k p_k) / sqrt((s^2 - sum_k p_k^2)(s^2 - sum_k t_k^2))` with
    `t_k`/`p_k` the target/prediction totals, `c` the trace and `s` the total;
    0 when the denominator is 0 (scikit-learn's rule). A `(L, 2, 2)` stack
    (multilabel) is summed over labels first.

    >>> round(float(matthews_corrcoef_value(jnp.array([[1.0, 1.0], [1.0, 2.0]]))), 4)
    0.1667
    """
    confmat = jnp.asarray(confmat, jnp.float32)
    if confmat.ndim == 3:
        confmat = jnp.sum(confmat, axis=0)
    return _matthews_from_marginals(
        jnp.sum(confmat, axis=1), jnp.sum(confmat, axis=0), jnp.trace(confmat)
    )


def _matthews_from_marginals(t: Array, p: Array, c: Array) -> Array:
    s = jnp.sum(t)
    cov_tp = c * s - jnp.sum(t * p)
    cov_pp = s * s - jnp.sum(p * p)
    cov_tt = s * s - jnp.sum(t * t)
    return safe_divide(cov_tp, jnp.sqrt(cov_pp) * jnp.sqrt(cov_tt), 0.0)


def matthews_corrcoef_from_stat_scores(tp, fp, tn, fn, *, task: str) -> Array:
    """Matthews correlation coefficient from `(tp, fp, tn, fn)`.

    Binary counts are scalars; multilabel counts `(L,)` are summed over labels
    (torchmetrics' rule); multiclass counts `(C,)` give the multiclass MCC.

    >>> round(float(matthews_corrcoef_from_stat_scores(2.0, 1.0, 1.0, 1.0,
    ...     task="binary")), 4)
    0.1667
    """
    check_option("task", task, ("binary", "multiclass", "multilabel"))
    tp, fp, tn, fn = (jnp.asarray(x, jnp.float32) for x in (tp, fp, tn, fn))
    if task == "multiclass":
        return _matthews_from_marginals(tp + fn, tp + fp, jnp.sum(tp))
    if task == "multilabel":
        tp, fp, tn, fn = (jnp.sum(x, axis=-1) for x in (tp, fp, tn, fn))
    return matthews_corrcoef_value(stat_scores_confusion_matrix(tp, fp, tn, fn))


KAPPA_WEIGHTS = ("linear", "quadratic", "none", None)


def cohen_kappa_value(confmat: Array, weights: str | None = None) -> Array:
    """Cohen's kappa of a `(C, C)` confusion matrix (scikit-learn's formula).

    `1 - sum(W * O) / sum(W * E)`, with `O` the confusion matrix, `E` the
    outer product of its marginals over the total, and `W` the disagreement
    weights: 0/1 (`None`), `|i - j|` (`"linear"`) or `(i - j)^2`
    (`"quadratic"`). 0 when undefined.

    >>> round(float(cohen_kappa_value(jnp.array([[1.0, 1.0], [1.0, 2.0]]))), 4)
    0.1667
    """
    check_option("weights", weights, KAPPA_WEIGHTS)
    confmat = jnp.asarray(confmat, jnp.float32)
    num = confmat.shape[-1]
    total = jnp.sum(confmat)
    expected = safe_divide(
        jnp.outer(jnp.sum(confmat, axis=0), jnp.sum(confmat, axis=1)), total
    )
    index = jnp.arange(num, dtype=jnp.float32)
    diff = index[:, None] - index[None, :]
    if weights == "linear":
        w = jnp.abs(diff)
    elif weights == "quadratic":
        w = diff * diff
    else:
        w = (diff != 0).astype(jnp.float32)
    den = jnp.sum(w * expected)
    return jnp.where(den == 0, 0.0, 1.0 - safe_divide(jnp.sum(w * confmat), den))


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

    A sample matches when every entry (every position for multiclass inputs
    `(N, ...)`, every label for multilabel `(N, ..., L)`) is predicted
    correctly; ignored entries (`ignore_index`, invalid targets) count as
    correct, as in torchmetrics. `sample_weight` has shape `(N,)`.

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
    matches = (~jnp.any(wrong.reshape(n, -1), axis=1)).astype(jnp.float32)
    if sample_weight is None:
        return matches, jnp.ones((n,), jnp.float32)
    w = jnp.asarray(sample_weight, jnp.float32)
    if w.shape not in ((n,), (n, 1)):
        raise ValueError(
            f"expected `sample_weight` of shape ({n},), received {w.shape}"
        )
    return matches * w.reshape(n), w.reshape(n)


# ---------------------------------------------------------------------------
# public functional forms, one per (score, task), built from the pair above

_REQUIRED = inspect.Parameter.empty
TASK_OPTIONS: dict[str, dict[str, Any]] = {
    "binary": {
        "threshold": 0.5,
        "from_logits": False,
        "ignore_index": None,
        "multidim_average": "global",
        "zero_division": 0.0,
    },
    "multiclass": {
        "num_classes": _REQUIRED,
        "average": "macro",
        "top_k": 1,
        "ignore_index": None,
        "multidim_average": "global",
        "zero_division": 0.0,
    },
    "multilabel": {
        "num_labels": _REQUIRED,
        "threshold": 0.5,
        "from_logits": False,
        "average": "macro",
        "ignore_index": None,
        "multidim_average": "global",
        "zero_division": 0.0,
    },
}
_STATISTICS = {
    "binary": binary_stat_scores_statistics,
    "multiclass": multiclass_stat_scores_statistics,
    "multilabel": multilabel_stat_scores_statistics,
}
_STATISTICS_OPTIONS = {
    "binary": ("threshold", "from_logits", "ignore_index", "multidim_average"),
    "multiclass": ("num_classes", "top_k", "ignore_index", "multidim_average"),
    "multilabel": (
        "num_labels",
        "threshold",
        "from_logits",
        "ignore_index",
        "multidim_average",
    ),
}


def task_statistics(task: str, y_true, y_pred, options: dict, sample_weight=None):
    """Runs the statistics kernel of `task` with the statistics part of `options`.

    >>> tp, fp, tn, fn = task_statistics("binary", jnp.array([1]), jnp.array([0.7]), {})
    >>> float(tp)
    1.0
    """
    kwargs = {k: options[k] for k in _STATISTICS_OPTIONS[task] if k in options}
    return _STATISTICS[task](y_true, y_pred, sample_weight=sample_weight, **kwargs)


def task_score(score: str, task: str, stats, options: dict) -> Array:
    """Runs `reduce_stat_scores` with the value part of `options`.

    >>> float(task_score("recall", "binary", (1.0, 0.0, 0.0, 1.0), {}))
    0.5
    """
    return reduce_stat_scores(
        score,
        *stats,
        task=task,
        average=options.get("average", "macro"),
        top_k=options.get("top_k", 1),
        beta=options.get("beta", 1.0),
        zero_division=options.get("zero_division", 0.0),
        ignore_index=options.get("ignore_index"),
    )


def validate_task_options(task: str, options: dict, extra=()) -> dict:
    """Fills defaults, checks names and values of a task's options.

    >>> validate_task_options("multiclass", {"num_classes": 3})["average"]
    'macro'
    """
    defaults = {**dict.fromkeys(extra, _REQUIRED), **TASK_OPTIONS[task]}
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise TypeError(
            f"expected options among {sorted(defaults)}, received {unknown}"
        )
    merged = {**defaults, **options}
    missing = sorted(k for k, v in merged.items() if v is _REQUIRED)
    if missing:
        raise TypeError(f"expected the option(s) {missing}, received none")
    if "average" in merged:
        check_option("average", merged["average"], AVERAGES)
    check_option("multidim_average", merged["multidim_average"], MULTIDIM_AVERAGES)
    if "num_classes" in merged:
        _check_int("num_classes", merged["num_classes"], 2)
        _check_int("top_k", merged["top_k"], 1)
        if merged["top_k"] > merged["num_classes"]:
            raise ValueError(
                f"expected `top_k` <= num_classes={merged['num_classes']}, "
                f"received {merged['top_k']}"
            )
    if "num_labels" in merged:
        _check_int("num_labels", merged["num_labels"], 1)
    if "threshold" in merged and not 0 <= float(merged["threshold"]) <= 1:
        raise ValueError(
            f"expected `threshold` in [0, 1], received {merged['threshold']!r}"
        )
    if "beta" in merged and not float(merged["beta"]) > 0:
        raise ValueError(f"expected `beta` > 0, received {merged['beta']!r}")
    return merged


_TITLES = {
    "accuracy": ("accuracy", "Accuracy", True),
    "precision": ("precision", "Precision", True),
    "recall": ("recall", "Recall", True),
    "f1_score": ("fbeta", "F1Score", True),
    "fbeta_score": ("fbeta", "FBetaScore", True),
    "specificity": ("specificity", "Specificity", True),
    "negative_predictive_value": (
        "negative_predictive_value",
        "NegativePredictiveValue",
        True,
    ),
    "hamming_distance": ("hamming_distance", "HammingDistance", False),
    "jaccard_index": ("jaccard_index", "JaccardIndex", True),
}
_HUMAN_TITLES = {
    "f1_score": "F1 score",
    "fbeta_score": "F-beta score",
    "negative_predictive_value": "Negative predictive value",
    "hamming_distance": "Hamming distance",
    "jaccard_index": "Jaccard index",
}
FORMULAS = {
    "accuracy": "`(tp + tn) / (tp + fp + tn + fn)` (binary, multilabel) or "
    "`tp / (tp + fn)` per class (multiclass)",
    "precision": "`tp / (tp + fp)`",
    "recall": "`tp / (tp + fn)`",
    "f1_score": "`2 tp / (2 tp + fn + fp)`",
    "fbeta_score": "`(1 + beta^2) tp / ((1 + beta^2) tp + beta^2 fn + fp)`",
    "specificity": "`tn / (tn + fp)`",
    "negative_predictive_value": "`tn / (tn + fn)`",
    "hamming_distance": "`1 - accuracy`",
    "jaccard_index": "`tp / (tp + fp + fn)`",
}
ARG_DOCS = {
    "beta": "weight of recall relative to precision (> 0).",
    "num_classes": "number of classes (scores have shape `(N, ..., C)`).",
    "num_labels": "number of labels (the last axis).",
    "threshold": "a prediction is positive when `y_pred > threshold`.",
    "from_logits": "apply a sigmoid to `y_pred` before thresholding.",
    "average": '`"micro"`, `"macro"` (default), `"weighted"` or `"none"`.',
    "top_k": "a hit when the label is among the `k` best scores.",
    "ignore_index": "target value whose entries are ignored.",
    "multidim_average": '`"global"` (default) or `"samplewise"` (one value per '
    "sample).",
    "zero_division": "value of a 0/0 score.",
    "sample_weight": "weights of the leading axes of `y_true` (shared rule).",
}
EXAMPLES = {
    "binary": (
        "jnp.array([0, 1, 1, 0, 1]), jnp.array([0.2, 0.7, 0.4, 0.6, 0.9])",
        "",
    ),
    "multiclass": (
        "jnp.array([0, 1, 2, 2, 1]), jnp.array([0, 1, 1, 2, 2])",
        "num_classes=3",
    ),
    "multilabel": (
        "jnp.array([[0, 1], [1, 1], [1, 0]]), "
        "jnp.array([[0.2, 0.7], [0.6, 0.4], [0.8, 0.3]])",
        "num_labels=2",
    ),
}
#: expected example values (checked against scikit-learn in the tests)
EXAMPLE_VALUES = {
    ("binary", "accuracy"): 0.6,
    ("binary", "precision"): 0.6667,
    ("binary", "recall"): 0.6667,
    ("binary", "f1_score"): 0.6667,
    ("binary", "fbeta_score"): 0.6667,
    ("binary", "specificity"): 0.5,
    ("binary", "negative_predictive_value"): 0.5,
    ("binary", "hamming_distance"): 0.4,
    ("binary", "jaccard_index"): 0.5,
    ("multiclass", "accuracy"): 0.6667,
    ("multiclass", "precision"): 0.6667,
    ("multiclass", "recall"): 0.6667,
    ("multiclass", "f1_score"): 0.6667,
    ("multiclass", "fbeta_score"): 0.6667,
    ("multiclass", "specificity"): 0.7778,
    ("multiclass", "negative_predictive_value"): 0.7778,
    ("multiclass", "hamming_distance"): 0.3333,
    ("multiclass", "jaccard_index"): 0.5556,
    ("multilabel", "accuracy"): 0.8333,
    ("multilabel", "precision"): 1.0,
    ("multilabel", "recall"): 0.75,
    ("multilabel", "f1_score"): 0.8333,
    ("multilabel", "fbeta_score"): 0.7778,
    ("multilabel", "specificity"): 1.0,
    ("multilabel", "negative_predictive_value"): 0.75,
    ("multilabel", "hamming_distance"): 0.1667,
    ("multilabel", "jaccard_index"): 0.75,
}


def function_name(task: str, family: str) -> str:
    """The public functional name of a family for a task.

    >>> function_name("binary", "accuracy")
    'binary_task_accuracy'
    """
    if task == "binary" and family == "accuracy":
        return "binary_task_accuracy"  # `binary_accuracy` is Keras'
    return f"{task}_{family}"


def _make_function(task: str, family: str):
    score, torch_suffix, _ = _TITLES[family]
    title = _HUMAN_TITLES.get(family, torch_suffix)
    extra = ("beta",) if family == "fbeta_score" else ()
    fixed = {"beta": 1.0} if family == "f1_score" else {}

    def fn(y_true, y_pred, *, sample_weight=None, **options):
        options = validate_task_options(task, options, extra)
        stats = task_statistics(task, y_true, y_pred, options, sample_weight)
        return task_score(score, task, stats, {**options, **fixed})

    params = [
        inspect.Parameter("y_true", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("y_pred", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    ]
    defaults = {**dict.fromkeys(extra, _REQUIRED), **TASK_OPTIONS[task]}
    for key, value in {**defaults, "sample_weight": None}.items():
        params.append(
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=value)
        )
    name = function_name(task, family)
    fn.__name__ = fn.__qualname__ = name
    fn.__signature__ = inspect.Signature(params)
    args = "\n".join(f"        {k}: {ARG_DOCS[k]}" for k in defaults)
    inputs, option = EXAMPLES[task]
    option = ", ".join(x for x in (option, "beta=2.0" if extra else "") if x)
    call = f"jm.functional.{name}(\n    ...     {inputs}"
    call += f", {option})" if option else ")"
    value = EXAMPLE_VALUES[(task, family)]
    torch_name = f"{task.capitalize()}{torch_suffix}"
    fn.__doc__ = f"""{title} of {task} predictions (torchmetrics' `{torch_name}`).

    {FORMULAS[family]}, with sample weights, averaged as
    `reduce_stat_scores` says; see the module notes for input formats and
    ignored entries.

    Args:
        y_true: integer labels.
        y_pred: probabilities, logits or labels.
{args}
        sample_weight: weights of the leading axes of `y_true` (shared rule).

    Returns:
        The score (per class for `average="none"`, per sample for
        `multidim_average="samplewise"`).

    >>> import jax_metrics as jm
    >>> round(float({call}), 4)
    {value}
    """
    return name, fn


for _task in ("binary", "multiclass", "multilabel"):
    for _family in _TITLES:
        _name, _fn = _make_function(_task, _family)
        globals()[_name] = _fn
        __all__.append(_name)


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

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ..., L)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        num_labels: number of labels.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries count as correct.
        multidim_average: `"global"` (weighted share) or `"samplewise"` (0/1
            per sample, unweighted).
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


__all__ += [
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
