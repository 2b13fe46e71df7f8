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


@pytest.mark.parametrize("value", [None, 2.0, "2", -2, 1, True])
@pytest.mark.parametrize("family", ["AUROC", "ROC", "PrecisionRecallCurve", "EER"])
def test_num_classes_is_validated_at_construction(family, value):
    with pytest.raises(ValueError, match=r"`num_classes`.*received"):
        getattr(M, f"Multiclass{family}")(num_classes=value)


@pytest.mark.parametrize("value", [None, 2.0, "2", 0, False])
@pytest.mark.parametrize("family", ["AUROC", "ROC", "AveragePrecision", "LogAUC"])
def test_num_labels_is_validated_at_construction(family, value):
    with pytest.raises(ValueError, match=r"`num_labels`.*received"):
        getattr(M, f"Multilabel{family}")(num_labels=value)


def test_numpy_integer_num_classes_is_accepted():
    y, scores, w = _data(5, 16)
    metric = M.MulticlassAUROC(num_classes=np.int64(C), thresholds=None, capacity=16)
    assert type(metric.num_classes) is int
    np.testing.assert_allclose(
        metric.update(y, scores, w).compute(),
        skm.roc_auc_score(np.eye(C)[y], scores, average="macro", sample_weight=w),
        atol=1e-6,
    )


# ---------------------------------------------------------------------------
# torchmetrics-parity rules, each against a float64 NumPy reference


def _rates(y, s, thresholds):
    """tp, fp at each threshold (`s >= t`), and the class totals, float64."""
    y = np.asarray(y, np.float64)
    s = np.asarray(s, np.float64)
    predicted = s[None, :] >= np.asarray(thresholds, np.float64)[:, None]
    tp = (predicted * y).sum(1)
    fp = (predicted * (1 - y)).sum(1)
    return tp, fp, y.sum(), (1 - y).sum()


@pytest.mark.parametrize("labels", [[0, 0, 0, 0, 0], [1, 1, 1, 1, 1]])
@pytest.mark.parametrize("thresholds", [None, 7])
def test_partial_auroc_with_one_class_is_the_plain_area(labels, thresholds):
    y = np.array(labels)
    s = np.array([0.1, 0.35, 0.5, 0.8, 0.9], np.float32)
    grid = np.concatenate([[np.inf], np.sort(s)[::-1]])
    if thresholds is not None:
        grid = _torch_float32_linspace(thresholds)[::-1].astype(np.float64)
    tp, fp, pos, neg = _rates(y, s, grid)
    tpr = tp / pos if pos else np.zeros_like(tp)
    fpr = fp / neg if neg else np.zeros_like(fp)
    plain = np.trapezoid(tpr, fpr)
    for max_fpr in (0.3, 0.8):
        np.testing.assert_allclose(
            jm.functional.binary_auroc(y, s, max_fpr=max_fpr, thresholds=thresholds),
            plain,
            atol=1e-7,
        )
        metric = M.BinaryAUROC(max_fpr=max_fpr, thresholds=thresholds, capacity=8)
        np.testing.assert_allclose(metric.update(y, s).compute(), plain, atol=1e-7)


@pytest.mark.filterwarnings("ignore:No positive class found")
def test_precision_recall_curve_without_positives_equals_sklearn():
    y = np.zeros(5, int)
    s = np.array([0.1, 0.35, 0.5, 0.8, 0.9], np.float32)
    ref_p, ref_r, ref_t = skm.precision_recall_curve(y, s)
    precision, recall, thresholds = jm.functional.binary_precision_recall_curve(y, s)
    np.testing.assert_allclose(precision, ref_p, atol=1e-7)
    np.testing.assert_allclose(recall, ref_r, atol=1e-7)
    np.testing.assert_allclose(thresholds, ref_t, atol=1e-7)
    exact = M.BinaryPrecisionRecallCurve(thresholds=None, capacity=7)
    out = exact.update(y, s).compute()
    np.testing.assert_allclose(out["recall"], [1.0] * 7 + [0.0])
    # binned: the same rule at every grid threshold
    grid = _torch_float32_linspace(11)
    tp, fp, _, _ = _rates(y, s, grid)
    expected_p = np.append(np.where(tp + fp > 0, 0.0, 1.0), 1.0)
    for curve in (
        jm.functional.binary_precision_recall_curve(y, s, thresholds=11),
        tuple(
            M.BinaryPrecisionRecallCurve(thresholds=11).update(y, s).compute()[k]
            for k in ("precision", "recall", "thresholds")
        ),
    ):
        np.testing.assert_allclose(curve[0], expected_p, atol=1e-7)
        np.testing.assert_allclose(curve[1], [1.0] * 11 + [0.0])
    reference_ap = skm.average_precision_score(y, s)
    for thresholds in (None, 11):
        np.testing.assert_allclose(
            jm.functional.binary_average_precision(y, s, thresholds=thresholds),
            reference_ap,
        )


