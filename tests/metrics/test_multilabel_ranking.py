"""Multilabel ranking metrics: parity with scikit-learn, ties, edges, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from sklearn import metrics as skm

import jax_metrics as jm

M, FN = jm.metrics, jm.functional
L = 5
N = 15
SPLITS = (3, 8)  # batches of 3, 5 and 7 samples

# (class, functional form, per-sample key, scikit-learn reference)
MEASURES = [
    (
        M.MultilabelCoverageError,
        FN.multilabel_coverage_error,
        "coverage_error",
        skm.coverage_error,
    ),
    (
        M.MultilabelRankingAveragePrecision,
        FN.multilabel_ranking_average_precision,
        "average_precision",
        skm.label_ranking_average_precision_score,
    ),
    (
        M.MultilabelRankingLoss,
        FN.multilabel_ranking_loss,
        "loss",
        skm.label_ranking_loss,
    ),
]
IDS = [m[2] for m in MEASURES]


def _data(seed, levels=None):
    """Targets with an all-zero and an all-one row; scores on a grid if `levels`."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, (N, L))
    y[0], y[1] = 0, 1
    s = rng.uniform(size=(N, L))
    if levels:
        s = np.round(s * levels) / levels
    return y, s.astype(np.float32), rng.uniform(0, 2, N)


def _accumulate(metric, y, s, w=None):
    for part in np.split(np.arange(len(y)), SPLITS):
        metric = metric.update(y[part], s[part], None if w is None else w[part])
    return metric


@pytest.mark.parametrize(("cls", "fn", "key", "reference"), MEASURES, ids=IDS)
@pytest.mark.parametrize(("seed", "levels"), [(0, 3), (1, None), (2, 8)])
def test_classes_and_functions_match_sklearn(cls, fn, key, reference, seed, levels):
    y, s, w = _data(seed, levels)
    s64 = s.astype(np.float64)
    for weight in (None, w):
        expected = reference(y, s64, sample_weight=weight)
        metric = _accumulate(cls(num_labels=L), y, s, weight)
        np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)
        actual = fn(y, s, num_labels=L, sample_weight=weight)
        np.testing.assert_allclose(actual, expected, rtol=1e-5)


def test_samplewise_matches_sklearn_row_by_row():
    y, s, _ = _data(3, levels=2)
    out = FN.multilabel_ranking_samplewise(y, s, num_labels=L)
    for _, _, key, reference in MEASURES:
        expected = [reference(y[i : i + 1], s[i : i + 1]) for i in range(N)]
        np.testing.assert_allclose(out[key], expected, rtol=1e-6, err_msg=key)
    # the edge rows: no relevant label, every label relevant
    assert out["coverage_error"][:2].tolist() == [0.0, L]
    assert out["average_precision"][:2].tolist() == [1.0, 1.0]
    assert out["loss"][:2].tolist() == [0.0, 0.0]


@pytest.mark.parametrize(("cls", "fn", "key", "reference"), MEASURES, ids=IDS)
def test_edge_rows_only_batch_counts_every_sample(cls, fn, key, reference):
    """A batch of edge rows counts its samples (torchmetrics' loss counts 1)."""
    y, s, _ = _data(4)
    y[3:8] = 0  # the second batch holds only rows without a relevant label
    metric = _accumulate(cls(num_labels=L), y, s)
    np.testing.assert_allclose(metric.compute(), reference(y, s), rtol=1e-5)


@pytest.mark.parametrize(("cls", "fn", "key", "reference"), MEASURES, ids=IDS)
def test_from_logits(cls, fn, key, reference):
    """A sigmoid changes no rank: values are those of the logits, even saturated."""
    y, _, w = _data(5)
    logits = np.random.default_rng(5).normal(scale=3, size=(N, L)).astype(np.float32)
    logits[2] = [20.0, 30.0, 40.0, -30.0, -20.0]  # one float32 sigmoid value
    y[2] = [0, 1, 0, 1, 0]
    expected = reference(y, logits.astype(np.float64), sample_weight=w)
    sigmoid = 1 / (1 + np.exp(-logits.astype(np.float64)))
    np.testing.assert_allclose(reference(y, sigmoid, sample_weight=w), expected)
    metric = _accumulate(cls(num_labels=L, from_logits=True), y, logits, w)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)
    actual = fn(y, logits, num_labels=L, from_logits=True, sample_weight=w)
    np.testing.assert_allclose(actual, expected, rtol=1e-5)


# The value of a sample whose labels are all ignored (scikit-learn's value
# for a row without relevant labels).
EMPTY_ROW = {"coverage_error": 0.0, "average_precision": 1.0, "loss": 0.0}


def _without_ignored(reference, key, y, s, ignored, w):
    """scikit-learn on each row with its ignored entries removed, then averaged."""
    values = [
        reference(yi[~drop][None], si[~drop][None].astype(np.float64))
        if (~drop).any()
        else EMPTY_ROW[key]
        for yi, si, drop in zip(y, s, ignored, strict=True)
    ]
    return np.average(values, weights=w)


