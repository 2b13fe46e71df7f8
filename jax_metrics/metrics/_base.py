"""The `Metric` base class: an immutable pytree of static config and state.

A metric declares each state leaf with `state(rule)`, where the rule says how
two states combine:

* `"sum"`: plain addition (integer counts, arrays that need no compensation);
* `"exact_sum"`: a compensated float32 accumulator (`jax_metrics._numerics`),
  for counts and running sums that must stay exact over long runs;
* `"min"` / `"max"`: element-wise extrema;
* `"metric"`: the leaf is itself a `Metric` (wrappers, collections); it merges,
  reduces and collapses by its own rules;
* `"custom"`: the metric overrides `_merge_custom` (e.g. Chan's merge of
  variances, or fixed-capacity sample buffers).

`merge`, `reduce(axis_name)` and `reduce_stacked` derive from the rules; no
metric writes them.
"""

from __future__ import annotations

import contextlib
import functools
import numbers
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array, lax

from jax_metrics import _checks, _numerics
from jax_metrics._module import Leaf, Module, snake_case

__all__ = ["Metric", "state"]

RULES = ("sum", "exact_sum", "min", "max", "metric", "custom")


class StateSpec(Leaf):
    """Declares a state leaf and its combine rule."""

    def __init__(self, rule: str):
        if rule not in RULES:
            raise ValueError(f"expected a rule in {RULES}, received {rule!r}")
        self.rule = rule

    def __repr__(self) -> str:
        return f"state({self.rule!r})"


def state(rule: str = "sum") -> Any:
    """Declares a metric state leaf combined by `rule`.

    Rules: `"sum"`, `"exact_sum"` (compensated accumulator), `"min"`, `"max"`,
    `"metric"` (a nested metric) or `"custom"` (see `Metric._merge_custom`).

    >>> class Count(jm.Metric):
    ...     n = state("sum")
    ...     def init_state(self):
    ...         return {"n": jnp.zeros((), jnp.int32)}
    ...     def update(self, values):
    ...         return self.replace(n=self.n + jnp.size(values))
    ...     def compute(self):
    ...         return self.n
    >>> int(Count().update(jnp.ones(3)).merge(Count().update(jnp.ones(2))).compute())
    5
    """
    return StateSpec(rule)


def statistic_view(index: int, doc: str) -> property:
    """A read-only attribute: row `index` of the metric's `_counts()`.

    Keeps Keras' variable names (`true_positives`, ...) readable on metrics
    whose state packs several statistics into one leaf.
    """
    return property(lambda self: self._counts()[index], doc=doc)


def _combine(rule: str, a: Array, b: Array) -> Array:
    if rule != "metric" and jnp.shape(a) != jnp.shape(b):
        # A state sized by its first batch (Keras' lazy build) is empty until
        # then, and an empty state merges as nothing.
        if jnp.size(a) == 0:
            return b
        if jnp.size(b) == 0:
            return a
    if rule == "sum":
        return a + b
    if rule == "exact_sum":
        return _numerics.merge_accumulators(a, b)
    if rule == "min":
        return jnp.minimum(a, b)
    if rule == "metric":
        return a.merge(b)
    return jnp.maximum(a, b)


def _collapse(rule: str, stacked: Array, axis: int) -> Array:
    if rule == "metric":
        return stacked.reduce_stacked(axis)
    if rule == "sum":
        return jnp.sum(stacked, axis=axis)
    if rule == "min":
        return jnp.min(stacked, axis=axis)
    if rule == "max":
        return jnp.max(stacked, axis=axis)
    parts = [
        lax.index_in_dim(stacked, i, axis, keepdims=False)
        for i in range(stacked.shape[axis])
    ]
    return functools.reduce(_numerics.merge_accumulators, parts)


