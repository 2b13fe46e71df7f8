"""Correlation statistics: streaming, mergeable moments and correlation values.

Second moments are the sufficient statistics of R2, explained variance,
Pearson's and Lin's (concordance) correlation coefficients. A batch becomes
`Moments` (weighted count, means, centred second moments and the co-moment,
per output), computed in two passes inside the batch; two `Moments` combine
with Chan's parallel formula (`merge_moments`). Every field is a compensated
float32 accumulator (`jax_metrics._numerics`, shape `(2, d)`): the merged
result matches a float64 two-pass computation to float32 rounding, also for
data with a large common offset where naive sums of squares cancel.

Weighted forms use frequency weights: `n = sum_i w_i`,
`mean = sum_i w_i x_i / n`, `m2 = sum_i w_i (x_i - mean)^2`,
`comoment = sum_i w_i (x_i - mean_x)(y_i - mean_y)`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax.numpy as jnp
from jax import Array
from jax.typing import ArrayLike

from jax_metrics import _numerics
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._loss_utils import EPSILON, check_axis_bounds, prepare_pair
from jax_metrics.functional._reduction import align_sample_weight

__all__ = [
    "Moments",
    "concordance_corrcoef",
    "concordance_corrcoef_value",
    "concordance_correlation",
    "merge_moments",
    "moment_statistics",
    "outputs_and_weight",
    "pearson_corrcoef",
    "pearson_corrcoef_value",
    "pearson_correlation",
]


class Moments(NamedTuple):
    """Weighted first and second moments of a pair `(x, y)`, per output.

    Each field is a compensated accumulator of shape `(2, d)` (high and low
    float32 parts; their sum is the value).

    >>> m = moment_statistics(jnp.array([[1.0], [3.0]]), jnp.array([[2.0], [6.0]]))
    >>> m._fields
    ('count', 'mean_x', 'mean_y', 'm2_x', 'm2_y', 'comoment')
    >>> float(m.mean_y.sum()), float(m.comoment.sum())
    (4.0, 4.0)
    """

    count: Array
    mean_x: Array
    mean_y: Array
    m2_x: Array
    m2_y: Array
    comoment: Array


def outputs_and_weight(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    num_outputs: int = 1,
    what: str = "inputs",
) -> tuple[Array, Array, Array]:
    """Brings inputs to `(n, num_outputs)` float32 arrays and aligned weights.

    With `num_outputs == 1`, inputs of shape `(n,)` or `(n, 1)` are accepted;
    otherwise `(n, num_outputs)`. Weights follow the shared rule (a `(n,)`
    weight applies to every output) and are broadcast to the inputs' shape.
    Bad shapes raise `ValueError` at trace time.

    >>> t, p, w = outputs_and_weight(jnp.arange(3.0), jnp.ones(3))
    >>> t.shape, w.shape
    ((3, 1), (3, 1))
    """
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        y_true, y_pred = prepare_pair(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"expected {what} y_true and y_pred of the same shape, received "
            f"{y_true.shape} and {y_pred.shape}"
        )
    shape = y_pred.shape
    if num_outputs == 1 and y_pred.ndim == 1:
        y_true, y_pred = y_true[:, None], y_pred[:, None]
    elif y_pred.ndim != 2 or shape[1] != num_outputs:
        hint = ""
        if y_pred.ndim == 2:
            hint = (
                f"; pass num_outputs={shape[1]} when building the metric (its "
                "state has a fixed size, where Keras sizes it from the first batch)"
            )
        raise ValueError(
            f"expected {what} of shape (batch, {num_outputs}) for "
            f"num_outputs={num_outputs}, received shape {shape}{hint}"
        )
    y_true = y_true.astype(jnp.float32)
    y_pred = y_pred.astype(jnp.float32)
    if sample_weight is None:
        weight = jnp.ones_like(y_pred)
    else:
        _, weight = align_sample_weight(y_pred, sample_weight)
        weight = jnp.broadcast_to(weight, y_pred.shape)
    return y_true, y_pred, weight


def _column_sum(x: Array) -> Array:
    """`sum(x, axis=0)` of a `(n, d)` array.

    A single column is summed as a flat vector: XLA:CPU vectorises that
    reduction, where it reduced an `(n, 1)` product of weights and values
    20x slower (10^6 rows).
    """
    if x.shape[1] == 1:
        return jnp.sum(x.reshape(-1), keepdims=True)
    return jnp.sum(x, axis=0)


def _centre(x: Array, weight: Array, count: Array) -> tuple[Array, Array]:
    """Weighted mean (shifted by the first entry) and deviations."""
    if x.shape[0] == 0:
        shift = jnp.zeros((1, *x.shape[1:]), x.dtype)
    else:
        shift = jnp.where(jnp.isfinite(x[:1]), x[:1], 0.0)
    offset = divide_no_nan(_column_sum(weight * (x - shift)), count)
    mean = shift[0] + offset
    return mean, (x - shift) - offset[None]


def moment_statistics(x: Array, y: Array, weight: Array | None = None) -> Moments:
    """Returns the `Moments` of a batch of pairs `x, y` of shape `(n, d)`.

    Two passes (mean, then centred sums), shifted by the first sample, so a
    large common offset does not cancel.

    Args:
        x: first variable, shape `(n, d)`.
        y: second variable, shape `(n, d)`.
        weight: non-negative weights of shape `(n, d)` (default 1).

    Returns:
        `Moments` with accumulators of shape `(2, d)`.

    >>> m = moment_statistics(jnp.array([[1.0], [3.0]]), jnp.array([[2.0], [6.0]]))
    >>> [float(f.sum()) for f in m]
    [2.0, 2.0, 4.0, 2.0, 8.0, 4.0]
    """
    x = jnp.asarray(x, jnp.float32)
    y = jnp.asarray(y, jnp.float32)
    weight = jnp.ones_like(x) if weight is None else jnp.asarray(weight, jnp.float32)
    count = _column_sum(weight)
    mean_x, dx = _centre(x, weight, count)
    mean_y, dy = _centre(y, weight, count)
    fields = (
        count,
        mean_x,
        mean_y,
        _column_sum(weight * dx * dx),
        _column_sum(weight * dy * dy),
        _column_sum(weight * dx * dy),
    )
    return Moments(*(jnp.stack([f, jnp.zeros_like(f)]) for f in fields))


def _diff(a: Array, b: Array) -> Array:
    """`value(a) - value(b)` for accumulators, without cancelling the parts."""
    return (a[0] - b[0]) + (a[1] - b[1])


def merge_moments(a: Moments, b: Moments) -> Moments:
    """Combines two `Moments` by Chan's parallel formula.

    With `n = n_a + n_b` and `delta = mean_b - mean_a`:
    `mean = mean_a + delta * n_b / n`,
    `m2 = m2_a + m2_b + delta^2 n_a n_b / n` (and the co-moment alike).

    >>> x = jnp.array([[1.0], [2.0], [4.0]])
    >>> whole = moment_statistics(x, x)
    >>> merged = merge_moments(moment_statistics(x[:1], x[:1]),
    ...                        moment_statistics(x[1:], x[1:]))
    >>> float(merged.m2_x.sum()) == float(whole.m2_x.sum())
    True
    """
    n_a = _numerics.accumulator_value(a.count)
    n_b = _numerics.accumulator_value(b.count)
    count = _numerics.merge_accumulators(a.count, b.count)
    n = _numerics.accumulator_value(count)
    share_b = divide_no_nan(n_b, n)
    cross = n_a * share_b
    delta_x = _diff(b.mean_x, a.mean_x)
    delta_y = _diff(b.mean_y, a.mean_y)
    mean_x = _numerics.accumulate(a.mean_x, delta_x * share_b)
    mean_y = _numerics.accumulate(a.mean_y, delta_y * share_b)
    # a zero-count side carries no information, whatever its (zero) means.
    mean_x = jnp.where(n_a == 0, b.mean_x, mean_x)
    mean_y = jnp.where(n_a == 0, b.mean_y, mean_y)

    def second(m_a, m_b, correction):
        return _numerics.accumulate(
            _numerics.merge_accumulators(m_a, m_b), correction * cross
        )

    return Moments(
        count,
        mean_x,
        mean_y,
        second(a.m2_x, b.m2_x, delta_x * delta_x),
        second(a.m2_y, b.m2_y, delta_y * delta_y),
        second(a.comoment, b.comoment, delta_x * delta_y),
    )


def _values(moments: Moments) -> Moments:
    return Moments(*(_numerics.accumulator_value(f) for f in moments))


def pearson_corrcoef_value(moments: Moments) -> Array:
    """Pearson's r from `Moments`: `comoment / sqrt(m2_x m2_y)`, per output.

    Zero variance (or no samples) gives 0 instead of NaN.

    >>> x = jnp.array([[1.0], [2.0], [3.0]])
    >>> pearson_corrcoef_value(moment_statistics(x, -x)).tolist()
    [-1.0]
    """
    m = _values(moments)
    r = divide_no_nan(m.comoment, jnp.sqrt(m.m2_x * m.m2_y))
    return jnp.clip(r, -1.0, 1.0)


def concordance_corrcoef_value(moments: Moments) -> Array:
    """Lin's concordance correlation from `Moments`, per output.

    `2 s_xy / (s_x^2 + s_y^2 + (mean_x - mean_y)^2)` with unbiased (`n - 1`)
    variances and covariance, as torchmetrics; 0 when undefined.

    >>> x = jnp.array([[1.0], [2.0], [3.0]])
    >>> concordance_corrcoef_value(moment_statistics(x, x)).tolist()
    [1.0]
    """
    m = _values(moments)
    dof = m.count - 1.0
    mean_diff = _diff(moments.mean_x, moments.mean_y)
    var_x = divide_no_nan(m.m2_x, dof)
    var_y = divide_no_nan(m.m2_y, dof)
    cov = divide_no_nan(m.comoment, dof)
    return divide_no_nan(2.0 * cov, var_x + var_y + mean_diff * mean_diff)


def pearson_corrcoef(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    num_outputs: int = 1,
) -> Array:
    """Pearson's correlation coefficient across samples (torchmetrics form).

    `r = sum w (t - mean_t)(p - mean_p) / sqrt(sum w (t - mean_t)^2 *
    sum w (p - mean_p)^2)` per output (scalar when `num_outputs == 1`).

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        num_outputs: number of outputs (columns).

    Returns:
        The coefficient; 0 where a variance is zero.

    >>> round(float(pearson_corrcoef(jnp.array([1.0, 2, 3, 4]),
    ...                              jnp.array([1.0, 3, 2, 4]))), 4)
    0.8
    """
    t, p, w = outputs_and_weight(y_true, y_pred, sample_weight, num_outputs=num_outputs)
    value = pearson_corrcoef_value(moment_statistics(t, p, w))
    return value[0] if num_outputs == 1 else value


def concordance_corrcoef(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    num_outputs: int = 1,
) -> Array:
    """Lin's concordance correlation coefficient across samples (torchmetrics).

    `2 cov(t, p) / (var(t) + var(p) + (mean_t - mean_p)^2)`, weighted moments
    as in `pearson_corrcoef`, unbiased (`n - 1`) variances.

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        num_outputs: number of outputs (columns).

    Returns:
        The coefficient; 0 where undefined.

    >>> round(float(concordance_corrcoef(jnp.array([1.0, 2, 3, 4]),
    ...                                  jnp.array([1.0, 3, 2, 4]))), 4)
    0.8
    """
    t, p, w = outputs_and_weight(y_true, y_pred, sample_weight, num_outputs=num_outputs)
    value = concordance_corrcoef_value(moment_statistics(t, p, w))
    return value[0] if num_outputs == 1 else value


def pearson_correlation(y_true: ArrayLike, y_pred: ArrayLike, *, axis=-1) -> Array:
    """Keras' per-sample Pearson correlation along `axis`.

    `mean(z(y_true) * z(y_pred), axis)` with `z` the standardised values
    (population standard deviation). A constant slice gives 0 where Keras
    gives NaN.

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        axis: the axis (or axes) along which the correlation is computed.

    Returns:
        The correlations, `y_pred`'s shape without `axis`.

    >>> y_true = jnp.array([[0.0, 1.0, 0.5], [1.0, 1.0, 0.2]])
    >>> y_pred = jnp.array([[0.1, 0.9, 0.5], [1.0, 0.9, 0.2]])
    >>> pearson_correlation(y_true, y_pred).round(4).tolist()
    [1.0, 0.9934]
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    check_axis_bounds(axis, y_pred.ndim)
    t = y_true - jnp.mean(y_true, axis=axis, keepdims=True)
    p = y_pred - jnp.mean(y_pred, axis=axis, keepdims=True)
    t = divide_no_nan(t, jnp.std(t, axis=axis, keepdims=True))
    p = divide_no_nan(p, jnp.std(p, axis=axis, keepdims=True))
    return jnp.mean(t * p, axis=axis)


