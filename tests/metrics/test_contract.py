"""The shared metric contract, run over every registered case."""

import inspect

import numpy as np
import pytest

import jax_metrics as jm
from tests._helpers.contract import all_cases, assert_values_close, run_contract

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_contract(case):
    run_contract(case)


def _concrete_metrics():
    for name in jm.metrics.__all__:
        obj = getattr(jm.metrics, name)
        if inspect.isclass(obj) and issubclass(obj, jm.Metric) and obj is not jm.Metric:
            yield obj


def test_every_metric_is_registered():
    """Every public metric class appears in at least one contract case."""
    covered = {type(case.make()) for case in CASES}
    missing = sorted(m.__name__ for m in _concrete_metrics() if m not in covered)
    assert not missing, f"metrics without a contract case: {missing}"


# Cases whose `sample_weight` is not a repetition count, by design.
_WEIGHT_NOT_A_COUNT = {
    # Keras' adjustment uses the number of rows, whatever their weights.
    "R2Score-adjusted",
}
_WEIGHTED = [
    c for c in CASES if "sample_weight" in c.batch(np.random.default_rng(0), 2)
]


@pytest.mark.parametrize("case", _WEIGHTED, ids=[c.id for c in _WEIGHTED])
def test_integer_weights_equal_repeated_samples(case):
    """Weighting a sample by k is the same as repeating it k times."""
    batch = case.batch(np.random.default_rng(1), 8)
    counts = np.random.default_rng(2).integers(1, 4, 8)
    weight = np.asarray(batch["sample_weight"])
    shape = (8,) + (1,) * (weight.ndim - 1)
    weighted = {
        **batch,
        "sample_weight": np.broadcast_to(counts.reshape(shape), weight.shape),
    }
    repeated = {k: np.repeat(np.asarray(v), counts, axis=0) for k, v in batch.items()}
    repeated["sample_weight"] = np.ones_like(repeated["sample_weight"])
    metric = case.make()
    actual = metric.update(**weighted).compute()
    expected = metric.update(**repeated).compute()
    if isinstance(actual, dict) and "thresholds=None" in case.id:
        # Exact curves have one point per entry: compare the sets of points.
        actual, expected = _distinct_points(actual), _distinct_points(expected)
    if case.id in _WEIGHT_NOT_A_COUNT:
        with pytest.raises(AssertionError):
            assert_values_close(actual, expected, rtol=1e-4, atol=1e-5)
        return
    assert_values_close(actual, expected, rtol=1e-4, atol=1e-5)


def _distinct_points(curve):
    """The distinct points of a curve dict (per class on a trailing axis)."""
    keys = sorted(curve)
    columns = [np.asarray(curve[k], np.float64) for k in keys]
    size = min(c.shape[0] for c in columns)  # PR curves end with a point
    rows = np.stack([c[:size] for c in columns], axis=-1)  # without threshold
    rows = rows.reshape(size, -1, len(keys)).transpose(1, 0, 2)
    return {f"class {i}": np.unique(np.round(r, 5), axis=0) for i, r in enumerate(rows)}
