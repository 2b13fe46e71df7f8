"""Wrappers over the sequence of a metric's updates, all pure pytrees.

* `MinMaxMetric`: the running value with its extremes over the updates;
* `Running`: the value over the last `window` updates.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax import Array

from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._wrappers import (
    _array_value_shape,
    _check_metric,
    _check_positive_int,
    _merge_stacked,
    _stack,
)

__all__ = ["MinMaxMetric", "Running"]


# MinMaxMetric --------------------------------------------------------------------
class MinMaxMetric(Metric):
    """The running value of a metric with its minimum and maximum over updates.

    After each update the wrapped metric's running value is computed and
    folded into element-wise `min`/`max` states, as torchmetrics'
    `MinMaxMetric` records at each `compute()`. Empty: `min=+inf`,
    `max=-inf`. Merging two states (e.g. `reduce` across devices) takes the
    extremes of both trajectories.

    Args:
        metric: a metric whose compute() returns an array.
        name: metric name (default: the wrapped metric's name).

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MinMaxMetric(jm.metrics.Mean())
    >>> m = m.update(jnp.array([1.0])).update(jnp.array([5.0])).update(jnp.array([0.0]))
    >>> {k: float(v) for k, v in m.compute().items()}
    {'raw': 2.0, 'min': 1.0, 'max': 3.0}
    """

    metric = state("metric")
    min_value = state("min")
    max_value = state("max")

    def __init__(self, metric: Metric, *, name: str | None = None):
        self.base = _check_metric(metric)
        self.value_shape = _array_value_shape(self.base, "MinMaxMetric")
        super().__init__(name=name or metric.name)

    def init_state(self) -> dict[str, Any]:
        """The reset metric, `+inf` minimum and `-inf` maximum."""
        return {
            "metric": self.base,
            "min_value": jnp.full(self.value_shape, jnp.inf, jnp.float32),
            "max_value": jnp.full(self.value_shape, -jnp.inf, jnp.float32),
        }

    def _record(self, metric: Metric) -> MinMaxMetric:
        value = metric.compute().astype(jnp.float32)
        return self.replace(
            metric=metric,
            min_value=jnp.minimum(self.min_value, value),
            max_value=jnp.maximum(self.max_value, value),
        )

    def update(self, *args: Any, **kwargs: Any) -> MinMaxMetric:
        """Updates the metric and records its new running value."""
        return self._record(self.metric.update(*args, **kwargs))

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[Any, MinMaxMetric]:
        """The batch value and the updated wrapper (one update of work)."""
        value, metric = self.metric(*args, **kwargs)
        return {"raw": value, "min": value, "max": value}, self._record(metric)

    def compute(self) -> dict[str, Array]:
        """`raw` (the running value), `min` and `max`."""
        return {
            "raw": self.metric.compute(),
            "min": self.min_value,
            "max": self.max_value,
        }


# Running -------------------------------------------------------------------------
class Running(Metric):
    """A metric over the last `window` updates only (a sliding window).

    The state holds `window` per-batch states of the wrapped metric stacked on
    a leading axis (a ring buffer): fixed size whatever the run length;
    `compute` merges the window. Merging two `Running` states merges them slot
    by slot (the data-parallel case: each device holds its shard of the same
    batches).

    Args:
        metric: the metric to window.
        window: the number of most recent updates kept.
        name: metric name (default: `running_<metric name>`).

    >>> import jax_metrics as jm
    >>> m = jm.metrics.Running(jm.metrics.Sum(), window=2)
    >>> for x in (1.0, 2.0, 4.0):
    ...     m = m.update(jnp.array([x]))
    >>> float(m.compute())
    6.0
    """

    states = state("custom")
    position = state("max")

    def __init__(self, metric: Metric, *, window: int = 5, name: str | None = None):
        self.base = _check_metric(metric)
        self.window = _check_positive_int(window, "window")
        super().__init__(name=name or f"running_{metric.name}")

    def init_state(self) -> dict[str, Any]:
        """`window` reset states and the next slot 0."""
        return {
            "states": _stack(self.base, self.window),
            "position": jnp.zeros((), jnp.int32),
        }

    def _append(self, batch: Metric) -> Running:
        states = jax.tree.map(
            lambda s, b: s.at[self.position].set(b), self.states, batch
        )
        return self.replace(states=states, position=(self.position + 1) % self.window)

    def update(self, *args: Any, **kwargs: Any) -> Running:
        """Writes the batch's state over the oldest slot."""
        return self._append(self.base.update(*args, **kwargs))

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[Any, Running]:
        """The batch value and the window with the batch appended."""
        batch = self.base.update(*args, **kwargs)
        return batch.compute(), self._append(batch)

    def _merge_custom(self, other: Running) -> dict[str, Any]:
        return {"states": _merge_stacked(self.states, other.states)}

    def compute(self) -> Any:
        """The wrapped metric's value over the window."""
        return self.states.reduce_stacked(0).compute()
