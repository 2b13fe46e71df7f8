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


#: `average` values of the curves and EER (multiclass; torchmetrics' set)
CURVE_FAMILY_AVERAGES = {
    "roc": (None, "none", "micro", "macro"),
    "eer": (None, "none", "micro", "macro"),
    "precision_recall_curve": (None, "none", "micro"),
}
NO_THRESHOLD = 1e6  # sensitivity/specificity operating points: none qualifies
CURVE_AVERAGES = ("micro", "macro", "weighted", "none", None)

# ---------------------------------------------------------------------------
# values from curve points (axis 0 of each count: decreasing thresholds)


def _trapezoid(x: Array, y: Array) -> Array:
    return jnp.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2, axis=0)


def roc_from_points(counts: Array, thresholds: Array, exact: bool):
    """`(fpr, tpr, thresholds)`, fpr increasing (torchmetrics' ROC).

    The exact curve starts at `(0, 0)` with threshold 1 (torchmetrics' rule),
    so it has one point more than the exact points, and their `-inf` padding
    sits at its end. Rates with a zero denominator (no negatives, no
    positives) are 0.

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

    The final `(1, 0)` point has no threshold, so the curve has one point more
    than its thresholds; exact `-inf` padding points sit at its start.
    Precision at a threshold with no positive prediction is 1; recall with no
    positives is 1 at every threshold (scikit-learn's rule, binned and exact).

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> p, r, t = precision_recall_from_points(c, jnp.array([0.8, 0.3]))
    >>> p.tolist(), r.tolist(), t.tolist()
    ([0.5, 1.0, 1.0], [1.0, 1.0, 0.0], [0.30000001192092896, 0.800000011920929])
    """
    tp, fp, _, fn = counts
    precision = jnp.flip(safe_divide(tp, tp + fp, 1.0), 0)
    recall = jnp.flip(safe_divide(tp, tp + fn, 1.0), 0)
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
    torchmetrics do: `(1 + (A - m^2/2) / (m - m^2/2)) / 2`; where the false or
    the true positive rate is 0 at every point (no negatives or no positives),
    the plain area (0) instead, as torchmetrics and as without `max_fpr`.

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
        standardized = 0.5 * (1 + (area - low) / (max_fpr - low))
        defined = jnp.any(f > 0) & jnp.any(t > 0)
        return jnp.where(defined, standardized, _trapezoid(f, t))

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


def _broadcast_thresholds(thresholds: Array, shape) -> Array:
    extra = (1,) * (len(shape) - thresholds.ndim)
    return jnp.broadcast_to(thresholds.reshape(thresholds.shape + extra), shape)


def _best_precision_recall_point(value, other, thresholds, minimum):
    """The torchmetrics rule: lexicographic max of `(value, other, threshold)`."""
    thresholds = _broadcast_thresholds(thresholds, value.shape)
    feasible = other >= minimum
    best = jnp.max(jnp.where(feasible, value, -1.0), axis=0, keepdims=True)
    tie = feasible & (value == best)
    best_other = jnp.max(jnp.where(tie, other, -1.0), axis=0, keepdims=True)
    tie &= other == best_other
    threshold = jnp.max(jnp.where(tie, thresholds, -jnp.inf), axis=0)
    best = jnp.where(jnp.any(feasible, axis=0), best[0], 0.0)
    return best, jnp.where(best > 0, threshold, jnp.nan).astype(jnp.float32)


def _best_roc_point(value, other, thresholds, minimum):
    """The torchmetrics rule: the first max of `value` in decreasing thresholds."""
    thresholds = _broadcast_thresholds(thresholds, value.shape)
    feasible = other >= minimum
    best = jnp.max(jnp.where(feasible, value, -1.0), axis=0, keepdims=True)
    first = jnp.argmax(feasible & (value == best), axis=0)
    threshold = jnp.take_along_axis(thresholds, first[None], axis=0)[0]
    found = jnp.any(feasible, axis=0)
    return (
        jnp.where(found, best[0], 0.0),
        jnp.where(found, threshold, NO_THRESHOLD).astype(jnp.float32),
    )