class Metric(Module):
    """Base class of stateful metrics.

    Lifecycle (all pure, each returning a new object)::

        m = Metric(...)                      # zero state, ready to update
        m = m.update(y_true, y_pred, sample_weight=None)
        value = m.compute()
        m = m.merge(other)                   # combine two states
        m = m.reduce("devices")              # all-reduce inside shard_map/pmap
        batch_value, m = m(y_true, y_pred)   # one update of work
        m = m.reset()

    Subclasses set their configuration, call `super().__init__(name=..., dtype=...)`
    (which builds the zero state from `init_state`), and implement `update`
    and `compute`.

    Args:
        name: the metric name (default: snake_case class name).
        dtype: the dtype of the computed value (state accumulates in float32
            or wider whatever the input dtype).

    >>> m = jm.metrics.Mean()
    >>> value, m = m(jnp.array([1.0, 2.0]))
    >>> float(value), float(m.update(jnp.array([6.0])).compute())
    (1.5, 3.0)
    """

    higher_is_better: ClassVar[bool | None] = None
    is_differentiable: ClassVar[bool] = False
    aliases: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "update" in cls.__dict__:
            cls.update = _jit_when_eager(cls.__dict__["update"])

    def __init__(self, *, name: str | None = None, dtype: Any = None):
        self.name = name or snake_case(type(self).__name__)
        self.dtype = jnp.dtype(dtype or jnp.float32).name
        for key, value in self.init_state().items():
            object.__setattr__(self, key, value)

    # to implement ------------------------------------------------------------
    def init_state(self) -> dict[str, Array]:
        """Returns the zero state: one array per declared leaf."""
        raise NotImplementedError

    def update(self, y_true, y_pred, sample_weight=None) -> Self:
        """Returns the metric with a batch folded into its state."""
        raise NotImplementedError

    def compute(self) -> Array | dict[str, Array]:
        """Returns the metric value from the state."""
        raise NotImplementedError

    def _merge_custom(self, other: Self) -> dict[str, Array]:
        raise NotImplementedError(
            f"{type(self).__name__} declares custom state rules and must "
            "implement `_merge_custom`"
        )

    # derived -----------------------------------------------------------------
    @classmethod
    def _rules(cls) -> dict[str, str]:
        return _rules_of(cls)

    @property
    def state_dict(self) -> dict[str, Array]:
        """The state leaves by name."""
        return {name: self.__dict__[name] for name in self._leaf_names}

    def init(self, *sample_inputs: Any, **sample_kwargs: Any) -> Self:
        """Returns the metric with a fresh zero state.

        Given a sample batch (the arguments of `update`), a state sized by
        its first batch (`F1Score` without `num_classes`, multi-label `AUC`
        without `num_labels`, as Keras builds lazily) is sized from it, so
        the state has its final shapes before a `lax.scan` or a jitted loop.
        The sample is only traced (`jax.eval_shape`), not computed.
        """
        if not sample_inputs and not sample_kwargs:
            return self.reset()
        sized = jax.eval_shape(
            lambda m: m.update(*sample_inputs, **sample_kwargs), self.reset()
        )
        return sized.reset()

    def reset(self) -> Self:
        """Returns the metric with its zero state (same shapes as `init`)."""
        return self.replace(**self.init_state())

    def merge(self, other: Self) -> Self:
        """Combines two states of the same metric configuration."""
        if not self._same_config(other):
            raise ValueError(
                f"expected a {type(self).__name__} with the same configuration "
                f"to merge, received {other!r}"
            )
        rules = self._rules()
        merged = {}
        if "custom" in rules.values():
            merged.update(self._merge_custom(other))
        for name, rule in rules.items():
            if rule != "custom":
                merged[name] = _combine(rule, self.__dict__[name], other.__dict__[name])
        return self.replace(**merged)

    def reduce_stacked(self, axis: int = 0) -> Self:
        """Collapses a state stacked along `axis` (from `vmap` or `pmap`)."""
        rules = self._rules()
        if "custom" in rules.values():
            size = jax.tree.leaves(self)[0].shape[axis]
            parts = [
                jax.tree.map(lambda x, i=i: lax.index_in_dim(x, i, axis, False), self)
                for i in range(size)
            ]
            return functools.reduce(lambda a, b: a.merge(b), parts)
        return self.replace(
            **{
                name: _collapse(rule, self.__dict__[name], axis)
                for name, rule in rules.items()
            }
        )

    def reduce(self, axis_name: Any) -> Self:
        """All-reduces the state over a named axis (inside shard_map or pmap)."""
        rules = self._rules()
        if "custom" in rules.values():
            gathered = jax.tree.map(lambda x: _gather(x, axis_name), self)
            return gathered.reduce_stacked(0)
        reduced = {}
        for name, rule in rules.items():
            value = self.__dict__[name]
            if rule == "sum":
                reduced[name] = lax.psum(value, axis_name)
            elif rule == "min":
                reduced[name] = lax.pmin(value, axis_name)
            elif rule == "max":
                reduced[name] = lax.pmax(value, axis_name)
            elif rule == "metric":
                reduced[name] = value.reduce(axis_name)
            else:
                reduced[name] = _collapse(rule, _gather(value, axis_name), 0)
        return self.replace(**reduced)

    def statistics_key(self) -> Any:
        """Identity of this metric's statistics, for sharing in a collection.

        `None` (the default) never shares. Metrics whose state leaves are
        interchangeable (same names, shapes and update) return equal keys,
        built from the statistics kind and its explicit configuration; a
        `Metrics` collection then updates one state for all of them.
        """
        return None

    def with_statistics(self, owner: Metric) -> Self:
        """This metric holding `owner`'s (interchangeable) statistics state."""
        return self.replace(**owner.state_dict)

    def compute_logs(self, prefix: str = "") -> dict[str, float]:
        """`compute()` as plain Python floats keyed by name, for logging.

        A dict-valued metric gives one entry per key (`name/key`); an array
        value gives one entry per element (`name/i`).
        """
        return _to_logs(f"{prefix}{self.name}", self.compute())

    # arithmetic: `m1 + m2`, `m / 2`, ... build a CompositionalMetric -------
    def _compose(self, op: str, other: Any = None, reverse: bool = False):
        from jax_metrics.metrics._compositional import CompositionalMetric

        if reverse:
            return CompositionalMetric(op, other, self)
        return CompositionalMetric(op, self, other)

    def __add__(self, other):
        return self._compose("add", other)

    def __radd__(self, other):
        return self._compose("add", other, reverse=True)

    def __sub__(self, other):
        return self._compose("sub", other)

    def __rsub__(self, other):
        return self._compose("sub", other, reverse=True)

    def __mul__(self, other):
        return self._compose("mul", other)

    def __rmul__(self, other):
        return self._compose("mul", other, reverse=True)

    def __truediv__(self, other):
        return self._compose("truediv", other)

    def __rtruediv__(self, other):
        return self._compose("truediv", other, reverse=True)

    def __floordiv__(self, other):
        return self._compose("floordiv", other)

    def __pow__(self, other):
        return self._compose("pow", other)

    def __mod__(self, other):
        return self._compose("mod", other)

    def __neg__(self):
        return self._compose("neg")

    def __abs__(self):
        return self._compose("abs")

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[Any, Self]:
        """Updates with a batch; returns `(batch_value, accumulated_metric)`.

        The batch is folded into a fresh state once, its value computed, and
        that state merged into the accumulated one: one update of work.
        """
        batch = self.reset().update(*args, **kwargs)
        return batch.compute(), self.merge(batch)