_FAMILIES = {
    "precision_at_fixed_recall": ("min_recall", "PrecisionAtFixedRecall"),
    "recall_at_fixed_precision": ("min_precision", "RecallAtFixedPrecision"),
    "sensitivity_at_specificity": ("min_specificity", "SensitivityAtSpecificity"),
    "specificity_at_sensitivity": ("min_sensitivity", "SpecificityAtSensitivity"),
}


def _reference_operating_point(family, y, s, minimum, thresholds):
    """torchmetrics 1.9's rules from the definitions, brute force in float64."""
    roc = family in ("sensitivity_at_specificity", "specificity_at_sensitivity")
    if thresholds is None:
        grid = np.unique(np.asarray(s, np.float64))[::-1]
        if roc:  # the exact ROC starts at (0, 0) with threshold 1
            grid = np.concatenate([[np.inf], grid])
    else:
        grid = _torch_float32_linspace(thresholds)[::-1].astype(np.float64)
    tp, fp, pos, neg = _rates(y, s, grid)
    if roc and thresholds is None:
        grid[0] = 1.0
    precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 1.0)
    recall = tp / pos if pos else np.zeros_like(tp)
    specificity = 1 - (fp / neg if neg else np.zeros_like(fp))
    value, other = {
        "precision_at_fixed_recall": (precision, recall),
        "recall_at_fixed_precision": (recall, precision),
        "sensitivity_at_specificity": (recall, specificity),
        "specificity_at_sensitivity": (specificity, recall),
    }[family]
    ok = other >= minimum
    if not ok.any():
        return 0.0, 1e6 if roc else np.nan
    best = value[ok].max()
    tie = ok & (value == best)
    if roc:  # first best in decreasing thresholds
        return best, grid[np.argmax(tie)]
    tie &= other == other[tie].max()  # then the higher other quantity
    return best, grid[tie].max() if best > 0 else np.nan


_POINT_CASES = [
    # y, scores: ties in the best value, a best value of 0, nothing qualifying
    ([0, 1, 1, 1], [0.1, 0.5, 0.7, 0.9]),
    ([1, 1, 0, 1], [0.9, 0.8, 0.7, 0.6]),
    ([1, 0], [0.2, 0.9]),
    ([0, 0, 0], [0.25, 0.5, 0.75]),
    ([1, 1, 0], [0.5, 0.5, 0.5]),
    ([0, 1, 0, 1, 1, 0], [0.3, 0.3, 0.6, 0.7, 0.9, 0.9]),
]


@pytest.mark.parametrize("family", list(_FAMILIES))
@pytest.mark.parametrize("thresholds", [None, 5, 11])
def test_operating_point_thresholds_follow_torchmetrics_rules(family, thresholds):
    key, suffix = _FAMILIES[family]
    fn = getattr(jm.functional, f"binary_{family}")
    cls = getattr(M, f"Binary{suffix}")
    for y, s in _POINT_CASES:
        y, s = np.array(y), np.array(s, np.float32)
        for minimum in (0.5, 0.75, 1.0):
            expected = _reference_operating_point(family, y, s, minimum, thresholds)
            got = fn(y, s, thresholds=thresholds, **{key: minimum})
            np.testing.assert_allclose(got, expected, atol=1e-6, err_msg=str((y, s)))
            out = cls(thresholds=thresholds, capacity=9, **{key: minimum})
            out = out.update(y, s).compute()
            np.testing.assert_allclose(
                [out[k] for k in out if k != "threshold"] + [out["threshold"]],
                expected,
                atol=1e-6,
            )


