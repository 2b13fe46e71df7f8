"""Deviance and probabilistic score kernels: batch -> statistics -> value.

Tweedie deviance, Jensen-Shannon divergence, the continuous ranked
probability score and perplexity, each a pair of pure kernels (see
`_regression_metrics.py`). Means are weighted means, `sum w v / sum w`;
entries outside a metric's domain (a non-positive prediction for a Tweedie
power >= 1, a label out of range for perplexity) get weight 0 instead of
poisoning the state with NaN. No samples gives 0 (`divide_no_nan`).
"""

from __future__ import annotations

import numbers
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array
from jax.typing import ArrayLike

from jax_metrics._checks import check_targets, value_check
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._reduction import entry_weights
from jax_metrics.functional._regression_metrics import (
    _entries,
    _weighted_total,
    check_option,
)

__all__ = [
    "continuous_ranked_probability_score",
    "continuous_ranked_probability_score_statistics",
    "jensen_shannon_divergence",
    "jensen_shannon_divergence_per_sample",
    "jensen_shannon_divergence_statistics",
    "perplexity",
    "perplexity_statistics",
    "perplexity_value",
    "tweedie_deviance_score",
    "tweedie_deviance_score_statistics",
]


# -- Tweedie deviance ---------------------------------------------------------
def tweedie_deviance_score_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    power: float = 0.0,
) -> tuple[Array, Array]:
    """`(sum w d, sum w)` of the Tweedie deviance `d` over valid entries.

    `power` 0 is the squared error, 1 Poisson, 2 Gamma; otherwise
    `2 (max(t, 0)^(2-k) / ((1-k)(2-k)) - t p^(1-k) / (1-k) + p^(2-k) / (2-k))`.
    Entries outside the power's domain (torchmetrics raises) are ignored:
    `p > 0` for `power < 0` or `>= 1`, `t >= 0` for `1 <= power < 2`,
    `t > 0` for `power >= 2`.

    >>> [float(s) for s in tweedie_deviance_score_statistics(
    ...     jnp.array([1.0, 2.0]), jnp.array([2.0, 2.0]), power=1.0)]
    [0.6137, 2.0]
    """
    t, p, w = _entries(y_true, y_pred, sample_weight)
    if power == 0:
        return _weighted_total(jnp.square(t - p), w)
    positive_p = jnp.where(p > 0, p, 1.0)
    if power == 1:
        valid = (p > 0) & (t >= 0)
        safe_t = jnp.where(t > 0, t, 1.0)
        xlogy = jnp.where(t > 0, t * jnp.log(safe_t / positive_p), 0.0)
        deviance = 2.0 * (xlogy + p - t)
    elif power == 2:
        valid = (p > 0) & (t > 0)
        safe_t = jnp.where(t > 0, t, 1.0)
        deviance = 2.0 * (jnp.log(positive_p / safe_t) + safe_t / positive_p - 1.0)
    else:
        if power < 0:
            valid = p > 0
        elif power < 2:
            valid = (p > 0) & (t >= 0)
        else:
            valid = (p > 0) & (t > 0)
        term_1 = jnp.power(jnp.maximum(t, 0.0), 2 - power) / ((1 - power) * (2 - power))
        term_2 = t * jnp.power(positive_p, 1 - power) / (1 - power)
        term_3 = jnp.power(positive_p, 2 - power) / (2 - power)
        deviance = 2.0 * (term_1 - term_2 + term_3)
    value_check(valid, f"{{count}} entries outside the domain of power={power}")
    return _weighted_total(deviance, w, valid)


def check_tweedie_power(power: Any) -> float:
    """Raises `ValueError` for a power in (0, 1), where no deviance exists."""
    if not isinstance(power, numbers.Real) or 0 < power < 1:
        raise ValueError(f"expected `power` <= 0 or >= 1, received power={power!r}")
    return float(power)


def tweedie_deviance_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    power: float = 0.0,
) -> Array:
    """Mean Tweedie deviance (torchmetrics `tweedie_deviance_score`), weighted.

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        sample_weight: optional per-sample (or per-entry) weights.
        power: the Tweedie power (not in (0, 1)).

    Returns:
        `sum w d / sum w` over valid entries.

    >>> round(float(tweedie_deviance_score(jnp.array([1.0, 2.0]),
    ...                                    jnp.array([2.0, 2.0]), power=1.0)), 4)
    0.3069
    """
    power = check_tweedie_power(power)
    return divide_no_nan(
        *tweedie_deviance_score_statistics(y_true, y_pred, sample_weight, power=power)
    )


