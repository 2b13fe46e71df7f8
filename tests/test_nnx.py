"""The Flax NNX adapter: protocol, nnx.jit, MultiMetric routing."""

import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from sklearn.metrics import accuracy_score

import jax_metrics as jm
from jax_metrics.nnx import NNXMetric


def _batches(seed=0, n=13, classes=4):
    rng = np.random.default_rng(seed)
    for size in (n, n, n):
        yield (
            rng.normal(size=(size, classes)).astype(np.float32),
            rng.integers(0, classes, size=(size,)),
            rng.normal(size=(size,)).astype(np.float32),
        )


@pytest.mark.parametrize("masked", [False, True])
def test_multimetric_under_nnx_jit(masked):
    metrics = nnx.MultiMetric(
        accuracy=NNXMetric(
            jm.metrics.SparseCategoricalAccuracy(),
            argnames={"y_true": "labels", "y_pred": "logits"},
        ),
        loss=NNXMetric(jm.metrics.Mean(), argnames={"values": "loss"}),
        flax_loss=nnx.metrics.Average("loss"),
    )

    @nnx.jit
    def step(metrics, logits, labels, loss, mask):
        metrics.update(logits=logits, labels=labels, loss=loss, mask=mask)

    all_logits, all_labels, all_loss, all_mask = [], [], [], []
    for logits, labels, loss in _batches():
        mask = (labels != 0).astype(np.float32) if masked else np.ones_like(loss)
        step(metrics, logits, labels, loss, mask)
        all_logits.append(logits)
        all_labels.append(labels)
        all_loss.append(loss)
        all_mask.append(mask)
    logits, labels = np.concatenate(all_logits), np.concatenate(all_labels)
    loss, mask = np.concatenate(all_loss), np.concatenate(all_mask)
    result = metrics.compute()
    np.testing.assert_allclose(
        result["accuracy"],
        accuracy_score(labels, logits.argmax(-1), sample_weight=mask),
        rtol=1e-6,
    )
    expected_loss = np.sum(loss * mask) / np.sum(mask)
    np.testing.assert_allclose(result["loss"], expected_loss, rtol=1e-5)
    np.testing.assert_allclose(result["flax_loss"], expected_loss, rtol=1e-5)
    metrics.reset()
    assert float(metrics.compute()["accuracy"]) == 0.0
    assert isinstance(metrics.accuracy.metric, jm.metrics.SparseCategoricalAccuracy)


def test_wrapper_and_logs():
    tracked = NNXMetric(jm.metrics.MetricTracker(jm.metrics.Accuracy(), capacity=4))
    tracked.update(y_true=jnp.array([1, 2]), y_pred=jnp.array([1, 0]))
    assert tracked.compute_logs(prefix="val/") == {"val/accuracy": 0.5}
    assert isinstance(tracked, nnx.metrics.Metric)


def test_bad_inputs():
    with pytest.raises(TypeError, match="expected a jax_metrics Metric"):
        NNXMetric(nnx.metrics.Average())
    metric = NNXMetric(jm.metrics.Accuracy(), argnames={"y_pred": "logits"})
    with pytest.raises(TypeError, match=r"expected keyword arguments \['y_true'"):
        metric.update(logits=jnp.array([1]))


def test_collections_and_wrappers_take_only_what_they_use():
    y_true, y_pred = (
        jnp.array([1, 0, 2]),
        jnp.array([[0.1, 0.9, 0], [1, 0, 0], [0, 1, 0]]),
    )
    mask = jnp.array([1.0, 1.0, 0.0])
    metrics = nnx.MultiMetric(
        collection=NNXMetric(
            jm.Metrics([jm.metrics.SparseCategoricalAccuracy(), jm.metrics.Mean()])
        ),
        tracked=NNXMetric(
            jm.metrics.MetricTracker(jm.metrics.SparseCategoricalAccuracy(), capacity=2)
        ),
        flax_loss=nnx.metrics.Average("values"),
    )
    metrics.update(
        y_true=y_true,
        y_pred=y_pred,
        values=jnp.array([1.0, 2.0, 9.0]),
        mask=mask,
        unused=1,
    )
    result = metrics.compute()
    # The mask became sample_weight for the jax_metrics members.
    np.testing.assert_allclose(result["collection"]["sparse_categorical_accuracy"], 1.0)
    np.testing.assert_allclose(result["collection"]["mean"], 1.5)
    np.testing.assert_allclose(result["tracked"], 1.0)
    np.testing.assert_allclose(result["flax_loss"], 1.5)
