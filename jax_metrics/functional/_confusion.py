"""Thresholded confusion statistics: one kernel family for all classification.

Two shared kernels:

* `threshold_confusion_counts`: weighted TP/FP/TN/FN at every threshold (and
  for every class), computed in O(N) whatever the number of thresholds:
  each score is bucketed by the number of thresholds it passes (an arithmetic
  index for evenly spaced thresholds, corrected exactly by one comparison
  with a threshold recomputed bit for bit, or looked up; a static cell table
  plus a few exact comparisons for uneven lists; `searchsorted` for
  clustered or traced thresholds), a histogram of positives and negatives is
  accumulated by scatter-add (integer counts without weights), and
  cumulative sums over the buckets give the counts at every threshold. No
  N x T comparison is ever built.
* `confusion_matrix_counts`: the weighted multi-class confusion matrix.

On top of them, the Keras statistics kernel `keras_confusion_statistics`
(Keras' input rules: rank alignment, `top_k`, `class_id`, `multi_label`,
`label_weights`) and the value kernels (`precision_value`, `recall_value`,
`auc_value`, `max_under_constraint`) used by the metric classes and by the
functional forms (`precision`, `recall`, `auc`, ...).
"""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._reduction import (
    align_sample_weight,
    squeeze_or_expand_to_same_rank,
)

__all__ = [
    "auc",
    "auc_thresholds",
    "auc_value",
    "confusion_matrix_counts",
    "f1_score",
    "false_negatives",
    "false_positives",
    "fbeta_score",
    "fbeta_statistics",
    "fbeta_value",
    "keras_confusion_statistics",
    "max_under_constraint",
    "precision",
    "precision_at_recall",
    "precision_value",
    "recall",
    "recall_at_precision",
    "recall_value",
    "sensitivity_at_specificity",
    "sensitivity_thresholds",
    "specificity_at_sensitivity",
    "threshold_confusion_counts",
    "true_negatives",
    "true_positives",
]

KERAS_EPSILON = 1e-7
NEG_INF = -1e10
CURVES = ("ROC", "PR")
SUMMATION_METHODS = ("interpolation", "minoring", "majoring")
AVERAGES = (None, "micro", "macro", "weighted")


# --------------------------------------------------------------------------
# thresholds
# --------------------------------------------------------------------------
def _static_thresholds(thresholds) -> np.ndarray | None:
    """Thresholds as a float32 NumPy vector, or None when they are traced."""
    if isinstance(thresholds, int | np.integer) and not isinstance(thresholds, bool):
        if thresholds < 1:
            raise ValueError(
                f"expected a number of thresholds >= 1, received {thresholds}"
            )
        if thresholds == 1:
            return np.asarray([0.5], np.float32)
        return (np.arange(thresholds, dtype=np.float64) / (thresholds - 1)).astype(
            np.float32
        )
    if isinstance(thresholds, jax.core.Tracer):
        return None
    values = np.asarray(thresholds, np.float32).reshape(-1)
    if values.size == 0:
        raise ValueError("expected at least one threshold, received none")
    if np.isnan(values).any():
        raise ValueError(f"expected thresholds without NaN, received {values}")
    return values


def _evenly_spaced(sorted_t: np.ndarray) -> tuple[float, float] | None:
    """`(start, step)` of a near-even grid, else None.

    Near-even: every sorted threshold lies within a quarter step of the grid,
    so an arithmetic bucket guess is off by at most one.
    """
    count = sorted_t.size
    if count < 2:
        return None
    start, stop = float(sorted_t[0]), float(sorted_t[-1])
    step = (stop - start) / (count - 1)
    if not step > 0:
        return None
    grid = start + step * np.arange(count, dtype=np.float64)
    if np.max(np.abs(sorted_t.astype(np.float64) - grid)) > step / 4:
        return None
    return start, step


_MAX_PATCHES = 16


def _split_scale(scale: float, bits: int) -> tuple[np.float32, np.float32]:
    """`scale` as `hi + lo`: `hi` keeps `bits` significant bits, `lo` the rest."""
    mantissa, exponent = np.frexp(np.float64(scale))
    hi = np.ldexp(np.floor(np.ldexp(mantissa, bits)), exponent - bits)
    return np.float32(hi), np.float32(np.float64(scale) - hi)


def _grid_formula(sorted_t: np.ndarray):
    """`(offset, hi, lo, patches)`: an exact arithmetic form of the thresholds.

    `t[k] = float32(k + offset) * hi + float32(k + offset) * lo` in float32,
    where the first product is exact (`hi` has few significant bits), so the
    result is the same with or without a fused multiply-add; both forms are
    checked bit for bit against the list here. The few `k` they miss (end
    points such as Keras' `-1e-7`, rare rounding ties) are patched from
    `patches` (`(k, t[k])` pairs, at most `_MAX_PATCHES`). None when no such
    form exists (the fix-up then looks thresholds up).
    """
    count = sorted_t.size
    if count < 3:
        return None
    inner = sorted_t[1:-1].astype(np.float64)
    step = (inner[-1] - inner[0]) / max(inner.size - 1, 1)
    if inner.size < 2 or not step > 0:
        return None
    offset = round(float(inner[0] / step)) - 1
    k = np.arange(count, dtype=np.int64) + offset
    bits = int(np.abs(k).max()).bit_length()
    if bits > 20:
        return None
    for scale in (1.0 / round(1.0 / step), step):
        hi, lo = _split_scale(scale, 24 - bits)
        kf = k.astype(np.float32)
        plain = kf * hi + kf * lo
        fused = (k * np.float64(hi) + k * np.float64(lo)).astype(np.float32)
        miss = np.flatnonzero((plain != sorted_t) | (fused != sorted_t))
        if miss.size <= _MAX_PATCHES:
            return offset, hi, lo, tuple((int(i), sorted_t[i]) for i in miss)
    return None


