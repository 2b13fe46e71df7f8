"""String identifiers, `get` / `serialize` / `deserialize`, and `compile`.

Identifiers are derived from the public classes: each class is found by its
name, its snake_case name and its `aliases` (Keras' `mse`, `mae`, ... and the
PyTorch/TensorFlow names). Losses and metrics have separate namespaces, as in
Keras (`"mse"` is a loss in `loss=` and a metric in `metrics=`).
"""

from __future__ import annotations

import difflib
import functools
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics import losses as losses_module
from jax_metrics import metrics as metrics_module
from jax_metrics._collections import Losses, LossesAndMetrics, Metrics
from jax_metrics._module import Module, snake_case
from jax_metrics.functional import _accuracy
from jax_metrics.losses._base import Loss, LossFunctionWrapper
from jax_metrics.metrics._aggregation import MeanMetricWrapper
from jax_metrics.metrics._base import Metric

__all__ = ["compile", "deserialize", "get", "serialize"]

KINDS = ("loss", "metric")


# Shape-resolved identifiers ("accuracy"/"acc", "crossentropy"/"ce") -----------
def _shape_kind(y_true: Array, y_pred: Array) -> str:
    """Keras' rule: binary, sparse categorical or categorical, from shapes."""
    t_shape, p_shape = jnp.shape(y_true), jnp.shape(y_pred)
    if p_shape[-1:] == (1,):
        return "binary"
    if len(t_shape) < len(p_shape) or (t_shape[-1:] == (1,) and p_shape[-1] > 1):
        return "sparse"
    return "categorical"


def _resolved_accuracy(y_true: Array, y_pred: Array) -> Array:
    kernel = {
        "binary": _accuracy.binary_accuracy,
        "sparse": _accuracy.sparse_categorical_accuracy,
        "categorical": _accuracy.categorical_accuracy,
    }[_shape_kind(y_true, y_pred)]
    return kernel(y_true, y_pred)


def _resolved_crossentropy(y_true: Array, y_pred: Array) -> Array:
    from jax_metrics import functional

    kernel = {
        "binary": functional.binary_crossentropy,
        "sparse": functional.sparse_categorical_crossentropy,
        "categorical": functional.categorical_crossentropy,
    }[_shape_kind(y_true, y_pred)]
    return kernel(y_true, y_pred)


_RESOLVED = {
    "accuracy": _resolved_accuracy,
    "acc": _resolved_accuracy,
    "crossentropy": _resolved_crossentropy,
    "ce": _resolved_crossentropy,
}


class ShapeResolvedMetric(MeanMetricWrapper):
    """`"accuracy"`/`"acc"`/`"crossentropy"`/`"ce"` resolved from input shapes.

    Keras' rule: a last prediction axis of 1 is binary; labels of lower rank
    (or a trailing 1 against several classes) are sparse; otherwise
    categorical. Resolved at trace time, so it costs nothing per step.

    Args:
        identifier: one of `"accuracy"`, `"acc"`, `"crossentropy"`, `"ce"`.
        name: metric name (default: the identifier).
        dtype: dtype of the result.

    >>> m = ShapeResolvedMetric("accuracy")
    >>> y_pred = jnp.array([[0.1, 0.9], [0.2, 0.8]])
    >>> float(m.update(jnp.array([1, 0]), y_pred).compute())
    0.5
    """

    higher_is_better = None

    def __init__(
        self, identifier: str = "accuracy", *, name: str | None = None, dtype=None
    ):
        if identifier.lower() not in _RESOLVED:
            raise ValueError(
                f"expected one of {sorted(_RESOLVED)}, received {identifier!r}"
            )
        super().__init__(
            _RESOLVED[identifier.lower()], name=name or identifier, dtype=dtype
        )


