"""Wrappers that keep many copies of a metric's state, all pure pytrees.

* `MetricTracker`: per-epoch history in a fixed-capacity array, best value
  and step;
* `BootStrapper`: confidence intervals from `num_bootstraps` resampled states
  stacked on a leading axis and updated with one `vmap`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.functional._loss_utils import is_real
from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._wrappers import (
    _check_metric,
    _check_positive_int,
    _merge_stacked,
    _stack,
    _value_shape,
    update_names,
)

__all__ = ["BootStrapper", "MetricTracker"]


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


def _check_quantile(quantile: Any) -> float | tuple[float, ...] | None:
    """`quantile` as a float or a tuple of floats in `[0, 1]` (or None)."""
    if quantile is None:
        return None
    scalar = is_real(quantile)
    levels = (quantile,) if scalar else quantile
    sequence = isinstance(levels, Sequence) and not isinstance(levels, str)
    if not (sequence and levels and all(is_real(q) and 0 <= q <= 1 for q in levels)):
        raise ValueError(
            "expected `quantile` as a number or a non-empty sequence of numbers "
            f"in [0, 1], received {quantile!r}"
        )
    return float(quantile) if scalar else tuple(float(q) for q in levels)


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
    at `confidence_level`, plus `quantile` (torchmetrics' option: the values'
    quantiles at `quantile`, over the copies) and `raw` (all values) when
    asked; `mean=False`/`std=False` leave those out, as in torchmetrics.

    Args:
        metric: the metric to bootstrap.
        num_bootstraps: the number of resampled copies.
        sampling_strategy: `"poisson"` or `"multinomial"`.
        confidence_level: the central mass of the `[lower, upper]` interval.
        seed: seed of the default keys.
        mean: return the mean of the bootstrap values.
        std: return their standard deviation.
        quantile: a level or a sequence of levels in `[0, 1]`: also return
            the bootstrap values' quantiles there (`(len(quantile), ...)`
            for a sequence).
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
        mean: bool = True,
        std: bool = True,
        quantile: float | Sequence[float] | None = None,
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
        self.mean, self.std, self.raw = mean, std, raw
        self.quantile = _check_quantile(quantile)
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
            sizes = {jnp.shape(x)[0] if jnp.ndim(x) else None for x in arrays}
            if sample_weight is not None:
                sizes.add(
                    jnp.shape(sample_weight)[0] if jnp.ndim(sample_weight) else None
                )
            if sizes != {n}:
                raise ValueError(
                    "expected every input (and `sample_weight`) to have the same "
                    "number of samples on axis 0 for multinomial resampling, "
                    f"received {sorted(sizes, key=str)}"
                )
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

        result = {}
        if self.mean:
            result["mean"] = over_copies(lambda v: jnp.mean(v, axis=0))
        if self.std:
            result["std"] = over_copies(lambda v: jnp.std(v, axis=0, ddof=1))
        result["lower"] = over_copies(lambda v: jnp.quantile(v, alpha, axis=0))
        result["upper"] = over_copies(lambda v: jnp.quantile(v, 1.0 - alpha, axis=0))
        if self.quantile is not None:
            levels = jnp.asarray(self.quantile, jnp.float32)
            result["quantile"] = over_copies(lambda v: jnp.quantile(v, levels, axis=0))
        if self.raw:
            result["raw"] = values
        return result