# -- divergence and probabilistic scores -------------------------------------
def _kl(p: Array, log_p: Array, log_q: Array) -> Array:
    return jnp.sum(jnp.where(p > 0, p * (log_p - log_q), 0.0), axis=-1)


def jensen_shannon_divergence_per_sample(
    y_true: ArrayLike, y_pred: ArrayLike, *, log_prob: bool = False
) -> Array:
    """Per-row Jensen-Shannon divergence (natural log) of `(n, k)` inputs.

    Rows are normalised to sum 1 unless `log_prob` (then they are log
    probabilities).

    >>> jensen_shannon_divergence_per_sample(jnp.array([[1.0, 0]]),
    ...                                      jnp.array([[0.0, 1]])).round(4).tolist()
    [0.6931]
    """
    p = jnp.asarray(y_true, jnp.float32)
    q = jnp.asarray(y_pred, jnp.float32)
    if p.shape != q.shape or p.ndim != 2:
        raise ValueError(
            "expected y_true and y_pred distributions of the same shape "
            f"(batch, k), received {p.shape} and {q.shape}"
        )
    if log_prob:
        log_p, log_q = p, q
        log_m = jnp.logaddexp(log_p, log_q) - jnp.log(2.0)
        return 0.5 * (
            _kl(jnp.exp(log_p), log_p, log_m) + _kl(jnp.exp(log_q), log_q, log_m)
        )
    p = divide_no_nan(p, jnp.sum(p, axis=-1, keepdims=True))
    q = divide_no_nan(q, jnp.sum(q, axis=-1, keepdims=True))
    m = 0.5 * (p + q)

    def log(x):
        return jnp.log(jnp.where(x > 0, x, 1.0))

    return 0.5 * (_kl(p, log(p), log(m)) + _kl(q, log(q), log(m)))


def jensen_shannon_divergence_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    log_prob: bool = False,
) -> tuple[Array, Array]:
    """`(sum w JSD, sum w)` over rows.

    >>> [round(float(s), 4) for s in jensen_shannon_divergence_statistics(
    ...     jnp.array([[1.0, 0]]), jnp.array([[0.0, 1]]))]
    [0.6931, 1.0]
    """
    measures = jensen_shannon_divergence_per_sample(y_true, y_pred, log_prob=log_prob)
    if sample_weight is None:
        return _weighted_total(measures, jnp.ones_like(measures))
    return _weighted_total(measures, entry_weights(measures.shape, sample_weight))


def jensen_shannon_divergence(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    log_prob: bool = False,
    reduction: str | None = "mean",
) -> Array:
    """Jensen-Shannon divergence between rows of distributions (torchmetrics).

    Args:
        y_true: distributions `p`, shape `(n, k)` (or log probabilities).
        y_pred: distributions `q`, same shape.
        sample_weight: optional per-row weights.
        log_prob: whether the inputs are log probabilities.
        reduction: `"mean"` (weighted), `"sum"` (weighted), `"none"`/`None`.

    Returns:
        The divergence (per row for `"none"`).

    >>> round(float(jensen_shannon_divergence(jnp.array([[1.0, 0]]),
    ...                                       jnp.array([[0.5, 0.5]]))), 4)
    0.2158
    """
    check_option("reduction", reduction, ("mean", "sum", "none", None))
    if reduction in ("none", None):
        return jensen_shannon_divergence_per_sample(y_true, y_pred, log_prob=log_prob)
    total, count = jensen_shannon_divergence_statistics(
        y_true, y_pred, sample_weight, log_prob=log_prob
    )
    return total if reduction == "sum" else divide_no_nan(total, count)


