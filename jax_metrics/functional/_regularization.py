"""Weight regularisers over parameter pytrees (Keras' `L1`, `L2`, `L1L2`).

Each penalty sums over every array leaf of a pytree (e.g. Flax parameters),
accumulating in float32 or wider.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax import Array

__all__ = [
    "l1_l2_regularization",
    "l1_regularization",
    "l2_regularization",
]


def _leaf_sum(params: Any, fn) -> Array:
    leaves = jax.tree_util.tree_leaves(params)
    total = jnp.zeros((), jnp.float32)
    for leaf in leaves:
        leaf = jnp.asarray(leaf)
        dtype = jnp.promote_types(leaf.dtype, jnp.float32)
        total = total + jnp.sum(fn(leaf.astype(dtype)))
    return total


def l1_regularization(params: Any, *, l1: float = 0.01) -> Array:
    """L1 penalty `l1 * sum(|w|)` over every leaf of a parameter pytree.

    Args:
        params: a pytree of arrays.
        l1: the penalty factor (Keras' default 0.01).

    Returns:
        A scalar.

    >>> params = {"w": jnp.array([1.0, -2.0]), "b": jnp.array([0.5])}
    >>> round(float(l1_regularization(params, l1=0.1)), 4)
    0.35
    """
    return l1 * _leaf_sum(params, jnp.abs)


def l2_regularization(params: Any, *, l2: float = 0.01) -> Array:
    """L2 penalty `l2 * sum(w**2)` over every leaf (Keras' form: no 1/2 factor).

    Args:
        params: a pytree of arrays.
        l2: the penalty factor (Keras' default 0.01).

    Returns:
        A scalar.

    >>> params = {"w": jnp.array([1.0, -2.0]), "b": jnp.array([0.5])}
    >>> round(float(l2_regularization(params, l2=0.1)), 4)
    0.525
    """
    return l2 * _leaf_sum(params, jnp.square)


def l1_l2_regularization(params: Any, *, l1: float = 0.0, l2: float = 0.0) -> Array:
    """Combined penalty `l1 * sum(|w|) + l2 * sum(w**2)` over every leaf.

    Args:
        params: a pytree of arrays.
        l1: the L1 factor (Keras' `L1L2` default 0).
        l2: the L2 factor (Keras' `L1L2` default 0).

    Returns:
        A scalar.

    >>> params = {"w": jnp.array([1.0, -2.0])}
    >>> round(float(l1_l2_regularization(params, l1=0.1, l2=0.1)), 4)
    0.8
    """
    return l1 * _leaf_sum(params, jnp.abs) + l2 * _leaf_sum(params, jnp.square)
