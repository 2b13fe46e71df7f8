"""Parity of the task stat-scores functional forms with scikit-learn."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from sklearn import metrics as skm

import jax_metrics as jm

FN = jm.functional
C = 4
FAMILIES = (
    "accuracy",
    "precision",
    "recall",
    "f1_score",
    "fbeta_score",
    "specificity",
    "negative_predictive_value",
    "hamming_distance",
    "jaccard_index",
)


def _div(num, den):
    num, den = np.asarray(num, np.float64), np.asarray(den, np.float64)
    return np.where(den == 0, 0.0, num / np.where(den == 0, 1, den))


def _reference(family, tp, fp, tn, fn, *, task, average, top_k=1, beta=2.0):
    """torchmetrics' reductions written from their formulas, in float64."""
    rate = task != "multiclass"
    scores = {
        "accuracy": lambda tp, fp, tn, fn: (
            _div(tp + tn, tp + tn + fp + fn) if rate else _div(tp, tp + fn)
        ),
        "precision": lambda tp, fp, tn, fn: _div(tp, tp + fp),
        "recall": lambda tp, fp, tn, fn: _div(tp, tp + fn),
        "f1_score": lambda tp, fp, tn, fn: _div(2 * tp, 2 * tp + fn + fp),
        "fbeta_score": lambda tp, fp, tn, fn: _div(
            (1 + beta**2) * tp, (1 + beta**2) * tp + beta**2 * fn + fp
        ),
        "specificity": lambda tp, fp, tn, fn: _div(tn, tn + fp),
        "negative_predictive_value": lambda tp, fp, tn, fn: _div(tn, tn + fn),
        "jaccard_index": lambda tp, fp, tn, fn: _div(tp, tp + fp + fn),
    }
    if family == "hamming_distance":
        acc = _reference("accuracy", tp, fp, tn, fn, task=task, average=average)
        if average in ("micro", "none", None) or task == "binary":
            return 1 - acc
        score = 1 - scores["accuracy"](tp, fp, tn, fn)
    elif task == "binary":
        return scores[family](tp, fp, tn, fn)
    elif average == "micro":
        return scores[family](tp.sum(), fp.sum(), tn.sum(), fn.sum())
    else:
        score = scores[family](tp, fp, tn, fn)
    if average in ("none", None):
        return score
    if average == "weighted":
        weight = tp + fn
    else:
        weight = np.ones_like(score)
        if task == "multiclass":
            # torchmetrics passes top_k to the weights of these four only
            top_k_rule = top_k > 1 and family in (
                "accuracy",
                "precision",
                "recall",
                "negative_predictive_value",
            )
            present = tp + fn if top_k_rule else tp + fp + fn
            weight = np.where(present == 0, 0.0, weight)
    return _div((weight * score).sum(), weight.sum())


def _counts(y, p, w, labels):
    cm = skm.multilabel_confusion_matrix(y, p, sample_weight=w, labels=labels)
    cm = cm.astype(np.float64)
    return cm[:, 1, 1], cm[:, 0, 1], cm[:, 0, 0], cm[:, 1, 0]


def _call(task, family, y, p, w, **options):
    name = (
        "binary_task_accuracy"
        if (task, family) == ("binary", "accuracy")
        else (f"{task}_{family}")
    )
    if family == "fbeta_score":
        options["beta"] = 2.0
    return np.asarray(getattr(FN, name)(y, p, sample_weight=w, **options), np.float64)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(("seed", "n", "weighted"), [(0, 13, True), (1, 7, False)])