def _bucket_index(scores: Array, thresholds, inclusive: bool) -> Array:
    """For each score, how many thresholds it passes (`>`, or `>=` if inclusive).

    Thresholds must be sorted ascending. Evenly spaced static thresholds use an
    arithmetic index that is exact or one short, corrected by one comparison
    (with thresholds recomputed arithmetically when an exact float32 formula
    reproduces them, else looked up); other static lists a uniform cell table
    plus at most `_MAX_CELL_STEPS` comparisons; clustered or traced
    thresholds `searchsorted` (O(N log T)). All are exact. NaN scores get an
    arbitrary bucket in `[0, T]` (callers drop them).
    """
    side = "right" if inclusive else "left"
    static = _static_thresholds(thresholds)
    if static is None:
        table = jnp.asarray(thresholds, jnp.float32)
        return jnp.searchsorted(table, scores, side=side).astype(jnp.int32)
    count = static.size
    grid = _evenly_spaced(static)
    if grid is None:
        cells = _cell_table(static)
        if cells is None:
            table = jnp.asarray(static)
            return jnp.searchsorted(table, scores, side=side).astype(jnp.int32)
        return _bucket_by_cells(scores, static, cells, inclusive)
    start, step = grid
    # Every t[k] lies within a quarter step of start + k * step, so all k
    # below position - 1/2 are passed, none above position + 1/2, and the
    # bucket is `guess` or `guess + 1` (margins of a quarter step absorb
    # rounding).
    position = (scores - np.float32(start)) * np.float32(1.0 / step)
    guess = jnp.clip(jnp.ceil(position - 0.5), 0, count).astype(jnp.int32)
    passes = jnp.greater_equal if inclusive else jnp.greater
    formula = _grid_formula(static)
    if formula is None:
        # A 1-D clipped take (XLA:CPU's 2-D gather is several times slower).
        above = jnp.take(jnp.asarray(np.r_[static, static[-1:]]), guess, mode="clip")
    else:
        # The same threshold recomputed bit for bit, without a gather.
        offset, hi, lo, patches = formula
        k = (guess + offset).astype(jnp.float32)
        above = k * hi + k * lo
        for index, value in patches:
            above = jnp.where(guess == index, value, above)
    up = (guess < count) & passes(scores, above)
    return guess + up.astype(jnp.int32)


# Histograms: XLA:CPU runs a scatter-add as one serial loop over its updates.
# Counting (no weights) scatters integer ones; for large batches over few
# bins, entries are paired into one joint index (half the updates; the
# bins^2 joint table is reduced to its two marginals), and large batches are
# split into two independent scatters, which XLA:CPU may run concurrently.
_PAIR_MAX_BINS = 512
_LARGE_BATCH = 1 << 16


def _scatter_count(index: Array, size: int) -> Array:
    return jnp.zeros(size, jnp.int32).at[index].add(1, mode="promise_in_bounds")


def _histogram(segment: Array, weight: Array | None, num_segments: int) -> Array:
    """Float32 `(num_segments,)` sums of `weight` (or counts) per segment id.

    `segment` holds ids in `[0, num_segments]`; id `num_segments` is dropped
    (ignored entries). Counts are exact integers (int32) cast once.
    """
    segment = segment.reshape(-1)
    size = segment.size
    bins = num_segments + 1
    if weight is not None:
        weight = weight.reshape(-1).astype(jnp.float32)
        if size >= _LARGE_BATCH:
            half = size // 2
            totals = jax.ops.segment_sum(
                weight[:half], segment[:half], num_segments=bins
            ) + jax.ops.segment_sum(weight[half:], segment[half:], num_segments=bins)
        else:
            totals = jax.ops.segment_sum(weight, segment, num_segments=bins)
        return totals[:num_segments]
    if size >= _LARGE_BATCH and bins <= _PAIR_MAX_BINS:
        main = size - size % 4
        quads = segment[:main].reshape(-1, 4)
        counts = jnp.zeros(bins, jnp.int32)
        for column in (0, 2):
            joint = _scatter_count(
                quads[:, column] * bins + quads[:, column + 1], bins * bins
            ).reshape(bins, bins)
            counts = counts + jnp.sum(joint, 0) + jnp.sum(joint, 1)
        if main < size:
            counts = counts + _scatter_count(segment[main:], bins)
    elif size >= _LARGE_BATCH:
        half = size // 2
        counts = _scatter_count(segment[:half], bins)
        counts = counts + _scatter_count(segment[half:], bins)
    else:
        counts = _scatter_count(segment, bins)
    return counts[:num_segments].astype(jnp.float32)


_MAX_CELL_STEPS = 6


def _cell_table(sorted_t: np.ndarray):
    """A uniform cell grid over uneven sorted thresholds, or None.

    Returns `(start, inverse_width, first_index, steps)`: for a score in cell
    `c`, `first_index[c]` thresholds are certainly passed and at most `steps`
    more may be; None when some cell window holds more than `_MAX_CELL_STEPS`
    thresholds (clustered thresholds: `searchsorted` is then used).
    """
    count = sorted_t.size
    lo, hi = float(sorted_t[0]), float(sorted_t[-1])
    if count < 2 or not hi > lo:
        return None
    cells = int(min(16 * count, 2**20))
    width = (hi - lo) / cells
    edges = lo + width * np.arange(-2, cells + 2, dtype=np.float64)
    below = np.searchsorted(sorted_t.astype(np.float64), edges, side="left")
    # Scores in computed cell c lie above edge c - 2 and below edge c + 2
    # even if the cell index is off by one from rounding.
    first = below[:cells]
    last = np.r_[below[4 : cells + 3], count]
    steps = int(np.max(last - first))
    if steps > _MAX_CELL_STEPS:
        return None
    return lo, 1.0 / width, first.astype(np.int32), steps


