"""Keras confusion metrics: parity with Keras 3 (JAX backend) and bad input."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

import jax_metrics as jm
from jax_metrics import _numerics

GRID = np.array([0.0, 0.25, 0.5, 0.75, 1.0], np.float32)


def make_data(seed, n, classes=None, ties=True, weighted=True):
    """Labels, scores (half exactly on the 0.25 grid when `ties`) and weights."""
    rng = np.random.default_rng(seed)
    shape = (n,) if classes is None else (n, classes)
    y_true = rng.integers(0, 2, shape).astype(np.float32)
    y_pred = rng.uniform(size=shape).astype(np.float32)
    if ties:
        y_pred = np.where(
            rng.uniform(size=shape) < 0.5, rng.choice(GRID, shape), y_pred
        )
    weight = rng.uniform(0, 2, (n,)).astype(np.float32) if weighted else None
    return y_true, y_pred.astype(np.float32), weight


def keras_result(cls, args, kwargs, batches):
    # Keras itself relies on implicit rank promotion (multi-label AUC).
    with jax.numpy_rank_promotion("allow"):
        metric = getattr(keras.metrics, cls)(*args, **kwargs)
        for y_true, y_pred, weight in batches:
            metric.update_state(y_true, y_pred, sample_weight=weight)
        return np.asarray(metric.result(), np.float64)


def ours_result(cls, args, kwargs, batches):
    metric = getattr(jm.metrics, cls)(*args, **kwargs)
    for y_true, y_pred, weight in batches:
        metric = metric.update(y_true, y_pred, sample_weight=weight)
    return np.asarray(metric.compute(), np.float64)


def check(cls, kwargs, batches, args=(), rtol=1e-5, atol=1e-5):
    expected = keras_result(cls, args, kwargs, batches)
    actual = ours_result(cls, args, kwargs, batches)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


COUNTS = ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"]
COUNT_THRESHOLDS = [None, 0.25, [0.0, 0.25, 0.5, 0.75, 1.0], [0.7, 0.1, 0.3, 0.5]]


@pytest.mark.parametrize(
    ("cls", "thresholds", "seed", "n", "weighted"),
    [
        (cls, thresholds, i, 7 + 6 * (i % 2), i % 2 == 1)
        for i, (cls, thresholds) in enumerate(
            (c, t) for c in COUNTS for t in COUNT_THRESHOLDS
        )
    ],
    ids=str,
)
def test_counts_parity(cls, thresholds, seed, n, weighted):
    batch = make_data(seed, n, classes=2, weighted=weighted)
    check(cls, {"thresholds": thresholds}, [batch])


PRECISION_RECALL_OPTIONS = [
    {},
    {"thresholds": [0.25, 0.5, 0.75]},
    {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]},
    {"top_k": 2},
    {"class_id": 1},
    {"top_k": 2, "class_id": 3},
    {"top_k": 1, "thresholds": 0.5},
]


@pytest.mark.parametrize("cls", ["Precision", "Recall"])
@pytest.mark.parametrize("options", PRECISION_RECALL_OPTIONS, ids=str)
@pytest.mark.parametrize(("seed", "n", "weighted"), [(2, 7, True), (3, 13, False)])
def test_precision_recall_parity(cls, options, seed, n, weighted):
    batch = make_data(seed, n, classes=4, weighted=weighted)
    check(cls, options, [batch])


@pytest.mark.parametrize("cls", ["Precision", "Recall"])
def test_top_1_ties(cls):
    """top_k=1 keeps the entry Keras' top_k keeps: the lowest tied index."""
    rng = np.random.default_rng(9)
    y_true = rng.integers(0, 2, (40, 4)).astype(np.float32)
    y_pred = rng.choice(np.float32([-1.0, -0.0, 0.0, 0.5, 1.0]), (40, 4))
    weight = rng.uniform(0, 2, 40).astype(np.float32)
    check(cls, {"top_k": 1, "thresholds": [0.0, 0.5]}, [(y_true, y_pred, weight)])


AUC_OPTIONS = [
    {},
    {"curve": "PR"},
    {"curve": "PR", "summation_method": "minoring"},
    {"curve": "PR", "summation_method": "majoring"},
    {"summation_method": "minoring", "num_thresholds": 5},
    {"summation_method": "majoring", "num_thresholds": 9},
    {"num_thresholds": 10000},
    {"thresholds": [0.25, 0.5, 0.75]},
    {"thresholds": [0.9, 0.1, 0.35], "curve": "PR"},
    {"multi_label": True, "num_labels": 3},
    {"multi_label": True, "label_weights": [1.0, 2.0, 0.5], "curve": "PR"},
    {"label_weights": [1.0, 0.0, 3.0]},
    {"from_logits": True},
    {"from_logits": True, "multi_label": True, "num_labels": 3, "curve": "PR"},
]


