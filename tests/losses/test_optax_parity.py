"""optax-backed functions and classes against optax itself.

Class references are optax's unreduced values, weighted and reduced in
float64 NumPy by the documented Keras rule.
"""

from __future__ import annotations

import inspect
import zlib

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from jax.scipy.special import logsumexp

import jax_metrics as jm
from jax_metrics.functional import optax as ox
from tests._helpers.losses_data import REDUCTIONS

B, C = 7, 4


def _rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def _inputs(kind, rng):
    """`(y_true, y_pred)` in Keras order."""
    if kind == "logits_binary":
        return rng.integers(0, 2, (B, C)).astype(float), 3 * rng.normal(size=(B, C))
    if kind == "logits_soft":
        return rng.dirichlet(np.ones(C), B), 3 * rng.normal(size=(B, C))
    if kind == "logits_int":
        return rng.integers(0, C, B).astype(float), 3 * rng.normal(size=(B, C))
    if kind == "signs":
        return 2.0 * rng.integers(0, 2, (B, C)) - 1.0, rng.normal(size=(B, C))
    if kind == "binary_int":
        return rng.integers(0, 2, (B, C)).astype(float), rng.normal(size=(B, C))
    if kind == "regression":
        return rng.normal(size=(B, C)), rng.normal(size=(B, C))
    if kind == "log_distributions":
        return rng.dirichlet(np.ones(C), B), np.log(rng.dirichlet(np.ones(C), B))
    if kind == "log_log":
        return (
            np.log(rng.dirichlet(np.ones(C), B)),
            np.log(rng.dirichlet(np.ones(C), B)),
        )
    if kind == "segmentation":
        y = np.eye(3)[rng.integers(0, 3, (B, 5, 5))]
        return y, 2 * rng.normal(size=(B, 5, 5, 3))
    if kind == "binary_segmentation":
        return rng.integers(0, 2, (B, 6)).astype(float), 2 * rng.normal(size=(B, 6))
    if kind == "ranking":
        return rng.integers(0, 3, (B, 5)).astype(float), rng.normal(size=(B, 5))
    raise ValueError(kind)


# class name, options, optax function, optax kwargs, input kind, integer labels
CLASSES = [
    (
        "SigmoidBinaryCrossEntropy",
        {},
        "sigmoid_binary_cross_entropy",
        {},
        "logits_binary",
    ),
    ("SigmoidFocalLoss", {}, "sigmoid_focal_loss", {}, "logits_binary"),
    (
        "SigmoidFocalLoss",
        {"alpha": 0.3, "gamma": 1.0},
        "sigmoid_focal_loss",
        {"alpha": 0.3, "gamma": 1.0},
        "logits_binary",
    ),
    ("SoftmaxCrossEntropy", {}, "softmax_cross_entropy", {}, "logits_soft"),
    (
        "SoftmaxCrossEntropyWithIntegerLabels",
        {},
        "softmax_cross_entropy_with_integer_labels",
        {},
        "logits_int",
    ),
    ("SafeSoftmaxCrossEntropy", {}, "safe_softmax_cross_entropy", {}, "logits_soft"),
    ("PolyLossCrossEntropy", {}, "poly_loss_cross_entropy", {}, "logits_soft"),
    (
        "PolyLossCrossEntropy",
        {"epsilon": 0.5},
        "poly_loss_cross_entropy",
        {"epsilon": 0.5},
        "logits_soft",
    ),
    ("HingeLoss", {}, "hinge_loss", {}, "signs"),
    ("PerceptronLoss", {}, "perceptron_loss", {}, "signs"),
    ("SparsemaxLoss", {}, "sparsemax_loss", {}, "binary_int"),
    ("MulticlassHingeLoss", {}, "multiclass_hinge_loss", {}, "logits_int"),
    ("MulticlassPerceptronLoss", {}, "multiclass_perceptron_loss", {}, "logits_int"),
    ("MulticlassSparsemaxLoss", {}, "multiclass_sparsemax_loss", {}, "logits_int"),
    ("SquaredError", {}, "squared_error", {}, "regression"),
    ("L2Loss", {}, "l2_loss", {}, "regression"),
    ("HuberLoss", {"delta": 0.5}, "huber_loss", {"delta": 0.5}, "regression"),
    ("OptaxLogCosh", {}, "log_cosh", {}, "regression"),
    ("OptaxCosineSimilarity", {}, "cosine_similarity", {}, "regression"),
    (
        "CosineDistance",
        {"epsilon": 1e-6},
        "cosine_distance",
        {"epsilon": 1e-6},
        "regression",
    ),
    ("OptaxKLDivergence", {}, "kl_divergence", {}, "log_distributions"),
    (
        "KLDivergenceWithLogTargets",
        {},
        "kl_divergence_with_log_targets",
        {},
        "log_log",
    ),
    (
        "GeneralizedKLDivergence",
        {},
        "generalized_kl_divergence",
        {},
        "log_distributions",
    ),
    ("DiceLoss", {}, "dice_loss", {}, "segmentation"),
    (
        "DiceLoss",
        {
            "alpha": 0.3,
            "beta": 0.7,
            "ignore_background": True,
            "class_reduction": "sum",
        },
        "dice_loss",
        {"alpha": 0.3, "beta": 0.7, "ignore_background": True, "reduction": "sum"},
        "segmentation",
    ),
    ("BinaryDiceLoss", {}, "binary_dice_loss", {}, "binary_segmentation"),
    ("RankingSoftmaxLoss", {}, "ranking_softmax_loss", {"reduce_fn": None}, "ranking"),
]

