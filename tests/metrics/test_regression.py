"""Regression metrics: parity with Keras 3 (JAX backend), scikit-learn, NumPy."""

import keras
import numpy as np
import pytest
import sklearn.metrics as skm

import jax_metrics as jm

M = jm.metrics

KERAS_RUNNING_MEANS = [
    ("MeanSquaredError", {}),
    ("RootMeanSquaredError", {}),
    ("MeanAbsoluteError", {}),
    ("MeanAbsolutePercentageError", {}),
    ("MeanSquaredLogarithmicError", {}),
    ("LogCoshError", {}),
    ("CosineSimilarity", {"axis": -1}),
    ("PearsonCorrelation", {"axis": -1}),
    ("ConcordanceCorrelation", {"axis": -1}),
]


def _data(seed, n, d=3, dtype=np.float32):
    rng = np.random.default_rng(seed)
    y_true = rng.uniform(0.1, 2.0, size=(n, d))
    y_pred = y_true + rng.normal(scale=0.3, size=(n, d))
    weight = rng.uniform(0.0, 2.0, size=(n,))
    return y_true.astype(dtype), y_pred.astype(dtype), weight.astype(np.float32)


def _keras(name, options, batches):
    metric = getattr(keras.metrics, name)(**options)
    for y_true, y_pred, weight in batches:
        metric.update_state(y_true, y_pred, sample_weight=weight)
    return float(metric.result())


def _ours(metric, batches):
    for y_true, y_pred, weight in batches:
        metric = metric.update(y_true, y_pred, sample_weight=weight)
    return float(metric.compute())


@pytest.mark.parametrize(("name", "options"), KERAS_RUNNING_MEANS)
@pytest.mark.parametrize("weighted", [False, True])
def test_keras_running_means(name, options, weighted):
    batches = []
    for seed, n in [(0, 7), (1, 13)]:
        y_true, y_pred, weight = _data(seed, n)
        batches.append((y_true, y_pred, weight if weighted else None))
    expected = _keras(name, options, batches)
    actual = _ours(getattr(M, name)(**options), batches)
    np.testing.assert_allclose(actual, expected, rtol=2e-5, atol=1e-6)


# Keras' Mean counts samples: a 1-D batch counts each entry, a batch of rank
# 3 averages the trailing axes of each sample. (PearsonCorrelation over a
# last axis of length 1 is NaN in Keras and 0 here, the documented rule.)
@pytest.mark.parametrize("tail", [(), (1,), (4, 3)], ids=["1d", "n_by_1", "3d"])
@pytest.mark.parametrize(("name", "options"), KERAS_RUNNING_MEANS)
@pytest.mark.parametrize("weighted", [False, True])
def test_keras_running_means_other_ranks(name, options, tail, weighted):
    if name == "PearsonCorrelation" and tail == (1,):
        pytest.skip("Keras gives NaN for a last axis of length 1")
    rng = np.random.default_rng(len(tail))
    batches = []
    for n in (7, 13):
        y_true = rng.uniform(0.1, 2.0, size=(n, *tail)).astype(np.float32)
        y_pred = (y_true + rng.normal(scale=0.3, size=y_true.shape)).astype(np.float32)
        weight = rng.uniform(0.0, 2.0, size=(n,)).astype(np.float32)
        batches.append((y_true, y_pred, weight if weighted else None))
    try:
        expected = _keras(name, options, batches)
    except ValueError:  # a per-batch value (1-D inputs) with per-sample weights
        with pytest.raises(ValueError, match="expected sample_weight of rank at most"):
            _ours(getattr(M, name)(**options), batches)
        return
    actual = _ours(getattr(M, name)(**options), batches)
    np.testing.assert_allclose(actual, expected, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["MeanSquaredError", "R2Score", "LogCoshError"])
def test_bfloat16_inputs_accumulate_in_float32(name):
    import jax.numpy as jnp

    options = {"num_outputs": 3} if name == "R2Score" else {}
    y_true, y_pred, weight = _data(3, 13)
    ref = _ours(getattr(M, name)(**options), [(y_true, y_pred, weight)])
    metric = getattr(M, name)(**options).update(
        jnp.asarray(y_true, jnp.bfloat16), jnp.asarray(y_pred, jnp.bfloat16), weight
    )
    for leaf in metric.state_dict.values():
        assert leaf.dtype == jnp.float32
    np.testing.assert_allclose(float(metric.compute()), ref, rtol=3e-2, atol=3e-2)