def _bucket_by_cells(scores, sorted_t, cells, inclusive: bool) -> Array:
    """Thresholds passed, from a cell table plus a few exact comparisons."""
    lo, inverse_width, first, steps = cells
    count = sorted_t.size
    position = jnp.floor((scores - np.float32(lo)) * np.float32(inverse_width))
    cell = jnp.clip(jnp.nan_to_num(position), 0, first.size - 1).astype(jnp.int32)
    bucket = jnp.take(jnp.asarray(first), cell, mode="clip")
    table = jnp.asarray(sorted_t)
    passes = jnp.greater_equal if inclusive else jnp.greater
    for _ in range(steps):
        threshold = jnp.take(table, bucket, mode="clip")
        bucket = bucket + ((bucket < count) & passes(scores, threshold)).astype(
            jnp.int32
        )
    return bucket


def threshold_confusion_counts(
    y_true: Array,
    y_pred: Array,
    *,
    thresholds,
    sample_weight: Array | None = None,
    inclusive: bool = False,
) -> tuple[Array, Array, Array, Array]:
    """Weighted TP, FP, TN, FN at every threshold, per class, in O(N).

    An entry is predicted positive at threshold `t` when `y_pred > t` (Keras'
    strict rule) or, with `inclusive=True`, when `y_pred >= t` (torchmetrics'
    rule); it is a true positive when its label is nonzero (Keras casts labels
    to bool). With weights `w`: `tp[t] = sum w [y != 0][p > t]`,
    `fp[t] = sum w [y == 0][p > t]`, `fn = sum w [y != 0] - tp`,
    `tn = sum w [y == 0] - fp` (the last two computed directly, without
    cancellation).

    Cost: each score is bucketed once (arithmetic index with an exact fix-up
    for evenly spaced static thresholds, a static cell table plus a few exact
    comparisons for other lists, `searchsorted` for clustered or traced
    ones), one scatter-add builds a weighted histogram of positives and
    negatives over `(num_thresholds + 1) x classes` buckets, and cumulative
    sums turn it into counts: O(N + T x classes), never an N x T comparison.

    NaN scores are ignored (weight 0). Scores of `+/-inf` pass all/no
    thresholds.

    Args:
        y_true: labels of shape `(N, *class_shape)` (or ranks differing by a
            trailing singleton axis, aligned as Keras does).
        y_pred: scores of shape `(N, *class_shape)`.
        thresholds: a static sequence (any order; results follow its order),
            an int `T` (`T` evenly spaced thresholds `j / (T - 1)` over
            `[0, 1]`; `T = 1` gives the single threshold 0.5), or a traced
            array sorted ascending (bucketed with `searchsorted`).
        sample_weight: optional weights aligned with `y_pred` by the shared
            rule (`(N,)` weights samples, `(N, *class_shape)` entries).
        inclusive: count `y_pred >= threshold` instead of `y_pred > threshold`.

    Returns:
        `(tp, fp, tn, fn)`, each float32 of shape
        `(num_thresholds, *class_shape)`.

    >>> import jax.numpy as jnp
    >>> tp, fp, tn, fn = threshold_confusion_counts(
    ...     jnp.array([0, 1, 1, 0]), jnp.array([0.2, 0.5, 0.9, 0.6]),
    ...     thresholds=[0.0, 0.5, 1.0])
    >>> tp.tolist(), fp.tolist(), tn.tolist(), fn.tolist()
    ([2.0, 1.0, 0.0], [2.0, 1.0, 0.0], [0.0, 1.0, 2.0], [0.0, 1.0, 2.0])
    """
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "expected y_true and y_pred of the same shape, received "
            f"y_true.shape={y_true.shape} and y_pred.shape={y_pred.shape}"
        )
    scores = y_pred.astype(jnp.float32)
    if scores.ndim == 0:
        scores, y_true = scores[None], y_true[None]
    weight = None
    if sample_weight is not None:
        _, weight = align_sample_weight(scores, sample_weight)
        weight = jnp.broadcast_to(weight, scores.shape)

    static = _static_thresholds(thresholds)
    order = None
    if static is not None:
        order = np.argsort(static, kind="stable")
        sorted_thresholds = static[order]
        count = static.size
    else:
        sorted_thresholds = thresholds
        count = jnp.shape(thresholds)[0]
    bucket = _bucket_index(scores, sorted_thresholds, inclusive)

    class_shape = scores.shape[1:]
    classes = int(np.prod(class_shape, dtype=np.int64))
    negative = (y_true == 0).astype(jnp.int32)
    if classes > 1:
        class_index = jnp.arange(classes, dtype=jnp.int32).reshape(class_shape)
        bucket = bucket * classes + class_index[None]
    # One single-channel histogram: segment = (bucket, class, is_negative);
    # NaN scores go to the dropped last segment.
    num_segments = (count + 1) * classes * 2
    segment = jnp.where(jnp.isnan(scores), num_segments, bucket * 2 + negative)
    histogram = _histogram(segment, weight, num_segments)
    histogram = histogram.reshape(count + 1, *class_shape, 2)
    # Bucket k holds scores passing exactly the k lowest thresholds.
    passed = jnp.flip(jnp.cumsum(jnp.flip(histogram[1:], 0), axis=0), 0)
    failed = jnp.cumsum(histogram[:-1], axis=0)
    counts = [passed[..., 0], passed[..., 1], failed[..., 1], failed[..., 0]]
    if order is not None and np.any(order != np.arange(count)):
        inverse = np.argsort(order)
        counts = [c[inverse] for c in counts]
    return tuple(counts)