@pytest.mark.parametrize("options", AUC_OPTIONS, ids=str)
@pytest.mark.parametrize(("seed", "n", "weighted"), [(4, 13, True), (5, 7, False)])
def test_auc_parity(options, seed, n, weighted):
    y_true, y_pred, weight = make_data(seed, n, classes=3, weighted=weighted)
    if options.get("from_logits"):
        y_pred = (y_pred - 0.5) * 6
    check("AUC", options, [(y_true, y_pred, weight)])


def test_auc_accumulates_like_keras_over_batches():
    batches = [make_data(s, n, classes=None) for s, n in [(6, 7), (7, 13), (8, 5)]]
    check("AUC", {"curve": "PR"}, batches)
    check("AUC", {"num_thresholds": 50}, batches)


AT_CONSTRAINT = [
    ("SensitivityAtSpecificity", 0.5),
    ("SpecificityAtSensitivity", 0.7),
    ("PrecisionAtRecall", 0.6),
    ("RecallAtPrecision", 0.55),
]


AT_OPTIONS = [{}, {"num_thresholds": 1}, {"num_thresholds": 5, "class_id": 1}]


@pytest.mark.parametrize(
    ("cls", "target", "options", "seed", "n", "weighted"),
    [
        (cls, target, options, 9 + i, 13 - 6 * (i % 2), i % 2 == 0)
        for i, ((cls, target), options) in enumerate(
            (c, o) for c in AT_CONSTRAINT for o in AT_OPTIONS
        )
    ],
    ids=str,
)
def test_at_constraint_parity(cls, target, options, seed, n, weighted):
    classes = 3 if "class_id" in options else None
    batch = make_data(seed, n, classes=classes, weighted=weighted)
    check(cls, options, [batch], args=(target,))


@pytest.mark.parametrize(
    ("cls", "kwargs", "args"),
    [
        ("Precision", {"thresholds": [0.3, 0.6]}, ()),
        ("Recall", {"top_k": 2}, ()),
        ("AUC", {"curve": "PR"}, ()),
        ("AUC", {"multi_label": True, "num_labels": 3}, ()),
        ("SensitivityAtSpecificity", {}, (0.5,)),
    ],
)
def test_bfloat16_inputs(cls, kwargs, args):
    y_true, y_pred, weight = make_data(11, 13, classes=3, ties=False)
    low = jnp.asarray(y_pred, jnp.bfloat16)
    expected = keras_result(
        cls, args, kwargs, [(y_true, np.asarray(low, np.float32), weight)]
    )
    actual = ours_result(cls, args, kwargs, [(y_true, low, weight)])
    np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-3)


def test_functional_forms_match_keras():
    y_true, y_pred, weight = make_data(12, 13, classes=3)
    F = jm.functional
    pairs = [
        (
            F.precision(y_true, y_pred, top_k=2, sample_weight=weight),
            "Precision",
            {"top_k": 2},
            (),
        ),
        (F.recall(y_true, y_pred, class_id=2), "Recall", {"class_id": 2}, ()),
        (
            F.true_positives(y_true, y_pred, thresholds=[0.25, 0.5]),
            "TruePositives",
            {"thresholds": [0.25, 0.5]},
            (),
        ),
        (
            F.auc(y_true, y_pred, curve="PR", multi_label=True, sample_weight=weight),
            "AUC",
            {"curve": "PR", "multi_label": True},
            (),
        ),
        (
            F.precision_at_recall(y_true, y_pred, recall=0.4, class_id=0),
            "PrecisionAtRecall",
            {"class_id": 0},
            (0.4,),
        ),
    ]
    for actual, cls, kwargs, args in pairs:
        use_weight = weight if cls in ("Precision", "AUC") else None
        expected = keras_result(cls, args, kwargs, [(y_true, y_pred, use_weight)])
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


