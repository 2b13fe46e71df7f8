"""Classification losses (Keras 3 names, options and values)."""

from __future__ import annotations

from typing import Any

from jax import Array

from jax_metrics.functional import _classification as F
from jax_metrics.functional._loss_utils import check_bool, check_number
from jax_metrics.functional._reduction import squeeze_or_expand_to_same_rank
from jax_metrics.losses._base import LossFunctionWrapper

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Hinge",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
]

_REDUCTION = "sum_over_batch_size"


def _check_axis(axis: Any) -> int:
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(
            f"Invalid value for argument `axis`: expected an int, received "
            f"axis={axis!r}"
        )
    return axis


def _check_label_smoothing(label_smoothing: Any) -> float:
    return check_number("label_smoothing", label_smoothing, low=0.0, high=1.0)


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy between labels and predicted probabilities (or logits).

    `-(y log p + (1 - y) log(1 - p))`, averaged over `axis` per sample, then
    weighted and reduced. Labels are smoothed towards 0.5 by
    `label_smoothing`.

    Args:
        from_logits: whether `y_pred` holds logits (numerically safer).
        label_smoothing: in `[0, 1]`.
        axis: the axis averaged per sample.
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype (default float32).

    >>> import jax.numpy as jnp
    >>> loss = BinaryCrossentropy(from_logits=True)
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[-2.0, 3.0]]))), 4)
    0.0878
    """

    aliases = ("bce", "BCE", "binary_crossentropy", "BCELoss")

    def __init__(
        self,
        *,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            F.binary_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=check_bool("from_logits", from_logits),
            label_smoothing=_check_label_smoothing(label_smoothing),
            axis=_check_axis(axis),
        )


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal cross-entropy: `(1 - p_t)**gamma` down-weights easy examples.

    See `jax_metrics.functional.binary_focal_crossentropy`.

    Args:
        apply_class_balancing: whether to weight positives by `alpha` and
            negatives by `1 - alpha`.
        alpha: the positive-class weight, in `[0, 1]`.
        gamma: the focusing parameter, `>= 0`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in `[0, 1]`.
        axis: the axis averaged per sample.
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = BinaryFocalCrossentropy(gamma=2.0)
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.4, 0.6]]))), 4)
    0.0817
    """

    aliases = ("binary_focal_crossentropy",)

    def __init__(
        self,
        *,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            F.binary_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            apply_class_balancing=check_bool(
                "apply_class_balancing", apply_class_balancing
            ),
            alpha=check_number("alpha", alpha, low=0.0, high=1.0),
            gamma=check_number("gamma", gamma, low=0.0),
            from_logits=check_bool("from_logits", from_logits),
            label_smoothing=_check_label_smoothing(label_smoothing),
            axis=_check_axis(axis),
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between one-hot (or soft) labels and predicted classes.

    `-sum(y * log p)` over the class `axis`. Labels are smoothed as
    `y * (1 - label_smoothing) + label_smoothing / num_classes`. PyTorch's
    `CrossEntropyLoss` with probability targets and logits is
    `CategoricalCrossentropy(from_logits=True)`.

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in `[0, 1]`.
        axis: the class axis.
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = CategoricalCrossentropy()
    >>> round(float(loss(jnp.array([[0.0, 1.0, 0.0]]),
    ...                  jnp.array([[0.05, 0.95, 0.0]]))), 4)
    0.0513
    """

    aliases = ("cce", "CCE", "categorical_crossentropy")

    def __init__(
        self,
        *,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            F.categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=check_bool("from_logits", from_logits),
            label_smoothing=_check_label_smoothing(label_smoothing),
            axis=_check_axis(axis),
        )


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal cross-entropy: `-sum(alpha * (1 - p)**gamma * y * log p)`.

    Args:
        alpha: the weighting factor.
        gamma: the focusing parameter, `>= 0`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in `[0, 1]`.
        axis: the class axis.
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = CategoricalFocalCrossentropy()
    >>> round(float(loss(jnp.array([[0.0, 1.0, 0.0]]),
    ...                  jnp.array([[0.1, 0.8, 0.1]]))), 4)
    0.0022
    """

    aliases = ("categorical_focal_crossentropy",)

    def __init__(
        self,
        *,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            F.categorical_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=check_number("alpha", alpha),
            gamma=check_number("gamma", gamma, low=0.0),
            from_logits=check_bool("from_logits", from_logits),
            label_smoothing=_check_label_smoothing(label_smoothing),
            axis=_check_axis(axis),
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between integer labels and predicted classes.

    `-log p[y]` along the class `axis`. Entries labelled `ignore_class` are
    masked: they give 0 and, under `"sum_over_batch_size"`/`"mean"`, the
    mean runs over the valid entries only (0 when none is valid). PyTorch's
    `CrossEntropyLoss` (logits, class indices, `ignore_index=-100`) is
    `SparseCategoricalCrossentropy(from_logits=True, ignore_class=-100)`.

    Args:
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label value to ignore (e.g. padding), or `None`.
        axis: the class axis of `y_pred`.
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SparseCategoricalCrossentropy(ignore_class=-1)
    >>> round(float(loss(jnp.array([1, -1]),
    ...                  jnp.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]))), 4)
    0.0513
    """

    aliases = ("scce", "sparse_categorical_crossentropy")

    def __init__(
        self,
        *,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        if ignore_class is not None and (
            isinstance(ignore_class, bool) or not isinstance(ignore_class, int)
        ):
            raise ValueError(
                "Invalid value for argument `ignore_class`: expected an int or "
                f"None, received ignore_class={ignore_class!r}"
            )
        super().__init__(
            F.sparse_categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=check_bool("from_logits", from_logits),
            ignore_class=ignore_class,
            axis=_check_axis(axis),
        )

    def mask(self, y_true: Array, y_pred: Array) -> Array | None:
        """The entries whose label is not `ignore_class`."""
        options = dict(self.options)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return F.sparse_categorical_valid_mask(
            y_true, y_pred, ignore_class=options["ignore_class"], axis=options["axis"]
        )


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy `(1 - p[y]**q) / q`, robust to noisy labels.

    Args:
        q: in the open interval `(0, 1)`; small values approach the
            cross-entropy, values near 1 the mean absolute error.
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = CategoricalGeneralizedCrossEntropy(q=0.5)
    >>> round(float(loss(jnp.array([1]), jnp.array([[0.36, 0.64]]))), 4)
    0.4
    """

    aliases = ("categorical_generalized_cross_entropy",)

    def __init__(
        self,
        *,
        q: float = 0.5,
        reduction: str | None = _REDUCTION,
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ):
        check_number("q", q, low=0.0, high=1.0, low_open=True, high_open=True)
        super().__init__(
            F.categorical_generalized_cross_entropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            q=q,
        )


class Hinge(LossFunctionWrapper):
    """Hinge loss `mean(max(1 - y * y_pred, 0))` for labels in {-1, 1} (or {0, 1}).

    Args:
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = Hinge()
    >>> float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]])))
    1.0
    """

    aliases = ("hinge",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "hinge",
        dtype: Any = None,
    ):
        super().__init__(F.hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss `mean(max(1 - y * y_pred, 0)**2)`.

    Args:
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SquaredHinge()
    >>> float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]])))
    1.25
    """

    aliases = ("squared_hinge",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "squared_hinge",
        dtype: Any = None,
    ):
        super().__init__(F.squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge `max(max_{k != y} y_pred_k - y_pred_y + 1, 0)` (one-hot y).

    Args:
        reduction: see `BinaryCrossentropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = CategoricalHinge()
    >>> float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.3, 0.8]])))
    0.5
    """

    aliases = ("categorical_hinge",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "categorical_hinge",
        dtype: Any = None,
    ):
        super().__init__(
            F.categorical_hinge, reduction=reduction, name=name, dtype=dtype
        )
