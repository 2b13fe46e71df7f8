"""Large batches: the histogram fast paths and the chunked CPU update.

Batches of >= 2^16 entries take the paired / split / interleaved-lane
scatters of `_histogram`, at most 4 thresholds are compared directly, and
confusion and curve metrics over > 2^19 entries run their update over row
chunks in a `fori_loop` (`jax_metrics._chunking`). All are checked against
float64 NumPy counts from sorted scores, an independent formula.
"""

import jax
import numpy as np
import pytest

import jax_metrics as jm
from jax_metrics._numerics import accumulator_value
from jax_metrics.functional import threshold_confusion_counts
from tests._helpers.chunks import uses_row_chunks


def reference_counts(y_true, y_pred, weight, thresholds, inclusive):
    """`(tp, fp, tn, fn)` per threshold in float64, from sorted scores."""
    p = np.asarray(y_pred, np.float32).astype(np.float64).reshape(-1)
    positive = (np.asarray(y_true) != 0).reshape(-1)
    w = np.broadcast_to(np.asarray(weight, np.float64), np.shape(y_pred)).reshape(-1)
    t = np.asarray(thresholds, np.float32).astype(np.float64)
    side = "left" if inclusive else "right"
    out = []
    for keep in (positive, ~positive):
        order = np.argsort(p[keep], kind="stable")
        scores, cum = p[keep][order], np.r_[0.0, np.cumsum(w[keep][order])]
        below = cum[np.searchsorted(scores, t, side=side)]
        out.append((cum[-1] - below, below))
    (tp, fn), (fp, tn) = out
    return tp, fp, tn, fn


def keras_thresholds(count):
    inner = [(i + 1) / (count - 1) for i in range(count - 2)]
    return [-1e-7, *inner, 1 + 1e-7]


def scores_with_ties(rng, shape, thresholds):
    """Half the scores exactly on a threshold, half uniform in [0, 1]."""
    grid = np.asarray(thresholds, np.float32)
    on_grid = rng.choice(grid[1:-1], shape)
    return np.where(rng.uniform(size=shape) < 0.5, on_grid, rng.uniform(size=shape))


@pytest.mark.parametrize("count", [200, 10_000])
@pytest.mark.parametrize("weighted", [False, True])
def test_large_batch_histogram_paths(count, weighted):
    """70,000 entries: the paired (200) and split (10,000) scatters."""
    rng = np.random.default_rng(count + weighted)
    thresholds = keras_thresholds(count)
    y_pred = scores_with_ties(rng, (70_000,), thresholds).astype(np.float32)
    y_true = rng.integers(0, 2, 70_000)
    weight = rng.uniform(0, 2, 70_000) if weighted else np.ones(70_000)
    got = jax.jit(
        lambda y, p, w: threshold_confusion_counts(
            y, p, thresholds=thresholds, sample_weight=w if weighted else None
        )
    )(y_true, y_pred, weight)
    expected = reference_counts(y_true, y_pred, weight, thresholds, False)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-5)


@pytest.mark.parametrize("thresholds", [[0.5], [0.5, 0.25], [0.1, 0.3, 0.5, 0.9]])
@pytest.mark.parametrize("size", [1_001, 70_000])
@pytest.mark.parametrize("inclusive", [False, True])
def test_few_thresholds(thresholds, size, inclusive):
    """Direct comparisons (<= 4 thresholds), small and large (lanes) batches."""
    rng = np.random.default_rng(size + len(thresholds) + inclusive)
    y_pred = scores_with_ties(rng, (size,), [0.0, *thresholds, 1.0])
    y_pred = y_pred.astype(np.float32)
    y_true = rng.integers(0, 2, size)
    weight = rng.uniform(0, 2, size)
    for w in (None, weight):
        got = jax.jit(
            lambda y, p, w: threshold_confusion_counts(
                y, p, thresholds=thresholds, sample_weight=w, inclusive=inclusive
            )
        )(y_true, y_pred, w)
        ones = np.ones(size) if w is None else w
        expected = reference_counts(y_true, y_pred, ones, thresholds, inclusive)
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-5)


@pytest.mark.parametrize("count", [200, 10_000])
def test_chunked_keras_auc_update(count):
    """4.8M entries (600,001 x 8) update over row chunks, weights included."""
    rng = np.random.default_rng(count)
    thresholds = keras_thresholds(count)
    shape = (600_001, 8)  # two chunks and a tail
    y_pred = scores_with_ties(rng, shape, thresholds).astype(np.float32)
    y_true = (rng.uniform(size=shape) < 0.2).astype(np.float32)
    weight = rng.integers(0, 3, shape[0]).astype(np.float32)
    metric = jm.metrics.AUC(num_thresholds=count)
    if jax.default_backend() == "cpu":
        assert uses_row_chunks(metric, y_true, y_pred, weight)
    assert not uses_row_chunks(metric, y_true[:1000], y_pred[:1000], weight[:1000])
    updated = metric.update(y_true, y_pred, weight)
    expected = reference_counts(y_true, y_pred, weight[:, None], thresholds, False)
    got = (
        updated.true_positives,
        updated.false_positives,
        updated.true_negatives,
        updated.false_negatives,
    )
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_array_equal(g, e)  # exact counts
    # The value follows from the counts: Keras' interpolated ROC area.
    tp, fp, tn, fn = expected
    tpr, fpr = tp / (tp + fn), fp / (fp + tn)
    area = np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2)
    np.testing.assert_allclose(updated.compute(), area, rtol=1e-5)


def test_chunked_task_curve_update():
    """A binned multiclass AUROC over 4.5M scores: the state counts (>=)."""
    rng = np.random.default_rng(3)
    n, classes = 450_007, 10
    probs = rng.dirichlet(np.ones(classes), n).astype(np.float32)
    labels = rng.integers(0, classes, n)
    metric = jm.metrics.MulticlassAUROC(num_classes=classes, thresholds=200)
    if jax.default_backend() == "cpu":
        assert uses_row_chunks(metric, labels, probs)
    updated = metric.update(labels, probs)
    onehot = np.eye(classes)[labels]
    grid = np.linspace(0, 1, 200)
    counts = accumulator_value(updated.counts)
    for c in range(classes):
        expected = reference_counts(onehot[:, c], probs[:, c], 1.0, grid, True)
        np.testing.assert_allclose(counts[:, :, c], np.stack(expected), atol=0.5)


def test_chunked_keras_counts_update():
    """Keras' confusion counts over 4.8M entries: chunks, lanes, 2 thresholds."""
    rng = np.random.default_rng(5)
    thresholds = [0.5, 0.25]
    shape = (600_001, 8)
    y_pred = scores_with_ties(rng, shape, [0.0, 0.25, 0.5, 1.0]).astype(np.float32)
    y_true = (rng.uniform(size=shape) < 0.3).astype(np.float32)
    weight = rng.integers(0, 3, shape[0]).astype(np.float32)
    metric = jm.metrics.TruePositives(thresholds=thresholds)
    if jax.default_backend() == "cpu":
        assert uses_row_chunks(metric, y_true, y_pred, weight)
    for w in (None, weight):
        ones = np.ones(shape[0]) if w is None else w
        tp, *_ = reference_counts(y_true, y_pred, ones[:, None], thresholds, False)
        got = metric.update(y_true, y_pred, w).compute()
        np.testing.assert_array_equal(got, tp)  # exact counts
