"""Keras hinge and probabilistic running-mean metrics: parity with Keras 3."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

import jax_metrics as jm
from tests._helpers.chunks import assert_chunked_on_cpu


def data(kind, seed, n):
    rng = np.random.default_rng(seed)
    if kind == "binary":
        y_true = rng.integers(0, 2, (n, 3)).astype(np.float32)
        y_pred = rng.uniform(0.01, 0.99, (n, 3)).astype(np.float32)
    elif kind == "one_hot":
        y_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, n)]
        y_pred = rng.uniform(0.01, 1, (n, 4)).astype(np.float32)
    elif kind == "sparse":
        y_true = rng.integers(0, 4, n)
        y_pred = rng.uniform(0.01, 1, (n, 4)).astype(np.float32)
    else:
        y_true = rng.uniform(0, 2, (n, 3)).astype(np.float32)
        y_pred = rng.uniform(0.01, 2, (n, 3)).astype(np.float32)
    return y_true, y_pred, rng.uniform(0, 2, n).astype(np.float32)


CASES = [
    ("Hinge", {}, "binary"),
    ("SquaredHinge", {}, "binary"),
    ("CategoricalHinge", {}, "one_hot"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "binary"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "one_hot"),
    ("CategoricalCrossentropy", {"from_logits": True}, "one_hot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    ("KLDivergence", {}, "positive"),
    ("Poisson", {}, "positive"),
]


@pytest.mark.parametrize(("cls", "options", "kind"), CASES, ids=str)
@pytest.mark.parametrize(("seed", "n", "weighted"), [(0, 7, True), (1, 13, False)])
def test_parity(cls, options, kind, seed, n, weighted):
    batches = [data(kind, seed + i, n + 2 * i) for i in range(2)]
    with jax.numpy_rank_promotion("allow"):
        reference = getattr(keras.metrics, cls)(**options)
        for y_true, y_pred, weight in batches:
            reference.update_state(
                y_true, y_pred, sample_weight=weight if weighted else None
            )
    metric = getattr(jm.metrics, cls)(**options)
    for y_true, y_pred, weight in batches:
        metric = metric.update(y_true, y_pred, weight if weighted else None)
    np.testing.assert_allclose(
        metric.compute(), reference.result(), rtol=1e-5, atol=1e-6
    )


HALF_PRECISION_CASES = [
    *CASES,
    ("MeanSquaredError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("LogCoshError", {}, "positive"),
    ("CosineSimilarity", {}, "positive"),
]


@pytest.mark.parametrize(("cls", "options", "kind"), HALF_PRECISION_CASES, ids=str)
@pytest.mark.parametrize("dtype", [jnp.bfloat16, jnp.float16], ids=str)
def test_half_precision_inputs_are_computed_in_float32(cls, options, kind, dtype):
    # The per-sample values of bfloat16/float16 inputs are float32 arithmetic,
    # as Keras' loss classes compute them. Probabilities that round to 1.0 in
    # half precision (0.9999) must not give NaN: Keras' own metric does, its
    # loss does not. Reference: Keras on the float32 values of the same inputs.
    y_true, y_pred, weight = data(kind, 4, 11)
    y_pred[0] = 0.9999
    low_true = y_true if kind == "sparse" else jnp.asarray(y_true, dtype)
    low_pred, low_weight = jnp.asarray(y_pred, dtype), jnp.asarray(weight, dtype)
    widened = [
        np.asarray(x, np.float32) if jnp.issubdtype(x.dtype, jnp.floating) else x
        for x in (np.asarray(low_true), np.asarray(low_pred), np.asarray(low_weight))
    ]
    with jax.numpy_rank_promotion("allow"):
        reference = getattr(keras.metrics, cls)(**options)
        reference.update_state(*widened[:2], sample_weight=widened[2])
    metric = getattr(jm.metrics, cls)(**options).update(low_true, low_pred, low_weight)
    assert np.isfinite(metric.compute())
    np.testing.assert_allclose(
        metric.compute(), reference.result(), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_ignore_class_averages_valid_entries(weighted):
    y_true, y_pred, weight = data("sparse", 3, 13)
    w = weight if weighted else np.ones(13, np.float32)
    valid = y_true != 2
    # Float64 NumPy from the formula: mean of -log(p[y] / sum p) over valid entries.
    probs = y_pred.astype(np.float64) / y_pred.sum(-1, keepdims=True)
    losses = -np.log(np.clip(probs[np.arange(13), y_true], 1e-7, 1 - 1e-7))
    expected = (losses * w * valid).sum() / (w * valid).sum()
    metric = jm.metrics.SparseCategoricalCrossentropy(ignore_class=2)
    metric = metric.update(y_true, y_pred, weight if weighted else None)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)
    if weighted:  # Keras agrees when a sample_weight is passed.
        reference = keras.metrics.SparseCategoricalCrossentropy(ignore_class=2)
        reference.update_state(y_true, y_pred, sample_weight=weight)
        np.testing.assert_allclose(metric.compute(), reference.result(), rtol=1e-5)


# An (N, 1) weight with ignore_class: Keras' value, for (N,) and (N, 1) labels.
@pytest.mark.parametrize("label_shape", [(13,), (13, 1)], ids=["labels_n", "n_by_1"])
def test_sparse_ignore_class_with_column_weight(label_shape):
    y_true, y_pred, weight = data("sparse", 4, 13)
    y_true, weight = y_true.reshape(label_shape), weight[:, None]
    options = {"ignore_class": 2, "from_logits": True}
    reference = keras.metrics.SparseCategoricalCrossentropy(**options)
    reference.update_state(y_true, y_pred, sample_weight=weight)
    metric = jm.metrics.SparseCategoricalCrossentropy(**options)
    metric = metric.update(y_true, y_pred, weight)
    np.testing.assert_allclose(metric.compute(), reference.result(), rtol=1e-5)


@pytest.mark.parametrize("cls", ["Hinge", "SquaredHinge"])
@pytest.mark.parametrize(
    "labels",
    [(0.0, 1.0), (-1.0, 1.0), (-1.0, 0.0, 1.0), (0.0, 0.5, 1.0), (0.0,), (1.0,)],
    ids=str,
)
def test_hinge_label_rule(cls, labels):
    """Keras maps labels to {-1, 1} only when every label is 0 or 1."""
    rng = np.random.default_rng(len(labels))
    y_true = rng.choice(np.asarray(labels, np.float32), (9, 3))
    y_pred = rng.normal(size=(9, 3)).astype(np.float32)
    reference = getattr(keras.metrics, cls)()
    reference.update_state(y_true, y_pred)
    metric = getattr(jm.metrics, cls)().update(y_true, y_pred)
    np.testing.assert_allclose(metric.compute(), reference.result(), rtol=1e-6)


@pytest.mark.parametrize("cls", ["KLDivergence", "LogCoshError"])
def test_chunked_update(cls):
    """> 2^19 entries update over row chunks on the CPU: Keras' value."""
    rng = np.random.default_rng(12)
    shape = (70_001, 8)  # two chunks and a tail
    y_true = rng.dirichlet(np.ones(8), shape[0]).astype(np.float32)
    y_pred = rng.dirichlet(np.ones(8), shape[0]).astype(np.float32)
    weight = rng.uniform(0, 2, shape[0]).astype(np.float32)
    metric = getattr(jm.metrics, cls)()
    assert_chunked_on_cpu(metric, y_true, y_pred, weight)
    for w in (None, weight):
        reference = getattr(keras.metrics, cls)()
        reference.update_state(y_true, y_pred, sample_weight=w)
        got = metric.update(y_true, y_pred, w).compute()
        np.testing.assert_allclose(got, reference.result(), rtol=1e-5)