def confusion_matrix_counts(
    labels: Array,
    predictions: Array,
    *,
    num_classes: int,
    sample_weight: Array | None = None,
) -> Array:
    """The weighted confusion matrix: rows are true classes, columns predicted.

    `cm[i, j] = sum w [label == i][prediction == j]`, computed with one
    scatter-add. Labels and predictions are integer class ids of any (equal)
    shape; float ids are truncated toward zero as Keras casts them. Entries
    whose label or prediction falls outside `[0, num_classes)` are ignored
    (they add nothing), so bad ids never corrupt the matrix.

    Args:
        labels: true class ids.
        predictions: predicted class ids, same shape as `labels` (up to a
            trailing singleton axis).
        num_classes: number of classes (static).
        sample_weight: optional weights aligned with `labels` by the shared
            rule.

    Returns:
        A float32 `(num_classes, num_classes)` matrix.

    >>> import jax.numpy as jnp
    >>> confusion_matrix_counts(jnp.array([0, 1, 1, 5]), jnp.array([0, 0, 1, 1]),
    ...                         num_classes=2).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    if not isinstance(num_classes, int | np.integer) or num_classes < 1:
        raise ValueError(
            f"expected num_classes to be a positive int, received {num_classes!r}"
        )
    labels = jnp.asarray(labels)
    predictions = jnp.asarray(predictions)
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    if labels.shape != predictions.shape:
        raise ValueError(
            "expected labels and predictions of the same shape, received "
            f"{labels.shape} and {predictions.shape}"
        )
    weight = None
    if sample_weight is not None:
        _, weight = align_sample_weight(labels, sample_weight)
        weight = jnp.broadcast_to(weight, labels.shape)

    def ids(x):
        if jnp.issubdtype(x.dtype, jnp.floating):
            finite = jnp.isfinite(x)
            return jnp.where(finite, x, -1).astype(jnp.int32), finite
        return x.astype(jnp.int32), None

    labels, label_ok = ids(labels)
    predictions, prediction_ok = ids(predictions)
    valid = (
        (labels >= 0)
        & (labels < num_classes)
        & (predictions >= 0)
        & (predictions < num_classes)
    )
    for ok in (label_ok, prediction_ok):
        if ok is not None:
            valid = valid & ok
    return class_pair_counts(labels, predictions, valid, weight, num_classes)


def class_pair_counts(
    labels: Array, predictions: Array, valid: Array, weight, num_classes: int
) -> Array:
    """`cm[i, j] = sum w [valid][label == i][prediction == j]` (no checks).

    Internal kernel of the confusion matrices: `labels`/`predictions` are
    int32 ids, in `[0, num_classes)` wherever `valid`; `weight` is None
    (exact integer counts) or float weights of the same shape.
    """
    cells = num_classes * num_classes
    segment = jnp.where(valid, labels * num_classes + predictions, cells)
    return _histogram(segment, weight, cells).reshape(num_classes, num_classes)


# --------------------------------------------------------------------------
# Keras' statistics kernel
# --------------------------------------------------------------------------
def _is_evenly_distributed(thresholds: Sequence[float]) -> bool:
    """Keras' test for its optimised path (which clips scores to [0, 1])."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=KERAS_EPSILON))


def _filter_top_k(scores: Array, k: int) -> Array:
    """Keeps the top-`k` scores of the last axis; others become `NEG_INF`."""
    _, index = jax.lax.top_k(scores, k)
    keep = jnp.sum(jax.nn.one_hot(index, scores.shape[-1], dtype=bool), -2) > 0
    return jnp.where(keep, scores, NEG_INF)


def keras_confusion_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    thresholds: Sequence[float],
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: Array | None = None,
    multi_label: bool = False,
    label_weights: Sequence[float] | None = None,
    clip_scores: bool | None = None,
) -> tuple[Array, Array, Array, Array]:
    """Weighted `(tp, fp, tn, fn)` per threshold by Keras' confusion rules.

    Keras' `update_confusion_matrix_variables`, on the O(N) histogram kernel:
    ranks are aligned, `top_k` keeps the `k` highest scores of the last axis
    (the others never pass a threshold), `class_id` selects one column, then
    every entry is flattened into one binary problem (shape `(T,)`), or with
    `multi_label=True` each column of a rank-2 input is its own problem
    (shape `(T, num_labels)`). `label_weights` multiplies the weights of each
    column (flattened case). An entry is positive at `t` when `y_pred > t`.
    With evenly spaced thresholds Keras clips scores to `[0, 1]` first
    (`clip_scores=None` decides as Keras does).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: static threshold list (any order).
        top_k: keep only the top-k scores of the last axis.
        class_id: restrict to this column of the last axis.
        sample_weight: optional weights (shared rule).
        multi_label: keep the label axis of rank-2 inputs.
        label_weights: per-column weights (flattened case).
        clip_scores: clip scores to `[0, 1]`; default: Keras' choice.

    Returns:
        `(tp, fp, tn, fn)` float32 arrays of shape `(T,)` or `(T, labels)`.

    >>> import jax.numpy as jnp
    >>> tp, fp, tn, fn = keras_confusion_statistics(
    ...     jnp.array([1, 0, 1]), jnp.array([0.7, 0.6, 0.2]), thresholds=[0.5])
    >>> tp.tolist(), fp.tolist(), tn.tolist(), fn.tolist()
    ([1.0], [1.0], [0.0], [1.0])
    """
    y_pred = jnp.asarray(y_pred).astype(jnp.float32)
    y_true = jnp.asarray(y_true).astype(jnp.float32)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "expected y_true and y_pred of the same shape, received "
            f"y_true.shape={y_true.shape} and y_pred.shape={y_pred.shape}"
        )
    weight = None  # no weights: plain (integer) counting
    if sample_weight is not None:
        _, weight = align_sample_weight(y_pred, sample_weight)
        weight = jnp.broadcast_to(weight, y_pred.shape)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2:
            raise ValueError(
                "expected y_pred of shape (num_samples, num_classes) with "
                f"class_id, received shape {y_pred.shape}"
            )
        if not 0 <= class_id < y_pred.shape[-1]:
            raise ValueError(
                f"expected class_id in [0, {y_pred.shape[-1]}), received {class_id}"
            )
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
        if weight is not None:
            weight = weight[..., class_id, None]
    if label_weights is not None and not multi_label:
        label_weights = jnp.broadcast_to(
            jnp.asarray(label_weights, jnp.float32), y_pred.shape
        )
        weight = label_weights if weight is None else weight * label_weights
    if clip_scores is None:
        clip_scores = _is_evenly_distributed(list(thresholds))
    if clip_scores:
        y_pred = jnp.clip(y_pred, 0.0, 1.0)
    if multi_label:
        if y_pred.ndim != 2:
            raise ValueError(
                "expected y_pred of rank 2 with multi_label=True, received "
                f"shape {y_pred.shape}"
            )
    else:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
        weight = None if weight is None else weight.reshape(-1)
    return threshold_confusion_counts(
        y_true, y_pred, thresholds=thresholds, sample_weight=weight
    )


