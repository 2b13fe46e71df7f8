"""Task curves (torchmetrics' Binary/Multiclass/Multilabel ROC, PR and friends).

Two modes share every value kernel:

* binned (`thresholds` an int, list or array; the classes default to 200
  evenly spaced thresholds over [0, 1]): weighted `tp, fp, tn, fn` at every
  threshold from `threshold_confusion_counts` (O(N), fixed memory), with
  torchmetrics' inclusive rule `y_pred >= threshold`;
* exact (`thresholds=None`): every distinct score is a threshold, as
  scikit-learn computes curves; the functional forms use the batch, the
  classes a fixed-capacity buffer.

Both produce "curve points": counts ordered by DECREASING threshold along
axis 0 (false positive rate and recall increasing), per class or label on the
trailing axis. ROC, precision-recall, AUROC, average precision, the
at-fixed-X operating points, log-AUC and the equal error rate are functions of
the points. Binned values differ from exact ones by the threshold grid's
resolution: for scores with a smooth distribution, AUROC and average precision
with `T` thresholds are within about `1/T` of the exact value.

Inputs: binary `(N, ...)` scores; multiclass `(N, ..., C)` scores with
`(N, ...)` integer labels (one-vs-rest per class; `from_logits=True` applies a
softmax); multilabel `(N, ..., L)` (`from_logits=True` applies a sigmoid).
Entries whose target is `ignore_index` or not a valid label, or whose score is
NaN, are ignored. `sample_weight` weights the leading axes of the targets.
"""

from __future__ import annotations

import inspect
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.functional._confusion import threshold_confusion_counts
from jax_metrics.functional._stat_scores import (
    _check_int,
    _entry_weight,
    check_option,
    safe_divide,
)

__all__ = [
    "curve_entries",
    "curve_points",
    "curve_thresholds",
]

NO_THRESHOLD = 1e6  # threshold reported when no operating point qualifies
CURVE_AVERAGES = ("micro", "macro", "weighted", "none", None)


def curve_thresholds(thresholds) -> np.ndarray | None:
    """Static thresholds as an ascending float32 vector (None: exact mode).

    An int `T` gives `T` evenly spaced thresholds over [0, 1].

    >>> curve_thresholds(3).tolist()
    [0.0, 0.5, 1.0]
    """
    if thresholds is None:
        return None
    if isinstance(thresholds, int | np.integer) and not isinstance(thresholds, bool):
        if thresholds < 2:
            raise ValueError(
                f"expected `thresholds` to be an int >= 2, received {thresholds}"
            )
        return np.linspace(0, 1, int(thresholds)).astype(np.float32)
    values = np.asarray(thresholds, np.float32).reshape(-1)
    if values.size < 1 or np.isnan(values).any() or np.any(np.diff(values) < 0):
        raise ValueError(
            "expected `thresholds` as an int, None, or a non-empty ascending list "
            f"without NaN, received {thresholds!r}"
        )
    return values


def curve_entries(
    task: str,
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int | None = None,
    num_labels: int | None = None,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> tuple[Array, Array, Array]:
    """Flattened one-vs-rest entries: `(targets, scores, weights)`.

    Binary inputs give vectors `(M,)`; multiclass and multilabel give `(M, K)`
    (one-hot targets for multiclass). Ignored entries have weight 0.

    >>> t, s, w = curve_entries(
    ...     "binary", jnp.array([1, 0, 2]), jnp.array([0.9, 0.4, 0.5]))
    >>> t.tolist(), w.tolist()
    ([1.0, 0.0, 0.0], [1.0, 1.0, 0.0])
    """
    check_option("task", task, ("binary", "multiclass", "multilabel"))
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    if jnp.issubdtype(y_true.dtype, jnp.floating):
        y_true = jnp.where(jnp.isnan(y_true), -1, y_true)
    scores = y_pred.astype(jnp.float32)
    if task == "multiclass":
        _check_int("num_classes", num_classes, 2)
        if y_pred.shape != (*y_true.shape, num_classes):
            raise ValueError(
                f"expected `y_pred` of shape {(*y_true.shape, num_classes)} for "
                f"`y_true` of shape {y_true.shape} and num_classes={num_classes}, "
                f"received {y_pred.shape}"
            )
        target = y_true.astype(jnp.int32)
        valid = (target >= 0) & (target < num_classes) & (target == y_true)
        valid &= ~jnp.any(jnp.isnan(scores), axis=-1)
        if ignore_index is not None:
            valid &= target != ignore_index
        if from_logits:
            scores = jax.nn.softmax(scores, axis=-1)
        weight = _entry_weight(target.shape, valid, sample_weight)
        targets = jax.nn.one_hot(target, num_classes, dtype=jnp.float32)
        weight = jnp.broadcast_to(weight[..., None], targets.shape)
        scores = jnp.where(jnp.isnan(scores), 0.0, scores)
        k = (num_classes,)
    else:
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"expected `y_true` and `y_pred` of the same shape, received "
                f"{y_true.shape} and {y_pred.shape}"
            )
        if task == "multilabel":
            _check_int("num_labels", num_labels, 1)
            if y_pred.ndim < 2 or y_pred.shape[-1] != num_labels:
                raise ValueError(
                    f"expected `y_pred` of shape (N, ..., {num_labels}) for "
                    f"num_labels={num_labels}, received {y_pred.shape}"
                )
        valid = ((y_true == 0) | (y_true == 1)) & ~jnp.isnan(scores)
        if ignore_index is not None:
            valid &= y_true != ignore_index
        if from_logits:
            scores = jax.nn.sigmoid(scores)
        weight = _entry_weight(y_true.shape, valid, sample_weight)
        targets = (y_true == 1).astype(jnp.float32)
        scores = jnp.where(jnp.isnan(scores), 0.0, scores)
        k = (num_labels,) if task == "multilabel" else ()
    return (
        targets.reshape(-1, *k),
        scores.reshape(-1, *k),
        weight.reshape(-1, *k),
    )