@pytest.mark.parametrize("ignore_index", [None, 0])
def test_binary_parity(family, seed, n, weighted, ignore_index):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = rng.uniform(size=n).astype(np.float32)
    w = rng.uniform(0, 2, n) if weighted else None
    keep = np.ones(n, bool) if ignore_index is None else y != ignore_index
    y_k, p_k = y[keep], (p[keep] > 0.3).astype(int)
    w_k = None if w is None else w[keep]
    tp, fp, tn, fn = (x[1] for x in _counts(y_k, p_k, w_k, [0, 1]))
    expected = _reference(family, tp, fp, tn, fn, task="binary", average=None)
    actual = _call(
        task="binary",
        family=family,
        y=y,
        p=p,
        w=w,
        threshold=0.3,
        ignore_index=ignore_index,
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


def _multiclass_predictions(y, scores, top_k):
    best = np.argsort(-scores, axis=-1, kind="stable")[:, :top_k]
    hit = (best == y[:, None]).any(-1)
    return np.where(hit, y, best[:, 0])


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("average", ["micro", "macro", "weighted", "none"])
@pytest.mark.parametrize(
    ("seed", "n", "weighted", "top_k", "ignore_index"),
    [(0, 13, True, 1, None), (1, 7, False, 1, 2), (2, 21, True, 2, 1)],
)
def test_multiclass_parity(family, average, seed, n, weighted, top_k, ignore_index):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, C, n)
    scores = rng.normal(size=(n, C)).astype(np.float32)
    w = rng.uniform(0, 2, n) if weighted else None
    keep = np.ones(n, bool) if ignore_index is None else y != ignore_index
    pred = _multiclass_predictions(y, scores, top_k)
    w_k = None if w is None else w[keep]
    stats = _counts(y[keep], pred[keep], w_k, list(range(C)))
    expected = _reference(
        family, *stats, task="multiclass", average=average, top_k=top_k
    )
    if family == "jaccard_index" and ignore_index is not None and average != "none":
        # torchmetrics leaves an in-range ignored class out of micro/macro
        tp, fp, tn, fn = (np.delete(x, ignore_index) for x in stats)
        expected = _reference(
            family, tp, fp, tn, fn, task="multiclass", average=average
        )
        if average == "weighted":
            expected = _reference(family, *stats, task="multiclass", average=average)
    actual = _call(
        "multiclass",
        family,
        y,
        scores,
        w,
        num_classes=C,
        average=average,
        top_k=top_k,
        ignore_index=ignore_index,
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("average", ["micro", "macro", "weighted", "none"])
@pytest.mark.parametrize(("seed", "n", "weighted"), [(0, 13, True), (1, 7, False)])
def test_multilabel_parity(family, average, seed, n, weighted):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, (n, C))
    p = rng.uniform(size=(n, C)).astype(np.float32)
    w = rng.uniform(0, 2, n) if weighted else None
    stats = _counts(y, (p > 0.5).astype(int), w, None)
    expected = _reference(family, *stats, task="multilabel", average=average)
    actual = _call("multilabel", family, y, p, w, num_labels=C, average=average)
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted", None])
def test_sklearn_scorers_directly(average):
    """Where scikit-learn has the scorer itself, compare with it directly."""
    rng = np.random.default_rng(3)
    y = np.concatenate([np.arange(C), rng.integers(0, C, 17)])  # every class present
    scores = rng.normal(size=(21, C)).astype(np.float32)
    w = rng.uniform(0.1, 2, 21)
    pred = scores.argmax(-1)
    pairs = {
        "precision": skm.precision_score,
        "recall": skm.recall_score,
        "f1_score": skm.f1_score,
        "jaccard_index": skm.jaccard_score,
    }
    for family, scorer in pairs.items():
        expected = scorer(y, pred, average=average, sample_weight=w, zero_division=0)
        actual = _call(
            "multiclass", family, y, scores, w, num_classes=C, average=average
        )
        np.testing.assert_allclose(actual, expected, rtol=1e-5, err_msg=family)
    expected = skm.fbeta_score(y, pred, beta=2.0, average=average, sample_weight=w)
    actual = _call(
        "multiclass", "fbeta_score", y, scores, w, num_classes=C, average=average
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-5)
    np.testing.assert_allclose(
        _call("multiclass", "accuracy", y, scores, w, num_classes=C, average="micro"),
        skm.accuracy_score(y, pred, sample_weight=w),
        rtol=1e-5,
    )


def test_multilabel_hamming_is_sklearn_hamming_loss():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, (11, C))
    p = rng.uniform(size=(11, C)).astype(np.float32)
    w = rng.uniform(0, 2, 11)
    expected = skm.hamming_loss(y, (p > 0.5).astype(int), sample_weight=w)
    actual = _call(
        "multilabel", "hamming_distance", y, p, w, num_labels=C, average="micro"
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-5)


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.bfloat16])
def test_logits_and_bfloat16(dtype):
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 13)
    logits = jnp.asarray(rng.normal(size=13), dtype)
    probs = 1 / (1 + np.exp(-np.asarray(logits, np.float64)))
    expected = skm.precision_score(y, (probs > 0.5).astype(int))
    actual = FN.binary_precision(y, logits, from_logits=True)
    np.testing.assert_allclose(
        actual, expected, rtol=1e-3 if dtype == jnp.bfloat16 else 1e-6
    )


