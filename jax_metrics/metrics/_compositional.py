"""Metric arithmetic: `m1 + m2`, `m / 2`, `abs(m)`, ... as a pure pytree.

`CompositionalMetric` holds its operands' states as leaves, so a composed
metric jits, merges, reduces across devices and is saved like any other.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from jax import Array

from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._wrappers import accepted_kwargs

__all__ = ["CompositionalMetric"]


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