def binned_counts(targets: Array, scores: Array, weights: Array, thresholds) -> Array:
    """Weighted `(tp, fp, tn, fn)` stacked, shape `(4, T, *K)`, thresholds ascending.

    >>> binned_counts(jnp.array([1.0, 0.0]), jnp.array([0.8, 0.3]),
    ...     jnp.ones(2), [0.0, 0.5, 1.0])[0].tolist()
    [1.0, 1.0, 0.0]
    """
    counts = threshold_confusion_counts(
        targets, scores, thresholds=thresholds, sample_weight=weights, inclusive=True
    )
    return jnp.stack(counts)


def _exact_points_1d(targets, scores, weights):
    """Exact points of one binary problem, decreasing thresholds, fixed length."""
    scores = jnp.where(weights > 0, scores, -jnp.inf)
    order = jnp.argsort(-scores, stable=True)
    s, t, w = scores[order], targets[order], weights[order]
    tps = jnp.cumsum(w * t)
    fps = jnp.cumsum(w * (1 - t))
    # every position takes the counts at the end of its run of tied scores
    end = jnp.searchsorted(-s, -s, side="right") - 1
    tp, fp = tps[end], fps[end]
    pos, neg = tps[-1], fps[-1]
    return jnp.stack([tp, fp, neg - fp, pos - tp]), s


def exact_counts(targets: Array, scores: Array, weights: Array):
    """Exact curve points: `(counts (4, M, *K), thresholds (M, *K))`.

    Every sample's score is a threshold (decreasing); tied scores share the
    counts of the end of their run, so repeated points add no area. Entries of
    weight 0 sort last at `-inf`.

    >>> c, t = exact_counts(jnp.array([1.0, 0.0]), jnp.array([0.75, 0.25]), jnp.ones(2))
    >>> c[0].tolist(), t.tolist()
    ([1.0, 1.0], [0.75, 0.25])
    """
    if targets.ndim == 1:
        return _exact_points_1d(targets, scores, weights)
    counts, thresholds = jax.vmap(_exact_points_1d, in_axes=-1, out_axes=-1)(
        targets, scores, weights
    )
    return counts, thresholds


def curve_points(
    task: str,
    y_true: Array,
    y_pred: Array,
    *,
    thresholds=None,
    sample_weight: Array | None = None,
    **options: Any,
) -> tuple[Array, Array]:
    """Curve points of a batch: `(counts (4, P, *K), thresholds)`, decreasing.

    `counts` stacks `tp, fp, tn, fn`; binned thresholds have shape `(P,)`,
    exact ones `(P, *K)`. `options` are those of `curve_entries`.

    >>> c, t = curve_points("binary", jnp.array([1, 0]), jnp.array([0.8, 0.3]),
    ...                     thresholds=3)
    >>> c[0].tolist(), t.tolist()
    ([0.0, 1.0, 1.0], [1.0, 0.5, 0.0])
    """
    static = curve_thresholds(thresholds)
    targets, scores, weights = curve_entries(
        task, y_true, y_pred, sample_weight=sample_weight, **options
    )
    if static is None:
        return exact_counts(targets, scores, weights)
    counts = binned_counts(targets, scores, weights, static)
    return jnp.flip(counts, 1), jnp.asarray(static[::-1].copy())


# ---------------------------------------------------------------------------
# values from curve points (axis 0 of each count: decreasing thresholds)


def _trapezoid(x: Array, y: Array) -> Array:
    return jnp.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2, axis=0)


def roc_from_points(counts: Array, thresholds: Array, exact: bool):
    """`(fpr, tpr, thresholds)`, fpr increasing (torchmetrics' ROC).

    The exact curve starts at `(0, 0)` with threshold 1 (torchmetrics' rule).

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> fpr, tpr, t = roc_from_points(c, jnp.array([0.8, 0.3]), exact=False)
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 1.0], [1.0, 1.0])
    """
    tp, fp, tn, fn = counts
    fpr = safe_divide(fp, fp + tn)
    tpr = safe_divide(tp, tp + fn)
    if exact:
        zero = jnp.zeros((1, *fpr.shape[1:]), jnp.float32)
        fpr = jnp.concatenate([zero, fpr])
        tpr = jnp.concatenate([zero, tpr])
        thresholds = jnp.concatenate([jnp.ones_like(thresholds[:1]), thresholds])
    return fpr, tpr, thresholds


