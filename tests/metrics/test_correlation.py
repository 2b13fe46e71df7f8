"""Correlation metrics: parity with Keras 3 and scipy; buffers; bad input."""

import jax
import numpy as np
import pytest
import scipy.stats

import jax_metrics as jm

M = jm.metrics


def _data(seed, n, d=None, ties=False):
    rng = np.random.default_rng(seed)
    shape = (n,) if d is None else (n, d)
    t = rng.normal(size=shape)
    p = t + rng.normal(size=shape)
    if ties:
        t, p = np.round(t), np.round(p)
    w = rng.uniform(0.5, 2.0, size=(n,))
    return t.astype(np.float32), p.astype(np.float32), w.astype(np.float32)


def _weighted_pearson(x, y, w):
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    cov = np.sum(w * (x - mx) * (y - my))
    return cov / np.sqrt(np.sum(w * (x - mx) ** 2) * np.sum(w * (y - my) ** 2))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n", [7, 13])
def test_pearson_corrcoef_matches_numpy(weighted, n):
    t, p, w = _data(n, n)
    w = w if weighted else np.ones_like(w)
    m = M.PearsonCorrCoef().update(t[:3], p[:3], w[:3]).update(t[3:], p[3:], w[3:])
    expected = _weighted_pearson(t.astype(float), p.astype(float), w.astype(float))
    np.testing.assert_allclose(float(m.compute()), expected, rtol=1e-5)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_spearman_matches_scipy(ties, weighted):
    t, p, w = _data(3, 13, d=2, ties=ties)
    w = w if weighted else np.ones_like(w)
    m = M.SpearmanCorrCoef(capacity=32, num_outputs=2)
    m = m.update(t[:6], p[:6], w[:6]).update(t[6:], p[6:], w[6:])
    expected = [
        _weighted_pearson(_weighted_ranks(t[:, i], w), _weighted_ranks(p[:, i], w), w)
        for i in range(2)
    ]
    if not weighted:  # the weighted ranks are scipy's mid-ranks then
        np.testing.assert_allclose(
            _weighted_ranks(t[:, 0], w), scipy.stats.rankdata(t[:, 0])
        )
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-5)


def _weighted_ranks(x, w):
    """rank_i = W(x < x_i) + (W(x == x_i) + 1) / 2, in float64."""
    below = np.sum(w[None, :] * (x[None, :] < x[:, None]), axis=1)
    equal = np.sum(w[None, :] * (x[None, :] == x[:, None]), axis=1)
    return below + (equal + 1.0) / 2.0


def test_spearman_integer_weights_equal_repeated_samples():
    t, p, _ = _data(9, 11, ties=True)
    w = np.arange(1, 12) % 3 + 1
    m = M.SpearmanCorrCoef(capacity=16).update(t, p, w)
    expected = scipy.stats.spearmanr(np.repeat(t, w), np.repeat(p, w)).statistic
    np.testing.assert_allclose(float(m.compute()), expected, rtol=1e-5)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("variant", ["a", "b", "c"])
def test_kendall_matches_scipy(ties, variant):
    t, p, _ = _data(4, 13, ties=ties)
    m = M.KendallRankCorrCoef(variant=variant, capacity=16).update(t, p)
    if variant in ("b", "c"):
        expected = scipy.stats.kendalltau(t, p, variant=variant).statistic
    else:
        s = np.sign(t[:, None] - t[None]) * np.sign(p[:, None] - p[None])
        expected = s.sum() / (13 * 12)
    np.testing.assert_allclose(float(m.compute()), expected, rtol=1e-5)


def test_kendall_c_integer_weights_equal_repeated_samples():
    t, p, _ = _data(6, 9, ties=True)
    w = np.arange(1, 10) % 3 + 1
    m = M.KendallRankCorrCoef(variant="c", capacity=16).update(t, p, w)
    expected = scipy.stats.kendalltau(
        np.repeat(t, w), np.repeat(p, w), variant="c"
    ).statistic
    np.testing.assert_allclose(float(m.compute()), expected, rtol=1e-5)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("variant", ["b", "c"])
