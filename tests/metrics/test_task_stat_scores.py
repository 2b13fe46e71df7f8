"""Task stat-scores metric classes: parity, shared statistics, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from sklearn import metrics as skm

import jax_metrics as jm

M = jm.metrics
C = 3


def _batches(rng, sizes=(7, 13, 5)):
    out = []
    for n in sizes:
        out.append(
            {
                "y_true": rng.integers(0, C, n),
                "y_pred": rng.normal(size=(n, C)).astype(np.float32),
                "sample_weight": rng.uniform(0, 2, n).astype(np.float32),
            }
        )
    return out


def _accumulate(metric, batches):
    for b in batches:
        metric = metric.update(**b)
    return metric


def _concat(batches):
    return {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}


@pytest.mark.parametrize(
    ("cls", "scorer", "average"),
    [
        (M.MulticlassPrecision, skm.precision_score, "macro"),
        (M.MulticlassRecall, skm.recall_score, "weighted"),
        (M.MulticlassF1Score, skm.f1_score, "micro"),
        (M.MulticlassJaccardIndex, skm.jaccard_score, "none"),
    ],
)
def test_accumulated_multiclass_matches_sklearn(cls, scorer, average):
    batches = _batches(np.random.default_rng(0))
    metric = _accumulate(cls(num_classes=C, average=average), batches)
    whole = _concat(batches)
    pred = whole["y_pred"].argmax(-1)
    expected = scorer(
        whole["y_true"],
        pred,
        average=None if average == "none" else average,
        sample_weight=whole["sample_weight"],
        labels=list(range(C)),
    )
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)


def test_accumulated_binary_and_multilabel_match_sklearn():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, (19, C))
    p = rng.uniform(size=(19, C)).astype(np.float32)
    w = rng.uniform(0, 2, 19).astype(np.float32)
    m = M.MultilabelFBetaScore(beta=0.5, num_labels=C, average="macro")
    m = m.update(y[:9], p[:9], w[:9]).update(y[9:], p[9:], w[9:])
    expected = skm.fbeta_score(y, p > 0.5, beta=0.5, average="macro", sample_weight=w)
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-5)
    b = M.BinaryMatthewsCorrCoef().update(y[:9, 0], p[:9, 0], w[:9])
    b = b.update(y[9:, 0], p[9:, 0], w[9:])
    expected = skm.matthews_corrcoef(y[:, 0], p[:, 0] > 0.5, sample_weight=w)
    np.testing.assert_allclose(b.compute(), expected, rtol=1e-5)
    k = M.MulticlassCohenKappa(num_classes=2, weights="linear")
    k = k.update(y[:9, 1], p[:9, 1] > 0.5, w[:9]).update(
        y[9:, 1], p[9:, 1] > 0.5, w[9:]
    )
    expected = skm.cohen_kappa_score(
        y[:, 1], p[:, 1] > 0.5, weights="linear", sample_weight=w
    )
    np.testing.assert_allclose(k.compute(), expected, rtol=1e-5)


def test_samplewise_class_accumulates_the_weighted_mean_of_sample_scores():
    rng = np.random.default_rng(2)
    y = rng.integers(0, C, (9, 6))
    scores = rng.normal(size=(9, 6, C)).astype(np.float32)
    w = rng.uniform(0.5, 2, 9).astype(np.float32)
    m = M.MulticlassPrecision(
        num_classes=C, average="micro", multidim_average="samplewise"
    )
    m = m.update(y[:4], scores[:4], w[:4]).update(y[4:], scores[4:], w[4:])
    per_sample = [
        skm.precision_score(y[i], scores[i].argmax(-1), average="micro")
        for i in range(9)
    ]
    np.testing.assert_allclose(
        m.compute(), np.average(per_sample, weights=w), rtol=1e-5
    )


def test_shared_statistics_hook():
    batches = _batches(np.random.default_rng(3))
    options = {"num_classes": C, "ignore_index": 0}
    members = [
        M.MulticlassPrecision(**options),
        M.MulticlassRecall(**options, average="weighted"),
        M.MulticlassF1Score(**options),
        M.MulticlassSpecificity(**options),
        M.MulticlassMatthewsCorrCoef(**options),
    ]
    assert len({m.statistics_key() for m in members}) == 1
    shared = _accumulate(members[0], batches)
    whole = _concat(batches)
    keep = whole["y_true"] != 0
    y, pred = whole["y_true"][keep], whole["y_pred"][keep].argmax(-1)
    w = whole["sample_weight"][keep]
    recall = members[1].with_statistics(shared).compute()
    np.testing.assert_allclose(
        recall,
        skm.recall_score(y, pred, average="weighted", sample_weight=w),
        rtol=1e-5,
    )
    mcc = members[4].with_statistics(shared).compute()
    np.testing.assert_allclose(
        mcc, skm.matthews_corrcoef(y, pred, sample_weight=w), rtol=1e-5
    )
    # different statistics options, samplewise, or another kind never share
    others = [
        M.MulticlassPrecision(num_classes=C),
        M.MulticlassPrecision(**options, top_k=2),
        M.MulticlassPrecision(**options, multidim_average="samplewise"),
        M.MulticlassConfusionMatrix(**options),
        M.MultilabelPrecision(num_labels=C, ignore_index=0),
    ]
    for other in others:
        assert other.statistics_key() != members[0].statistics_key()
        with pytest.raises(ValueError, match="statistics key"):
            other.with_statistics(shared)
    # the binary confusion matrix shares the binary stat scores' state
    assert (
        M.BinaryConfusionMatrix(threshold=0.3).statistics_key()
        == M.BinaryPrecision(threshold=0.3, zero_division=1.0).statistics_key()
    )


def test_empty_state_gives_zero_division():
    assert float(M.BinaryPrecision(zero_division=1.0).compute()) == 1.0
    assert float(M.MulticlassRecall(num_classes=C).compute()) == 0.0
    assert float(M.MultilabelExactMatch(num_labels=C).compute()) == 0.0
    assert float(jax.jit(lambda m: m.compute())(M.BinaryMatthewsCorrCoef())) == 0.0


def test_config_round_trip_and_names():
    m = M.MulticlassFBetaScore(beta=2.0, num_classes=C, average="none", top_k=2)
    again = M.MulticlassFBetaScore.from_config(m.get_config())
    assert again.statistics_key() == m.statistics_key()
    assert again.get_config() == m.get_config()
    assert m.name == "multiclass_f_beta_score"
    assert M.MultilabelHammingDistance.higher_is_better is False
    assert M.BinaryAccuracy.__module__ == "jax_metrics.metrics._accuracy"
    assert M.BinaryConfusionMatrix().compute().shape == (2, 2)
    assert M.MultilabelConfusionMatrix(num_labels=C).compute().shape == (C, 2, 2)


def test_bfloat16_inputs_accumulate_in_float32():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 13)
    p = jnp.asarray(rng.uniform(size=13), jnp.bfloat16)
    m = M.BinaryRecall().update(y, p)
    assert m.statistics.dtype == jnp.float32
    expected = skm.recall_score(y, np.asarray(p, np.float32) > 0.5)
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (
            lambda: M.MulticlassPrecision(num_classes=C, average="avg"),
            ValueError,
            "`average`",
        ),
        (lambda: M.MulticlassPrecision(), TypeError, "num_classes"),
        (lambda: M.MulticlassPrecision(num_classes=1), ValueError, "num_classes"),
        (lambda: M.MulticlassRecall(num_classes=C, top_k=4), ValueError, "top_k"),
        (
            lambda: M.BinaryF1Score(multidim_average="local"),
            ValueError,
            "multidim_average",
        ),
        (lambda: M.BinaryConfusionMatrix(normalize="rows"), ValueError, "normalize"),
        (
            lambda: M.MulticlassCohenKappa(num_classes=C, weights="cubic"),
            ValueError,
            "weights",
        ),
        (lambda: M.BinaryFBetaScore(beta=0.0), ValueError, "beta"),
        (lambda: M.BinaryFBetaScore(beta=None), ValueError, "`beta` > 0"),
        (
            lambda: M.BinaryPrecision(threshold="0.5"),
            ValueError,
            "`threshold`: expected",
        ),
        (
            lambda: M.MultilabelRecall(num_labels=C).update(
                np.zeros((2, 2)), np.zeros((2, 2))
            ),
            ValueError,
            "num_labels=3",
        ),
        (
            lambda: M.MulticlassRecall(num_classes=C).update(
                np.zeros(2), np.zeros((2, 4))
            ),
            ValueError,
            "num_classes=3",
        ),
        (  # torchmetrics' layout (N, C, d): the error says how to move it
            lambda: M.MulticlassRecall(num_classes=C).update(
                np.zeros((2, 5), int), np.zeros((2, C, 5))
            ),
            ValueError,
            r"class axis goes last .* jnp.moveaxis\(y_pred, 1, -1\)",
        ),
        (
            lambda: M.MulticlassAUROC(num_classes=C).update(
                np.zeros((2, 5), int), np.zeros((2, C, 5))
            ),
            ValueError,
            "class axis goes last",
        ),
    ],
)
def test_bad_configuration(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_collection_keeps_one_shared_state():
    options = {"num_classes": C, "top_k": 1}
    metrics = jm.Metrics(
        [
            M.MulticlassPrecision(**options),
            M.MulticlassRecall(**options),
            M.MulticlassF1Score(**options, average="micro"),
            M.MulticlassSpecificity(**options),
        ]
    )
    assert len(jax.tree.leaves(metrics)) == 1  # one (2, 4, C) accumulator
    batches = _batches(np.random.default_rng(5))
    step = jax.jit(lambda m, b: m.update(**b))
    for b in batches:
        metrics = step(metrics, b)
    whole = _concat(batches)
    y, pred, w = whole["y_true"], whole["y_pred"].argmax(-1), whole["sample_weight"]
    values = metrics.compute()
    np.testing.assert_allclose(
        values["multiclass_precision"],
        skm.precision_score(y, pred, average="macro", sample_weight=w),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        values["multiclass_f1_score"],
        skm.f1_score(y, pred, average="micro", sample_weight=w),
        rtol=1e-5,
    )


@pytest.mark.parametrize(
    ("cls", "scorer", "average"),
    [
        (M.MulticlassAccuracy, None, "micro"),
        (M.MulticlassRecall, skm.recall_score, "macro"),
        (M.MulticlassPrecision, skm.precision_score, "weighted"),
        (M.MulticlassF1Score, skm.f1_score, "none"),
        (M.MulticlassSpecificity, None, "macro"),
    ],
)
def test_out_of_range_predicted_labels_count_as_wrong(cls, scorer, average):
    # A predicted label outside [0, C) is a wrong prediction of no class (a
    # false negative of its target), as in scikit-learn with labels=range(C).
    rng = np.random.default_rng(3)
    y_true = rng.integers(0, C, 40)
    y_pred = np.where(rng.random(40) < 0.3, rng.choice([-1, C, 7], 40), y_true)
    weight = rng.uniform(0.5, 2, 40).astype(np.float32)
    value = cls(num_classes=C, average=average).update(y_true, y_pred, weight)
    if cls is M.MulticlassAccuracy:
        expected = skm.accuracy_score(y_true, y_pred, sample_weight=weight)
    elif cls is M.MulticlassSpecificity:
        # tn / (tn + fp) per class from the definition, in float64.
        spec = []
        for c in range(C):
            neg = y_true != c
            fp = np.sum(weight * (neg & (y_pred == c)))
            spec.append(1.0 - fp / np.sum(weight * neg))
        expected = np.mean(spec)
    else:
        expected = scorer(
            y_true,
            y_pred,
            labels=list(range(C)),
            average=None if average == "none" else average,
            sample_weight=weight,
            zero_division=0,
        )
    np.testing.assert_allclose(value.compute(), expected, rtol=1e-5)
    # The C x C confusion matrix cannot hold them: it leaves them out.
    cm = M.MulticlassConfusionMatrix(num_classes=C).update(y_true, y_pred, weight)
    np.testing.assert_allclose(
        cm.compute(),
        skm.confusion_matrix(
            y_true, y_pred, labels=list(range(C)), sample_weight=weight
        ),
        rtol=1e-5,
    )


def test_out_of_range_predicted_labels_in_matthews_corrcoef():
    # One out-of-range value: scikit-learn's extra predicted label.
    rng = np.random.default_rng(6)
    y_true = rng.integers(0, C, 50)
    y_pred = np.where(rng.random(50) < 0.3, 7, rng.integers(0, C, 50))
    weight = rng.uniform(0.5, 2, 50)
    mcc = M.MulticlassMatthewsCorrCoef(num_classes=C).update(y_true, y_pred, weight)
    expected = skm.matthews_corrcoef(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(mcc.compute(), expected, rtol=1e-4, atol=1e-6)


def test_out_of_range_predicted_labels_samplewise_and_exact_match():
    y_true = np.array([[0, 1, 2], [2, 2, 1]])
    y_pred = np.array([[0, 1, 5], [2, -1, 1]])
    recall = M.MulticlassRecall(
        num_classes=C, average="micro", multidim_average="samplewise"
    ).update(y_true, y_pred)
    expected = np.mean(
        [skm.accuracy_score(t, p) for t, p in zip(y_true, y_pred, strict=True)]
    )
    np.testing.assert_allclose(recall.compute(), expected, rtol=1e-6)
    match = M.MulticlassExactMatch(num_classes=C).update(y_true, y_pred)
    np.testing.assert_allclose(match.compute(), 0.0)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("multidim_average", ["global", "samplewise"])
def test_multilabel_exact_match_scores_each_position(weighted, multidim_average):
    # (N, d, L): each position's row of labels is one case (scikit-learn's
    # subset accuracy over the N * d rows), as in torchmetrics.
    rng = np.random.default_rng(4)
    y_true = rng.integers(0, 2, (9, 4, 3))
    y_pred = rng.random((9, 4, 3)).astype(np.float32)
    weight = rng.uniform(0.5, 2, 9) if weighted else np.ones(9)
    metric = M.MultilabelExactMatch(num_labels=3, multidim_average=multidim_average)
    value = metric.update(y_true, y_pred, sample_weight=weight).compute()
    hard = (y_pred > 0.5).astype(int)
    if multidim_average == "global":
        expected = skm.accuracy_score(
            y_true.reshape(-1, 3),
            hard.reshape(-1, 3),
            sample_weight=np.repeat(weight, 4),
        )
    else:
        per_sample = [
            skm.accuracy_score(t, p) for t, p in zip(y_true, hard, strict=True)
        ]
        expected = np.average(per_sample, weights=weight)
        np.testing.assert_allclose(
            jm.functional.multilabel_exact_match(
                y_true, y_pred, num_labels=3, multidim_average="samplewise"
            ),
            per_sample,
            rtol=1e-6,
        )
    np.testing.assert_allclose(value, expected, rtol=1e-5)


@pytest.mark.parametrize("average", ["micro", "macro"])
def test_multilabel_jaccard_ignore_index_is_a_target_value(average):
    # ignore_index=0 drops the entries whose target is 0; label 0 stays in
    # the average (torchmetrics' multiclass rule drops the class 0 instead).
    rng = np.random.default_rng(5)
    y_true = rng.integers(0, 2, (30, 3))
    y_pred = rng.random((30, 3)).astype(np.float32)
    metric = M.MultilabelJaccardIndex(num_labels=3, ignore_index=0, average=average)
    value = metric.update(y_true, y_pred).compute()
    hard = y_pred > 0.5
    keep = y_true != 0
    tp = np.sum(keep & hard & (y_true == 1), axis=0)
    fp = np.sum(keep & hard & (y_true == 0), axis=0)
    fn = np.sum(keep & ~hard & (y_true == 1), axis=0)
    if average == "micro":
        expected = tp.sum() / (tp + fp + fn).sum()
    else:
        expected = np.mean(tp / (tp + fp + fn))
    np.testing.assert_allclose(value, expected, rtol=1e-6)


def _torchmetrics_two_class_mcc(tn, fp, fn, tp):
    """torchmetrics 1.9's MCC of a 2 x 2 matrix, from its documented rules."""
    if tp + tn != 0 and fp + fn == 0:
        return 1.0
    if tp + tn == 0 and fp + fn != 0:
        return -1.0
    t, p, s = (
        np.array([tn + fp, fn + tp]),
        np.array([tn + fn, fp + tp]),
        tn + fp + fn + tp,
    )
    numerator = (tp + tn) * s - t @ p
    denominator = (s * s - p @ p) * (s * s - t @ t)
    if denominator != 0:
        return numerator / np.sqrt(denominator)
    eps = float(np.finfo(np.float32).eps)
    for zero_a, zero_b, (a, b) in [
        (fn, tn, (tp, fp)),
        (fp, tn, (tp, fn)),
        (tp, fn, (tn, fp)),
        (tp, fp, (tn, fn)),
    ]:
        if zero_a == 0 and zero_b == 0:
            numerator = np.sqrt(eps) * (a - b)
            break
    denominator = np.prod([tp + fp + eps, tp + fn + eps, tn + fp + eps, tn + fn + eps])
    return numerator / np.sqrt(denominator)


