"""Immutable pytree objects: static configuration apart from array leaves.

`Loss` and `Metric` both derive from `Module`. Everything a constructor sets is
static configuration (part of the tree definition, so it must be hashable),
except the attributes the class declares as leaves with a `Leaf` marker; those
are the pytree children. Objects are frozen once the outermost `__init__`
returns; `replace` builds a modified copy.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

import jax
import numpy as np

from jax_metrics.functional._loss_utils import is_real

__all__ = ["Leaf", "Module", "freeze", "snake_case"]


class Leaf:
    """Class-level marker declaring an array attribute (a pytree child)."""


def snake_case(name: str) -> str:
    """Turns a class name into its snake_case object name.

    `MeanSquaredError` becomes `mean_squared_error`, as Keras names objects.
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def freeze(value: Any) -> Any:
    """Returns a hashable equivalent of a configuration value.

    Lists become tuples, mappings become sorted tuples of items, NumPy-like
    arrays become nested tuples; anything else must already be hashable.
    """
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    if hasattr(value, "tolist") and hasattr(value, "shape"):
        return freeze(value.tolist())
    try:
        hash(value)
    except TypeError as error:
        raise TypeError(
            "expected a hashable configuration value, received "
            f"{type(value).__name__}: {value!r}"
        ) from error
    return value


#: Options that mean the same in every class that has them, checked once when
#: any loss or metric is built (a wrong kind raised later, or not at all: any
#: truthy value passed as a flag).
_FLAG_OPTIONS = frozenset(
    {
        "apply_class_balancing",
        "apply_softmax",
        "from_logits",
        "from_sorted_ids",
        "log_prob",
        "mean",
        "multi_label",
        "raw",
        "remove_nans",
        "sparse_y_pred",
        "sparse_y_true",
        "squared",
        "squeeze_outputs",
        "std",
        "t_test",
    }
)


def _check_shared_options(config: dict[str, Any]) -> None:
    """Raises a `ValueError` naming a shared option of the wrong kind."""

    def fail(name: str, expected: str) -> None:
        raise ValueError(
            f"Invalid value for argument `{name}`: expected {expected}, "
            f"received {name}={config[name]!r}"
        )

    for name in _FLAG_OPTIONS.intersection(config):
        if not isinstance(config[name], bool | np.bool_):
            fail(name, "a bool")
    if "zero_division" in config and not is_real(config["zero_division"]):
        fail("zero_division", "a number")
    k = config.get("k")
    if "k" in config and (
        not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1
    ):
        fail("k", "an int >= 1")
    threshold = config.get("threshold")
    if threshold is not None and not is_real(threshold):
        fail("threshold", "a number or None")
    axis = config.get("axis")
    axes = axis if isinstance(axis, list | tuple) else (axis,)
    if axis is not None and not all(
        isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axes
    ):
        fail("axis", "an int, a sequence of ints or None")
    smoothing = config.get("label_smoothing")
    if "label_smoothing" in config and not (is_real(smoothing) and 0 <= smoothing <= 1):
        fail("label_smoothing", "a number in [0, 1]")


def _arguments_error(cls: type, error: TypeError, kwargs: dict[str, Any]) -> str:
    """`error` from binding a constructor's arguments, naming the class.

    Adds a hint for torchmetrics' options that are spelled differently here.
    """
    message = f"{cls.__name__}: {error}"
    if "task" in kwargs:
        from jax_metrics import metrics

        forms = [
            t + cls.__name__
            for t in ("Binary", "Multiclass", "Multilabel")
            if t + cls.__name__ in metrics.__all__
        ]
        if forms:
            message += (
                f". jax_metrics' {cls.__name__} is Keras' metric, which has no "
                f"`task`; torchmetrics' task forms are {', '.join(forms)}"
            )
    if "validate_args" in kwargs:
        message += (
            ". Input checks are not a per-metric option: wrap the step in "
            "`jax_metrics.checked` (or trace it in `jax_metrics.checking()`)"
        )
    return message