class ShapeResolvedLoss(LossFunctionWrapper):
    """The `"crossentropy"`/`"ce"` loss resolved from input shapes (Keras' rule).

    Args:
        identifier: `"crossentropy"` or `"ce"`.
        reduction: see `Loss`.
        name: loss name (default: the identifier).
        dtype: see `Loss`.

    >>> loss = ShapeResolvedLoss("ce")
    >>> round(float(loss(jnp.array([1]), jnp.array([[0.5, 0.5]]))), 4)
    0.6931
    """

    def __init__(
        self,
        identifier: str = "crossentropy",
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype=None,
    ):
        if identifier.lower() not in ("crossentropy", "ce"):
            raise ValueError(
                f"expected 'crossentropy' or 'ce', received {identifier!r}"
            )
        super().__init__(
            _resolved_crossentropy,
            reduction=reduction,
            name=name or identifier,
            dtype=dtype,
        )

    def call(self, y_true: Array, y_pred: Array) -> Array:
        """Calls the resolved kernel (no rank reconciliation: shapes decide)."""
        return _resolved_crossentropy(y_true, y_pred)


# The catalog ---------------------------------------------------------------------
_EXTRA_CLASSES = (
    Metrics,
    Losses,
    LossesAndMetrics,
    ShapeResolvedMetric,
    ShapeResolvedLoss,
    LossFunctionWrapper,
    MeanMetricWrapper,
)


@functools.cache
def _catalog(kind: str) -> dict[str, type]:
    """Identifier -> class for one kind; raises if two classes claim one."""
    module, base = {
        "loss": (losses_module, Loss),
        "metric": (metrics_module, Metric),
    }[kind]
    table: dict[str, type] = {}
    for export in module.__all__:
        cls = getattr(module, export)
        if not (inspect.isclass(cls) and issubclass(cls, base)) or cls is base:
            continue
        for ident in (cls.__name__, snake_case(cls.__name__), *cls.aliases):
            if table.get(ident, cls) is not cls:
                raise RuntimeError(
                    f"identifier {ident!r} is claimed by both "
                    f"{table[ident].__name__} and {cls.__name__}"
                )
            table[ident] = cls
    return table


@functools.cache
def _folded(kind: str) -> dict[str, type]:
    """Case- and underscore-insensitive identifiers (first claim wins)."""
    folded: dict[str, type] = {}
    for ident, cls in _catalog(kind).items():
        folded.setdefault(ident.lower().replace("_", ""), cls)
    return folded


def identifiers(kind: str) -> list[str]:
    """Every string identifier of one kind (`"loss"` or `"metric"`).

    >>> "mse" in identifiers("loss")
    True
    """
    _check_kind(kind)
    return sorted(_catalog(kind))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"expected kind in {KINDS}, received {kind!r}")


def _lookup(identifier: str, kind: str) -> type:
    table = _catalog(kind)
    if identifier in table:
        return table[identifier]
    folded = _folded(kind).get(identifier.lower().replace("_", ""))
    if folded is not None:
        return folded
    close = difflib.get_close_matches(identifier, list(table), n=3)
    hint = f"; did you mean {close}?" if close else ""
    raise ValueError(
        f"expected a {kind} identifier (a class name, snake_case name or "
        f"alias), received {identifier!r}{hint}"
    )


def get(identifier: Any, kind: str = "metric") -> Loss | Metric | None:
    """Returns a loss or metric object from an identifier.

    Accepts a class name, snake_case name or alias (`"mse"`, `"bce"`, ...), a
    class, an instance, a config dict from `serialize`, or a plain callable
    (wrapped as `LossFunctionWrapper` / `MeanMetricWrapper`).

    Args:
        identifier: what to resolve.
        kind: `"metric"` (default) or `"loss"`.

    >>> import jax_metrics as jm
    >>> jm.get("acc")
    Accuracy(name='accuracy', dtype=None)
    >>> jm.get("mse", kind="loss").name
    'mean_squared_error'
    """
    _check_kind(kind)
    if identifier is None:
        return None
    if isinstance(identifier, Metric):
        if kind == "loss":
            raise TypeError(
                f"expected a loss, received the metric {type(identifier).__name__}"
            )
        return identifier
    if isinstance(identifier, Loss):
        if kind == "loss":
            return identifier
        return MeanMetricWrapper(
            identifier.from_config({**identifier.get_config(), "reduction": "none"}),
            name=identifier.name,
        )
    if isinstance(identifier, str):
        return _lookup(identifier, kind)()
    if isinstance(identifier, Mapping):
        return deserialize(identifier)
    if inspect.isclass(identifier) and issubclass(identifier, Loss | Metric):
        return get(identifier(), kind)
    if callable(identifier):
        if kind == "loss":
            return LossFunctionWrapper(identifier)
        return MeanMetricWrapper(identifier)
    raise TypeError(
        f"expected a {kind} identifier (str, class, instance, config dict or "
        f"callable), received {type(identifier).__name__}: {identifier!r}"
    )


