"""Thresholded confusion counts: the O(N) counting core of classification.

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
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array, lax

from jax_metrics._chunking import tracing_chunks
from jax_metrics.functional._reduction import (
    align_sample_weight,
    squeeze_or_expand_to_same_rank,
)

__all__ = [
    "confusion_matrix_counts",
    "threshold_confusion_counts",
]


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
    """An exact arithmetic form of the thresholds, or None.

    Two forms, each checked bit for bit against the list here:

    * `("divide", offset, divisor, patches)`: `t[k] = float32(k + offset) /
      divisor`, an IEEE-rounded division (how `np.arange(T) / (T - 1)` and
      Keras' `i / (T - 1)` lists round, whatever `T`).
    * `("scale", offset, hi, lo, patches)`: `t[k] = float32(k + offset) * hi +
      float32(k + offset) * lo` in float32, where the first product is exact
      (`hi` has few significant bits), so the result is the same with or
      without a fused multiply-add.

    The few `k` a form misses (end points such as Keras' `-1e-7`, rare
    rounding ties) are patched from `patches` (`(k, t[k])` pairs, at most
    `_MAX_PATCHES`); the form with fewer patches wins, `scale` on a tie (a
    multiply is cheaper than a division). None when neither form fits (the
    fix-up then looks thresholds up).
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
    kf = k.astype(np.float32)

    def misses(values):
        miss = np.flatnonzero(values != sorted_t)
        return tuple((int(i), sorted_t[i]) for i in miss)

    forms = []
    divisor = np.float32(round(1.0 / step))
    if divisor > 0:
        forms.append(("divide", offset, divisor, misses(kf / divisor)))
    for scale in (1.0 / round(1.0 / step), step):
        hi, lo = _split_scale(scale, 24 - bits)
        plain = kf * hi + kf * lo
        fused = (k * np.float64(hi) + k * np.float64(lo)).astype(np.float32)
        # A k where the two roundings differ is patched too.
        miss = misses(np.where(plain == fused, plain, np.nan))
        forms.append(("scale", offset, hi, lo, miss))
    forms = [f for f in forms if len(f[-1]) <= _MAX_PATCHES]
    if not forms:
        return None
    return min(forms, key=lambda f: (len(f[-1]), f[0] == "divide"))


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
        k = (guess + formula[1]).astype(jnp.float32)
        if formula[0] == "divide":
            # XLA turns a division by a broadcast scalar into a multiply by
            # its reciprocal, which rounds differently; a divisor that
            # depends on the scores keeps the IEEE division. (NaN for
            # infinite scores, whose guess is already 0 or T.)
            above = k / (scores * 0 + formula[2])
        else:
            above = k * formula[2] + k * formula[3]
        patches = formula[-1]
        for index, value in patches:
            above = jnp.where(guess == index, value, above)
    up = (guess < count) & passes(scores, above)
    return guess + up.astype(jnp.int32)


# Histograms: XLA:CPU runs a scatter-add as one serial loop over its updates.
# Counting (no weights) scatters integer ones. For large batches over few
# bins, entries are paired into one joint id (half the updates; the bins^2
# joint table is reduced to its two marginals), and large batches are split
# into two independent scatters, which XLA:CPU may run concurrently. Inside
# a chunked update (`_chunking.in_row_chunks`) one plain scatter per chunk is
# fastest: there the tricks measured 2-3x slower.
_PAIR_MAX_BINS = 512
_LARGE_BATCH = 1 << 16


def _scatter_add(size: int, index: Array, updates: Array) -> Array:
    """`zeros(size).at[index].add(updates)` for in-bounds ids, as one scatter.

    `lax.scatter_add` directly: `.at[]` adds a wrap-around of negative ids,
    which XLA:CPU computes inside its serial scatter loop.
    """
    numbers = lax.ScatterDimensionNumbers(
        update_window_dims=(),
        inserted_window_dims=(0,),
        scatter_dims_to_operand_dims=(0,),
    )
    return lax.scatter_add(
        jnp.zeros(size, updates.dtype),
        index.reshape(-1, 1),
        updates.reshape(-1),
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
    if weight is not None:
        weight = weight.reshape(-1).astype(jnp.float32)
    if size < _LARGE_BATCH or tracing_chunks():
        if weight is None:
            totals = _scatter_count(segment, bins)
        else:
            totals = _scatter_add(bins, segment, weight)
        return totals[:num_segments].astype(jnp.float32)
    if weight is not None:
        half = size // 2
        totals = _scatter_add(bins, segment[:half], weight[:half])
        totals = totals + _scatter_add(bins, segment[half:], weight[half:])
        return totals[:num_segments]
    if bins <= _PAIR_MAX_BINS:
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
    else:
        half = size // 2
        counts = _scatter_count(segment[:half], bins)
        counts = counts + _scatter_count(segment[half:], bins)
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
