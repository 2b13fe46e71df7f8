"""Accuracy kernels (Keras 3 semantics): per-sample 0/1 matches."""

from __future__ import annotations

import jax.numpy as jnp
from jax import Array

from jax_metrics._checks import check_scores, check_targets
from jax_metrics.functional._reduction import squeeze_or_expand_to_same_rank

__all__ = [
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "in_top_k",
    "sparse_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]


def _check_shapes(y_true: Array, y_pred: Array, expected_true: tuple, what: str):
    if tuple(y_true.shape) != tuple(expected_true):
        raise ValueError(
            f"{what}: expected y_true of shape {tuple(expected_true)} for y_pred of "
            f"shape {tuple(y_pred.shape)}, received y_true of shape "
            f"{tuple(y_true.shape)}"
        )


def accuracy(y_true: Array, y_pred: Array) -> Array:
    """1.0 where `y_true == y_pred` exactly, else 0.0.

    >>> accuracy(jnp.array([1, 2, 3]), jnp.array([1, 2, 4])).tolist()
    [1.0, 1.0, 0.0]
    """
    y_pred = jnp.asarray(y_pred)
    y_true = jnp.asarray(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _check_shapes(y_true, y_pred, y_pred.shape, "accuracy")
    return (y_true == y_pred).astype(jnp.float32)


def binary_accuracy(y_true: Array, y_pred: Array, *, threshold: float = 0.5) -> Array:
    """1.0 where `(y_pred > threshold)` equals the binary label.

    >>> binary_accuracy(jnp.array([1, 0, 1]), jnp.array([0.9, 0.6, 0.4])).tolist()
    [1.0, 0.0, 0.0]
    """
    y_pred = jnp.asarray(y_pred)
    y_true = jnp.asarray(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _check_shapes(y_true, y_pred, y_pred.shape, "binary_accuracy")
    predicted = (y_pred > threshold).astype(y_true.dtype)
    return (y_true == predicted).astype(jnp.float32)


def _sparse_matches(labels: Array, y_pred: Array) -> Array:
    """Matches of integer-valued `labels` with `argmax(y_pred)` (Keras rule)."""
    y_pred = jnp.asarray(y_pred)
    labels = jnp.asarray(labels, y_pred.dtype)
    original_shape = labels.shape
    reshape = labels.ndim == y_pred.ndim and labels.shape[-1] == 1
    if reshape:
        labels = jnp.squeeze(labels, -1)
    _check_shapes(labels, y_pred, y_pred.shape[:-1], "class labels")
    classes = y_pred.shape[-1]
    check_targets(
        (labels >= 0) & (labels < classes) & (labels == jnp.round(labels)),
        f"outside [0, {classes})",
    )
    check_scores(y_pred, axis=-1)
    predicted = jnp.argmax(y_pred, axis=-1).astype(labels.dtype)
    matches = (labels == predicted).astype(jnp.float32)
    if reshape:
        matches = matches.reshape(original_shape)
    return matches


def categorical_accuracy(y_true: Array, y_pred: Array) -> Array:
    """1.0 where `argmax(y_true) == argmax(y_pred)` on the last axis.

    >>> y_true = jnp.array([[0, 0, 1], [0, 1, 0]])
    >>> y_pred = jnp.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])
    >>> categorical_accuracy(y_true, y_pred).tolist()
    [1.0, 0.0]
    """
    y_true = jnp.asarray(y_true)
    _check_shapes(
        y_true, jnp.asarray(y_pred), jnp.shape(y_pred), "categorical_accuracy"
    )
    return _sparse_matches(jnp.argmax(y_true, axis=-1), y_pred)


def sparse_categorical_accuracy(y_true: Array, y_pred: Array) -> Array:
    """1.0 where the integer label equals `argmax(y_pred)` on the last axis.

    >>> y_pred = jnp.array([[0.1, 0.9], [0.8, 0.2]])
    >>> sparse_categorical_accuracy(jnp.array([1, 1]), y_pred).tolist()
    [1.0, 0.0]
    """
    matches = _sparse_matches(y_true, y_pred)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = jnp.squeeze(matches, -1)
    return matches


def in_top_k(targets: Array, predictions: Array, *, k: int) -> Array:
    """True where the target's score ranks among the `k` highest (ties count).

    The rank is one plus the number of strictly larger scores, so no sort is
    needed; a NaN score at the target never counts as top.

    >>> in_top_k(jnp.array([2, 0]), jnp.array([[0.1, 0.5, 0.4], [0.1, 0.5, 0.4]]),
    ...          k=2).tolist()
    [True, False]
    """
    predictions = jnp.asarray(predictions)
    targets = jnp.asarray(targets, jnp.int32)
    check_targets(
        (targets >= 0) & (targets < predictions.shape[-1]),
        f"outside [0, {predictions.shape[-1]})",
    )
    at_target = jnp.take_along_axis(predictions, targets[..., None], axis=-1)
    at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    rank = 1 + jnp.sum(predictions > at_target, axis=-1)
    return rank <= k


def _top_k_labels(labels: Array, y_pred: Array) -> tuple[Array, tuple]:
    """Checks labels against `y_pred`, squeezing a trailing singleton axis.

    Keras flattens the labels, so `(N, 1)` labels for `(N, C)` scores are
    accepted; the matches keep the labels' original shape.
    """
    original_shape = labels.shape
    if labels.ndim == y_pred.ndim and labels.ndim > 1 and labels.shape[-1] == 1:
        labels = jnp.squeeze(labels, -1)
    _check_shapes(labels, y_pred, y_pred.shape[:-1], "top_k_accuracy")
    return labels, original_shape


def _flat_top_k(labels: Array, y_pred: Array, k: int) -> Array:
    y_pred = jnp.asarray(y_pred)
    labels, original_shape = _top_k_labels(labels, y_pred)
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    labels = labels.reshape(-1) if labels.ndim > 1 else labels
    matches = in_top_k(labels, y_pred, k=k).astype(jnp.float32)
    return matches.reshape(original_shape)


def top_k_categorical_accuracy(y_true: Array, y_pred: Array, *, k: int = 5) -> Array:
    """1.0 where `argmax(y_true)` is among the top-`k` scores of `y_pred`.

    >>> y_true = jnp.array([[0, 0, 1], [0, 1, 0]])
    >>> y_pred = jnp.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    >>> top_k_categorical_accuracy(y_true, y_pred, k=1).tolist()
    [0.0, 1.0]
    """
    y_true = jnp.asarray(y_true)
    _check_shapes(y_true, jnp.asarray(y_pred), jnp.shape(y_pred), "top_k_accuracy")
    return _flat_top_k(jnp.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(
    y_true: Array, y_pred: Array, *, k: int = 5, from_sorted_ids: bool = False
) -> Array:
    """1.0 where the integer label is among the top-`k` scores of `y_pred`.

    With `from_sorted_ids=True`, `y_pred` holds class ids sorted by score and
    a match is the label appearing in its first `k` columns.

    >>> y_pred = jnp.array([[0.1, 0.9, 0.0], [0.05, 0.95, 0.0]])
    >>> sparse_top_k_categorical_accuracy(jnp.array([2, 1]), y_pred, k=1).tolist()
    [0.0, 1.0]
    """
    y_pred = jnp.asarray(y_pred)
    labels = jnp.asarray(y_true, y_pred.dtype if from_sorted_ids else jnp.int32)
    if not from_sorted_ids:
        return _flat_top_k(labels, y_pred, k)
    labels, original_shape = _top_k_labels(labels, y_pred)
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    flat = labels.reshape(-1)
    matches = jnp.any(flat[:, None] == y_pred[:, :k], axis=1).astype(jnp.float32)
    return matches.reshape(original_shape)
