"""Task curve metric classes: binned and exact modes, overflow, plots."""

import jax
import numpy as np
import pytest
from sklearn import metrics as skm

import jax_metrics as jm

M = jm.metrics
C = 3


def _data(seed, n=40):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, C, n)
    scores = rng.dirichlet(np.ones(C), n).astype(np.float32)
    w = rng.uniform(0, 2, n).astype(np.float32)
    return y, scores, w


def _update_in_parts(metric, *arrays, parts=3):
    for chunk in zip(*(np.array_split(a, parts) for a in arrays), strict=True):
        metric = metric.update(*chunk)
    return metric


@pytest.mark.parametrize("average", ["macro", "weighted", "micro", "none"])
def test_exact_mode_equals_sklearn_after_merges(average):
    y, scores, w = _data(0)
    options = {"num_classes": C, "thresholds": None, "capacity": 64, "average": average}
    a = _update_in_parts(
        M.MulticlassAveragePrecision(**options), y[:25], scores[:25], w[:25]
    )
    b = M.MulticlassAveragePrecision(**options).update(y[25:], scores[25:], w[25:])
    expected = skm.average_precision_score(
        np.eye(C)[y],
        scores,
        average=None if average == "none" else average,
        sample_weight=w,
    )
    np.testing.assert_allclose(a.merge(b).compute(), expected, atol=1e-6)
    auroc = _update_in_parts(M.MulticlassAUROC(**options), y, scores, w)
    expected = skm.roc_auc_score(
        np.eye(C)[y],
        scores,
        average=None if average == "none" else average,
        sample_weight=w,
    )
    np.testing.assert_allclose(auroc.compute(), expected, atol=1e-6)


def test_binned_default_is_within_documented_error_of_exact():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 600)
    s = np.clip(rng.normal(0.4 + 0.25 * y, 0.2), 0, 1).astype(np.float32)
    binned = _update_in_parts(M.BinaryAUROC(), y, s)
    assert binned.thresholds == 200
    assert abs(float(binned.compute()) - skm.roc_auc_score(y, s)) <= 1 / 200
    binned_ap = _update_in_parts(M.BinaryAveragePrecision(), y, s)
    assert (
        abs(float(binned_ap.compute()) - skm.average_precision_score(y, s)) <= 1 / 200
    )


def test_multilabel_curves_and_operating_points():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, (30, C))
    s = rng.uniform(size=(30, C)).astype(np.float32)
    roc = _update_in_parts(
        M.MultilabelROC(num_labels=C, thresholds=None, capacity=32), y, s
    ).compute()
    assert set(roc) == {"fpr", "tpr", "thresholds"}
    for label in range(C):
        ref_fpr, ref_tpr, _ = skm.roc_curve(y[:, label], s[:, label])
        np.testing.assert_allclose(
            np.trapezoid(roc["tpr"][:, label], roc["fpr"][:, label]),
            np.trapezoid(ref_tpr, ref_fpr),
            atol=1e-6,
        )
    point = (
        M.MultilabelSensitivityAtSpecificity(
            num_labels=C, min_specificity=0.5, thresholds=None, capacity=32
        )
        .update(y, s)
        .compute()
    )
    assert set(point) == {"sensitivity", "threshold"}
    assert point["sensitivity"].shape == (C,)


def test_overflow_is_reported_with_the_capacity():
    metric = M.BinaryAUROC(thresholds=None, capacity=4)
    metric = metric.update(np.array([0, 1, 1]), np.array([0.1, 0.8, 0.4], np.float32))
    metric.compute()  # within capacity
    metric = metric.update(np.array([0, 1]), np.array([0.3, 0.9], np.float32))
    with pytest.raises(OverflowError, match="capacity=4"):
        metric.compute()
    with pytest.raises(Exception, match="capacity=4"):  # raised by a callback
        jax.block_until_ready(jax.jit(lambda m: m.compute())(metric))


def test_ignored_entries_do_not_use_capacity():
    metric = M.BinaryAveragePrecision(thresholds=None, capacity=3, ignore_index=-1)
    y = np.array([1, -1, 0, -1, 1])
    s = np.array([0.9, 0.5, 0.2, 0.4, 0.6], np.float32)
    value = metric.update(y, s).compute()
    np.testing.assert_allclose(
        value, skm.average_precision_score([1, 0, 1], [0.9, 0.2, 0.6])
    )


def test_jitted_exact_compute_and_statistics_key():
    y, scores, w = _data(3, 20)
    options = {"num_classes": C, "thresholds": None, "capacity": 32}
    metric = jax.jit(lambda m, a, b, c: m.update(a, b, c))(
        M.MulticlassROC(**options), y, scores, w
    )
    auroc = M.MulticlassAUROC(**options, average="macro")
    assert auroc.statistics_key() == metric.statistics_key()
    np.testing.assert_allclose(
        jax.jit(lambda m: m.compute())(auroc.with_statistics(metric)),
        skm.roc_auc_score(np.eye(C)[y], scores, average="macro", sample_weight=w),
        atol=1e-6,
    )
    with pytest.raises(ValueError, match="statistics key"):
        M.MulticlassAUROC(num_classes=C).with_statistics(metric)
    listed = M.MulticlassROC(num_classes=C, thresholds=[0.1, 0.5, 0.9])
    assert hash(listed.statistics_key()) == hash(
        M.MulticlassAveragePrecision(
            num_classes=C, thresholds=(0.1, 0.5, 0.9)
        ).statistics_key()
    )


def test_plots_return_figures():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    y, scores, _ = _data(4, 12)
    fig = M.MulticlassROC(num_classes=C, thresholds=11).update(y, scores).plot()
    assert fig.axes
    fig = M.BinaryAveragePrecision().update(y > 0, scores[:, 0]).plot()
    assert fig.axes
    fig = M.MulticlassConfusionMatrix(num_classes=C).update(y, scores).plot()
    assert fig.axes
    fig = (
        M.MultilabelConfusionMatrix(num_labels=2)
        .update(np.eye(2, dtype=int)[y % 2], scores[:, :2])
        .plot()
    )
    assert fig.axes


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: M.BinaryAUROC(thresholds=None), ValueError, "capacity"),
        (lambda: M.BinaryROC(thresholds=0), ValueError, "thresholds"),
        (
            lambda: M.MulticlassAUROC(num_classes=C, average="avg"),
            ValueError,
            "`average`",
        ),
        (lambda: M.MultilabelAUROC(), TypeError, "num_labels"),
        (
            lambda: M.BinaryRecallAtFixedPrecision(min_precision=2.0),
            ValueError,
            "min_precision",
        ),
        (
            lambda: M.MulticlassEER(num_classes=C).update(
                np.zeros(2), np.zeros((2, 4))
            ),
            ValueError,
            "num_classes=3",
        ),
    ],
)
def test_bad_configuration(build, error, match):
    with pytest.raises(error, match=match):
        build()