def precision_recall_from_points(counts: Array, thresholds: Array):
    """`(precision, recall, thresholds)`, thresholds increasing, ending at `(1, 0)`.

    Precision at a threshold with no positive prediction is 1 (torchmetrics).

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> p, r, t = precision_recall_from_points(c, jnp.array([0.8, 0.3]))
    >>> p.tolist(), r.tolist(), t.tolist()
    ([0.5, 1.0, 1.0], [1.0, 1.0, 0.0], [0.30000001192092896, 0.800000011920929])
    """
    tp, fp, _, fn = counts
    precision = jnp.flip(safe_divide(tp, tp + fp, 1.0), 0)
    recall = jnp.flip(safe_divide(tp, tp + fn), 0)
    one = jnp.ones((1, *precision.shape[1:]), jnp.float32)
    precision = jnp.concatenate([precision, one])
    recall = jnp.concatenate([recall, jnp.zeros_like(one)])
    return precision, recall, jnp.flip(thresholds, 0)


def auroc_from_points(
    counts: Array, thresholds: Array, exact: bool, max_fpr: float | None = None
) -> Array:
    """Area under the ROC curve (trapezoids), per class.

    With `max_fpr`, the partial area up to that false positive rate (the curve
    interpolated linearly there), McClish-standardized as scikit-learn and
    torchmetrics do: `(1 + (A - m^2/2) / (m - m^2/2)) / 2`.

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> float(auroc_from_points(c, jnp.array([0.8, 0.3]), exact=True))
    1.0
    """
    fpr, tpr, _ = roc_from_points(counts, thresholds, exact)
    if max_fpr is None or max_fpr == 1:
        return _trapezoid(fpr, tpr)
    limit = jnp.float32(max_fpr)

    def partial(f, t):
        at_limit = jnp.interp(limit, f, t)
        beyond = f > limit
        area = _trapezoid(jnp.where(beyond, limit, f), jnp.where(beyond, at_limit, t))
        low = 0.5 * max_fpr * max_fpr
        return 0.5 * (1 + (area - low) / (max_fpr - low))

    if fpr.ndim == 1:
        return partial(fpr, tpr)
    return jax.vmap(partial, in_axes=-1)(fpr, tpr)


def average_precision_from_points(counts: Array) -> Array:
    """Average precision `sum_k (R_k - R_{k-1}) P_k`, per class.

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> float(average_precision_from_points(c))
    1.0
    """
    tp, fp, _, fn = counts
    precision = safe_divide(tp, tp + fp, 1.0)
    recall = safe_divide(tp, tp + fn)
    previous = jnp.concatenate([jnp.zeros_like(recall[:1]), recall[:-1]])
    return jnp.sum((recall - previous) * precision, axis=0)


def _best_point(value, other, thresholds, feasible):
    """Max `value` over feasible points; ties: max `other`, then max threshold."""
    thresholds = jnp.broadcast_to(
        thresholds.reshape(thresholds.shape + (1,) * (value.ndim - thresholds.ndim)),
        value.shape,
    )
    best = jnp.max(jnp.where(feasible, value, -1.0), axis=0, keepdims=True)
    tie = feasible & (value == best)
    best_other = jnp.max(jnp.where(tie, other, -1.0), axis=0, keepdims=True)
    tie &= other == best_other
    threshold = jnp.max(jnp.where(tie, thresholds, -jnp.inf), axis=0)
    best = best[0]
    found = jnp.any(feasible, axis=0) & (best > 0)
    return (
        jnp.where(found, best, 0.0),
        jnp.where(found, threshold, NO_THRESHOLD).astype(jnp.float32),
    )


def operating_point_from_points(
    family: str, counts: Array, thresholds: Array, minimum: float
) -> tuple[Array, Array]:
    """Best value under a constraint, and its threshold.

    `family` is `"precision_at_fixed_recall"` (max precision with recall >=
    `minimum`), `"recall_at_fixed_precision"`, `"sensitivity_at_specificity"`
    or `"specificity_at_sensitivity"`. Ties go to the better constrained
    quantity, then the higher threshold. When no point qualifies (or the best
    value is 0) the value is 0 and the threshold `1e6` (torchmetrics').

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> v, t = operating_point_from_points("precision_at_fixed_recall", c,
    ...                                    jnp.array([0.8, 0.3]), 0.5)
    >>> float(v), round(float(t), 4)
    (1.0, 0.8)
    """
    tp, fp, tn, fn = counts
    precision = safe_divide(tp, tp + fp, 1.0)
    recall = safe_divide(tp, tp + fn)
    specificity = 1 - safe_divide(fp, fp + tn)
    value, other = {
        "precision_at_fixed_recall": (precision, recall),
        "recall_at_fixed_precision": (recall, precision),
        "sensitivity_at_specificity": (recall, specificity),
        "specificity_at_sensitivity": (specificity, recall),
    }[family]
    return _best_point(value, other, thresholds, other >= minimum)


