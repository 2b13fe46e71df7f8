"""Weight regularisers: small immutable objects callable on a parameter pytree.

`L1`, `L2` and `L1L2` are regularisers (`penalty = reg(params)`), not
`Loss` classes. The registry alias `"l2"` of `MeanSquaredError` is a string
identifier for losses only and is unrelated to the class `L2` here.
"""

from __future__ import annotations

from typing import Any

from jax import Array

from jax_metrics._module import Module
from jax_metrics.functional import _regularization as F
from jax_metrics.functional._loss_utils import check_number

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "Regularizer",
]


class Regularizer(Module):
    """Base of weight regularisers: `penalty = regularizer(params)`.

    Immutable and hashable (a pytree with no leaves), so it can be closed
    over by `jax.jit`; `get_config()`/`from_config()` round-trip.

    >>> import jax.numpy as jnp
    >>> round(float(L2(l2=0.5)({"w": jnp.array([1.0, 2.0])})), 4)
    2.5
    """

    def __call__(self, params: Any) -> Array:
        """Returns the scalar penalty of a parameter pytree."""
        raise NotImplementedError


class L1(Regularizer):
    """L1 weight penalty `l1 * sum(|w|)` over every leaf (Keras' `L1`).

    Args:
        l1: the non-negative penalty factor.

    >>> import jax.numpy as jnp
    >>> round(float(L1(l1=0.1)({"w": jnp.array([1.0, -2.0])})), 4)
    0.3
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = check_number("l1", l1, low=0.0)

    def __call__(self, params: Any) -> Array:
        """Returns the L1 penalty of `params`."""
        return F.l1_regularization(params, l1=self.l1)


class L2(Regularizer):
    """L2 weight penalty `l2 * sum(w**2)` over every leaf (Keras' `L2`).

    Not the `"l2"` loss alias (which names `MeanSquaredError`).

    Args:
        l2: the non-negative penalty factor.

    >>> import jax.numpy as jnp
    >>> round(float(L2(l2=0.1)({"w": jnp.array([1.0, -2.0])})), 4)
    0.5
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = check_number("l2", l2, low=0.0)

    def __call__(self, params: Any) -> Array:
        """Returns the L2 penalty of `params`."""
        return F.l2_regularization(params, l2=self.l2)


class L1L2(Regularizer):
    """Combined penalty `l1 * sum(|w|) + l2 * sum(w**2)` (Keras' `L1L2`).

    Args:
        l1: the non-negative L1 factor.
        l2: the non-negative L2 factor.

    >>> import jax.numpy as jnp
    >>> round(float(L1L2(l1=0.1, l2=0.1)({"w": jnp.array([1.0, -2.0])})), 4)
    0.8
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = check_number("l1", l1, low=0.0)
        self.l2 = check_number("l2", l2, low=0.0)

    def __call__(self, params: Any) -> Array:
        """Returns the combined penalty of `params`."""
        return F.l1_l2_regularization(params, l1=self.l1, l2=self.l2)