def concordance_correlation(y_true: ArrayLike, y_pred: ArrayLike, *, axis=-1) -> Array:
    """Keras' per-sample concordance correlation along `axis`.

    `mean(2 (t - mean_t)(p - mean_p) / (var_t + var_p + (mean_t - mean_p)^2 +
    epsilon), axis)` with population variances and Keras' `epsilon = 1e-7`.

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        axis: the axis (or axes) along which the correlation is computed.

    Returns:
        The correlations, `y_pred`'s shape without `axis`.

    >>> y_true = jnp.array([[0.0, 1.0, 0.5], [1.0, 1.0, 0.2]])
    >>> y_pred = jnp.array([[0.1, 0.9, 0.5], [1.0, 0.9, 0.2]])
    >>> concordance_correlation(y_true, y_pred).round(4).tolist()
    [0.9756, 0.9877]
    """
    y_true, y_pred = prepare_pair(y_true, y_pred)
    check_axis_bounds(axis, y_pred.ndim)
    mean_t = jnp.mean(y_true, axis=axis, keepdims=True)
    mean_p = jnp.mean(y_pred, axis=axis, keepdims=True)
    var_t = jnp.var(y_true, axis=axis, keepdims=True)
    var_p = jnp.var(y_pred, axis=axis, keepdims=True)
    covar = (y_true - mean_t) * (y_pred - mean_p)
    norm = var_t + var_p + jnp.square(mean_t - mean_p)
    return jnp.mean(2.0 * covar / (norm + EPSILON), axis=axis)


def check_one_of(name: str, value: Any, allowed: tuple) -> Any:
    """Raises `ValueError` unless `value` is one of `allowed`.

    >>> check_one_of("variant", "b", ("a", "b", "c"))
    'b'
    """
    if value not in allowed:
        raise ValueError(
            f"Invalid value for argument `{name}`: expected one of {allowed}, "
            f"received {name}={value!r}"
        )
    return value