def logauc_from_points(
    counts: Array, thresholds: Array, exact: bool, fpr_range=(0.001, 0.1)
) -> Array:
    """Area under TPR against `log10(FPR)` over `fpr_range`, divided by its width.

    The curve is interpolated linearly (in FPR) at the range's ends, as
    torchmetrics does.

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> float(logauc_from_points(c, jnp.array([0.8, 0.3]), exact=True))
    1.0
    """
    fpr, tpr, _ = roc_from_points(counts, thresholds, exact)
    lower, upper = (float(v) for v in fpr_range)
    ends = jnp.asarray([lower, upper], jnp.float32)

    def one(f, t):
        t = jnp.concatenate([t, jnp.interp(ends, f, t)])
        f = jnp.concatenate([f, ends])
        f, t = jnp.sort(f), jnp.sort(t)
        x = jnp.clip(jnp.log10(jnp.maximum(f, 1e-30)), np.log10(lower), np.log10(upper))
        return _trapezoid(x, t) / (np.log10(upper) - np.log10(lower))

    if fpr.ndim == 1:
        return one(fpr, tpr)
    return jax.vmap(one, in_axes=-1)(fpr, tpr)


def eer_from_points(counts: Array, thresholds: Array, exact: bool) -> Array:
    """Equal error rate: `(FPR + FNR) / 2` where `|FPR - FNR|` is smallest.

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> float(eer_from_points(c, jnp.array([0.8, 0.3]), exact=True))
    0.0
    """
    fpr, tpr, _ = roc_from_points(counts, thresholds, exact)
    fnr = 1 - tpr
    index = jnp.argmin(jnp.abs(fpr - fnr), axis=0)
    pick = jnp.take_along_axis(fpr + fnr, index[None], axis=0)[0]
    return pick / 2


def reduce_curve_scores(values: Array, counts: Array, average: str | None) -> Array:
    """Averages per-class scores: `"macro"` mean, `"weighted"` by positives.

    >>> float(reduce_curve_scores(jnp.array([1.0, 0.5]), jnp.ones((4, 3, 2)), "macro"))
    0.75
    """
    check_option("average", average, CURVE_AVERAGES)
    if average in ("none", None) or values.ndim == 0:
        return values
    if average == "weighted":
        tp, _, _, fn = counts
        weight = tp[0] + fn[0]
        return safe_divide(jnp.sum(weight * values), jnp.sum(weight))
    return jnp.mean(values)


def _micro(counts, thresholds, exact, targets_scores_weights=None):
    """Pools every class into one binary problem (sums binned counts)."""
    if not exact:
        return jnp.sum(counts, axis=-1), thresholds
    targets, scores, weights = targets_scores_weights
    return exact_counts(targets.ravel(), scores.ravel(), weights.ravel())


# ---------------------------------------------------------------------------
# value of a family from points (shared by the classes and the functions)

FAMILY_OPTIONS: dict[str, dict[str, Any]] = {
    "roc": {},
    "precision_recall_curve": {},
    "auroc": {"average": "macro", "max_fpr": None},
    "average_precision": {"average": "macro"},
    "logauc": {"fpr_range": (0.001, 0.1), "average": "macro"},
    "eer": {},
    "precision_at_fixed_recall": {"min_recall": inspect.Parameter.empty},
    "recall_at_fixed_precision": {"min_precision": inspect.Parameter.empty},
    "sensitivity_at_specificity": {"min_specificity": inspect.Parameter.empty},
    "specificity_at_sensitivity": {"min_sensitivity": inspect.Parameter.empty},
}
_MINIMUM = {
    "precision_at_fixed_recall": ("min_recall", "precision"),
    "recall_at_fixed_precision": ("min_precision", "recall"),
    "sensitivity_at_specificity": ("min_specificity", "sensitivity"),
    "specificity_at_sensitivity": ("min_sensitivity", "specificity"),
}


def check_family_options(family: str, task: str, options: dict) -> dict:
    """Validates a curve family's value options (static).

    >>> check_family_options("auroc", "multiclass", {"average": "weighted"})
    {'average': 'weighted'}
    """
    options = dict(options)
    if "average" in options:
        if task == "binary":
            options.pop("average")
        else:
            check_option("average", options["average"], CURVE_AVERAGES)
    if options.get("max_fpr") is not None and not 0 < float(options["max_fpr"]) <= 1:
        raise ValueError(
            f"expected `max_fpr` in (0, 1] or None, received {options['max_fpr']!r}"
        )
    if "fpr_range" in options:
        low, high = (float(v) for v in options["fpr_range"])
        if not 0 < low < high <= 1:
            raise ValueError(
                "expected `fpr_range` as (low, high) with 0 < low < high <= 1, "
                f"received {options['fpr_range']!r}"
            )
        options["fpr_range"] = (low, high)
    for key in ("min_recall", "min_precision", "min_specificity", "min_sensitivity"):
        if key in options and not 0 <= float(options[key]) <= 1:
            raise ValueError(f"expected `{key}` in [0, 1], received {options[key]!r}")
    return options


