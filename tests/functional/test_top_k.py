"""The top-k helpers against `lax.top_k` (what Keras and the kernels used)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jax_metrics.functional._top_k import in_top_k, top_index

# Ties, signed zeros, infinities, NaN of both signs and a subnormal.
VALUES = np.float32([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -2.0, 3.0])


def scores(seed, shape):
    return np.random.default_rng(seed).choice(VALUES, shape)


def test_top_index_is_top_k_1():
    s = jnp.asarray(scores(0, (5000, 5)))
    np.testing.assert_array_equal(top_index(s), jax.lax.top_k(s, 1)[1][:, 0])


@pytest.mark.parametrize(("classes", "k"), [(2, 1), (5, 2), (9, 4), (30, 7)])
def test_in_top_k_is_membership_in_top_k(classes, k):
    s = jnp.asarray(scores(classes, (3000, classes)))
    target = jnp.asarray(np.random.default_rng(1).integers(0, classes, 3000))
    best = jax.lax.top_k(s, k)[1]
    expected = jnp.any(best == target[:, None], axis=-1)
    np.testing.assert_array_equal(in_top_k(s, target, k), expected)