def continuous_ranked_probability_score_statistics(
    y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None
) -> tuple[Array, Array]:
    """`(sum w crps, sum w)` for an ensemble forecast `y_pred` of shape `(n, m)`.

    Per sample: `mean_j |x_j - t| - sum_jk |x_j - x_k| / (2 m^2)`.

    >>> [float(s) for s in continuous_ranked_probability_score_statistics(
    ...     jnp.array([0.0]), jnp.array([[-1.0, 1.0]]))]
    [0.5, 1.0]
    """
    t = jnp.asarray(y_true, jnp.float32)
    x = jnp.asarray(y_pred, jnp.float32)
    if x.ndim != 2 or x.shape[1] < 2 or t.shape != x.shape[:1]:
        raise ValueError(
            "expected y_pred of shape (batch, members >= 2) and y_true of shape "
            f"(batch,), received {x.shape} and {t.shape}"
        )
    members = x.shape[1]
    skill = jnp.mean(jnp.abs(x - t[:, None]), axis=1)
    spread = jnp.sum(jnp.abs(x[:, :, None] - x[:, None, :]), axis=(1, 2))
    crps = skill - spread / (2.0 * members * members)
    if sample_weight is None:
        return _weighted_total(crps, jnp.ones_like(crps))
    return _weighted_total(crps, entry_weights(crps.shape, sample_weight))


def continuous_ranked_probability_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> Array:
    """Mean CRPS of an ensemble forecast (torchmetrics), weighted.

    Args:
        y_true: observations, shape `(n,)`.
        y_pred: ensemble members, shape `(n, m)` with `m >= 2`.
        sample_weight: optional per-sample weights.

    Returns:
        The weighted mean CRPS.

    >>> float(continuous_ranked_probability_score(jnp.array([0.0]),
    ...                                           jnp.array([[-1.0, 1.0]])))
    0.5
    """
    return divide_no_nan(
        *continuous_ranked_probability_score_statistics(y_true, y_pred, sample_weight)
    )


def perplexity_statistics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    ignore_index: int | None = None,
) -> tuple[Array, Array]:
    """`(sum w nll, sum w)` over tokens of logits `(batch, seq, vocab)`.

    `nll = -log_softmax(y_pred)[y_true]`; tokens equal to `ignore_index`, or
    with a label outside `[0, vocab)`, are ignored. `sample_weight` weights
    sequences `(batch,)` or tokens `(batch, seq)`.

    >>> [round(float(s), 4) for s in perplexity_statistics(
    ...     jnp.array([[0, 1]]), jnp.zeros((1, 2, 4)))]
    [2.7726, 2.0]
    """
    logits = jnp.asarray(y_pred)
    labels = jnp.asarray(y_true)
    if logits.ndim != 3 or labels.shape != logits.shape[:2]:
        raise ValueError(
            "expected y_pred logits of shape (batch, seq, vocab) and y_true of "
            f"shape (batch, seq), received {logits.shape} and {labels.shape}"
        )
    if not jnp.issubdtype(labels.dtype, jnp.integer):
        raise TypeError(f"expected integer y_true labels, received {labels.dtype}")
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        raise TypeError(f"expected floating y_pred logits, received {logits.dtype}")
    log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    valid = (labels >= 0) & (labels < logits.shape[-1])
    ignored = np.False_ if ignore_index is None else labels == ignore_index
    check_targets(valid | ignored, f"outside [0, {logits.shape[-1]})")
    valid = valid & ~ignored
    safe = jnp.where(valid, labels, 0)
    nll = -jnp.take_along_axis(log_probs, safe[..., None], axis=-1)[..., 0]
    weight = jnp.ones_like(nll)
    if sample_weight is not None:
        weight = entry_weights(nll.shape, sample_weight)
    return _weighted_total(nll, weight, valid)


def perplexity_value(total: Array, count: Array) -> Array:
    """`exp(total / count)`; 1 when no token was counted.

    >>> round(float(perplexity_value(jnp.array(2.7726), jnp.array(2.0))), 3)
    4.0
    """
    return jnp.exp(divide_no_nan(total, count))


def perplexity(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    ignore_index: int | None = None,
) -> Array:
    """Token-weighted perplexity of language-model logits (torchmetrics).

    Args:
        y_true: integer token labels, shape `(batch, seq)`.
        y_pred: logits, shape `(batch, seq, vocab)`.
        sample_weight: optional weights per sequence or per token.
        ignore_index: a label value to ignore (e.g. padding).

    Returns:
        `exp(sum w nll / sum w)`.

    >>> round(float(perplexity(jnp.array([[0, 1]]), jnp.zeros((1, 2, 4)))), 4)
    4.0
    """
    return perplexity_value(
        *perplexity_statistics(y_true, y_pred, sample_weight, ignore_index=ignore_index)
    )
