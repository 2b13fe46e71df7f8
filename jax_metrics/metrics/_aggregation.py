"""Aggregation metrics: `Mean`, `Sum`, `Min`, `Max`, `MeanMetricWrapper`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import jax.numpy as jnp
from jax import Array

from jax_metrics import _numerics
from jax_metrics._chunking import in_row_chunks
from jax_metrics.functional import _aggregation as F
from jax_metrics.functional._loss_utils import widen_float
from jax_metrics.metrics._base import Metric, state

__all__ = ["Max", "Mean", "MeanMetricWrapper", "Min", "Sum"]


class Mean(Metric):
    """The running (weighted) mean of values.

    `mean = sum_i w_i v_i / sum_i w_i`; values with more axes than the weight
    are first averaged per sample (Keras' rule). Totals and counts are exact
    compensated sums: counts stay exact past 2^31 samples. Empty: 0.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.Mean().update(jnp.array([1.0, 2.0, 3.0]))
    >>> float(m.compute())
    2.0
    """

    total = state("exact_sum")
    count = state("exact_sum")

    def __init__(self, *, name: str | None = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """Zero total and count."""
        return {"total": _numerics.accumulator(), "count": _numerics.accumulator()}

    def update(self, values, sample_weight=None) -> Mean:
        """Folds a batch of values (and optional weights) into the state."""
        total, count = F.mean_statistics(values, sample_weight)
        return self.replace(
            total=_numerics.accumulate(self.total, total),
            count=_numerics.accumulate(self.count, count),
        )

    def compute(self) -> Array:
        """The mean so far (0 when empty)."""
        total = _numerics.accumulator_value(self.total)
        count = _numerics.accumulator_value(self.count)
        return F.mean_value(total, count).astype(self.dtype)


class Sum(Metric):
    """The running (weighted) sum of values, kept as an exact compensated sum.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.Sum().update(jnp.array([1.0, 2.0]), sample_weight=[1.0, 3.0])
    >>> float(m.compute())
    7.0
    """

    total = state("exact_sum")

    def __init__(self, *, name: str | None = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """Zero total."""
        return {"total": _numerics.accumulator()}

    def update(self, values, sample_weight=None) -> Sum:
        """Adds a batch's weighted total."""
        total = F.sum_statistics(values, sample_weight)
        return self.replace(total=_numerics.accumulate(self.total, total))

    def compute(self) -> Array:
        """The sum so far."""
        return _numerics.accumulator_value(self.total).astype(self.dtype)


class Min(Metric):
    """The smallest value seen with a positive weight; `+inf` when empty.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> float(jm.metrics.Min().update(jnp.array([3.0, -1.0])).compute())
    -1.0
    """

    value = state("min")

    def __init__(self, *, name: str | None = "min", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """`+inf`, the identity of `min`."""
        return {"value": jnp.asarray(jnp.inf, jnp.float32)}

    def update(self, values, sample_weight=None) -> Min:
        """Folds a batch's minimum into the state."""
        batch = F.min_statistics(values, sample_weight)
        return self.replace(value=jnp.minimum(self.value, batch))

    def compute(self) -> Array:
        """The minimum so far."""
        return self.value.astype(self.dtype)


class Max(Metric):
    """The largest value seen with a positive weight; `-inf` when empty.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> float(jm.metrics.Max().update(jnp.array([3.0, -1.0])).compute())
    3.0
    """

    value = state("max")

    def __init__(self, *, name: str | None = "max", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def init_state(self) -> dict[str, Array]:
        """`-inf`, the identity of `max`."""
        return {"value": jnp.asarray(-jnp.inf, jnp.float32)}

    def update(self, values, sample_weight=None) -> Max:
        """Folds a batch's maximum into the state."""
        batch = F.max_statistics(values, sample_weight)
        return self.replace(value=jnp.maximum(self.value, batch))

    def compute(self) -> Array:
        """The maximum so far."""
        return self.value.astype(self.dtype)


class MeanMetricWrapper(Mean):
    """The running mean of a per-sample kernel `fn(y_true, y_pred, **options)`.

    Args:
        fn: a kernel returning per-sample (or per-entry) values.
        name: metric name (default: the function's name).
        dtype: dtype of the result.
        **options: keyword options passed to `fn`.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MeanMetricWrapper(jm.functional.accuracy)
    >>> float(m.update(jnp.array([1, 2]), jnp.array([1, 3])).compute())
    0.5
    """

    def __init__(
        self,
        fn: Callable[..., Array],
        *,
        name: str | None = None,
        dtype: Any = None,
        **options: Any,
    ):
        self.fn = fn
        self.options = tuple(sorted(options.items()))
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)

    # Kernels computed row by row (no batch-wide rule such as the hinge label
    # test) whose comparisons or clamps XLA:CPU writes out as a batch-sized
    # temporary set this, where measured faster: large CPU batches then
    # update over row chunks, whose temporaries stay small. (Chunks slow
    # kernels that are already one vectorised reduction, e.g. squared error.)
    _row_chunks: ClassVar[bool] = False

    def update(self, y_true, y_pred, sample_weight=None) -> MeanMetricWrapper:
        """Averages `fn(y_true, y_pred)` into the state.

        bfloat16/float16 inputs are widened to float32 before `fn` runs, as
        the loss classes do: the per-sample values are float32 arithmetic.
        """
        if self._row_chunks:
            return in_row_chunks(
                type(self)._update_rows, self, y_true, y_pred, sample_weight
            )
        return self._update_rows(y_true, y_pred, sample_weight)

    def _update_rows(self, y_true, y_pred, sample_weight) -> MeanMetricWrapper:
        y_true, y_pred = widen_float(y_true), widen_float(y_pred)
        values = self.fn(y_true, y_pred, **dict(self.options))
        return super().update(values, sample_weight)