INTEGER_LABELS = {
    "SoftmaxCrossEntropyWithIntegerLabels",
    "SparsemaxLoss",
    "MulticlassHingeLoss",
    "MulticlassPerceptronLoss",
    "MulticlassSparsemaxLoss",
}


def _reference(values, weight, reduction):
    """Keras' reduction in float64 NumPy.

    A `(B, 1)` weight expands `(B,)` values to `(B, 1)` (Keras'
    `squeeze_or_expand_to_same_rank`); a weight applies to the leading axes;
    `"mean_with_sample_weight"` divides by the sum of the weight as given.
    """
    values = np.asarray(values, np.float64)
    if weight is None:
        divisor = values.size
    else:
        weight = np.asarray(weight, np.float64)
        if values.ndim == 1 and weight.ndim == 2:
            values = values[:, None]
        divisor = weight.sum()
        weight = weight.reshape(weight.shape + (1,) * (values.ndim - weight.ndim))
        values = values * weight
    if reduction == "none":
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight":
        return total / divisor
    return total / values.size


def _case_id(case):
    return f"{case[0]}-{case[1]}"


@pytest.mark.parametrize("case", CLASSES, ids=[_case_id(c) for c in CLASSES])
def test_class_matches_optax(case):
    name, options, fn_name, fn_options, kind = case
    rng = _rng(_case_id(case))
    y_true, y_pred = _inputs(kind, rng)
    y_true32 = jnp.asarray(y_true, jnp.float32)
    y_pred32 = jnp.asarray(y_pred, jnp.float32)
    labels = y_true32.astype(jnp.int32) if name in INTEGER_LABELS else y_true32
    values = getattr(optax.losses, fn_name)(y_pred32, labels, **fn_options)
    weight = rng.uniform(0, 2, B)
    for w in (None, weight, weight.reshape(B, 1)):
        for reduction in REDUCTIONS:
            loss = getattr(jm.losses, name)(reduction=reduction, **options)
            np.testing.assert_allclose(
                np.asarray(loss(y_true, y_pred, sample_weight=w)),
                _reference(values, w, reduction),
                rtol=2e-5,
                atol=2e-6,
                err_msg=f"{name} reduction={reduction}",
            )


@pytest.mark.parametrize("case", CLASSES[:3], ids=[_case_id(c) for c in CLASSES[:3]])
def test_class_accepts_bfloat16(case):
    name, options, fn_name, fn_options, kind = case
    y_true, y_pred = _inputs(kind, _rng(name))
    y_true = jnp.asarray(y_true, jnp.bfloat16)
    y_pred = jnp.asarray(y_pred, jnp.bfloat16)
    expected = getattr(optax.losses, fn_name)(
        y_pred.astype(jnp.float32), y_true.astype(jnp.float32), **fn_options
    ).mean()
    ours = getattr(jm.losses, name)(**options)(y_true, y_pred)
    assert ours.dtype == jnp.float32
    np.testing.assert_allclose(float(ours), float(expected), rtol=1e-5)


