"""`get_config`/`from_config` round-trips, default names, and bad options."""

from __future__ import annotations

import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm

LOSS_CLASSES = sorted(
    name
    for name in jm.losses.__all__
    if inspect.isclass(getattr(jm.losses, name))
    and issubclass(getattr(jm.losses, name), jm.Loss)
    and name not in ("Loss", "LossFunctionWrapper")
)

# Non-default options per class, to check they survive the round trip.
OPTIONS = {
    "BinaryCrossentropy": {"from_logits": True, "label_smoothing": 0.1, "axis": 0},
    "BinaryFocalCrossentropy": {"apply_class_balancing": True, "alpha": 0.4},
    "CategoricalCrossentropy": {"label_smoothing": 0.2},
    "CategoricalFocalCrossentropy": {"gamma": 1.0},
    "CategoricalGeneralizedCrossEntropy": {"q": 0.7},
    "Circle": {"gamma": 10.0, "remove_diagonal": False},
    "CosineSimilarity": {"axis": 0},
    "Dice": {"axis": [1, 2]},
    "DiceLoss": {"class_weights": [1.0, 2.0], "class_reduction": "sum"},
    "Huber": {"delta": 2.0},
    "NegativeLogLikelihood": {"ignore_index": 3},
    "SigmoidFocalLoss": {"alpha": 0.25},
    "SoftmaxCrossEntropyWithIntegerLabels": {"ignore_index": -100},
    "SparseCategoricalCrossentropy": {"ignore_class": 0, "from_logits": True},
    "Tversky": {"alpha": 0.1, "beta": 0.9},
    "NTXent": {"temperature": 0.5},
    "TripletMarginLoss": {"margin": 0.5, "norm_degree": 1.0, "axis": 1},
    "MulticlassGeneralizedDiceLoss": {"ignore_background": True},
    "OptaxCTC": {"blank_id": 3},
}


@pytest.mark.parametrize("name", LOSS_CLASSES)
def test_config_round_trip(name):
    cls = getattr(jm.losses, name)
    loss = cls(reduction="sum", name="custom", **OPTIONS.get(name, {}))
    config = loss.get_config()
    assert config["reduction"] == "sum"
    assert config["name"] == "custom"
    for key, value in OPTIONS.get(name, {}).items():
        assert config[key] == value
    rebuilt = cls.from_config(config)
    assert type(rebuilt) is cls
    assert rebuilt.get_config() == config
    assert rebuilt._same_config(loss)
    # Immutable pytrees with static configuration, usable under jit.
    leaves, treedef = jax.tree_util.tree_flatten(loss)
    assert leaves == []
    assert jax.tree_util.tree_unflatten(treedef, leaves)._same_config(loss)
    with pytest.raises(AttributeError, match="immutable"):
        loss.reduction = "none"


@pytest.mark.parametrize("name", LOSS_CLASSES)
def test_default_name_is_snake_case_or_keras(name):
    loss = getattr(jm.losses, name)()
    assert loss.name == loss.name.lower()
    assert loss.reduction == "sum_over_batch_size"


@pytest.mark.parametrize("name", LOSS_CLASSES)
def test_unknown_reduction_raises(name):
    with pytest.raises(
        ValueError, match=r"expected one of .* received reduction='avg'"
    ):
        getattr(jm.losses, name)(reduction="avg")


BAD_OPTIONS = [
    ("Huber", {"delta": -1.0}, "delta"),
    ("Huber", {"delta": 0.0}, "delta"),
    ("HuberLoss", {"delta": -0.5}, "delta"),
    ("BinaryCrossentropy", {"label_smoothing": 1.5}, "label_smoothing"),
    ("BinaryCrossentropy", {"from_logits": "yes"}, "from_logits"),
    ("BinaryCrossentropy", {"axis": 1.5}, "axis"),
    ("CategoricalCrossentropy", {"label_smoothing": -0.1}, "label_smoothing"),
    ("CategoricalCrossentropy", {"axis": True}, "axis"),
    ("BinaryFocalCrossentropy", {"gamma": -1.0}, "gamma"),
    ("BinaryFocalCrossentropy", {"alpha": 2.0}, "alpha"),
    ("CategoricalFocalCrossentropy", {"gamma": -2.0}, "gamma"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.0}, "q"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 1.0}, "q"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1.5}, "ignore_class"),
    ("NegativeLogLikelihood", {"ignore_index": "x"}, "ignore_index"),
    ("SoftmaxCrossEntropyWithIntegerLabels", {"ignore_index": 0.5}, "ignore_index"),
    ("Tversky", {"alpha": -0.5}, "alpha"),
    ("Dice", {"axis": "rows"}, "axis"),
    ("Circle", {"gamma": 0.0}, "gamma"),
    ("Circle", {"remove_diagonal": 1}, "remove_diagonal"),
    ("SigmoidFocalLoss", {"alpha": 1.5}, "alpha"),
    ("DiceLoss", {"class_reduction": "avg"}, "class_reduction"),
    ("CosineDistance", {"epsilon": -1.0}, "epsilon"),
    ("NTXent", {"temperature": 0.0}, "temperature"),
    ("TripletMarginLoss", {"norm_degree": -1.0}, "norm_degree"),
    ("TripletMarginLoss", {"axis": "last"}, "axis"),
    ("MulticlassGeneralizedDiceLoss", {"smooth": -1.0}, "smooth"),
    ("OptaxCTC", {"blank_id": -1}, "blank_id"),
]


