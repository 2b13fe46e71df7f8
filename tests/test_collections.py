"""Metrics, Losses and LossesAndMetrics collections."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm
from jax_metrics.metrics._base import state
from tests._helpers.keras_reference import keras_loss, keras_metric


def _batch(seed, n=9, classes=4):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, classes, size=(n,))
    logits = rng.normal(size=(n, classes)).astype(np.float32)
    y_pred = np.asarray(jax.nn.softmax(logits), np.float32)
    weight = rng.uniform(0.5, 2, size=(n,)).astype(np.float32)
    return y_true, y_pred, weight


def test_metrics_route_keywords_by_signature():
    ms = jm.Metrics(
        {"acc": jm.metrics.SparseCategoricalAccuracy(), "avg": jm.metrics.Mean()},
        prefix="val/",
    )
    y_true, y_pred, weight = _batch(0)
    values = np.arange(9, dtype=np.float32)
    ms = ms.update(y_true=y_true, y_pred=y_pred, sample_weight=weight, values=values)
    out = ms.compute()
    assert list(out) == ["val/acc", "val/avg"]
    expected_acc = keras_metric("SparseCategoricalAccuracy", [(y_true, y_pred, weight)])
    np.testing.assert_allclose(out["val/acc"], expected_acc, rtol=1e-6)
    # Mean accepts sample_weight too, so it is weighted.
    np.testing.assert_allclose(
        out["val/avg"], np.average(values, weights=weight), rtol=1e-6
    )


def test_metrics_reject_an_argument_no_member_accepts():
    ms = jm.Metrics([jm.metrics.SparseCategoricalAccuracy()])
    y_true, y_pred, _ = _batch(1)
    with pytest.raises(
        TypeError, match=r"expected arguments accepted .*'sample_wieght'"
    ):
        ms.update(y_true=y_true, y_pred=y_pred, sample_wieght=np.ones(9))


def test_metrics_route_extra_arguments_and_name_a_typo_first():
    """`groups` reaches only the fairness member; a typo of it is named, not
    reported by that member as a missing argument."""
    y_true = np.array([0, 1, 1, 0, 1, 0])
    y_pred = np.array([0.2, 0.7, 0.4, 0.9, 0.8, 0.1], np.float32)
    groups = np.array([0, 0, 0, 1, 1, 1])
    ms = jm.Metrics(
        [jm.metrics.BinaryGroupStatRates(num_groups=2), jm.metrics.BinaryAccuracy()]
    )
    out = ms.update(y_true, y_pred, groups=groups).compute()
    # float64 reference: group 0 has tp=1 (0.7), fn=1 (0.4), tn=1 (0.2);
    # group 1 has tp=1 (0.8), fp=1 (0.9), tn=1 (0.1)
    np.testing.assert_allclose(
        out["binary_group_stat_rates/group_0"], np.array([1, 0, 1, 1]) / 3, rtol=1e-6
    )
    np.testing.assert_allclose(
        out["binary_group_stat_rates/group_1"], np.array([1, 1, 1, 0]) / 3, rtol=1e-6
    )
    np.testing.assert_allclose(out["binary_accuracy"], 4 / 6, rtol=1e-6)
    with pytest.raises(TypeError, match=r"received \['group'\] which no member"):
        ms.update(y_true, y_pred, group=groups)


def test_metrics_list_with_duplicate_names_is_rejected():
    with pytest.raises(ValueError, match="expected metrics with distinct names"):
        jm.Metrics([jm.metrics.Mean(), jm.metrics.Mean()])


def test_metrics_reject_non_metrics():
    with pytest.raises(TypeError, match="expected jax_metrics Metric instances"):
        jm.Metrics({"x": "accuracy"})


class _Counts(jm.Metric):
    """A test metric whose statistics can be shared (counts of labels)."""

    counts = state("sum")

    def __init__(self, *, scale=1.0, group="a", name=None):
        self.scale = scale
        self.group = group
        super().__init__(name=name)

    def init_state(self):
        return {"counts": jnp.zeros((3,), jnp.float32)}

    def update(self, y_true, y_pred=None, sample_weight=None):
        del y_pred, sample_weight
        return self.replace(counts=self.counts + jax.nn.one_hot(y_true, 3).sum(0))

    def compute(self):
        return self.counts * self.scale

    def statistics_key(self):
        return ("counts", self.group)


def test_shared_statistics_are_updated_once_and_computed_per_member():
    ms = jm.Metrics(
        {
            "a": _Counts(scale=1.0),
            "b": _Counts(scale=2.0),
            "c": _Counts(scale=1.0, group="other"),
        }
    )
    # Members a and b share one state (same statistics key); c has its own.
    assert sorted(ms.members) == ["a", "c"]
    labels = np.array([0, 1, 1, 2, 2, 2])
    ms = ms.update(y_true=labels)
    expected = np.bincount(labels, minlength=3).astype(np.float64)
    out = ms.compute()
    np.testing.assert_allclose(out["a"], expected)
    np.testing.assert_allclose(out["b"], 2 * expected)
    np.testing.assert_allclose(out["c"], expected)


def test_metrics_merge_reduce_and_jit():
    ms = jm.Metrics([jm.metrics.SparseCategoricalAccuracy(), jm.metrics.Mean()])
    a, b = _batch(2), _batch(3)
    step = jax.jit(lambda m, y, p, v: m.update(y_true=y, y_pred=p, values=v))
    part_a = step(ms, a[0], a[1], a[2])
    part_b = step(ms, b[0], b[1], b[2])
    whole = ms.update(
        y_true=np.concatenate([a[0], b[0]]),
        y_pred=np.concatenate([a[1], b[1]]),
        values=np.concatenate([a[2], b[2]]),
    )
    merged = part_a.merge(part_b).compute()
    for key, value in whole.compute().items():
        np.testing.assert_allclose(merged[key], value, rtol=1e-6)
    stacked = jax.tree.map(lambda *x: jnp.stack(x), part_a, part_b)
    for key, value in stacked.reduce_stacked().compute().items():
        np.testing.assert_allclose(value, whole.compute()[key], rtol=1e-6)
    assert ms.reset().compute()["mean"] == 0.0


def test_losses_weighted_total_matches_keras():
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=(7, 3)).astype(np.float32)
    y_pred = rng.normal(size=(7, 3)).astype(np.float32)
    weight = rng.uniform(size=(7,)).astype(np.float32)
    losses = jm.Losses(
        {"mse": jm.losses.MeanSquaredError(), "mae": jm.losses.MeanAbsoluteError()},
        weights={"mae": 0.25},
    )
    total, losses = losses.loss_and_update(y_true, y_pred, weight)
    mse = keras_loss("MeanSquaredError", y_true, y_pred, weight)
    mae = keras_loss("MeanAbsoluteError", y_true, y_pred, weight)
    np.testing.assert_allclose(total, mse + 0.25 * mae, rtol=1e-6)
    out = losses.compute()
    np.testing.assert_allclose(out["mse"], mse, rtol=1e-6)
    np.testing.assert_allclose(out["mae"], mae, rtol=1e-6)


def test_losses_running_mean_is_weighted_by_batch_size():
    losses = jm.Losses([jm.losses.MeanAbsoluteError()])
    _, losses = losses.loss_and_update(np.zeros((2, 1)), np.ones((2, 1)))
    _, losses = losses.loss_and_update(np.zeros((6, 1)), 3 * np.ones((6, 1)))
    assert float(losses.compute()["loss"]) == pytest.approx((2 * 1 + 6 * 3) / 8)


def test_losses_reject_bad_weights():
    with pytest.raises(ValueError, match="expected loss weights for"):
        jm.Losses({"mse": jm.losses.MeanSquaredError()}, weights={"msee": 1.0})
    with pytest.raises(ValueError, match="expected 1 loss weights, received 2"):
        jm.Losses([jm.losses.MeanSquaredError()], weights=[1.0, 2.0])


def test_loss_and_update_is_differentiable_and_jits_once():
    lm = jm.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    y_true, _, _ = _batch(4)
    logits = np.random.default_rng(4).normal(size=(9, 4)).astype(np.float32)
    traces = []

    @jax.jit
    def step(lm, logits, y):
        traces.append(1)

        def loss_fn(z):
            return lm.loss_and_update(y, jax.nn.softmax(z))

        (loss, lm), grad = jax.value_and_grad(loss_fn, has_aux=True)(logits)
        return loss, lm, grad

    for _ in range(3):
        _, lm, grad = step(lm, logits, y_true)
    assert len(traces) == 1
    # d/dz of mean cross-entropy of softmax(z) is (softmax(z) - onehot) / n.
    probs = np.asarray(jax.nn.softmax(logits), np.float64)
    expected = (probs - np.eye(4)[y_true]) / 9
    np.testing.assert_allclose(grad, expected, rtol=1e-4, atol=1e-6)
    out = lm.compute()
    assert set(out) == {"loss", "accuracy"}
    np.testing.assert_allclose(
        out["accuracy"], np.mean(probs.argmax(1) == y_true), rtol=1e-6
    )
    np.testing.assert_allclose(
        out["loss"],
        keras_loss("SparseCategoricalCrossentropy", y_true, probs),
        rtol=1e-5,
    )