def test_where_masks_classes_and_empty_rows():
    rng = _rng("where")
    logits = 3 * rng.normal(size=(B, C))
    labels = rng.integers(0, 2, B)
    where = np.ones((B, C), bool)
    where[:, 3] = False
    where[2] = False  # a row with no valid class: excluded from the mean
    values = optax.losses.softmax_cross_entropy_with_integer_labels(
        jnp.asarray(logits, jnp.float32), jnp.asarray(labels), where=jnp.asarray(where)
    )
    valid = where.any(axis=1)
    loss = jm.losses.SoftmaxCrossEntropyWithIntegerLabels()
    np.testing.assert_allclose(
        float(loss(labels, logits, where=where)),
        np.asarray(values)[valid].mean(),
        rtol=1e-5,
    )
    loss_sum = jm.losses.SoftmaxCrossEntropyWithIntegerLabels(reduction="sum")
    np.testing.assert_allclose(
        float(loss_sum(labels, logits, where=where)),
        np.asarray(values).sum(),
        rtol=1e-5,
    )


def test_ranking_where_excludes_empty_lists():
    rng = _rng("ranking-where")
    labels, scores = _inputs("ranking", rng)
    where = rng.uniform(size=labels.shape) > 0.3
    where[0] = False
    values = optax.losses.ranking_softmax_loss(
        jnp.asarray(scores, jnp.float32),
        jnp.asarray(labels, jnp.float32),
        where=jnp.asarray(where),
        reduce_fn=None,
    )
    valid = where.any(axis=1)
    ours = jm.losses.RankingSoftmaxLoss()(labels, scores, where=where)
    np.testing.assert_allclose(float(ours), np.asarray(values)[valid].mean(), rtol=1e-5)


def test_where_on_a_loss_without_where_raises():
    with pytest.raises(TypeError, match="expected no `where`"):
        jm.losses.SquaredError()(jnp.ones(3), jnp.ones(3), where=jnp.ones(3, bool))


def test_integer_labels_ignore_index_matches_numpy():
    rng = _rng("ignore-index")
    logits = 3 * rng.normal(size=(B, C))
    labels = rng.integers(0, C, B)
    labels[[1, 4]] = -100
    log_p = logits - logsumexp(logits, axis=1, keepdims=True)
    valid = labels != -100
    expected = -log_p[np.arange(B)[valid], labels[valid]].mean()
    loss = jm.losses.SoftmaxCrossEntropyWithIntegerLabels(ignore_index=-100)
    np.testing.assert_allclose(float(loss(labels, logits)), expected, rtol=1e-5)


# Every public function of optax.losses has a wrapper with optax's signature.
OPTAX_NAMES = sorted(n for n in dir(optax.losses) if not n.startswith("_"))


def test_every_optax_function_is_wrapped():
    assert sorted(ox.__all__) == OPTAX_NAMES


@pytest.mark.parametrize("name", OPTAX_NAMES)
def test_wrapper_signature_is_optax(name):
    ours = inspect.signature(getattr(ox, name))
    theirs = inspect.signature(getattr(optax.losses, name))
    assert list(ours.parameters) == list(theirs.parameters)
    for key, param in theirs.parameters.items():
        assert ours.parameters[key].kind == param.kind, key
        if param.default is not inspect.Parameter.empty:
            assert ours.parameters[key].default == param.default, key


# Names whose `jax_metrics.functional` entry is not optax's: Keras' forms, and
# torchmetrics' `multiclass_hinge_loss` metric (a mean with `num_classes`).
CLASHES = ("cosine_similarity", "log_cosh", "kl_divergence", "multiclass_hinge_loss")


def test_keras_names_win_in_functional_namespace():
    for name in CLASHES:
        assert getattr(jm.functional, name) is not getattr(ox, name)
    for name in OPTAX_NAMES:
        if name not in CLASHES:
            assert getattr(jm.functional, name) is getattr(ox, name), name