def curve_value(
    family: str,
    counts: Array,
    thresholds: Array,
    *,
    exact: bool,
    options: dict,
    entries=None,
):
    """The value of a curve family from its points.

    Args:
        family: one of `FAMILY_OPTIONS`.
        counts: `(4, P, *K)` points (decreasing thresholds).
        thresholds: `(P,)` or `(P, *K)`.
        exact: whether the points are exact (ROC starts at `(0, 0)`).
        options: the family's options (`average`, `fpr_range`, `min_*`).
        entries: `(targets, scores, weights)` for exact micro averages.

    Returns:
        An array, or a tuple: `(fpr, tpr, thresholds)` (ROC), `(precision,
        recall, thresholds)` (PR curve), `(value, threshold)` (operating
        points).

    >>> c, t = curve_points("binary", jnp.array([1, 0, 1]),
    ...                     jnp.array([0.8, 0.3, 0.4]), thresholds=None)
    >>> float(curve_value("auroc", c, t, exact=True, options={}))
    1.0
    """
    average = options.get("average", "macro")
    multi = counts.ndim == 3
    if (
        multi
        and average == "micro"
        and family in ("auroc", "average_precision", "logauc")
    ):
        counts, thresholds = _micro(counts, thresholds, exact, entries)
        multi = False
    if family == "roc":
        return roc_from_points(counts, thresholds, exact)
    if family == "precision_recall_curve":
        return precision_recall_from_points(counts, thresholds)
    if family == "eer":
        return eer_from_points(counts, thresholds, exact)
    if family in _MINIMUM:
        key = _MINIMUM[family][0]
        value, threshold = operating_point_from_points(
            family, counts, thresholds, float(options[key])
        )
        return value, threshold
    if family == "auroc":
        values = auroc_from_points(counts, thresholds, exact, options.get("max_fpr"))
    elif family == "average_precision":
        values = average_precision_from_points(counts)
    else:
        values = logauc_from_points(
            counts, thresholds, exact, options.get("fpr_range", (0.001, 0.1))
        )
    return reduce_curve_scores(values, counts, average) if multi else values


# ---------------------------------------------------------------------------
# public functional forms, one per (family, task)

TASK_CURVE_OPTIONS = {
    "binary": {"thresholds": None, "from_logits": False, "ignore_index": None},
    "multiclass": {
        "num_classes": inspect.Parameter.empty,
        "thresholds": None,
        "from_logits": False,
        "ignore_index": None,
    },
    "multilabel": {
        "num_labels": inspect.Parameter.empty,
        "thresholds": None,
        "from_logits": False,
        "ignore_index": None,
    },
}
TITLES = {
    "roc": ("ROC curve", "ROC"),
    "precision_recall_curve": ("Precision-recall curve", "PrecisionRecallCurve"),
    "auroc": ("Area under the ROC curve", "AUROC"),
    "average_precision": ("Average precision", "AveragePrecision"),
    "logauc": ("Log-scaled area under the ROC curve", "LogAUC"),
    "eer": ("Equal error rate", "EER"),
    "precision_at_fixed_recall": (
        "Highest precision at a minimum recall",
        "PrecisionAtFixedRecall",
    ),
    "recall_at_fixed_precision": (
        "Highest recall at a minimum precision",
        "RecallAtFixedPrecision",
    ),
    "sensitivity_at_specificity": (
        "Highest sensitivity at a minimum specificity",
        "SensitivityAtSpecificity",
    ),
    "specificity_at_sensitivity": (
        "Highest specificity at a minimum sensitivity",
        "SpecificityAtSensitivity",
    ),
}
ARG_DOCS = {
    "num_classes": "number of classes (scores `(N, ..., C)`, one-vs-rest).",
    "num_labels": "number of labels (the last axis).",
    "thresholds": "`None` (exact, every score), an int `T` (evenly spaced over "
    "[0, 1]) or an ascending list (binned).",
    "from_logits": "apply a sigmoid (softmax for multiclass) to `y_pred` first.",
    "ignore_index": "target value whose entries are ignored.",
    "average": '`"macro"` (default), `"weighted"` (by positives), `"micro"` '
    '(classes pooled) or `"none"`.',
    "fpr_range": "the `(low, high)` false positive rate range.",
    "max_fpr": "if set, the standardized partial area up to this false positive "
    "rate (binary only).",
    "min_recall": "the minimum recall.",
    "min_precision": "the minimum precision.",
    "min_specificity": "the minimum specificity.",
    "min_sensitivity": "the minimum sensitivity.",
    "capacity": "exact mode (`thresholds=None`): number of entries the buffer "
    "holds; `compute` raises `OverflowError` naming it when more arrived.",
}
EXAMPLES = {
    "binary": ("jnp.array([0, 1, 1, 0, 1]), jnp.array([0.2, 0.7, 0.4, 0.6, 0.9])", ""),
    "multiclass": (
        "jnp.array([0, 1, 2, 1]), jnp.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], "
        "[0.1, 0.3, 0.6], [0.5, 0.2, 0.3]])",
        "num_classes=3",
    ),
    "multilabel": (
        "jnp.array([[0, 1], [1, 1], [1, 0]]), "
        "jnp.array([[0.2, 0.7], [0.6, 0.4], [0.8, 0.3]])",
        "num_labels=2",
    ),
}
#: example outputs (checked against scikit-learn in the tests)
EXAMPLE_VALUES: dict[tuple[str, str], str] = {
    ("binary", "roc"): "[(6,), (6,), (6,)]",
    ("binary", "precision_recall_curve"): "[(6,), (6,), (5,)]",
    ("binary", "auroc"): "[0.8333]",
    ("binary", "average_precision"): "[0.9167]",
    ("binary", "logauc"): "[0.6667]",
    ("binary", "eer"): "[0.4167]",
    ("binary", "precision_at_fixed_recall"): "[1.0]",
    ("binary", "recall_at_fixed_precision"): "[1.0]",
    ("binary", "sensitivity_at_specificity"): "[1.0]",
    ("binary", "specificity_at_sensitivity"): "[1.0]",
    ("multiclass", "roc"): "[(5, 3), (5, 3), (5, 3)]",
    ("multiclass", "precision_recall_curve"): "[(5, 3), (5, 3), (4, 3)]",
    ("multiclass", "auroc"): "[0.8333]",
    ("multiclass", "average_precision"): "[0.9167]",
    ("multiclass", "logauc"): "[0.8333]",
    ("multiclass", "eer"): "[0.0, 0.25, 0.0]",
    ("multiclass", "precision_at_fixed_recall"): "[1.0, 1.0, 1.0]",
    ("multiclass", "recall_at_fixed_precision"): "[1.0, 1.0, 1.0]",
    ("multiclass", "sensitivity_at_specificity"): "[1.0, 0.5, 1.0]",
    ("multiclass", "specificity_at_sensitivity"): "[1.0, 1.0, 1.0]",
    ("multilabel", "roc"): "[(4, 2), (4, 2), (4, 2)]",
    ("multilabel", "precision_recall_curve"): "[(4, 2), (4, 2), (3, 2)]",
    ("multilabel", "auroc"): "[1.0]",
    ("multilabel", "average_precision"): "[1.0]",
    ("multilabel", "logauc"): "[1.0]",
    ("multilabel", "eer"): "[0.0, 0.0]",
    ("multilabel", "precision_at_fixed_recall"): "[1.0, 1.0]",
    ("multilabel", "recall_at_fixed_precision"): "[1.0, 1.0]",
    ("multilabel", "sensitivity_at_specificity"): "[1.0, 1.0]",
    ("multilabel", "specificity_at_sensitivity"): "[1.0, 1.0]",
}
FAMILY_EXAMPLE_OPTIONS = {
    "precision_at_fixed_recall": "min_recall=0.5",
    "recall_at_fixed_precision": "min_precision=0.5",
    "sensitivity_at_specificity": "min_specificity=0.5",
    "specificity_at_sensitivity": "min_sensitivity=0.5",
}


