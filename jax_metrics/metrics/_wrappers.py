"""Metric wrappers and metric arithmetic, all pure pytrees.

Every wrapper holds the wrapped metric's state as a leaf, so it jits, merges,
reduces across devices and is saved like any other metric:

* `MetricTracker`: per-epoch history in a fixed-capacity array, best value
  and step;
* `BootStrapper`: confidence intervals from `num_bootstraps` resampled states
  stacked on a leading axis and updated with one `vmap`;
* `ClasswiseWrapper`: a per-class vector as a dict keyed by class label;
* `MinMaxMetric`: the running value with its extremes over the updates;
* `Running`: the value over the last `window` updates;
* `MultioutputWrapper`: one state per output column, updated with `vmap`;
* `MultitaskWrapper`: one metric per task of a multi-task model;
* `CompositionalMetric`: `m1 + m2`, `m / 2`, `abs(m)`, ...
"""

from __future__ import annotations

import functools
import inspect
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.metrics._base import Metric, state

__all__ = [
    "BootStrapper",
    "ClasswiseWrapper",
    "CompositionalMetric",
    "MetricTracker",
    "MinMaxMetric",
    "MultioutputWrapper",
    "MultitaskWrapper",
    "Running",
]


# helpers ---------------------------------------------------------------------
def _check_metric(metric: Any, what: str = "metric") -> Metric:
    if not isinstance(metric, Metric):
        raise TypeError(
            f"expected `{what}` to be a jax_metrics Metric, received "
            f"{type(metric).__name__}: {metric!r}"
        )
    return metric.reset()


def _check_positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(
            f"expected `{what}` to be a positive integer, received {value!r}"
        )
    return int(value)


def update_names(metric: Metric) -> frozenset[str] | None:
    """The keyword names `metric.update` uses; None when it takes any.

    An update that takes `**kwargs` and forwards them to the metrics in its
    state (wrappers, collections) uses what those metrics use, plus its own
    named parameters.
    """
    update = type(metric).update
    update = getattr(update, "eager", update)
    params = list(inspect.signature(update).parameters.values())[1:]
    names = {
        p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }
    if not any(p.kind is p.VAR_KEYWORD for p in params):
        return frozenset(names)
    children = []
    for value in metric.state_dict.values():
        if isinstance(value, Mapping):
            value = list(value.values())
        items = value if isinstance(value, list | tuple) else [value]
        children.extend(x for x in items if isinstance(x, Metric))
    if not children:
        return None
    for child in children:
        child_names = update_names(child)
        if child_names is None:
            return None
        names |= child_names
    return frozenset(names)