# Direct wrapper calls against optax, with representative inputs.
def _call_cases():
    rng = _rng("wrappers")
    logits = jnp.asarray(3 * rng.normal(size=(B, C)), jnp.float32)
    soft = jnp.asarray(rng.dirichlet(np.ones(C), B), jnp.float32)
    ints = jnp.asarray(rng.integers(0, C, B))
    log_p = jnp.log(soft)
    emb = jnp.asarray(rng.normal(size=(8, 3)), jnp.float32)
    seg_t = jnp.asarray(np.eye(3)[rng.integers(0, 3, (2, 4, 4))], jnp.float32)
    seg_p = jnp.asarray(rng.normal(size=(2, 4, 4, 3)), jnp.float32)
    ctc_args = (
        jnp.asarray(rng.normal(size=(2, 5, 4)), jnp.float32),
        jnp.zeros((2, 5)),
        jnp.asarray([[1, 2, 0], [3, 3, 1]]),
        jnp.asarray([[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]),
    )
    return {
        "binary_dice_loss": ((logits, (soft > 0.2).astype(jnp.float32)), {}),
        "convex_kl_divergence": ((log_p, soft[::-1]), {}),
        "cosine_distance": ((logits, soft), {"epsilon": 1e-6}),
        "cosine_similarity": ((logits, soft), {}),
        "ctc_loss": (ctc_args, {}),
        "ctc_loss_with_forward_probs": (ctc_args, {}),
        "dice_loss": ((seg_p, seg_t), {"alpha": 0.2, "beta": 0.8}),
        "generalized_kl_divergence": ((log_p, soft[::-1]), {}),
        "hinge_loss": ((logits, jnp.sign(soft - 0.25)), {}),
        "huber_loss": ((logits, soft), {"delta": 0.7}),
        "kl_divergence": ((log_p, soft[::-1]), {}),
        "kl_divergence_with_log_targets": ((log_p, log_p[::-1]), {}),
        "l2_loss": ((logits, soft), {}),
        "log_cosh": ((logits, soft), {}),
        "multiclass_generalized_dice_loss": ((seg_p, seg_t), {}),
        "dice_loss_weighted": (
            (seg_p, seg_t),
            {"class_weights": jnp.array([1, 2, 3.0])},
        ),
        "multiclass_hinge_loss": ((logits, ints), {}),
        "multiclass_perceptron_loss": ((logits, ints), {}),
        "multiclass_sparsemax_loss": ((logits, ints), {}),
        "ntxent": ((emb, jnp.asarray([0, 0, 1, 1, 2, 2, 3, 3])), {"temperature": 0.5}),
        "perceptron_loss": ((logits, jnp.sign(soft - 0.25)), {}),
        "poly_loss_cross_entropy": ((logits, soft), {"epsilon": 1.5}),
        "ranking_softmax_loss": ((logits, soft), {}),
        "safe_softmax_cross_entropy": ((logits, soft), {}),
        "sigmoid_binary_cross_entropy": ((logits, soft), {}),
        "sigmoid_focal_loss": ((logits, soft), {"alpha": 0.25}),
        "smooth_labels": ((soft, 0.1), {}),
        "softmax_cross_entropy": ((logits, soft), {}),
        "softmax_cross_entropy_with_integer_labels": ((logits, ints), {}),
        "sparsemax_loss": ((logits, (soft > 0.25).astype(jnp.int32)), {}),
        "squared_error": ((logits, soft), {}),
        "triplet_margin_loss": ((logits, soft, soft[::-1]), {"margin": 0.5}),
    }


CALLS = _call_cases()


@pytest.mark.parametrize("name", sorted(CALLS))
def test_wrapper_matches_optax(name):
    args, kwargs = CALLS[name]
    theirs = getattr(optax.losses, name.removesuffix("_weighted"))
    if name == "convex_kl_divergence":
        theirs = optax.losses.generalized_kl_divergence  # non-deprecated twin
    ours_fn = getattr(ox, name.removesuffix("_weighted"))
    # One compiled program per side (eager scans and many small ops are slow).
    ours = jax.jit(lambda *a: ours_fn(*a, **kwargs))(*args)
    with jax.numpy_rank_promotion("allow"):  # optax itself promotes ranks
        expected = jax.jit(lambda *a: theirs(*a, **kwargs))(*args)
    if not isinstance(expected, tuple):
        ours, expected = (ours,), (expected,)
    for a, b in zip(ours, expected, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-6)


def test_make_fenchel_young_loss_matches_optax():
    scores = jnp.asarray(_rng("fy").normal(size=(B, C)), jnp.float32)
    targets = jax_onehot = jnp.eye(C)[jnp.arange(B) % C]
    del jax_onehot
    ours = ox.make_fenchel_young_loss(logsumexp)(scores, targets)
    theirs = optax.losses.make_fenchel_young_loss(logsumexp)(scores, targets)
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6)