@pytest.mark.parametrize(("cls", "fn", "key", "reference"), MEASURES, ids=IDS)
def test_ignore_index(cls, fn, key, reference):
    y, s, w = _data(6, levels=4)
    rng = np.random.default_rng(6)
    ignored = rng.uniform(size=(N, L)) < 0.25
    ignored[4] = [True, False, False, False, False]
    y[4] = [0, 1, 1, 1, 1]  # every kept label relevant
    ignored[5] = True  # a row of ignored entries only
    y_ignored = np.where(ignored, -1, y)
    expected = _without_ignored(reference, key, y, s, ignored, w)
    metric = _accumulate(cls(num_labels=L, ignore_index=-1), y_ignored, s, w)
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)
    actual = fn(y_ignored, s, num_labels=L, ignore_index=-1, sample_weight=w)
    np.testing.assert_allclose(actual, expected, rtol=1e-5)
    # value problems follow the same policy: a target of 2, a NaN score
    y_bad = np.where(ignored, 2, y)
    s_nan = np.where(ignored, np.nan, s).astype(np.float32)
    for y_, s_ in ((y_bad, s), (y, s_nan)):
        actual = fn(y_, s_, num_labels=L, sample_weight=w)
        np.testing.assert_allclose(actual, expected, rtol=1e-5)


def test_ignored_entries_count_nowhere():
    """By hand: every measure is that of the row without the ignored entry."""
    y = np.array([[1, -1, 0, 1], [0, 1, -1, 1]])
    s = np.array([[0.9, 0.95, 0.6, 0.4], [0.1, 0.5, 0.9, 0.8]], np.float32)
    out = FN.multilabel_ranking_samplewise(y, s, num_labels=4, ignore_index=-1)
    # row 0: labels (0.9 rel, 0.6, 0.4 rel); row 1: labels (0.1, 0.5 rel, 0.8 rel)
    np.testing.assert_allclose(out["coverage_error"], [3.0, 2.0])
    np.testing.assert_allclose(out["average_precision"], [(1 + 2 / 3) / 2, 1.0])
    # row 0: one misordered pair (0.6 above 0.4) of R (L - R) = 2 * 1 kept pairs
    np.testing.assert_allclose(out["loss"], [1 / 2, 0.0])


def test_empty_state_and_zero_weights():
    for cls, _, _, _ in MEASURES:
        metric = cls(num_labels=L)
        assert float(metric.compute()) == 0.0
        y, s, _ = _data(7)
        assert float(metric.update(y, s, np.zeros(N)).compute()) == 0.0


def test_weights_of_shape_n_by_1_and_jit():
    y, s, w = _data(8, levels=3)
    expected = skm.label_ranking_loss(y, s, sample_weight=w)
    metric = jax.jit(lambda m, y, s, w: m.update(y, s, w))(
        M.MultilabelRankingLoss(num_labels=L), y, s, w[:, None]
    )
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-5)
    # bfloat16 scores are ranked in float32
    s16 = jnp.asarray(s, jnp.bfloat16)
    expected = skm.label_ranking_loss(y, np.asarray(s16, np.float64))
    np.testing.assert_allclose(
        FN.multilabel_ranking_loss(y, s16, num_labels=L), expected, rtol=1e-5
    )


def test_bad_input():
    with pytest.raises(ValueError, match=r"`num_labels` to be an integer >= 2"):
        M.MultilabelRankingLoss(num_labels=1)
    with pytest.raises(ValueError, match="num_labels"):
        M.MultilabelCoverageError(num_labels=3.0)
    with pytest.raises(ValueError, match="`from_logits`: expected a bool"):
        M.MultilabelRankingAveragePrecision(num_labels=3, from_logits="yes")
    with pytest.raises(ValueError, match="`ignore_index` to be an integer or None"):
        M.MultilabelRankingLoss(num_labels=3, ignore_index=0.5)
    metric = M.MultilabelCoverageError(num_labels=L)
    y, s, _ = _data(9)
    with pytest.raises(ValueError, match=r"`y_pred` of shape \(N, 5\).*\(15, 4\)"):
        metric.update(y[:, :4], s[:, :4])
    with pytest.raises(ValueError, match=r"`y_pred` of shape \(N, 5\).*\(5,\)"):
        metric.update(y[0], s[0])
    with pytest.raises(ValueError, match=r"`y_pred` of shape \(N, 5\).*\(3, 5, 5\)"):
        metric.update(y[:15].reshape(3, 5, 5), s[:15].reshape(3, 5, 5))
    with pytest.raises(ValueError, match=r"`y_true` of the shape of `y_pred`"):
        metric.update(y[:4], s)
    with pytest.raises(ValueError, match="sample_weight"):
        metric.update(y, s, np.ones((N, L)))
    with pytest.raises(ValueError, match="`measure`"):
        FN.multilabel_ranking_statistics(y, s, measure="recall", num_labels=L)


def _update(metric, y_true, y_pred):
    return metric.update(y_true, y_pred)


def test_checked_mode():
    y, s, _ = _data(10)
    checked = jm.checked(_update)
    bad = y.copy()
    bad[2, 3] = 2
    with pytest.raises(
        jm.CheckError, match=r"multilabel_ranking_loss: 1 target\(s\) not 0 or 1"
    ):
        checked(M.MultilabelRankingLoss(num_labels=L), bad, s)
    nan = s.copy()
    nan[1, 1] = nan[4, 0] = np.nan
    with pytest.raises(
        jm.CheckError, match=r"multilabel_coverage_error: 2 NaN prediction\(s\)"
    ):
        checked(M.MultilabelCoverageError(num_labels=L), y, nan)
    with jm.checking(), pytest.raises(jm.CheckError, match="not 0 or 1"):
        M.MultilabelRankingAveragePrecision(num_labels=L).update(bad, s)
    # an ignored entry is no problem, and checked mode changes no value
    metric = M.MultilabelRankingLoss(num_labels=L, ignore_index=-1)
    ignored = np.where(y == 0, -1, y)
    np.testing.assert_array_equal(
        checked(metric, ignored, s).totals, metric.update(ignored, s).totals
    )
