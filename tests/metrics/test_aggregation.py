"""Aggregation metrics against Keras 3 and float64 NumPy."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm
from jax_metrics import _numerics
from tests._helpers.keras_reference import keras_metric

SHAPES = [(7,), (7, 3), (13, 2, 3)]
WEIGHT_SHAPES = {(7,): [(7,), (7, 1)], (7, 3): [(7,), (7, 1), (7, 3)]}


def _data(seed, shape, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape).astype(dtype) for _ in range(3)]


@pytest.mark.parametrize("name", ["Mean", "Sum"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1])
def test_unweighted_matches_keras(name, shape, seed):
    batches = _data(seed, shape)
    metric = getattr(jm.metrics, name)()
    for values in batches:
        metric = metric.update(values)
    expected = keras_metric(name, [(v,) for v in batches])
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["Mean", "Sum"])
@pytest.mark.parametrize(
    ("shape", "weight_shape"),
    [(s, w) for s, ws in WEIGHT_SHAPES.items() for w in ws],
)
def test_weighted_matches_keras(name, shape, weight_shape):
    rng = np.random.default_rng(3)
    batches = [
        (
            rng.normal(size=shape).astype(np.float32),
            rng.uniform(0, 2, size=weight_shape).astype(np.float32),
        )
        for _ in range(3)
    ]
    metric = getattr(jm.metrics, name)()
    for values, weight in batches:
        metric = metric.update(values, sample_weight=weight)
    expected = keras_metric(name, batches)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5, atol=1e-6)


def test_bfloat16_values_accumulate_in_float32():
    values = np.random.default_rng(0).normal(size=(64,)).astype(np.float32)
    as_bf16 = jnp.asarray(values, jnp.bfloat16)
    metric = jm.metrics.Mean().update(as_bf16)
    expected = np.asarray(as_bf16, np.float64).mean()
    assert metric.total.dtype == jnp.float32
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-6)


@pytest.mark.parametrize(("name", "reduce"), [("Min", np.min), ("Max", np.max)])
def test_extrema_against_numpy(name, reduce):
    rng = np.random.default_rng(1)
    batches = [rng.normal(size=(7, 3)).astype(np.float32) for _ in range(3)]
    weights = [rng.integers(0, 2, size=(7,)).astype(np.float32) for _ in range(3)]
    metric = getattr(jm.metrics, name)()
    for values, weight in zip(batches, weights, strict=True):
        metric = metric.update(values, sample_weight=weight)
    kept = np.concatenate(
        [v[w > 0] for v, w in zip(batches, weights, strict=True)], axis=0
    )
    assert float(metric.compute()) == pytest.approx(float(reduce(kept)))


def test_empty_values():
    assert float(jm.metrics.Mean().compute()) == 0.0
    assert float(jm.metrics.Sum().compute()) == 0.0
    assert float(jm.metrics.Min().compute()) == np.inf
    assert float(jm.metrics.Max().compute()) == -np.inf


def test_mean_metric_wrapper_matches_keras():
    import keras
    import keras.src.metrics.accuracy_metrics

    rng = np.random.default_rng(5)
    batches = [
        (
            rng.integers(0, 3, size=(9,)),
            rng.integers(0, 3, size=(9,)),
            rng.uniform(size=(9,)).astype(np.float32),
        )
        for _ in range(2)
    ]
    metric = jm.metrics.MeanMetricWrapper(jm.functional.accuracy)
    reference = keras.metrics.MeanMetricWrapper(
        keras.src.metrics.accuracy_metrics.accuracy
    )
    for y_true, y_pred, weight in batches:
        metric = metric.update(y_true, y_pred, sample_weight=weight)
        reference.update_state(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(metric.compute(), reference.result(), rtol=1e-6)


def test_mean_counts_three_billion_samples_exactly():
    """3e9 weight-1 samples in 300 batches of 10^7 under `lax.scan`."""
    batch, steps = 10_000_000, 300

    @jax.jit
    def run(metric):
        def step(m, i):
            # Values 0, 1, 2 repeating: the exact mean is 1, and every batch
            # total (10^7) is an integer that float32 holds exactly.
            values = (jnp.arange(batch, dtype=jnp.int32) + i) % 3
            return m.update(values.astype(jnp.float32)), None

        return jax.lax.scan(step, metric, jnp.arange(steps))[0]

    metric = run(jm.metrics.Mean())
    assert _numerics.to_python(metric.count) == 3_000_000_000
    assert float(metric.compute()) == pytest.approx(1.0, rel=1e-7)
    # A plain float32 running count would be off here: float32 cannot hold
    # every multiple of 10^7 above 2^31.
    naive = np.float32(0)
    for _ in range(steps):
        naive = np.float32(naive + np.float32(batch))
    assert float(naive) != 3e9


def test_sample_weight_rank_too_high_is_rejected():
    with pytest.raises(ValueError, match="expected sample_weight of rank at most"):
        jm.metrics.Mean().update(jnp.ones((4,)), sample_weight=jnp.ones((4, 2, 2)))


def test_sample_weight_shape_mismatch_is_rejected():
    with pytest.raises(ValueError, match="expected sample_weight broadcastable"):
        jm.metrics.Mean().update(jnp.ones((4, 3)), sample_weight=jnp.ones((5,)))
