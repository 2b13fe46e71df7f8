"""Collections: `Metrics`, `Losses` and `LossesAndMetrics`.

Collections are pytrees like the metrics they hold, so a whole collection is
updated inside one jitted train step, carried through `scan`, merged and
reduced across devices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

import jax
import jax.numpy as jnp
from jax import Array

from jax_metrics import _numerics
from jax_metrics.functional._aggregation import mean_value
from jax_metrics.losses._base import Loss, LossFunctionWrapper
from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._wrappers import update_names

__all__ = ["Losses", "LossesAndMetrics", "Metrics"]


def _named(items: Mapping[str, Any] | Sequence[Any], what: str) -> dict[str, Any]:
    """A dict of named members from a dict, or a list named by `.name`."""
    if isinstance(items, Mapping):
        return dict(items)
    if isinstance(items, Metric | Loss):
        items = [items]
    named: dict[str, Any] = {}
    for item in items:
        name = getattr(item, "name", None) or getattr(item, "__name__", None)
        if name in named:
            raise ValueError(
                f"expected {what} with distinct names, received two named {name!r}; "
                "pass a dict to name them"
            )
        named[name] = item
    return named


def _select(value: Any, output: Any) -> Any:
    if output is None or value is None:
        return value
    if isinstance(value, Mapping | list | tuple):
        return value[output]
    return value


class Metrics(Metric):
    """A collection of metrics updated together; `compute()` gives one dict.

    `update` routes each member only the keyword arguments its `update`
    accepts (`y_true`, `y_pred`, `sample_weight`, or anything else such as
    `values=` for a `Mean`), and raises when an argument is accepted by no
    member, which catches typos. Members whose statistics are interchangeable
    share one state: a member declares it through `statistics_key()` (a key
    built from its explicit statistics configuration), so a precision, recall
    and F1 of one configuration update a single confusion state.

    Args:
        metrics: a dict of metrics by name, or a list named by each `.name`.
        prefix: prepended to every name in `compute()` (e.g. `"val/"`).
        outputs: for multi-output models, `{name: output_key}`: that member
            sees `y_true[key]`, `y_pred[key]` (and `sample_weight[key]` when
            the weight is a dict).
        unweighted: names of members that never receive `sample_weight`
            (Keras' `metrics=` as opposed to `weighted_metrics=`).

    >>> import jax_metrics as jm
    >>> ms = jm.Metrics([jm.metrics.SparseCategoricalAccuracy(), jm.metrics.Mean()])
    >>> ms = ms.update(y_true=jnp.array([1, 0]), y_pred=jnp.array([[0.2, 0.8]] * 2),
    ...                values=jnp.array([1.0, 3.0]))
    >>> {k: float(v) for k, v in ms.compute().items()}
    {'sparse_categorical_accuracy': 0.5, 'mean': 2.0}
    """

    members = state("metric")

    def __init__(
        self,
        metrics: Mapping[str, Metric] | Sequence[Metric],
        *,
        prefix: str = "",
        outputs: Mapping[str, Any] | None = None,
        unweighted: Sequence[str] = (),
    ):
        named = _named(metrics, "metrics")
        for name, metric in named.items():
            if not isinstance(metric, Metric):
                raise TypeError(
                    f"expected jax_metrics Metric instances, received "
                    f"{type(metric).__name__} for {name!r}"
                )
        self.prefix = prefix
        self.outputs = tuple(sorted((outputs or {}).items()))
        self.unweighted = tuple(sorted(unweighted))
        # Group members by explicit statistics identity: the first member of a
        # group owns the state; the others are static views that compute from it.
        views: list[tuple[str, str, Metric]] = []
        keys: dict[Any, str] = {}
        outputs_of = dict(self.outputs)
        for name, metric in named.items():
            key = metric.statistics_key()
            if key is not None:
                key = (key, outputs_of.get(name), name in self.unweighted)
            if key is not None and key in keys:
                views.append((name, keys[key], metric))
                continue
            if key is not None:
                keys[key] = name
            views.append((name, name, metric))
        self.views = tuple(views)
        super().__init__(name="metrics")

    def init_state(self) -> dict[str, Any]:
        """The zero states of the members that own a state."""
        return {
            "members": {
                name: metric.reset()
                for name, owner, metric in self.views
                if owner == name
            }
        }

    # A collection's state is a dict of metrics: merge and reduce member-wise.
    def merge(self, other: Self) -> Self:
        """Merges member-wise."""
        if not self._same_config(other):
            raise ValueError(
                f"expected a Metrics collection with the same members to merge, "
                f"received {other!r}"
            )
        return self.replace(
            members={k: m.merge(other.members[k]) for k, m in self.members.items()}
        )

    def reduce(self, axis_name: Any) -> Self:
        """All-reduces every member over `axis_name`."""
        return self.replace(
            members={k: m.reduce(axis_name) for k, m in self.members.items()}
        )

    def reduce_stacked(self, axis: int = 0) -> Self:
        """Collapses stacked member states."""
        return self.replace(
            members={k: m.reduce_stacked(axis) for k, m in self.members.items()}
        )

    def reset(self) -> Self:
        """Zero state for every member."""
        return self.replace(members={k: m.reset() for k, m in self.members.items()})

    def update(self, *args: Any, **kwargs: Any) -> Self:
        """Routes the batch to every member (see the class docs)."""
        if len(args) > 3:
            raise TypeError(
                "expected at most (y_true, y_pred, sample_weight) positionally, "
                f"received {len(args)} positional arguments"
            )
        kwargs.update(zip(("y_true", "y_pred", "sample_weight"), args, strict=False))
        if not self.members:
            return self
        outputs = dict(self.outputs)
        used: set[str] = set()
        routes = {}
        for name, metric in self.members.items():
            accepted = update_names(metric)
            routed = {}
            for key, value in kwargs.items():
                if accepted is None or key in accepted:
                    if key == "sample_weight" and name in self.unweighted:
                        continue
                    routed[key] = _select(value, outputs.get(name))
                    used.add(key)
            if "sample_weight" in kwargs and name in self.unweighted:
                used.add("sample_weight")
            routes[name] = {k: v for k, v in routed.items() if v is not None}
        # A typo'd argument is named before any member complains of a missing one.
        unknown = sorted(set(kwargs) - used)
        if unknown:
            raise TypeError(
                f"expected arguments accepted by a member's update, received "
                f"{unknown} which no member of {sorted(self.members)} accepts"
            )
        return self.replace(
            members={
                name: metric.update(**routes[name])
                for name, metric in self.members.items()
            }
        )

    def __getitem__(self, name: str) -> Metric:
        """The member `name`, holding its (possibly shared) state."""
        for view_name, owner, metric in self.views:
            if view_name == name:
                if owner == name:
                    return self.members[name]
                return metric.with_statistics(self.members[owner])
        raise KeyError(f"expected one of {self.keys()}, received {name!r}")

    def keys(self) -> list[str]:
        """Member names, in order."""
        return [name for name, _, _ in self.views]

    def compute(self) -> dict[str, Array]:
        """One flat dict `{prefix + name: value}`; dict values as `name/key`."""
        values: dict[str, Array] = {}
        for name in self.keys():
            value = self[name].compute()
            if isinstance(value, Mapping):
                for key, item in value.items():
                    values[f"{self.prefix}{name}/{key}"] = item
            else:
                values[f"{self.prefix}{name}"] = value
        return values

    def compute_logs(self, prefix: str = "") -> dict[str, float]:
        """`compute()` as plain Python floats, with an extra `prefix`."""
        logs = {}
        for key, value in self.compute().items():
            array = jax.device_get(value)
            if jnp.ndim(array) == 0:
                logs[f"{prefix}{key}"] = float(array)
            else:
                for i, x in enumerate(array.reshape(-1)):
                    logs[f"{prefix}{key}/{i}"] = float(x)
        return logs

    def __repr__(self) -> str:
        return f"Metrics({self.keys()}, prefix={self.prefix!r})"


def _batch_size(y_pred: Any) -> int:
    leaves = jax.tree.leaves(y_pred)
    return int(jnp.shape(leaves[0])[0]) if leaves and jnp.ndim(leaves[0]) else 1


class Losses(Metric):
    """A weighted sum of losses, with a running mean of the total and each term.

    `loss(y_true, y_pred, sample_weight)` returns the differentiable total
    `sum_k weight_k * loss_k`; `loss_and_update` also folds the batch's values
    into running means (weighted by batch size, as Keras' loss tracker does);
    `compute()` gives `{"loss": ..., <term>: ...}` (terms only when there are
    several).

    Args:
        losses: a dict of `Loss` (or loss callables) by name, or a list.
        weights: optional `{name: weight}` (or a list in order); default 1.
        outputs: for multi-output models, `{name: output_key}`.

    >>> import jax_metrics as jm
    >>> losses = jm.Losses({"mse": jm.losses.MeanSquaredError(),
    ...                     "mae": jm.losses.MeanAbsoluteError()},
    ...                    weights={"mae": 0.5})
    >>> total, losses = losses.loss_and_update(jnp.zeros((2, 1)), jnp.ones((2, 1)))
    >>> float(total), {k: float(v) for k, v in losses.compute().items()}
    (1.5, {'loss': 1.5, 'mse': 1.0, 'mae': 1.0})
    """

    totals = state("exact_sum")
    counts = state("exact_sum")

    def __init__(
        self,
        losses: Mapping[str, Loss | Callable] | Sequence[Loss | Callable],
        *,
        weights: Mapping[str, float] | Sequence[float] | None = None,
        outputs: Mapping[str, Any] | None = None,
    ):
        named = {
            name: loss if isinstance(loss, Loss) else LossFunctionWrapper(loss)
            for name, loss in _named(losses, "losses").items()
        }
        if not named:
            raise ValueError("expected at least one loss, received none")
        if weights is None:
            weights = {}
        elif not isinstance(weights, Mapping):
            weights = list(weights)
            if len(weights) != len(named):
                raise ValueError(
                    f"expected {len(named)} loss weights, received {len(weights)}"
                )
            weights = dict(zip(named, weights, strict=True))
        unknown = sorted(set(weights) - set(named))
        if unknown:
            raise ValueError(
                f"expected loss weights for {sorted(named)}, received {unknown}"
            )
        self.terms = tuple(named.items())
        self.weights = tuple(float(weights.get(k, 1.0)) for k in named)
        self.outputs = tuple(sorted((outputs or {}).items()))
        super().__init__(name="loss")

    def init_state(self) -> dict[str, Array]:
        """Running totals and counts: the total first, then each term."""
        n = len(self.terms) + 1
        return {
            "totals": _numerics.accumulator((n,)),
            "counts": _numerics.accumulator((n,)),
        }

    def values(self, y_true, y_pred, sample_weight=None) -> tuple[Array, Array]:
        """The total loss and the vector of term values for one batch."""
        outputs = dict(self.outputs)
        terms = []
        for name, loss in self.terms:
            out = outputs.get(name)
            terms.append(
                loss(
                    _select(y_true, out),
                    _select(y_pred, out),
                    _select(sample_weight, out),
                )
            )
        terms = jnp.stack([jnp.asarray(t, jnp.float32) for t in terms])
        total = jnp.sum(terms * jnp.asarray(self.weights, jnp.float32))
        return total, terms

    def loss(self, y_true, y_pred, sample_weight=None) -> Array:
        """The differentiable weighted total for one batch."""
        return self.values(y_true, y_pred, sample_weight)[0]

    def _fold(self, total: Array, terms: Array, batch_size: int) -> Self:
        values = jax.lax.stop_gradient(jnp.concatenate([total[None], terms]))
        size = jnp.full(values.shape, batch_size, jnp.float32)
        return self.replace(
            totals=_numerics.accumulate(self.totals, values * size),
            counts=_numerics.accumulate(self.counts, size),
        )

    def loss_and_update(self, y_true, y_pred, sample_weight=None) -> tuple[Array, Self]:
        """Returns the differentiable total and the updated running means."""
        total, terms = self.values(y_true, y_pred, sample_weight)
        return total, self._fold(total, terms, _batch_size(y_pred))

    def update(self, y_true, y_pred, sample_weight=None) -> Self:
        """Folds one batch's loss values into the running means."""
        return self.loss_and_update(y_true, y_pred, sample_weight)[1]

    def compute(self) -> dict[str, Array]:
        """`{"loss": mean total}` plus each term's mean when there are several."""
        means = mean_value(
            _numerics.accumulator_value(self.totals),
            _numerics.accumulator_value(self.counts),
        )
        values = {"loss": means[0]}
        if len(self.terms) > 1:
            for i, (name, _) in enumerate(self.terms):
                values[name] = means[i + 1]
        return values


class LossesAndMetrics(Metric):
    """Losses and metrics of a model, updated together in the train step.

    `loss, lm = lm.loss_and_update(y_true, y_pred, sample_weight)` returns the
    differentiable total loss and the updated running state (metrics see
    `stop_gradient(y_pred)`); `lm.compute()` gives
    `{"loss": ..., <each loss term>, <each metric>}`. Usually built by
    `jax_metrics.compile(loss=..., metrics=[...])`.

    Args:
        losses: a `Losses` collection (or what `Losses` accepts).
        metrics: a `Metrics` collection (or what `Metrics` accepts), optional.

    >>> import jax_metrics as jm
    >>> lm = jm.LossesAndMetrics(jm.losses.SparseCategoricalCrossentropy(),
    ...                          [jm.metrics.SparseCategoricalAccuracy()])
    >>> y, p = jnp.array([1, 0]), jnp.array([[0.2, 0.8], [0.4, 0.6]])
    >>> loss, lm = lm.loss_and_update(y, p)
    >>> {k: round(float(v), 4) for k, v in lm.compute().items()}
    {'loss': 0.5697, 'sparse_categorical_accuracy': 0.5}
    """

    losses = state("metric")
    metrics = state("metric")

    def __init__(
        self,
        losses: Losses | Loss | Mapping | Sequence,
        metrics: Metrics | Mapping | Sequence | None = None,
    ):
        self._losses = losses if isinstance(losses, Losses) else Losses(losses)
        if metrics is None:
            metrics = []
        self._metrics = metrics if isinstance(metrics, Metrics) else Metrics(metrics)
        super().__init__(name="losses_and_metrics")

    def init_state(self) -> dict[str, Any]:
        """The zero states of the losses and metrics (sizes already built kept)."""
        losses = self.__dict__.get("losses", self._losses)
        metrics = self.__dict__.get("metrics", self._metrics)
        return {"losses": losses.reset(), "metrics": metrics.reset()}

    def loss_and_update(
        self, y_true, y_pred, sample_weight=None, **kwargs: Any
    ) -> tuple[Array, Self]:
        """Returns the differentiable total loss and the updated state."""
        loss, losses = self.losses.loss_and_update(y_true, y_pred, sample_weight)
        y_pred = jax.lax.stop_gradient(y_pred)
        metrics = self.metrics.update(
            y_true=y_true, y_pred=y_pred, sample_weight=sample_weight, **kwargs
        )
        return loss, self.replace(losses=losses, metrics=metrics)

    def update(self, y_true, y_pred, sample_weight=None, **kwargs: Any) -> Self:
        """Folds a batch into the losses' running means and the metrics."""
        return self.loss_and_update(y_true, y_pred, sample_weight, **kwargs)[1]

    def compute(self) -> dict[str, Array]:
        """`{"loss": ..., <terms>, <metrics>}`."""
        return {**self.losses.compute(), **self.metrics.compute()}

    def compute_logs(self, prefix: str = "") -> dict[str, float]:
        """`compute()` as plain Python floats, with `prefix` on every key."""
        logs = {f"{prefix}{k}": float(v) for k, v in self.losses.compute().items()}
        logs.update(self.metrics.compute_logs(prefix))
        return logs
