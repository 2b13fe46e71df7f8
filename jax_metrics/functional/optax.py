"""Every `optax.losses` function, under its optax name and signature.

These are thin, documented wrappers that delegate to optax (the field's
maintained kernel set); they take optax's argument order
(`predictions`/`logits` first, then `targets`/`labels`), not Keras'.
Names that do not clash with a Keras kernel are also exported from
`jax_metrics.functional`; on a clash (`cosine_similarity`, `log_cosh`,
`kl_divergence`) `jax_metrics.functional` holds the Keras form and optax's
stays here. The `Loss` classes over them live in `jax_metrics.losses`
(`SigmoidBinaryCrossEntropy`, `SoftmaxCrossEntropy`, `SquaredError`, ...).

>>> import jax.numpy as jnp
>>> from jax_metrics.functional import optax as ox
>>> ox.squared_error(jnp.array([1.0, 3.0]), jnp.array([0.0, 1.0])).tolist()
[1.0, 4.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import optax
from jax import Array
from jax.typing import ArrayLike

_L = optax.losses

__all__ = [
    "binary_dice_loss",
    "convex_kl_divergence",
    "cosine_distance",
    "cosine_similarity",
    "ctc_loss",
    "ctc_loss_with_forward_probs",
    "dice_loss",
    "generalized_kl_divergence",
    "hinge_loss",
    "huber_loss",
    "kl_divergence",
    "kl_divergence_with_log_targets",
    "l2_loss",
    "log_cosh",
    "make_fenchel_young_loss",
    "multiclass_generalized_dice_loss",
    "multiclass_hinge_loss",
    "multiclass_perceptron_loss",
    "multiclass_sparsemax_loss",
    "ntxent",
    "perceptron_loss",
    "poly_loss_cross_entropy",
    "ranking_softmax_loss",
    "safe_softmax_cross_entropy",
    "sigmoid_binary_cross_entropy",
    "sigmoid_focal_loss",
    "smooth_labels",
    "softmax_cross_entropy",
    "softmax_cross_entropy_with_integer_labels",
    "sparsemax_loss",
    "squared_error",
    "triplet_margin_loss",
]

Axis = int | tuple[int, ...] | None


# Classification ---------------------------------------------------------------
def sigmoid_binary_cross_entropy(logits: ArrayLike, labels: ArrayLike) -> Array:
    """Element-wise sigmoid cross-entropy on logits (`optax.losses`).

    `-labels * log_sigmoid(logits) - (1 - labels) * log_sigmoid(-logits)`.

    >>> loss = sigmoid_binary_cross_entropy(jnp.array([0.0, 2.0]),
    ...                                     jnp.array([0.0, 1.0]))
    >>> [round(float(v), 4) for v in loss]
    [0.6931, 0.1269]
    """
    return _L.sigmoid_binary_cross_entropy(logits, labels)


def sigmoid_focal_loss(
    logits: ArrayLike,
    labels: ArrayLike,
    *,
    alpha: ArrayLike | None = None,
    gamma: ArrayLike = 2.0,
) -> Array:
    """Element-wise sigmoid focal loss on logits (`optax.losses`).

    The sigmoid cross-entropy times `(1 - p_t)**gamma`, weighted by `alpha`
    for positives and `1 - alpha` for negatives when `alpha` is given.

    >>> loss = sigmoid_focal_loss(jnp.array([0.0, 2.0]), jnp.array([0.0, 1.0]))
    >>> [round(float(v), 4) for v in loss]
    [0.1733, 0.0018]
    """
    return _L.sigmoid_focal_loss(logits, labels, alpha=alpha, gamma=gamma)


def softmax_cross_entropy(
    logits: ArrayLike,
    labels: ArrayLike,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """Softmax cross-entropy between logits and label distributions (`optax.losses`).

    `-sum(labels * log_softmax(logits), axis)`; classes outside `where` are
    left out of the softmax and the sum.

    >>> loss = softmax_cross_entropy(jnp.array([[0.0, 1.0]]), jnp.array([[0.0, 1.0]]))
    >>> round(float(loss[0]), 4)
    0.3133
    """
    return _L.softmax_cross_entropy(logits, labels, axis=axis, where=where)


def softmax_cross_entropy_with_integer_labels(
    logits: ArrayLike,
    labels: ArrayLike,
    axis: int | tuple[int, ...] = -1,
    where: ArrayLike | None = None,
) -> Array:
    """Softmax cross-entropy with integer labels (`optax.losses`).

    `logsumexp(logits) - logits[label]`; rows with no class inside `where`
    give 0.

    >>> loss = softmax_cross_entropy_with_integer_labels(jnp.array([[0.0, 1.0]]),
    ...                                                  jnp.array([1]))
    >>> round(float(loss[0]), 4)
    0.3133
    """
    return _L.softmax_cross_entropy_with_integer_labels(
        logits, labels, axis=axis, where=where
    )


def safe_softmax_cross_entropy(logits: ArrayLike, labels: ArrayLike) -> Array:
    """Softmax cross-entropy that tolerates `-inf` logits (`optax.losses`).

    >>> loss = safe_softmax_cross_entropy(jnp.array([[0.0, -jnp.inf]]),
    ...                                   jnp.array([[1.0, 0.0]]))
    >>> round(float(loss[0]), 4)
    0.0
    """
    return _L.safe_softmax_cross_entropy(logits, labels)


def poly_loss_cross_entropy(
    logits: ArrayLike,
    labels: ArrayLike,
    *,
    epsilon: ArrayLike = 2.0,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """PolyLoss (Leng et al., 2022): cross-entropy `+ epsilon * (1 - p_t)` (optax).

    >>> loss = poly_loss_cross_entropy(jnp.array([[0.0, 1.0]]),
    ...                                jnp.array([[0.0, 1.0]]))
    >>> round(float(loss[0]), 4)
    0.8511
    """
    return _L.poly_loss_cross_entropy(
        logits, labels, epsilon=epsilon, axis=axis, where=where
    )


def hinge_loss(predictor_outputs: ArrayLike, targets: ArrayLike) -> Array:
    """Element-wise binary hinge loss `max(0, 1 - outputs * targets)` (optax).

    Targets are in `{-1, 1}`.

    >>> hinge_loss(jnp.array([0.5, -2.0]), jnp.array([1.0, -1.0])).tolist()
    [0.5, 0.0]
    """
    return _L.hinge_loss(predictor_outputs, targets)


def perceptron_loss(predictor_outputs: ArrayLike, targets: ArrayLike) -> Array:
    """Element-wise binary perceptron loss `max(0, -outputs * targets)` (optax).

    >>> perceptron_loss(jnp.array([0.5, 2.0]), jnp.array([1.0, -1.0])).tolist()
    [0.0, 2.0]
    """
    return _L.perceptron_loss(predictor_outputs, targets)


def sparsemax_loss(logits: ArrayLike, labels: ArrayLike) -> Array:
    """Element-wise binary sparsemax loss (optax).

    >>> sparsemax_loss(jnp.array([0.5, -2.0]), jnp.array([1, 0])).tolist()
    [0.0625, 0.0]
    """
    return _L.sparsemax_loss(logits, labels)


def multiclass_hinge_loss(scores: ArrayLike, labels: ArrayLike) -> Array:
    """Multiclass hinge loss `max(scores + 1 - one_hot) - scores[label]` (optax).

    >>> multiclass_hinge_loss(jnp.array([[0.0, 1.0, 0.5]]), jnp.array([0])).tolist()
    [2.0]
    """
    return _L.multiclass_hinge_loss(scores, labels)


def multiclass_perceptron_loss(scores: ArrayLike, labels: ArrayLike) -> Array:
    """Multiclass perceptron loss `max(scores) - scores[label]` (optax).

    >>> multiclass_perceptron_loss(jnp.array([[0.0, 1.0, 0.5]]),
    ...                            jnp.array([0])).tolist()
    [1.0]
    """
    return _L.multiclass_perceptron_loss(scores, labels)


def multiclass_sparsemax_loss(scores: ArrayLike, labels: ArrayLike) -> Array:
    """Multiclass sparsemax loss (Martins & Astudillo, 2016) (optax).

    >>> multiclass_sparsemax_loss(jnp.array([[0.0, 1.0, 0.5]]),
    ...                           jnp.array([0])).tolist()
    [1.0625]
    """
    return _L.multiclass_sparsemax_loss(scores, labels)


def smooth_labels(
    labels: ArrayLike,
    alpha: ArrayLike,
    *,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """Label smoothing `(1 - alpha) * labels + alpha / num_classes` (optax).

    >>> [round(float(v), 4) for v in smooth_labels(jnp.array([[0.0, 1.0]]), 0.2)[0]]
    [0.1, 0.9]
    """
    return _L.smooth_labels(labels, alpha, axis=axis, where=where)


def make_fenchel_young_loss(max_fun: Callable[..., Any]) -> Callable[..., Array]:
    """Builds a Fenchel-Young loss `max_fun(scores) - <targets, scores>` (optax).

    The returned function takes `(scores, targets, *args, **kwargs)` and works
    over the last axis.

    >>> from jax.scipy.special import logsumexp
    >>> loss = make_fenchel_young_loss(logsumexp)
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.0, 1.0]]))[0]), 4)
    0.3133
    """
    return _L.make_fenchel_young_loss(max_fun)


# Regression -------------------------------------------------------------------
def squared_error(predictions: ArrayLike, targets: ArrayLike | None = None) -> Array:
    """Element-wise squared error `(predictions - targets)**2` (optax).

    >>> squared_error(jnp.array([1.0, 3.0]), jnp.array([0.0, 1.0])).tolist()
    [1.0, 4.0]
    """
    return _L.squared_error(predictions, targets)


def l2_loss(predictions: ArrayLike, targets: ArrayLike | None = None) -> Array:
    """Element-wise half squared error `0.5 * (predictions - targets)**2` (optax).

    >>> l2_loss(jnp.array([1.0, 3.0]), jnp.array([0.0, 1.0])).tolist()
    [0.5, 2.0]
    """
    return _L.l2_loss(predictions, targets)


def huber_loss(
    predictions: ArrayLike,
    targets: ArrayLike | None = None,
    *,
    delta: ArrayLike = 1.0,
) -> Array:
    """Element-wise Huber loss (optax); averaged per sample it is Keras' `huber`.

    >>> huber_loss(jnp.array([0.5, 3.0]), jnp.array([0.0, 0.0])).tolist()
    [0.125, 2.5]
    """
    return _L.huber_loss(predictions, targets, delta=delta)


def log_cosh(predictions: ArrayLike, targets: ArrayLike | None = None) -> Array:
    """Element-wise `log(cosh(predictions - targets))` (optax's form).

    `jax_metrics.functional.log_cosh` is Keras' form (averaged over the last
    axis, Keras' argument order).

    >>> round(float(log_cosh(jnp.array([1.0]), jnp.array([0.0]))[0]), 4)
    0.4338
    """
    return _L.log_cosh(predictions, targets)


def cosine_similarity(
    predictions: ArrayLike,
    targets: ArrayLike,
    *,
    epsilon: ArrayLike = 0.0,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """Cosine similarity (optax's form: not negated, norms clipped by `epsilon`).

    `jax_metrics.functional.cosine_similarity` is Keras' negated loss form.

    >>> loss = cosine_similarity(jnp.array([[1.0, 1.0]]), jnp.array([[0.0, 1.0]]))
    >>> round(float(loss[0]), 4)
    0.7071
    """
    return _L.cosine_similarity(
        predictions, targets, epsilon=epsilon, axis=axis, where=where
    )


def cosine_distance(
    predictions: ArrayLike,
    targets: ArrayLike,
    *,
    epsilon: ArrayLike = 0.0,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """Cosine distance `1 - cosine_similarity` (optax).

    >>> loss = cosine_distance(jnp.array([[1.0, 1.0]]), jnp.array([[0.0, 1.0]]))
    >>> round(float(loss[0]), 4)
    0.2929
    """
    return _L.cosine_distance(
        predictions, targets, epsilon=epsilon, axis=axis, where=where
    )


# Probabilistic ----------------------------------------------------------------
def kl_divergence(
    log_predictions: ArrayLike,
    targets: ArrayLike,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """KL divergence of `targets` from `exp(log_predictions)` (optax's form).

    Takes log-predictions (PyTorch's `KLDivLoss` convention);
    `jax_metrics.functional.kl_divergence` is Keras' form on probabilities.

    >>> log_p = jnp.log(jnp.array([[0.25, 0.75]]))
    >>> round(float(kl_divergence(log_p, jnp.array([[0.5, 0.5]]))[0]), 4)
    0.1438
    """
    return _L.kl_divergence(log_predictions, targets, axis=axis, where=where)


def kl_divergence_with_log_targets(
    log_predictions: ArrayLike,
    log_targets: ArrayLike,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """KL divergence with both arguments as log-probabilities (optax).

    >>> log_p = jnp.log(jnp.array([[0.25, 0.75]]))
    >>> log_t = jnp.log(jnp.array([[0.5, 0.5]]))
    >>> round(float(kl_divergence_with_log_targets(log_p, log_t)[0]), 4)
    0.1438
    """
    return _L.kl_divergence_with_log_targets(
        log_predictions, log_targets, axis=axis, where=where
    )


def generalized_kl_divergence(
    log_predictions: ArrayLike,
    targets: ArrayLike,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """Generalized KL divergence, for unnormalised measures (optax).

    `kl_divergence + sum(exp(log_predictions) - targets)`.

    >>> log_p = jnp.log(jnp.array([[0.25, 0.75]]))
    >>> round(float(generalized_kl_divergence(log_p, jnp.array([[0.5, 0.5]]))[0]), 4)
    0.1438
    """
    return _L.generalized_kl_divergence(
        log_predictions, targets, axis=axis, where=where
    )


def convex_kl_divergence(
    log_predictions: ArrayLike,
    targets: ArrayLike,
    axis: Axis = -1,
    where: ArrayLike | None = None,
) -> Array:
    """Deprecated optax alias of `generalized_kl_divergence` (same values).

    >>> log_p = jnp.log(jnp.array([[0.25, 0.75]]))
    >>> round(float(convex_kl_divergence(log_p, jnp.array([[0.5, 0.5]]))[0]), 4)
    0.1438
    """
    return _L.generalized_kl_divergence(
        log_predictions, targets, axis=axis, where=where
    )


def ctc_loss(
    logits: ArrayLike,
    logit_paddings: ArrayLike,
    labels: ArrayLike,
    label_paddings: ArrayLike,
    *,
    blank_id: int = 0,
    log_epsilon: ArrayLike = -1e5,
) -> Array:
    """Per-sequence CTC loss with explicit paddings (optax).

    >>> loss = ctc_loss(jnp.zeros((1, 3, 3)), jnp.zeros((1, 3)),
    ...                 jnp.array([[1, 2]]), jnp.zeros((1, 2)))
    >>> round(float(loss[0]), 4)
    1.6864
    """
    return _L.ctc_loss(
        logits,
        logit_paddings,
        labels,
        label_paddings,
        blank_id=blank_id,
        log_epsilon=log_epsilon,
    )


def ctc_loss_with_forward_probs(
    logits: ArrayLike,
    logit_paddings: ArrayLike,
    labels: ArrayLike,
    label_paddings: ArrayLike,
    *,
    blank_id: int = 0,
    log_epsilon: ArrayLike = -1e5,
) -> tuple[Array, Array, Array]:
    """CTC loss and the forward log-probabilities `(loss, logalpha_phi, logalpha_emit)`.

    >>> loss, phi, emit = ctc_loss_with_forward_probs(
    ...     jnp.zeros((1, 3, 3)), jnp.zeros((1, 3)), jnp.array([[1, 2]]),
    ...     jnp.zeros((1, 2)))
    >>> round(float(loss[0]), 4), phi.shape, emit.shape
    (1.6864, (3, 1, 3), (3, 1, 2))
    """
    return _L.ctc_loss_with_forward_probs(
        logits,
        logit_paddings,
        labels,
        label_paddings,
        blank_id=blank_id,
        log_epsilon=log_epsilon,
    )


# Segmentation -----------------------------------------------------------------
def dice_loss(
    predictions: ArrayLike,
    targets: ArrayLike,
    *,
    class_weights: ArrayLike | None = None,
    smooth: ArrayLike = 1.0,
    alpha: ArrayLike = 0.5,
    beta: ArrayLike = 0.5,
    apply_softmax: bool = True,
    reduction: str = "mean",
    ignore_background: bool = False,
    axis: ArrayLike | None = None,
) -> Array:
    """Per-sample soft Dice/Tversky loss over spatial axes (optax).

    `predictions` are logits `(batch, ..., classes)` (sigmoid for one class,
    softmax otherwise, unless `apply_softmax=False`); `reduction` reduces the
    class axis.

    >>> loss = dice_loss(jnp.array([[[2.0], [-1.0]]]), jnp.array([[[1.0], [0.0]]]))
    >>> round(float(loss[0]), 4)
    0.0935
    """
    # optax broadcasts `class_weights` by rank promotion; allow it here so the
    # wrapper also works under `jax_numpy_rank_promotion="raise"`.
    with jax.numpy_rank_promotion("allow"):
        return _L.dice_loss(
            jnp.asarray(predictions),
            jnp.asarray(targets),
            class_weights=class_weights,
            smooth=smooth,
            alpha=alpha,
            beta=beta,
            apply_softmax=apply_softmax,
            reduction=reduction,
            ignore_background=ignore_background,
            axis=axis,
        )


def binary_dice_loss(
    predictions: ArrayLike,
    targets: ArrayLike,
    *,
    smooth: ArrayLike = 1.0,
    apply_sigmoid: bool = True,
) -> Array:
    """Per-sample binary Dice loss on logits (optax).

    >>> loss = binary_dice_loss(jnp.array([[2.0, -1.0]]), jnp.array([[1.0, 0.0]]))
    >>> round(float(loss[0]), 4)
    0.0935
    """
    return _L.binary_dice_loss(
        jnp.asarray(predictions),
        jnp.asarray(targets),
        smooth=smooth,
        apply_sigmoid=apply_sigmoid,
    )


def multiclass_generalized_dice_loss(
    predictions: ArrayLike,
    targets: ArrayLike,
    *,
    smooth: ArrayLike = 1.0,
    apply_softmax: bool = True,
    ignore_background: bool = False,
) -> Array:
    """Generalized Dice loss with inverse-squared-frequency class weights (optax).

    Returns one scalar for the whole batch.

    >>> loss = multiclass_generalized_dice_loss(
    ...     jnp.array([[[2.0, 0.0], [-1.0, 1.0]]]),
    ...     jnp.array([[[1.0, 0.0], [0.0, 1.0]]]))
    >>> round(float(loss), 4)
    0.0596
    """
    with jax.numpy_rank_promotion("allow"):
        return _L.multiclass_generalized_dice_loss(
            jnp.asarray(predictions),
            jnp.asarray(targets),
            smooth=smooth,
            apply_softmax=apply_softmax,
            ignore_background=ignore_background,
        )


# Self-supervised and ranking --------------------------------------------------
def ntxent(
    embeddings: ArrayLike, labels: ArrayLike, temperature: ArrayLike = 0.07
) -> Array:
    """NT-Xent contrastive loss (SimCLR), one scalar for the batch (optax).

    >>> emb = jnp.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    >>> round(float(ntxent(emb, jnp.array([0, 0, 1, 1]))), 4)
    0.0
    """
    return _L.ntxent(jnp.asarray(embeddings), jnp.asarray(labels), temperature)


def triplet_margin_loss(
    anchors: ArrayLike,
    positives: ArrayLike,
    negatives: ArrayLike,
    axis: int = -1,
    norm_degree: ArrayLike = 2,
    margin: ArrayLike = 1.0,
    eps: ArrayLike = 1e-6,
) -> Array:
    """Triplet margin loss `max(d(a, p) - d(a, n) + margin, 0)` (optax).

    >>> loss = triplet_margin_loss(jnp.array([[0.0, 0.0]]), jnp.array([[0.1, 0.1]]),
    ...                            jnp.array([[1.0, 0.0]]))
    >>> round(float(loss[0]), 4)
    0.1414
    """
    return _L.triplet_margin_loss(
        anchors,
        positives,
        negatives,
        axis=axis,
        norm_degree=norm_degree,
        margin=margin,
        eps=eps,
    )


def ranking_softmax_loss(
    logits: ArrayLike,
    labels: ArrayLike,
    *,
    where: ArrayLike | None = None,
    weights: ArrayLike | None = None,
    reduce_fn: Callable[..., Array] | None = jnp.mean,
) -> Array:
    """Listwise ranking softmax loss over the last axis (optax).

    `reduce_fn=None` gives one value per list.

    >>> loss = ranking_softmax_loss(jnp.array([2.0, 1.0, 3.0]),
    ...                             jnp.array([1.0, 0.0, 0.0]))
    >>> round(float(loss), 4)
    1.4076
    """
    return _L.ranking_softmax_loss(
        jnp.asarray(logits),
        jnp.asarray(labels),
        where=where,
        weights=weights,
        reduce_fn=reduce_fn,
    )