def accepted_kwargs(metric: Metric, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `kwargs` that `metric.update` uses."""
    names = update_names(metric)
    if names is None:
        return dict(kwargs)
    return {k: v for k, v in kwargs.items() if k in names}


def _value_shape(metric: Metric) -> Any:
    return jax.eval_shape(lambda m: m.compute(), metric)


def _array_value_shape(metric: Metric, wrapper: str) -> tuple[int, ...]:
    value = _value_shape(metric)
    if not isinstance(value, jax.ShapeDtypeStruct):
        raise ValueError(
            f"expected {wrapper} to wrap a metric whose compute() returns one "
            f"array, received {type(metric).__name__} returning {value!r}"
        )
    return tuple(value.shape)


def _stack(metric: Metric, size: int) -> Metric:
    """`size` copies of a metric's state stacked on a new leading axis."""
    return jax.tree.map(lambda x: jnp.broadcast_to(x, (size, *jnp.shape(x))), metric)


def _merge_stacked(a: Metric, b: Metric) -> Metric:
    return jax.vmap(lambda x, y: x.merge(y))(a, b)


# MetricTracker -----------------------------------------------------------------
class MetricTracker(Metric):
    """Tracks a metric over epochs: per-epoch history, best value and step.

    `update` folds batches into the current epoch; `increment()` closes the
    epoch (stores its value in a fixed-capacity history and resets the
    metric). Dict-valued metrics (collections) are tracked key by key. The
    history is a `(capacity, ...)` array padded with `-inf`; past `capacity`
    epochs nothing more is stored, `compute_all` raises and `best_metric`
    returns NaN (step -1) instead of a best of the first epochs only.

    Args:
        metric: the metric to track (its state is reset).
        capacity: the maximum number of epochs kept.
        maximize: whether higher is better (a bool, or a dict per key for
            dict-valued metrics); default: the metric's `higher_is_better`.
        name: metric name (default: the wrapped metric's name).

    >>> import jax_metrics as jm
    >>> tracker = jm.metrics.MetricTracker(jm.metrics.Accuracy(), capacity=10)
    >>> for pred in ([1, 0, 0], [1, 1, 1], [1, 1, 0]):
    ...     tracker = tracker.update(jnp.array([1, 1, 1]), jnp.array(pred))
    ...     tracker = tracker.increment()
    >>> [round(v, 4) for v in tracker.compute_all().tolist()]
    [0.3333, 1.0, 0.6667]
    >>> value, step = tracker.best_metric(return_step=True)
    >>> round(float(value), 4), int(step)
    (1.0, 1)
    """

    metric = state("metric")
    history = state("max")
    steps = state("max")

    def __init__(
        self,
        metric: Metric,
        *,
        capacity: int = 100,
        maximize: bool | Mapping[str, bool] | None = None,
        name: str | None = None,
    ):
        self.base = _check_metric(metric)
        self.capacity = _check_positive_int(capacity, "capacity")
        value = _value_shape(self.base)
        leaves, self.value_treedef = jax.tree.flatten(value)
        self.value_shapes = tuple(tuple(leaf.shape) for leaf in leaves)
        keys = [jax.tree_util.keystr(p) for p, _ in jax.tree.leaves_with_path(value)]
        if maximize is None:
            maximize = metric.higher_is_better
        if maximize is None:
            raise ValueError(
                "expected `maximize=True` or `False` for a metric whose "
                f"`higher_is_better` is None, received {type(metric).__name__}"
            )
        if isinstance(maximize, Mapping):
            if not isinstance(value, Mapping) or set(maximize) != set(value):
                raise ValueError(
                    f"expected `maximize` to have one entry per value {keys}, "
                    f"received {dict(maximize)!r}"
                )
            self.maximize = tuple(
                bool(maximize[k])
                for k in sorted(value)
                for _ in jax.tree.leaves(value[k])
            )
        else:
            self.maximize = (bool(maximize),) * len(leaves)
        super().__init__(name=name or metric.name)

    def init_state(self) -> dict[str, Array]:
        """The reset metric, an empty (`-inf`) history and zero epochs."""
        size = sum(math.prod(s) for s in self.value_shapes)
        return {
            "metric": self.base,
            "history": jnp.full((self.capacity, size), -jnp.inf, jnp.float32),
            "steps": jnp.zeros((), jnp.int32),
        }

    def update(self, *args: Any, **kwargs: Any) -> MetricTracker:
        """Folds a batch into the current epoch's metric."""
        return self.replace(metric=self.metric.update(*args, **kwargs))

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[Any, MetricTracker]:
        """The batch value and the tracker with the batch in the current epoch."""
        value, metric = self.metric(*args, **kwargs)
        return value, self.replace(metric=metric)

    def compute(self) -> Any:
        """The current epoch's value."""
        return self.metric.compute()

    def increment(self) -> MetricTracker:
        """Closes the epoch: stores its value and resets the metric."""
        flat = jnp.concatenate(
            [jnp.ravel(x).astype(jnp.float32) for x in jax.tree.leaves(self.compute())]
        )
        history = self.history.at[self.steps].set(flat, mode="drop")
        steps = jnp.minimum(self.steps + 1, self.capacity + 1)
        return self.replace(metric=self.metric.reset(), history=history, steps=steps)

    def reset(self) -> MetricTracker:
        """Resets the current epoch's metric and keeps the history."""
        return self.replace(metric=self.metric.reset())

    def reset_all(self) -> MetricTracker:
        """Resets the metric and the history."""
        return self.replace(**self.init_state())

    def _unflatten(self, rows: Array) -> Any:
        parts, start = [], 0
        for shape in self.value_shapes:
            size = math.prod(shape)
            parts.append(
                rows[..., start : start + size].reshape(*rows.shape[:-1], *shape)
            )
            start += size
        return jax.tree.unflatten(self.value_treedef, parts)

    def compute_all(self) -> Any:
        """The value of every closed epoch, `(epochs, ...)` (eager only).

        Raises:
            ValueError: when more epochs than `capacity` were closed.
        """
        steps = int(self.steps)
        if steps > self.capacity:
            raise ValueError(
                f"expected at most capacity={self.capacity} epochs in "
                f"MetricTracker({self.name!r}), received more: increase `capacity`"
            )
        return self._unflatten(self.history[:steps])

    def best_metric(self, return_step: bool = False) -> Any:
        """The best epoch value (and its step); NaN and -1 when none or overflowed."""
        maximize = jnp.array(
            [
                m
                for m, s in zip(self.maximize, self.value_shapes, strict=True)
                for _ in range(math.prod(s))
            ],
            bool,
        )
        filled = (jnp.arange(self.capacity) < self.steps)[:, None]
        score = jnp.where(maximize[None, :], self.history, -self.history)
        score = jnp.where(filled & ~jnp.isnan(score), score, -jnp.inf)
        step = jnp.argmax(score, axis=0)
        best = jnp.take_along_axis(self.history, step[None, :], axis=0)[0]
        valid = (self.steps > 0) & (self.steps <= self.capacity)
        best = jnp.where(valid, best, jnp.nan)
        step = jnp.where(valid, step, -1).astype(jnp.int32)
        if return_step:
            return self._unflatten(best), self._unflatten(step)
        return self._unflatten(best)

    def plot(self, ax: Any = None) -> Any:
        """A matplotlib figure of the history, the best epoch marked.

        Args:
            ax: an existing matplotlib axes to draw on.
        """
        from jax_metrics._plotting import plot_history

        values = self.compute_all()
        best = None
        if int(self.steps) > 0 and not isinstance(values, Mapping):
            best_value, best_step = self.best_metric(return_step=True)
            best = (np.asarray(best_step), np.asarray(best_value))
        return plot_history(values, name=self.name, best=best, ax=ax)


# BootStrapper --------------------------------------------------------------------
# Jitted samplers: eager `jax.random.poisson` would recompile its loop per call.
@functools.partial(jax.jit, static_argnums=(1, 2))
def _poisson_counts(key: Array, num: int, n: int) -> Array:
    return jax.random.poisson(key, 1.0, (num, n)).astype(jnp.float32)


@functools.partial(jax.jit, static_argnums=(1, 2))
def _resample_indices(key: Array, num: int, n: int) -> Array:
    return jax.random.randint(key, (num, n), 0, n)


class BootStrapper(Metric):
    """Bootstrap confidence intervals of any metric, vectorised with `vmap`.

    The wrapped metric's state is stacked `num_bootstraps` times on a leading
    axis; every update resamples the batch once per bootstrap and updates all
    copies in one `vmap`:

    * `"poisson"`: each sample gets a weight `~ Poisson(1)`, passed as
      `sample_weight` (multiplied with the user's), the streaming bootstrap
      that merges across batches and devices (the metric must take
      `sample_weight`);
    * `"multinomial"`: each copy sees `n` samples drawn with replacement from
      the batch (gathered along axis 0 of every array argument), as
      torchmetrics does; works for any metric.

    Randomness: the key of an update is `fold_in(PRNGKey(seed), updates)`,
    where `updates` (a state leaf) counts updates, so a run is reproducible
    and a jitted step compiles once. Pass `key=` to `update` to override it,
    e.g. with `fold_in(key, lax.axis_index(axis))` inside `shard_map` so that
    devices draw independent weights. `compute()` returns a dict: `mean`,
    `std` (ddof=1) and the `lower`/`upper` quantiles of the bootstrap values
    at `confidence_level` (plus `raw`, all values, when `raw=True`).

    Args:
        metric: the metric to bootstrap.
        num_bootstraps: the number of resampled copies.
        sampling_strategy: `"poisson"` or `"multinomial"`.
        confidence_level: the central mass of the `[lower, upper]` interval.
        seed: seed of the default keys.
        raw: also return the `(num_bootstraps, ...)` bootstrap values.
        name: metric name (default: `bootstrap_<metric name>`).

    >>> import jax_metrics as jm
    >>> boot = jm.metrics.BootStrapper(jm.metrics.Mean(), num_bootstraps=200)
    >>> x = jnp.linspace(0.0, 2.0, 101)
    >>> result = boot.update(x).compute()
    >>> sorted(result)
    ['lower', 'mean', 'std', 'upper']
    >>> bool(result["lower"] < 1.0 < result["upper"]), round(float(result["mean"]), 1)
    (True, 1.0)
    """

    metrics = state("custom")
    updates = state("sum")

    def __init__(
        self,
        metric: Metric,
        *,
        num_bootstraps: int = 10,
        sampling_strategy: str = "poisson",
        confidence_level: float = 0.95,
        seed: int = 0,
        raw: bool = False,
        name: str | None = None,
    ):
        self.base = _check_metric(metric)
        self.num_bootstraps = _check_positive_int(num_bootstraps, "num_bootstraps")
        if self.num_bootstraps < 2:
            raise ValueError(
                f"expected `num_bootstraps` >= 2, received {num_bootstraps!r}"
            )
        if sampling_strategy not in ("poisson", "multinomial"):
            raise ValueError(
                "expected `sampling_strategy` in ('poisson', 'multinomial'), "
                f"received {sampling_strategy!r}"
            )
        names = update_names(metric)
        if sampling_strategy == "poisson" and not (
            names is None or "sample_weight" in names
        ):
            raise ValueError(
                "expected a metric whose update takes `sample_weight` for "
                f"sampling_strategy='poisson', received {type(metric).__name__}; "
                "use sampling_strategy='multinomial'"
            )
        if not 0.0 < confidence_level < 1.0:
            raise ValueError(
                f"expected `confidence_level` in (0, 1), received {confidence_level!r}"
            )
        self.sampling_strategy = sampling_strategy
        self.confidence_level = float(confidence_level)
        self.seed = int(seed)
        self.raw = bool(raw)
        super().__init__(name=name or f"bootstrap_{metric.name}")

    def init_state(self) -> dict[str, Array]:
        """`num_bootstraps` reset copies of the metric and zero updates."""
        return {
            "metrics": _stack(self.base, self.num_bootstraps),
            "updates": jnp.zeros((), jnp.int32),
        }

    def update(
        self, *args: Any, sample_weight: Any = None, key: Array | None = None, **kwargs
    ) -> BootStrapper:
        """Updates every bootstrap copy with its resample of the batch.

        Args:
            *args: the wrapped metric's positional inputs (batch axis first).
            sample_weight: optional per-sample weights.
            key: optional PRNG key for this batch (see the class docs).
            **kwargs: the wrapped metric's other keyword inputs.
        """
        if key is None:
            key = jax.random.fold_in(jax.random.PRNGKey(self.seed), self.updates)
        arrays = [x for x in (*args, *kwargs.values()) if x is not None]
        n = jnp.shape(arrays[0])[0]
        if self.sampling_strategy == "poisson":
            counts = _poisson_counts(key, self.num_bootstraps, n)
            if sample_weight is not None:
                weight = jnp.asarray(sample_weight, jnp.float32)
                counts = counts.reshape(counts.shape + (1,) * (weight.ndim - 1))
                counts = counts * weight[None]

            def one(m, w):
                return m.update(*args, sample_weight=w, **kwargs)

            metrics = jax.vmap(one)(self.metrics, counts)
        else:
            indices = _resample_indices(key, self.num_bootstraps, n)

            def one(m, i):
                take = lambda x: None if x is None else jnp.asarray(x)[i]  # noqa: E731
                extra = (
                    {}
                    if sample_weight is None
                    else {"sample_weight": take(sample_weight)}
                )
                return m.update(
                    *map(take, args), **{k: take(v) for k, v in kwargs.items()}, **extra
                )

            metrics = jax.vmap(one)(self.metrics, indices)
        return self.replace(metrics=metrics, updates=self.updates + 1)

    def _merge_custom(self, other: BootStrapper) -> dict[str, Any]:
        return {"metrics": _merge_stacked(self.metrics, other.metrics)}

    def compute(self) -> dict[str, Any]:
        """Mean, std and the confidence interval of the bootstrap values."""
        values = jax.vmap(lambda m: m.compute())(self.metrics)
        alpha = (1.0 - self.confidence_level) / 2.0

        def over_copies(fn):
            return jax.tree.map(lambda v: fn(v.astype(jnp.float32)), values)

        result = {
            "mean": over_copies(lambda v: jnp.mean(v, axis=0)),
            "std": over_copies(lambda v: jnp.std(v, axis=0, ddof=1)),
            "lower": over_copies(lambda v: jnp.quantile(v, alpha, axis=0)),
            "upper": over_copies(lambda v: jnp.quantile(v, 1.0 - alpha, axis=0)),
        }
        if self.raw:
            result["raw"] = values
        return result


# ClasswiseWrapper ---------------------------------------------------------------
class ClasswiseWrapper(Metric):
    """A per-class vector value as a dict keyed by class label.

    Wraps a metric whose value has one entry per class (e.g. an `average=None`
    task metric) so each class logs under its own name:
    `{prefix}{label}{postfix}`.

    Args:
        metric: a metric whose compute() returns a 1-D array.
        labels: one label per class (default: `0, 1, ...`).
        prefix: key prefix (default: `<metric name>_` when `postfix` is None).
        postfix: key postfix.
        name: metric name (default: the wrapped metric's name).

    >>> import jax_metrics as jm
    >>> per_column = jm.metrics.MultioutputWrapper(jm.metrics.Mean(), num_outputs=2)
    >>> m = jm.metrics.ClasswiseWrapper(per_column, labels=["cat", "dog"])
    >>> m = m.update(jnp.array([[1.0, 2.0], [3.0, 6.0]]))
    >>> {k: float(v) for k, v in m.compute().items()}
    {'mean_cat': 2.0, 'mean_dog': 4.0}
    """

    metric = state("metric")

    def __init__(
        self,
        metric: Metric,
        *,
        labels: Sequence[str] | None = None,
        prefix: str | None = None,
        postfix: str | None = None,
        name: str | None = None,
    ):
        self.base = _check_metric(metric)
        shape = _array_value_shape(self.base, "ClasswiseWrapper")
        if len(shape) != 1:
            raise ValueError(
                "expected a metric whose value is a 1-D per-class array, received "
                f"{type(metric).__name__} with value shape {shape}"
            )
        if labels is None:
            labels = [str(i) for i in range(shape[0])]
        if len(labels) != shape[0]:
            raise ValueError(
                f"expected {shape[0]} labels (one per class), received "
                f"{len(labels)}: {list(labels)!r}"
            )
        if prefix is None and postfix is None:
            prefix = f"{metric.name}_"
        self.keys = tuple(f"{prefix or ''}{label}{postfix or ''}" for label in labels)
        super().__init__(name=name or metric.name)

    def init_state(self) -> dict[str, Any]:
        """The reset wrapped metric."""
        return {"metric": self.base}

    def update(self, *args: Any, **kwargs: Any) -> ClasswiseWrapper:
        """Updates the wrapped metric."""
        return self.replace(metric=self.metric.update(*args, **kwargs))

    def compute(self) -> dict[str, Array]:
        """One entry per class."""
        value = self.metric.compute()
        return {key: value[i] for i, key in enumerate(self.keys)}


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


# MultioutputWrapper -------------------------------------------------------------
class MultioutputWrapper(Metric):
    """One state of a metric per output column, updated with one `vmap`.

    Positional inputs are split along `output_dim` (each must have
    `num_outputs` entries there); keyword inputs such as `sample_weight` are
    shared by every output. `compute()` stacks the values: `(num_outputs,
    ...)`. Unlike torchmetrics there is no `remove_nans`: rows are masked with
    `sample_weight` instead, which keeps the shapes fixed.

    Args:
        metric: the metric applied to each output.
        num_outputs: the number of outputs.
        output_dim: the axis of the outputs in every positional input.
        name: metric name (default: the wrapped metric's name).

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MultioutputWrapper(jm.metrics.Accuracy(), num_outputs=2)
    >>> m = m.update(jnp.array([[1, 0], [1, 1]]), jnp.array([[1, 0], [0, 1]]))
    >>> m.compute().tolist()
    [0.5, 1.0]
    """

    metrics = state("custom")

    def __init__(
        self,
        metric: Metric,
        num_outputs: int,
        *,
        output_dim: int = -1,
        name: str | None = None,
    ):
        self.base = _check_metric(metric)
        self.num_outputs = _check_positive_int(num_outputs, "num_outputs")
        self.output_dim = int(output_dim)
        super().__init__(name=name or metric.name)

    def init_state(self) -> dict[str, Any]:
        """`num_outputs` reset states stacked on a leading axis."""
        return {"metrics": _stack(self.base, self.num_outputs)}

    def update(self, *args: Any, **kwargs: Any) -> MultioutputWrapper:
        """Updates each output's state with its column of the inputs."""
        split = []
        for i, x in enumerate(args):
            x = jnp.moveaxis(jnp.asarray(x), self.output_dim, 0)
            if x.shape[0] != self.num_outputs:
                raise ValueError(
                    f"expected {self.num_outputs} outputs on axis {self.output_dim} "
                    f"of input {i}, received shape {jnp.shape(args[i])}"
                )
            split.append(x)
        metrics = jax.vmap(lambda m, *xs: m.update(*xs, **kwargs))(self.metrics, *split)
        return self.replace(metrics=metrics)

    def _merge_custom(self, other: MultioutputWrapper) -> dict[str, Any]:
        return {"metrics": _merge_stacked(self.metrics, other.metrics)}

    def compute(self) -> Any:
        """The values stacked over outputs."""
        return jax.vmap(lambda m: m.compute())(self.metrics)


# MultitaskWrapper ---------------------------------------------------------------
class MultitaskWrapper(Metric):
    """One metric per task of a multi-task model.

    `update(y_true, y_pred, sample_weight=None)` takes dicts keyed by task
    (exactly the task names); any of the three may instead be one value
    shared by every task (e.g. one target for several heads, or one weight).
    `compute()` returns `{task: value}`.

    Args:
        task_metrics: a dict from task name to metric.
        name: metric name.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MultitaskWrapper(
    ...     {"kind": jm.metrics.Accuracy(), "size": jm.metrics.MeanMetricWrapper(
    ...         lambda t, p: jnp.abs(t - p), name="mae")})
    >>> m = m.update({"kind": jnp.array([1, 2]), "size": jnp.array([1.0, 2.0])},
    ...              {"kind": jnp.array([1, 0]), "size": jnp.array([2.0, 2.0])})
    >>> {k: float(v) for k, v in m.compute().items()}
    {'kind': 0.5, 'size': 0.5}
    """

    tasks = state("custom")

    def __init__(self, task_metrics: Mapping[str, Metric], *, name: str = "multitask"):
        if not isinstance(task_metrics, Mapping) or not task_metrics:
            raise TypeError(
                "expected `task_metrics` to be a non-empty dict of metrics, "
                f"received {task_metrics!r}"
            )
        self.task_names = tuple(task_metrics)
        self.bases = tuple(
            _check_metric(m, f"task_metrics[{k!r}]") for k, m in task_metrics.items()
        )
        super().__init__(name=name)

    def init_state(self) -> dict[str, Any]:
        """The reset metric of every task."""
        return {"tasks": self.bases}

    def _per_task(self, value: Any, what: str) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            return dict.fromkeys(self.task_names, value)
        if set(value) != set(self.task_names):
            raise ValueError(
                f"expected `{what}` keys {sorted(self.task_names)}, received "
                f"{sorted(value)}"
            )
        return dict(value)

    def update(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Self:
        """Updates each task's metric with its entries."""
        y_true = self._per_task(y_true, "y_true")
        y_pred = self._per_task(y_pred, "y_pred")
        weight = self._per_task(sample_weight, "sample_weight")
        tasks = []
        for task, metric in zip(self.task_names, self.tasks, strict=True):
            extra = {} if weight[task] is None else {"sample_weight": weight[task]}
            tasks.append(metric.update(y_true[task], y_pred[task], **extra))
        return self.replace(tasks=tuple(tasks))

    def _merge_custom(self, other: MultitaskWrapper) -> dict[str, Any]:
        return {
            "tasks": tuple(
                a.merge(b) for a, b in zip(self.tasks, other.tasks, strict=True)
            )
        }

    def compute(self) -> dict[str, Any]:
        """`{task: value}`."""
        return {
            k: m.compute() for k, m in zip(self.task_names, self.tasks, strict=True)
        }


# CompositionalMetric -----------------------------------------------------------
OPERATORS: dict[str, Callable[..., Array]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "pow": operator.pow,
    "mod": operator.mod,
    "neg": operator.neg,
    "abs": operator.abs,
}
UNARY = ("neg", "abs")


class _Constant(Metric):
    """A stateless operand of a `CompositionalMetric` (a number, or nothing)."""

    def __init__(self, value: float | None = None):
        self.value = value
        super().__init__(name=str(value))

    def init_state(self) -> dict[str, Array]:
        return {}

    def update(self, *args: Any) -> _Constant:
        return self

    def compute(self) -> Any:
        return self.value


class CompositionalMetric(Metric):
    """Arithmetic on metrics: `m1 + m2`, `m1 / m2`, `2 * m`, `abs(m)`, ...

    Built by the operators of `Metric` (`+ - * / // ** %`, unary `-` and
    `abs`), or directly. `update` updates each metric operand (passing each
    only the keyword arguments its `update` accepts); `compute` applies the
    operation to the operands' values. Either side may be a Python number.

    Args:
        op: one of `"add"`, `"sub"`, `"mul"`, `"truediv"`, `"floordiv"`,
            `"pow"`, `"mod"`, `"neg"`, `"abs"`.
        left: a metric or a number.
        right: a metric or a number (None for `neg` and `abs`).
        name: metric name (default e.g. `precision_add_recall`).

    >>> import jax_metrics as jm
    >>> m = 2 * jm.metrics.Mean() - jm.metrics.Max()
    >>> float(m.update(jnp.array([1.0, 2.0, 6.0])).compute())
    0.0
    """

    left = state("metric")
    right = state("metric")

    def __init__(
        self, op: str, left: Any, right: Any = None, *, name: str | None = None
    ):
        if op not in OPERATORS:
            raise ValueError(f"expected `op` in {tuple(OPERATORS)}, received {op!r}")
        if op in UNARY and right is not None:
            raise ValueError(
                f"expected no right operand for {op!r}, received {right!r}"
            )
        if not isinstance(left, Metric) and not isinstance(right, Metric):
            raise TypeError(
                "expected at least one Metric operand, received "
                f"{type(left).__name__} and {type(right).__name__}"
            )
        operands = []
        for operand in (left, right):
            if isinstance(operand, Metric):
                operands.append(operand.reset())
            elif operand is None or isinstance(operand, int | float):
                operands.append(_Constant(operand))
            else:
                raise TypeError(
                    "expected a Metric or a Python number operand, received "
                    f"{type(operand).__name__}: {operand!r}"
                )
        self.op = op
        self.operands = tuple(operands)
        if name is None:
            names = [
                o.name
                for o in operands
                if not (isinstance(o, _Constant) and o.value is None)
            ]
            name = f"{op}_{names[0]}" if op in UNARY else f"{names[0]}_{op}_{names[1]}"
        super().__init__(name=name)

    def init_state(self) -> dict[str, Any]:
        """The reset operands."""
        return {"left": self.operands[0], "right": self.operands[1]}

    def update(self, *args: Any, **kwargs: Any) -> CompositionalMetric:
        """Updates each metric operand with the batch."""
        left, right = (
            m.update(*args, **accepted_kwargs(m, kwargs))
            for m in (self.left, self.right)
        )
        return self.replace(left=left, right=right)

    def compute(self) -> Any:
        """The operation applied to the operands' values."""
        if self.op in UNARY:
            return OPERATORS[self.op](self.left.compute())
        return OPERATORS[self.op](self.left.compute(), self.right.compute())
