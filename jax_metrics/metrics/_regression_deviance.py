"""torchmetrics' deviance and probabilistic scores, with sample weights.

Tweedie deviance, Jensen-Shannon divergence, the continuous ranked
probability score and perplexity: weighted means `sum w v / sum w` kept as
compensated float32 totals and counts, so long runs do not drift and
bfloat16 or float16 inputs accumulate in float32. Entries outside a metric's
domain are ignored (weight 0), never turned into NaN state.
"""

from __future__ import annotations

import numbers

from jax import Array

from jax_metrics.functional import _regression_deviance as F
from jax_metrics.functional._aggregation import divide_no_nan
from jax_metrics.functional._regression_metrics import check_option
from jax_metrics.metrics._regression_errors import _WeightedMean

__all__ = [
    "ContinuousRankedProbabilityScore",
    "JensenShannonDivergence",
    "Perplexity",
    "TweedieDevianceScore",
]


class TweedieDevianceScore(_WeightedMean):
    """Mean Tweedie deviance `sum w d / sum w` (torchmetrics), weighted.

    `power` 0: squared error, 1: Poisson, 2: Gamma, else the general form
    (see `jax_metrics.functional.tweedie_deviance_score`). Entries outside
    the power's domain (torchmetrics raises) are ignored. Empty: 0.

    Args:
        power: the Tweedie power, `<= 0` or `>= 1`.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.TweedieDevianceScore(power=1.0).update(
    ...     jnp.array([1.0, 2.0]), jnp.array([2.0, 2.0]))
    >>> round(float(m.compute()), 4)
    0.3069
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(self, *, power: float = 0.0, name: str | None = None, dtype=None):
        self.power = F.check_tweedie_power(power)
        super().__init__(name=name, dtype=dtype)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.tweedie_deviance_score_statistics(
            y_true, y_pred, sample_weight, power=self.power
        )


class JensenShannonDivergence(_WeightedMean):
    """Weighted mean (or sum) of per-row Jensen-Shannon divergences.

    `JSD(p, q) = (KL(p || m) + KL(q || m)) / 2`, `m = (p + q) / 2`, natural
    log, rows normalised to sum 1 (or log probabilities with `log_prob`).
    torchmetrics' `reduction="none"` (a growing state) is only in the
    functional form. Empty: 0.

    Args:
        log_prob: whether the inputs are log probabilities.
        reduction: `"mean"` or `"sum"`.
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.JensenShannonDivergence().update(
    ...     jnp.array([[1.0, 0]]), jnp.array([[0.5, 0.5]]))
    >>> round(float(m.compute()), 4)
    0.2158
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(
        self,
        *,
        log_prob: bool = False,
        reduction: str = "mean",
        name: str | None = None,
        dtype=None,
    ):
        self.log_prob = bool(log_prob)
        self.reduction = check_option("reduction", reduction, ("mean", "sum"))
        super().__init__(name=name, dtype=dtype)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.jensen_shannon_divergence_statistics(
            y_true, y_pred, sample_weight, log_prob=self.log_prob
        )

    def compute(self) -> Array:
        """The mean (or summed) divergence."""
        total, count = self._parts()
        value = total if self.reduction == "sum" else divide_no_nan(total, count)
        return value.astype(self.dtype)


class ContinuousRankedProbabilityScore(_WeightedMean):
    """Weighted mean CRPS of ensemble forecasts (torchmetrics).

    Per sample `mean_j |x_j - t| - sum_jk |x_j - x_k| / (2 m^2)` for `m`
    ensemble members; `y_pred` is `(batch, m)`, `y_true` `(batch,)`. Empty: 0.

    Args:
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.ContinuousRankedProbabilityScore().update(
    ...     jnp.array([0.0]), jnp.array([[-1.0, 1.0]]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = False
    is_differentiable = True
    aliases = ("crps",)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.continuous_ranked_probability_score_statistics(
            y_true, y_pred, sample_weight
        )


class Perplexity(_WeightedMean):
    """Token-weighted perplexity `exp(sum w nll / sum w)` (torchmetrics).

    `y_true` are integer tokens `(batch, seq)`, `y_pred` logits
    `(batch, seq, vocab)`; `sample_weight` weights sequences or tokens.
    Tokens equal to `ignore_index`, or out of `[0, vocab)`, are ignored.
    Empty: 1.

    Args:
        ignore_index: a label to ignore (e.g. padding).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.Perplexity(ignore_index=-100).update(
    ...     jnp.array([[0, 1, -100]]), jnp.zeros((1, 3, 4)))
    >>> round(float(m.compute()), 4)
    4.0
    """

    higher_is_better = False
    is_differentiable = True

    def __init__(
        self, *, ignore_index: int | None = None, name: str | None = None, dtype=None
    ):
        if ignore_index is not None and (
            isinstance(ignore_index, bool)
            or not isinstance(ignore_index, numbers.Integral)
        ):
            raise ValueError(
                "Invalid value for argument `ignore_index`: expected an int or "
                f"None, received ignore_index={ignore_index!r}"
            )
        self.ignore_index = None if ignore_index is None else int(ignore_index)
        super().__init__(name=name, dtype=dtype)

    def _statistics(self, y_true, y_pred, sample_weight):
        return F.perplexity_statistics(
            y_true, y_pred, sample_weight, ignore_index=self.ignore_index
        )

    def compute(self) -> Array:
        """The perplexity."""
        return F.perplexity_value(*self._parts()).astype(self.dtype)
