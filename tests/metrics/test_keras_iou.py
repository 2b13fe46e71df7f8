"""Keras IoU metrics: parity with Keras 3 (JAX backend) and bad input."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import keras
import numpy as np
import pytest

import jax_metrics as jm

# Keras' IoU asks for int64 arrays, which JAX truncates to int32 (harmless).
pytestmark = pytest.mark.filterwarnings("ignore:Explicitly requested dtype int64")


def keras_result(cls, args, kwargs, y_true, y_pred, weight):
    with jax.numpy_rank_promotion("allow"):
        metric = getattr(keras.metrics, cls)(*args, dtype="float32", **kwargs)
        metric.update_state(y_true, y_pred, sample_weight=weight)
        return np.asarray(metric.result(), np.float64)


def check(cls, args, kwargs, y_true, y_pred, weight):
    expected = keras_result(cls, args, kwargs, y_true, y_pred, weight)
    metric = getattr(jm.metrics, cls)(*args, **kwargs).update(y_true, y_pred, weight)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("cls", "args", "kwargs"),
    [
        ("IoU", (4, [0, 2]), {}),
        ("IoU", (4, [1]), {"ignore_class": 0}),
        ("MeanIoU", (4,), {}),
        ("MeanIoU", (4,), {"ignore_class": 3}),
    ],
    ids=str,
)
@pytest.mark.parametrize(("seed", "n", "weighted"), [(0, 7, True), (1, 13, False)])
def test_sparse_parity(cls, args, kwargs, seed, n, weighted):
    rng = np.random.default_rng(seed)
    # Ids outside [0, 4) are ignored by both.
    y_true, y_pred = rng.integers(-1, 5, (n, 2)), rng.integers(0, 4, (n, 2))
    weight = rng.uniform(0, 2, (n, 2)).astype(np.float32) if weighted else None
    check(cls, args, kwargs, y_true, y_pred, weight)


@pytest.mark.parametrize(
    ("cls", "args", "kwargs"),
    [
        ("OneHotIoU", (3, [0, 2]), {}),
        ("OneHotMeanIoU", (3,), {"ignore_class": 1}),
        ("IoU", (3, [1, 2]), {"sparse_y_true": False, "sparse_y_pred": False}),
        ("MeanIoU", (3,), {"sparse_y_pred": False}),
    ],
    ids=str,
)
@pytest.mark.parametrize(("seed", "n", "weighted"), [(2, 13, True), (3, 7, False)])
def test_one_hot_parity(cls, args, kwargs, seed, n, weighted):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    y_true = np.eye(3, dtype=np.float32)[labels] if cls != "MeanIoU" else labels
    y_pred = rng.uniform(size=(n, 3)).astype(np.float32)
    weight = rng.uniform(0, 2, n).astype(np.float32) if weighted else None
    check(cls, args, kwargs, y_true, y_pred, weight)


# An (N, 1) weight with 1-D ids: Keras flattens the weight.
@pytest.mark.parametrize(
    ("cls", "args", "kwargs", "kind"),
    [
        ("IoU", (3, [0, 2]), {}, "ids"),
        ("MeanIoU", (3,), {"ignore_class": 1}, "ids"),
        ("MeanIoU", (3,), {"sparse_y_pred": False}, "scores"),
        ("BinaryIoU", (), {}, "binary"),
        ("OneHotMeanIoU", (3,), {}, "one_hot"),
    ],
    ids=str,
)
def test_column_weight_with_one_dimensional_ids(cls, args, kwargs, kind):
    rng = np.random.default_rng(6)
    labels = rng.integers(0, 3, 13)
    y_true, y_pred = labels, rng.integers(0, 3, 13)
    if kind == "scores":
        y_pred = rng.uniform(size=(13, 3)).astype(np.float32)
    elif kind == "binary":
        y_true, y_pred = labels % 2, rng.uniform(size=13).astype(np.float32)
    elif kind == "one_hot":
        y_true = np.eye(3, dtype=np.float32)[labels]
        y_pred = rng.uniform(size=(13, 3)).astype(np.float32)
    weight = rng.uniform(0, 2, (13, 1)).astype(np.float32)
    check(cls, args, kwargs, y_true, y_pred, weight)


@pytest.mark.parametrize("kwargs", [{}, {"threshold": 0.3}, {"target_class_ids": [1]}])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_parity_with_ties(kwargs, weighted):
    rng = np.random.default_rng(4)
    y_true = rng.integers(0, 2, (13, 1)).astype(np.float32)
    y_pred = rng.choice(np.array([0.0, 0.3, 0.5, 0.8], np.float32), (13, 1))
    weight = rng.uniform(0, 2, 13).astype(np.float32) if weighted else None
    check("BinaryIoU", (), kwargs, y_true, y_pred, weight)


def test_functional_forms_and_empty():
    rng = np.random.default_rng(5)
    y_true, y_pred = rng.integers(0, 3, 13), rng.integers(0, 3, 13)
    expected = keras_result("MeanIoU", (3,), {}, y_true, y_pred, None)
    np.testing.assert_allclose(
        jm.functional.mean_iou(y_true, y_pred, num_classes=3), expected, rtol=1e-6
    )
    expected = keras_result("IoU", (3, [2]), {}, y_true, y_pred, None)
    np.testing.assert_allclose(
        jm.functional.iou(y_true, y_pred, num_classes=3, target_class_ids=[2]),
        expected,
        rtol=1e-6,
    )
    assert float(jax.jit(lambda m: m.compute())(jm.metrics.MeanIoU(3))) == 0.0


def test_bad_input():
    with pytest.raises(ValueError, match=r"expected target_class_ids in \[0, 3\)"):
        jm.metrics.IoU(3, [0, 3])
    with pytest.raises(ValueError, match="expected num_classes to be a positive int"):
        jm.metrics.MeanIoU(0)
    with pytest.raises(ValueError, match="expected y_true and y_pred with the same"):
        jm.metrics.MeanIoU(3).update(np.zeros(4, int), np.zeros(5, int))
    # One-hot rows and scores need a class axis of num_classes: a wider one
    # would give class ids past num_classes, a 1-D input has no class axis.
    for shape in [(6,), (6, 4), (6, 2)]:
        with pytest.raises(ValueError, match="with 3 classes on axis -1"):
            jm.metrics.OneHotMeanIoU(3).update(np.ones(shape), np.ones(shape))
    with pytest.raises(ValueError, match="expected y_pred of one-hot rows or scores"):
        jm.metrics.MeanIoU(3, sparse_y_pred=False).update(np.zeros(6), np.ones((6, 4)))