def test_kendall_t_test_matches_scipy(variant, alternative):
    t, p, _ = _data(7, 25, ties=True)
    m = M.KendallRankCorrCoef(
        variant=variant, t_test=True, alternative=alternative, capacity=32
    )
    value = m.update(t, p).compute()
    expected = scipy.stats.kendalltau(
        t, p, variant=variant, method="asymptotic", alternative=alternative
    )
    np.testing.assert_allclose(float(value["tau"]), expected.statistic, rtol=1e-5)
    np.testing.assert_allclose(float(value["p_value"]), expected.pvalue, rtol=1e-4)


def test_kendall_t_test_weights_are_repetitions_and_tau_a_formula():
    t, p, _ = _data(8, 11, ties=True)
    w = np.arange(1, 12) % 3 + 1
    m = M.KendallRankCorrCoef(t_test=True, capacity=16).update(t, p, w)
    expected = scipy.stats.kendalltau(
        np.repeat(t, w), np.repeat(p, w), method="asymptotic"
    )
    np.testing.assert_allclose(
        float(m.compute()["p_value"]), expected.pvalue, rtol=1e-4
    )
    # Tau-a: z = S / sqrt(n(n-1)(2n+5)/18), no tie correction (float64).
    n = t.size
    s = np.sum(np.sign(t[:, None] - t[None]) * np.sign(p[:, None] - p[None])) / 2
    z = s / np.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    tau, p_value = jm.functional.kendall_rank_corrcoef(
        t, p, variant="a", t_test=True, alternative="greater"
    )
    np.testing.assert_allclose(float(tau), s / (n * (n - 1) / 2), rtol=1e-5)
    np.testing.assert_allclose(float(p_value), scipy.stats.norm.sf(z), rtol=1e-4)


def test_kendall_weighted_pair_form():
    t, p, w = _data(5, 7, ties=True)
    m = M.KendallRankCorrCoef(capacity=8).update(t, p, w)
    sx, sy = np.sign(t[:, None] - t[None]), np.sign(p[:, None] - p[None])
    pair = w[:, None] * w[None]
    expected = np.sum(pair * sx * sy) / np.sqrt(
        np.sum(pair * np.abs(sx)) * np.sum(pair * np.abs(sy))
    )
    np.testing.assert_allclose(float(m.compute()), expected, rtol=1e-5)


def test_rank_buffer_skips_nan_and_zero_weight_rows():
    t, p, w = _data(6, 7)
    t2 = np.concatenate([t, [np.nan, 1.0]]).astype(np.float32)
    p2 = np.concatenate([p, [1.0, 2.0]]).astype(np.float32)
    w2 = np.concatenate([w, [1.0, 0.0]]).astype(np.float32)
    full = M.SpearmanCorrCoef(capacity=16).update(t2, p2, w2)
    clean = M.SpearmanCorrCoef(capacity=16).update(t, p, w)
    np.testing.assert_allclose(float(full.compute()), float(clean.compute()))


def test_rank_buffer_overflow_is_loud():
    t, p, _ = _data(7, 13)
    m = M.SpearmanCorrCoef(capacity=8).update(t, p)
    with pytest.raises(OverflowError, match="capacity=8"):
        m.compute()
    with pytest.raises(Exception, match="capacity=8"):
        jax.block_until_ready(jax.jit(lambda m: m.compute())(m))


@pytest.mark.parametrize("name", ["PearsonCorrelation", "ConcordanceCorrelation"])
@pytest.mark.parametrize("weighted", [False, True])
def test_keras_correlations(name, weighted):
    import keras

    t, p, w = _data(8, 7, d=5)
    w = w if weighted else None
    ours = getattr(M, name)(axis=-1).update(t, p, w).update(p, t, w)
    theirs = getattr(keras.metrics, name)(axis=-1)
    theirs.update_state(t, p, sample_weight=w)
    theirs.update_state(p, t, sample_weight=w)
    np.testing.assert_allclose(float(ours.compute()), float(theirs.result()), 1e-5)


def test_bad_input():
    with pytest.raises(ValueError, match="expected one of"):
        M.KendallRankCorrCoef(variant="d")
    with pytest.raises(ValueError, match="`alternative`: expected one of"):
        M.KendallRankCorrCoef(t_test=True, alternative="two_sided")
    with pytest.raises(ValueError, match="expected `capacity` >= 1"):
        M.SpearmanCorrCoef(capacity=0)
    with pytest.raises(ValueError, match=r"expected inputs of shape \(batch, 2\)"):
        M.PearsonCorrCoef(num_outputs=2).update(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="same shape"):
        M.PearsonCorrCoef().update(np.ones(3), np.ones(4))