def test_samplewise_segmentation_maps():
    rng = np.random.default_rng(6)
    y = rng.integers(0, C, (5, 3, 4))
    scores = rng.normal(size=(5, 3, 4, C)).astype(np.float32)
    actual = FN.multiclass_recall(
        y, scores, num_classes=C, average="micro", multidim_average="samplewise"
    )
    pred = scores.argmax(-1)
    expected = [
        skm.recall_score(y[i].ravel(), pred[i].ravel(), average="micro")
        for i in range(5)
    ]
    np.testing.assert_allclose(actual, expected, rtol=1e-6)
    glob = FN.multiclass_recall(y, scores, num_classes=C, average="micro")
    np.testing.assert_allclose(
        glob, skm.recall_score(y.ravel(), pred.ravel(), average="micro"), rtol=1e-6
    )


def test_stat_scores_and_confusion_against_sklearn():
    rng = np.random.default_rng(7)
    y = rng.integers(0, C, 19)
    p = rng.integers(0, C, 19)
    w = rng.uniform(0, 2, 19)
    cm = skm.confusion_matrix(y, p, sample_weight=w, labels=range(C))
    np.testing.assert_allclose(
        FN.multiclass_confusion_matrix(y, p, num_classes=C, sample_weight=w),
        cm,
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        FN.multiclass_confusion_matrix(y, p, num_classes=C, normalize="true"),
        skm.confusion_matrix(y, p, labels=range(C), normalize="true"),
        rtol=1e-5,
    )
    stats = np.stack(_counts(y, p, w, list(range(C))), -1)
    stats = np.concatenate([stats, stats[:, :1] + stats[:, 3:4]], -1)
    np.testing.assert_allclose(
        FN.multiclass_stat_scores(y, p, num_classes=C, average="none", sample_weight=w),
        stats,
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        FN.multiclass_stat_scores(
            y, p, num_classes=C, average="macro", sample_weight=w
        ),
        stats.mean(0),
        rtol=1e-5,
    )


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_kappa_and_mcc_against_sklearn(weights):
    rng = np.random.default_rng(8)
    y = rng.integers(0, C, 23)
    p = np.where(rng.uniform(size=23) < 0.6, y, rng.integers(0, C, 23))
    w = rng.uniform(0, 2, 23)
    np.testing.assert_allclose(
        FN.multiclass_cohen_kappa(
            y, p, num_classes=C, weights=weights, sample_weight=w
        ),
        skm.cohen_kappa_score(y, p, weights=weights, sample_weight=w),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        FN.multiclass_matthews_corrcoef(y, p, num_classes=C, sample_weight=w),
        skm.matthews_corrcoef(y, p, sample_weight=w),
        rtol=1e-5,
    )
    yb, pb = (y > 1).astype(int), rng.uniform(size=23).astype(np.float32)
    np.testing.assert_allclose(
        FN.binary_matthews_corrcoef(yb, pb, sample_weight=w),
        skm.matthews_corrcoef(yb, (pb > 0.5).astype(int), sample_weight=w),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        FN.binary_cohen_kappa(yb, pb, weights=weights, sample_weight=w),
        skm.cohen_kappa_score(
            yb, (pb > 0.5).astype(int), weights=weights, sample_weight=w
        ),
        rtol=1e-5,
    )


def test_exact_match():
    rng = np.random.default_rng(9)
    y = rng.integers(0, 2, (15, 3))
    p = np.where(rng.uniform(size=(15, 3)) < 0.8, y, 1 - y)
    w = rng.uniform(0, 2, 15)
    np.testing.assert_allclose(
        FN.multilabel_exact_match(
            y, p.astype(np.float32), num_labels=3, sample_weight=w
        ),
        skm.accuracy_score(y, p, sample_weight=w),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        FN.multiclass_exact_match(y, p, num_classes=2, multidim_average="samplewise"),
        (y == p).all(-1).astype(float),
    )


