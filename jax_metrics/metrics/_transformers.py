"""Input transformers: a metric updated with transformed inputs.

torchmetrics' `MetricInputTransformer` family: `LambdaInputTransformer`
(functions applied to `y_true`/`y_pred`) and `BinaryTargetTransformer`
(targets binarized at a threshold). Pure pytrees like every wrapper: the
wrapped metric's state is a leaf.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import jax.numpy as jnp
from jax import Array

from jax_metrics.functional._loss_utils import check_real
from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._wrappers import _check_metric

__all__ = [
    "BinaryTargetTransformer",
    "LambdaInputTransformer",
    "MetricInputTransformer",
]


class MetricInputTransformer(Metric):
    """A metric updated with transformed inputs (torchmetrics' wrapper).

    `update(y_true, y_pred, *rest, **kwargs)` updates the wrapped metric with
    `transform_target(y_true)` and `transform_pred(y_pred)` (by position or
    by the keywords `y_true`/`y_pred`); a metric of one input (`Mean`) gets
    `transform_pred(values)`. Everything else is passed on unchanged, and
    `compute()` is the wrapped metric's. Subclasses override the two
    methods (the identity here); the transforms run inside the jitted
    update, so they must be JAX functions.

    Args:
        metric: the wrapped metric (or a `jm.Metrics` collection).
        name: metric name (default: the wrapped metric's name).

    >>> import jax_metrics as jm
    >>> class Clipped(jm.metrics.MetricInputTransformer):
    ...     def transform_pred(self, y_pred):
    ...         return jnp.clip(y_pred, 0.0, 1.0)
    >>> m = Clipped(jm.metrics.MeanAbsoluteError())
    >>> float(m.update(jnp.array([1.0, 0.0]), jnp.array([1.5, -0.5])).compute())
    0.0
    """

    metric = state("metric")

    def __init__(self, metric: Metric, *, name: str | None = None):
        self.base = _check_metric(metric)
        super().__init__(name=name or metric.name)

    def init_state(self) -> dict[str, Any]:
        """The reset wrapped metric."""
        return {"metric": self.base}

    def transform_pred(self, y_pred: Any) -> Any:
        """The transform applied to predictions (identity)."""
        return y_pred

    def transform_target(self, y_true: Any) -> Any:
        """The transform applied to targets (identity)."""
        return y_true

    def update(self, *args: Any, **kwargs: Any) -> Self:
        """Updates the wrapped metric with the transformed inputs."""
        args = list(args)
        if len(args) == 1 and not {"y_true", "y_pred"} & set(kwargs):
            args[0] = self.transform_pred(args[0])
        else:
            if args:
                args[0] = self.transform_target(args[0])
            if len(args) > 1:
                args[1] = self.transform_pred(args[1])
            if "y_true" in kwargs:
                kwargs["y_true"] = self.transform_target(kwargs["y_true"])
            if "y_pred" in kwargs:
                kwargs["y_pred"] = self.transform_pred(kwargs["y_pred"])
        return self.replace(metric=self.metric.update(*args, **kwargs))

    def compute(self) -> Any:
        """The wrapped metric's value."""
        return self.metric.compute()


def _check_transform(value: Any, what: str) -> Any:
    if value is not None and not callable(value):
        raise TypeError(f"expected `{what}` to be callable, received {value!r}")
    return value


class LambdaInputTransformer(MetricInputTransformer):
    """A metric updated with `transform_target(y_true)`, `transform_pred(y_pred)`.

    See `MetricInputTransformer` for how inputs are routed.

    Args:
        metric: the wrapped metric (or a `jm.Metrics` collection).
        transform_pred: a JAX function applied to predictions (default: none).
        transform_target: a JAX function applied to targets (default: none).
        name: metric name (default: the wrapped metric's name).

    >>> import jax_metrics as jm
    >>> flipped = jm.metrics.LambdaInputTransformer(
    ...     jm.metrics.BinaryAccuracy(), transform_pred=lambda p: 1 - p)
    >>> m = flipped.update(jnp.array([1, 0, 0]), jnp.array([0.2, 0.9, 0.3]))
    >>> round(float(m.compute()), 4)
    0.6667
    """

    def __init__(
        self,
        metric: Metric,
        transform_pred: Callable[[Any], Any] | None = None,
        transform_target: Callable[[Any], Any] | None = None,
        *,
        name: str | None = None,
    ):
        self.pred_fn = _check_transform(transform_pred, "transform_pred")
        self.target_fn = _check_transform(transform_target, "transform_target")
        super().__init__(metric, name=name)

    def transform_pred(self, y_pred: Any) -> Any:
        """`transform_pred(y_pred)`, or `y_pred` without one."""
        return y_pred if self.pred_fn is None else self.pred_fn(y_pred)

    def transform_target(self, y_true: Any) -> Any:
        """`transform_target(y_true)`, or `y_true` without one."""
        return y_true if self.target_fn is None else self.target_fn(y_true)


class BinaryTargetTransformer(MetricInputTransformer):
    """A metric updated with binarized targets `y_true > threshold`.

    For continuous (or graded) targets fed to a metric that needs 0/1
    labels; the targets keep their dtype. See `MetricInputTransformer` for
    how inputs are routed.

    Args:
        metric: the wrapped metric (or a `jm.Metrics` collection).
        threshold: targets above it are positive.
        name: metric name (default: the wrapped metric's name).

    >>> import jax_metrics as jm
    >>> m = jm.metrics.BinaryTargetTransformer(jm.metrics.BinaryAccuracy(), 2.5)
    >>> m = m.update(jnp.array([1.0, 4.0, 3.0]), jnp.array([0.1, 0.8, 0.3]))
    >>> round(float(m.compute()), 4)
    0.6667
    """

    def __init__(
        self, metric: Metric, threshold: float = 0.0, *, name: str | None = None
    ):
        self.threshold = check_real("threshold", threshold, "to be a number")
        super().__init__(metric, name=name)

    def transform_target(self, y_true: Any) -> Array:
        """`y_true > threshold`, in the dtype of `y_true`."""
        y_true = jnp.asarray(y_true)
        return (y_true > self.threshold).astype(y_true.dtype)
