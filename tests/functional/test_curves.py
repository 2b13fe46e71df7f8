"""Parity of the task curve functional forms with scikit-learn and NumPy."""

import jax.numpy as jnp
import numpy as np
import pytest
from sklearn import metrics as skm

import jax_metrics as jm

FN = jm.functional
C = 3


def _binary(seed, n, ties=True):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    s = rng.uniform(size=n).astype(np.float32)
    if ties:
        s[: n // 3] = np.round(s[: n // 3], 1)  # tied scores
    return y, s, rng.uniform(0, 2, n)


@pytest.mark.parametrize(("seed", "n"), [(0, 13), (1, 41), (2, 7)])
@pytest.mark.parametrize("weighted", [True, False])
def test_binary_exact_areas_equal_sklearn(seed, n, weighted):
    y, s, w = _binary(seed, n)
    w = w if weighted else None
    np.testing.assert_allclose(
        FN.binary_auroc(y, s, sample_weight=w),
        skm.roc_auc_score(y, s, sample_weight=w),
        atol=1e-6,
    )
    np.testing.assert_allclose(
        FN.binary_average_precision(y, s, sample_weight=w),
        skm.average_precision_score(y, s, sample_weight=w),
        atol=1e-6,
    )


def test_binary_exact_roc_points_equal_sklearn():
    y, s, w = _binary(3, 23)
    fpr, tpr, _thr = FN.binary_roc(y, s, sample_weight=w)
    ref_fpr, ref_tpr, _ = skm.roc_curve(y, s, sample_weight=w, drop_intermediate=False)

    def unique(x, y):
        pairs = np.stack([np.asarray(x, np.float64), np.asarray(y, np.float64)], -1)
        return np.unique(np.round(pairs, 5), axis=0)

    np.testing.assert_allclose(unique(fpr, tpr), unique(ref_fpr, ref_tpr), atol=1e-5)
    assert np.all(np.diff(np.asarray(fpr)) >= 0)


def _onehot_reference(y, scores, w, average, scorer):
    return scorer(np.eye(scores.shape[-1])[y], scores, average=average, sample_weight=w)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted", None])
@pytest.mark.parametrize(("seed", "n", "ignore_index"), [(0, 29, None), (1, 31, 1)])
def test_multiclass_exact_equal_sklearn(average, seed, n, ignore_index):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, C, n)
    logits = rng.normal(size=(n, C)).astype(np.float32)
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    w = rng.uniform(0, 2, n)
    keep = np.ones(n, bool) if ignore_index is None else y != ignore_index
    for fn, scorer in [
        (FN.multiclass_auroc, skm.roc_auc_score),
        (FN.multiclass_average_precision, skm.average_precision_score),
    ]:
        actual = fn(
            y,
            logits,
            num_classes=C,
            from_logits=True,
            sample_weight=w,
            ignore_index=ignore_index,
            average=average or "none",
        )
        ref_y, ref_p, ref_w = y[keep], probs[keep], w[keep]
        if ignore_index is not None:
            # the ignored class has no positives left: compare the others
            cols = [c for c in range(C) if c != ignore_index]
            if average in (None, "macro"):
                expected = scorer(
                    np.eye(C)[ref_y][:, cols],
                    ref_p[:, cols],
                    average=None,
                    sample_weight=ref_w,
                )
                actual = np.asarray(
                    fn(
                        y,
                        logits,
                        num_classes=C,
                        from_logits=True,
                        sample_weight=w,
                        ignore_index=ignore_index,
                        average="none",
                    )
                )[cols]
                np.testing.assert_allclose(actual, expected, atol=1e-6)
                continue
        expected = _onehot_reference(ref_y, ref_p, ref_w, average, scorer)
        np.testing.assert_allclose(actual, expected, atol=1e-6)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted", None])
def test_multilabel_exact_equal_sklearn(average):
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, (27, C))
    s = rng.uniform(size=(27, C)).astype(np.float32)
    w = rng.uniform(0, 2, 27)
    for fn, scorer in [
        (FN.multilabel_auroc, skm.roc_auc_score),
        (FN.multilabel_average_precision, skm.average_precision_score),
    ]:
        np.testing.assert_allclose(
            fn(y, s, num_labels=C, average=average or "none", sample_weight=w),
            scorer(y, s, average=average, sample_weight=w),
            atol=1e-6,
        )


