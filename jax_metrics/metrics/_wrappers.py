"""Metric wrappers, all pure pytrees.

Every wrapper holds the wrapped metric's state as a leaf, so it jits, merges,
reduces across devices and is saved like any other metric. This module holds
the helpers the wrappers share and the wrappers that split a metric's value or
inputs:

* `ClasswiseWrapper`: a per-class vector as a dict keyed by class label;
* `MultioutputWrapper`: one state per output column, updated with `vmap`;
* `MultitaskWrapper`: one metric per task of a multi-task model.

`CompositionalMetric` (metric arithmetic) lives in `_compositional.py`,
`MetricTracker` and `BootStrapper` in `_tracking.py`, `MinMaxMetric` and
`Running` in `_running.py`, the input transformers in `_transformers.py`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping, Sequence
from typing import Any, Self

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.metrics._base import Metric, state

__all__ = [
    "ClasswiseWrapper",
    "MultioutputWrapper",
    "MultitaskWrapper",
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


def _update_parameters(metric: Metric) -> list[inspect.Parameter]:
    """The parameters of `metric.update` after `self` (its eager form's)."""
    update = type(metric).update
    update = getattr(update, "eager", update)
    return list(inspect.signature(update).parameters.values())[1:]


def update_names(metric: Metric) -> frozenset[str] | None:
    """The keyword names `metric.update` uses; None when it takes any.

    An update that takes `**kwargs` and forwards them to the metrics in its
    state (wrappers, collections) uses what those metrics use, plus its own
    named parameters.
    """
    params = _update_parameters(metric)
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


# MultioutputWrapper -------------------------------------------------------------
def _weight_as_keyword(
    metric: Metric, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Moves a positional `sample_weight` (and what follows) into `kwargs`."""
    names = []
    for param in _update_parameters(metric):
        if param.kind not in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            break
        names.append(param.name)
    if "sample_weight" not in names or len(args) > len(names):
        return args, kwargs
    at = names.index("sample_weight")
    moved = dict(zip(names[at:], args[at:], strict=False))
    return args[:at], {**kwargs, **moved}


def _nan_to_zero(x: Array) -> Array:
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x
    return jnp.where(jnp.isnan(x), 0, x)


def _without_nan_rows(xs: Sequence[Array], kwargs: dict[str, Any]) -> dict[str, Any]:
    """`kwargs` with a `sample_weight` that is 0 on rows holding a NaN in `xs`."""
    rows = [
        jnp.any(jnp.isnan(x), axis=tuple(range(1, x.ndim)))
        for x in xs
        if x.ndim and jnp.issubdtype(x.dtype, jnp.floating)
    ]
    if not rows:
        return kwargs
    keep = (~functools.reduce(jnp.logical_or, rows)).astype(jnp.float32)
    weight = kwargs.get("sample_weight")
    if weight is not None:
        weight = jnp.asarray(weight, jnp.float32)
        keep = keep.reshape(keep.shape + (1,) * (weight.ndim - 1)) * weight
    return {**kwargs, "sample_weight": keep}


class MultioutputWrapper(Metric):
    """One state of a metric per output column, updated with one `vmap`.

    Positional inputs are split along `output_dim` (each must have
    `num_outputs` entries there); keyword inputs such as `sample_weight` are
    shared by every output. `compute()` stacks the values: `(num_outputs,
    ...)`. With `remove_nans` (the default, as in torchmetrics) the rows of
    an output where any of its float inputs is NaN (e.g. a missing target)
    count for nothing in that output: they get weight 0 (and their NaNs a
    0), which keeps the shapes fixed.

    Args:
        metric: the metric applied to each output.
        num_outputs: the number of outputs.
        output_dim: the axis of the outputs in every positional input.
        remove_nans: leave out, per output, the rows holding a NaN.
        squeeze_outputs: each output's inputs lose `output_dim` (`(N, d)`
            columns are `(N,)`); `False` keeps it as a singleton (`(N, 1)`),
            as torchmetrics' option.
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
        remove_nans: bool = True,
        squeeze_outputs: bool = True,
        name: str | None = None,
    ):
        self.base = _check_metric(metric)
        self.num_outputs = _check_positive_int(num_outputs, "num_outputs")
        self.output_dim = int(output_dim)
        self.remove_nans = remove_nans
        self.squeeze_outputs = squeeze_outputs
        super().__init__(name=name or metric.name)

    def init_state(self) -> dict[str, Any]:
        """`num_outputs` reset states stacked on a leading axis."""
        return {"metrics": _stack(self.base, self.num_outputs)}

    def _split(self, x: Any, what: str) -> Array:
        """`x` with its outputs on a leading axis (checked)."""
        x = jnp.asarray(x)
        moved = jnp.moveaxis(x, self.output_dim, 0) if x.ndim else x
        if not x.ndim or moved.shape[0] != self.num_outputs:
            raise ValueError(
                f"expected {self.num_outputs} outputs on axis {self.output_dim} "
                f"of {what}, received shape {x.shape}"
            )
        return moved

    def update(self, *args: Any, **kwargs: Any) -> MultioutputWrapper:
        """Updates each output's state with its slice of the inputs.

        Every input, positional or keyword (as `jm.Metrics` passes them), is
        split along `output_dim`, except `sample_weight`: it is shared by
        every output, unless it has the inputs' rank and `num_outputs`
        entries on `output_dim` (then each output gets its own).
        """
        args, kwargs = _weight_as_keyword(self.base, args, kwargs)
        inputs = {
            k: v
            for k, v in kwargs.items()
            if k != "sample_weight" and v is not None and jnp.ndim(v)
        }
        shared = {k: v for k, v in kwargs.items() if k not in inputs}
        first = args[0] if args else next(iter(inputs.values()), None)
        weight = shared.get("sample_weight")
        own_weight = None
        if (
            weight is not None
            and first is not None
            and jnp.ndim(weight) == jnp.ndim(first) > 1
            and jnp.shape(weight)[self.output_dim] == self.num_outputs
        ):
            own_weight = self._split(weight, "`sample_weight`")
            del shared["sample_weight"]
        split_args = [self._split(x, f"input {i}") for i, x in enumerate(args)]
        split_kwargs = {k: self._split(v, f"`{k}`") for k, v in inputs.items()}

        def one(m, xs, named, own):
            extra = dict(shared)
            if own is not None:
                extra["sample_weight"] = own
            if self.remove_nans:
                extra = _without_nan_rows([*xs, *named.values()], extra)

            def prepare(x):
                if self.remove_nans:
                    x = _nan_to_zero(x)
                if not self.squeeze_outputs:  # keep the output axis, size 1
                    x = jnp.expand_dims(x, self.output_dim % (x.ndim + 1))
                return x

            xs = [prepare(x) for x in xs]
            named = {k: prepare(v) for k, v in named.items()}
            return m.update(*xs, **named, **extra)

        metrics = jax.vmap(one)(self.metrics, split_args, split_kwargs, own_weight)
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
        prefix: prepended to every task's key in `compute()` (e.g. `"val_"`).
        postfix: appended to every task's key.
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

    def __init__(
        self,
        task_metrics: Mapping[str, Metric],
        *,
        prefix: str | None = None,
        postfix: str | None = None,
        name: str = "multitask",
    ):
        for what, value in (("prefix", prefix), ("postfix", postfix)):
            if value is not None and not isinstance(value, str):
                raise ValueError(
                    f"expected `{what}` to be a string or None, received {value!r}"
                )
        self.prefix, self.postfix = prefix, postfix
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
        """`{prefix + task + postfix: value}`."""
        prefix, postfix = self.prefix or "", self.postfix or ""
        return {
            f"{prefix}{k}{postfix}": m.compute()
            for k, m in zip(self.task_names, self.tasks, strict=True)
        }