# --------------------------------------------------------------------------
# value kernels
# --------------------------------------------------------------------------
def precision_value(true_positives: Array, false_positives: Array) -> Array:
    """`tp / (tp + fp)`, 0 where nothing was predicted positive.

    >>> float(precision_value(jnp.array(3.0), jnp.array(1.0)))
    0.75
    """
    return divide_no_nan(true_positives, true_positives + false_positives)


def recall_value(true_positives: Array, false_negatives: Array) -> Array:
    """`tp / (tp + fn)`, 0 where there was no positive.

    >>> float(recall_value(jnp.array(1.0), jnp.array(3.0)))
    0.25
    """
    return divide_no_nan(true_positives, true_positives + false_negatives)


def max_under_constraint(constrained: Array, dependent: Array, value: float) -> Array:
    """`max(dependent[t] where constrained[t] >= value)`, 0 if none (Keras).

    >>> float(max_under_constraint(jnp.array([1.0, 0.5, 0.2]),
    ...                            jnp.array([0.1, 0.6, 0.9]), 0.5))
    0.6
    """
    feasible = constrained >= value
    return jnp.max(jnp.where(feasible, dependent, 0.0), initial=0.0)


def _label_mean(by_label: Array, label_weights) -> Array:
    if label_weights is None:
        return jnp.mean(by_label)
    label_weights = jnp.asarray(label_weights, jnp.float32)
    return divide_no_nan(jnp.sum(by_label * label_weights), jnp.sum(label_weights))


def auc_value(
    true_positives: Array,
    false_positives: Array,
    true_negatives: Array,
    false_negatives: Array,
    *,
    curve: str = "ROC",
    summation_method: str = "interpolation",
    multi_label: bool = False,
    label_weights: Sequence[float] | None = None,
) -> Array:
    """Area under the ROC or PR curve from per-threshold counts (Keras' rule).

    A Riemann sum over consecutive thresholds of `(x[i] - x[i+1]) * h[i]`
    with `x`, `y` = (FPR, recall) for ROC or (recall, precision) for PR, and
    `h` their mean (`interpolation`), minimum (`minoring`) or maximum
    (`majoring`). PR with `interpolation` integrates precision exactly between
    thresholds assuming TP and FP vary linearly (Davis & Goadrich 2006):
    `sum slope * (dtp + intercept * log(p[i] / p[i+1])) / (tp[i+1] + fn[i+1])`.
    Multi-label counts `(T, L)` give one area per label, averaged (weighted
    by `label_weights` if given). Empty counts give 0.

    Args:
        true_positives: counts of shape `(T,)` or `(T, L)`.
        false_positives: same shape.
        true_negatives: same shape.
        false_negatives: same shape.
        curve: `"ROC"` or `"PR"`.
        summation_method: `"interpolation"`, `"minoring"` or `"majoring"`.
        multi_label: counts carry a label axis to average over.
        label_weights: optional per-label weights of the average.

    Returns:
        The area, a float32 scalar.

    >>> tp = jnp.array([2.0, 1.0, 0.0]); fp = jnp.array([2.0, 0.0, 0.0])
    >>> round(float(auc_value(tp, fp, 2.0 - fp, 2.0 - tp)), 4)
    0.75
    """
    tp, fp, tn, fn = true_positives, false_positives, true_negatives, false_negatives
    if curve == "PR" and summation_method == "interpolation":
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, jnp.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = jnp.where(
            (p[:-1] > 0) & (p[1:] > 0),
            divide_no_nan(p[:-1], jnp.maximum(p[1:], 0)),
            jnp.ones_like(p[1:]),
        )
        terms = divide_no_nan(
            slope * (dtp + intercept * jnp.log(ratio)),
            jnp.maximum(tp[1:] + fn[1:], 0),
        )
    else:
        recall = recall_value(tp, fn)
        if curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, precision_value(tp, fp)
        if summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif summation_method == "minoring":
            heights = jnp.minimum(y[:-1], y[1:])
        else:
            heights = jnp.maximum(y[:-1], y[1:])
        terms = (x[:-1] - x[1:]) * heights
    if multi_label:
        return _label_mean(jnp.sum(terms, axis=0), label_weights)
    return jnp.sum(terms)


def auc_thresholds(
    num_thresholds: int = 200, thresholds: Sequence[float] | None = None
) -> tuple[tuple[float, ...], bool]:
    """Keras AUC's thresholds and whether they are evenly distributed.

    `num_thresholds` evenly spaced over `[0, 1]` with the end points moved by
    `epsilon` outwards (so scores of exactly 0 and 1 are counted), or the
    sorted `thresholds` framed by `-epsilon` and `1 + epsilon`.

    >>> auc_thresholds(3)[0]
    (-1e-07, 0.5, 1.0000001)
    """
    if thresholds is not None:
        inner = sorted(float(t) for t in thresholds)
        evenly = _is_evenly_distributed([0.0, *inner, 1.0])
    else:
        if not isinstance(num_thresholds, int | np.integer) or num_thresholds <= 1:
            raise ValueError(
                "expected num_thresholds to be an integer > 1, received "
                f"num_thresholds={num_thresholds!r}"
            )
        inner = [
            (i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)
        ]
        evenly = True
    return (0.0 - KERAS_EPSILON, *inner, 1.0 + KERAS_EPSILON), evenly


