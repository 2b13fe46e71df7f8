"""Group fairness of binary predictions (torchmetrics' group fairness family).

One statistics kernel, `binary_group_statistics`, turns a batch into the
weighted `[tp, fp, tn, fn]` of every group (a `(num_groups, 4)` array); the
value kernels turn those counts into per-group rates, demographic parity or
equal opportunity. Metric classes and functional forms share the pair.

Conventions (those of the binary stat scores, plus group ids):

* Predictions are probabilities (`from_logits=True`: logits, a sigmoid is
  applied) thresholded with `y_pred > threshold`, or integer 0/1 labels.
* `groups` holds integer ids in `[0, num_groups)`: one per sample (`(N,)`,
  torchmetrics' input) or one per entry (the shape of `y_pred`).
* Entries whose target equals `ignore_index`, whose target is not 0 or 1,
  whose score is NaN or whose group id is out of range count nowhere
  (checked mode, `jax_metrics.checked`, raises them).
* `sample_weight` weights the leading axes of the targets (the shared rule).
* A rate `0/0` is 0 (torchmetrics' safe division). A group whose rate is
  undefined (no entries for demographic parity, no positive targets for
  equal opportunity) takes no part in the min/max; with no such rate at all
  the ratio is 0 and both group ids are 0.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics._checks import value_check
from jax_metrics.functional._stat_scores import validate_task_options
from jax_metrics.functional._stat_scores_statistics import (
    _check_int,
    _threshold_entries,
    check_option,
    safe_divide,
)

__all__ = [
    "binary_fairness",
    "binary_groups_stat_rates",
    "demographic_parity",
    "equal_opportunity",
]

FAIRNESS_TASKS = ("demographic_parity", "equal_opportunity", "all")


def _align_groups(groups, shape: tuple[int, ...]) -> Array:
    """Group ids broadcast to the entries' `shape` (from `shape` or a prefix)."""
    groups = jnp.asarray(groups)
    if not jnp.issubdtype(groups.dtype, jnp.integer):
        raise TypeError(f"expected integer `groups`, received dtype {groups.dtype}")
    if groups.shape != shape[: groups.ndim] or (groups.ndim == 0 and shape):
        raise ValueError(
            f"expected `groups` of shape {shape} or {shape[:1]} (one id per "
            f"sample), received {groups.shape}"
        )
    groups = groups.reshape(groups.shape + (1,) * (len(shape) - groups.ndim))
    return jnp.broadcast_to(groups, shape).astype(jnp.int32)