def test_ignored_and_invalid_entries_count_nowhere():
    y = jnp.array([0, 1, 5, -1, 1])
    p = jnp.array([0.1, 0.9, 0.9, 0.9, jnp.nan])
    np.testing.assert_allclose(FN.binary_stat_scores(y, p), [1, 0, 1, 0, 1])
    # The target 7 is invalid (the entry counts nowhere); the prediction 9 is
    # a wrong prediction of no class (scikit-learn with labels=[0, 1, 2]).
    yc = jnp.array([0, 1, 7, 2])
    cm = skm.multilabel_confusion_matrix([0, 1, 2], [0, 1, 9], labels=[0, 1, 2])
    (tn, fp), (fn, tp) = cm.sum(0)
    np.testing.assert_allclose(
        FN.multiclass_stat_scores(
            yc, jnp.array([0, 1, 1, 9]), num_classes=3, average="micro"
        ),
        [tp, fp, tn, fn, tp + fn],
    )


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: FN.binary_precision(jnp.zeros(3), jnp.zeros(4)),
            ValueError,
            "same shape",
        ),
        (
            lambda: FN.multiclass_precision(
                jnp.zeros(3), jnp.zeros((3, 5)), num_classes=4
            ),
            ValueError,
            "expected `y_pred`",
        ),
        (
            lambda: FN.multiclass_precision(
                jnp.zeros(3), jnp.zeros(3), num_classes=4, average="mean"
            ),
            ValueError,
            "`average`",
        ),
        (
            lambda: FN.multiclass_recall(
                jnp.zeros(3), jnp.zeros(3), num_classes=4, top_k=2
            ),
            ValueError,
            "top_k",
        ),
        (
            lambda: FN.multilabel_f1_score(
                jnp.zeros((3, 2)), jnp.zeros((3, 2)), num_labels=3
            ),
            ValueError,
            "num_labels=3",
        ),
        (
            lambda: FN.binary_recall(jnp.zeros(3), jnp.zeros(3), threshold=2.0),
            ValueError,
            "threshold",
        ),
        (
            lambda: FN.multiclass_accuracy(jnp.zeros(3), jnp.zeros(3)),
            TypeError,
            "num_classes",
        ),
        (
            lambda: FN.binary_precision(jnp.zeros(3), jnp.zeros(3), averag="micro"),
            TypeError,
            "averag",
        ),
        (
            lambda: FN.binary_fbeta_score(jnp.zeros(3), jnp.zeros(3), beta=-1.0),
            ValueError,
            "beta",
        ),
        (
            lambda: FN.multiclass_confusion_matrix(
                jnp.zeros(3), jnp.zeros(3), num_classes=3, normalize="rows"
            ),
            ValueError,
            "normalize",
        ),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("average", ["micro", "macro", "weighted", "none"])
def test_multilabel_ignore_index_and_entry_weights(average):
    """Ignored entries and per-entry (N, L) weights, against NumPy counts."""
    rng = np.random.default_rng(10)
    y = rng.integers(0, 2, (15, C))
    y[rng.uniform(size=y.shape) < 0.2] = -1
    p = rng.uniform(size=(15, C)).astype(np.float32)
    w = rng.uniform(0, 2, (15, C))
    keep = w * (y != -1)
    pred = p > 0.5
    tp = (keep * ((y == 1) & pred)).sum(0)
    fp = (keep * ((y == 0) & pred)).sum(0)
    tn = (keep * ((y == 0) & ~pred)).sum(0)
    fn = (keep * ((y == 1) & ~pred)).sum(0)
    for family in ("precision", "jaccard_index", "negative_predictive_value"):
        expected = _reference(
            family, tp, fp, tn, fn, task="multilabel", average=average
        )
        actual = _call(
            "multilabel",
            family,
            y,
            p,
            w,
            num_labels=C,
            average=average,
            ignore_index=-1,
        )
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


def test_argmax_and_nan_in_one_pass():
    """The one-pass argmax equals NumPy's: first maximum on ties, NaN rows
    flagged (and ranked first, as `jnp.argmax` does), all -inf rows at 0."""
    from jax_metrics.functional._stat_scores_statistics import _argmax_and_nan

    rng = np.random.default_rng(0)
    x = rng.integers(-2, 3, (500, 7)).astype(np.float32)  # many ties
    x[3, 2] = np.nan
    x[7, [1, 3]] = np.nan
    x[5] = -np.inf
    x[9, 4] = np.inf
    argmax, has_nan = jax.jit(_argmax_and_nan)(x)
    nan_rows = np.isnan(x).any(-1)
    expected = np.where(
        nan_rows, np.argmax(np.isnan(x), -1), np.argmax(np.nan_to_num(x, nan=0), -1)
    )
    np.testing.assert_array_equal(argmax, expected)
    np.testing.assert_array_equal(has_nan, nan_rows)
