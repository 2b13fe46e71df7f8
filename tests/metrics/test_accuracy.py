"""Keras accuracy metrics against Keras 3 (JAX backend)."""

import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm
from tests._helpers.chunks import assert_chunked_on_cpu
from tests._helpers.keras_reference import keras_metric


def _sparse(rng, n, classes=5, label_shape=()):
    y_true = rng.integers(0, classes, size=(n, *label_shape))
    y_pred = rng.normal(size=(n, *label_shape, classes)).astype(np.float32)
    return y_true, y_pred


def _one_hot(rng, n, classes=5):
    labels, y_pred = _sparse(rng, n, classes)
    return np.eye(classes, dtype=np.float32)[labels], y_pred


def _binary(rng, n):
    y_true = rng.integers(0, 2, size=(n, 1)).astype(np.float32)
    # Scores on a grid, so some sit exactly on the threshold.
    y_pred = rng.integers(0, 5, size=(n, 1)).astype(np.float32) / 4
    return y_true, y_pred


def _exact(rng, n):
    return rng.integers(0, 3, size=(n,)), rng.integers(0, 3, size=(n,))


CASES = [
    ("Accuracy", {}, _exact),
    ("BinaryAccuracy", {}, _binary),
    ("BinaryAccuracy", {"threshold": 0.75}, _binary),
    ("CategoricalAccuracy", {}, _one_hot),
    ("SparseCategoricalAccuracy", {}, _sparse),
    ("TopKCategoricalAccuracy", {"k": 2}, _one_hot),
    ("TopKCategoricalAccuracy", {}, _one_hot),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, _sparse),
]


@pytest.mark.parametrize(("name", "options", "make"), CASES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_matches_keras(name, options, make, weighted, seed):
    rng = np.random.default_rng(seed)
    batches = []
    for n in (7, 13):
        y_true, y_pred = make(rng, n)
        batch = (y_true, y_pred)
        if weighted:
            batch += (rng.uniform(0, 2, size=(n,)).astype(np.float32),)
        batches.append(batch)
    metric = getattr(jm.metrics, name)(**options)
    for batch in batches:
        metric = metric.update(*batch)
    expected = keras_metric(name, batches, **options)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["SparseCategoricalAccuracy", "CategoricalAccuracy"])
def test_bfloat16_predictions_match_keras(name):
    rng = np.random.default_rng(2)
    y_true, y_pred = (_sparse if name.startswith("Sparse") else _one_hot)(rng, 13)
    y_pred16 = jnp.asarray(y_pred, jnp.bfloat16)
    metric = getattr(jm.metrics, name)().update(y_true, y_pred16)
    expected = keras_metric(name, [(y_true, np.asarray(y_pred16, np.float32))])
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-6)


def test_sparse_labels_with_trailing_axis_and_time_steps():
    rng = np.random.default_rng(4)
    y_true, y_pred = _sparse(rng, 7, label_shape=(3,))
    weight = rng.uniform(size=(7, 3)).astype(np.float32)
    metric = jm.metrics.SparseCategoricalAccuracy().update(y_true, y_pred, weight)
    expected = keras_metric("SparseCategoricalAccuracy", [(y_true, y_pred, weight)])
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-6)


def test_sparse_top_k_from_sorted_ids():
    rng = np.random.default_rng(6)
    y_true = rng.integers(0, 6, size=(9,))
    ids = np.argsort(-rng.normal(size=(9, 6)), axis=1)
    options = {"k": 2, "from_sorted_ids": True}
    metric = jm.metrics.SparseTopKCategoricalAccuracy(**options).update(y_true, ids)
    expected = keras_metric("SparseTopKCategoricalAccuracy", [(y_true, ids)], **options)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-6)


# Labels with a trailing singleton axis, (N, 1) and (N, T, 1): Keras flattens them.
@pytest.mark.parametrize("label_shape", [(1,), (3, 1)], ids=["n_by_1", "n_t_1"])
@pytest.mark.parametrize("from_sorted_ids", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_top_k_labels_with_trailing_axis(label_shape, from_sorted_ids, weighted):
    rng = np.random.default_rng(7)
    options = {"k": 2, "from_sorted_ids": from_sorted_ids}
    batches = []
    for n in (7, 13):
        y_true = rng.integers(0, 5, size=(n, *label_shape))
        y_pred = rng.normal(size=(n, *label_shape[:-1], 5)).astype(np.float32)
        if from_sorted_ids:
            y_pred = np.argsort(-y_pred, axis=-1)
        batch = (y_true, y_pred)
        if weighted:
            batch += (rng.uniform(0, 2, size=(n,)).astype(np.float32),)
        batches.append(batch)
    metric = jm.metrics.SparseTopKCategoricalAccuracy(**options)
    for batch in batches:
        metric = metric.update(*batch)
    expected = keras_metric("SparseTopKCategoricalAccuracy", batches, **options)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("metric", "y_true", "y_pred"),
    [
        (jm.metrics.SparseCategoricalAccuracy(), np.zeros((4,)), np.zeros((5, 3))),
        (jm.metrics.CategoricalAccuracy(), np.zeros((4, 2)), np.zeros((4, 3))),
        (jm.metrics.Accuracy(), np.zeros((4,)), np.zeros((3,))),
        (jm.metrics.BinaryAccuracy(), np.zeros((4, 2)), np.zeros((4, 3))),
        (jm.metrics.TopKCategoricalAccuracy(), np.zeros((4, 3)), np.zeros((4, 2))),
    ],
)
def test_mismatched_shapes_are_rejected(metric, y_true, y_pred):
    with pytest.raises(ValueError, match=r"expected y_true of shape .* received"):
        metric.update(y_true, y_pred)


@pytest.mark.parametrize("name", ["Accuracy", "BinaryAccuracy"])
def test_chunked_update(name):
    """> 2^19 entries update over row chunks on the CPU: Keras' value."""
    rng = np.random.default_rng(11)
    shape = (70_001, 8)  # two chunks and a tail
    if name == "Accuracy":
        y_true = rng.integers(0, 3, shape).astype(np.float32)
        y_pred = rng.integers(0, 3, shape).astype(np.float32)
    else:
        y_true = rng.integers(0, 2, shape).astype(np.float32)
        y_pred = (rng.integers(0, 5, shape) / 4).astype(np.float32)
    weight = rng.uniform(0, 2, shape[0]).astype(np.float32)
    metric = getattr(jm.metrics, name)()
    assert_chunked_on_cpu(metric, y_true, y_pred, weight)
    for w in (None, weight):
        batch = (y_true, y_pred) if w is None else (y_true, y_pred, w)
        expected = keras_metric(name, [batch])
        got = metric.update(*batch).compute()
        np.testing.assert_allclose(got, expected, rtol=1e-5)
