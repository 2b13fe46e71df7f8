"""Private helpers shared by the loss kernels and loss classes."""

from __future__ import annotations

import numbers
from typing import Any

import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.functional._reduction import squeeze_or_expand_to_same_rank

__all__: list[str] = []

#: Keras' `backend.epsilon()`: the fuzz factor used to clip probabilities.
EPSILON = 1e-7


def as_float(x: Any) -> Array:
    """Converts to an array, promoting integers and booleans to float32."""
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(jnp.float32)
    return x


def widen_float(x: Any) -> Any:
    """`x` with a float dtype narrower than float32 (bfloat16, float16) as float32.

    Other dtypes (integer labels, float32, float64) are left as they are.
    """
    dtype = getattr(x, "dtype", None)
    floating = dtype is not None and jnp.issubdtype(dtype, jnp.floating)
    if floating and jnp.dtype(dtype).itemsize < 4:
        return jnp.asarray(x, jnp.float32)
    return x


def convert_pair(y_true: Any, y_pred: Any) -> tuple[Array, Array]:
    """Keras' conversion: `y_pred` to a float array, `y_true` to its dtype."""
    y_pred = as_float(y_pred)
    y_true = jnp.asarray(y_true, y_pred.dtype)
    return y_true, y_pred


def prepare_pair(y_true: Any, y_pred: Any) -> tuple[Array, Array]:
    """Converts as Keras does, then reconciles a trailing singleton axis."""
    y_true, y_pred = convert_pair(y_true, y_pred)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def check_bool(name: str, value: Any) -> bool:
    """Validates a boolean option."""
    if not isinstance(value, bool):
        raise ValueError(
            f"Invalid value for argument `{name}`: expected a bool, "
            f"received {name}={value!r}"
        )
    return value


def check_number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_none: bool = False,
) -> Any:
    """Validates a real option against an (optionally open) interval."""
    if value is None and allow_none:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"Invalid value for argument `{name}`: expected a real number, "
            f"received {name}={value!r}"
        )
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(
            f"Invalid value for argument `{name}`: expected a number in "
            f"{left}{lo}, {hi}{right}, received {name}={value!r}"
        )
    return value


def is_real(value: Any) -> bool:
    """Whether `value` is a real number (Python, NumPy, 0-d JAX; not a bool).

    >>> is_real(0.5), is_real(True), is_real("1")
    (True, False, False)
    """
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, numbers.Real):
        return True
    dtype = getattr(value, "dtype", None)
    return dtype is not None and np.ndim(value) == 0 and np.issubdtype(dtype, np.number)


def check_real(name: str, value: Any, expected: str) -> float:
    """`value` as a float, or a `ValueError` naming `name` and `expected`.

    Anything that is not a real number (None, a string, a bool) raises.

    >>> check_real("threshold", 0.5, "in [0, 1]")
    0.5
    """
    if value is None or isinstance(value, bool | np.bool_ | str | bytes):
        raise ValueError(f"expected `{name}` {expected}, received {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"expected `{name}` {expected}, received {value!r}") from None


def number_tuple(name: str, value: Any, *, integers: bool = False) -> tuple:
    """A sequence of numbers as a tuple of floats (or ints with `integers`).

    Anything else (a scalar, a string, an item that is not a number, or not
    an integer with `integers`) raises a `ValueError` naming `name`.

    >>> number_tuple("thresholds", [0.5, 1])
    (0.5, 1.0)
    """
    kind = numbers.Integral if integers else numbers.Real
    items = None
    if not isinstance(value, str | bytes) and hasattr(value, "__iter__"):
        items = list(value)
    if items is None or any(
        isinstance(v, bool | np.bool_) or not isinstance(v, kind) for v in items
    ):
        expected = "integers" if integers else "numbers"
        raise ValueError(
            f"Invalid value for argument `{name}`: expected a sequence of "
            f"{expected}, received {name}={value!r}"
        )
    if integers:
        return tuple(int(v) for v in items)
    return tuple(float(v) for v in items)


def check_axis_bounds(axis: Any, ndim: int) -> None:
    """Raises a `ValueError` for an `axis` that rank-`ndim` inputs lack.

    `axis` is an int or a tuple of ints; `jnp.mean` would raise `IndexError`.
    """
    items = tuple(axis) if isinstance(axis, list | tuple) else (axis,)
    for a in items:
        if isinstance(a, numbers.Integral) and not -ndim <= a < ndim:
            raise ValueError(
                f"Invalid value for argument `axis`: axis {a} is out of bounds "
                f"for inputs of rank {ndim}"
            )


def check_axis(name: str, value: Any, *, allow_none: bool = False) -> Any:
    """Validates an `axis` option (an int, a tuple of ints, or None)."""
    if value is None and allow_none:
        return value
    items = tuple(value) if isinstance(value, list | tuple) else (value,)
    if not items or any(
        isinstance(v, bool) or not isinstance(v, numbers.Integral) for v in items
    ):
        raise ValueError(
            f"Invalid value for argument `{name}`: expected an int"
            f"{', a tuple of ints or None' if allow_none else ''}, "
            f"received {name}={value!r}"
        )
    return value