# Serialization -------------------------------------------------------------------
def _serialize_value(value: Any) -> Any:
    if isinstance(value, Module):
        return serialize(value)
    if isinstance(value, Mapping):
        return {k: _serialize_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_serialize_value(v) for v in value]
    if hasattr(value, "tolist") and hasattr(value, "shape"):
        return value.tolist()
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        return {"function": f"{value.__module__}:{value.__qualname__}"}
    return value


def serialize(obj: Module) -> dict[str, Any]:
    """Returns a JSON-friendly config dict of a loss, metric or collection.

    >>> import jax_metrics as jm
    >>> jm.serialize(jm.metrics.BinaryAccuracy(threshold=0.7))["config"]["threshold"]
    0.7
    """
    if not isinstance(obj, Module):
        raise TypeError(
            f"expected a jax_metrics Loss, Metric or collection, received "
            f"{type(obj).__name__}"
        )
    cls = type(obj)
    return {
        "module": cls.__module__,
        "class_name": cls.__name__,
        "config": _serialize_value(obj.get_config()),
    }


def _deserialize_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        if set(value) == {"function"}:
            module, _, qualname = value["function"].partition(":")
            obj = importlib.import_module(module)
            for part in qualname.split("."):
                obj = getattr(obj, part)
            return obj
        if "class_name" in value and "config" in value:
            return deserialize(value)
        return {k: _deserialize_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deserialize_value(v) for v in value]
    return value


def _class_from(config: Mapping[str, Any]) -> type:
    name = config["class_name"]
    for cls in _EXTRA_CLASSES:
        if cls.__name__ == name:
            return cls
    module = config.get("module") or ""
    for kind, package in (
        ("loss", "jax_metrics.losses"),
        ("metric", "jax_metrics.metrics"),
    ):
        cls = _catalog(kind).get(name)
        # A class moved between private modules of its package still loads.
        known = cls is not None and cls.__name__ == name
        if known and (not module or module.startswith(package)):
            return cls
    if "module" in config:
        cls = getattr(importlib.import_module(config["module"]), name, None)
        if inspect.isclass(cls) and issubclass(cls, Module):
            return cls
    raise ValueError(
        f"expected a serialized jax_metrics object, received class_name={name!r}"
    )


def deserialize(config: Mapping[str, Any] | str) -> Module:
    """Rebuilds an object from `serialize`'s output (or an identifier string).

    >>> import jax_metrics as jm
    >>> jm.deserialize(jm.serialize(jm.losses.MeanSquaredError(reduction="sum")))
    MeanSquaredError(reduction='sum', name='mean_squared_error', dtype=None)
    """
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise ValueError(
            f"expected a dict with 'class_name' and 'config', received {config!r}"
        )
    cls = _class_from(config)
    return cls.from_config(_deserialize_value(dict(config.get("config", {}))))


# compile ---------------------------------------------------------------------------
def _loss_object(identifier: Any) -> Loss:
    """Keras' compile rule: a string identifier also names the object."""
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        return ShapeResolvedLoss(identifier)
    if isinstance(identifier, str):
        return _lookup(identifier, "loss")(name=identifier)
    if isinstance(identifier, Callable) and not isinstance(identifier, Module | type):
        return LossFunctionWrapper(identifier)
    return get(identifier, "loss")


def _metric_object(identifier: Any) -> Metric:
    if isinstance(identifier, str) and identifier.lower() in _RESOLVED:
        return ShapeResolvedMetric(identifier)
    if isinstance(identifier, str):
        return _lookup(identifier, "metric")(name=identifier)
    return get(identifier, "metric")


def _per_output(spec: Any) -> dict[Any, Any] | None:
    """`{output: spec}` for dict/list specs of multi-output models, else None."""
    if isinstance(spec, Mapping) and not {"class_name", "config"} <= set(spec):
        return dict(spec)
    return None


