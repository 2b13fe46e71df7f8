"""Calibration error and task hinge loss: parity with NumPy and scikit-learn."""

import jax.numpy as jnp
import numpy as np
import pytest
from sklearn import metrics as skm

import jax_metrics as jm

M, FN = jm.metrics, jm.functional
C = 4


def _reference_calibration(confidence, accuracy, weight, n_bins, norm):
    """torchmetrics' binning, written from its formula in float64."""
    index = np.clip(
        np.searchsorted(np.linspace(0, 1, n_bins + 1), confidence, side="right") - 1,
        0,
        n_bins,
    )
    count = np.bincount(index, weight, n_bins + 1)
    conf = np.bincount(index, weight * confidence, n_bins + 1)
    acc = np.bincount(index, weight * accuracy, n_bins + 1)
    safe = np.where(count > 0, count, 1)
    gap = np.where(count > 0, np.abs(acc / safe - conf / safe), 0)
    share = count / count.sum()
    return {
        "l1": np.sum(gap * share),
        "l2": np.sqrt(np.sum(gap**2 * share)),
        "max": gap.max(),
    }[norm]


@pytest.mark.parametrize("norm", ["l1", "l2", "max"])
@pytest.mark.parametrize(("seed", "n", "weighted"), [(0, 13, True), (1, 31, False)])
def test_calibration_error(norm, seed, n, weighted):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0, 2, n) if weighted else np.ones(n)
    y = rng.integers(0, 2, n)
    p = rng.uniform(size=n).astype(np.float32)
    m = M.BinaryCalibrationError(n_bins=7, norm=norm)
    m = m.update(y[:5], p[:5], w[:5]).update(y[5:], p[5:], w[5:])
    expected = _reference_calibration(p.astype(np.float64), y, w, 7, norm)
    np.testing.assert_allclose(m.compute(), expected, rtol=1e-5, atol=1e-6)
    yc = rng.integers(0, C, n)
    logits = rng.normal(size=(n, C)).astype(np.float32)
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    expected = _reference_calibration(probs.max(-1), probs.argmax(-1) == yc, w, 7, norm)
    actual = FN.multiclass_calibration_error(
        yc,
        logits,
        num_classes=C,
        n_bins=7,
        norm=norm,
        from_logits=True,
        sample_weight=w,
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("squared", [False, True])
def test_hinge_losses_match_sklearn(squared):
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 17)
    s = rng.normal(size=17).astype(np.float32)
    w = rng.uniform(0, 2, 17)
    loss = np.maximum(0, 1 - (2 * y - 1) * s)
    expected = np.average(loss**2 if squared else loss, weights=w)
    if not squared:
        np.testing.assert_allclose(
            skm.hinge_loss(2 * y - 1, s, sample_weight=w), expected, rtol=1e-6
        )
    m = M.BinaryHingeLoss(squared=squared).update(y[:8], s[:8], w[:8])
    np.testing.assert_allclose(
        m.update(y[8:], s[8:], w[8:]).compute(), expected, rtol=1e-5
    )
    yc = rng.integers(0, C, 17)
    sc = rng.normal(size=(17, C)).astype(np.float32)
    if not squared:
        np.testing.assert_allclose(
            M.MulticlassHingeLoss(num_classes=C).update(yc, sc, w).compute(),
            skm.hinge_loss(yc, sc, labels=list(range(C)), sample_weight=w),
            rtol=1e-5,
        )
    onehot = np.eye(C)[yc]
    ova = np.maximum(0, 1 - np.where(onehot > 0, sc, -sc))
    ova = ova**2 if squared else ova
    np.testing.assert_allclose(
        FN.multiclass_hinge_loss(
            yc,
            sc,
            num_classes=C,
            squared=squared,
            multiclass_mode="one-vs-all",
            sample_weight=w,
        ),
        (w[:, None] * ova).sum(0) / w.sum(),
        rtol=1e-5,
    )


def test_empty_and_bad_input():
    assert float(M.BinaryCalibrationError().compute()) == 0.0
    assert float(M.MulticlassHingeLoss(num_classes=C).compute()) == 0.0
    with pytest.raises(ValueError, match="norm"):
        M.BinaryCalibrationError(norm="l3")
    with pytest.raises(ValueError, match="multiclass_mode"):
        M.MulticlassHingeLoss(num_classes=C, multiclass_mode="ovr")
    with pytest.raises(ValueError, match="n_bins"):
        M.MulticlassCalibrationError(num_classes=C, n_bins=0)
    with pytest.raises(ValueError, match="num_classes=4"):
        M.MulticlassHingeLoss(num_classes=C).update(jnp.zeros(2), jnp.zeros((2, 3)))
