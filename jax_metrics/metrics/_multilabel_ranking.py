"""Multilabel ranking metrics (torchmetrics' classes, scikit-learn's values)."""

from __future__ import annotations

from typing import Any, ClassVar

from jax_metrics._numerics import accumulate, accumulator, accumulator_value
from jax_metrics.functional import _multilabel_ranking as F
from jax_metrics.functional._stat_scores_statistics import safe_divide
from jax_metrics.metrics._base import Metric, state

__all__ = [
    "MultilabelCoverageError",
    "MultilabelRankingAveragePrecision",
    "MultilabelRankingLoss",
]


class _MultilabelRanking(Metric):
    """Shared state and value: weighted sums of a per-sample ranking measure."""

    measure: ClassVar[str]
    totals = state("exact_sum")

    def __init__(
        self,
        *,
        num_labels: int,
        ignore_index: int | None = None,
        from_logits: bool = False,
        name: str | None = None,
        dtype: Any = None,
    ):
        F.check_ranking_options(num_labels, from_logits, ignore_index)
        self.num_labels, self.ignore_index = num_labels, ignore_index
        self.from_logits = from_logits
        super().__init__(name=name, dtype=dtype)

    def init_state(self):
        """Zero sums of the weighted measure and of the weights."""
        return {"totals": accumulator((2,))}

    def update(self, y_true, y_pred, sample_weight=None):
        """Folds a batch's weighted measure and weight sums into the state."""
        totals = F.multilabel_ranking_statistics(
            y_true,
            y_pred,
            measure=self.measure,
            num_labels=self.num_labels,
            from_logits=self.from_logits,
            ignore_index=self.ignore_index,
            sample_weight=sample_weight,
        )
        return self.replace(totals=accumulate(self.totals, totals))

    def compute(self):
        """The weighted mean over samples (0 when empty)."""
        total, weight = accumulator_value(self.totals)
        return safe_divide(total, weight).astype(self.dtype)


class MultilabelCoverageError(_MultilabelRanking):
    """Mean coverage error of multilabel scores (torchmetrics' class).

    Per sample, how many of the best-scored labels cover every relevant one:
    `max_{j relevant} #{labels k : s_k >= s_j}` (0 without relevant labels),
    averaged with the sample weights `w_i`: `sum_i w_i c_i / sum_i w_i`, as
    scikit-learn's `coverage_error`. Ignored entries rank last and cover
    nothing. The empty state gives 0.

    Args:
        num_labels: number of labels (inputs `(N, num_labels)`).
        ignore_index: target value whose entries are ignored.
        from_logits: scores are logits (a sigmoid changes no rank).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MultilabelCoverageError(num_labels=3).update(
    ...     jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]))
    >>> float(m.compute())
    2.5
    """

    higher_is_better = False
    measure = "coverage_error"


class MultilabelRankingAveragePrecision(_MultilabelRanking):
    """Mean label ranking average precision (torchmetrics' class).

    Per sample, the mean over relevant labels `j` of
    `#{relevant k : s_k >= s_j} / #{k : s_k >= s_j}` (1 when no label or every
    label is relevant), averaged with the sample weights as scikit-learn's
    `label_ranking_average_precision_score`. Ignored entries change no rank.
    The empty state gives 0.

    Args:
        num_labels: number of labels (inputs `(N, num_labels)`).
        ignore_index: target value whose entries are ignored.
        from_logits: scores are logits (a sigmoid changes no rank).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MultilabelRankingAveragePrecision(num_labels=3).update(
    ...     jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]))
    >>> round(float(m.compute()), 4)
    0.6667
    """

    higher_is_better = True
    measure = "average_precision"


class MultilabelRankingLoss(_MultilabelRanking):
    """Mean label ranking loss (torchmetrics' class).

    Per sample with `R` of `L` labels relevant, the share of the `R (L - R)`
    (relevant, irrelevant) pairs whose irrelevant label scores `>=` the
    relevant one (0 when `R` is 0 or `L`), averaged with the sample weights as
    scikit-learn's `label_ranking_loss`. Ignored entries count nowhere: `L`
    is the number of labels kept in the sample (torchmetrics still counts
    them among the irrelevant labels). The empty state gives 0.

    Args:
        num_labels: number of labels (inputs `(N, num_labels)`).
        ignore_index: target value whose entries are ignored.
        from_logits: scores are logits (a sigmoid changes no rank).
        name: metric name.
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.MultilabelRankingLoss(num_labels=3).update(
    ...     jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]))
    >>> float(m.compute())
    0.5
    """

    higher_is_better = False
    measure = "loss"