def _binned_reference(y, s, w, thresholds):
    """tp/fp/tn/fn with `s >= t`, then torchmetrics' binned ROC/AP in float64."""
    t = np.asarray(thresholds, np.float64)
    pred = np.asarray(s, np.float64)[:, None] >= t[None, :]
    pos = (y == 1)[:, None]
    tp = (w[:, None] * (pred & pos)).sum(0)
    fp = (w[:, None] * (pred & ~pos)).sum(0)
    fn = (w[:, None] * (~pred & pos)).sum(0)
    tn = (w[:, None] * (~pred & ~pos)).sum(0)
    tpr = (tp / (tp + fn))[::-1]
    fpr = (fp / (fp + tn))[::-1]
    auroc = np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2)
    precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1e-300), 1.0)
    recall = tp / (tp + fn)
    precision, recall = np.append(precision, 1.0), np.append(recall, 0.0)
    ap = -np.sum(np.diff(recall) * precision[:-1])
    return auroc, ap


@pytest.mark.parametrize("thresholds", [5, 50, [0.1, 0.25, 0.5, 0.9]])
@pytest.mark.parametrize("dtype", [jnp.float32, jnp.bfloat16])
def test_binned_equals_numpy_reference(thresholds, dtype):
    y, s, w = _binary(5, 37, ties=False)
    s = np.asarray(jnp.asarray(s, dtype).astype(jnp.float32))
    grid = np.linspace(0, 1, thresholds) if isinstance(thresholds, int) else thresholds
    auroc, ap = _binned_reference(y, s, w, np.asarray(grid, np.float32))
    tol = 1e-5
    np.testing.assert_allclose(
        FN.binary_auroc(
            y, jnp.asarray(s, dtype), thresholds=thresholds, sample_weight=w
        ),
        auroc,
        atol=tol,
    )
    np.testing.assert_allclose(
        FN.binary_average_precision(
            y, jnp.asarray(s, dtype), thresholds=thresholds, sample_weight=w
        ),
        ap,
        atol=tol,
    )


def test_binned_error_against_exact_is_documented_bound():
    """With T thresholds, binned areas are within about 1/T of exact ones."""
    rng = np.random.default_rng(6)
    y = rng.integers(0, 2, 2000)
    s = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1).astype(np.float32)
    for t in (50, 200):
        for fn, scorer in [
            (FN.binary_auroc, skm.roc_auc_score),
            (FN.binary_average_precision, skm.average_precision_score),
        ]:
            error = abs(float(fn(y, s, thresholds=t)) - scorer(y, s))
            assert error <= 1.0 / t, (fn.__name__, t, error)


def _roc_points(y, s, w):
    fpr, tpr, thr = skm.roc_curve(y, s, sample_weight=w, drop_intermediate=False)
    return fpr, tpr, np.where(np.isinf(thr), 1.0, thr)


def test_operating_points_equal_brute_force():
    y, s, w = _binary(7, 31)
    fpr, tpr, thr = _roc_points(y, s, w)
    # precision/recall at every sklearn threshold (skip the prepended point)
    counts = [
        (np.sum(w * (s >= t) * y), np.sum(w * (s >= t) * (1 - y))) for t in thr[1:]
    ]
    tp, fp = np.array(counts).T
    precision, recall = tp / (tp + fp), tp / np.sum(w * y)

    def best(value, other, minimum, ts):
        ok = other >= minimum - 1e-7
        return value[ok].max()

    got, _ = FN.binary_precision_at_fixed_recall(y, s, min_recall=0.6, sample_weight=w)
    np.testing.assert_allclose(got, best(precision, recall, 0.6, thr[1:]), atol=1e-6)
    got, _ = FN.binary_recall_at_fixed_precision(
        y, s, min_precision=0.6, sample_weight=w
    )
    np.testing.assert_allclose(got, best(recall, precision, 0.6, thr[1:]), atol=1e-6)
    got, threshold = FN.binary_sensitivity_at_specificity(
        y, s, min_specificity=0.7, sample_weight=w
    )
    np.testing.assert_allclose(got, best(tpr, 1 - fpr, 0.7, thr), atol=1e-6)
    got, _ = FN.binary_specificity_at_sensitivity(
        y, s, min_sensitivity=0.7, sample_weight=w
    )
    np.testing.assert_allclose(got, best(1 - fpr, tpr, 0.7, thr), atol=1e-6)
    got, threshold = FN.binary_precision_at_fixed_recall(y, s, min_recall=1.1 - 0.1)
    assert float(got) > 0
    none, threshold = FN.binary_recall_at_fixed_precision(
        np.zeros(4, int), np.full(4, 0.5, np.float32), min_precision=0.5
    )
    assert float(none) == 0.0
    assert np.isnan(threshold)  # torchmetrics 1.9: no threshold gives recall > 0