@pytest.mark.parametrize(
    "aggregation", [None, "uniform_average", "variance_weighted_average"]
)
@pytest.mark.parametrize("num_regressors", [0, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_r2_score_keras_parity(aggregation, num_regressors, weighted):
    batches = []
    for i in range(3):
        y_true, y_pred, weight = _data(i, 7)
        batches.append((y_true, y_pred, weight if weighted else None))
    keras_metric = keras.metrics.R2Score(
        class_aggregation=aggregation, num_regressors=num_regressors
    )
    metric = M.R2Score(
        class_aggregation=aggregation, num_regressors=num_regressors, num_outputs=3
    )
    for y_true, y_pred, weight in batches:
        keras_metric.update_state(y_true, y_pred, sample_weight=weight)
        metric = metric.update(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(
        np.asarray(metric.compute()), np.asarray(keras_metric.result()), rtol=1e-4
    )


def test_r2_score_matches_sklearn_weighted():
    y_true, y_pred, weight = _data(5, 13)
    metric = M.R2Score(num_outputs=3, class_aggregation=None)
    metric = metric.update(y_true, y_pred, weight)
    expected = skm.r2_score(
        y_true, y_pred, sample_weight=weight, multioutput="raw_values"
    )
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)


def test_empty_states_are_documented_values():
    assert float(M.R2Score().compute()) == 0.0
    assert float(M.MeanSquaredError().compute()) == 0.0
    assert float(M.RootMeanSquaredError().compute()) == 0.0
    assert float(M.Perplexity().compute()) == 1.0
    assert float(M.ExplainedVariance().compute()) == 1.0


def _np_weights(weight, shape):
    return np.broadcast_to(weight.reshape(-1, *([1] * (len(shape) - 1))), shape)


def _tweedie(t, p, power):
    if power == 0:
        return (t - p) ** 2
    if power == 1:
        return 2 * (np.where(t > 0, t * np.log(np.where(t > 0, t, 1) / p), 0) + p - t)
    if power == 2:
        return 2 * (np.log(p / t) + t / p - 1)
    return 2 * (
        np.maximum(t, 0) ** (2 - power) / ((1 - power) * (2 - power))
        - t * p ** (1 - power) / (1 - power)
        + p ** (2 - power) / (2 - power)
    )


@pytest.mark.parametrize("power", [-1.0, 0.0, 1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_tweedie_matches_sklearn(power, weighted):
    y_true, y_pred, weight = _data(int(power * 2) + 7, 13)
    y_true, y_pred = y_true[:, 0], y_pred[:, 0] ** 2 + 0.1
    weight = weight if weighted else None
    metric = M.TweedieDevianceScore(power=power).update(y_true, y_pred, weight)
    expected = skm.mean_tweedie_deviance(
        y_true.astype(np.float64),
        y_pred.astype(np.float64),
        sample_weight=weight,
        power=power,
    )
    np.testing.assert_allclose(float(metric.compute()), expected, rtol=1e-4)


def _reference(name, t, y, w, **options):
    """float64 NumPy formulas (weighted), written from the definitions."""
    t, p = t.astype(np.float64), y.astype(np.float64)
    w = _np_weights(w.astype(np.float64), t.shape)
    mean = lambda v: np.sum(w * v) / np.sum(w)  # noqa: E731
    if name == "SymmetricMeanAbsolutePercentageError":
        return mean(2 * np.abs(p - t) / np.maximum(np.abs(t) + np.abs(p), 1.17e-6))
    if name == "WeightedMeanAbsolutePercentageError":
        return np.sum(w * np.abs(p - t)) / np.sum(w * np.abs(t))
    if name == "MeanSquaredLogError":
        return mean((np.log1p(p) - np.log1p(t)) ** 2)
    if name == "MinkowskiDistance":
        return np.sum(w * np.abs(p - t) ** options["p"]) ** (1 / options["p"])
    if name == "CriticalSuccessIndex":
        a, b = t >= options["threshold"], p >= options["threshold"]
        hits, misses, alarms = (np.sum(w * (x)) for x in (a & b, a & ~b, ~a & b))
        return hits / (hits + misses + alarms)
    if name == "RelativeSquaredError":
        wc = w[:, 0]
        mu = np.average(t, axis=0, weights=wc)
        rse = np.sum(w * (t - p) ** 2, 0) / np.sum(w * (t - mu) ** 2, 0)
        return np.mean(rse if options.get("squared", True) else np.sqrt(rse))
    raise AssertionError(name)


ELEMENTWISE = [
    ("SymmetricMeanAbsolutePercentageError", {}),
    ("WeightedMeanAbsolutePercentageError", {}),
    ("MeanSquaredLogError", {}),
    ("MinkowskiDistance", {"p": 1}),
    ("MinkowskiDistance", {"p": 3.5}),
    ("CriticalSuccessIndex", {"threshold": 1.0}),
    ("RelativeSquaredError", {"squared": False, "num_outputs": 3}),
]


@pytest.mark.parametrize(("name", "options"), ELEMENTWISE)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("seed", "n"), [(2, 13)])
def test_torchmetrics_family_matches_numpy(name, options, weighted, seed, n):
    y_true, y_pred, weight = _data(seed, n)
    weight = weight if weighted else np.ones(n, np.float32)
    metric = getattr(M, name)(**options)
    for part in (slice(0, 3), slice(3, None)):
        metric = metric.update(y_true[part], y_pred[part], weight[part])
    expected = _reference(name, y_true, y_pred, weight, **options)
    np.testing.assert_allclose(float(metric.compute()), expected, rtol=2e-5)


@pytest.mark.parametrize(
    ("name", "options"), [o for o in ELEMENTWISE if "num_outputs" not in o[1]]
)
def test_torchmetrics_family_takes_an_n_by_1_weight_on_1d_inputs(name, options):
    """The shared rule: a (n, 1) weight weights the samples of 1-D inputs."""
    y_true, y_pred, weight = _data(5, 9)
    y_true, y_pred = y_true[:, 0], y_pred[:, 0]
    metric = getattr(M, name)(**options).update(y_true, y_pred, weight[:, None])
    expected = _reference(name, y_true, y_pred, weight, **options)
    np.testing.assert_allclose(float(metric.compute()), expected, rtol=2e-5)
    if name == "MeanSquaredLogError":
        sklearn_value = skm.mean_squared_log_error(y_true, y_pred, sample_weight=weight)
        np.testing.assert_allclose(float(metric.compute()), sklearn_value, rtol=2e-5)


def test_tweedie_takes_an_n_by_1_weight_on_1d_inputs():
    y_true, y_pred, weight = _data(6, 9)
    y_true, y_pred = y_true[:, 0], y_pred[:, 0] ** 2 + 0.1
    metric = M.TweedieDevianceScore(power=1.5).update(y_true, y_pred, weight[:, None])
    expected = skm.mean_tweedie_deviance(
        y_true, y_pred, sample_weight=weight, power=1.5
    )
    np.testing.assert_allclose(float(metric.compute()), expected, rtol=1e-4)


@pytest.mark.parametrize("normalization", ["mean", "range", "std", "l2"])
@pytest.mark.parametrize("weighted", [False, True])
def test_nrmse_matches_numpy(normalization, weighted):
    y_true, y_pred, weight = _data(4, 13, d=2)
    weight = weight if weighted else np.ones(13, np.float32)
    metric = M.NormalizedRootMeanSquaredError(
        normalization=normalization, num_outputs=2
    )
    metric = metric.update(y_true[:5], y_pred[:5], weight[:5])
    metric = metric.update(y_true[5:], y_pred[5:], weight[5:])
    t, p, w = (x.astype(np.float64) for x in (y_true, y_pred, weight))
    rmse = np.sqrt(np.average((t - p) ** 2, axis=0, weights=w))
    mu = np.average(t, axis=0, weights=w)
    scale = {
        "mean": mu,
        "range": t.max(0) - t.min(0),
        "std": np.sqrt(np.average((t - mu) ** 2, axis=0, weights=w)),
        "l2": np.sqrt(np.sum(w[:, None] * t**2, 0)),
    }[normalization]
    np.testing.assert_allclose(metric.compute(), rmse / scale, rtol=2e-5)


@pytest.mark.parametrize(
    "multioutput", ["raw_values", "uniform_average", "variance_weighted"]
)
@pytest.mark.parametrize("weighted", [False, True])
def test_explained_variance_matches_sklearn(multioutput, weighted):
    y_true, y_pred, weight = _data(6, 13)
    weight = weight if weighted else None
    metric = M.ExplainedVariance(multioutput=multioutput, num_outputs=3)
    metric = metric.update(y_true, y_pred, weight)
    expected = skm.explained_variance_score(
        y_true, y_pred, sample_weight=weight, multioutput=multioutput
    )
    np.testing.assert_allclose(metric.compute(), expected, rtol=2e-5)


@pytest.mark.parametrize("case", ["single_sample", "constant_targets"])
def test_explained_variance_weighted_with_constant_targets_matches_sklearn(case):
    # Every output's weight (target variance) is 0: scikit-learn averages
    # the outputs uniformly instead of dividing 0 by 0.
    if case == "single_sample":
        y_true, y_pred = np.array([[3.0, 1.0]]), np.array([[2.0, 1.0]])
    else:
        y_true = np.array([[2.0, 1.0], [2.0, 1.0], [2.0, 1.0]])
        y_pred = np.array([[2.0, 0.0], [2.0, 1.0], [2.0, 2.0]])
    metric = M.ExplainedVariance(multioutput="variance_weighted", num_outputs=2)
    expected = skm.explained_variance_score(
        y_true, y_pred, multioutput="variance_weighted"
    )
    np.testing.assert_allclose(
        metric.update(y_true, y_pred).compute(), expected, rtol=1e-6
    )


def test_jensen_shannon_matches_scipy():
    from scipy.spatial.distance import jensenshannon

    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(5), size=7)
    q = rng.dirichlet(np.ones(5), size=7)
    w = rng.uniform(0.1, 2, size=7)
    jsd = jensenshannon(p, q, axis=1) ** 2
    for log_prob in (False, True):
        args = (np.log(p), np.log(q)) if log_prob else (p, q)
        m = M.JensenShannonDivergence(log_prob=log_prob).update(*args, w)
        np.testing.assert_allclose(float(m.compute()), np.average(jsd, weights=w), 1e-5)
    m = M.JensenShannonDivergence(reduction="sum").update(p, q)
    np.testing.assert_allclose(float(m.compute()), jsd.sum(), rtol=1e-5)


def test_crps_matches_numpy():
    rng = np.random.default_rng(1)
    t, x, w = rng.normal(size=7), rng.normal(size=(7, 6)), rng.uniform(size=7)
    crps = np.abs(x - t[:, None]).mean(1) - np.abs(x[:, :, None] - x[:, None, :]).sum(
        (1, 2)
    ) / (2 * 36)
    m = M.ContinuousRankedProbabilityScore().update(t, x, w)
    np.testing.assert_allclose(float(m.compute()), np.average(crps, weights=w), 1e-5)


def test_perplexity_token_weighted_with_ignore_index():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(3, 5, 7))
    labels = rng.integers(0, 7, size=(3, 5))
    labels[0, :2] = -100
    labels[1, 0] = 99  # out of range: ignored
    w = rng.uniform(0.5, 2, size=(3,))
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    valid = (labels >= 0) & (labels < 7)
    nll = -np.take_along_axis(log_p, np.where(valid, labels, 0)[..., None], -1)[..., 0]
    weights = np.where(valid, w[:, None], 0.0)
    expected = np.exp(np.sum(weights * nll) / np.sum(weights))
    m = M.Perplexity(ignore_index=-100).update(labels, logits.astype(np.float32), w)
    np.testing.assert_allclose(float(m.compute()), expected, rtol=1e-5)


def test_tweedie_ignores_out_of_domain_entries():
    m = M.TweedieDevianceScore(power=2.0).update(
        np.array([1.0, 2.0, -1.0]), np.array([2.0, 2.0, 1.0])
    )
    expected = np.mean(_tweedie(np.array([1.0, 2.0]), np.array([2.0, 2.0]), 2))
    np.testing.assert_allclose(float(m.compute()), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: M.R2Score(class_aggregation="sum"), "expected one of"),
        (lambda: M.R2Score(num_regressors=-1), "expected `num_regressors` >= 0"),
        (lambda: M.ExplainedVariance(multioutput="x"), "expected one of"),
        (lambda: M.NormalizedRootMeanSquaredError(normalization="x"), "expected one"),
        (lambda: M.TweedieDevianceScore(power=0.5), "expected `power` <= 0 or >= 1"),
        (lambda: M.MinkowskiDistance(p=0.5), "expected `p` a number >= 1"),
        (lambda: M.JensenShannonDivergence(reduction="none"), "expected one of"),
        (lambda: M.RelativeSquaredError(num_outputs=0), "expected `num_outputs` >= 1"),
    ],
)
def test_bad_options(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_shapes():
    with pytest.raises(ValueError, match=r"expected inputs of shape \(batch, 2\)"):
        M.R2Score(num_outputs=2).update(np.ones((4, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="pass num_outputs=3 when building"):
        M.R2Score().update(np.ones((4, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="expected y_true and y_pred of the same"):
        M.SymmetricMeanAbsolutePercentageError().update(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match=r"expected y_pred of shape \(batch, members"):
        M.ContinuousRankedProbabilityScore().update(np.ones(3), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"expected y_pred logits of shape"):
        M.Perplexity().update(np.ones((2, 3), int), np.ones((2, 4, 5)))
    with pytest.raises(TypeError, match="expected integer y_true labels"):
        M.Perplexity().update(np.ones((2, 3)), np.ones((2, 3, 5)))