def sensitivity_thresholds(num_thresholds: int = 200) -> tuple[float, ...]:
    """Keras' thresholds for the at-fixed-value metrics (`[0.5]` when 1).

    >>> sensitivity_thresholds(3)
    (0.0, 0.5, 1.0)
    """
    if not isinstance(num_thresholds, int | np.integer) or num_thresholds <= 0:
        raise ValueError(
            "expected num_thresholds to be an integer > 0, received "
            f"num_thresholds={num_thresholds!r}"
        )
    if num_thresholds == 1:
        return (0.5,)
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return (0.0, *inner, 1.0)


def parse_thresholds(thresholds, default: float = 0.5) -> tuple[float, ...]:
    """Keras' threshold option: a float or a list, each in `[0, 1]`."""
    if thresholds is None:
        return (default,)
    values = (
        list(np.asarray(thresholds, np.float64).reshape(-1))
        if not isinstance(thresholds, int | float)
        else [thresholds]
    )
    bad = [t for t in values if t is None or not 0 <= t <= 1]
    if bad or not values:
        raise ValueError(
            f"expected thresholds in [0, 1], received thresholds={thresholds!r}"
        )
    return tuple(float(t) for t in values)


def _squeeze_single(values: Array, thresholds) -> Array:
    return values[0] if len(thresholds) == 1 else values


# --------------------------------------------------------------------------
# functional forms
# --------------------------------------------------------------------------
def _count(index: int, y_true, y_pred, thresholds, sample_weight) -> Array:
    thresholds = parse_thresholds(thresholds)
    counts = keras_confusion_statistics(
        y_true, y_pred, thresholds=thresholds, sample_weight=sample_weight
    )
    return _squeeze_single(counts[index], thresholds)


def true_positives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of positives with `y_pred > threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(true_positives(jnp.array([0, 1, 1]), jnp.array([0.9, 0.8, 0.1])))
    1.0
    """
    return _count(0, y_true, y_pred, thresholds, sample_weight)


def false_positives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of negatives with `y_pred > threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(false_positives(jnp.array([0, 1, 1]), jnp.array([0.9, 0.8, 0.1])))
    1.0
    """
    return _count(1, y_true, y_pred, thresholds, sample_weight)


def true_negatives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of negatives with `y_pred <= threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(true_negatives(jnp.array([0, 0, 1]), jnp.array([0.9, 0.2, 0.1])))
    1.0
    """
    return _count(2, y_true, y_pred, thresholds, sample_weight)


def false_negatives(y_true, y_pred, *, thresholds=None, sample_weight=None) -> Array:
    """Weighted count of positives with `y_pred <= threshold` (Keras).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list of floats in `[0, 1]` (default 0.5).
        sample_weight: optional weights.

    Returns:
        A scalar, or one count per threshold.

    >>> float(false_negatives(jnp.array([0, 1, 1]), jnp.array([0.9, 0.8, 0.1])))
    1.0
    """
    return _count(3, y_true, y_pred, thresholds, sample_weight)


def _precision_recall_thresholds(thresholds, top_k):
    return parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)


def precision(
    y_true, y_pred, *, thresholds=None, top_k=None, class_id=None, sample_weight=None
) -> Array:
    """Keras' precision, `tp / (tp + fp)` at each threshold (0 when undefined).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list in `[0, 1]` (default 0.5; with `top_k`,
            every top-k entry counts as predicted positive).
        top_k: only the `k` highest scores of the last axis can be positive.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A scalar, or one value per threshold.

    >>> y_true, y_pred = jnp.array([0, 1, 1, 1]), jnp.array([1.0, 0.0, 1.0, 1.0])
    >>> round(float(precision(y_true, y_pred)), 4)
    0.6667
    """
    thresholds = _precision_recall_thresholds(thresholds, top_k)
    tp, fp, _, _ = keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=thresholds,
        top_k=top_k,
        class_id=class_id,
        sample_weight=sample_weight,
    )
    return _squeeze_single(precision_value(tp, fp), thresholds)


def recall(
    y_true, y_pred, *, thresholds=None, top_k=None, class_id=None, sample_weight=None
) -> Array:
    """Keras' recall, `tp / (tp + fn)` at each threshold (0 when undefined).

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores.
        thresholds: a float or list in `[0, 1]` (default 0.5; with `top_k`,
            every top-k entry counts as predicted positive).
        top_k: only the `k` highest scores of the last axis can be positive.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A scalar, or one value per threshold.

    >>> y_true, y_pred = jnp.array([0, 1, 1, 1]), jnp.array([1.0, 0.0, 1.0, 1.0])
    >>> round(float(recall(y_true, y_pred)), 4)
    0.6667
    """
    thresholds = _precision_recall_thresholds(thresholds, top_k)
    tp, _, _, fn = keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=thresholds,
        top_k=top_k,
        class_id=class_id,
        sample_weight=sample_weight,
    )
    return _squeeze_single(recall_value(tp, fn), thresholds)


def validate_auc_options(curve: str, summation_method: str) -> tuple[str, str]:
    """Normalises Keras' `curve` and `summation_method` spellings."""
    curve_name = str(curve).upper()
    if curve_name not in CURVES:
        raise ValueError(f"expected curve in {CURVES}, received curve={curve!r}")
    method = str(summation_method).lower()
    if method not in SUMMATION_METHODS:
        raise ValueError(
            f"expected summation_method in {SUMMATION_METHODS}, received "
            f"summation_method={summation_method!r}"
        )
    return curve_name, method


