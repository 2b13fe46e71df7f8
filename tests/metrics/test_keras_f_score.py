"""Keras F-scores: parity with Keras 3 (JAX backend), sparse labels, bad input."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

import jax_metrics as jm
from tests._helpers.chunks import assert_chunked_on_cpu


def make_data(seed, n, classes=4, weighted=True):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    y_pred = rng.uniform(size=(n, classes)).astype(np.float32)
    weight = rng.uniform(0, 2, n).astype(np.float32) if weighted else None
    return labels, y_pred, weight


def keras_result(cls, kwargs, y_true, y_pred, weight):
    with jax.numpy_rank_promotion("allow"):
        metric = getattr(keras.metrics, cls)(**kwargs)
        metric.update_state(y_true, y_pred, sample_weight=weight)
        return np.asarray(metric.result(), np.float64)


OPTIONS = [
    ("F1Score", {}),
    ("F1Score", {"average": "micro"}),
    ("F1Score", {"average": "macro", "threshold": 0.5}),
    ("F1Score", {"average": "weighted"}),
    ("FBetaScore", {"beta": 2.0}),
    ("FBetaScore", {"beta": 0.5, "average": "macro"}),
    ("FBetaScore", {"beta": 2.0, "average": "weighted", "threshold": 0.3}),
    ("FBetaScore", {"beta": 1.5, "average": "micro", "threshold": 0.7}),
]


@pytest.mark.parametrize(("cls", "options"), OPTIONS, ids=str)
@pytest.mark.parametrize(("seed", "n", "weighted"), [(0, 7, True), (1, 13, False)])
def test_parity_one_hot_and_sparse(cls, options, seed, n, weighted):
    labels, y_pred, weight = make_data(seed, n, weighted=weighted)
    one_hot = np.eye(4, dtype=np.float32)[labels]
    expected = keras_result(cls, options, one_hot, y_pred, weight)
    dense = getattr(jm.metrics, cls)(**options).update(one_hot, y_pred, weight)
    np.testing.assert_allclose(dense.compute(), expected, rtol=1e-5, atol=1e-6)
    # Beyond Keras: the same value from integer labels.
    sparse = getattr(jm.metrics, cls)(num_classes=4, **options)
    sparse = sparse.update(labels, y_pred, weight)
    np.testing.assert_allclose(sparse.compute(), expected, rtol=1e-5, atol=1e-6)


def test_multi_hot_bfloat16_and_accumulation():
    rng = np.random.default_rng(2)
    batches = [
        (
            rng.integers(0, 2, (n, 3)).astype(np.float32),
            rng.uniform(size=(n, 3)).astype(np.float32),
            rng.uniform(0, 2, n).astype(np.float32),
        )
        for n in (7, 13)
    ]
    with jax.numpy_rank_promotion("allow"):
        reference = keras.metrics.FBetaScore(average="macro", beta=2.0, threshold=0.4)
        for y_true, y_pred, weight in batches:
            low = np.asarray(jnp.asarray(y_pred, jnp.bfloat16), np.float32)
            reference.update_state(y_true, low, sample_weight=weight)
    metric = jm.metrics.FBetaScore(average="macro", beta=2.0, threshold=0.4)
    for y_true, y_pred, weight in batches:
        metric = metric.update(y_true, jnp.asarray(y_pred, jnp.bfloat16), weight)
    np.testing.assert_allclose(metric.compute(), reference.result(), rtol=1e-3)


def test_functional_forms():
    labels, y_pred, weight = make_data(3, 13)
    one_hot = np.eye(4, dtype=np.float32)[labels]
    expected = keras_result("F1Score", {"average": "macro"}, one_hot, y_pred, weight)
    actual = jm.functional.f1_score(
        labels, y_pred, average="macro", sample_weight=weight
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-5)
    expected = keras_result("FBetaScore", {"beta": 2.0}, one_hot, y_pred, None)
    actual = jm.functional.fbeta_score(one_hot, y_pred, beta=2.0)
    np.testing.assert_allclose(actual, expected, rtol=1e-5)


def test_out_of_range_sparse_labels_are_ignored():
    labels, y_pred, weight = make_data(4, 13)
    bad = labels.copy()
    bad[:3] = [-1, 4, 9]
    metric = jax.jit(lambda m, y, p, w: m.update(y, p, w))(
        jm.metrics.F1Score(average="macro", num_classes=4), bad, y_pred, weight
    )
    one_hot = np.eye(4, dtype=np.float32)[labels[3:]]
    expected = keras_result(
        "F1Score", {"average": "macro"}, one_hot, y_pred[3:], weight[3:]
    )
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)


def test_single_column_binary_labels():
    rng = np.random.default_rng(6)
    y_true = rng.integers(0, 2, 13)
    y_pred = rng.uniform(size=(13, 1)).astype(np.float32)
    expected = keras_result(
        "F1Score", {"threshold": 0.5}, y_true[:, None].astype(np.float32), y_pred, None
    )
    metric = jm.metrics.F1Score(threshold=0.5).update(y_true, y_pred)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)


def test_lazy_state_and_empty_value():
    assert float(jm.metrics.F1Score(average="micro").compute()) == 0.0
    empty = jm.metrics.F1Score(num_classes=3).compute()
    assert empty.shape == (3,)
    assert not np.any(np.isnan(empty))
    labels, y_pred, _ = make_data(5, 7)
    lazy = jm.metrics.F1Score().update(labels, y_pred)
    assert lazy.statistics.shape == (2, 4, 4)
    assert lazy.true_positives.shape == (4,)
    assert lazy.reset().statistics.shape == (2, 4, 4)


@pytest.mark.parametrize("average", [None, "macro", "weighted"])
def test_lazy_state_merges_with_a_fresh_one(average):
    # A state not yet sized by a batch merges as zeros, either way round.
    labels, y_pred, weight = make_data(8, 9)
    one_hot = np.eye(4, dtype=np.float32)[labels]
    expected = keras_result("F1Score", {"average": average}, one_hot, y_pred, weight)
    fresh = jm.metrics.F1Score(average=average)
    updated = fresh.update(one_hot, y_pred, weight)
    for merged in (fresh.merge(updated), updated.merge(fresh)):
        np.testing.assert_allclose(merged.compute(), expected, rtol=1e-5)
    # Empty and unsized: 0 for an average (never NaN), no entries without one.
    assert fresh.compute().shape == ((0,) if average is None else ())
    assert not np.any(np.isnan(fresh.compute()))


def test_bad_input():
    M = jm.metrics
    with pytest.raises(ValueError, match="expected average in"):
        M.F1Score(average="samples")
    with pytest.raises(ValueError, match="expected beta to be a float > 0"):
        M.FBetaScore(beta=0.0)
    with pytest.raises(ValueError, match=r"expected threshold in \(0, 1\]"):
        M.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="expected y_pred with num_classes=3"):
        M.F1Score(num_classes=3).update(np.zeros(4, int), np.zeros((4, 5)))
    with pytest.raises(ValueError, match="expected y_pred of shape"):
        M.F1Score().update(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="expected y_true of shape"):
        M.F1Score().update(np.zeros((4, 3)), np.zeros((4, 5)))


def test_init_with_a_sample_batch_sizes_the_state_for_scan():
    # Keras sizes the state from the first batch; `init(sample)` does it
    # up front, so the state can be a `lax.scan` carry.
    rng = np.random.default_rng(15)
    y_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (3, 8))]
    y_pred = rng.uniform(size=(3, 8, 4)).astype(np.float32)
    metric = jm.metrics.F1Score(average="macro").init(y_true[0], y_pred[0])
    assert metric.statistics.shape == (2, 4, 4)
    assert float(metric.compute()) == 0.0
    scanned, _ = jax.lax.scan(
        lambda m, batch: (m.update(*batch), None), metric, (y_true, y_pred)
    )
    expected = keras_result(
        "F1Score",
        {"average": "macro"},
        y_true.reshape(-1, 4),
        y_pred.reshape(-1, 4),
        None,
    )
    np.testing.assert_allclose(scanned.compute(), expected, rtol=1e-5)
    compiled = jm.compile(
        loss="categorical_crossentropy", metrics=[jm.metrics.F1Score()]
    )
    sized = compiled.init(y_true[0], y_pred[0])
    assert [x.shape for x in jax.tree.leaves(sized)][-1] == (2, 4, 4)


def large_scores(kind, rng, shape):
    """Scores for the large-batch path: distinct, tied, or with silent rows."""
    if kind == "distinct":
        return rng.normal(size=shape).astype(np.float32)
    if kind == "ties":  # a 0.25 grid: many rows with two maxima
        return (rng.integers(0, 5, shape) / 4).astype(np.float32)
    scores = rng.normal(size=shape).astype(np.float32)
    scores[rng.uniform(size=shape[0]) < 0.2] = 0.0  # rows predicting nothing
    return scores


@pytest.mark.parametrize("kind", ["distinct", "ties", "silent rows"])
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_large_batch_threshold_none(kind, average):
    """>= 2^16 scores with threshold=None take the row-maximum fast path."""
    rng = np.random.default_rng(len(kind))
    n, classes = 6_600, 10
    labels = rng.integers(0, classes, n)
    soft = rng.uniform(size=(n, classes)).astype(np.float32)  # soft labels too
    y_pred = large_scores(kind, rng, (n, classes))
    weight = rng.uniform(0, 2, n).astype(np.float32)
    for y_true in (np.eye(classes, dtype=np.float32)[labels], soft):
        for w in (None, weight):
            expected = keras_result("F1Score", {"average": average}, y_true, y_pred, w)
            metric = jm.metrics.F1Score(average=average).update(y_true, y_pred, w)
            np.testing.assert_allclose(metric.compute(), expected, rtol=2e-5)
    expected = keras_result(
        "FBetaScore",
        {"beta": 2.0, "average": average},
        np.eye(classes, dtype=np.float32)[labels],
        y_pred,
        weight,
    )
    sparse = jm.metrics.FBetaScore(beta=2.0, average=average, num_classes=classes)
    sparse = jax.jit(lambda m, *a: m.update(*a))(sparse, labels, y_pred, weight)
    np.testing.assert_allclose(sparse.compute(), expected, rtol=2e-5)


@pytest.mark.parametrize("options", [{}, {"threshold": 0.5, "average": "macro"}])
def test_chunked_update(options):
    """> 2^19 scores update over row chunks on the CPU (two chunks and a tail)."""
    rng = np.random.default_rng(7)
    n, classes = 60_001, 10
    y_true = np.eye(classes, dtype=np.float32)[rng.integers(0, classes, n)]
    y_pred = large_scores("ties", rng, (n, classes))
    weight = rng.uniform(0, 2, n).astype(np.float32)
    metric = jm.metrics.F1Score(**options)
    assert_chunked_on_cpu(metric, y_true, y_pred, weight)
    expected = keras_result("F1Score", options, y_true, y_pred, weight)
    got = metric.update(y_true, y_pred, weight).compute()
    np.testing.assert_allclose(got, expected, rtol=2e-5)