def test_multi_label_auc_sized_by_first_update():
    y_true, y_pred, weight = make_data(13, 7, classes=3)
    metric = jm.metrics.AUC(multi_label=True).update(y_true, y_pred, weight)
    assert metric.histogram.shape == (2, 201, 3, 2)
    assert metric.true_positives.shape == (200, 3)
    assert metric.reset().histogram.shape == (2, 201, 3, 2)
    expected = keras_result(
        "AUC", (), {"multi_label": True}, [(y_true, y_pred, weight)]
    )
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="expected y_pred with 3 labels"):
        metric.update(y_true[:, :2], y_pred[:, :2])
    sized = jm.metrics.AUC(multi_label=True, label_weights=[1.0, 2.0, 3.0])
    assert sized.histogram.shape == (2, 201, 3, 2)
    # Not yet sized: empty (0, never NaN), and merges as nothing either way.
    fresh = jm.metrics.AUC(multi_label=True)
    assert float(fresh.compute()) == 0.0
    for merged in (fresh.merge(metric), metric.merge(fresh)):
        np.testing.assert_allclose(merged.compute(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("cls", "args"),
    [(c, ()) for c in [*COUNTS, "Precision", "Recall", "AUC"]]
    + [(c, (0.5,)) for c, _ in AT_CONSTRAINT],
)
def test_empty_state_is_zero(cls, args):
    value = jax.jit(lambda m: m.compute())(getattr(jm.metrics, cls)(*args))
    assert np.all(np.asarray(value) == 0.0)


def test_counts_stay_exact_past_2_pow_24():
    """The histogram state and its cumulative sums (the counts at every
    threshold) stay exact where float32 would round 2^24 + 3."""
    metric = jm.metrics.TruePositives(thresholds=[0.2, 0.5])
    big = np.float32(2.0**24)
    metric = metric.update(np.ones(1), np.full(1, 0.3), sample_weight=np.array([big]))
    for _ in range(3):
        metric = metric.update(np.ones(1), np.full(1, 0.9))
    assert _numerics.to_python(metric.histogram[:, 1, 0]) == 2.0**24
    assert _numerics.to_python(metric.histogram[:, 2, 0]) == 3
    passed = _numerics.cumulative_accumulator(metric.histogram[:, 1:, 0], reverse=True)
    assert _numerics.to_python(passed[:, 0]) == 2.0**24 + 3
    assert float(np.float32(2.0**24) + np.float32(3)) != 2.0**24 + 3  # float32 rounds


def test_one_compile_for_a_jitted_step():
    traces = []

    @jax.jit
    def step(m, y_true, y_pred):
        traces.append(1)
        return m.update(y_true, y_pred)

    metric = jm.metrics.AUC(num_thresholds=10000)
    for seed in range(3):
        y_true, y_pred, _ = make_data(seed, 13)
        metric = step(metric, y_true, y_pred)
    assert len(traces) == 1


def test_bad_input():
    M = jm.metrics
    y = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"expected class_id in \[0, 3\)"):
        M.Precision(class_id=3).update(y, y)
    with pytest.raises(
        ValueError, match="expected y_true and y_pred of the same shape"
    ):
        M.Recall().update(np.zeros((4, 2)), y)
    with pytest.raises(ValueError, match="expected thresholds in"):
        M.TruePositives(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match="expected top_k to be an int >= 1"):
        M.Precision(top_k=0)
    with pytest.raises(ValueError, match="expected curve in"):
        M.AUC(curve="ROCK")
    with pytest.raises(ValueError, match="expected summation_method in"):
        M.AUC(summation_method="trapezoid")
    with pytest.raises(
        ValueError, match="expected num_thresholds to be an integer > 1"
    ):
        M.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="expected num_labels only with multi_label"):
        M.AUC(num_labels=3)
    with pytest.raises(ValueError, match="expected 3 label_weights"):
        M.AUC(multi_label=True, num_labels=3, label_weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="expected y_pred of rank 2 with multi_label"):
        M.AUC(multi_label=True).update(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"expected specificity in \[0, 1\]"):
        M.SensitivityAtSpecificity(1.5)
    with pytest.raises(
        ValueError, match="expected num_thresholds to be an integer > 0"
    ):
        M.PrecisionAtRecall(0.5, num_thresholds=0)
    with pytest.raises(ValueError, match="expected y_pred of shape"):
        M.RecallAtPrecision(0.5, class_id=0).update(np.zeros(4), np.zeros(4))


# Keras checks y_pred's rank as given: a 1-D y_pred fails with multi_label
# even beside (N, 1) labels that the rank rule would pair it with.
@pytest.mark.parametrize("label_shape", [(13,), (13, 1)], ids=["labels_n", "n_by_1"])
def test_multi_label_auc_rejects_one_dimensional_y_pred_like_keras(label_shape):
    y_true, y_pred, weight = make_data(14, 13)
    batch = [(y_true.reshape(label_shape), y_pred, weight)]
    with pytest.raises(ValueError, match="must have rank 2"):
        keras_result("AUC", (), {"multi_label": True}, batch)
    with pytest.raises(ValueError, match="expected y_pred of rank 2 with multi_label"):
        ours_result("AUC", (), {"multi_label": True}, batch)


def test_config_round_trip():
    metric = jm.metrics.AUC(curve="PR", thresholds=[0.2, 0.8], multi_label=True)
    rebuilt = jm.metrics.AUC.from_config(metric.get_config())
    assert rebuilt.get_config() == metric.get_config()
    assert jax.tree.structure(rebuilt) == jax.tree.structure(metric)
