"""Thresholded confusion counts: the O(N) counting core of classification.

Shared kernels:

* `threshold_histogram` (batch -> statistics): each score is bucketed by the
  number of thresholds it passes (`_threshold_buckets.py`, O(N) whatever the
  number of thresholds) and a histogram of positives and negatives over the
  buckets is accumulated by scatter-add (integer counts without weights).
  Metric states keep this histogram: it adds across batches and devices.
* `histogram_confusion_counts` (statistics -> counts): cumulative sums over
  the buckets give TP/FP/TN/FN at every threshold (compensated for an
  accumulated state). `threshold_confusion_counts` is the two in one call.
  No N x T comparison is ever built (at most 4 thresholds are compared
  directly).
* `confusion_matrix_counts`: the weighted multi-class confusion matrix.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array, lax

from jax_metrics._checks import check_scores, value_check
from jax_metrics._chunking import tracing_chunks
from jax_metrics._numerics import accumulator_value, cumulative_accumulator
from jax_metrics.functional._reduction import (
    align_sample_weight,
    squeeze_or_expand_to_same_rank,
)
from jax_metrics.functional._threshold_buckets import (
    GridPlan,
    bucket_index,
    grid_plan,
    static_thresholds,
)

__all__ = [
    "confusion_matrix_counts",
    "histogram_confusion_counts",
    "threshold_confusion_counts",
    "threshold_histogram",
]


# Histograms: XLA:CPU runs a scatter-add as one serial loop over its updates.
# Counting (no weights) scatters integer ones. Large batches are split into
# two halves, each bucketed by its own fusion and scattered on its own, so
# XLA:CPU overlaps one half's scatter with the other's bucketing (25-35%
# faster on 2 cores, also inside a chunked update, `_chunking.in_row_chunks`).
# Unweighted large batches over few bins outside a chunked update instead
# pair entries into one joint id (half the updates; the bins^2 joint table is
# reduced to its two marginals): inside the chunk loop, where the joint table
# is cleared and reduced on every pass, that measured 2x slower.
_PAIR_MAX_BINS = 512
# Over few bins, consecutive updates often add to the same one and each waits
# for the last; `_LANES` interleaved copies of the table break that chain.
_LANE_MAX_BINS = 64
_LANES = 4
_LARGE_BATCH = 1 << 16


def _scatter_add(size: int, index: Array, updates: Array, width: int = 0) -> Array:
    """`zeros(size).at[index].add(updates)` for in-bounds ids, as one scatter.

    With `width`, each update is a row of `width` values added to row
    `index` of a `(size, width)` table. `lax.scatter_add` directly: `.at[]`
    adds a wrap-around of negative ids, which XLA:CPU computes inside its
    serial scatter loop.
    """
    numbers = lax.ScatterDimensionNumbers(
        update_window_dims=(1,) if width else (),
        inserted_window_dims=(0,),
        scatter_dims_to_operand_dims=(0,),
    )
    shape = (size, width) if width else (size,)
    return lax.scatter_add(
        jnp.zeros(shape, updates.dtype),
        index.reshape(-1, 1),
        updates.reshape(-1, *shape[1:]),
        numbers,
        mode=lax.GatherScatterMode.PROMISE_IN_BOUNDS,
    )


def _scatter_count(index: Array, size: int) -> Array:
    return _scatter_add(size, index, jnp.ones(index.shape, jnp.int32))


def _histogram(segment: Array, weight: Array | None, num_segments: int) -> Array:
    """Float32 `(num_segments,)` sums of `weight` (or counts) per segment id.

    `segment` holds ids in `[0, num_segments]`; id `num_segments` is dropped
    (ignored entries). Counts are exact integers (int32) cast once.
    """
    segment = segment.reshape(-1)
    size = segment.size
    bins = num_segments + 1
    large = size >= _LARGE_BATCH
    if weight is None and large and bins <= _PAIR_MAX_BINS and not tracing_chunks():
        return _paired_counts(segment, bins)[:num_segments].astype(jnp.float32)
    if weight is None:
        updates = jnp.ones(size, jnp.int32)
    else:
        updates = weight.reshape(-1).astype(jnp.float32)
    lanes = _LANES if large and bins <= _LANE_MAX_BINS else 1
    if lanes > 1:
        segment = segment + jnp.arange(size, dtype=jnp.int32) % lanes * bins
    if large:
        half = size // 2
        totals = _scatter_add(bins * lanes, segment[:half], updates[:half])
        totals = totals + _scatter_add(bins * lanes, segment[half:], updates[half:])
    else:
        totals = _scatter_add(bins, segment, updates)
    if lanes > 1:
        totals = totals.reshape(lanes, bins).sum(0)
    return totals[:num_segments].astype(jnp.float32)


def _paired_counts(segment: Array, bins: int) -> Array:
    """Int32 counts per id of a large batch, entries paired into joint ids."""
    size = segment.size
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
    return counts


def threshold_histogram(
    y_true: Array,
    y_pred: Array,
    *,
    thresholds,
    sample_weight: Array | None = None,
    inclusive: bool = False,
) -> Array:
    """Weighted histogram of positives and negatives over threshold buckets.

    The sufficient statistics of every thresholded count, in O(N) whatever
    the number of thresholds: bucket `k` holds the entries that pass exactly
    the `k` lowest thresholds (`y_pred > t`, or `>=` with `inclusive=True`),
    split by label (nonzero is positive). Histograms of batches add; turn one
    (or an accumulated one) into counts with `histogram_confusion_counts`.

    Each score is bucketed once (an arithmetic index with an exact fix-up for
    evenly spaced static thresholds, a static cell table plus a few exact
    comparisons for other lists, `searchsorted` for clustered or traced
    ones) and one scatter-add (integer counts without weights) fills the
    `(T + 1) x classes x 2` bins: never an N x T comparison. NaN scores are
    ignored; `+/-inf` pass all/no thresholds.

    Args:
        y_true: labels of shape `(N, *class_shape)` (or ranks differing by a
            trailing singleton axis, aligned as Keras does).
        y_pred: scores of shape `(N, *class_shape)`.
        thresholds: a static sequence (any order), an int `T` (`T` evenly
            spaced thresholds `j / (T - 1)` over `[0, 1]`; `T = 1` gives the
            single threshold 0.5), or a traced array sorted ascending.
        sample_weight: optional weights aligned with `y_pred` by the shared
            rule (`(N,)` weights samples, `(N, *class_shape)` entries).
        inclusive: count `y_pred >= threshold` instead of `y_pred > threshold`.

    Returns:
        Float32 of shape `(T + 1, *class_shape, 2)`: `[..., 0]` positives,
        `[..., 1]` negatives, buckets in ascending threshold order.

    >>> import jax.numpy as jnp
    >>> threshold_histogram(jnp.array([0, 1, 1, 0]), jnp.array([0.2, 0.5, 0.9, 0.6]),
    ...                     thresholds=[0.0, 0.5, 1.0]).tolist()
    [[0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]
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

    static = static_thresholds(thresholds)
    if static is not None:
        sorted_thresholds = np.sort(static, kind="stable")
        count = static.size
    else:
        sorted_thresholds = thresholds
        count = jnp.shape(thresholds)[0]
    class_shape = scores.shape[1:]
    classes = int(np.prod(class_shape, dtype=np.int64))
    negative = (y_true == 0).astype(jnp.int32)
    plan = grid_plan(sorted_thresholds, inclusive)
    check_scores(scores)
    if plan is not None and _small_cpu_batch(scores.size):
        return _small_grid_histogram(scores, negative, weight, plan)

    if plan is not None:
        bucket = plan.bucket(scores)
    else:
        bucket = bucket_index(scores, sorted_thresholds, inclusive)
    if classes > 1:
        class_index = jnp.arange(classes, dtype=jnp.int32).reshape(class_shape)
        bucket = bucket * classes + class_index[None]
    # One single-channel histogram: segment = (bucket, class, is_negative);
    # NaN scores go to the dropped last segment.
    num_segments = (count + 1) * classes * 2
    segment = jnp.where(jnp.isnan(scores), num_segments, bucket * 2 + negative)
    histogram = _histogram(segment, weight, num_segments)
    return histogram.reshape(count + 1, *class_shape, 2)


def _small_cpu_batch(size: int) -> bool:
    """Whether `_small_grid_histogram` should bucket this batch (see there)."""
    return (
        jax.default_backend() == "cpu" and size < _LARGE_BATCH and not tracing_chunks()
    )


def _small_grid_histogram(scores, negative, weight, plan: GridPlan) -> Array:
    """`threshold_histogram` of a small CPU batch, evenly spaced thresholds.

    XLA:CPU splits an elementwise fusion over its threads when it does more
    arithmetic than memory traffic, and for a small batch waking the other
    threads costs tens of microseconds, more than the work. The single
    bucketing fusion of the general path always does more arithmetic, so
    here it is split in two lighter fusions that each stay on one thread, on
    the two operands of one scatter: the row is the arithmetic guess
    (`plan.guess`), and the update is a 4-vector that books the entry at the
    guess or one bucket up (`plan.up`), as a positive or a negative. Then
    `bucket k = stay[k] + moved[k - 1]`. Same counts, exactly.
    """
    count = plan.count
    class_shape = scores.shape[1:]
    classes = int(np.prod(class_shape, dtype=np.int64))
    guess = plan.guess(scores)
    row = jnp.where(jnp.isnan(scores), count + 1, guess)  # NaN: a dropped row
    if classes > 1:
        class_index = jnp.arange(classes, dtype=jnp.float32).reshape(class_shape)
        row = row * classes + class_index[None]
    up = plan.up(scores, guess).astype(jnp.int32)
    positive = 1 - negative
    channels = [positive - positive * up, negative - negative * up]
    channels += [positive * up, negative * up]
    updates = jnp.stack(channels, -1).reshape(-1, 4)
    if weight is not None:
        updates = updates * weight.reshape(-1, 1).astype(jnp.float32)
    rows = (count + 2) * classes
    table = _scatter_add(rows, row.astype(jnp.int32), updates, width=4)
    table = table.reshape(count + 2, *class_shape, 4)[: count + 1]
    stay, moved = table[..., :2], table[..., 2:]
    moved = jnp.concatenate([jnp.zeros_like(moved[:1]), moved[:-1]], 0)
    return (stay + moved).astype(jnp.float32)


def histogram_confusion_counts(
    histogram: Array, *, thresholds, accumulated: bool = False
) -> tuple[Array, Array, Array, Array]:
    """`(tp, fp, tn, fn)` at every threshold from a `threshold_histogram`.

    Cumulative sums over the buckets: `tp[t]`/`fp[t]` add the positives /
    negatives of the buckets above `t`, `fn[t]`/`tn[t]` those at or below
    (each summed directly, without cancellation). With `accumulated=True`
    the histogram is an exact accumulator (`(2, T + 1, ..., 2)`, as metric
    states keep it) and the sums are compensated, so counts stay exact past
    2^24.

    Args:
        histogram: `(T + 1, *class_shape, 2)` from `threshold_histogram`, or
            its accumulator.
        thresholds: the thresholds the histogram was built with (results
            follow their order).
        accumulated: `histogram` is an accumulator.

    Returns:
        `(tp, fp, tn, fn)`, each float32 of shape `(T, *class_shape)`.

    >>> import jax.numpy as jnp
    >>> histogram = jnp.array([[0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    >>> thresholds = [1.0, 0.0, 0.5]
    >>> tp, fp, tn, fn = histogram_confusion_counts(histogram, thresholds=thresholds)
    >>> tp.tolist(), fn.tolist()
    ([0.0, 2.0, 1.0], [2.0, 0.0, 1.0])
    """
    static = static_thresholds(thresholds)
    if accumulated:
        passed = cumulative_accumulator(histogram[:, 1:], reverse=True)
        failed = cumulative_accumulator(histogram[:, :-1])
        passed, failed = accumulator_value(passed), accumulator_value(failed)
    else:
        passed = jnp.flip(jnp.cumsum(jnp.flip(histogram[1:], 0), axis=0), 0)
        failed = jnp.cumsum(histogram[:-1], axis=0)
    counts = [passed[..., 0], passed[..., 1], failed[..., 1], failed[..., 0]]
    if static is not None:
        order = np.argsort(static, kind="stable")
        if np.any(order != np.arange(static.size)):
            inverse = np.argsort(order)
            counts = [c[inverse] for c in counts]
    return tuple(counts)


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

    `histogram_confusion_counts(threshold_histogram(...))`: one O(N) bucketed
    histogram, then cumulative sums over `T + 1` buckets, so the cost is
    O(N + T x classes), never an N x T comparison.

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
    histogram = threshold_histogram(
        y_true,
        y_pred,
        thresholds=thresholds,
        sample_weight=sample_weight,
        inclusive=inclusive,
    )
    return histogram_confusion_counts(histogram, thresholds=thresholds)


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
    value_check(
        valid, f"{{count}} label(s) or prediction(s) outside [0, {num_classes})"
    )
    return class_pair_counts(labels, predictions, valid, weight, num_classes)


def class_pair_counts(
    labels: Array,
    predictions: Array,
    valid: Array,
    weight,
    num_classes: int,
    num_predictions: int | None = None,
) -> Array:
    """`cm[i, j] = sum w [valid][label == i][prediction == j]` (no checks).

    Internal kernel of the confusion matrices: `labels` are int32 ids in
    `[0, num_classes)` and `predictions` int32 ids in `[0, num_predictions)`
    (default `num_classes`) wherever `valid`; `weight` is None (exact integer
    counts) or float weights of the same shape. The result has shape
    `(num_classes, num_predictions)`.
    """
    columns = num_classes if num_predictions is None else num_predictions
    cells = num_classes * columns
    segment = jnp.where(valid, labels * columns + predictions, cells)
    return _histogram(segment, weight, cells).reshape(num_classes, columns)
