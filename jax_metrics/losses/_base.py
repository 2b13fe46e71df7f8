"""The `Loss` base class: an immutable pytree holding configuration only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import jax.numpy as jnp
from jax import Array

from jax_metrics import _checks
from jax_metrics._module import Module, snake_case
from jax_metrics.functional._reduction import (
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
    standardize_reduction,
)

__all__ = ["Loss", "LossFunctionWrapper"]


class Loss(Module):
    """Base class of losses: `loss(y_true, y_pred, sample_weight=None)`.

    Subclasses implement `call(y_true, y_pred)` returning unreduced values and,
    where entries can be invalid (`ignore_class`), `mask(y_true, y_pred)`. The
    base applies `sample_weight`, the mask and the reduction with the shared
    rule of `jax_metrics.functional.reduce_weighted_values` (Keras 3's).

    Args:
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name; defaults to the snake_case class name.
        dtype: computation dtype; inputs are cast to it (default float32).

    >>> import jax_metrics as jm
    >>> loss = jm.losses.MeanSquaredError()
    >>> float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]])))
    0.5
    """

    aliases: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
    ):
        self.name = name or snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self.dtype = jnp.dtype(dtype or jnp.float32).name

    def call(self, y_true: Array, y_pred: Array) -> Array:
        """Returns the unreduced loss values."""
        raise NotImplementedError

    def mask(self, y_true: Array, y_pred: Array) -> Array | None:
        """Returns a boolean mask of valid entries, or `None` (all valid)."""
        del y_true, y_pred
        return None

    def __call__(self, y_true, y_pred, sample_weight=None) -> Array:
        """Computes the weighted, reduced loss."""
        y_pred = jnp.asarray(y_pred, self.dtype)
        y_true = jnp.asarray(y_true, self.dtype)
        with _checks.metric_scope(self.name):
            values = self.call(y_true, y_pred)
            mask = self.mask(y_true, y_pred)
        return reduce_weighted_values(
            values, sample_weight, mask, self.reduction, self.dtype
        )


class LossFunctionWrapper(Loss):
    """Wraps a functional kernel `fn(y_true, y_pred, **options)` as a `Loss`.

    The ranks of `y_true` and `y_pred` are first reconciled as Keras does
    (a trailing singleton axis is squeezed or expanded).

    Args:
        fn: the kernel, returning unreduced values.
        reduction: see `Loss`.
        name: see `Loss`; defaults to the function name.
        dtype: see `Loss`.
        **options: keyword options passed to `fn`.

    >>> import jax_metrics as jm
    >>> loss = jm.losses.LossFunctionWrapper(jm.functional.mean_absolute_error)
    >>> float(loss(jnp.array([[0.0, 2.0]]), jnp.array([[1.0, 1.0]])))
    1.0
    """

    def __init__(
        self,
        fn: Callable[..., Array],
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **options: Any,
    ):
        super().__init__(
            reduction=reduction,
            name=name or getattr(fn, "__name__", None),
            dtype=dtype,
        )
        self.fn = fn
        self.options = tuple(sorted(options.items()))

    def call(self, y_true: Array, y_pred: Array) -> Array:
        """Reconciles ranks and calls the kernel."""
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **dict(self.options))