def task_family_defaults(task: str, family: str) -> dict:
    """The options (with defaults) of a family's functional form for a task.

    `average` exists for multiclass/multilabel only, `max_fpr` for binary only.

    >>> sorted(task_family_defaults("binary", "auroc"))
    ['from_logits', 'ignore_index', 'max_fpr', 'thresholds']
    """
    defaults = {**TASK_CURVE_OPTIONS[task], **FAMILY_OPTIONS[family]}
    defaults.pop("average" if task == "binary" else "max_fpr", None)
    return defaults


def check_curve_options(task: str, family: str, options: dict) -> dict:
    """Fills defaults and validates a task curve's options.

    >>> check_curve_options("binary", "auroc", {})["thresholds"] is None
    True
    """
    defaults = task_family_defaults(task, family)
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise TypeError(
            f"expected options among {sorted(defaults)}, received {unknown}"
        )
    merged = {**defaults, **options}
    missing = sorted(k for k, v in merged.items() if v is inspect.Parameter.empty)
    if missing:
        raise TypeError(f"expected the option(s) {missing}, received none")
    curve_thresholds(merged["thresholds"])
    return {**merged, **check_family_options(family, task, merged)}


def _entry_options(task: str, options: dict) -> dict:
    keys = ("num_classes", "num_labels", "from_logits", "ignore_index")
    return {k: options[k] for k in keys if k in options}


def function_name(task: str, family: str) -> str:
    """The public functional name of a curve family for a task.

    >>> function_name("multiclass", "auroc")
    'multiclass_auroc'
    """
    return f"{task}_{family}"