def test_operating_point_examples_worked_by_hand():
    y, s = np.array([0, 1, 1, 1]), np.array([0.1, 0.5, 0.7, 0.9], np.float32)
    # specificity 1 at thresholds 0.9, 0.7, 0.5; sensitivity >= 0.5 from 0.7
    value, threshold = jm.functional.binary_specificity_at_sensitivity(
        y, s, min_sensitivity=0.5
    )
    assert (float(value), round(float(threshold), 6)) == (1.0, 0.7)
    # only the ROC's start (threshold 1) has specificity 1: sensitivity 0 there
    y, s = np.array([1, 0]), np.array([0.2, 0.9], np.float32)
    value, threshold = jm.functional.binary_sensitivity_at_specificity(
        y, s, min_specificity=1.0
    )
    assert (float(value), float(threshold)) == (0.0, 1.0)
    # no positives: no recall reaches 0.5, so nothing qualifies
    y, s = np.zeros(3, int), np.array([0.25, 0.5, 0.75], np.float32)
    value, threshold = jm.functional.binary_precision_at_fixed_recall(
        y, s, min_recall=0.5
    )
    assert float(value) == 0.0
    assert np.isnan(threshold)
    value, threshold = jm.functional.binary_specificity_at_sensitivity(
        y, s, min_sensitivity=0.5
    )
    assert (float(value), float(threshold)) == (0.0, 1e6)


@pytest.mark.parametrize("family", list(_FAMILIES))
def test_per_class_operating_points_follow_the_binary_rule(family):
    key, suffix = _FAMILIES[family]
    y = np.array([0, 1, 2, 1, 0, 1])
    scores = np.array(
        [
            [0.6, 0.3, 0.1],
            [0.25, 0.5, 0.25],
            [0.1, 0.3, 0.6],
            [0.25, 0.5, 0.25],
            [0.5, 0.25, 0.25],
            [0.1, 0.9, 0.0],
        ],
        np.float32,
    )
    for thresholds in (None, 5):
        expected = np.array(
            [
                _reference_operating_point(
                    family, y == c, scores[:, c], 0.5, thresholds
                )
                for c in range(C)
            ]
        ).T
        got = getattr(jm.functional, f"multiclass_{family}")(
            y, scores, num_classes=C, thresholds=thresholds, **{key: 0.5}
        )
        np.testing.assert_allclose(got, expected, atol=1e-6)
        labels = np.eye(C, dtype=int)[y]
        out = getattr(M, f"Multilabel{suffix}")(
            num_labels=C, thresholds=thresholds, capacity=8, **{key: 0.5}
        )
        out = out.update(labels, scores).compute()
        np.testing.assert_allclose(out["threshold"], expected[1], atol=1e-6)


def _torch_float32_linspace(steps):
    """torch.linspace(0, 1, steps) in float32: step rounded, each value once."""
    step = float(np.float32(1) / np.float32(steps - 1))
    values = []
    for i in range(steps):
        exact = step * i if i < steps // 2 else 1.0 - step * (steps - 1 - i)
        values.append(np.float32(exact))  # exact in float64, rounded once
    return np.array(values, np.float32)


