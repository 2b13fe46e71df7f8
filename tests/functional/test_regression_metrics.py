"""Functional regression and correlation metrics vs scikit-learn and scipy."""

import numpy as np
import pytest
import scipy.stats
import sklearn.metrics as skm

import jax_metrics.functional as F


def _data(seed=0, n=13, d=None):
    rng = np.random.default_rng(seed)
    shape = (n,) if d is None else (n, d)
    t = rng.uniform(0.1, 3.0, size=shape)
    p = t + rng.normal(scale=0.4, size=shape)
    return t.astype(np.float32), np.abs(p).astype(np.float32), rng.uniform(size=n)


@pytest.mark.parametrize("weighted", [False, True])
def test_functional_forms_match_references(weighted):
    t, p, w = _data()
    sw = w if weighted else None
    t64, p64 = t.astype(np.float64), p.astype(np.float64)
    checks = [
        (F.r2_score(t, p, sample_weight=sw), skm.r2_score(t64, p64, sample_weight=sw)),
        (
            F.explained_variance(t, p, sample_weight=sw),
            skm.explained_variance_score(t64, p64, sample_weight=sw),
        ),
        (
            F.tweedie_deviance_score(t, p, sample_weight=sw, power=1.5),
            skm.mean_tweedie_deviance(t64, p64, sample_weight=sw, power=1.5),
        ),
        (
            F.mean_squared_log_error(t, p, sample_weight=sw),
            skm.mean_squared_log_error(t64, p64, sample_weight=sw),
        ),
    ]
    for actual, expected in checks:
        np.testing.assert_allclose(float(actual), expected, rtol=2e-5)


def test_functional_correlations_match_scipy():
    t, p, _ = _data(1)
    np.testing.assert_allclose(
        float(F.pearson_corrcoef(t, p)), scipy.stats.pearsonr(t, p)[0], rtol=1e-5
    )
    np.testing.assert_allclose(
        float(F.spearman_corrcoef(t, p)), scipy.stats.spearmanr(t, p)[0], rtol=1e-5
    )
    np.testing.assert_allclose(
        float(F.kendall_rank_corrcoef(t, p)), scipy.stats.kendalltau(t, p)[0], 1e-5
    )


def test_functional_multioutput():
    t, p, _ = _data(2, d=3)
    np.testing.assert_allclose(
        F.r2_score(t, p, class_aggregation=None, num_outputs=3),
        skm.r2_score(t, p, multioutput="raw_values"),
        rtol=1e-5,
    )
    with pytest.raises(ValueError, match="expected one of"):
        F.r2_score(t, p, class_aggregation="bad", num_outputs=3)
    with pytest.raises(ValueError, match=r"expected `power` <= 0 or >= 1"):
        F.tweedie_deviance_score(t, p, power=0.5)


@pytest.mark.parametrize("d", [None, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_log_cosh_error_per_output(d, weighted):
    # float64 NumPy from the formula: the weighted mean over samples of
    # log(cosh(p - t)), per output column.
    t, p, w = _data(seed=4, n=17, d=d)
    p[0] = t[0] + 200.0  # cosh overflows float32; the value stays finite
    sw = w if weighted else np.ones(17)
    error = p.astype(np.float64) - t.astype(np.float64)
    values = np.abs(error) + np.log1p(np.exp(-2 * np.abs(error))) - np.log(2)
    weights = sw if d is None else sw[:, None]
    expected = (values * weights).sum(0) / np.broadcast_to(weights, values.shape).sum(0)
    actual = F.log_cosh_error(t, p, sample_weight=w if weighted else None)
    assert actual.shape == (() if d is None else (d,))
    np.testing.assert_allclose(actual, expected, rtol=1e-5)
    # Integer weights count as repeated samples.
    repeat = np.arange(17) % 3
    np.testing.assert_allclose(
        F.log_cosh_error(t, p, sample_weight=repeat),
        F.log_cosh_error(np.repeat(t, repeat, 0), np.repeat(p, repeat, 0)),
        rtol=1e-5,
    )
    with pytest.raises(ValueError, match=r"expected inputs of shape \(n,\) or"):
        F.log_cosh_error(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
