"""Extreme inputs: finite values and finite gradients for every loss."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm

LOGITS = jnp.array([[100.0, -100.0, 0.0], [-100.0, 100.0, 50.0]])
PROBS = jnp.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # exact 0s and 1s
ONE_HOT = jnp.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # wrong, then right
BINARY = jnp.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
INT_LABELS = jnp.array([1, 2])
ZEROS = jnp.zeros((2, 3))

# (class, options, y_true, y_pred)
CASES = [
    ("MeanSquaredError", {}, ZEROS, LOGITS),
    ("MeanAbsoluteError", {}, ZEROS, LOGITS),
    ("MeanAbsolutePercentageError", {}, ZEROS, LOGITS),
    ("MeanSquaredLogarithmicError", {}, PROBS, -LOGITS),
    ("Huber", {}, ZEROS, LOGITS),
    ("LogCosh", {}, ZEROS, LOGITS),
    ("CosineSimilarity", {}, ZEROS, ZEROS),  # zero vectors
    ("CosineSimilarity", {}, PROBS, LOGITS),
    ("BinaryCrossentropy", {}, BINARY, PROBS),
    ("BinaryCrossentropy", {"from_logits": True}, BINARY, LOGITS),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, BINARY, PROBS),
    ("BinaryFocalCrossentropy", {}, BINARY, PROBS),
    ("BinaryFocalCrossentropy", {"from_logits": True, "gamma": 0.5}, BINARY, LOGITS),
    ("CategoricalCrossentropy", {}, ONE_HOT, PROBS),
    ("CategoricalCrossentropy", {"from_logits": True}, ONE_HOT, LOGITS),
    ("CategoricalFocalCrossentropy", {}, ONE_HOT, PROBS),
    ("CategoricalFocalCrossentropy", {"from_logits": True}, ONE_HOT, LOGITS),
    ("SparseCategoricalCrossentropy", {}, INT_LABELS, PROBS),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, INT_LABELS, LOGITS),
    ("CategoricalGeneralizedCrossEntropy", {}, INT_LABELS, PROBS),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, jnp.array([1, 1]), PROBS),
    ("Hinge", {}, BINARY, LOGITS),
    ("SquaredHinge", {}, BINARY, LOGITS),
    ("CategoricalHinge", {}, ONE_HOT, LOGITS),
    ("KLDivergence", {}, PROBS, ONE_HOT),
    ("Poisson", {}, PROBS, ZEROS),
    ("Dice", {}, ZEROS, ZEROS),
    ("Dice", {"axis": 1}, PROBS, ONE_HOT),
    ("Tversky", {"axis": 1}, ZEROS, ZEROS),
    ("Circle", {}, jnp.array([0, 0, 1]), jnp.array([[1.0, 0.0], [1.0, 0.0], [0, 1.0]])),
    ("Circle", {}, jnp.array([0, 1, 2]), jnp.array([[1.0, 0.0], [1.0, 0.0], [0, 1.0]])),
    ("CTC", {}, jnp.array([[1, 2], [2, 0]]), 100.0 * jnp.ones((2, 4, 3))),
    # -inf log-probabilities off the true class
    ("NegativeLogLikelihood", {}, jnp.array([0, 2]), jnp.log(PROBS)),
    ("SigmoidBinaryCrossEntropy", {}, BINARY, LOGITS),
    ("SigmoidFocalLoss", {"alpha": 0.25}, BINARY, LOGITS),
    ("SoftmaxCrossEntropy", {}, ONE_HOT, LOGITS),
    ("SoftmaxCrossEntropyWithIntegerLabels", {}, INT_LABELS, LOGITS),
    ("SafeSoftmaxCrossEntropy", {}, ONE_HOT, LOGITS),
    ("PolyLossCrossEntropy", {}, ONE_HOT, LOGITS),
    ("HingeLoss", {}, 2 * BINARY - 1, LOGITS),
    ("PerceptronLoss", {}, 2 * BINARY - 1, LOGITS),
    ("SparsemaxLoss", {}, BINARY, LOGITS),
    ("MulticlassHingeLoss", {}, INT_LABELS, LOGITS),
    ("MulticlassPerceptronLoss", {}, INT_LABELS, LOGITS),
    ("MulticlassSparsemaxLoss", {}, INT_LABELS, LOGITS),
    ("SquaredError", {}, ZEROS, LOGITS),
    ("L2Loss", {}, ZEROS, LOGITS),
    ("HuberLoss", {}, ZEROS, LOGITS),
    ("OptaxLogCosh", {}, ZEROS, LOGITS),
    ("OptaxCosineSimilarity", {"epsilon": 1e-12}, ONE_HOT, LOGITS),
    ("CosineDistance", {"epsilon": 1e-12}, ONE_HOT, LOGITS),
    ("OptaxKLDivergence", {}, PROBS, jax.nn.log_softmax(LOGITS)),
    (
        "KLDivergenceWithLogTargets",
        {},
        jax.nn.log_softmax(-LOGITS),
        jax.nn.log_softmax(LOGITS),
    ),
    ("GeneralizedKLDivergence", {}, PROBS, jax.nn.log_softmax(LOGITS)),
    ("DiceLoss", {}, ONE_HOT[None], LOGITS[None]),
    ("BinaryDiceLoss", {}, BINARY, LOGITS),
    ("RankingSoftmaxLoss", {}, BINARY, LOGITS),
    ("MulticlassGeneralizedDiceLoss", {}, ONE_HOT[None], LOGITS[None]),
    ("OptaxCTC", {}, jnp.array([[1, 2], [2, 1]]), 100.0 * jnp.ones((2, 4, 3))),
    ("NTXent", {}, jnp.array([0, 0]), LOGITS),
    ("NTXent", {"temperature": 1e-3}, jnp.array([0, 1]), ZEROS),  # zero vectors
    ("NTXent", {"temperature": 1e-3}, jnp.array([0, 0, 1]), jnp.eye(3)),
]
# Three-input losses: (class, options, positives, anchors, negatives)
TRIPLET_CASES = [
    ("TripletMarginLoss", {}, LOGITS, LOGITS, -LOGITS),  # zero positive distance
    ("TripletMarginLoss", {"norm_degree": 1.0}, ZEROS, LOGITS, ZEROS),
]


def _case_id(case):
    return f"{case[0]}-{case[1]}"


def test_every_loss_class_has_an_extreme_case():
    covered = {case[0] for case in CASES + TRIPLET_CASES}
    classes = {
        name
        for name in jm.losses.__all__
        if isinstance(getattr(jm.losses, name), type)
        and issubclass(getattr(jm.losses, name), jm.Loss)
        and name not in ("Loss", "LossFunctionWrapper")
    }
    assert classes <= covered, sorted(classes - covered)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_finite_value_and_gradient(case):
    name, options, y_true, y_pred = case
    loss = getattr(jm.losses, name)(**options)
    value, grad = jax.jit(jax.value_and_grad(lambda p: loss(y_true, p)))(y_pred)
    assert np.isfinite(float(value)), value
    assert np.all(np.isfinite(np.asarray(grad))), grad


@pytest.mark.parametrize(
    "case", TRIPLET_CASES, ids=[_case_id(c) for c in TRIPLET_CASES]
)
def test_finite_value_and_gradient_of_triplets(case):
    name, options, positives, anchors, negatives = case
    loss = getattr(jm.losses, name)(**options)
    grad_fn = jax.value_and_grad(
        lambda a, p, n: loss(p, a, negatives=n), argnums=(0, 1, 2)
    )
    value, grads = jax.jit(grad_fn)(anchors, positives, negatives)
    assert np.isfinite(float(value)), value
    for grad in grads:
        assert np.all(np.isfinite(np.asarray(grad))), grad


ALL_IGNORED = [
    (
        jm.losses.SparseCategoricalCrossentropy,
        {"ignore_class": -1},
        jnp.array([-1, -1]),
    ),
    (
        jm.losses.SparseCategoricalCrossentropy,
        {"ignore_class": -1, "from_logits": True},
        jnp.array([-1, -1]),
    ),
    (jm.losses.NegativeLogLikelihood, {}, jnp.array([-100, -100])),
    (
        jm.losses.SoftmaxCrossEntropyWithIntegerLabels,
        {"ignore_index": -100},
        jnp.array([-100, -100]),
    ),
]


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight"]
)
@pytest.mark.parametrize(
    ("cls", "options", "labels"),
    ALL_IGNORED,
    ids=[f"{c.__name__}-{o}" for c, o, _ in ALL_IGNORED],
)
def test_all_ignored_batch_is_zero(cls, options, labels, reduction):
    loss = cls(reduction=reduction, **options)
    value_and_grad = jax.jit(jax.value_and_grad(lambda p: loss(labels, p)))
    for y_pred in (PROBS, LOGITS, jax.nn.log_softmax(LOGITS)):
        value, grad = value_and_grad(y_pred)
        assert float(value) == 0.0
        assert np.all(np.asarray(grad) == 0.0)
        weighted = loss(labels, y_pred, sample_weight=jnp.array([2.0, 3.0]))
        assert float(weighted) == 0.0


def test_ignored_entries_give_zero_unreduced():
    loss = jm.losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="none")
    values = loss(jnp.array([-1, 1]), PROBS)
    assert float(values[0]) == 0.0
    assert float(values[1]) > 10.0  # -log(1e-7)


@pytest.mark.parametrize(
    "fn",
    [
        jm.functional.binary_crossentropy,
        jm.functional.categorical_crossentropy,
        jm.functional.kl_divergence,
        jm.functional.cosine_similarity,
    ],
)
def test_kernels_are_jit_vmap_grad_safe(fn):
    def total(p):
        return jnp.sum(fn(PROBS, p))

    eager = fn(PROBS, PROBS)
    np.testing.assert_allclose(jax.jit(fn)(PROBS, PROBS), eager, rtol=1e-6)
    stacked = jnp.stack([PROBS, PROBS])
    np.testing.assert_allclose(
        jax.vmap(fn)(stacked, stacked), jnp.stack([eager, eager]), rtol=1e-6
    )
    assert np.all(np.isfinite(np.asarray(jax.grad(total)(PROBS))))
