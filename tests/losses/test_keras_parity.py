"""Every Keras loss class against `keras.losses` (Keras 3, JAX backend).

Each case runs every reduction, with and without `sample_weight` (shapes
`(B,)` and `(B, 1)`), for float32 and bfloat16 inputs and an odd batch.
"""

from __future__ import annotations

import zlib

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest
from keras.src.losses.losses import LossFunctionWrapper as KerasLossFunctionWrapper

import jax_metrics as jm
from tests._helpers.losses_data import REDUCTIONS, make_inputs, sample_weights

# (class name, options, input kind, weighted): "weighted" is False where the
# loss is one value for the whole batch (Dice/Tversky with axis=None).
CASES = [
    ("MeanSquaredError", {}, "regression", True),
    ("MeanSquaredError", {}, "regression_1d", True),
    ("MeanAbsoluteError", {}, "regression", True),
    ("MeanAbsolutePercentageError", {}, "regression", True),
    ("MeanSquaredLogarithmicError", {}, "positive", True),
    ("MeanSquaredLogarithmicError", {}, "regression", True),
    ("Huber", {}, "regression", True),
    ("Huber", {"delta": 0.3}, "regression", True),
    ("LogCosh", {}, "regression", True),
    ("CosineSimilarity", {}, "regression", True),
    ("CosineSimilarity", {"axis": 0}, "regression", False),
    ("BinaryCrossentropy", {}, "binary", True),
    ("BinaryCrossentropy", {}, "binary_column", True),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary", True),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits", True),
    (
        "BinaryCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1, "axis": 0},
        "binary_logits",
        False,
    ),
    ("BinaryFocalCrossentropy", {}, "binary", True),
    (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5},
        "binary",
        True,
    ),
    (
        "BinaryFocalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1, "gamma": 3.0},
        "binary_logits",
        True,
    ),
    ("CategoricalCrossentropy", {}, "categorical", True),
    ("CategoricalCrossentropy", {"label_smoothing": 0.3}, "categorical", True),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits", True),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        "categorical_logits",
        True,
    ),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "axis": 1},
        "categorical_axis1",
        True,
    ),
    ("CategoricalFocalCrossentropy", {}, "categorical", True),
    (
        "CategoricalFocalCrossentropy",
        {"alpha": 0.5, "gamma": 1.0, "from_logits": True, "label_smoothing": 0.2},
        "categorical_logits",
        True,
    ),
    ("SparseCategoricalCrossentropy", {}, "sparse", True),
    ("SparseCategoricalCrossentropy", {}, "sparse_column", True),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits", True),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse", True),
    (
        "SparseCategoricalCrossentropy",
        {"from_logits": True, "ignore_class": 2},
        "sparse_logits",
        True,
    ),
    (
        "SparseCategoricalCrossentropy",
        {"from_logits": True, "ignore_class": 0},
        "sparse_sequence",
        True,
    ),
    ("CategoricalGeneralizedCrossEntropy", {}, "sparse", True),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.8}, "sparse", True),
    ("Hinge", {}, "binary", True),
    ("Hinge", {}, "signs", True),
    ("SquaredHinge", {}, "binary", True),
    ("SquaredHinge", {}, "signs", True),
    ("CategoricalHinge", {}, "categorical_logits", True),
    ("KLDivergence", {}, "distributions", True),
    ("KLDivergence", {}, "categorical", True),
    ("Poisson", {}, "positive", True),
    ("Dice", {}, "masks", False),
    ("Dice", {"axis": 1}, "masks", True),
    ("Tversky", {}, "masks", False),
    ("Tversky", {"alpha": 0.2, "beta": 0.8, "axis": 1}, "masks", True),
    ("Circle", {}, "embeddings", True),
    ("Circle", {"gamma": 8.0, "margin": 0.25}, "embeddings", True),
    ("Circle", {"remove_diagonal": False}, "embeddings", True),
    ("CTC", {}, "ctc", True),
]

SEQUENCE_KINDS = ("sparse_sequence", "categorical_axis1")
TOLERANCE = {
    "float32": {"rtol": 2e-5, "atol": 2e-5},
    "bfloat16": {"rtol": 1e-4, "atol": 1e-4},
}


# Keras' eager `lax.scan`/`lax.cond` kernels recompile on every call; the
# reference for these runs Keras' own kernel, jitted once, under Keras' own
# `LossFunctionWrapper` (same reductions and weighting as the class).
_JITTED_KERAS_KERNELS = {
    "CTC": jax.jit(keras.losses.ctc),
    "Hinge": jax.jit(keras.losses.hinge),
    "SquaredHinge": jax.jit(keras.losses.squared_hinge),
}


def _keras_loss(name, reduction, options):
    if name in _JITTED_KERAS_KERNELS:
        return KerasLossFunctionWrapper(
            _JITTED_KERAS_KERNELS[name], reduction=reduction, **options
        )
    return getattr(keras.losses, name)(reduction=reduction, **options)


