"""PyTorch-named losses against float64 NumPy formulas (PyTorch semantics)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.special import log_softmax

import jax_metrics as jm

B, C = 7, 5


@pytest.fixture
def batch():
    rng = np.random.default_rng(3)
    logits = 3 * rng.normal(size=(B, C))
    labels = rng.integers(0, C, B)
    labels[[0, 5]] = -100
    return logits, labels


def _nll_reference(log_p, labels):
    """PyTorch's `nll_loss`: unreduced values and the mean over valid labels."""
    valid = labels != -100
    picked = -log_p[np.arange(len(labels)), np.where(valid, labels, 0)]
    values = np.where(valid, picked, 0.0)
    return values, values.sum() / valid.sum()


def test_nll_kernel_and_class_match_numpy(batch):
    logits, labels = batch
    log_p = log_softmax(logits, axis=1)
    values, mean = _nll_reference(log_p, labels)
    np.testing.assert_allclose(
        jm.functional.negative_log_likelihood(labels, log_p.astype(np.float32)),
        values,
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        jm.functional.nll_loss(labels, log_p.astype(np.float32)), values, rtol=1e-5
    )
    loss = jm.losses.NegativeLogLikelihood()
    np.testing.assert_allclose(float(loss(labels, log_p)), mean, rtol=1e-5)
    np.testing.assert_allclose(
        float(jm.losses.NegativeLogLikelihood(reduction="sum")(labels, log_p)),
        values.sum(),
        rtol=1e-5,
    )


def test_cross_entropy_with_ignore_index_is_pytorch_mean(batch):
    logits, labels = batch
    _, mean = _nll_reference(log_softmax(logits, axis=1), labels)
    scce = jm.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-100)
    optax_ce = jm.losses.SoftmaxCrossEntropyWithIntegerLabels(ignore_index=-100)
    np.testing.assert_allclose(float(scce(labels, logits)), mean, rtol=1e-5)
    np.testing.assert_allclose(float(optax_ce(labels, logits)), mean, rtol=1e-5)


def test_nll_class_axis_and_column_labels():
    rng = np.random.default_rng(4)
    log_p = log_softmax(rng.normal(size=(3, C, 2)), axis=1)  # (N, C, d1)
    labels = rng.integers(0, C, (3, 2))
    expected = -np.take_along_axis(log_p, labels[:, None, :], axis=1)[:, 0, :]
    ours = jm.functional.negative_log_likelihood(labels, log_p, axis=1)
    np.testing.assert_allclose(ours, expected, rtol=1e-5)
    column = jm.functional.negative_log_likelihood(labels[:, :1], log_p[..., 0])
    np.testing.assert_allclose(column, expected[:, 0], rtol=1e-5)


def test_nll_is_jit_vmap_grad_safe(batch):
    logits, labels = batch
    log_p = jnp.asarray(log_softmax(logits, axis=1), jnp.float32)
    fn = jax.jit(jm.functional.negative_log_likelihood)
    np.testing.assert_allclose(
        fn(labels, log_p), jm.functional.negative_log_likelihood(labels, log_p)
    )
    stacked = jax.vmap(jm.functional.negative_log_likelihood)(
        jnp.stack([labels, labels]), jnp.stack([log_p, log_p])
    )
    assert stacked.shape == (2, B)
    grad = jax.grad(lambda p: jm.losses.NegativeLogLikelihood()(labels, p))(log_p)
    assert np.all(np.isfinite(np.asarray(grad)))
    assert np.all(np.asarray(grad)[[0, 5]] == 0.0)  # ignored rows


def test_regularization_kernels_match_numpy():
    rng = np.random.default_rng(5)
    params = {
        "dense": {"kernel": rng.normal(size=(3, 4)), "bias": rng.normal(size=4)},
        "scale": jnp.asarray(rng.normal(size=2), jnp.bfloat16),
    }
    flat = np.concatenate(
        [np.asarray(p, np.float64).ravel() for p in jax.tree_util.tree_leaves(params)]
    )
    np.testing.assert_allclose(
        float(jm.functional.l1_regularization(params, l1=0.2)),
        0.2 * np.abs(flat).sum(),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        float(jm.functional.l2_regularization(params, l2=0.3)),
        0.3 * np.square(flat).sum(),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        float(jm.functional.l1_l2_regularization(params, l1=0.1, l2=0.05)),
        0.1 * np.abs(flat).sum() + 0.05 * np.square(flat).sum(),
        rtol=1e-5,
    )
    assert jm.functional.l2_regularization({}).dtype == jnp.float32