def _gather(x: Array, axis_name: Any) -> Array:
    """Stacks every device's `x` along a new leading axis, identically on all.

    A `psum` of one-hot placed copies: exact (each slot adds zeros to one
    value) and, unlike `all_gather`, typed as replicated over the axis, so
    `shard_map(..., out_specs=P())` accepts the reduced state.
    """
    x = jnp.asarray(x)
    slots = jnp.zeros((lax.axis_size(axis_name), *x.shape), x.dtype)
    return lax.psum(slots.at[lax.axis_index(axis_name)].set(x), axis_name)


def _explicit_mesh(leaves) -> Any:
    """The mesh of a traced input sharded over an `Explicit` mesh axis, or None."""
    explicit = jax.sharding.AxisType.Explicit
    for leaf in leaves:
        if not isinstance(leaf, jax.core.Tracer):
            continue
        sharding = getattr(jax.typeof(leaf), "sharding", None)
        mesh = getattr(sharding, "mesh", None)
        if mesh is None or explicit not in tuple(getattr(mesh, "axis_types", ())):
            continue
        if any(axis is not None for axis in sharding.spec):
            return mesh
    return None


def _update_in_auto_axes(update, mesh, self, args, kwargs):
    """`update` with the mesh's explicit axes switched to automatic sharding.

    Statistics kernels (scatters into bins, gathers, sorts, cumulative sums)
    have no sharding rule under explicit axes; the state is small and
    replicated, so XLA partitions the update as it does under `Auto` axes.
    """
    auto = jax.sharding.auto_axes(
        lambda s, a, k: update(s, *a, **k), out_sharding=jax.sharding.PartitionSpec()
    )
    with contextlib.ExitStack() as stack:
        if jax.sharding.get_abstract_mesh().empty:
            stack.enter_context(jax.sharding.use_abstract_mesh(mesh))
        return auto(self, args, kwargs)


