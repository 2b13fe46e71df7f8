"""Multilabel ranking: coverage error, ranking average precision, ranking loss.

torchmetrics' `Multilabel*` ranking metrics, with scikit-learn's values
(`coverage_error`, `label_ranking_average_precision_score`,
`label_ranking_loss`), ties included. For a sample with scores `s` over `L`
labels and relevant set `Y` (`R = |Y|` labels), let `rank(j)` be the number
of labels scoring `>= s_j` and `rank_Y(j)` the number of relevant ones:

* coverage error `max_{j in Y} rank(j)` (0 when `Y` is empty);
* ranking average precision `mean_{j in Y} rank_Y(j) / rank(j)` (1 when `Y`
  is empty or holds every label);
* ranking loss: the share of (relevant, irrelevant) pairs with the irrelevant
  label scored `>=` the relevant one, `sum_{j in Y} (rank(j) - rank_Y(j)) /
  (R (L - R))` (0 when `Y` is empty or holds every label).

Each row is sorted once and tied scores share the running counts at the end
of their run: O(L log L) time and O(L) memory per sample, never an `L x L`
table.

Inputs are `y_true` 0/1 and `y_pred` scores, both `(N, num_labels)`.
Ignored entries (target equal to `ignore_index`, a target other than 0/1, or
a NaN score) count nowhere: every measure is that of the row without them
(`L` is then the number of labels kept). For the coverage error and the
ranking average precision this is torchmetrics' value too (it ranks them
last as irrelevant labels); torchmetrics' ranking loss still counts them
among its `R (L - R)` pairs. A row whose labels are all ignored scores as a
row without relevant labels. Rows are never dropped. `sample_weight` `(N,)`
weights each sample's value, as scikit-learn's `sample_weight` does.
"""

from __future__ import annotations

import jax.numpy as jnp
from jax import Array, lax

from jax_metrics.functional._curve_points import curve_entries
from jax_metrics.functional._stat_scores_statistics import (
    _check_int,
    _entry_weight,
    check_option,
    safe_divide,
)

__all__ = [
    "multilabel_coverage_error",
    "multilabel_ranking_average_precision",
    "multilabel_ranking_loss",
    "multilabel_ranking_samplewise",
    "multilabel_ranking_statistics",
]

RANKING_MEASURES = ("coverage_error", "average_precision", "loss")


def check_ranking_options(num_labels, from_logits, ignore_index) -> None:
    """Validates the static options of the ranking metrics."""
    _check_int("num_labels", num_labels, 2)
    if not isinstance(from_logits, bool):
        raise ValueError(
            f"expected `from_logits` to be a bool, received {from_logits!r}"
        )
    if ignore_index is not None and (
        isinstance(ignore_index, bool) or not isinstance(ignore_index, int)
    ):
        raise ValueError(
            f"expected `ignore_index` to be an integer or None, received "
            f"{ignore_index!r}"
        )


def _ranked_counts(scores: Array, relevant: Array, kept: Array):
    """Labels by decreasing score, with how many kept/relevant labels score `>=`.

    Returns `(at_least, relevant_at_least, is_relevant)`, all `(N, L)`, each
    row in its own decreasing score order. One sort per row; running counts
    are read at the end of each run of tied scores (a reverse running minimum
    over the run ends, as counts only grow).
    """
    key, is_relevant, is_kept = lax.sort(
        (-scores, relevant.astype(jnp.int32), kept.astype(jnp.int32)),
        dimension=1,
        num_keys=1,
    )
    run_end = jnp.concatenate(
        [key[:, 1:] != key[:, :-1], jnp.ones((key.shape[0], 1), bool)], axis=1
    )
    never = jnp.iinfo(jnp.int32).max

    def at_run_end(counts):
        return lax.cummin(jnp.where(run_end, counts, never), axis=1, reverse=True)

    at_least = at_run_end(jnp.cumsum(is_kept, axis=1))
    relevant_at_least = at_run_end(jnp.cumsum(is_relevant, axis=1))
    return at_least, relevant_at_least, is_relevant > 0