def auc(
    y_true,
    y_pred,
    *,
    num_thresholds: int = 200,
    curve: str = "ROC",
    summation_method: str = "interpolation",
    thresholds: Sequence[float] | None = None,
    multi_label: bool = False,
    label_weights: Sequence[float] | None = None,
    from_logits: bool = False,
    sample_weight=None,
) -> Array:
    """Keras' binned area under the ROC or PR curve of one batch.

    See `jax_metrics.metrics.AUC` for the options and `auc_value` for the
    summation.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]` (or logits with `from_logits=True`).
        num_thresholds: number of evenly spaced thresholds.
        curve: `"ROC"` or `"PR"`.
        summation_method: `"interpolation"`, `"minoring"` or `"majoring"`.
        thresholds: explicit thresholds in place of `num_thresholds`.
        multi_label: one curve per column of rank-2 inputs, averaged.
        label_weights: per-label weights.
        from_logits: apply a sigmoid to `y_pred` first.
        sample_weight: optional weights.

    Returns:
        The area, a float32 scalar.

    >>> round(float(auc(jnp.array([0, 0, 1, 1]), jnp.array([0.0, 0.5, 0.3, 0.9]))), 4)
    0.75
    """
    curve, summation_method = validate_auc_options(curve, summation_method)
    grid, evenly = auc_thresholds(num_thresholds, thresholds)
    y_pred = jnp.asarray(y_pred)
    if from_logits:
        y_pred = jax.nn.sigmoid(y_pred.astype(jnp.float32))
    counts = keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=grid,
        sample_weight=sample_weight,
        multi_label=multi_label,
        label_weights=None if multi_label else label_weights,
        clip_scores=evenly,
    )
    return auc_value(
        *counts,
        curve=curve,
        summation_method=summation_method,
        multi_label=multi_label,
        label_weights=label_weights,
    )


def _at_constraint(y_true, y_pred, num_thresholds, class_id, sample_weight):
    grid = sensitivity_thresholds(num_thresholds)
    return keras_confusion_statistics(
        y_true,
        y_pred,
        thresholds=grid,
        class_id=class_id,
        sample_weight=sample_weight,
        clip_scores=num_thresholds > 1,
    )


def sensitivity_at_specificity(
    y_true,
    y_pred,
    *,
    specificity: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best sensitivity (recall) among thresholds with specificity >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        specificity: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> float(sensitivity_at_specificity(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), specificity=0.5))
    1.0
    """
    tp, fp, tn, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(
        divide_no_nan(tn, tn + fp), recall_value(tp, fn), specificity
    )


def specificity_at_sensitivity(
    y_true,
    y_pred,
    *,
    sensitivity: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best specificity among thresholds with sensitivity >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        sensitivity: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> float(specificity_at_sensitivity(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), sensitivity=1.0))
    0.5
    """
    tp, fp, tn, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(
        recall_value(tp, fn), divide_no_nan(tn, tn + fp), sensitivity
    )


def precision_at_recall(
    y_true,
    y_pred,
    *,
    recall: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best precision among thresholds with recall >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        recall: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> round(float(precision_at_recall(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), recall=1.0)), 4)
    0.6667
    """
    tp, fp, _, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(recall_value(tp, fn), precision_value(tp, fp), recall)


def recall_at_precision(
    y_true,
    y_pred,
    *,
    precision: float,
    num_thresholds: int = 200,
    class_id: int | None = None,
    sample_weight=None,
) -> Array:
    """Best recall among thresholds with precision >= target.

    Args:
        y_true: labels (nonzero is positive).
        y_pred: scores in `[0, 1]`.
        precision: the target in `[0, 1]`.
        num_thresholds: number of evenly spaced thresholds.
        class_id: restrict to one column of the last axis.
        sample_weight: optional weights.

    Returns:
        A float32 scalar (0 when no threshold meets the target).

    >>> float(recall_at_precision(jnp.array([0, 0, 1, 1]),
    ...     jnp.array([0.1, 0.6, 0.4, 0.9]), precision=1.0))
    0.5
    """
    tp, fp, _, fn = _at_constraint(
        y_true, y_pred, num_thresholds, class_id, sample_weight
    )
    return max_under_constraint(
        precision_value(tp, fp), recall_value(tp, fn), precision
    )


# --------------------------------------------------------------------------
# F-beta (Keras' FBetaScore / F1Score)
# --------------------------------------------------------------------------
def validate_fbeta_options(average, beta, threshold) -> None:
    """Keras' checks of `average`, `beta` and `threshold`."""
    if average not in AVERAGES:
        raise ValueError(
            f"expected average in {AVERAGES}, received average={average!r}"
        )
    if isinstance(beta, bool) or not isinstance(beta, int | float) or beta <= 0:
        raise ValueError(f"expected beta to be a float > 0, received beta={beta!r}")
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 < threshold <= 1
    ):
        raise ValueError(
            f"expected threshold in (0, 1], received threshold={threshold!r}"
        )