# Classes over optax functions without a per-sample (y_true, y_pred) form ------
def _ntxent_pairs_float64(labels, embeddings, temperature):
    """Per-pair NT-Xent losses and the positive-pair mask, from the formula."""
    emb = np.asarray(embeddings, np.float64)
    unit = emb / np.sqrt(np.maximum((emb**2).sum(1, keepdims=True), 1.2e-7))
    logits = unit @ unit.T / temperature
    same = labels[:, None] == labels[None, :]
    positive = same & ~np.eye(len(labels), dtype=bool)
    negative_sum = np.where(~same, np.exp(logits), 0.0).sum(1, keepdims=True)
    losses = np.log(np.exp(logits) + negative_sum) - logits
    return np.where(positive, losses, 0.0), positive


@pytest.mark.parametrize("temperature", [0.07, 0.5])
def test_ntxent_class_matches_optax_and_the_formula(temperature):
    rng = _rng(f"ntxent-{temperature}")
    labels = rng.integers(0, 3, 9)
    emb = rng.normal(size=(9, 4)).astype(np.float32)
    # No weights: optax's mean over positive pairs.
    expected = optax.losses.ntxent(jnp.asarray(emb), jnp.asarray(labels), temperature)
    loss = jm.losses.NTXent(temperature=temperature)
    np.testing.assert_allclose(float(loss(labels, emb)), float(expected), rtol=1e-5)
    # Weights per anchor, every reduction: the formula reduced by Keras' rule.
    pairs, positive = _ntxent_pairs_float64(labels, emb, temperature)
    weight = rng.uniform(0, 2, 9)
    weighted = pairs * weight[:, None]
    references = {
        "sum_over_batch_size": weighted.sum() / positive.sum(),
        "mean": weighted.sum() / positive.sum(),
        "sum": weighted.sum(),
        "mean_with_sample_weight": weighted.sum() / (weight[:, None] * positive).sum(),
        "none": weighted,
    }
    for reduction, reference in references.items():
        ours = jm.losses.NTXent(temperature=temperature, reduction=reduction)
        np.testing.assert_allclose(
            np.asarray(ours(labels, emb, sample_weight=weight)),
            reference,
            rtol=2e-5,
            atol=2e-6,
            err_msg=reduction,
        )


def test_ntxent_functional_pairs_match_the_formula():
    rng = _rng("ntxent-pairs")
    labels = np.array([0, 0, 1, 1, 1, 2])
    emb = rng.normal(size=(6, 3)).astype(np.float32)
    pairs, _ = _ntxent_pairs_float64(labels, emb, 0.3)
    ours = jm.functional.ntxent_pair_losses(labels, emb, temperature=0.3)
    np.testing.assert_allclose(np.asarray(ours), pairs, rtol=1e-5, atol=1e-6)


def test_ntxent_without_positive_pairs_is_zero_not_nan():
    emb = np.eye(3, dtype=np.float32)
    assert float(jm.losses.NTXent()(np.arange(3), emb)) == 0.0
    with pytest.raises(ValueError, match=r"expected labels of shape \(batch,\)"):
        jm.losses.NTXent()(np.arange(4), emb)


def test_triplet_margin_loss_class_matches_optax():
    rng = _rng("triplet")
    anchors, positives, negatives = (
        rng.normal(size=(B, C)).astype(np.float32) for _ in range(3)
    )
    weight = rng.uniform(0, 2, B)
    for options in ({}, {"margin": 0.5, "norm_degree": 1.0}):
        values = optax.losses.triplet_margin_loss(
            jnp.asarray(anchors),
            jnp.asarray(positives),
            jnp.asarray(negatives),
            **options,
        )
        for w in (None, weight):
            for reduction in REDUCTIONS:
                loss = jm.losses.TripletMarginLoss(reduction=reduction, **options)
                ours = loss(positives, anchors, sample_weight=w, negatives=negatives)
                np.testing.assert_allclose(
                    np.asarray(ours),
                    _reference(values, w, reduction),
                    rtol=2e-5,
                    atol=2e-6,
                    err_msg=f"{options} reduction={reduction}",
                )