def operating_point_from_points(
    family: str, counts: Array, thresholds: Array, minimum: float, exact: bool
) -> tuple[Array, Array]:
    """Best value under a constraint, and its threshold (torchmetrics' rules).

    `family` is `"precision_at_fixed_recall"` (max precision with recall >=
    `minimum`), `"recall_at_fixed_precision"`, `"sensitivity_at_specificity"`
    or `"specificity_at_sensitivity"`. Where no point qualifies the value is 0.

    * precision/recall families: over the points of the precision-recall curve
      that have a threshold (precision 1 where nothing is predicted positive,
      recall 0 where there are no positives); ties go to the higher other
      quantity, then the higher threshold. The threshold is NaN when the value
      is 0 (no point qualifies, or the best qualifying value is 0).
    * sensitivity/specificity families: over the ROC points (the exact curve
      starts at `(0, 0)` with threshold 1); ties go to the highest threshold.
      The threshold is `1e6` only when no point qualifies.

    >>> c = jnp.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    >>> v, t = operating_point_from_points("precision_at_fixed_recall", c,
    ...                                    jnp.array([0.8, 0.3]), 0.5, exact=False)
    >>> float(v), round(float(t), 4)
    (1.0, 0.8)
    """
    if family in ("sensitivity_at_specificity", "specificity_at_sensitivity"):
        fpr, tpr, thresholds = roc_from_points(counts, thresholds, exact)
        specificity = 1 - fpr
        if family == "sensitivity_at_specificity":
            return _best_roc_point(tpr, specificity, thresholds, minimum)
        return _best_roc_point(specificity, tpr, thresholds, minimum)
    tp, fp, _, fn = counts
    precision = safe_divide(tp, tp + fp, 1.0)
    recall = safe_divide(tp, tp + fn)
    if family == "precision_at_fixed_recall":
        return _best_precision_recall_point(precision, recall, thresholds, minimum)
    return _best_precision_recall_point(recall, precision, thresholds, minimum)


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
    return eer_from_rates(fpr, tpr)


def eer_from_rates(fpr: Array, tpr: Array) -> Array:
    """Equal error rate of a ROC curve given by its rates (axis 0: the points).

    >>> float(eer_from_rates(jnp.array([0.0, 0.5, 1.0]), jnp.array([0.0, 0.5, 1.0])))
    0.5
    """
    fnr = 1 - tpr
    index = jnp.argmin(jnp.abs(fpr - fnr), axis=0)
    pick = jnp.take_along_axis(fpr + fnr, index[None], axis=0)[0]
    return pick / 2


def _interpolate(x: Array, xp: Array, fp: Array, distinct: bool) -> Array:
    """Linear interpolation as torchmetrics' `interp` computes it.

    `xp` is non-decreasing; `x` takes the segment that starts at the last
    `xp <= x` (the last segment beyond the end); a segment of zero width has
    slope 0. With `distinct`, a point equal to the next one is left out first
    (exact curves repeat tied and padding points, torchmetrics' do not).
    """
    size = xp.shape[0]
    keep = jnp.ones(size, bool)
    if distinct:
        repeated = (xp[:-1] == xp[1:]) & (fp[:-1] == fp[1:])
        keep = keep.at[:-1].set(~repeated)
    order = jnp.argsort(~keep, stable=True)  # kept points first, in order
    kept = jnp.sum(keep)
    xp = jnp.where(jnp.arange(size) < kept, xp[order], jnp.inf)
    fp = fp[order]
    width = xp[1:] - xp[:-1]
    slope = safe_divide(fp[1:] - fp[:-1], jnp.where(jnp.isfinite(width), width, 0))
    offset = fp[:-1] - slope * jnp.where(jnp.isfinite(xp[:-1]), xp[:-1], 0)
    index = jnp.searchsorted(xp, x, side="right") - 1
    index = jnp.clip(index, 0, jnp.maximum(kept - 2, 0))
    return slope[index] * x + offset[index]


def macro_roc(fpr: Array, tpr: Array, thresholds: Array, exact: bool):
    """Macro-averaged ROC of per-class curves `(P, C)`, torchmetrics' rule.

    The false positive rates of every class, sorted, are the new points; the
    true positive rate there is the mean over classes of each class's curve
    interpolated linearly (`_interpolate`). Thresholds: every class's, sorted
    decreasing.

    >>> f, t, _ = macro_roc(jnp.array([[0.0, 0.0], [1.0, 1.0]]),
    ...                     jnp.array([[0.0, 1.0], [1.0, 1.0]]),
    ...                     jnp.array([1.0, 0.0]), exact=False)
    >>> f.tolist(), t.tolist()
    ([0.0, 0.0, 1.0, 1.0], [0.5, 0.5, 1.0, 1.0])
    """
    classes = fpr.shape[-1]
    mean_fpr = jnp.sort(fpr.ravel())
    per_class = jax.vmap(_interpolate, in_axes=(None, -1, -1, None))(
        mean_fpr, fpr, tpr, exact
    )
    thresholds = jnp.broadcast_to(
        thresholds.reshape(thresholds.shape[0], -1), (fpr.shape[0], classes)
    )
    return mean_fpr, jnp.sum(per_class, 0) / classes, -jnp.sort(-thresholds.ravel())


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
