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
