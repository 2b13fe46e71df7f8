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