def _make_function(task: str, family: str):
    def fn(y_true, y_pred, *, sample_weight=None, **options):
        options = check_curve_options(task, family, options)
        exact = options["thresholds"] is None
        entries = curve_entries(
            task,
            y_true,
            y_pred,
            sample_weight=sample_weight,
            **_entry_options(task, options),
        )
        static = curve_thresholds(options["thresholds"])
        if exact:
            counts, thresholds = exact_counts(*entries)
        else:
            counts = jnp.flip(binned_counts(*entries, static), 1)
            thresholds = jnp.asarray(static[::-1].copy())
        return curve_value(
            family, counts, thresholds, exact=exact, options=options, entries=entries
        )

    defaults = task_family_defaults(task, family)
    params = [
        inspect.Parameter("y_true", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("y_pred", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    ]
    for key, value in {**defaults, "sample_weight": None}.items():
        params.append(
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=value)
        )
    name = function_name(task, family)
    fn.__name__ = fn.__qualname__ = name
    fn.__signature__ = inspect.Signature(params)
    title, cls = TITLES[family]
    args = "\n".join(f"        {k}: {ARG_DOCS[k]}" for k in defaults)
    inputs, option = EXAMPLES[task]
    option = ", ".join(x for x in (option, FAMILY_EXAMPLE_OPTIONS.get(family, "")) if x)
    call = f"jm.functional.{name}(\n    ...     {inputs}"
    call += f", {option})" if option else ")"
    if family in ("roc", "precision_recall_curve"):
        shown = f">>> curve = {call}\n    >>> [c.shape for c in curve]\n    {{value}}"
    elif family in _MINIMUM:
        shown = (
            f">>> value, threshold = {call}\n"
            "    >>> [round(x, 4) for x in jnp.ravel(value).tolist()]\n    {value}"
        )
    else:
        shown = (
            f">>> value = {call}\n"
            "    >>> [round(x, 4) for x in jnp.ravel(value).tolist()]\n    {value}"
        )
    shown = shown.replace("{value}", EXAMPLE_VALUES.get((task, family), "?"))
    torch_name = f"{task.capitalize()}{cls}"
    fn.__doc__ = f"""{title} of {task} scores (torchmetrics' `{torch_name}`).

    Exact (`thresholds=None`, default here) or binned; see the module notes.
    Adds `sample_weight` to torchmetrics' options.

    Args:
        y_true: integer labels.
        y_pred: probabilities or logits.
{args}
        sample_weight: weights of the leading axes of `y_true` (shared rule).

    Returns:
        The value (per class for `average="none"` or curves/operating points).

    >>> import jax_metrics as jm
    {shown}
    """
    return name, fn


for _task in ("binary", "multiclass", "multilabel"):
    for _family in FAMILY_OPTIONS:
        _name, _fn = _make_function(_task, _family)
        globals()[_name] = _fn
        __all__.append(_name)


# ---------------------------------------------------------------------------
# calibration: the reliability curve's bins

CALIBRATION_NORMS = ("l1", "l2", "max")


def calibration_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    n_bins: int = 15,
    num_classes: int | None = None,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(count, confidence sum, accuracy sum)` per bin, `(3, n_bins + 1)`.

    Binary (`num_classes=None`): confidence is the probability, accuracy the
    0/1 label. Multiclass: confidence is the top probability, accuracy whether
    the argmax is the label. Confidence `c` falls in bin `floor(c * n_bins)`
    (the last bucket holds `c == 1`), torchmetrics' bucketing.

    >>> calibration_statistics(jnp.array([1, 0]), jnp.array([0.9, 0.2]),
    ...                        n_bins=2)[0].tolist()
    [1.0, 1.0, 0.0]
    """
    _check_int("n_bins", n_bins, 1)
    if num_classes is None:
        targets, scores, weights = curve_entries(
            "binary",
            y_true,
            y_pred,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        confidence, accuracy = scores, targets
    else:
        targets, scores, weights = curve_entries(
            "multiclass",
            y_true,
            y_pred,
            num_classes=num_classes,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        confidence = jnp.max(scores, axis=-1)
        hit = jnp.take_along_axis(
            targets, jnp.argmax(scores, axis=-1)[:, None], axis=-1
        )[:, 0]
        confidence, accuracy, weights = confidence, hit, weights[:, 0]
    boundaries = jnp.linspace(0, 1, n_bins + 1)
    index = jnp.searchsorted(boundaries, confidence, side="right") - 1
    index = jnp.clip(index, 0, n_bins)
    data = jnp.stack([weights, weights * confidence, weights * accuracy], -1)
    bins = jax.ops.segment_sum(data, index, num_segments=n_bins + 1)
    return bins.T


def calibration_error_value(bins: Array, norm: str = "l1") -> Array:
    """Expected (`"l1"`), root-mean-square (`"l2"`) or maximum (`"max"`) error.

    With per-bin mean confidence `c_b`, accuracy `a_b` and share `p_b`:
    `l1 = sum_b p_b |a_b - c_b|`, `l2 = sqrt(sum_b p_b (a_b - c_b)^2)`,
    `max = max_b |a_b - c_b|` (empty bins count 0).

    >>> bins = jnp.array([[1.0, 1.0], [0.2, 0.9], [0.0, 1.0]])
    >>> round(float(calibration_error_value(bins, "l1")), 4)
    0.15
    """
    check_option("norm", norm, CALIBRATION_NORMS)
    count, confidence, accuracy = bins
    gap = jnp.abs(safe_divide(accuracy, count) - safe_divide(confidence, count))
    share = safe_divide(count, jnp.sum(count))
    if norm == "l1":
        return jnp.sum(gap * share)
    if norm == "max":
        return jnp.max(gap)
    return jnp.sqrt(jnp.sum(gap * gap * share))


def binary_calibration_error(
    y_true: Array,
    y_pred: Array,
    *,
    n_bins: int = 15,
    norm: str = "l1",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Calibration error of binary probabilities (torchmetrics').

    Args:
        y_true: labels in `{0, 1}`.
        y_pred: probabilities (or logits with `from_logits=True`).
        n_bins: number of equal-width confidence bins.
        norm: `"l1"` (expected calibration error), `"l2"` or `"max"`.
        from_logits: apply a sigmoid first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The calibration error.

    >>> round(float(binary_calibration_error(jnp.array([0, 1, 1, 0, 1]),
    ...     jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]), n_bins=2)), 4)
    0.12
    """
    bins = calibration_statistics(
        y_true,
        y_pred,
        n_bins=n_bins,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return calibration_error_value(bins, norm)


def multiclass_calibration_error(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    n_bins: int = 15,
    norm: str = "l1",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Calibration error of the top-class probability (torchmetrics').

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: probabilities `(N, ..., C)` (or logits with `from_logits=True`).
        num_classes: number of classes.
        n_bins: number of equal-width confidence bins.
        norm: `"l1"` (expected calibration error), `"l2"` or `"max"`.
        from_logits: apply a softmax first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The calibration error.

    >>> round(float(multiclass_calibration_error(jnp.array([0, 1, 1]),
    ...     jnp.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]), num_classes=2,
    ...     n_bins=2)), 4)
    0.0333
    """
    bins = calibration_statistics(
        y_true,
        y_pred,
        n_bins=n_bins,
        num_classes=num_classes,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return calibration_error_value(bins, norm)


# ---------------------------------------------------------------------------
# hinge loss (torchmetrics' task hinge, on probabilities or raw scores)

HINGE_MODES = ("crammer-singer", "one-vs-all")


def hinge_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int | None = None,
    squared: bool = False,
    multiclass_mode: str = "crammer-singer",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(loss sum, weight sum)` of the hinge loss, `(2,)` or `(2, C)`.

    The loss sum is per class for `"one-vs-all"`.

    Binary: `max(0, 1 - m)` with margin `m = y_pred` for positives and
    `-y_pred` for negatives. Multiclass Crammer-Singer: `m = s_y - max_{k != y}
    s_k`; one-vs-all: a binary hinge per class. `squared` squares the loss.
    Scores are used as given (`from_logits=True` applies a sigmoid/softmax
    first, which is what torchmetrics does to logits).

    >>> hinge_statistics(jnp.array([1, 0]), jnp.array([0.8, 0.3])).tolist()
    [1.5, 2.0]
    """
    if num_classes is None:
        targets, scores, weights = curve_entries(
            "binary",
            y_true,
            y_pred,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        margin = jnp.where(targets > 0, scores, -scores)
    else:
        check_option("multiclass_mode", multiclass_mode, HINGE_MODES)
        targets, scores, weights = curve_entries(
            "multiclass",
            y_true,
            y_pred,
            num_classes=num_classes,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        if multiclass_mode == "one-vs-all":
            margin = jnp.where(targets > 0, scores, -scores)
        else:
            true_score = jnp.sum(targets * scores, axis=-1)
            other = jnp.max(jnp.where(targets > 0, -jnp.inf, scores), axis=-1)
            margin = true_score - other
            weights = weights[:, 0]
    loss = jnp.maximum(1 - margin, 0.0)
    if squared:
        loss = loss * loss
    total = jnp.sum(weights * loss, axis=0)
    count = jnp.sum(weights, axis=0)
    return jnp.stack([total, count])


def binary_hinge_loss(
    y_true: Array,
    y_pred: Array,
    *,
    squared: bool = False,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Mean (weighted) hinge loss of binary scores (torchmetrics' `BinaryHingeLoss`).

    Args:
        y_true: labels in `{0, 1}`.
        y_pred: probabilities or scores (logits with `from_logits=True`).
        squared: square the per-sample loss.
        from_logits: apply a sigmoid first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The mean loss.

    >>> round(float(binary_hinge_loss(jnp.array([0, 1, 1, 0, 1]),
    ...     jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]))), 4)
    0.76
    """
    total, count = hinge_statistics(
        y_true,
        y_pred,
        squared=squared,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return safe_divide(total, count)


def multiclass_hinge_loss(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    squared: bool = False,
    multiclass_mode: str = "crammer-singer",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Mean (weighted) multiclass hinge loss (torchmetrics' `MulticlassHingeLoss`).

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: scores `(N, ..., C)` (logits with `from_logits=True`).
        num_classes: number of classes.
        squared: square the per-sample loss.
        multiclass_mode: `"crammer-singer"` (scalar) or `"one-vs-all"` (per
            class).
        from_logits: apply a softmax first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The mean loss.

    >>> round(float(multiclass_hinge_loss(jnp.array([0, 1]),
    ...     jnp.array([[0.8, 0.2], [0.6, 0.4]]), num_classes=2)), 4)
    0.8
    """
    total, count = hinge_statistics(
        y_true,
        y_pred,
        num_classes=num_classes,
        squared=squared,
        multiclass_mode=multiclass_mode,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return safe_divide(total, count)


__all__ += [
    "binary_calibration_error",
    "binary_hinge_loss",
    "calibration_error_value",
    "calibration_statistics",
    "hinge_statistics",
    "multiclass_calibration_error",
    "multiclass_hinge_loss",
]