def _only_numbers(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(_only_numbers(v) for v in value)
    return isinstance(value, numbers.Number | np.generic)


def _numbers_as_array(value: Any) -> Any:
    """A (nested) list or tuple of Python numbers as one NumPy array.

    `jax.jit` would trace every number as its own scalar argument, and the
    update would compile again for every length.
    """
    if isinstance(value, list | tuple) and value and _only_numbers(value):
        return np.asarray(value)
    return value


def _jit_when_eager(update):
    """Runs `update` through a cached `jax.jit` when called outside a trace.

    Eager calls then cost one compiled dispatch instead of one dispatch per
    operation; inside a user's `jit`/`vmap`/`scan` the method runs as is.
    The configuration is part of the tree definition, so each configuration
    compiles once per input shape. In checked mode (`jax_metrics.checking`)
    the update also traces its value checks; eager calls then run a separate
    checkified compilation that raises a failed check.
    """
    jitted = jax.jit(update)
    checked_jitted = None

    def checked_update(self, *args, **kwargs):
        with _checks.metric_scope(self.name):
            new = update(self, *args, **kwargs)
            _checks.state_check(self, new)
        return new

    @functools.wraps(update)
    def wrapper(self, *args, **kwargs):
        nonlocal checked_jitted
        if any(isinstance(a, list | tuple) for a in (*args, *kwargs.values())):
            args = tuple(_numbers_as_array(a) for a in args)
            kwargs = {k: _numbers_as_array(v) for k, v in kwargs.items()}
        leaves = jax.tree.leaves((self, args, kwargs))
        checking = _checks.enabled()
        if any(isinstance(leaf, jax.core.Tracer) for leaf in leaves):
            traced = checked_update if checking else update
            mesh = _explicit_mesh(leaves)
            if mesh is not None:
                return _update_in_auto_axes(traced, mesh, self, args, kwargs)
            return traced(self, *args, **kwargs)
        if checking:
            if checked_jitted is None:
                checked_jitted = _checks.compile_checked(checked_update)
            return checked_jitted(self, *args, **kwargs)
        return jitted(self, *args, **kwargs)

    wrapper.eager = update
    return wrapper


def _to_logs(name: str, value: Any) -> dict[str, float]:
    if isinstance(value, Mapping):
        logs = {}
        for key, item in value.items():
            logs.update(_to_logs(f"{name}/{key}", item))
        return logs
    array = jax.device_get(value)
    if jnp.ndim(array) == 0:
        return {name: float(array)}
    return {f"{name}/{i}": float(x) for i, x in enumerate(array.reshape(-1))}


@functools.cache
def _rules_of(cls: type) -> dict[str, str]:
    rules = {}
    for name in cls._leaf_names:
        spec = next(
            vars(k)[name] for k in cls.__mro__ if isinstance(vars(k).get(name), Leaf)
        )
        rules[name] = spec.rule
    return rules