def test_triplet_margin_loss_needs_negatives_of_the_same_shape():
    loss = jm.losses.TripletMarginLoss()
    with pytest.raises(TypeError, match="expected `negatives=`"):
        loss(jnp.ones((2, 3)), jnp.ones((2, 3)))
    with pytest.raises(ValueError, match="of one shape"):
        loss(jnp.ones((2, 3)), jnp.ones((2, 3)), negatives=jnp.ones((2, 4)))


def test_generalized_dice_class_spreads_the_batch_value_over_weights():
    rng = _rng("generalized-dice")
    y_true, y_pred = _inputs("segmentation", rng)
    with jax.numpy_rank_promotion("allow"):  # optax itself promotes ranks
        value = float(
            optax.losses.multiclass_generalized_dice_loss(
                jnp.asarray(y_pred, jnp.float32), jnp.asarray(y_true, jnp.float32)
            )
        )
    weight = rng.uniform(0, 2, B)
    references = {
        "sum_over_batch_size": value * weight.mean(),
        "mean": value * weight.mean(),
        "sum": value * weight.sum(),
        "mean_with_sample_weight": value,
        "none": value * weight,
    }
    unweighted = jm.losses.MulticlassGeneralizedDiceLoss()(y_true, y_pred)
    np.testing.assert_allclose(float(unweighted), value, rtol=1e-5)
    for reduction, reference in references.items():
        loss = jm.losses.MulticlassGeneralizedDiceLoss(reduction=reduction)
        np.testing.assert_allclose(
            np.asarray(loss(y_true, y_pred, sample_weight=weight)),
            reference,
            rtol=2e-5,
            err_msg=reduction,
        )


def test_optax_ctc_class_matches_optax_with_paddings():
    rng = _rng("optax-ctc")
    logits = rng.normal(size=(3, 6, 4)).astype(np.float32)
    labels = rng.integers(1, 4, (3, 3))
    label_paddings = np.array([[0, 0, 1], [0, 0, 0], [0, 1, 1]], np.float32)
    logit_paddings = np.array([[0] * 6, [0] * 5 + [1], [0] * 4 + [1] * 2], np.float32)
    values = optax.losses.ctc_loss(
        jnp.asarray(logits),
        jnp.asarray(logit_paddings),
        jnp.asarray(labels),
        jnp.asarray(label_paddings),
    )
    weight = rng.uniform(0, 2, 3)
    for w in (None, weight):
        for reduction in REDUCTIONS:
            loss = jm.losses.OptaxCTC(reduction=reduction)
            ours = loss(
                labels,
                logits,
                sample_weight=w,
                label_paddings=label_paddings,
                logit_paddings=logit_paddings,
            )
            np.testing.assert_allclose(
                np.asarray(ours), _reference(values, w, reduction), rtol=2e-5
            )
    # Without paddings: every position valid, as optax with zero paddings.
    unpadded = optax.losses.ctc_loss(
        jnp.asarray(logits), jnp.zeros((3, 6)), jnp.asarray(labels), jnp.zeros((3, 3))
    )
    np.testing.assert_allclose(
        float(jm.losses.OptaxCTC()(labels, logits)), float(unpadded.mean()), rtol=1e-5
    )
    with pytest.raises(ValueError, match="expected label_paddings of shape"):
        jm.losses.OptaxCTC()(labels, logits, label_paddings=np.zeros((3, 2)))


def test_new_classes_accept_bfloat16_and_compute_in_float32():
    rng = _rng("new-bf16")
    labels = np.array([0, 0, 1, 1, 2, 2])
    emb16 = jnp.asarray(rng.normal(size=(6, 3)), jnp.bfloat16)
    emb32 = emb16.astype(jnp.float32)
    ours = jm.losses.NTXent(temperature=0.5)(labels, emb16)
    assert ours.dtype == jnp.float32
    expected = optax.losses.ntxent(emb32, jnp.asarray(labels), 0.5)
    np.testing.assert_allclose(float(ours), float(expected), rtol=1e-5)
    a, p, n = emb32[:2], emb32[2:4], emb32[4:]
    ours = jm.losses.TripletMarginLoss()(
        p.astype(jnp.bfloat16), a.astype(jnp.bfloat16), negatives=n.astype(jnp.bfloat16)
    )
    assert ours.dtype == jnp.float32
    expected = optax.losses.triplet_margin_loss(a, p, n).mean()
    np.testing.assert_allclose(float(ours), float(expected), rtol=1e-5)