def _record_config(init: Callable) -> Callable:
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self, *args, **kwargs):
        outermost = "_config" not in self.__dict__
        if outermost:
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError as error:
                raise TypeError(_arguments_error(type(self), error, kwargs)) from None
            bound.apply_defaults()
            config = {}
            for key, value in list(bound.arguments.items())[1:]:
                kind = signature.parameters[key].kind
                if kind is inspect.Parameter.VAR_KEYWORD:
                    config.update(value)
                elif kind is not inspect.Parameter.VAR_POSITIONAL:
                    config[key] = value
            _check_shared_options(config)
            object.__setattr__(self, "_config", config)
        init(self, *args, **kwargs)
        if outermost:
            self._freeze()

    return wrapper


# A jitted call flattens its pytree arguments and unflattens its outputs on
# every call, calling these functions once per `Module` node: kept lean.
_new_object = object.__new__
_set_attribute = object.__setattr__


def _values_getter(names: tuple[str, ...]) -> Callable[[dict], tuple]:
    """`attributes -> tuple(attributes[n] for n in names)`, in C."""
    if len(names) > 1:
        return operator.itemgetter(*names)
    if names:
        name = names[0]
        return lambda attributes: (attributes[name],)
    return lambda attributes: ()


class _Static(tuple):
    """The static configuration: sorted `(name, frozen value)` pairs.

    It is the pytree's auxiliary data, so it compares and hashes as the
    tuple it is. `template` holds the attribute dict an unflattened object
    starts from, built once here instead of on every unflatten (a jitted
    call unflattens its outputs on every call).
    """

    template: dict[str, Any]


class Module:
    """Base of immutable pytree objects with static configuration."""

    _leaf_names: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _record_config(cls.__dict__["__init__"])
        names: dict[str, None] = {}
        for klass in reversed(cls.__mro__):
            for key, value in vars(klass).items():
                if isinstance(value, Leaf):
                    names[key] = None
        cls._leaf_names = tuple(names)
        cls._leaf_values = staticmethod(_values_getter(cls._leaf_names))
        jax.tree_util.register_pytree_with_keys(
            cls, cls._tree_flatten_with_keys, cls._tree_unflatten, cls._tree_flatten
        )

    def _freeze(self) -> None:
        static = _Static(
            sorted(
                (key, freeze(value))
                for key, value in self.__dict__.items()
                if key not in self._leaf_names and key != "_static"
            )
        )
        template = dict(static)
        template["_config"] = dict(template["_config"])
        template["_static"] = static
        static.template = template
        object.__setattr__(self, "_static", static)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_static" in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__} is immutable: expected a new object from "
                f"`.replace({name}=...)`, received an assignment to `{name}`"
            )
        object.__setattr__(self, name, value)

    # pytree protocol -------------------------------------------------------
    def _tree_flatten(self):
        return self._leaf_values(self.__dict__), self._static

    def _tree_flatten_with_keys(self):
        children = tuple(
            (jax.tree_util.GetAttrKey(n), self.__dict__[n]) for n in self._leaf_names
        )
        return children, self._static

    @classmethod
    def _tree_unflatten(cls, static, children):
        obj = _new_object(cls)
        attributes = static.template.copy()
        for name, child in zip(cls._leaf_names, children, strict=True):
            attributes[name] = child
        _set_attribute(obj, "__dict__", attributes)
        return obj

    # public helpers ---------------------------------------------------------
    def replace(self, **leaves: Any) -> Self:
        """Returns a copy with some leaves (array attributes) replaced."""
        unknown = set(leaves) - set(self._leaf_names)
        if unknown:
            raise ValueError(
                f"expected leaves of {type(self).__name__} "
                f"{sorted(self._leaf_names)}, received {sorted(unknown)}"
            )
        obj = object.__new__(type(self))
        obj.__dict__.update(self.__dict__)
        obj.__dict__.update(leaves)
        return obj

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments, as Keras' `get_config` does."""
        return dict(self._config)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Self:
        """Builds an object from the output of `get_config`."""
        return cls(**config)

    def _same_config(self, other: Any) -> bool:
        return type(self) is type(other) and self._static == other._static

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._config.items())
        return f"{type(self).__name__}({args})"
