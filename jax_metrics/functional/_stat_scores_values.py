"""Task classification value kernels (torchmetrics' Binary/Multiclass/Multilabel).

`reduce_stat_scores` turns the `tp, fp, tn, fn` counts of
`_stat_scores_statistics.py` into every score of the family under every
averaging mode; the stat-scores functional forms, the 2 x 2 confusion matrix,
its normalisation, Matthews' correlation coefficient and Cohen's kappa are
here too.
"""

from __future__ import annotations

import jax.numpy as jnp
from jax import Array

from jax_metrics.functional._stat_scores_statistics import (
    AVERAGES,
    SCORES,
    binary_stat_scores_statistics,
    check_option,
    multiclass_stat_scores_statistics,
    multilabel_stat_scores_statistics,
    safe_divide,
)

__all__ = [
    "binary_stat_scores",
    "cohen_kappa_value",
    "matthews_corrcoef_from_stat_scores",
    "matthews_corrcoef_value",
    "multiclass_stat_scores",
    "multilabel_stat_scores",
    "normalize_confusion_matrix",
    "reduce_stat_scores",
    "stat_scores_confusion_matrix",
]


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
        and task == "multiclass"
        and ignore_index is not None
        and 0 <= ignore_index < num
    ):
        # torchmetrics' multiclass rule: the ignored class is left out of the
        # averages. A multilabel `ignore_index` is a target value, not a label.
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
    `t_k`/`p_k` the target/prediction totals, `c` the trace and `s` the total.
    A `(L, 2, 2)` stack (multilabel) is summed over labels first. Where the
    denominator is 0 (every target, or every prediction, in one class) the
    value is torchmetrics': 0 for more than two classes; for a `2 x 2`
    matrix, 1 when every prediction is right, -1 when every one is wrong,
    and otherwise the limit `(a - b) / sqrt((a + b + e)(a + e)(b + e))` of
    its two nonzero cells `a`, `b` (`e` the float32 epsilon). scikit-learn
    gives 0 in all these cases.

    >>> round(float(matthews_corrcoef_value(jnp.array([[1.0, 1.0], [1.0, 2.0]]))), 4)
    0.1667
    """
    confmat = jnp.asarray(confmat, jnp.float32)
    if confmat.ndim == 3:
        confmat = jnp.sum(confmat, axis=0)
    value = _matthews_from_marginals(
        jnp.sum(confmat, axis=1), jnp.sum(confmat, axis=0), jnp.trace(confmat)
    )
    if confmat.shape == (2, 2):
        (tn, fp), (fn, tp) = confmat
        value = _two_class_matthews(tp, fp, tn, fn, value)
    return value


def _matthews_from_marginals(t: Array, p: Array, c: Array) -> Array:
    s = jnp.sum(t)
    # Predicted labels outside the classes form one more predicted category.
    no_class = s - jnp.sum(p)
    cov_tp = c * s - jnp.sum(t * p)
    cov_pp = s * s - jnp.sum(p * p) - no_class * no_class
    cov_tt = s * s - jnp.sum(t * t)
    return safe_divide(cov_tp, jnp.sqrt(cov_pp) * jnp.sqrt(cov_tt), 0.0)


def _two_class_matthews(tp: Array, fp: Array, tn: Array, fn: Array, value: Array):
    """`value` with torchmetrics' rules for a degenerate `2 x 2` matrix."""
    eps = jnp.finfo(jnp.float32).eps

    def limit(a, b):  # the two nonzero cells of a matrix with an empty margin
        return (a - b) / jnp.sqrt((a + b + eps) * (a + eps) * (b + eps))

    # torchmetrics' cases, in its order: all predictions positive, all
    # targets positive, all targets negative, all predictions negative.
    cases = [(fn == 0) & (tn == 0), (fp == 0) & (tn == 0)]
    cases += [(tp == 0) & (fn == 0), (tp == 0) & (fp == 0)]
    limits = [limit(tp, fp), limit(tp, fn), limit(tn, fp), limit(tn, fn)]
    value = jnp.select(cases, limits, default=value)
    value = jnp.where((tp + tn == 0) & (fp + fn != 0), -1.0, value)
    return jnp.where((tp + tn != 0) & (fp + fn == 0), 1.0, value)


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
        value = _matthews_from_marginals(tp + fn, tp + fp, jnp.sum(tp))
        if tp.shape[-1] == 2:  # the 2 x 2 matrix seen from class 1
            value = _two_class_matthews(tp[1], fp[1], tn[1], fn[1], value)
        return value
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
