"""Rank correlations: Spearman's rho and Kendall's tau with its p-value.

Both need every sample, so the metric classes keep the pairs in a
fixed-capacity buffer and these kernels work on buffered columns `(n, d)`
with per-row weights (weight 0: an empty or ignored row). Spearman's rho is
Pearson's r (`jax_metrics.functional._correlation`) of weighted mid-ranks;
Kendall's tau weighs each pair of rows by `w_i w_j`, in torchmetrics'
variants `a`, `b` and `c`, with the normal-approximation p-value.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import Array
from jax.typing import ArrayLike

from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._correlation import (
    check_one_of,
    moment_statistics,
    outputs_and_weight,
    pearson_corrcoef_value,
)

__all__ = [
    "kendall_rank_corrcoef",
    "kendall_rank_corrcoef_p_value",
    "kendall_rank_corrcoef_value",
    "spearman_corrcoef",
    "spearman_corrcoef_value",
]


KENDALL_VARIANTS = ("a", "b", "c")


KENDALL_ALTERNATIVES = ("two-sided", "less", "greater")


def check_kendall_alternative(alternative: str) -> str:
    """Raises `ValueError` unless `alternative` names a hypothesis test.

    >>> check_kendall_alternative("less")
    'less'
    """
    return check_one_of("alternative", alternative, KENDALL_ALTERNATIVES)


def check_kendall_variant(variant: str) -> str:
    """Raises `ValueError` unless `variant` is `"a"`, `"b"` or `"c"`.

    >>> check_kendall_variant("c")
    'c'
    """
    return check_one_of("variant", variant, KENDALL_VARIANTS)


def _mid_ranks(x: Array, weight: Array) -> Array:
    """1-based weighted mid-ranks of the columns of `x` (n, d).

    A row of weight `w` holds `w` rank positions and tied rows share the
    mean of theirs: `rank_i = W(x < x_i) + (W(x == x_i) + 1) / 2`, with `W`
    the weight of the rows meeting the condition, so integer weights give
    the ranks of the repeated rows. Rows of weight 0 take no position (and
    rank 0).
    """
    valid = weight > 0
    keys = jnp.where(valid, x, jnp.inf)
    order = jnp.argsort(keys, axis=0)
    ordered = jnp.take_along_axis(keys, order, axis=0)
    held = jnp.take_along_axis(jnp.where(valid, weight, 0.0), order, axis=0)
    cumulative = jnp.concatenate(
        [jnp.zeros_like(held[:1]), jnp.cumsum(held, axis=0)], axis=0
    )

    def column(a, c, v):
        below = c[jnp.searchsorted(a, v)]
        upto = c[jnp.searchsorted(a, v, side="right")]
        return below + (upto - below + 1.0) / 2.0

    ranks = jax.vmap(column, in_axes=(1, 1, 1), out_axes=1)(ordered, cumulative, x)
    return jnp.where(valid, ranks, 0.0)


def spearman_corrcoef_value(x: Array, y: Array, weight: Array) -> Array:
    """Spearman's rho of buffered columns `(n, d)`: Pearson's r of mid-ranks.

    Weights count as repetitions of a row: ranks are weighted mid-ranks and
    their correlation is weighted by `weight`, so integer weights give the
    rho of the repeated rows. Rows with zero weight are left out.

    >>> x = jnp.array([[1.0], [2.0], [3.0]])
    >>> spearman_corrcoef_value(x, x ** 3, jnp.ones_like(x)).tolist()
    [1.0]
    """
    ranks_x = _mid_ranks(x, weight)
    ranks_y = _mid_ranks(y, weight)
    return pearson_corrcoef_value(moment_statistics(ranks_x, ranks_y, weight))


def _distinct(x: Array, valid: Array) -> Array:
    """Number of distinct values per column of `x` (n, d) among valid rows."""
    earlier = jnp.tril(jnp.ones((x.shape[0], x.shape[0]), bool), -1)[:, :, None]
    seen = jnp.any(
        (x[:, None, :] == x[None, :, :]) & valid[None, :, :] & earlier, axis=1
    )
    return jnp.sum(valid & ~seen, axis=0).astype(jnp.float32)


def kendall_rank_corrcoef_value(
    x: Array, y: Array, weight: Array, *, variant: str = "b"
) -> Array:
    """Kendall's tau of buffered columns `(n, d)` with pair weights `w_i w_j`.

    `S = sum_{i<j} w_i w_j sign(x_i - x_j) sign(y_i - y_j)`; tau-a divides by
    the total pair weight, tau-b by `sqrt(T_x T_y)` (weights of the pairs not
    tied in x, in y), tau-c (Stuart's) by `W^2 (m - 1) / (2 m)` with
    `W = sum_i w_i` and `m` the smaller number of distinct values of x and y.
    0 where undefined. `O(n^2)` memory and time.

    >>> x = jnp.array([[1.0], [2.0], [3.0], [4.0]])
    >>> y = jnp.array([[1.0], [3.0], [2.0], [4.0]])
    >>> round(kendall_rank_corrcoef_value(x, y, jnp.ones_like(x)).item(), 4)
    0.6667
    """
    return kendall_tau_and_p_value(x, y, weight, variant=variant)[0]


def kendall_tau_and_p_value(
    x: Array,
    y: Array,
    weight: Array,
    *,
    variant: str = "b",
    alternative: str | None = None,
) -> tuple[Array, Array | None]:
    """Kendall's tau and, with an `alternative`, its p-value.

    One pass over the `(n, n, d)` pair tables serves both (see
    `kendall_rank_corrcoef_value` and `kendall_rank_corrcoef_p_value`).
    """
    sx = jnp.sign(x[:, None, :] - x[None, :, :])
    sy = jnp.sign(y[:, None, :] - y[None, :, :])
    pair = weight[:, None, :] * weight[None, :, :]
    score = jnp.sum(pair * sx * sy, axis=(0, 1))  # both orders: 2 S
    if variant == "a":
        total = jnp.square(jnp.sum(weight, 0)) - jnp.sum(jnp.square(weight), 0)
        tau = divide_no_nan(score, total)
    elif variant == "c":
        valid = weight > 0
        m = jnp.minimum(_distinct(x, valid), _distinct(y, valid))
        total = jnp.square(jnp.sum(weight, 0)) * divide_no_nan(m - 1, m)
        tau = divide_no_nan(score, total)
    else:
        untied_x = jnp.sum(pair * jnp.abs(sx), axis=(0, 1))
        untied_y = jnp.sum(pair * jnp.abs(sy), axis=(0, 1))
        tau = divide_no_nan(score, jnp.sqrt(untied_x * untied_y))
    if alternative is None:
        return tau, None
    return tau, _kendall_p_value(score / 2.0, x, y, weight, variant, alternative)


def _tie_sums(v: Array, weight: Array) -> tuple[Array, Array, Array]:
    """Tie sums per column: `sum t(t-1)/2`, `sum t(t-1)(t-2)`, `sum t(t-1)(2t+5)`.

    The sums run over groups of equal values of weighted size `t`. Each
    row adds its share `w_i f(t_i) / t_i` of its group's term, with `t_i`
    the weight of the rows equal to it (itself included).
    """
    same = v[:, None, :] == v[None, :, :]
    t = jnp.sum(jnp.where(same, weight[None, :, :], 0.0), axis=1)
    pairs = jnp.sum(weight * (t - 1.0), axis=0) / 2.0
    cubic = jnp.sum(weight * (t - 1.0) * (t - 2.0), axis=0)
    spread = jnp.sum(weight * (t - 1.0) * (2.0 * t + 5.0), axis=0)
    return pairs, cubic, spread


def kendall_rank_corrcoef_p_value(
    x: Array,
    y: Array,
    weight: Array,
    *,
    variant: str = "b",
    alternative: str = "two-sided",
) -> Array:
    """P-value of Kendall's tau under independence (normal approximation).

    `z = S / sqrt(var(S))` with `S` the concordant minus discordant pairs.
    Tau-a uses `var(S) = n(n-1)(2n+5)/18`; tau-b and tau-c the variance
    corrected for ties in both columns (scipy's `method="asymptotic"`,
    torchmetrics' `t_test=True`). Weights count as repetitions of a row
    (`n = sum w`). NaN where the variance is 0.

    >>> x = jnp.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> y = jnp.array([[2.0], [1.0], [3.0], [5.0], [4.0]])
    >>> p = kendall_rank_corrcoef_p_value(x, y, jnp.ones_like(x))
    >>> round(p.item(), 4)
    0.1416
    """
    check_kendall_variant(variant)
    check_kendall_alternative(alternative)
    return kendall_tau_and_p_value(
        x, y, weight, variant=variant, alternative=alternative
    )[1]


def _kendall_p_value(score, x, y, weight, variant, alternative):
    """The p-value of `score` (concordant minus discordant pair weight)."""
    n = jnp.sum(weight, axis=0)
    base = n * (n - 1.0) * (2.0 * n + 5.0)
    if variant == "a":
        var = base / 18.0
    else:
        m = n * (n - 1.0)
        px, cx, vx = _tie_sums(x, weight)
        py, cy, vy = _tie_sums(y, weight)
        var = (
            (base - vx - vy) / 18.0
            + divide_no_nan(2.0 * px * py, m)
            + divide_no_nan(cx * cy, 9.0 * m * (n - 2.0))
        )
    z = score / jnp.sqrt(jnp.where(var > 0, var, jnp.nan))
    if alternative == "two-sided":
        return 2.0 * jax.scipy.stats.norm.cdf(-jnp.abs(z))
    if alternative == "greater":
        return jax.scipy.stats.norm.cdf(-z)
    return jax.scipy.stats.norm.cdf(z)


def spearman_corrcoef(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    num_outputs: int = 1,
) -> Array:
    """Spearman's rank correlation of a batch (torchmetrics), weighted.

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights; rows with
            zero weight are left out.
        num_outputs: number of outputs (columns).

    Returns:
        The coefficient (per output when `num_outputs > 1`).

    >>> round(float(spearman_corrcoef(jnp.array([1.0, 2, 3, 4]),
    ...                               jnp.array([1.0, 30, 2, 40]))), 4)
    0.8
    """
    t, p, w = outputs_and_weight(y_true, y_pred, sample_weight, num_outputs=num_outputs)
    value = spearman_corrcoef_value(t, p, w)
    return value[0] if num_outputs == 1 else value


def kendall_rank_corrcoef(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    variant: str = "b",
    t_test: bool = False,
    alternative: str = "two-sided",
    num_outputs: int = 1,
) -> Array | tuple[Array, Array]:
    """Kendall's tau of a batch (torchmetrics), weighted by pair weights.

    Args:
        y_true: targets, `(n,)` or `(n, num_outputs)`.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        variant: `"a"`, `"b"` or `"c"`.
        t_test: also return the p-value of the test of independence
            (`kendall_rank_corrcoef_p_value`).
        alternative: `"two-sided"`, `"less"` or `"greater"` (with `t_test`).
        num_outputs: number of outputs (columns).

    Returns:
        The coefficient (per output when `num_outputs > 1`); with `t_test`,
        the tuple `(tau, p_value)`.

    >>> round(float(kendall_rank_corrcoef(jnp.array([1.0, 2, 3, 4]),
    ...                                   jnp.array([1.0, 3, 2, 4]))), 4)
    0.6667
    """
    check_kendall_variant(variant)
    check_kendall_alternative(alternative)
    t, p, w = outputs_and_weight(y_true, y_pred, sample_weight, num_outputs=num_outputs)
    value, p_value = kendall_tau_and_p_value(
        t, p, w, variant=variant, alternative=alternative if t_test else None
    )
    if t_test:
        return (value[0], p_value[0]) if num_outputs == 1 else (value, p_value)
    return value[0] if num_outputs == 1 else value