def test_int_thresholds_are_torch_float32_linspace():
    for steps in [*range(2, 402), 1000, 4097, 10001]:
        grid = jm.functional.curve_thresholds(steps)
        assert grid.dtype == np.float32
        np.testing.assert_array_equal(grid, _torch_float32_linspace(steps))
    grid = _torch_float32_linspace(200)
    numpy_grid = np.linspace(0, 1, 200).astype(np.float32)
    differ = np.flatnonzero(grid != numpy_grid)
    assert differ.size > 0  # the grids are not the same
    # scores exactly on those thresholds (and 1 ulp around) count with >=
    s = np.concatenate([grid[differ], numpy_grid[differ]])
    y = np.arange(s.size) % 2
    tp, fp, pos, neg = _rates(y, s, grid[::-1])
    fpr, tpr, thresholds = jm.functional.binary_roc(y, s, thresholds=200)
    np.testing.assert_array_equal(thresholds, grid[::-1])
    np.testing.assert_allclose(tpr, tp / pos, atol=1e-7)
    np.testing.assert_allclose(fpr, fp / neg, atol=1e-7)
    metric = M.BinaryROC(thresholds=np.int64(200)).update(y, s).compute()
    np.testing.assert_allclose(metric["tpr"], tp / pos, atol=1e-7)


@pytest.mark.parametrize("thresholds", [5.0, np.float64(5), 0.5, True, np.bool_(1)])
def test_non_integer_scalar_thresholds_are_rejected(thresholds):
    with pytest.raises(ValueError, match="`thresholds`"):
        M.BinaryAUROC(thresholds=thresholds)
    with pytest.raises(ValueError, match="`thresholds`"):
        jm.functional.binary_auroc(
            np.array([0, 1]), np.array([0.2, 0.8]), thresholds=thresholds
        )


def test_numpy_integer_thresholds_are_accepted():
    y, s = np.array([0, 1, 1, 0]), np.array([0.2, 0.8, 0.4, 0.5], np.float32)
    grid = np.linspace(0, 1, 5)[::-1]
    tp, fp, pos, neg = _rates(y, s, grid)
    expected = np.trapezoid(tp / pos, fp / neg)
    for thresholds in (5, np.int32(5), np.int64(5)):
        np.testing.assert_allclose(
            jm.functional.binary_auroc(y, s, thresholds=thresholds), expected
        )
        np.testing.assert_allclose(
            M.BinaryAUROC(thresholds=thresholds).update(y, s).compute(), expected
        )


def test_exact_curve_padding_layout():
    """Fixed length: one point per buffer row (+ ROC start / PR end)."""
    y = np.array([1, 0, 1, 1, 0])
    s = np.array([0.9, 0.6, 0.6, 0.3, 0.1], np.float32)
    w = np.array([1.0, 1.0, 1.0, 1.0, 0.0])  # the last entry carries no weight
    capacity, filled = 7, 4
    order = np.argsort(-s[:filled], kind="stable")
    tp, fp, pos, neg = _rates(y[:filled], s[:filled], s[:filled][order])
    pad = capacity - filled
    roc = M.BinaryROC(thresholds=None, capacity=capacity).update(y, s, w).compute()
    np.testing.assert_array_equal(
        roc["thresholds"], [1.0, *s[:filled][order], *[-np.inf] * pad]
    )
    np.testing.assert_allclose(roc["tpr"], [0, *(tp / pos), *[1.0] * pad])
    np.testing.assert_allclose(roc["fpr"], [0, *(fp / neg), *[1.0] * pad])
    pr = M.BinaryPrecisionRecallCurve(thresholds=None, capacity=capacity)
    pr = pr.update(y, s, w).compute()
    precision, recall = tp / (tp + fp), tp / pos
    np.testing.assert_array_equal(
        pr["thresholds"], [*[-np.inf] * pad, *s[:filled][order][::-1]]
    )
    np.testing.assert_allclose(
        pr["precision"], [*[pos / (pos + neg)] * pad, *precision[::-1], 1.0]
    )
    np.testing.assert_allclose(pr["recall"], [*[1.0] * pad, *recall[::-1], 0.0])
    # the functional form: one point per entry of the batch, same layout
    fpr, tpr, thresholds = jm.functional.binary_roc(y, s, sample_weight=w)
    np.testing.assert_array_equal(thresholds, [1.0, *s[:filled][order], -np.inf])
    np.testing.assert_allclose(tpr, [0, *(tp / pos), 1.0])
    np.testing.assert_allclose(fpr, [0, *(fp / neg), 1.0])


