"""Task curves (torchmetrics' Binary/Multiclass/Multilabel ROC, PR and friends).

Two modes share every value kernel:

* binned (`thresholds` an int, list or array; the classes default to 200
  evenly spaced thresholds over [0, 1], the float32 grid of `torch.linspace`,
  see `unit_grid`): weighted `tp, fp, tn, fn` at every threshold from
  `threshold_confusion_counts` (O(N), fixed memory), with torchmetrics'
  inclusive rule `y_pred >= threshold`;
* exact (`thresholds=None`): every score is a threshold, as scikit-learn
  computes curves; the functional forms use the batch, the classes a
  fixed-capacity buffer.

Both produce "curve points": counts ordered by DECREASING threshold along
axis 0 (false positive rate and recall increasing), per class or label on the
trailing axis. Exact points have a fixed length, one per entry (of the batch,
or `capacity` rows of the buffer): an entry whose score ties others repeats
the point of the whole tied run (no added area), and entries that carry no
weight (ignored, weighted 0, or buffer rows not yet filled) come last as
padding points with threshold `-inf` and the counts of predicting every entry
positive. ROC, precision-recall, AUROC, average precision, the
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

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics._checks import (
    check_nan_rows,
    check_probabilities,
    check_scores,
    check_targets,
)
from jax_metrics.functional._confusion_counts import threshold_confusion_counts
from jax_metrics.functional._stat_scores_statistics import (
    _check_int,
    _entry_weight,
    check_option,
    class_scores_error,
)

__all__ = [
    "curve_entries",
    "curve_points",
    "curve_thresholds",
]


def unit_grid(steps: int) -> np.ndarray:
    """`steps` evenly spaced float32 thresholds over [0, 1], as torch computes them.

    The step `1 / (steps - 1)` is rounded to float32; the first half counts up
    from 0 (`step * i`), the second half down from 1 (`1 - step * (steps - 1 -
    i)`), each value rounded once to float32. This is `torch.linspace(0, 1,
    steps)` (the grid of torchmetrics' int `thresholds`) on AVX2/AVX-512 CPUs
    and GPUs, bit for bit; `np.linspace` differs from it by one ulp at some
    points, which changes how a score equal to a threshold is counted.

    >>> unit_grid(5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    step = np.float64(np.float32(1) / np.float32(steps - 1))
    index = np.arange(steps, dtype=np.float64)
    up = step * index
    down = 1.0 - step * (steps - 1 - index)
    return np.where(index < steps // 2, up, down).astype(np.float32)


def curve_thresholds(thresholds) -> np.ndarray | None:
    """Static thresholds as an ascending float32 vector (None: exact mode).

    An int `T` (Python or NumPy) gives `T` evenly spaced thresholds over
    [0, 1] (`unit_grid`). Any other scalar (a float, a bool) is rejected.

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
        return unit_grid(int(thresholds))
    if isinstance(thresholds, bool | np.bool_) or np.ndim(thresholds) == 0:
        raise ValueError(
            "expected `thresholds` as None, an int >= 2 or an ascending list, "
            f"received {thresholds!r}"
        )
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
            raise class_scores_error(y_true.shape, y_pred.shape, num_classes)
        target = y_true.astype(jnp.int32)
        valid = (target >= 0) & (target < num_classes) & (target == y_true)
        ignored = np.False_ if ignore_index is None else target == ignore_index
        check_targets(valid | ignored, f"outside [0, {num_classes})")
        has_nan = jnp.any(jnp.isnan(scores), axis=-1)
        check_nan_rows(has_nan)
        valid &= ~has_nan & ~ignored
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
        valid = (y_true == 0) | (y_true == 1)
        ignored = np.False_ if ignore_index is None else y_true == ignore_index
        check_targets(valid | ignored, "not 0 or 1")
        check_scores(scores)
        valid &= ~jnp.isnan(scores) & ~ignored
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
    grid = np.asarray(thresholds)  # static: `curve_thresholds`
    if grid.min() >= 0 and grid.max() <= 1:
        check_probabilities(scores)  # scores past a [0, 1] grid: logits?
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

    Every entry's score is a threshold (decreasing); tied scores share the
    counts of the end of their run, so repeated points add no area. Entries of
    weight 0 sort last with threshold `-inf` (padding: every entry predicted
    positive).

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