@pytest.mark.parametrize(
    ("name", "options", "argument"),
    BAD_OPTIONS,
    ids=[f"{n}-{o}" for n, o, _ in BAD_OPTIONS],
)
def test_bad_option_raises_at_construction(name, options, argument):
    with pytest.raises(ValueError, match=rf"`{argument}`: expected .*, received"):
        getattr(jm.losses, name)(**options)


def test_bad_shapes_raise_expected_received():
    with pytest.raises(ValueError, match="expected `y_true` and `y_pred` of the same"):
        jm.functional.categorical_crossentropy(jnp.ones((2, 3)), jnp.ones((2, 4)))
    with pytest.raises(ValueError, match="expected integer labels of shape"):
        jm.functional.sparse_categorical_crossentropy(jnp.ones((3,)), jnp.ones((2, 4)))
    with pytest.raises(ValueError, match="expected y_true of shape"):
        jm.functional.ctc(jnp.ones((2,)), jnp.ones((2, 3, 4)))


AXIS_CASES = [
    (jm.losses.BinaryCrossentropy, (4,), 1),
    (jm.losses.BinaryFocalCrossentropy, (4,), -2),
    (jm.losses.CategoricalCrossentropy, (4,), 1),
    (jm.losses.CategoricalFocalCrossentropy, (4, 3), -3),
    (jm.metrics.PearsonCorrelation, (4,), 1),
    (jm.metrics.ConcordanceCorrelation, (4, 3), (0, 2)),
]


@pytest.mark.parametrize(("cls", "shape", "axis"), AXIS_CASES, ids=str)
def test_axis_out_of_bounds_raises_value_error(cls, shape, axis):
    # jnp.mean raises IndexError("tuple index out of range") here, as Keras does.
    values = jnp.full(shape, 0.5)
    obj = cls(axis=axis)
    call = obj if isinstance(obj, jm.losses.Loss) else obj.update
    with pytest.raises(ValueError, match=r"`axis`: axis -?\d+ is out of bounds"):
        call(values, values)


@pytest.mark.parametrize(
    "fn", ["sparse_categorical_crossentropy", "negative_log_likelihood"]
)
def test_sparse_axis_out_of_bounds_is_not_wrapped(fn):
    # `axis % ndim` used to turn axis=2 on rank-2 scores into axis 0.
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        getattr(jm.functional, fn)(jnp.zeros(4, jnp.int32), jnp.zeros((4, 3)), axis=2)


REGULARIZERS = [
    (jm.losses.L1, {"l1": 0.3}),
    (jm.losses.L2, {"l2": 0.2}),
    (jm.losses.L1L2, {"l1": 0.1, "l2": 0.4}),
]


@pytest.mark.parametrize(("cls", "options"), REGULARIZERS, ids=lambda x: str(x))
def test_regularizer_config_and_value(cls, options):
    reg = cls(**options)
    assert cls.from_config(reg.get_config())._same_config(reg)
    params = {"w": np.array([[1.0, -2.0], [0.5, 0.0]]), "b": np.array([-3.0])}
    flat = np.concatenate([p.ravel() for p in params.values()])
    expected = (
        options.get("l1", 0.0) * np.abs(flat).sum()
        + options.get("l2", 0.0) * np.square(flat).sum()
    )
    np.testing.assert_allclose(float(reg(params)), expected, rtol=1e-6)
    np.testing.assert_allclose(float(jax.jit(reg)(params)), expected, rtol=1e-6)


def test_regularizer_bad_factor_raises():
    with pytest.raises(ValueError, match=r"`l1`: expected .*, received l1=-1"):
        jm.losses.L1(l1=-1)


def test_l2_regularizer_is_not_the_mse_alias():
    assert "l2" in jm.losses.MeanSquaredError.aliases
    assert not issubclass(jm.losses.L2, jm.Loss)


def test_aliases_are_unique_across_loss_classes():
    seen = {}
    for name in LOSS_CLASSES:
        for alias in getattr(jm.losses, name).aliases:
            assert alias not in seen, (alias, seen.get(alias), name)
            seen[alias] = name