def test_logauc_and_eer_equal_numpy_formulas():
    y, s, _w = _binary(8, 61, ties=False)
    fpr, tpr, _ = _roc_points(y, s, None)
    low, high = 0.05, 0.5
    ends = np.array([low, high])
    t = np.sort(np.concatenate([tpr, np.interp(ends, fpr, tpr)]))
    f = np.sort(np.concatenate([fpr, ends]))
    with np.errstate(divide="ignore"):
        x = np.log10(f)
    lo = np.where(x == np.log10(low))[0][-1]
    hi = np.where(x == np.log10(high))[0][-1]
    x, t = x[lo : hi + 1], t[lo : hi + 1]
    expected = np.sum(np.diff(x) * (t[1:] + t[:-1]) / 2) / (
        np.log10(high) - np.log10(low)
    )
    np.testing.assert_allclose(
        FN.binary_logauc(y, s, fpr_range=(low, high)), expected, atol=1e-5
    )
    fnr = 1 - tpr
    i = np.argmin(np.abs(fpr - fnr))
    np.testing.assert_allclose(FN.binary_eer(y, s), (fpr[i] + fnr[i]) / 2, atol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: FN.binary_auroc(np.zeros(3), np.zeros(3), thresholds=1),
            ValueError,
            "thresholds",
        ),
        (
            lambda: FN.binary_auroc(np.zeros(3), np.zeros(3), thresholds=[0.5, 0.1]),
            ValueError,
            "ascending",
        ),
        (
            lambda: FN.multiclass_auroc(np.zeros(3), np.zeros((3, 4)), num_classes=3),
            ValueError,
            "num_classes=3",
        ),
        (
            lambda: FN.multiclass_auroc(
                np.zeros(3), np.zeros((3, 3)), num_classes=3, average="mean"
            ),
            ValueError,
            "`average`",
        ),
        (
            lambda: FN.binary_precision_at_fixed_recall(
                np.zeros(3), np.zeros(3), min_recall=1.5
            ),
            ValueError,
            "min_recall",
        ),
        (
            lambda: FN.binary_recall_at_fixed_precision(np.zeros(3), np.zeros(3)),
            TypeError,
            "min_precision",
        ),
        (
            lambda: FN.binary_logauc(np.zeros(3), np.zeros(3), fpr_range=(0.5, 0.1)),
            ValueError,
            "fpr_range",
        ),
        (lambda: FN.binary_roc(np.zeros(3), np.zeros(4)), ValueError, "same shape"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("max_fpr", [0.1, 0.35, 0.8])
def test_partial_auroc_equals_sklearn(max_fpr):
    y, s, w = _binary(9, 43)
    np.testing.assert_allclose(
        FN.binary_auroc(y, s, max_fpr=max_fpr, sample_weight=w),
        skm.roc_auc_score(y, s, max_fpr=max_fpr, sample_weight=w),
        atol=1e-6,
    )
    metric = jm.metrics.BinaryAUROC(max_fpr=max_fpr, thresholds=None, capacity=64)
    np.testing.assert_allclose(
        metric.update(y, s, w).compute(),
        skm.roc_auc_score(y, s, max_fpr=max_fpr, sample_weight=w),
        atol=1e-6,
    )


def test_binary_exact_precision_recall_curve_equals_sklearn():
    y, s, w = _binary(10, 19, ties=False)
    precision, recall, thresholds = FN.binary_precision_recall_curve(
        y, s, sample_weight=w
    )
    ref_p, ref_r, ref_t = skm.precision_recall_curve(y, s, sample_weight=w)
    np.testing.assert_allclose(precision, ref_p, atol=1e-6)
    np.testing.assert_allclose(recall, ref_r, atol=1e-6)
    np.testing.assert_allclose(thresholds, ref_t, atol=1e-7)


def _reference_operating_points(y, s, w, minimum):
    """Brute force over every distinct threshold, in float64 NumPy."""
    out = {}
    pos, neg = np.sum(w * y), np.sum(w * (1 - y))
    rows = []
    for t in np.unique(s):
        tp = np.sum(w * (s >= t) * y)
        fp = np.sum(w * (s >= t) * (1 - y))
        rows.append((tp / (tp + fp), tp / pos, 1 - fp / neg))
    precision, recall, specificity = np.array(rows).T
    out["precision_at_fixed_recall"] = precision[recall >= minimum].max()
    out["recall_at_fixed_precision"] = recall[precision >= minimum].max()
    out["sensitivity_at_specificity"] = recall[specificity >= minimum].max()
    out["specificity_at_sensitivity"] = specificity[recall >= minimum].max()
    fpr, tpr, _ = skm.roc_curve(y, s, sample_weight=w, drop_intermediate=False)
    i = np.argmin(np.abs(fpr - (1 - tpr)))
    out["eer"] = (fpr[i] + 1 - tpr[i]) / 2
    return out


@pytest.mark.parametrize("task", ["multiclass", "multilabel"])
def test_per_class_curves_equal_one_vs_rest_references(task):
    rng = np.random.default_rng(11)
    n = 33
    w = rng.uniform(0.1, 2, n)
    if task == "multiclass":
        y = rng.integers(0, C, n)
        s = rng.dirichlet(np.ones(C), n).astype(np.float32)
        columns = np.eye(C)[y]
        options = {"num_classes": C}
    else:
        columns = y = rng.integers(0, 2, (n, C))
        s = rng.uniform(size=(n, C)).astype(np.float32)
        options = {"num_labels": C}
    minimum = 0.4
    families = {
        "precision_at_fixed_recall": {"min_recall": minimum},
        "recall_at_fixed_precision": {"min_precision": minimum},
        "sensitivity_at_specificity": {"min_specificity": minimum},
        "specificity_at_sensitivity": {"min_sensitivity": minimum},
    }
    for k in range(C):
        expected = _reference_operating_points(columns[:, k], s[:, k], w, minimum)
        for family, extra in families.items():
            value, _ = getattr(FN, f"{task}_{family}")(
                y, s, sample_weight=w, **options, **extra
            )
            np.testing.assert_allclose(value[k], expected[family], atol=1e-6)
        eer = getattr(FN, f"{task}_eer")(y, s, sample_weight=w, **options)
        np.testing.assert_allclose(eer[k], expected["eer"], atol=1e-6)
        fpr, tpr, _ = getattr(FN, f"{task}_roc")(y, s, sample_weight=w, **options)
        np.testing.assert_allclose(
            np.trapezoid(tpr[:, k], fpr[:, k]),
            skm.roc_auc_score(columns[:, k], s[:, k], sample_weight=w),
            atol=1e-6,
        )
        precision, recall, _ = getattr(FN, f"{task}_precision_recall_curve")(
            y, s, sample_weight=w, **options
        )
        np.testing.assert_allclose(
            -np.sum(np.diff(recall[:, k]) * precision[:-1, k]),
            skm.average_precision_score(columns[:, k], s[:, k], sample_weight=w),
            atol=1e-6,
        )


def test_nan_scores_and_ignored_targets_are_left_out():
    y, s, w = _binary(12, 21, ties=False)
    s_bad, y_bad = s.copy(), y.copy()
    s_bad[:3] = np.nan
    y_bad[3:5] = 7  # not a binary label
    keep = np.arange(21) >= 5
    for thresholds in (None, 17):
        np.testing.assert_allclose(
            FN.binary_auroc(y_bad, s_bad, sample_weight=w, thresholds=thresholds),
            FN.binary_auroc(
                y[keep], s[keep], sample_weight=w[keep], thresholds=thresholds
            ),
            atol=1e-6,
        )
    np.testing.assert_allclose(
        FN.binary_average_precision(y_bad, s_bad, sample_weight=w),
        skm.average_precision_score(y[keep], s[keep], sample_weight=w[keep]),
        atol=1e-6,
    )
