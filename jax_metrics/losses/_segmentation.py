"""Segmentation losses (Keras 3 names, options and values)."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics.functional import _segmentation as F
from jax_metrics.functional import optax as ox
from jax_metrics.functional._loss_utils import (
    check_axis,
    check_bool,
    check_number,
    number_tuple,
)
from jax_metrics.losses._base import LossFunctionWrapper
from jax_metrics.losses._optax import _REDUCTION, _OptaxLoss

__all__ = [
    "BinaryDiceLoss",
    "Dice",
    "DiceLoss",
    "MulticlassGeneralizedDiceLoss",
    "Tversky",
]


def _axis_option(axis: Any) -> Any:
    check_axis("axis", axis, allow_none=True)
    return tuple(axis) if isinstance(axis, list) else axis


class Dice(LossFunctionWrapper):
    """Dice loss `1 - 2 |y_true * y_pred| / (|y_true| + |y_pred|)`.

    With the Keras default `axis=None` the sums run over the whole batch
    (one value); `axis=(1, 2)` gives one value per image, which can then be
    weighted per sample.

    Args:
        axis: the axis or axes summed over, or `None` for all.
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype (default float32).

    >>> import jax.numpy as jnp
    >>> loss = Dice(axis=1)
    >>> round(float(loss(jnp.array([[1.0, 0.0], [1.0, 1.0]]),
    ...                  jnp.array([[0.8, 0.2], [0.6, 0.9]]))), 4)
    0.1714
    """

    aliases = ("dice",)

    def __init__(
        self,
        *,
        axis: Any = None,
        reduction: str | None = "sum_over_batch_size",
        name: str = "dice",
        dtype: Any = None,
    ):
        super().__init__(
            F.dice, reduction=reduction, name=name, dtype=dtype, axis=_axis_option(axis)
        )


class Tversky(LossFunctionWrapper):
    """Tversky loss `1 - TP / (TP + alpha FP + beta FN)` (Keras' definitions).

    See `jax_metrics.functional.tversky`; `alpha = beta = 0.5` is `Dice`.

    Args:
        alpha: the weight of `FP`, `>= 0`.
        beta: the weight of `FN`, `>= 0`.
        axis: the axis or axes summed over, or `None` for all.
        reduction: see `Dice`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = Tversky(alpha=0.3, beta=0.7, axis=1)
    >>> round(float(loss(jnp.array([[1.0, 0.0, 1.0]]),
    ...                  jnp.array([[0.9, 0.5, 0.2]]))), 4)
    0.3605
    """

    aliases = ("tversky",)

    def __init__(
        self,
        *,
        alpha: float = 0.5,
        beta: float = 0.5,
        axis: Any = None,
        reduction: str | None = "sum_over_batch_size",
        name: str = "tversky",
        dtype: Any = None,
    ):
        super().__init__(
            F.tversky,
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=check_number("alpha", alpha, low=0.0),
            beta=check_number("beta", beta, low=0.0),
            axis=_axis_option(axis),
        )


class DiceLoss(_OptaxLoss):
    """Per-sample soft Dice/Tversky loss on logits (`optax.losses.dice_loss`).

    `y_pred` holds logits `(batch, ..., classes)` (sigmoid for one class,
    softmax otherwise, unless `apply_softmax=False`) and `y_true` one-hot
    targets. optax's `reduction` over classes is `class_reduction` here.

    Args:
        class_weights: optional per-class weights.
        smooth: the smoothing term.
        alpha: the weight of false positives.
        beta: the weight of false negatives.
        apply_softmax: whether `y_pred` holds logits.
        class_reduction: `"mean"`, `"sum"` or `"none"` over classes.
        ignore_background: whether to drop class 0.
        axis: the spatial axes summed over (default: all but first and last).
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = DiceLoss()
    >>> round(float(loss(jnp.array([[[1.0], [0.0]]]), jnp.array([[[2.0], [-1.0]]]))), 4)
    0.0935
    """

    kernel = staticmethod(ox.dice_loss)
    aliases = ("dice_loss", "DiceLoss")

    def __init__(
        self,
        *,
        class_weights: Any = None,
        smooth: float = 1.0,
        alpha: float = 0.5,
        beta: float = 0.5,
        apply_softmax: bool = True,
        class_reduction: str = "mean",
        ignore_background: bool = False,
        axis: Any = None,
        reduction: str | None = _REDUCTION,
        name: str = "dice_loss",
        dtype: Any = None,
    ):
        if class_reduction not in ("mean", "sum", "none"):
            raise ValueError(
                "Invalid value for argument `class_reduction`: expected one of "
                f"('mean', 'sum', 'none'), received class_reduction={class_reduction!r}"
            )
        check_axis("axis", axis, allow_none=True)
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            class_weights=None
            if class_weights is None
            else number_tuple("class_weights", class_weights),
            smooth=check_number("smooth", smooth, low=0.0),
            alpha=check_number("alpha", alpha, low=0.0),
            beta=check_number("beta", beta, low=0.0),
            apply_softmax=check_bool("apply_softmax", apply_softmax),
            reduction_over_classes=class_reduction,
            ignore_background=check_bool("ignore_background", ignore_background),
            axis=tuple(axis) if isinstance(axis, list) else axis,
        )

    def _values(self, y_true: Array, y_pred: Array, where: Array | None) -> Array:
        options = dict(self.options)
        weights = options.pop("class_weights")
        return ox.dice_loss(
            y_pred,
            y_true,
            class_weights=None if weights is None else jnp.asarray(weights),
            reduction=options.pop("reduction_over_classes"),
            **options,
        )


class BinaryDiceLoss(_OptaxLoss):
    """Per-sample binary Dice loss on logits (`optax.losses.binary_dice_loss`).

    Args:
        smooth: the smoothing term.
        apply_sigmoid: whether `y_pred` holds logits.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = BinaryDiceLoss()
    >>> round(float(loss(jnp.array([[1.0, 0.0]]), jnp.array([[2.0, -1.0]]))), 4)
    0.0935
    """

    kernel = staticmethod(ox.binary_dice_loss)
    aliases = ("binary_dice_loss",)

    def __init__(
        self,
        *,
        smooth: float = 1.0,
        apply_sigmoid: bool = True,
        reduction: str | None = _REDUCTION,
        name: str = "binary_dice_loss",
        dtype: Any = None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            smooth=check_number("smooth", smooth, low=0.0),
            apply_sigmoid=check_bool("apply_sigmoid", apply_sigmoid),
        )


class MulticlassGeneralizedDiceLoss(_OptaxLoss):
    """Generalized Dice loss on logits, one value per batch (optax).

    `optax.losses.multiclass_generalized_dice_loss`: class weights are the
    inverse squared class frequencies *of the whole batch*, so the loss is
    one scalar for the batch, not a value per sample. As for a batch-level
    Keras `Dice` (`axis=None`), a `sample_weight` scales it by the weights'
    mean (`"sum_over_batch_size"`), their sum (`"sum"`) or not at all
    (`"mean_with_sample_weight"`); `"none"` gives the loss times each weight.

    Args:
        smooth: the smoothing term.
        apply_softmax: whether `y_pred` holds logits (softmax over the last
            axis).
        ignore_background: whether to drop class 0.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = MulticlassGeneralizedDiceLoss()
    >>> y_true = jnp.array([[[1.0, 0.0], [0.0, 1.0]]])
    >>> round(float(loss(y_true, jnp.array([[[2.0, 0.0], [-1.0, 1.0]]]))), 4)
    0.0596
    """

    kernel = staticmethod(ox.multiclass_generalized_dice_loss)
    aliases = ("multiclass_generalized_dice_loss",)

    def __init__(
        self,
        *,
        smooth: float = 1.0,
        apply_softmax: bool = True,
        ignore_background: bool = False,
        reduction: str | None = _REDUCTION,
        name: str = "multiclass_generalized_dice_loss",
        dtype: Any = None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            smooth=check_number("smooth", smooth, low=0.0),
            apply_softmax=check_bool("apply_softmax", apply_softmax),
            ignore_background=check_bool("ignore_background", ignore_background),
        )
