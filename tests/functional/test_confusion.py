"""The shared confusion kernels against brute-force float64 NumPy and sklearn."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from jax_metrics.functional import confusion_matrix_counts, threshold_confusion_counts


def brute_counts(y_true, y_pred, thresholds, weight, inclusive):
    """Float64 N x T comparison: the definition the O(N) kernel must match."""
    t = np.asarray(thresholds, np.float32).astype(np.float64)
    p = np.asarray(y_pred, np.float32).astype(np.float64)
    t = t.reshape(-1, *([1] * p.ndim))
    predicted = p[None] >= t if inclusive else p[None] > t
    positive = (np.asarray(y_true) != 0)[None]
    w = np.broadcast_to(np.asarray(weight, np.float64), p.shape)[None]
    w = np.where(np.isnan(p)[None], 0.0, w)
    return [
        (w * (positive & predicted)).sum(1),
        (w * (~positive & predicted)).sum(1),
        (w * (~positive & ~predicted)).sum(1),
        (w * (positive & ~predicted)).sum(1),
    ]


def grid_of(thresholds):
    if isinstance(thresholds, int):
        return (
            np.arange(thresholds) / max(thresholds - 1, 1) if thresholds > 1 else [0.5]
        )
    return thresholds


THRESHOLDS = {
    "int-1": 1,
    "int-5": 5,
    "int-200": 200,
    "int-10000": 10000,
    "even-list": [0.0, 0.25, 0.5, 0.75, 1.0],
    "keras-auc": [-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7],
    "keras-auc-10000": [-1e-7, *((i + 1) / 9999 for i in range(9998)), 1 + 1e-7],
    "int-12345": 12345,
    "unsorted": [0.7, 0.1, 0.3, 0.5],
    "duplicates": [0.5, 0.5, 0.2],
    "uneven-50": list(np.random.default_rng(5).uniform(-0.1, 1.1, 50)),
    "clustered": [0.1, *(0.5 + 1e-3 * np.arange(9)), 0.9],
    "single": [0.5],
}


@pytest.mark.parametrize("thresholds", THRESHOLDS.values(), ids=THRESHOLDS.keys())
@pytest.mark.parametrize("inclusive", [False, True])
@pytest.mark.parametrize(
    ("class_shape", "weighted"), [((), True), ((3,), False), ((2, 2), True)]
)
@pytest.mark.parametrize("small_batch_path", [True, False])
def test_threshold_counts_match_brute_force(
    thresholds, inclusive, class_shape, weighted, small_batch_path, monkeypatch
):
    """Both bucketing layouts (one fusion, or the two-fusion small-batch one
    that XLA:CPU keeps on one thread) give the brute-force counts."""
    from jax_metrics.functional import _confusion_counts

    monkeypatch.setattr(
        _confusion_counts, "_small_cpu_batch", lambda size: small_batch_path
    )
    rng = np.random.default_rng(len(class_shape) + 7 * weighted)
    n = 13
    shape = (n, *class_shape)
    grid = np.asarray(grid_of(thresholds), np.float32)
    # Half the scores exactly on thresholds (ties), half anywhere (out of range
    # too), and a few NaN and infinite ones.
    y_pred = np.where(
        rng.uniform(size=shape) < 0.5,
        rng.choice(grid, shape),
        rng.uniform(-0.2, 1.2, shape),
    ).astype(np.float32)
    special = rng.choice([np.nan, np.inf, -np.inf], shape).astype(np.float32)
    y_pred = np.where(rng.uniform(size=shape) < 0.1, special, y_pred)
    y_true = rng.integers(0, 2, shape)
    weight = rng.uniform(0, 2, (n,) + (1,) * len(class_shape)) if weighted else 1.0
    got = threshold_confusion_counts(
        y_true,
        y_pred,
        thresholds=thresholds,
        sample_weight=weight if weighted else None,
        inclusive=inclusive,
    )
    expected = brute_counts(y_true, y_pred, grid, weight, inclusive)
    for g, e in zip(got, expected, strict=True):
        assert g.shape == (grid.size, *class_shape)
        assert g.dtype == jnp.float32
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5)


def test_bucketing_paths():
    """Even grids use arithmetic, uneven ones a cell table, clustered ones
    (too many thresholds per cell) `searchsorted`; all are checked above."""
    from jax_metrics.functional import _threshold_buckets as _buckets

    def path(t):
        t = np.sort(np.asarray(t, np.float32))
        if _buckets._evenly_spaced(t) is not None:
            return "even"
        return "cells" if _buckets._cell_table(t) is not None else "search"

    assert path(THRESHOLDS["keras-auc"]) == "even"

    def formula(t):
        return _buckets._grid_formula(np.sort(np.asarray(grid_of(t), np.float32)))

    # Exact recomputation: a multiply where it reproduces the list, else an
    # IEEE division (Keras' i / (T - 1)); only Keras' end points are patched.
    assert formula(THRESHOLDS["int-200"])[0] == "scale"
    assert formula(THRESHOLDS["int-12345"])[0] == "divide"
    assert formula(THRESHOLDS["keras-auc-10000"])[0] == "divide"
    assert len(formula(THRESHOLDS["keras-auc-10000"])[-1]) == 2
    assert path(THRESHOLDS["uneven-50"]) == "cells"
    assert path(THRESHOLDS["clustered"]) == "search"


def test_traced_thresholds_use_searchsorted():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 2, 7), rng.choice([0.0, 0.5, 1.0, 0.3], 7)
    thresholds = np.array([0.0, 0.3, 0.5, 1.0], np.float32)
    fn = jax.jit(lambda y, p, t: threshold_confusion_counts(y, p, thresholds=t))
    got = fn(y_true, y_pred, thresholds)
    for g, e in zip(
        got, brute_counts(y_true, y_pred, thresholds, 1.0, False), strict=True
    ):
        np.testing.assert_allclose(g, e)


def test_nan_ignored_inf_saturates_and_bfloat16():
    y_true = np.array([1, 0, 1, 0, 1])
    y_pred = np.array([np.nan, np.inf, -np.inf, 0.75, 0.25], np.float32)
    tp, fp, tn, fn = threshold_confusion_counts(y_true, y_pred, thresholds=5)
    expected = brute_counts(y_true, y_pred, grid_of(5), 1.0, False)
    for g, e in zip((tp, fp, tn, fn), expected, strict=True):
        np.testing.assert_array_equal(g, e)
    assert float(tp[0] + fn[0] + fp[0] + tn[0]) == 4.0  # the NaN entry is dropped
    low = threshold_confusion_counts(
        y_true[3:], jnp.asarray(y_pred[3:], jnp.bfloat16), thresholds=[0.5]
    )
    assert [float(x[0]) for x in low] == [0.0, 1.0, 0.0, 1.0]


def test_no_n_by_t_intermediate():
    """The update is O(N + T): no intermediate has N x T elements."""
    n, t = 4096, 1000

    def sizes(thresholds):
        jaxpr = jax.make_jaxpr(
            lambda y, p: threshold_confusion_counts(y, p, thresholds=thresholds)
        )(jnp.zeros(n), jnp.zeros(n))
        return [
            int(np.prod(v.aval.shape))
            for eqn in jaxpr.jaxpr.eqns
            for v in eqn.outvars
            if hasattr(v.aval, "shape")
        ]

    for thresholds in (t, list(np.sort(np.random.default_rng(0).uniform(size=t)))):
        assert max(sizes(thresholds)) < 4 * (n + t)


def test_jit_compiles_and_matches_eager():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 2, (7, 2)), rng.uniform(size=(7, 2))
    fn = jax.jit(lambda y, p: threshold_confusion_counts(y, p, thresholds=200))
    for g, e in zip(
        fn(y_true, y_pred),
        threshold_confusion_counts(y_true, y_pred, thresholds=200),
        strict=True,
    ):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n", [7, 13])
def test_confusion_matrix_matches_sklearn(weighted, n):
    rng = np.random.default_rng(n)
    labels, predictions = rng.integers(0, 4, n), rng.integers(0, 4, n)
    weight = rng.uniform(0, 2, n) if weighted else None
    got = confusion_matrix_counts(
        labels, predictions, num_classes=4, sample_weight=weight
    )
    expected = confusion_matrix(
        labels, predictions, labels=range(4), sample_weight=weight
    )
    assert got.shape == (4, 4)
    assert got.dtype == jnp.float32
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


def test_confusion_matrix_ignores_out_of_range_ids():
    labels = np.array([0, 1, 5, -1, 2, 1])
    predictions = np.array([0.0, 1.0, 1.0, 0.0, np.nan, 7.0])
    got = jax.jit(lambda a, b: confusion_matrix_counts(a, b, num_classes=3))(
        labels, predictions
    )
    expected = confusion_matrix(
        labels[:2], predictions[:2].astype(int), labels=range(3)
    )
    np.testing.assert_array_equal(got, expected)


def test_bad_input():
    with pytest.raises(
        ValueError, match="expected y_true and y_pred of the same shape"
    ):
        threshold_confusion_counts(np.zeros((4, 2)), np.zeros((4, 3)), thresholds=3)
    with pytest.raises(ValueError, match="expected a number of thresholds >= 1"):
        threshold_confusion_counts(np.zeros(4), np.zeros(4), thresholds=0)
    with pytest.raises(ValueError, match="expected thresholds without NaN"):
        threshold_confusion_counts(np.zeros(4), np.zeros(4), thresholds=[np.nan])
    with pytest.raises(ValueError, match="expected num_classes to be a positive int"):
        confusion_matrix_counts(np.zeros(3), np.zeros(3), num_classes=0)
    with pytest.raises(ValueError, match="expected labels and predictions of the same"):
        confusion_matrix_counts(np.zeros(3), np.zeros(4), num_classes=2)
