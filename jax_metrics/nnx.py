"""Flax NNX adapter: any jax_metrics metric as an `nnx.metrics.Metric`.

`jax_metrics` itself never imports Flax; importing this module does. The
adapter holds the wrapped metric (an immutable pytree) in one
`nnx.metrics.MetricState` variable and swaps it on `update`/`reset`, so it
follows NNX's stateful protocol, runs under `nnx.jit` and sits inside
`nnx.MultiMetric` next to Flax's own metrics.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

try:
    from flax import nnx
except ImportError as error:  # pragma: no cover - exercised without flax only
    raise ImportError(
        "jax_metrics.nnx needs Flax: install it with `pip install flax` "
        "(or `pip install jax_metrics[nnx]`)"
    ) from error

from jax_metrics.metrics._base import Metric
from jax_metrics.metrics._wrappers import update_names

__all__ = ["NNXMetric"]


class NNXMetric(nnx.metrics.Metric):
    """A jax_metrics metric (or collection) as a stateful `nnx.metrics.Metric`.

    `update(**kwargs)` renames keyword arguments by `argnames`, then passes
    the wrapped metric only those its `update` accepts (by signature), so one
    `nnx.MultiMetric.update(loss=..., logits=..., labels=...)` call feeds
    members that each take a different subset. Wrappers and collections,
    whose `update` takes `**kwargs`, receive what their inner metrics use. A
    `mask` (as `MultiMetric` passes) becomes `sample_weight` when the wrapped
    metric has no `mask` argument (multiplied with a `sample_weight` if both
    are given).

    Args:
        metric: a jax_metrics `Metric` (wrappers and collections included).
        argnames: maps the wrapped update's argument names to the keyword
            names callers use, e.g. `{"y_true": "labels", "y_pred": "logits"}`.

    >>> import jax_metrics as jm
    >>> from flax import nnx
    >>> metrics = nnx.MultiMetric(
    ...     accuracy=NNXMetric(
    ...         jm.metrics.SparseCategoricalAccuracy(),
    ...         argnames={"y_true": "labels", "y_pred": "logits"},
    ...     ),
    ...     loss=NNXMetric(jm.metrics.Mean(), argnames={"values": "loss"}),
    ... )
    >>> metrics.update(
    ...     logits=jnp.array([[0.1, 0.9], [0.8, 0.2]]),
    ...     labels=jnp.array([1, 1]),
    ...     loss=jnp.array(0.5),
    ... )
    >>> {k: round(float(v), 4) for k, v in metrics.compute().items()}
    {'accuracy': 0.5, 'loss': 0.5}
    """

    def __init__(self, metric: Metric, *, argnames: Mapping[str, str] | None = None):
        if not isinstance(metric, Metric):
            raise TypeError(
                "expected a jax_metrics Metric, received "
                f"{type(metric).__name__}: {metric!r}"
            )
        self.argnames = dict(argnames or {})
        self.state = nnx.metrics.MetricState(metric)

    @property
    def metric(self) -> Metric:
        """The wrapped metric with its current state (an immutable pytree)."""
        return self.state.get_value()

    def _route(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        metric = self.metric
        parameters = inspect.signature(metric.update).parameters
        kwargs = dict(kwargs)
        for target, source in self.argnames.items():
            if source in kwargs:
                kwargs[target] = kwargs.pop(source)
        names = update_names(metric)
        if names is not None and "mask" in kwargs and "mask" not in names:
            mask = kwargs.pop("mask")
            if mask is not None and "sample_weight" in names:
                weight = kwargs.get("sample_weight")
                kwargs["sample_weight"] = mask if weight is None else weight * mask
        if names is None:
            return kwargs
        accepted = {k: v for k, v in kwargs.items() if k in names}
        missing = [
            name
            for name, p in parameters.items()
            if p.default is p.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            and name not in accepted
        ]
        if missing:
            sources = [self.argnames.get(name, name) for name in missing]
            raise TypeError(
                f"expected keyword arguments {sources} for "
                f"{type(metric).__name__}.update, received {sorted(kwargs)}"
            )
        return accepted

    def update(self, **kwargs: Any) -> None:
        """Folds a batch into the state in place (NNX protocol)."""
        self.state.set_value(self.metric.update(**self._route(kwargs)))

    def compute(self) -> Any:
        """The wrapped metric's value."""
        return self.metric.compute()

    def compute_logs(self, prefix: str = "") -> dict[str, float]:
        """The value as plain Python floats (see `Metric.compute_logs`)."""
        return self.metric.compute_logs(prefix)

    def reset(self) -> None:
        """Resets the state in place (NNX protocol)."""
        self.state.set_value(self.metric.reset())
