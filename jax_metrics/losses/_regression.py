"""Regression losses (Keras 3 names, options and values)."""

from __future__ import annotations

from typing import Any

from jax_metrics.functional import _regression as F
from jax_metrics.functional import optax as ox
from jax_metrics.functional._loss_utils import check_axis, check_number
from jax_metrics.losses._base import LossFunctionWrapper
from jax_metrics.losses._optax import _REDUCTION, _axis, _OptaxLoss

__all__ = [
    "CosineDistance",
    "CosineSimilarity",
    "Huber",
    "HuberLoss",
    "L2Loss",
    "LogCosh",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "OptaxCosineSimilarity",
    "OptaxLogCosh",
    "SquaredError",
]


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors: `loss = mean((y_true - y_pred)**2)`.

    Per sample the last axis is averaged (`mean_squared_error`), then the
    per-sample values are weighted by `sample_weight` and reduced.

    Args:
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype (default float32).

    >>> import jax.numpy as jnp
    >>> loss = MeanSquaredError()
    >>> float(loss(jnp.array([[0.0, 1.0], [0.0, 0.0]]),
    ...            jnp.array([[1.0, 1.0], [1.0, 0.0]])))
    0.5
    """

    aliases = ("mse", "MSE", "l2", "MSELoss")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ):
        super().__init__(
            F.mean_squared_error, reduction=reduction, name=name, dtype=dtype
        )


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors: `loss = mean(|y_true - y_pred|)`.

    Args:
        reduction: see `MeanSquaredError`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = MeanAbsoluteError()
    >>> float(loss(jnp.array([[0.0, 2.0]]), jnp.array([[1.0, 1.0]])))
    1.0
    """

    aliases = ("mae", "MAE", "l1", "L1Loss")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ):
        super().__init__(
            F.mean_absolute_error, reduction=reduction, name=name, dtype=dtype
        )


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error: `100 * mean(|y_true - y_pred| / |y_true|)`.

    The denominator is clipped below at `1e-7` (Keras' rule).

    Args:
        reduction: see `MeanSquaredError`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = MeanAbsolutePercentageError()
    >>> round(float(loss(jnp.array([[2.0, 4.0]]), jnp.array([[1.0, 5.0]]))), 4)
    37.5
    """

    aliases = ("mape", "MAPE")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ):
        super().__init__(
            F.mean_absolute_percentage_error,
            reduction=reduction,
            name=name,
            dtype=dtype,
        )


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error: `mean((log1p(y_pred) - log1p(y_true))**2)`.

    Inputs are clipped below at `1e-7` (Keras' rule).

    Args:
        reduction: see `MeanSquaredError`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = MeanSquaredLogarithmicError()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]]))), 4)
    0.2402
    """

    aliases = ("msle", "MSLE")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ):
        super().__init__(
            F.mean_squared_logarithmic_error,
            reduction=reduction,
            name=name,
            dtype=dtype,
        )


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for small errors, linear for large ones.

    With `e = y_pred - y_true`: `0.5 * e**2` where `|e| <= delta`, else
    `delta * (|e| - 0.5 * delta)`, averaged over the last axis. PyTorch's
    `SmoothL1Loss` with `beta=1` and `HuberLoss` are this loss (the alias
    `"HuberLoss"` is not registered because `HuberLoss` is the class for
    optax's element-wise `huber_loss`).

    Args:
        delta: the positive threshold between the two regimes.
        reduction: see `MeanSquaredError`.
        name: the loss name (Keras' default `"huber_loss"`).
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = Huber()
    >>> float(loss(jnp.array([[0.0, 0.0]]), jnp.array([[0.5, 3.0]])))
    1.3125
    """

    aliases = ("huber", "smooth_l1", "SmoothL1Loss")

    def __init__(
        self,
        *,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        check_number("delta", delta, low=0.0, low_open=True)
        super().__init__(
            F.huber, reduction=reduction, name=name, dtype=dtype, delta=delta
        )


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error, averaged.

    Like the squared error for small errors and the absolute error for
    large ones, computed stably.

    Args:
        reduction: see `MeanSquaredError`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = LogCosh()
    >>> round(float(loss(jnp.array([[0.0]]), jnp.array([[1.0]]))), 4)
    0.4338
    """

    aliases = ("logcosh", "log_cosh")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "log_cosh",
        dtype: Any = None,
    ):
        super().__init__(F.log_cosh, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negated cosine similarity: `-sum(l2_normalize(y_true) * l2_normalize(y_pred))`.

    Minimising it pulls the predictions towards the direction of the
    targets (-1 is a perfect match).

    Args:
        axis: the axis (or axes) of the vectors.
        reduction: see `MeanSquaredError`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = CosineSimilarity()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]]))), 4)
    -0.7071
    """

    aliases = ("cosine_similarity", "cosine_proximity")

    def __init__(
        self,
        *,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ):
        check_axis("axis", axis)
        super().__init__(
            F.cosine_similarity,
            reduction=reduction,
            name=name,
            dtype=dtype,
            axis=tuple(axis) if isinstance(axis, list) else axis,
        )


class SquaredError(_OptaxLoss):
    """Element-wise squared error `(y_pred - y_true)**2` (optax).

    With the default reduction it equals `MeanSquaredError` for equal-length
    rows.

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = SquaredError()
    >>> float(loss(jnp.array([0.0, 1.0]), jnp.array([1.0, 3.0])))
    2.5
    """

    kernel = staticmethod(ox.squared_error)
    aliases = ("squared_error",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "squared_error",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class L2Loss(_OptaxLoss):
    """Element-wise half squared error `0.5 * (y_pred - y_true)**2` (optax).

    Not to be confused with the weight regulariser `L2`.

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = L2Loss()
    >>> float(loss(jnp.array([0.0, 1.0]), jnp.array([1.0, 3.0])))
    1.25
    """

    kernel = staticmethod(ox.l2_loss)
    aliases = ("l2_loss",)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "l2_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class HuberLoss(_OptaxLoss):
    """Element-wise Huber loss (optax; PyTorch's `HuberLoss`).

    Averaged per sample it is Keras' `Huber` (whose default *name* is also
    `"huber_loss"`).

    Args:
        delta: the positive threshold between quadratic and linear regimes.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = HuberLoss()
    >>> float(loss(jnp.array([0.0, 0.0]), jnp.array([0.5, 3.0])))
    1.3125
    """

    kernel = staticmethod(ox.huber_loss)
    aliases = ("HuberLoss",)

    def __init__(
        self,
        *,
        delta: float = 1.0,
        reduction: str | None = _REDUCTION,
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            delta=check_number("delta", delta, low=0.0, low_open=True),
        )


class OptaxLogCosh(_OptaxLoss):
    """Element-wise `log(cosh(y_pred - y_true))` (optax's `log_cosh`).

    Keras' `LogCosh` averages it over the last axis.

    Args:
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = OptaxLogCosh()
    >>> round(float(loss(jnp.array([0.0]), jnp.array([1.0]))), 4)
    0.4338
    """

    kernel = staticmethod(ox.log_cosh)

    def __init__(
        self,
        *,
        reduction: str | None = _REDUCTION,
        name: str = "optax_log_cosh",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class OptaxCosineSimilarity(_OptaxLoss):
    """Cosine similarity, optax's form (not negated; higher is more similar).

    Keras' `CosineSimilarity` is the negated loss form.

    Args:
        epsilon: lower clip of the squared norms.
        axis: the vector axis.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = OptaxCosineSimilarity()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]]))), 4)
    0.7071
    """

    kernel = staticmethod(ox.cosine_similarity)
    accepts_where = True

    def __init__(
        self,
        *,
        epsilon: float = 0.0,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "optax_cosine_similarity",
        dtype: Any = None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            epsilon=check_number("epsilon", epsilon, low=0.0),
            axis=_axis(axis),
        )


class CosineDistance(_OptaxLoss):
    """Cosine distance `1 - cosine_similarity` (optax).

    Args:
        epsilon: lower clip of the squared norms.
        axis: the vector axis.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = CosineDistance()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]]))), 4)
    0.2929
    """

    kernel = staticmethod(ox.cosine_distance)
    accepts_where = True
    aliases = ("cosine_distance",)

    def __init__(
        self,
        *,
        epsilon: float = 0.0,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "cosine_distance",
        dtype: Any = None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            epsilon=check_number("epsilon", epsilon, low=0.0),
            axis=_axis(axis),
        )
