"""Wrappers against independent references (float64 NumPy, scikit-learn)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from sklearn.metrics import accuracy_score

import jax_metrics as jm

M = jm.metrics


def _batches(seed, sizes=(7, 13, 5)):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(n,)).astype(np.float32) for n in sizes]


# MetricTracker -----------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("maximize", [True, False])
def test_tracker_history_and_best(seed, maximize):
    rng = np.random.default_rng(seed)
    tracker = M.MetricTracker(M.Accuracy(), capacity=8, maximize=maximize)
    expected = []
    step = jax.jit(lambda t, a, b: t.update(a, b).increment())
    for _ in range(5):
        y_true = rng.integers(0, 3, size=(13,))
        y_pred = rng.integers(0, 3, size=(13,))
        expected.append(accuracy_score(y_true, y_pred))
        tracker = step(tracker, y_true, y_pred)
    np.testing.assert_allclose(tracker.compute_all(), expected, rtol=1e-6)
    best, best_step = tracker.best_metric(return_step=True)
    ref_step = int(np.argmax(expected) if maximize else np.argmin(expected))
    assert int(best_step) == ref_step
    np.testing.assert_allclose(best, expected[ref_step], rtol=1e-6)
    assert int(tracker.steps) == 5
    # reset() keeps the history, reset_all() clears it.
    assert tracker.reset().compute_all().shape == (5,)
    assert tracker.reset_all().compute_all().shape == (0,)


def test_tracker_defaults_and_dict_values():
    assert M.MetricTracker(M.Accuracy()).maximize == (True,)
    multitask = M.MultitaskWrapper({"a": M.Accuracy(), "b": M.Mean()})
    tracker = M.MetricTracker(multitask, capacity=4, maximize={"a": True, "b": False})
    for a_pred, b_values in (([1, 0], [3.0]), ([1, 1], [1.0]), ([0, 0], [2.0])):
        tracker = tracker.update(
            {"a": jnp.array([1, 1]), "b": jnp.array(b_values)},
            {"a": jnp.array(a_pred), "b": jnp.array(b_values)},
        )
        tracker = tracker.increment()
    history = tracker.compute_all()
    np.testing.assert_allclose(history["a"], [0.5, 1.0, 0.0])
    best, step = tracker.best_metric(return_step=True)
    assert (int(step["a"]), int(step["b"])) == (1, 1)
    np.testing.assert_allclose([best["a"], best["b"]], [1.0, 1.0])


def test_tracker_empty_and_overflow():
    tracker = M.MetricTracker(M.Mean(), capacity=2, maximize=True)
    value, step = tracker.best_metric(return_step=True)
    assert np.isnan(value)
    assert int(step) == -1
    for x in (1.0, 2.0, 3.0):
        tracker = tracker.update(jnp.array([x])).increment()
    with pytest.raises(ValueError, match="expected at most capacity=2 epochs"):
        tracker.compute_all()
    value, step = tracker.best_metric(return_step=True)
    assert np.isnan(value)
    assert int(step) == -1


def test_tracker_bad_config():
    with pytest.raises(ValueError, match="expected `maximize=True` or `False`"):
        M.MetricTracker(M.Mean())
    with pytest.raises(ValueError, match="expected `capacity` to be a positive"):
        M.MetricTracker(M.Accuracy(), capacity=0)
    with pytest.raises(TypeError, match="expected `metric` to be a jax_metrics"):
        M.MetricTracker("accuracy")
    with pytest.raises(ValueError, match="expected `maximize` to have one entry"):
        M.MetricTracker(M.Accuracy(), maximize={"x": True})


class _Unweighted(M.Max):
    """A metric whose update takes no sample_weight."""

    def update(self, values):
        return super().update(values)


# BootStrapper --------------------------------------------------------------------
@pytest.mark.parametrize("strategy", ["poisson", "multinomial"])
def test_bootstrap_statistics(strategy):
    rng = np.random.default_rng(3)
    data = rng.normal(2.0, 1.5, size=(3, 101)).astype(np.float32)
    boot = M.BootStrapper(
        M.Mean(), num_bootstraps=256, sampling_strategy=strategy, raw=True
    )
    step = jax.jit(lambda b, x: b.update(x))
    for batch in data:
        boot = step(boot, batch)
    result = boot.compute()
    flat = data.astype(np.float64).ravel()
    sample_mean = flat.mean()
    standard_error = flat.std(ddof=1) / np.sqrt(flat.size)
    raw = np.asarray(result["raw"], np.float64)
    assert raw.shape == (256,)
    # The bootstrap means centre on the sample mean; their spread is the
    # standard error of the mean (within the Monte Carlo error of 256 draws).
    assert abs(result["mean"] - sample_mean) < 4 * standard_error / np.sqrt(256) + 1e-3
    np.testing.assert_allclose(result["std"], standard_error, rtol=0.2)
    np.testing.assert_allclose(result["std"], raw.std(ddof=1), rtol=1e-4)
    np.testing.assert_allclose(
        [result["lower"], result["upper"]],
        np.quantile(raw, [0.025, 0.975]),
        rtol=1e-4,
    )
    assert result["lower"] < sample_mean < result["upper"]


@pytest.mark.parametrize("weight_size", [6, 5])
def test_bootstrap_multinomial_rejects_inputs_of_other_sizes(weight_size):
    # Resampled indices would gather a clamped, misaligned row from the
    # longer input without a complaint.
    boot = M.BootStrapper(
        M.MeanSquaredError(), num_bootstraps=2, sampling_strategy="multinomial"
    )
    y_true, y_pred = np.zeros((5, 2)), np.ones((6 if weight_size == 5 else 5, 2))
    with pytest.raises(ValueError, match="same number of samples"):
        boot.update(y_true, y_pred, sample_weight=np.ones(weight_size))


def test_bootstrap_multinomial_keeps_batch_size_and_key():
    # Every multinomial resample of a batch has exactly n samples.
    boot = M.BootStrapper(M.Sum(), num_bootstraps=8, sampling_strategy="multinomial")
    for _ in range(2):
        boot = boot.update(jnp.ones((7,)))
    np.testing.assert_allclose(boot.compute()["std"], 0.0)
    np.testing.assert_allclose(boot.compute()["mean"], 14.0)
    # An explicit key reproduces; different default keys per update differ.
    x = jnp.arange(9.0)
    poisson = M.BootStrapper(M.Mean(), num_bootstraps=8)
    key = jax.random.PRNGKey(42)
    a = poisson.update(x, key=key).compute()
    b = poisson.update(x, key=key).compute()
    np.testing.assert_array_equal(a["mean"], b["mean"])
    # Default keys differ per update: the same batch twice is resampled anew
    # (with one key reused, the running means would not move).
    raw = M.BootStrapper(M.Mean(), num_bootstraps=8, raw=True)
    once, twice = raw.update(x), raw.update(x).update(x)
    assert int(twice.updates) == 2
    assert not np.array_equal(once.compute()["raw"], twice.compute()["raw"])


def test_bootstrap_sample_weight_poisson():
    # Zero weights exclude samples from every resample.
    x = jnp.array([1.0, 100.0, 1.0, 1.0])
    weight = jnp.array([1.0, 0.0, 1.0, 1.0])
    boot = M.BootStrapper(M.Mean(), num_bootstraps=16).update(x, sample_weight=weight)
    np.testing.assert_allclose(boot.compute()["upper"], 1.0)


def test_bootstrap_bad_config():
    with pytest.raises(ValueError, match="expected `sampling_strategy` in"):
        M.BootStrapper(M.Mean(), sampling_strategy="jackknife")
    with pytest.raises(ValueError, match="expected `num_bootstraps` to be"):
        M.BootStrapper(M.Mean(), num_bootstraps=0.5)
    with pytest.raises(ValueError, match="expected `num_bootstraps` >= 2"):
        M.BootStrapper(M.Mean(), num_bootstraps=1)
    with pytest.raises(ValueError, match="expected a metric whose update takes"):
        M.BootStrapper(_Unweighted(), sampling_strategy="poisson")
    M.BootStrapper(_Unweighted(), num_bootstraps=2, sampling_strategy="multinomial")
    with pytest.raises(ValueError, match="expected `confidence_level` in"):
        M.BootStrapper(M.Mean(), confidence_level=1.5)


# ClasswiseWrapper -----------------------------------------------------------------
def test_classwise_keys_and_values():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(13, 3)).astype(np.float32)
    base = M.MultioutputWrapper(M.Mean(), num_outputs=3)
    m = M.ClasswiseWrapper(base, labels=["a", "b", "c"]).update(x)
    expected = x.astype(np.float64).mean(axis=0)
    assert list(m.compute()) == ["mean_a", "mean_b", "mean_c"]
    np.testing.assert_allclose(list(m.compute().values()), expected, rtol=1e-5)
    named = M.ClasswiseWrapper(base, prefix="p/", postfix="_x").update(x)
    assert list(named.compute()) == ["p/0_x", "p/1_x", "p/2_x"]
    logs = named.compute_logs(prefix="val/")
    assert sorted(logs) == ["val/mean/p/0_x", "val/mean/p/1_x", "val/mean/p/2_x"]


def test_classwise_bad_config():
    base = M.MultioutputWrapper(M.Mean(), num_outputs=3)
    with pytest.raises(ValueError, match="expected 3 labels"):
        M.ClasswiseWrapper(base, labels=["a"])
    with pytest.raises(ValueError, match="expected a metric whose value is a 1-D"):
        M.ClasswiseWrapper(M.Mean())


# MinMaxMetric -------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1])
def test_minmax_tracks_running_values(seed):
    batches = _batches(seed)
    m = M.MinMaxMetric(M.Mean())
    step = jax.jit(lambda m, x: m.update(x))
    running = []
    for i, b in enumerate(batches):
        m = step(m, b)
        running.append(np.concatenate(batches[: i + 1]).astype(np.float64).mean())
    result = m.compute()
    np.testing.assert_allclose(result["raw"], running[-1], rtol=1e-5)
    np.testing.assert_allclose(result["min"], min(running), rtol=1e-5)
    np.testing.assert_allclose(result["max"], max(running), rtol=1e-5)
    empty = M.MinMaxMetric(M.Mean()).compute()
    assert float(empty["min"]) == np.inf
    assert float(empty["max"]) == -np.inf


# Running ------------------------------------------------------------------------
@pytest.mark.parametrize("window", [1, 2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_running_window(window, weighted):
    rng = np.random.default_rng(window)
    batches = [rng.normal(size=(n,)).astype(np.float32) for n in (7, 13, 5, 9)]
    weights = [rng.uniform(0, 2, size=b.shape).astype(np.float32) for b in batches]
    m = M.Running(M.Mean(), window=window)
    for b, w in zip(batches, weights, strict=True):
        m = m.update(b, sample_weight=w if weighted else None)
    values = np.concatenate(batches[-window:]).astype(np.float64)
    w = np.concatenate(weights[-window:]) if weighted else np.ones_like(values)
    np.testing.assert_allclose(m.compute(), np.sum(values * w) / np.sum(w), rtol=1e-5)


def test_running_call_appends():
    m = M.Running(M.Sum(), window=2)
    value, m = m(jnp.array([1.0]))
    value, m = m(jnp.array([2.0]))
    value, m = m(jnp.array([4.0]))
    assert float(value) == 4.0
    assert float(m.compute()) == 6.0


# MultioutputWrapper -------------------------------------------------------------
@pytest.mark.parametrize("output_dim", [0, -1])
@pytest.mark.parametrize("weighted", [False, True])
def test_multioutput_matches_per_column(output_dim, weighted):
    rng = np.random.default_rng(5)
    y_true = rng.integers(0, 3, size=(13, 4))
    y_pred = rng.integers(0, 3, size=(13, 4))
    weight = rng.uniform(0, 1, size=(13,)).astype(np.float32) if weighted else None
    m = M.MultioutputWrapper(M.Accuracy(), num_outputs=4, output_dim=output_dim)
    if output_dim == 0:
        m = m.update(y_true.T, y_pred.T, sample_weight=weight)
    else:
        m = m.update(y_true, y_pred, sample_weight=weight)
    expected = [
        accuracy_score(y_true[:, j], y_pred[:, j], sample_weight=weight)
        for j in range(4)
    ]
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-5)


def test_multioutput_bad_shape():
    m = M.MultioutputWrapper(M.Accuracy(), num_outputs=3)
    with pytest.raises(ValueError, match="expected 3 outputs on axis -1"):
        m.update(jnp.zeros((4, 2)), jnp.zeros((4, 2)))


# MultitaskWrapper ---------------------------------------------------------------
def test_multitask_dict_inputs():
    rng = np.random.default_rng(2)
    kind_true, kind_pred = rng.integers(0, 3, (13,)), rng.normal(size=(13, 3))
    size_true, size_pred = rng.normal(size=(13,)), rng.normal(size=(13,))
    weight = rng.uniform(size=(13,)).astype(np.float32)
    m = M.MultitaskWrapper(
        {
            "kind": M.SparseCategoricalAccuracy(),
            "size": M.MeanMetricWrapper(lambda t, p: (t - p) ** 2, name="mse"),
        }
    )
    m = jax.jit(lambda m, t, p, w: m.update(t, p, w))(
        m,
        {"kind": kind_true, "size": size_true.astype(np.float32)},
        {"kind": kind_pred.astype(np.float32), "size": size_pred.astype(np.float32)},
        {"kind": weight, "size": None},
    )
    result = m.compute()
    np.testing.assert_allclose(
        result["kind"],
        accuracy_score(kind_true, kind_pred.argmax(-1), sample_weight=weight),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        result["size"], np.mean((size_true - size_pred) ** 2), rtol=1e-5
    )
    with pytest.raises(ValueError, match=r"expected `y_true` keys \['kind', 'size'\]"):
        m.update({"kind": kind_true}, {"kind": kind_pred, "size": size_pred})
    with pytest.raises(TypeError, match="expected `task_metrics` to be a non-empty"):
        M.MultitaskWrapper([M.Mean()])


# CompositionalMetric ------------------------------------------------------------
OPS = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "truediv": np.divide,
    "floordiv": np.floor_divide,
    "pow": np.power,
    "mod": np.mod,
}


@pytest.mark.parametrize("op", sorted(OPS))
def test_arithmetic_matches_numpy(op):
    x = np.abs(np.random.default_rng(0).normal(size=(13,))).astype(np.float32) + 0.5
    mean, maximum = x.astype(np.float64).mean(), x.astype(np.float64).max()
    builders = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "truediv": lambda a, b: a / b,
        "floordiv": lambda a, b: a // b,
        "pow": lambda a, b: a**b,
        "mod": lambda a, b: a % b,
    }
    both = builders[op](M.Max(), M.Mean())
    assert isinstance(both, M.CompositionalMetric)
    assert both.op == op
    np.testing.assert_allclose(
        both.update(x).compute(), OPS[op](maximum, mean), rtol=1e-5
    )
    scalar = builders[op](M.Mean(), 2.0)
    np.testing.assert_allclose(
        scalar.update(x).compute(), OPS[op](mean, 2.0), rtol=1e-5
    )


def test_reflected_and_unary():
    x = jnp.array([1.0, 2.0, 6.0])
    assert float((1.0 + M.Mean()).update(x).compute()) == pytest.approx(4.0)
    assert float((10.0 - M.Mean()).update(x).compute()) == pytest.approx(7.0)
    assert float((3.0 * M.Mean()).update(x).compute()) == pytest.approx(9.0)
    assert float((6.0 / M.Mean()).update(x).compute()) == pytest.approx(2.0)
    assert float((-M.Mean()).update(x).compute()) == pytest.approx(-3.0)
    assert float(abs(-M.Mean()).update(x).compute()) == pytest.approx(3.0)
    assert (M.Mean() / M.Max()).name == "mean_truediv_max"
    assert (-M.Mean()).name == "neg_mean"


def test_arithmetic_routes_kwargs_and_merges():
    y_true, y_pred = jnp.array([1, 2, 3, 4]), jnp.array([1, 2, 0, 0])
    weight = jnp.array([1.0, 1.0, 1.0, 3.0])
    m = M.Accuracy() - M.Accuracy(name="b")
    m = m.update(y_true, y_pred, sample_weight=weight)
    assert float(m.compute()) == 0.0
    merged = m.merge(m)
    np.testing.assert_allclose(merged.left.compute(), 2 / 6, rtol=1e-6)


def test_arithmetic_bad_operands():
    with pytest.raises(ValueError, match="expected `op` in"):
        M.CompositionalMetric("matmul", M.Mean(), M.Mean())
    with pytest.raises(TypeError, match="expected a Metric or a Python number"):
        M.CompositionalMetric("add", M.Mean(), "x")
    with pytest.raises(TypeError, match="expected at least one Metric operand"):
        M.CompositionalMetric("add", 1.0, 2.0)
    with pytest.raises(ValueError, match="expected no right operand"):
        M.CompositionalMetric("neg", M.Mean(), M.Mean())


def test_update_names_see_through_wrappers():
    from jax_metrics.metrics._wrappers import update_names

    assert update_names(M.Mean()) == {"values", "sample_weight"}
    tracker = M.MetricTracker(M.Accuracy())
    assert update_names(tracker) == {"y_true", "y_pred", "sample_weight"}
    both = M.Mean() + M.Accuracy()
    assert update_names(both) == {"values", "y_true", "y_pred", "sample_weight"}
    boot = M.BootStrapper(M.Mean(), num_bootstraps=2)
    assert update_names(boot) == {"values", "sample_weight", "key"}


def test_lambda_input_transformer_matches_sklearn_on_transformed_inputs():
    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 3, 40)
    logits = rng.normal(size=(40, 3)).astype(np.float32)
    weight = rng.uniform(size=40).astype(np.float32)
    m = jm.metrics.LambdaInputTransformer(
        jm.metrics.MulticlassAccuracy(num_classes=3, average="micro"),
        transform_pred=lambda p: -p,
        transform_target=lambda t: (t + 1) % 3,
    )
    for part in (slice(0, 17), slice(17, 40)):
        m = m.update(y_true[part], logits[part], sample_weight=weight[part])
    expected = accuracy_score(
        (y_true + 1) % 3, (-logits).argmax(1), sample_weight=weight
    )
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-6)


def test_binary_target_transformer_matches_sklearn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(8)
    y_true = rng.uniform(0, 10, 50).astype(np.float32)
    y_true[:5] = 4.0  # exactly on the threshold: not positive
    scores = np.clip(y_true / 10 + rng.normal(0, 0.3, 50), 0, 1).astype(np.float32)
    m = jm.metrics.BinaryTargetTransformer(
        jm.metrics.BinaryAUROC(thresholds=None, capacity=64), threshold=4
    )
    m = m.update(y_true[:20], scores[:20]).update(y_true[20:], scores[20:])
    expected = roc_auc_score(y_true > 4, scores)
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-6)
    assert m.transform_target(jnp.array([4.0, 4.5])).dtype == jnp.float32


def test_input_transformers_route_keywords_single_inputs_and_collections():
    rng = np.random.default_rng(9)
    y_true = rng.uniform(0, 2, 12).astype(np.float32)
    y_pred = rng.uniform(size=12).astype(np.float32)
    weight = rng.uniform(size=12).astype(np.float32)
    labels = (y_true > 1).astype(np.float32)
    collection = jm.Metrics([jm.metrics.BinaryAccuracy(), jm.metrics.Precision()])
    wrapped = jm.metrics.BinaryTargetTransformer(collection, threshold=1)
    by_keyword = wrapped.update(y_true=y_true, y_pred=y_pred, sample_weight=weight)
    expected = accuracy_score(labels, y_pred > 0.5, sample_weight=weight)
    np.testing.assert_allclose(
        by_keyword.compute()["binary_accuracy"], expected, rtol=1e-6
    )
    tp = np.sum(weight * labels * (y_pred > 0.5))
    np.testing.assert_allclose(
        by_keyword.compute()["precision"],
        tp / np.sum(weight * (y_pred > 0.5)),
        rtol=1e-6,
    )
    # One input (a Mean of values): the prediction transform applies.
    doubled = jm.metrics.LambdaInputTransformer(
        jm.metrics.Mean(), transform_pred=lambda v: 2 * v
    )
    np.testing.assert_allclose(
        doubled.update(y_pred, sample_weight=weight).compute(),
        2 * np.sum(weight * y_pred) / np.sum(weight),
        rtol=1e-6,
    )


def test_input_transformers_bad_config():
    with pytest.raises(TypeError, match="expected `transform_pred` to be callable"):
        jm.metrics.LambdaInputTransformer(jm.metrics.Mean(), transform_pred=3)
    with pytest.raises(TypeError, match="expected `transform_target` to be callable"):
        jm.metrics.LambdaInputTransformer(jm.metrics.Mean(), transform_target="x")
    with pytest.raises(ValueError, match="expected `threshold` to be a number"):
        jm.metrics.BinaryTargetTransformer(jm.metrics.Mean(), threshold=None)
    with pytest.raises(TypeError, match="expected `metric` to be a jax_metrics"):
        jm.metrics.MetricInputTransformer(lambda t, p: t)


def test_bootstrap_quantile_and_output_flags_as_torchmetrics():
    rng = np.random.default_rng(10)
    x = rng.normal(size=40).astype(np.float32)
    boot = jm.metrics.BootStrapper(
        jm.metrics.Mean(), num_bootstraps=30, quantile=[0.05, 0.5, 0.95], raw=True
    )
    result = boot.update(x).compute()
    raw = np.asarray(result["raw"], np.float64)
    np.testing.assert_allclose(
        result["quantile"], np.quantile(raw, [0.05, 0.5, 0.95]), rtol=1e-5
    )
    np.testing.assert_allclose(result["std"], raw.std(ddof=1), rtol=1e-4)
    slim = jm.metrics.BootStrapper(
        jm.metrics.Mean(), num_bootstraps=30, mean=False, std=False, quantile=0.25
    )
    result = slim.update(x).compute()
    assert sorted(result) == ["lower", "quantile", "upper"]
    assert np.shape(result["quantile"]) == ()
    for bad in (1.5, [], "0.5", [0.1, None]):
        with pytest.raises(ValueError, match="expected `quantile` as a number"):
            jm.metrics.BootStrapper(jm.metrics.Mean(), quantile=bad)
    with pytest.raises(ValueError, match="`mean`: expected a bool"):
        jm.metrics.BootStrapper(jm.metrics.Mean(), mean=1)


def test_multitask_prefix_and_postfix_name_the_keys():
    rng = np.random.default_rng(11)
    y_true, y_pred = rng.integers(0, 3, 12), rng.integers(0, 3, 12)
    m = jm.metrics.MultitaskWrapper(
        {"kind": jm.metrics.Accuracy(), "other": jm.metrics.Accuracy()},
        prefix="val_",
        postfix="_acc",
    )
    out = m.update(y_true, y_pred).compute()
    assert sorted(out) == ["val_kind_acc", "val_other_acc"]
    np.testing.assert_allclose(out["val_kind_acc"], accuracy_score(y_true, y_pred))
    with pytest.raises(ValueError, match="expected `prefix` to be a string"):
        jm.metrics.MultitaskWrapper({"a": jm.metrics.Accuracy()}, prefix=1)


def test_multioutput_squeeze_outputs_false_keeps_a_singleton_axis():
    # Per column (N, 1) inputs: Keras' MeanSquaredError averages per sample,
    # so the value is each column's MSE over all rows (float64 NumPy).
    rng = np.random.default_rng(12)
    t, p = rng.normal(size=(2, 11, 3)).astype(np.float32)
    m = jm.metrics.MultioutputWrapper(
        jm.metrics.MeanSquaredError(), num_outputs=3, squeeze_outputs=False
    )
    m = m.update(t[:4], p[:4]).update(t[4:], p[4:])
    expected = ((t.astype(np.float64) - p) ** 2).mean(0)
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="`squeeze_outputs`: expected a bool"):
        jm.metrics.MultioutputWrapper(jm.metrics.Mean(), 2, squeeze_outputs=1)


@pytest.mark.parametrize("weighted", [False, True])
def test_multioutput_remove_nans_leaves_out_rows_with_missing_values(weighted):
    # torchmetrics' default: per output, rows holding a NaN are left out.
    from sklearn.metrics import r2_score

    rng = np.random.default_rng(13)
    t, p = rng.normal(size=(2, 20, 3)).astype(np.float32)
    t[[1, 5, 9], 0] = np.nan
    t[7, 2] = np.nan
    p[3, 1] = np.nan
    w = rng.uniform(size=20).astype(np.float32) if weighted else None
    m = jm.metrics.MultioutputWrapper(jm.metrics.R2Score(), num_outputs=3)
    m = m.update(t[:8], p[:8], w[:8] if weighted else None)
    m = m.update(t[8:], p[8:], w[8:] if weighted else None)
    expected = []
    for i in range(3):
        keep = ~(np.isnan(t[:, i]) | np.isnan(p[:, i]))
        sw = w[keep] if weighted else None
        expected.append(r2_score(t[keep, i], p[keep, i], sample_weight=sw))
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-5)
    kept = jm.metrics.MultioutputWrapper(
        jm.metrics.R2Score(), num_outputs=3, remove_nans=False
    )
    assert np.isnan(np.asarray(kept.update(t, p, w).compute())[0])


def test_multioutput_splits_keyword_inputs_and_takes_positional_weights():
    # jm.Metrics passes y_true/y_pred by keyword: they were not split, and
    # every output got the accuracy over all columns.
    rng = np.random.default_rng(14)
    y_true = rng.integers(0, 3, size=(13, 4))
    y_pred = rng.integers(0, 3, size=(13, 4))
    weight = rng.uniform(0, 1, size=(13,)).astype(np.float32)
    per_output = rng.uniform(0, 1, size=(13, 4)).astype(np.float32)
    m = M.MultioutputWrapper(M.Accuracy(), num_outputs=4)

    def expected(w):
        return [
            accuracy_score(
                y_true[:, j], y_pred[:, j], sample_weight=None if w is None else w[j]
            )
            for j in range(4)
        ]

    by_keyword = m.update(y_true=y_true, y_pred=y_pred)
    np.testing.assert_allclose(by_keyword.compute(), expected(None), rtol=1e-5)
    collection = jm.Metrics([m]).update(y_true=y_true, y_pred=y_pred)
    np.testing.assert_allclose(
        collection.compute()["accuracy"], expected(None), rtol=1e-5
    )
    positional = m.update(y_true, y_pred, weight)
    np.testing.assert_allclose(positional.compute(), expected([weight] * 4), rtol=1e-5)
    own = m.update(y_true, y_pred, sample_weight=per_output)
    np.testing.assert_allclose(own.compute(), expected(per_output.T), rtol=1e-5)
    with pytest.raises(ValueError, match="expected 4 outputs on axis -1 of `y_pred`"):
        m.update(y_true=y_true, y_pred=y_pred[:, :3])