def fbeta_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    average: str | None = None,
    threshold: float | None = None,
    num_classes: int | None = None,
    sample_weight: Array | None = None,
) -> tuple[Array, Array, Array, Array]:
    """Weighted `(tp, fp, fn, support)` per class (summed for `micro`).

    `y_pred` is `(N, C)` scores; an entry is predicted positive when
    `y_pred > threshold`, or, with `threshold=None`, when it is its row's
    maximum and nonzero (Keras). `y_true` is `(N, C)` (multi-)hot labels or,
    unlike Keras, `(N,)` integer class ids (one-hot encoded; ids outside
    `[0, C)` are ignored, weight 0). `support` is the weighted label count.

    Args:
        y_true: `(N, C)` labels or `(N,)` class ids.
        y_pred: `(N, C)` scores.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.
        threshold: decision threshold, or `None` for the row maximum.
        num_classes: expected `C` (checked against `y_pred`).
        sample_weight: optional `(N,)` (or `(N, C)`) weights.

    Returns:
        Four float32 arrays of shape `(C,)` (`()` for `micro`).

    >>> tp, fp, fn, support = fbeta_statistics(
    ...     jnp.array([0, 1, 1]), jnp.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]]))
    >>> tp.tolist(), fp.tolist(), fn.tolist(), support.tolist()
    ([1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 2.0])
    """
    y_pred = jnp.asarray(y_pred).astype(jnp.float32)
    y_true = jnp.asarray(y_true)
    if y_pred.ndim != 2:
        raise ValueError(
            "expected y_pred of shape (batch_size, num_classes), received "
            f"shape {y_pred.shape}"
        )
    classes = y_pred.shape[-1]
    if num_classes is not None and num_classes != classes:
        raise ValueError(
            f"expected y_pred with num_classes={num_classes} columns, received "
            f"shape {y_pred.shape}"
        )
    valid = jnp.ones(y_pred.shape[:1], jnp.float32)
    if y_true.ndim == 1 and classes == 1:
        y_true = y_true[:, None]  # binary labels for a single score column
    if y_true.ndim == 1 or (y_true.ndim == 2 and y_true.shape[-1] == 1 < classes):
        ids = y_true.reshape(-1)
        if jnp.issubdtype(ids.dtype, jnp.floating):
            ids = jnp.where(jnp.isfinite(ids), ids, -1)
        ids = ids.astype(jnp.int32)
        valid = ((ids >= 0) & (ids < classes)).astype(jnp.float32)
        y_true = jax.nn.one_hot(ids, classes, dtype=jnp.float32)
    y_true = y_true.astype(jnp.float32)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "expected y_true of shape (batch_size, num_classes) or (batch_size,), "
            f"received y_true.shape={y_true.shape} and y_pred.shape={y_pred.shape}"
        )
    if threshold is None:
        top = jnp.max(y_pred, axis=-1, keepdims=True)
        predicted = (y_pred >= top) & (jnp.abs(y_pred) > 1e-9)
    else:
        predicted = y_pred > threshold
    predicted = predicted.astype(jnp.float32)
    weight = valid[:, None]
    if sample_weight is not None:
        _, sample_weight = align_sample_weight(y_pred, sample_weight)
        weight = weight * sample_weight
    axis = None if average == "micro" else 0

    def total(values):
        return jnp.sum(values * weight, axis=axis)

    return (
        total(predicted * y_true),
        total(predicted * (1 - y_true)),
        total((1 - predicted) * y_true),
        total(y_true),
    )


def fbeta_value(
    true_positives: Array,
    false_positives: Array,
    false_negatives: Array,
    support: Array,
    *,
    beta: float = 1.0,
    average: str | None = None,
) -> Array:
    """Keras' F-beta from its statistics (epsilon-smoothed, never NaN).

    `p = tp / (tp + fp + eps)`, `r = tp / (tp + fn + eps)`,
    `f = (1 + beta^2) p r / (beta^2 p + r + eps)` per class; `macro` takes
    the mean, `weighted` the support-weighted mean, `micro` uses summed
    counts, `None` returns the per-class vector. `eps = 1e-7`.

    Args:
        true_positives: per-class (or summed) counts.
        false_positives: same shape.
        false_negatives: same shape.
        support: weighted label count, same shape.
        beta: weight of recall relative to precision.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.

    Returns:
        A float32 scalar or per-class vector.

    >>> round(float(fbeta_value(jnp.array(2.0), jnp.array(1.0), jnp.array(1.0),
    ...                         jnp.array(3.0), average="micro")), 4)
    0.6667
    """
    tp = true_positives
    eps = KERAS_EPSILON
    precision_ = tp / (tp + false_positives + eps)
    recall_ = tp / (tp + false_negatives + eps)
    beta2 = beta**2
    score = (1 + beta2) * (precision_ * recall_) / (beta2 * precision_ + recall_ + eps)
    if average == "weighted":
        return jnp.sum(score * support / (jnp.sum(support) + eps))
    if average is not None:
        return jnp.mean(score)
    return score


def fbeta_score(
    y_true: Array,
    y_pred: Array,
    *,
    average: str | None = None,
    beta: float = 1.0,
    threshold: float | None = None,
    num_classes: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' F-beta score of one batch (see `fbeta_statistics`/`fbeta_value`).

    Args:
        y_true: `(N, C)` labels or `(N,)` class ids.
        y_pred: `(N, C)` scores.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.
        beta: weight of recall relative to precision.
        threshold: decision threshold, or `None` for the row maximum.
        num_classes: expected number of classes.
        sample_weight: optional weights.

    Returns:
        A float32 scalar, or per-class scores for `average=None`.

    >>> y_pred = jnp.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
    >>> round(float(fbeta_score(jnp.array([0, 1, 1]), y_pred, average="micro",
    ...                         beta=2.0)), 4)
    0.6667
    """
    validate_fbeta_options(average, beta, threshold)
    statistics = fbeta_statistics(
        y_true,
        y_pred,
        average=average,
        threshold=threshold,
        num_classes=num_classes,
        sample_weight=sample_weight,
    )
    return fbeta_value(*statistics, beta=beta, average=average)


def f1_score(
    y_true: Array,
    y_pred: Array,
    *,
    average: str | None = None,
    threshold: float | None = None,
    num_classes: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Keras' F1 score of one batch: `fbeta_score` with `beta=1`.

    Args:
        y_true: `(N, C)` labels or `(N,)` class ids.
        y_pred: `(N, C)` scores.
        average: `None`, `"micro"`, `"macro"` or `"weighted"`.
        threshold: decision threshold, or `None` for the row maximum.
        num_classes: expected number of classes.
        sample_weight: optional weights.

    Returns:
        A float32 scalar, or per-class scores for `average=None`.

    >>> y_pred = jnp.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
    >>> [round(x, 4) for x in f1_score(jnp.array([0, 1, 1]), y_pred).tolist()]
    [0.6667, 0.6667]
    """
    return fbeta_score(
        y_true,
        y_pred,
        average=average,
        beta=1.0,
        threshold=threshold,
        num_classes=num_classes,
        sample_weight=sample_weight,
    )