def binary_group_statistics(
    y_true: Array | None,
    y_pred: Array,
    groups: Array,
    *,
    num_groups: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `[tp, fp, tn, fn]` of every group, shape `(num_groups, 4)`.

    `y_true=None` counts every entry as a negative target (only the
    positive rate is then meaningful, as for demographic parity).

    >>> binary_group_statistics(jnp.array([1, 0, 1, 1]),
    ...     jnp.array([0.9, 0.8, 0.2, 0.7]), jnp.array([0, 0, 1, 1]),
    ...     num_groups=2).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.0]]
    """
    _check_int("num_groups", num_groups, 1)
    validate_task_options("binary", {"threshold": threshold})
    y_pred = jnp.asarray(y_pred)
    if y_true is None:
        y_true, ignore_index = jnp.zeros(y_pred.shape, jnp.int32), None
    target, pred, weight = _threshold_entries(
        y_true, y_pred, threshold, from_logits, ignore_index, sample_weight
    )
    groups = _align_groups(groups, target.shape)
    in_range = (groups >= 0) & (groups < num_groups)
    ignored = np.False_ if ignore_index is None else jnp.asarray(y_true) == ignore_index
    value_check(in_range | ignored, f"{{count}} group id(s) outside [0, {num_groups})")
    # one scatter: entry -> cell (group, [tp, fp, tn, fn])
    kind = jnp.where(target, jnp.where(pred, 0, 3), jnp.where(pred, 1, 2))
    cell = jnp.clip(groups, 0, num_groups - 1) * 4 + kind
    counts = jax.ops.segment_sum(
        jnp.where(in_range, weight, 0.0).reshape(-1),
        cell.reshape(-1),
        num_segments=4 * num_groups,
    )
    return counts.reshape(num_groups, 4)


def group_stat_rates_value(stats: Array) -> dict[str, Array]:
    """`{"group_i": [tp, fp, tn, fn] / total}` (zeros for an empty group).

    >>> group_stat_rates_value(jnp.array([[1.0, 1.0, 2.0, 0.0]]))["group_0"].tolist()
    [0.25, 0.25, 0.5, 0.0]
    """
    rates = safe_divide(stats, jnp.sum(stats, axis=-1, keepdims=True))
    return {f"group_{i}": rates[i] for i in range(rates.shape[0])}


def _min_max_ratio(rates: Array, defined: Array) -> tuple[Array, Array]:
    """`min / max` of the defined rates and the `(argmin, argmax)` group ids.

    Ties go to the lowest group id (torchmetrics' `argmin`/`argmax`).
    """
    low = jnp.argmin(jnp.where(defined, rates, jnp.inf))
    high = jnp.argmax(jnp.where(defined, rates, -jnp.inf))
    ratio = safe_divide(rates[low], rates[high])
    return ratio, jnp.stack([low, high]).astype(jnp.int32)


def demographic_parity_value(stats: Array) -> dict[str, Array]:
    """`{"DP": min_g PR_g / max_g PR_g, "DP_groups": [argmin, argmax]}`.

    `PR_g = (tp + fp) / total` is group `g`'s positive (prediction) rate;
    groups without entries are left out.

    >>> out = demographic_parity_value(jnp.array([[1.0, 1, 2, 0], [3, 0, 1, 0]]))
    >>> round(float(out["DP"]), 4), out["DP_groups"].tolist()
    (0.6667, [0, 1])
    """
    tp, fp, tn, fn = jnp.moveaxis(stats, -1, 0)
    total = tp + fp + tn + fn
    ratio, ids = _min_max_ratio(safe_divide(tp + fp, total), total > 0)
    return {"DP": ratio, "DP_groups": ids}


def equal_opportunity_value(stats: Array) -> dict[str, Array]:
    """`{"EO": min_g TPR_g / max_g TPR_g, "EO_groups": [argmin, argmax]}`.

    `TPR_g = tp / (tp + fn)` is group `g`'s true positive rate; groups
    without positive targets are left out.

    >>> out = equal_opportunity_value(jnp.array([[1.0, 1, 2, 1], [3, 0, 1, 0]]))
    >>> round(float(out["EO"]), 4), out["EO_groups"].tolist()
    (0.5, [0, 1])
    """
    tp, _, _, fn = jnp.moveaxis(stats, -1, 0)
    ratio, ids = _min_max_ratio(safe_divide(tp, tp + fn), tp + fn > 0)
    return {"EO": ratio, "EO_groups": ids}


def fairness_value(stats: Array, task: str = "all") -> dict[str, Array]:
    """Demographic parity, equal opportunity or both (`task="all"`).

    >>> sorted(fairness_value(jnp.ones((2, 4))))
    ['DP', 'DP_groups', 'EO', 'EO_groups']
    """
    check_option("task", task, FAIRNESS_TASKS)
    out = {}
    if task != "equal_opportunity":
        out.update(demographic_parity_value(stats))
    if task != "demographic_parity":
        out.update(equal_opportunity_value(stats))
    return out


def check_fairness_target(y_true, task: str) -> None:
    """Raises a ValueError when `task` needs targets and `y_true` is None."""
    check_option("task", task, FAIRNESS_TASKS)
    if y_true is None and task != "demographic_parity":
        raise ValueError(
            f"expected `y_true` (targets) for task={task!r}; only "
            "task='demographic_parity' accepts y_true=None, received None"
        )


def binary_groups_stat_rates(
    y_true: Array,
    y_pred: Array,
    groups: Array,
    *,
    num_groups: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> dict[str, Array]:
    """Per-group rates of `[tp, fp, tn, fn]` (torchmetrics' `binary_groups_stat_rates`).

    Each group's weighted counts divided by the group's total weight; a group
    without entries gives zeros (torchmetrics gives NaN).

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ...)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        groups: integer group ids in `[0, num_groups)`, shape `(N,)` or that
            of `y_pred`.
        num_groups: number of groups.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        `{"group_0": rates, ..., "group_{num_groups - 1}": rates}`, each
        rates a `(4,)` array.

    >>> out = binary_groups_stat_rates(jnp.array([0, 1, 0, 1, 0, 1]),
    ...     jnp.array([0.1, 0.8, 0.2, 0.4, 0.7, 0.9]),
    ...     jnp.array([0, 0, 0, 1, 1, 1]), num_groups=2)
    >>> [[round(x, 4) for x in v.tolist()] for v in out.values()]
    [[0.3333, 0.0, 0.6667, 0.0], [0.3333, 0.3333, 0.0, 0.3333]]
    """
    if y_true is None:
        raise ValueError("expected `y_true` (targets), received None")
    stats = binary_group_statistics(
        y_true,
        y_pred,
        groups,
        num_groups=num_groups,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return group_stat_rates_value(stats)


def demographic_parity(
    y_pred: Array,
    groups: Array,
    *,
    num_groups: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    sample_weight: Array | None = None,
) -> dict[str, Array]:
    """Demographic parity: lowest over highest positive rate (torchmetrics').

    `DP = min_g PR_g / max_g PR_g` with `PR_g` the (weighted) share of group
    `g`'s predictions that are positive; groups without entries are left
    out. Like torchmetrics it needs no targets. torchmetrics names its key
    after the two groups (`DP_0_1`); a key cannot depend on data under
    `jit`, so the groups come as a value.

    Args:
        y_pred: probabilities, logits or 0/1 labels, shape `(N, ...)`.
        groups: integer group ids in `[0, num_groups)`, shape `(N,)` or that
            of `y_pred`.
        num_groups: number of groups.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        sample_weight: weights of the leading axes of `y_pred`.

    Returns:
        `{"DP": ratio, "DP_groups": int32 [lowest group, highest group]}`.

    >>> out = demographic_parity(jnp.array([0.1, 0.8, 0.2, 0.4, 0.7, 0.9]),
    ...     jnp.array([0, 0, 0, 1, 1, 1]), num_groups=2)
    >>> round(float(out["DP"]), 4), out["DP_groups"].tolist()
    (0.5, [0, 1])
    """
    return binary_fairness(
        None,
        y_pred,
        groups,
        num_groups=num_groups,
        task="demographic_parity",
        threshold=threshold,
        from_logits=from_logits,
        sample_weight=sample_weight,
    )


def equal_opportunity(
    y_true: Array,
    y_pred: Array,
    groups: Array,
    *,
    num_groups: int,
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> dict[str, Array]:
    """Equal opportunity: lowest over highest true positive rate (torchmetrics').

    `EO = min_g TPR_g / max_g TPR_g` with `TPR_g = tp_g / (tp_g + fn_g)`
    (weighted); groups without positive targets are left out. The groups
    come as a value, not in the key (torchmetrics' `EO_0_1`).

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ...)`.
        y_pred: probabilities, logits or 0/1 labels, same shape.
        groups: integer group ids in `[0, num_groups)`, shape `(N,)` or that
            of `y_pred`.
        num_groups: number of groups.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        `{"EO": ratio, "EO_groups": int32 [lowest group, highest group]}`.

    >>> out = equal_opportunity(jnp.array([0, 1, 0, 1, 1, 1]),
    ...     jnp.array([0.1, 0.8, 0.2, 0.4, 0.7, 0.9]),
    ...     jnp.array([0, 0, 0, 1, 1, 1]), num_groups=2)
    >>> round(float(out["EO"]), 4), out["EO_groups"].tolist()
    (0.6667, [1, 0])
    """
    return binary_fairness(
        y_true,
        y_pred,
        groups,
        num_groups=num_groups,
        task="equal_opportunity",
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )


def binary_fairness(
    y_true: Array | None,
    y_pred: Array,
    groups: Array,
    *,
    num_groups: int,
    task: str = "all",
    threshold: float = 0.5,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> dict[str, Array]:
    """Demographic parity and/or equal opportunity (torchmetrics' `binary_fairness`).

    See `demographic_parity` and `equal_opportunity` for the ratios.

    Args:
        y_true: labels in `{0, 1}`, shape `(N, ...)`; may be None only for
            `task="demographic_parity"` (given, it still masks ignored and
            invalid targets).
        y_pred: probabilities, logits or 0/1 labels, same shape.
        groups: integer group ids in `[0, num_groups)`, shape `(N,)` or that
            of `y_pred`.
        num_groups: number of groups.
        task: `"demographic_parity"`, `"equal_opportunity"` or `"all"`.
        threshold: a prediction is positive when `y_pred > threshold`.
        from_logits: apply a sigmoid to `y_pred` first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_pred`.

    Returns:
        `{"DP", "DP_groups"}`, `{"EO", "EO_groups"}` or all four keys.

    >>> out = binary_fairness(jnp.array([0, 1, 0, 1, 1, 1]),
    ...     jnp.array([0.1, 0.8, 0.2, 0.4, 0.7, 0.9]),
    ...     jnp.array([0, 0, 0, 1, 1, 1]), num_groups=2)
    >>> {k: round(float(v), 4) for k, v in out.items() if k in ("DP", "EO")}
    {'DP': 0.5, 'EO': 0.6667}
    """
    check_fairness_target(y_true, task)
    stats = binary_group_statistics(
        y_true,
        y_pred,
        groups,
        num_groups=num_groups,
        threshold=threshold,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return fairness_value(stats, task)