def multilabel_ranking_samplewise(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    from_logits: bool = False,
    ignore_index: int | None = None,
) -> dict[str, Array]:
    """Every ranking measure of every sample: a dict of `(N,)` float32 arrays.

    Keys `"coverage_error"`, `"average_precision"` and `"loss"` (see the
    module docstring for the formulas, ties and ignored entries). The sigmoid
    of `from_logits=True` is strictly increasing, so it changes no rank: the
    scores are ranked as given, free of the ties a float32 sigmoid would
    create by saturating.

    >>> out = multilabel_ranking_samplewise(jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]), num_labels=3)
    >>> out["coverage_error"].tolist(), out["loss"].tolist()
    ([3.0, 2.0], [1.0, 0.0])
    >>> out["average_precision"].tolist()
    [0.333, 1.0]
    """
    check_ranking_options(num_labels, from_logits, ignore_index)
    y_true = jnp.asarray(y_true)
    y_pred = jnp.asarray(y_pred)
    if y_pred.ndim != 2 or y_pred.shape[1] != num_labels:
        raise ValueError(
            f"expected `y_pred` of shape (N, {num_labels}) for "
            f"num_labels={num_labels}, received {y_pred.shape}"
        )
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"expected `y_true` of the shape of `y_pred` {y_pred.shape}, "
            f"received {y_true.shape}"
        )
    targets, scores, valid = curve_entries(
        "multilabel",
        y_true,
        y_pred,
        num_labels=num_labels,
        ignore_index=ignore_index,
    )
    kept = valid > 0
    relevant = kept & (targets > 0)
    scores = jnp.where(kept, scores, -jnp.inf)
    at_least, relevant_at_least, is_relevant = _ranked_counts(scores, relevant, kept)
    n_relevant = jnp.sum(relevant, axis=1)
    coverage = jnp.max(jnp.where(is_relevant, at_least, 0), axis=1)
    precision = jnp.sum(
        jnp.where(is_relevant, relevant_at_least / jnp.maximum(at_least, 1), 0.0),
        axis=1,
    )
    precision = jnp.where(n_relevant > 0, precision / jnp.maximum(n_relevant, 1), 1.0)
    misordered = jnp.sum(
        jnp.where(is_relevant, at_least - relevant_at_least, 0), axis=1
    )
    pairs = n_relevant * (jnp.sum(kept, axis=1) - n_relevant)
    loss = jnp.where(pairs > 0, misordered / jnp.maximum(pairs, 1), 0.0)
    return {
        "coverage_error": coverage.astype(jnp.float32),
        "average_precision": precision.astype(jnp.float32),
        "loss": loss.astype(jnp.float32),
    }


def multilabel_ranking_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    measure: str,
    num_labels: int,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(sum of the measure, sum of the weights)` over samples, `(2,)`.

    `measure` is `"coverage_error"`, `"average_precision"` or `"loss"`; the
    value is the ratio (`safe_divide`, 0 when the weights sum to 0).

    >>> multilabel_ranking_statistics(jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]), measure="loss",
    ...     num_labels=3, sample_weight=jnp.array([0.5, 2.0])).tolist()
    [0.5, 2.5]
    """
    check_option("measure", measure, RANKING_MEASURES)
    values = multilabel_ranking_samplewise(
        y_true,
        y_pred,
        num_labels=num_labels,
        from_logits=from_logits,
        ignore_index=ignore_index,
    )[measure]
    rows = values.shape
    weights = _entry_weight(rows, jnp.ones(rows, bool), sample_weight)
    return jnp.stack([jnp.sum(weights * values), jnp.sum(weights)])


def _ranking_value(measure, y_true, y_pred, **options) -> Array:
    total, weight = multilabel_ranking_statistics(
        y_true, y_pred, measure=measure, **options
    )
    return safe_divide(total, weight)


def multilabel_coverage_error(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Mean (weighted) coverage error (torchmetrics', scikit-learn's values).

    How many of the best-scored labels cover every relevant label: per
    sample `max_{j relevant} #{labels scoring >= s_j}`, 0 without relevant
    labels. Lower is better; the best value is the number of relevant labels.

    Args:
        y_true: 0/1 targets `(N, num_labels)`.
        y_pred: scores `(N, num_labels)`.
        num_labels: number of labels.
        from_logits: scores are logits (a sigmoid changes no rank).
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the samples `(N,)`.

    Returns:
        The weighted mean over samples (0 for no samples).

    >>> float(multilabel_coverage_error(jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]), num_labels=3))
    2.5
    """
    return _ranking_value(
        "coverage_error",
        y_true,
        y_pred,
        num_labels=num_labels,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )


def multilabel_ranking_average_precision(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Mean (weighted) label ranking average precision (torchmetrics', scikit-learn's).

    Per sample, the mean over relevant labels `j` of the share of relevant
    labels among those scoring `>= s_j`; 1 when no label or every label is
    relevant. Higher is better (best 1).

    Args:
        y_true: 0/1 targets `(N, num_labels)`.
        y_pred: scores `(N, num_labels)`.
        num_labels: number of labels.
        from_logits: scores are logits (a sigmoid changes no rank).
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the samples `(N,)`.

    Returns:
        The weighted mean over samples (0 for no samples).

    >>> round(float(multilabel_ranking_average_precision(
    ...     jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]), num_labels=3)), 4)
    0.6667
    """
    return _ranking_value(
        "average_precision",
        y_true,
        y_pred,
        num_labels=num_labels,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )


def multilabel_ranking_loss(
    y_true: Array,
    y_pred: Array,
    *,
    num_labels: int,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Mean (weighted) label ranking loss (torchmetrics', scikit-learn's values).

    Per sample, the share of (relevant, irrelevant) label pairs whose
    irrelevant label scores `>=` the relevant one; 0 when no label or every
    label is relevant. Lower is better (best 0).

    Args:
        y_true: 0/1 targets `(N, num_labels)`.
        y_pred: scores `(N, num_labels)`.
        num_labels: number of labels.
        from_logits: scores are logits (a sigmoid changes no rank).
        ignore_index: target value whose entries are ignored (the loss is
            that of the sample without them).
        sample_weight: weights of the samples `(N,)`.

    Returns:
        The weighted mean over samples (0 for no samples).

    >>> float(multilabel_ranking_loss(jnp.array([[1, 0, 0], [0, 1, 1]]),
    ...     jnp.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.8]]), num_labels=3))
    0.5
    """
    return _ranking_value(
        "loss",
        y_true,
        y_pred,
        num_labels=num_labels,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