DEGENERATE = {
    "only positives, all right": ([1, 1, 1], [1, 1, 1]),
    "only negatives, all right": ([0, 0], [0, 0]),
    "all wrong": ([1, 0, 1], [0, 1, 0]),
    "only positives, mixed predictions": ([1, 1, 1, 1], [1, 0, 1, 1]),
    "only negatives, mixed predictions": ([0, 0, 0], [1, 0, 0]),
    "all predicted positive": ([1, 0, 1, 0, 0], [1, 1, 1, 1, 1]),
    "all predicted negative": ([1, 0, 0], [0, 0, 0]),
}


@pytest.mark.parametrize("case", sorted(DEGENERATE))
def test_degenerate_two_class_mcc_follows_torchmetrics(case):
    """scikit-learn gives 0 here; torchmetrics' rules give 1, -1 or a limit."""
    y, pred = (np.asarray(a) for a in DEGENERATE[case])
    (tn, fp), (fn, tp) = skm.confusion_matrix(y, pred, labels=[0, 1])
    expected = _torchmetrics_two_class_mcc(*(float(x) for x in (tn, fp, fn, tp)))
    binary = M.BinaryMatthewsCorrCoef().update(y, pred.astype(np.float32))
    multiclass = M.MulticlassMatthewsCorrCoef(num_classes=2).update(y, pred)
    multilabel = M.MultilabelMatthewsCorrCoef(num_labels=2).update(
        np.stack([y, y], -1), np.stack([pred, pred], -1).astype(np.float32)
    )
    for metric in (binary, multiclass):
        np.testing.assert_allclose(float(metric.compute()), expected, rtol=1e-5)
    # multilabel: the labels' matrices are summed first (the limit is not
    # scale-free, so two copies of the label give another value)
    doubled = _torchmetrics_two_class_mcc(*(2.0 * x for x in (tn, fp, fn, tp)))
    np.testing.assert_allclose(float(multilabel.compute()), doubled, rtol=1e-5)
    # three classes: 0 where the denominator is 0, as in both references
    three = M.MulticlassMatthewsCorrCoef(num_classes=3).update(y, pred).compute()
    np.testing.assert_allclose(
        float(three), skm.matthews_corrcoef(y, pred), rtol=1e-5, atol=1e-7
    )