def _as_list(spec: Any) -> list[Any]:
    if spec is None:
        return []
    if isinstance(spec, list | tuple):
        return list(spec)
    return [spec]


def _log_name(name: str, output: Any, weighted: bool, counters: dict[str, int]) -> str:
    """A compiled metric's log key, Keras' rule for repeated names.

    `"{output}_{name}"` per output; a repeated name gets `_1`, `_2`, ...,
    except that a weighted metric repeating a name first becomes
    `"weighted_{name}"` (`"{output}_weighted_{name}"`).
    """
    prefix = "" if output is None else f"{output}_"
    key = prefix + name
    if key in counters and weighted:
        key = f"{prefix}weighted_{name}"
    if key not in counters:
        counters[key] = 1
        return key
    counters[key] += 1
    return f"{key}_{counters[key] - 1}"


def compile(
    loss: Any = None,
    metrics: Any = None,
    loss_weights: Any = None,
    weighted_metrics: Any = None,
) -> LossesAndMetrics:
    """Builds a `LossesAndMetrics` from Keras-style `compile` arguments.

    Args:
        loss: an identifier, `Loss`, callable or config dict; or a dict keyed
            by output name for multi-output models (`y_true`/`y_pred` are
            then dicts); `"crossentropy"`/`"ce"` resolve from shapes.
        metrics: a list of metric identifiers (never given `sample_weight`),
            or a dict `{output: list}`; `"accuracy"`/`"acc"` resolve from
            shapes, as in Keras.
        loss_weights: a float, or a dict `{output: weight}`.
        weighted_metrics: like `metrics`, but given `sample_weight`.

    >>> import jax_metrics as jm
    >>> lm = jm.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    >>> loss, lm = lm.loss_and_update(jnp.array([1]), jnp.array([[0.3, 0.7]]))
    >>> {k: round(float(v), 4) for k, v in lm.compute().items()}
    {'loss': 0.3567, 'accuracy': 1.0}
    """
    if loss is None:
        raise ValueError("expected a `loss`, received None")
    if isinstance(loss, list | tuple):
        raise ValueError(
            "expected one loss, or a dict keyed by output name for a "
            f"multi-output model, received a {type(loss).__name__}: {loss!r} "
            "(return the outputs as a dict and key the losses by output)"
        )
    terms: dict[str, Loss] = {}
    weights: dict[str, float] = {}
    loss_outputs: dict[str, Any] = {}
    per_output = _per_output(loss)
    if per_output is not None:
        if loss_weights is not None and not isinstance(loss_weights, Mapping):
            raise ValueError(
                "expected `loss_weights` as a dict keyed by output for a dict "
                f"`loss`, received {loss_weights!r}"
            )
        for output, spec in per_output.items():
            name = f"{output}_loss"
            terms[name] = _loss_object(spec)
            loss_outputs[name] = output
            if loss_weights and output in loss_weights:
                weights[name] = float(loss_weights[output])
    else:
        obj = _loss_object(loss)
        terms[obj.name] = obj
        if loss_weights is not None:
            if isinstance(loss_weights, Mapping):
                raise ValueError(
                    "expected a float `loss_weights` for a single loss, "
                    f"received {loss_weights!r}"
                )
            weights[obj.name] = float(loss_weights)

    members: dict[str, Metric] = {}
    outputs: dict[str, Any] = {}
    unweighted: list[str] = []
    counters: dict[str, int] = {}
    for spec, weighted in ((metrics, False), (weighted_metrics, True)):
        groups = _per_output(spec)
        groups = {None: spec} if groups is None else groups
        for output, items in groups.items():
            for item in _as_list(items):
                metric = _metric_object(item)
                name = _log_name(metric.name, output, weighted, counters)
                if name in members:
                    raise ValueError(
                        f"expected distinct metric names, received {name!r} twice"
                    )
                members[name] = metric
                if output is not None:
                    outputs[name] = output
                if not weighted:
                    unweighted.append(name)
    return LossesAndMetrics(
        Losses(terms, weights=weights, outputs=loss_outputs),
        Metrics(members, outputs=outputs, unweighted=unweighted),
    )
