"""Group fairness of binary predictions (torchmetrics' task classes).

Both classes keep the weighted `[tp, fp, tn, fn]` of every group (a
`(num_groups, 4)` compensated accumulator) from the kernels of
`jax_metrics.functional._fairness`; see that module for the input
conventions and the ignore policy.
"""

from __future__ import annotations

from typing import Any

from jax_metrics._numerics import accumulate, accumulator, accumulator_value
from jax_metrics.functional import _fairness as F
from jax_metrics.functional._stat_scores import validate_task_options
from jax_metrics.functional._stat_scores_statistics import _check_int, check_option
from jax_metrics.metrics._base import Metric, state

__all__ = ["BinaryFairness", "BinaryGroupStatRates"]


class _GroupStatScores(Metric):
    """Shared state and update: weighted `[tp, fp, tn, fn]` per group."""

    is_differentiable = False
    stats = state("exact_sum")

    def _configure(self, num_groups, threshold, from_logits, ignore_index):
        _check_int("num_groups", num_groups, 1)
        validate_task_options("binary", {"threshold": threshold})
        self.num_groups, self.threshold = num_groups, threshold
        self.from_logits, self.ignore_index = from_logits, ignore_index

    def init_state(self):
        """Zero weighted counts, `(num_groups, 4)`."""
        return {"stats": accumulator((self.num_groups, 4))}

    def _check_target(self, y_true):
        F.check_fairness_target(y_true, "all")

    def update(self, y_true, y_pred, groups, sample_weight=None):
        """Folds a batch's weighted per-group counts into the state.

        Args:
            y_true: labels in `{0, 1}`, shape `(N, ...)`.
            y_pred: probabilities, logits or 0/1 labels, same shape.
            groups: integer group ids, shape `(N,)` or that of `y_pred`.
            sample_weight: optional weights of the leading axes of `y_pred`.
        """
        self._check_target(y_true)
        stats = F.binary_group_statistics(
            y_true,
            y_pred,
            groups,
            num_groups=self.num_groups,
            threshold=self.threshold,
            from_logits=self.from_logits,
            ignore_index=self.ignore_index,
            sample_weight=sample_weight,
        )
        return self.replace(stats=accumulate(self.stats, stats))


class BinaryGroupStatRates(_GroupStatScores):
    """Per-group rates of true/false positives and negatives (torchmetrics' class).

    For group `g`: `[tp_g, fp_g, tn_g, fn_g] / n_g`, with weighted counts
    (sums of `sample_weight` over the group's entries) and `n_g` their sum.
    A group without entries gives zeros (torchmetrics gives NaN).

    Args:
        num_groups: number of groups (ids `0, ..., num_groups - 1`).
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        name: metric name.
        dtype: dtype of the result.

    >>> m = jm.metrics.BinaryGroupStatRates(num_groups=2).update(
    ...     jnp.array([0, 1, 0, 1, 0, 1]), jnp.array([0.1, 0.8, 0.2, 0.4, 0.7, 0.9]),
    ...     jnp.array([0, 0, 0, 1, 1, 1]))
    >>> {k: [round(x, 4) for x in v.tolist()] for k, v in m.compute().items()}
    {'group_0': [0.3333, 0.0, 0.6667, 0.0], 'group_1': [0.3333, 0.3333, 0.0, 0.3333]}
    """

    higher_is_better = None

    def __init__(
        self,
        *,
        num_groups: int,
        threshold: float = 0.5,
        from_logits: bool = False,
        ignore_index: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        self._configure(num_groups, threshold, from_logits, ignore_index)
        super().__init__(name=name, dtype=dtype)

    def compute(self):
        """`{"group_i": [tp, fp, tn, fn] rates}` (zeros for an empty group)."""
        rates = F.group_stat_rates_value(accumulator_value(self.stats))
        return {k: v.astype(self.dtype) for k, v in rates.items()}


class BinaryFairness(_GroupStatScores):
    """Demographic parity and equal opportunity ratios (torchmetrics' class).

    `DP = min_g PR_g / max_g PR_g` with `PR_g = (tp_g + fp_g) / n_g` (the
    positive prediction rate) and `EO = min_g TPR_g / max_g TPR_g` with
    `TPR_g = tp_g / (tp_g + fn_g)`, over weighted counts. 1 means parity;
    lower values mean less parity for the lowest group.

    Deviation from torchmetrics: its keys name the lowest and highest groups
    (`DP_0_1`), which depends on the data and cannot be a fixed pytree under
    `jit`. Here the keys are fixed, `"DP"` and `"EO"` (the ratios) and
    `"DP_groups"`, `"EO_groups"` (int32 `[lowest group, highest group]`).
    A group whose rate is undefined (no entries; for EO, no positive
    targets) is left out of the min/max (torchmetrics' functional forms
    leave absent groups out; its class counts them as a rate of 0). A highest
    rate of 0 gives a ratio of 0 (torchmetrics' safe division); an empty
    state gives 0 with groups `[0, 0]` (torchmetrics' `DP_0_0 = 0`). Ties go
    to the lowest group id.

    `update(y_true, y_pred, groups, sample_weight=None)`: with
    `task="demographic_parity"`, `y_true` may be None (every entry counts);
    given, it masks ignored and invalid targets (torchmetrics discards it).

    Args:
        num_groups: number of groups (ids `0, ..., num_groups - 1`).
        task: `"demographic_parity"`, `"equal_opportunity"` or `"all"`.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        name: metric name.
        dtype: dtype of the ratios.

    >>> m = jm.metrics.BinaryFairness(num_groups=2).update(
    ...     jnp.array([0, 1, 0, 1, 1, 1]), jnp.array([0.1, 0.8, 0.2, 0.4, 0.7, 0.9]),
    ...     jnp.array([0, 0, 0, 1, 1, 1]))
    >>> out = m.compute()
    >>> round(float(out["DP"]), 4), out["DP_groups"].tolist()
    (0.5, [0, 1])
    >>> round(float(out["EO"]), 4), out["EO_groups"].tolist()
    (0.6667, [1, 0])
    """

    higher_is_better = True

    def __init__(
        self,
        *,
        num_groups: int,
        task: str = "all",
        threshold: float = 0.5,
        from_logits: bool = False,
        ignore_index: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        check_option("task", task, F.FAIRNESS_TASKS)
        self.task = task
        self._configure(num_groups, threshold, from_logits, ignore_index)
        super().__init__(name=name, dtype=dtype)

    def _check_target(self, y_true):
        F.check_fairness_target(y_true, self.task)

    def compute(self):
        """The ratios and their groups (fixed keys, see the class docstring)."""
        out = F.fairness_value(accumulator_value(self.stats), self.task)
        return {
            k: v if k.endswith("_groups") else v.astype(self.dtype)
            for k, v in out.items()
        }