def _interp_segments(x, xp, fp):
    """torchmetrics' `interp` in float64: the segment from the last `xp <= x`."""
    slope = np.divide(
        np.diff(fp), np.diff(xp), out=np.zeros(len(xp) - 1), where=np.diff(xp) != 0
    )
    offset = fp[:-1] - slope * xp[:-1]
    index = np.clip(np.sum(x[:, None] >= xp[None, :], 1) - 1, 0, len(slope) - 1)
    return slope[index] * x + offset[index]


def _class_rocs(y, scores, thresholds):
    """Per-class one-vs-rest ROC points: sklearn's (exact) or the grid's."""
    curves = []
    for c in range(scores.shape[1]):
        target = (y == c).astype(int)
        if thresholds is None:
            fpr, tpr, _ = skm.roc_curve(target, scores[:, c], drop_intermediate=False)
        else:
            grid = _torch_float32_linspace(thresholds)[::-1]
            tp, fp, pos, neg = _rates(target, scores[:, c], grid)
            fpr, tpr = fp / neg, tp / pos
        curves.append((fpr, tpr))
    return curves


def _points(x, y):
    """The distinct `(x, y)` points of a curve, rounded."""
    pairs = np.stack([np.asarray(x, np.float64), np.asarray(y, np.float64)], -1)
    return np.unique(np.round(pairs, 5), axis=0)


def _eer(fpr, tpr):
    i = np.argmin(np.abs(fpr - (1 - tpr)))
    return (fpr[i] + 1 - tpr[i]) / 2


@pytest.mark.parametrize("thresholds", [None, 21])
@pytest.mark.parametrize(("seed", "ties"), [(7, False), (1, True)])
def test_multiclass_roc_and_eer_macro_average(thresholds, seed, ties):
    y, scores, _ = _data(seed, 30)
    if ties:  # tied scores: exact curves repeat points, which must not count
        scores = (np.round(scores * 10) / 10).astype(np.float32)
    curves = _class_rocs(y, scores, thresholds)
    x = np.sort(np.concatenate([f for f, _ in curves]))
    ref_tpr = np.mean([_interp_segments(x, f, t) for f, t in curves], 0)
    options = {"num_classes": C, "average": "macro", "thresholds": thresholds}
    fpr, tpr, _ = jm.functional.multiclass_roc(y, scores, **options)
    out = M.MulticlassROC(**options, capacity=32).update(y, scores).compute()
    for f, t in ((fpr, tpr), (out["fpr"], out["tpr"])):
        # the same points (exact curves repeat some), the same area
        np.testing.assert_allclose(_points(f, t), _points(x, ref_tpr), atol=1e-5)
        np.testing.assert_allclose(
            np.trapezoid(t, f), np.trapezoid(ref_tpr, x), atol=1e-6
        )
    expected = _eer(x, ref_tpr)
    np.testing.assert_allclose(
        jm.functional.multiclass_eer(y, scores, **options), expected, atol=1e-6
    )
    np.testing.assert_allclose(
        M.MulticlassEER(**options, capacity=32).update(y, scores).compute(),
        expected,
        atol=1e-6,
    )


