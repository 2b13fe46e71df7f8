"""Task calibration error (reliability-curve bins) and hinge loss kernels."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import Array

from jax_metrics._checks import check_probabilities
from jax_metrics.functional._curve_points import curve_entries
from jax_metrics.functional._stat_scores_statistics import (
    _check_int,
    check_option,
    safe_divide,
)

__all__ = [
    "binary_calibration_error",
    "binary_hinge_loss",
    "calibration_error_value",
    "calibration_statistics",
    "hinge_statistics",
    "multiclass_calibration_error",
    "multiclass_hinge_loss",
]


# ---------------------------------------------------------------------------
# calibration: the reliability curve's bins

CALIBRATION_NORMS = ("l1", "l2", "max")


def calibration_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    n_bins: int = 15,
    num_classes: int | None = None,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(count, confidence sum, accuracy sum)` per bin, `(3, n_bins + 1)`.

    Binary (`num_classes=None`): confidence is the probability, accuracy the
    0/1 label. Multiclass: confidence is the top probability, accuracy whether
    the argmax is the label. Confidence `c` falls in bin `floor(c * n_bins)`
    (the last bucket holds `c == 1`), torchmetrics' bucketing.

    >>> calibration_statistics(jnp.array([1, 0]), jnp.array([0.9, 0.2]),
    ...                        n_bins=2)[0].tolist()
    [1.0, 1.0, 0.0]
    """
    _check_int("n_bins", n_bins, 1)
    if num_classes is None:
        targets, scores, weights = curve_entries(
            "binary",
            y_true,
            y_pred,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        confidence, accuracy = scores, targets
    else:
        targets, scores, weights = curve_entries(
            "multiclass",
            y_true,
            y_pred,
            num_classes=num_classes,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        confidence = jnp.max(scores, axis=-1)
        hit = jnp.take_along_axis(
            targets, jnp.argmax(scores, axis=-1)[:, None], axis=-1
        )[:, 0]
        confidence, accuracy, weights = confidence, hit, weights[:, 0]
    check_probabilities(scores)
    boundaries = jnp.linspace(0, 1, n_bins + 1)
    index = jnp.searchsorted(boundaries, confidence, side="right") - 1
    index = jnp.clip(index, 0, n_bins)
    data = jnp.stack([weights, weights * confidence, weights * accuracy], -1)
    bins = jax.ops.segment_sum(data, index, num_segments=n_bins + 1)
    return bins.T


def calibration_error_value(bins: Array, norm: str = "l1") -> Array:
    """Expected (`"l1"`), root-mean-square (`"l2"`) or maximum (`"max"`) error.

    With per-bin mean confidence `c_b`, accuracy `a_b` and share `p_b`:
    `l1 = sum_b p_b |a_b - c_b|`, `l2 = sqrt(sum_b p_b (a_b - c_b)^2)`,
    `max = max_b |a_b - c_b|` (empty bins count 0).

    >>> bins = jnp.array([[1.0, 1.0], [0.2, 0.9], [0.0, 1.0]])
    >>> round(float(calibration_error_value(bins, "l1")), 4)
    0.15
    """
    check_option("norm", norm, CALIBRATION_NORMS)
    count, confidence, accuracy = bins
    gap = jnp.abs(safe_divide(accuracy, count) - safe_divide(confidence, count))
    share = safe_divide(count, jnp.sum(count))
    if norm == "l1":
        return jnp.sum(gap * share)
    if norm == "max":
        return jnp.max(gap)
    return jnp.sqrt(jnp.sum(gap * gap * share))


def binary_calibration_error(
    y_true: Array,
    y_pred: Array,
    *,
    n_bins: int = 15,
    norm: str = "l1",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Calibration error of binary probabilities (torchmetrics').

    Args:
        y_true: labels in `{0, 1}`.
        y_pred: probabilities (or logits with `from_logits=True`).
        n_bins: number of equal-width confidence bins.
        norm: `"l1"` (expected calibration error), `"l2"` or `"max"`.
        from_logits: apply a sigmoid first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The calibration error.

    >>> round(float(binary_calibration_error(jnp.array([0, 1, 1, 0, 1]),
    ...     jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]), n_bins=2)), 4)
    0.12
    """
    bins = calibration_statistics(
        y_true,
        y_pred,
        n_bins=n_bins,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return calibration_error_value(bins, norm)


def multiclass_calibration_error(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    n_bins: int = 15,
    norm: str = "l1",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Calibration error of the top-class probability (torchmetrics').

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: probabilities `(N, ..., C)` (or logits with `from_logits=True`).
        num_classes: number of classes.
        n_bins: number of equal-width confidence bins.
        norm: `"l1"` (expected calibration error), `"l2"` or `"max"`.
        from_logits: apply a softmax first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The calibration error.

    >>> round(float(multiclass_calibration_error(jnp.array([0, 1, 1]),
    ...     jnp.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]), num_classes=2,
    ...     n_bins=2)), 4)
    0.0333
    """
    bins = calibration_statistics(
        y_true,
        y_pred,
        n_bins=n_bins,
        num_classes=num_classes,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return calibration_error_value(bins, norm)


# ---------------------------------------------------------------------------
# hinge loss (torchmetrics' task hinge, on probabilities or raw scores)

HINGE_MODES = ("crammer-singer", "one-vs-all")


def hinge_statistics(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int | None = None,
    squared: bool = False,
    multiclass_mode: str = "crammer-singer",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Weighted `(loss sum, weight sum)` of the hinge loss, `(2,)` or `(2, C)`.

    The loss sum is per class for `"one-vs-all"`.

    Binary: `max(0, 1 - m)` with margin `m = y_pred` for positives and
    `-y_pred` for negatives. Multiclass Crammer-Singer: `m = s_y - max_{k != y}
    s_k`; one-vs-all: a binary hinge per class. `squared` squares the loss.
    Scores are used as given (`from_logits=True` applies a sigmoid/softmax
    first, which is what torchmetrics does to logits).

    >>> hinge_statistics(jnp.array([1, 0]), jnp.array([0.8, 0.3])).tolist()
    [1.5, 2.0]
    """
    if num_classes is None:
        targets, scores, weights = curve_entries(
            "binary",
            y_true,
            y_pred,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        margin = jnp.where(targets > 0, scores, -scores)
    else:
        check_option("multiclass_mode", multiclass_mode, HINGE_MODES)
        targets, scores, weights = curve_entries(
            "multiclass",
            y_true,
            y_pred,
            num_classes=num_classes,
            from_logits=from_logits,
            ignore_index=ignore_index,
            sample_weight=sample_weight,
        )
        if multiclass_mode == "one-vs-all":
            margin = jnp.where(targets > 0, scores, -scores)
        else:
            true_score = jnp.sum(targets * scores, axis=-1)
            other = jnp.max(jnp.where(targets > 0, -jnp.inf, scores), axis=-1)
            margin = true_score - other
            weights = weights[:, 0]
    loss = jnp.maximum(1 - margin, 0.0)
    if squared:
        loss = loss * loss
    total = jnp.sum(weights * loss, axis=0)
    count = jnp.sum(weights, axis=0)
    return jnp.stack([total, count])


def binary_hinge_loss(
    y_true: Array,
    y_pred: Array,
    *,
    squared: bool = False,
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Mean (weighted) hinge loss of binary scores (torchmetrics' `BinaryHingeLoss`).

    Args:
        y_true: labels in `{0, 1}`.
        y_pred: probabilities or scores (logits with `from_logits=True`).
        squared: square the per-sample loss.
        from_logits: apply a sigmoid first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The mean loss.

    >>> round(float(binary_hinge_loss(jnp.array([0, 1, 1, 0, 1]),
    ...     jnp.array([0.2, 0.7, 0.4, 0.6, 0.9]))), 4)
    0.76
    """
    total, count = hinge_statistics(
        y_true,
        y_pred,
        squared=squared,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return safe_divide(total, count)


def multiclass_hinge_loss(
    y_true: Array,
    y_pred: Array,
    *,
    num_classes: int,
    squared: bool = False,
    multiclass_mode: str = "crammer-singer",
    from_logits: bool = False,
    ignore_index: int | None = None,
    sample_weight: Array | None = None,
) -> Array:
    """Mean (weighted) multiclass hinge loss (torchmetrics' `MulticlassHingeLoss`).

    Args:
        y_true: integer labels `(N, ...)`.
        y_pred: scores `(N, ..., C)` (logits with `from_logits=True`).
        num_classes: number of classes.
        squared: square the per-sample loss.
        multiclass_mode: `"crammer-singer"` (scalar) or `"one-vs-all"` (per
            class).
        from_logits: apply a softmax first.
        ignore_index: target value whose entries are ignored.
        sample_weight: weights of the leading axes of `y_true`.

    Returns:
        The mean loss.

    >>> round(float(multiclass_hinge_loss(jnp.array([0, 1]),
    ...     jnp.array([[0.8, 0.2], [0.6, 0.4]]), num_classes=2)), 4)
    0.8
    """
    total, count = hinge_statistics(
        y_true,
        y_pred,
        num_classes=num_classes,
        squared=squared,
        multiclass_mode=multiclass_mode,
        from_logits=from_logits,
        ignore_index=ignore_index,
        sample_weight=sample_weight,
    )
    return safe_divide(total, count)