def _case_id(case):
    name, options, kind, _ = case
    opts = ",".join(f"{k}={v}" for k, v in options.items())
    return f"{name}[{kind}{',' + opts if opts else ''}]"


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_loss_class_matches_keras(case, dtype):
    name, options, kind, weighted = case
    rng = np.random.default_rng(zlib.crc32(_case_id(case).encode()))
    for _ in range(2):  # two random draws
        y_true, y_pred = make_inputs(kind, rng)
        y_true = jnp.asarray(y_true, dtype)
        y_pred = jnp.asarray(y_pred, dtype)
        weights = sample_weights(rng) if weighted else [None]
        for weight in weights:
            # Keras broadcasts a (B,) weight against (B, T) values from the
            # right (and fails); our documented rule applies it to the
            # leading axis, which is Keras' (B, 1) weight.
            keras_weight = weight
            if kind in SEQUENCE_KINDS and weight is not None and weight.ndim == 1:
                keras_weight = weight[:, None]
            for reduction in REDUCTIONS:
                expected = _keras_loss(name, reduction, options)(
                    y_true, y_pred, sample_weight=keras_weight
                )
                ours = getattr(jm.losses, name)(reduction=reduction, **options)(
                    y_true, y_pred, sample_weight=weight
                )
                np.testing.assert_allclose(
                    np.asarray(ours),
                    np.asarray(expected),
                    **TOLERANCE[dtype],
                    err_msg=f"{name} {options} reduction={reduction} weight={weight}",
                )


# Functional kernels: called directly, in the input dtype (no cast), as
# `keras.losses.<name>` is.
KERNELS = [
    ("mean_squared_error", {}, "regression"),
    ("mean_absolute_error", {}, "regression"),
    ("mean_absolute_percentage_error", {}, "regression"),
    ("mean_squared_logarithmic_error", {}, "positive"),
    ("huber", {"delta": 0.5}, "regression"),
    ("log_cosh", {}, "regression"),
    ("cosine_similarity", {}, "regression"),
    ("cosine_similarity", {"axis": 0}, "regression"),
    ("binary_crossentropy", {}, "binary"),
    (
        "binary_crossentropy",
        {"from_logits": True, "label_smoothing": 0.2},
        "binary_logits",
    ),
    ("binary_focal_crossentropy", {"apply_class_balancing": True}, "binary"),
    ("categorical_crossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("categorical_crossentropy", {"from_logits": True}, "categorical_logits"),
    ("categorical_focal_crossentropy", {"from_logits": True}, "categorical_logits"),
    ("sparse_categorical_crossentropy", {}, "sparse"),
    ("sparse_categorical_crossentropy", {"ignore_class": 1}, "sparse_column"),
    ("sparse_categorical_crossentropy", {"from_logits": True}, "sparse_logits"),
    ("categorical_generalized_cross_entropy", {"q": 0.5}, "sparse"),
    ("hinge", {}, "binary"),
    ("hinge", {}, "signs"),
    ("squared_hinge", {}, "signs"),
    ("categorical_hinge", {}, "categorical_logits"),
    ("kl_divergence", {}, "distributions"),
    ("poisson", {}, "positive"),
    ("dice", {"axis": 1}, "masks"),
    ("tversky", {"alpha": 0.7, "beta": 0.3}, "masks"),
    ("circle", {"gamma": 16.0}, "embeddings"),
    ("ctc", {}, "ctc"),
]

KERNEL_TOLERANCE = {
    "float32": {"rtol": 2e-5, "atol": 2e-5},
    "bfloat16": {"rtol": 3e-2, "atol": 3e-2},
}


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
@pytest.mark.parametrize("kernel", KERNELS, ids=[f"{n}-{k}-{o}" for n, o, k in KERNELS])
def test_functional_kernel_matches_keras(kernel, dtype):
    name, options, kind = kernel
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    y_true, y_pred = make_inputs(kind, rng)
    if name in ("sparse_categorical_crossentropy", "ctc", "circle") or (
        name == "categorical_generalized_cross_entropy"
    ):
        y_true = jnp.asarray(y_true, "int32")
    else:
        y_true = jnp.asarray(y_true, dtype)
    y_pred = jnp.asarray(y_pred, dtype)
    keras_fn = getattr(keras.losses, name)
    if name in ("ctc", "hinge", "squared_hinge"):
        keras_fn = jax.jit(keras_fn)
    expected = keras_fn(y_true, y_pred, **options)
    ours = getattr(jm.functional, name)(y_true, y_pred, **options)
    assert ours.shape == expected.shape
    assert ours.dtype == expected.dtype
    np.testing.assert_allclose(
        np.asarray(ours, np.float32),
        np.asarray(expected, np.float32),
        **KERNEL_TOLERANCE[dtype],
    )


def test_huber_default_name_is_keras():
    assert jm.losses.Huber().name == keras.losses.Huber().name == "huber_loss"


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}), ids=lambda n: n)
def test_default_name_and_options_match_keras(name):
    ours = getattr(jm.losses, name)()
    theirs = getattr(keras.losses, name)()
    assert ours.name == theirs.name
    keras_config = theirs.get_config()
    for key, value in ours.get_config().items():
        if key in keras_config and key != "dtype":
            assert keras_config[key] == value, key