@pytest.mark.parametrize("thresholds", [None, 21])
def test_multiclass_curves_and_eer_micro_average(thresholds):
    y, scores, w = _data(8, 30)
    onehot = np.eye(C, dtype=int)[y].ravel()
    pooled = scores.ravel()
    weights = np.repeat(w, C)
    options = {"num_classes": C, "average": "micro", "thresholds": thresholds}
    if thresholds is None:
        ref_fpr, ref_tpr, _ = skm.roc_curve(
            onehot, pooled, sample_weight=weights, drop_intermediate=False
        )
        ref_ap = skm.average_precision_score(onehot, pooled, sample_weight=weights)
    else:
        grid = _torch_float32_linspace(thresholds)
        predicted = pooled[None, :] >= grid[:, None]
        tp = (predicted * onehot * weights).sum(1)
        fp = (predicted * (1 - onehot) * weights).sum(1)
        pos, neg = (onehot * weights).sum(), ((1 - onehot) * weights).sum()
        ref_fpr, ref_tpr = (fp / neg)[::-1], (tp / pos)[::-1]
        precision = np.append(
            np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1e-30), 1), 1
        )
        recall = np.append(tp / pos, 0)
        ref_ap = -np.sum(np.diff(recall) * precision[:-1])
    fpr, tpr, _ = jm.functional.multiclass_roc(y, scores, sample_weight=w, **options)
    out = M.MulticlassROC(**options, capacity=32).update(y, scores, w).compute()
    for f, t in ((fpr, tpr), (out["fpr"], out["tpr"])):
        assert np.asarray(f).ndim == 1
        np.testing.assert_allclose(
            np.trapezoid(t, f), np.trapezoid(ref_tpr, ref_fpr), atol=1e-6
        )
    for eer in (
        jm.functional.multiclass_eer(y, scores, sample_weight=w, **options),
        M.MulticlassEER(**options, capacity=32).update(y, scores, w).compute(),
    ):
        np.testing.assert_allclose(eer, _eer(ref_fpr, ref_tpr), atol=1e-6)
    curve = M.MulticlassPrecisionRecallCurve(**options, capacity=32)
    curve = curve.update(y, scores, w).compute()
    for precision, recall in (
        jm.functional.multiclass_precision_recall_curve(
            y, scores, sample_weight=w, **options
        )[:2],
        (curve["precision"], curve["recall"]),
    ):
        np.testing.assert_allclose(
            -np.sum(np.diff(recall) * precision[:-1]), ref_ap, atol=1e-6
        )


def test_curve_average_options_follow_torchmetrics():
    with pytest.raises(ValueError, match="`average`"):
        M.MulticlassPrecisionRecallCurve(num_classes=C, average="macro")
    with pytest.raises(ValueError, match="`average`"):
        M.MulticlassROC(num_classes=C, average="weighted")
    with pytest.raises(TypeError, match="average"):
        M.MultilabelROC(num_labels=C, average="micro")
    assert M.MulticlassROC(num_classes=C).average is None


@pytest.mark.parametrize("task", ["Multiclass", "Multilabel"])
def test_logauc_classes_default_to_one_value_per_class(task):
    # torchmetrics' LogAUC classes default to average=None (its functional
    # forms, like ours, to "macro").
    y, scores, w = _data(11, 24)
    if task == "Multilabel":
        y = (scores > 0.3).astype(int)
        options = {"num_labels": C}
    else:
        options = {"num_classes": C}
    cls = getattr(M, f"{task}LogAUC")
    per_class = cls(**options).update(y, scores, w).compute()
    macro = cls(**options, average="macro").update(y, scores, w).compute()
    assert per_class.shape == (C,)
    np.testing.assert_allclose(np.mean(per_class), macro, rtol=1e-6)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: M.BinaryAUROC(max_fpr="0.5"), "`max_fpr` in"),
        (lambda: M.BinaryAUROC(max_fpr=0.0), "`max_fpr` in"),
        (lambda: M.BinaryLogAUC(fpr_range=None), "`fpr_range` as"),
        (lambda: M.BinaryLogAUC(fpr_range=(0.1,)), "`fpr_range` as"),
        (lambda: M.BinaryLogAUC(fpr_range=(0.2, "x")), "`fpr_range` as"),
        (lambda: M.BinaryPrecisionAtFixedRecall(min_recall=None), "`min_recall` in"),
        (lambda: M.BinaryRecallAtFixedPrecision(min_precision="a"), "`min_precision`"),
    ],
)
def test_bad_curve_options_raise_value_errors(build, match):
    # None or a string used to reach float() or tuple unpacking: TypeError.
    with pytest.raises(ValueError, match=match):
        build()


def test_numpy_scalar_curve_options_are_accepted():
    y, scores, w = _data(12, 30)
    y = (y == 0).astype(int)
    s = scores[:, 0]
    a = M.BinaryAUROC(max_fpr=np.float64(0.5), thresholds=None, capacity=32)
    expected = skm.roc_auc_score(y, s, max_fpr=0.5, sample_weight=w)
    np.testing.assert_allclose(a.update(y, s, w).compute(), expected, atol=1e-5)
