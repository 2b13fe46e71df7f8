"""The Module/Metric/Loss bases: immutability, config, reductions, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm
from jax_metrics.functional import reduce_weighted_values
from tests._helpers.keras_reference import keras_loss


def test_objects_are_immutable():
    metric = jm.metrics.Mean()
    with pytest.raises(AttributeError, match=r"expected a new object from `.replace"):
        metric.total = jnp.zeros((2,))
    loss = jm.losses.MeanSquaredError()
    with pytest.raises(AttributeError, match="is immutable"):
        loss.reduction = "sum"


def test_unknown_reduction_is_rejected_with_the_allowed_set():
    with pytest.raises(ValueError, match=r"expected one of .*received reduction='avg'"):
        jm.losses.MeanSquaredError(reduction="avg")


def test_loss_is_a_config_only_pytree():
    loss = jm.losses.MeanSquaredError(reduction="sum")
    assert jax.tree.leaves(loss) == []
    rebuilt = jax.tree.unflatten(jax.tree.structure(loss), [])
    assert rebuilt.get_config() == loss.get_config()

    @jax.jit
    def f(loss, a, b):
        return loss(a, b)

    assert float(f(loss, jnp.zeros((2, 1)), jnp.ones((2, 1)))) == 2.0


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]
)
@pytest.mark.parametrize("weight_shape", [None, (7,), (7, 1), (7, 3)])
def test_reductions_match_keras(reduction, weight_shape):
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=(7, 3, 2)).astype(np.float32)
    y_pred = rng.normal(size=(7, 3, 2)).astype(np.float32)
    weight = None
    if weight_shape is not None:
        weight = rng.uniform(size=weight_shape).astype(np.float32)
    ours = jm.losses.MeanAbsoluteError(reduction=reduction)(y_true, y_pred, weight)
    # A (batch,) weight against (batch, time) values is where Keras' trailing
    # broadcast fails; our rule aligns it with the leading axes, which is what
    # Keras computes for the equivalent (batch, 1) weight.
    keras_weight = weight[:, None] if weight_shape == (7,) else weight
    expected = keras_loss(
        "MeanAbsoluteError", y_true, y_pred, keras_weight, reduction=reduction
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-7)


def test_mask_normalises_over_valid_entries():
    values = jnp.array([1.0, 2.0, 3.0, 4.0])
    mask = jnp.array([True, False, True, False])
    assert float(reduce_weighted_values(values, mask=mask)) == pytest.approx(2.0)
    none_valid = reduce_weighted_values(values, mask=jnp.zeros(4, bool))
    assert float(none_valid) == 0.0


def test_loss_function_wrapper_config_round_trip():
    loss = jm.losses.LossFunctionWrapper(
        jm.functional.huber, reduction="sum", delta=0.5
    )
    again = jm.losses.LossFunctionWrapper.from_config(loss.get_config())
    a, b = jnp.array([[0.0, 2.0]]), jnp.array([[1.0, 1.0]])
    assert float(again(a, b)) == float(loss(a, b))
    assert again.get_config() == loss.get_config()


def test_metric_merge_requires_the_same_configuration():
    a = jm.metrics.BinaryAccuracy(threshold=0.5)
    b = jm.metrics.BinaryAccuracy(threshold=0.7)
    with pytest.raises(ValueError, match="expected a BinaryAccuracy with the same"):
        a.merge(b)


def test_eager_update_runs_compiled_and_traces_once_per_shape():
    traces = []

    class Counting(jm.metrics.Sum):
        def update(self, values, sample_weight=None):
            traces.append(1)
            return super().update(values, sample_weight)

    metric = Counting()
    for _ in range(3):
        metric = metric.update(jnp.ones((5,)))
    assert len(traces) == 1
    assert float(metric.compute()) == 15.0


def test_compute_logs_are_python_floats():
    metric = jm.metrics.Mean().update(jnp.array([1.0, 2.0]))
    logs = metric.compute_logs("train/")
    assert logs == {"train/mean": 1.5}
    assert type(logs["train/mean"]) is float


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "none"])
def test_batch_level_loss_with_per_sample_weights_matches_keras(reduction):
    rng = np.random.default_rng(1)
    y_true = rng.uniform(size=(6,)).astype(np.float32)
    y_pred = rng.uniform(size=(6,)).astype(np.float32)
    weight = rng.uniform(size=(6,)).astype(np.float32)
    # Binary cross-entropy on 1-D inputs reduces to one value for the batch.
    ours = jm.losses.BinaryCrossentropy(reduction=reduction)(y_true, y_pred, weight)
    expected = keras_loss(
        "BinaryCrossentropy", y_true, y_pred, weight, reduction=reduction
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-5)
