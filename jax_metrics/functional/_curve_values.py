"""Task curve value kernels: ROC, PR, AUROC, AP, at-X, log-AUC, EER from points.

Every kernel takes the curve points of `_curve_points.py` (counts ordered by
decreasing threshold along axis 0) and is shared by the binned and exact
modes.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.functional._curve_points import exact_counts
from jax_metrics.functional._stat_scores_statistics import (
    check_option,
    safe_divide,
)

__all__: list[str] = []


NO_THRESHOLD = 1e6  # threshold reported when no operating point qualifies
CURVE_AVERAGES = ("micro", "macro", "weighted", "none", None)

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
