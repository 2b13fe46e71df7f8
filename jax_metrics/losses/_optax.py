"""Loss classes over optax's kernels, named in CamelCase of the optax name.

Each class maps Keras' `(y_true, y_pred)` onto optax's
`(predictions/logits, targets/labels)` and adds Keras' reductions and
`sample_weight`. Where the optax kernel takes a `where` mask, the class call
accepts it too: `loss(y_true, y_pred, sample_weight, where=mask)`; samples
left with no valid entry are excluded from the mean (0 when none is valid).
Where an optax name clashes with a Keras class (`log_cosh`,
`cosine_similarity`, `kl_divergence`), the optax form is `Optax<Name>`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import jax.numpy as jnp
from jax import Array

from jax_metrics.functional import optax as ox
from jax_metrics.functional._loss_utils import check_axis, check_number
from jax_metrics.functional._reduction import reduce_weighted_values
from jax_metrics.losses._base import Loss

__all__ = [
    "HingeLoss",
    "MulticlassHingeLoss",
    "MulticlassPerceptronLoss",
    "MulticlassSparsemaxLoss",
    "PerceptronLoss",
    "PolyLossCrossEntropy",
    "SafeSoftmaxCrossEntropy",
    "SigmoidBinaryCrossEntropy",
    "SigmoidFocalLoss",
    "SoftmaxCrossEntropy",
    "SoftmaxCrossEntropyWithIntegerLabels",
    "SparsemaxLoss",
]

_REDUCTION = "sum_over_batch_size"


def _axis(axis: Any) -> Any:
    check_axis("axis", axis)
    return tuple(axis) if isinstance(axis, list) else axis


class _OptaxLoss(Loss):
    """Base of the optax-backed losses (not public).

    Subclasses set `kernel` (a function of `jax_metrics.functional.optax`),
    `integer_labels` and `accepts_where`, and pass their options to
    `super().__init__`.
    """

    kernel: ClassVar[Callable[..., Array]]
    integer_labels: ClassVar[bool] = False
    accepts_where: ClassVar[bool] = False

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str | None = None,
        dtype: Any = None,
        **options: Any,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)
        self.options = tuple(sorted(options.items()))

    def _targets(self, y_true: Array) -> Array:
        return y_true.astype(jnp.int32) if self.integer_labels else y_true

    def _values(self, y_true: Array, y_pred: Array, where: Array | None) -> Array:
        kwargs = dict(self.options)
        if where is not None:
            kwargs["where"] = where
        return type(self).kernel(y_pred, self._targets(y_true), **kwargs)

    def call(self, y_true: Array, y_pred: Array) -> Array:
        """Calls the optax kernel as `kernel(y_pred, y_true, **options)`."""
        return self._values(y_true, y_pred, None)

    def __call__(self, y_true, y_pred, sample_weight=None, *, where=None) -> Array:
        """Computes the weighted, reduced loss; `where` masks entries (optax)."""
        if where is None:
            return super().__call__(y_true, y_pred, sample_weight)
        if not self.accepts_where:
            raise TypeError(
                f"expected no `where` for {type(self).__name__} (its optax kernel "
                "takes none), received a `where` mask"
            )
        y_pred = jnp.asarray(y_pred, self.dtype)
        y_true = jnp.asarray(y_true, self.dtype)
        where = jnp.asarray(where, bool)
        values = self._values(y_true, y_pred, where)
        if where.shape == values.shape:
            valid = where
        else:
            axis = dict(self.options).get("axis", -1)
            if where.ndim != y_pred.ndim:
                where = jnp.expand_dims(where, axis)
            valid = jnp.any(where, axis=axis)
        return reduce_weighted_values(
            values, sample_weight, valid, self.reduction, self.dtype
        )


# Classification ---------------------------------------------------------------
class SigmoidBinaryCrossEntropy(_OptaxLoss):
    """Sigmoid cross-entropy on logits (`optax.losses.sigmoid_binary_cross_entropy`).

    Element-wise values, so `"sum_over_batch_size"` averages over every
    element (PyTorch's `BCEWithLogitsLoss`).

    Args:
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype (default float32).

    >>> import jax.numpy as jnp
    >>> loss = SigmoidBinaryCrossEntropy()
    >>> round(float(loss(jnp.array([0.0, 1.0]), jnp.array([0.0, 2.0]))), 4)
    0.41
    """

    kernel = staticmethod(ox.sigmoid_binary_cross_entropy)
    aliases = ("sigmoid_binary_cross_entropy", "BCEWithLogitsLoss")

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "sigmoid_binary_cross_entropy",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class SigmoidFocalLoss(_OptaxLoss):
    """Sigmoid focal loss on logits (`optax.losses.sigmoid_focal_loss`).

    Args:
        alpha: the positive-class weight in `[0, 1]`, or `None` (no weighting).
        gamma: the focusing parameter, `>= 0`.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SigmoidFocalLoss()
    >>> round(float(loss(jnp.array([0.0, 1.0]), jnp.array([0.0, 2.0]))), 4)
    0.0875
    """

    kernel = staticmethod(ox.sigmoid_focal_loss)
    aliases = ("sigmoid_focal_loss",)

    def __init__(
        self,
        *,
        alpha: float | None = None,
        gamma: float = 2.0,
        reduction: str | None = _REDUCTION,
        name: str = "sigmoid_focal_loss",
        dtype: Any = None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=check_number("alpha", alpha, low=0.0, high=1.0, allow_none=True),
            gamma=check_number("gamma", gamma, low=0.0),
        )


class SoftmaxCrossEntropy(_OptaxLoss):
    """Softmax cross-entropy of logits against label distributions (optax).

    `-sum(y_true * log_softmax(y_pred), axis)`; accepts a `where` mask of
    classes.

    Args:
        axis: the class axis.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SoftmaxCrossEntropy()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.0, 1.0]]))), 4)
    0.3133
    """

    kernel = staticmethod(ox.softmax_cross_entropy)
    accepts_where = True
    aliases = ("softmax_cross_entropy",)

    def __init__(
        self,
        *,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "softmax_cross_entropy",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=_axis(axis))


class SoftmaxCrossEntropyWithIntegerLabels(_OptaxLoss):
    """Softmax cross-entropy of logits against integer labels (optax).

    `logsumexp(y_pred) - y_pred[y_true]`. With `ignore_index`, entries with
    that label give 0 and are left out of the mean: PyTorch's
    `CrossEntropyLoss` is `SoftmaxCrossEntropyWithIntegerLabels(ignore_index=-100)`.

    Args:
        axis: the class axis of `y_pred`.
        ignore_index: a label value to ignore, or `None` (optax's behaviour).
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SoftmaxCrossEntropyWithIntegerLabels(ignore_index=-100)
    >>> round(float(loss(jnp.array([1, -100]), jnp.array([[0.0, 1.0], [5.0, 0.0]]))), 4)
    0.3133
    """

    kernel = staticmethod(ox.softmax_cross_entropy_with_integer_labels)
    integer_labels = True
    accepts_where = True
    aliases = ("softmax_cross_entropy_with_integer_labels", "CrossEntropyLoss")

    def __init__(
        self,
        *,
        axis: int = -1,
        ignore_index: int | None = None,
        reduction: str | None = _REDUCTION,
        name: str = "softmax_cross_entropy_with_integer_labels",
        dtype: Any = None,
    ):
        if ignore_index is not None and (
            isinstance(ignore_index, bool) or not isinstance(ignore_index, int)
        ):
            raise ValueError(
                "Invalid value for argument `ignore_index`: expected an int or "
                f"None, received ignore_index={ignore_index!r}"
            )
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=_axis(axis))
        self.ignore_index = ignore_index

    def _targets(self, y_true: Array) -> Array:
        labels = y_true.astype(jnp.int32)
        if self.ignore_index is not None:
            labels = jnp.where(labels == self.ignore_index, 0, labels)
        return labels

    def _values(self, y_true: Array, y_pred: Array, where: Array | None) -> Array:
        values = super()._values(y_true, y_pred, where)
        if self.ignore_index is not None:
            values = jnp.where(y_true != self.ignore_index, values, 0.0)
        return values

    def mask(self, y_true: Array, y_pred: Array) -> Array | None:
        """The entries whose label is not `ignore_index`."""
        if self.ignore_index is None:
            return None
        return y_true != self.ignore_index


class SafeSoftmaxCrossEntropy(_OptaxLoss):
    """Softmax cross-entropy that tolerates `-inf` logits (optax).

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SafeSoftmaxCrossEntropy()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.0, 1.0]]))), 4)
    0.3133
    """

    kernel = staticmethod(ox.safe_softmax_cross_entropy)
    aliases = ("safe_softmax_cross_entropy",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "safe_softmax_cross_entropy",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class PolyLossCrossEntropy(_OptaxLoss):
    """PolyLoss: softmax cross-entropy `+ epsilon * (1 - p_t)` (optax).

    Args:
        epsilon: the weight of the polynomial term.
        axis: the class axis.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = PolyLossCrossEntropy()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.0, 1.0]]))), 4)
    0.8511
    """

    kernel = staticmethod(ox.poly_loss_cross_entropy)
    accepts_where = True
    aliases = ("poly_loss_cross_entropy",)

    def __init__(
        self,
        *,
        epsilon: float = 2.0,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "poly_loss_cross_entropy",
        dtype: Any = None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            epsilon=check_number("epsilon", epsilon),
            axis=_axis(axis),
        )


class HingeLoss(_OptaxLoss):
    """Element-wise binary hinge loss `max(0, 1 - y_pred * y_true)` (optax).

    Labels are in `{-1, 1}` (unlike Keras' `Hinge`, no `{0, 1}` mapping and
    no mean over the last axis).

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = HingeLoss()
    >>> float(loss(jnp.array([1.0, -1.0]), jnp.array([0.5, -2.0])))
    0.25
    """

    kernel = staticmethod(ox.hinge_loss)
    aliases = ("hinge_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "hinge_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class PerceptronLoss(_OptaxLoss):
    """Element-wise binary perceptron loss `max(0, -y_pred * y_true)` (optax).

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = PerceptronLoss()
    >>> float(loss(jnp.array([1.0, -1.0]), jnp.array([0.5, 2.0])))
    1.0
    """

    kernel = staticmethod(ox.perceptron_loss)
    aliases = ("perceptron_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "perceptron_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class SparsemaxLoss(_OptaxLoss):
    """Element-wise binary sparsemax loss on logits (optax).

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SparsemaxLoss()
    >>> round(float(loss(jnp.array([1, 0]), jnp.array([0.5, -2.0]))), 4)
    0.0312
    """

    kernel = staticmethod(ox.sparsemax_loss)
    integer_labels = True
    aliases = ("sparsemax_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "sparsemax_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MulticlassHingeLoss(_OptaxLoss):
    """Multiclass hinge loss of scores against integer labels (optax).

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = MulticlassHingeLoss()
    >>> float(loss(jnp.array([0]), jnp.array([[0.0, 1.0, 0.5]])))
    2.0
    """

    kernel = staticmethod(ox.multiclass_hinge_loss)
    integer_labels = True
    aliases = ("multiclass_hinge_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "multiclass_hinge_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MulticlassPerceptronLoss(_OptaxLoss):
    """Multiclass perceptron loss `max(scores) - scores[label]` (optax).

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = MulticlassPerceptronLoss()
    >>> float(loss(jnp.array([0]), jnp.array([[0.0, 1.0, 0.5]])))
    1.0
    """

    kernel = staticmethod(ox.multiclass_perceptron_loss)
    integer_labels = True
    aliases = ("multiclass_perceptron_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "multiclass_perceptron_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MulticlassSparsemaxLoss(_OptaxLoss):
    """Multiclass sparsemax loss of scores against integer labels (optax).

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = MulticlassSparsemaxLoss()
    >>> float(loss(jnp.array([0]), jnp.array([[0.0, 1.0, 0.5]])))
    1.0625
    """

    kernel = staticmethod(ox.multiclass_sparsemax_loss)
    integer_labels = True
    aliases = ("multiclass_sparsemax_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "multiclass_sparsemax_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)
