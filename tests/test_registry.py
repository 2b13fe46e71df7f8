"""Identifiers, get / serialize / deserialize and compile."""

import json

import jax
import numpy as np
import pytest

import jax_metrics as jm
from jax_metrics import _registry
from tests._helpers.keras_reference import keras_loss, keras_metric


@pytest.mark.parametrize(
    ("identifier", "cls"),
    [
        ("SparseCategoricalAccuracy", jm.metrics.SparseCategoricalAccuracy),
        ("sparse_categorical_accuracy", jm.metrics.SparseCategoricalAccuracy),
        ("acc", jm.metrics.Accuracy),
        ("binaryaccuracy", jm.metrics.BinaryAccuracy),
        (jm.metrics.Mean, jm.metrics.Mean),
    ],
)
def test_get_metric(identifier, cls):
    assert type(jm.get(identifier)) is cls


@pytest.mark.parametrize(
    ("identifier", "cls"),
    [
        ("mse", jm.losses.MeanSquaredError),
        ("mae", jm.losses.MeanAbsoluteError),
        ("bce", jm.losses.BinaryCrossentropy),
        ("categorical_crossentropy", jm.losses.CategoricalCrossentropy),
        ("SparseCategoricalCrossentropy", jm.losses.SparseCategoricalCrossentropy),
    ],
)
def test_get_loss(identifier, cls):
    assert type(jm.get(identifier, kind="loss")) is cls


@pytest.mark.parametrize("kind", ["metric", "loss"])
def test_every_keras_identifier_names_the_same_class(kind):
    # Keras' own identifier tables (class names, snake_case names, aliases
    # such as "bce"/"BCE" and "msle") are the reference.
    from keras.src import losses, metrics

    table = {"metric": metrics, "loss": losses}[kind].ALL_OBJECTS_DICT
    abstract = {"Metric", "Loss", "MeanMetricWrapper", "LossFunctionWrapper"}
    for identifier, keras_cls in table.items():
        if keras_cls.__name__ in abstract:
            continue
        # Keras' loss table also holds the loss functions (`"hinge"`).
        ours = _registry.snake_case(_registry._lookup(identifier, kind).__name__)
        assert ours == _registry.snake_case(keras_cls.__name__), identifier


def test_get_wraps_callables_and_passes_instances():
    metric = jm.metrics.BinaryAccuracy(threshold=0.2)
    assert jm.get(metric) is metric
    wrapped = jm.get(jm.functional.accuracy)
    assert isinstance(wrapped, jm.metrics.MeanMetricWrapper)
    assert isinstance(jm.get(jm.functional.mean_absolute_error, "loss"), jm.Loss)


def test_unknown_identifier_suggests_close_names():
    with pytest.raises(ValueError, match=r"received 'acuracy'; did you mean"):
        jm.get("acuracy")
    with pytest.raises(ValueError, match="expected kind in"):
        jm.get("mse", kind="losses")
    with pytest.raises(TypeError, match="expected a loss, received the metric"):
        jm.get(jm.metrics.Mean(), kind="loss")
    with pytest.raises(TypeError, match="expected a metric identifier"):
        jm.get(3)


@pytest.mark.parametrize("kind", _registry.KINDS)
def test_identifiers_are_unambiguous(kind):
    # Building the catalog raises if two classes claim one identifier.
    assert _registry.identifiers(kind)


def _keras_resolved(identifier, y_true, y_pred):
    """The class Keras' compile picks for a shape-resolved identifier."""
    from keras.src.trainers import compile_utils

    return type(compile_utils.get_metric(identifier, y_true, y_pred)).__name__


@pytest.mark.parametrize(
    ("y_true", "y_pred"),
    [
        (np.array([[1.0], [0.0], [1.0]]), np.array([[0.7], [0.6], [0.2]])),
        (np.array([2, 0, 1]), np.eye(3)[[2, 1, 1]] * 0.8),
        (np.array([[2], [0], [1]]), np.eye(3)[[2, 1, 1]] * 0.8),
        (np.eye(3)[[2, 0, 1]], np.eye(3)[[2, 1, 1]] * 0.8),
    ],
)
@pytest.mark.parametrize("identifier", ["accuracy", "acc"])
def test_shape_resolved_accuracy_matches_keras(identifier, y_true, y_pred):
    y_pred = y_pred.astype(np.float32)
    lm = jm.compile(loss="mse", metrics=[identifier])
    metric = lm.metrics[identifier].update(y_true, y_pred)
    keras_name = _keras_resolved(identifier, y_true, y_pred)
    expected = keras_metric(keras_name, [(y_true, y_pred)])
    np.testing.assert_allclose(metric.compute(), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "keras_name"),
    [
        (np.array([[1.0], [0.0]]), np.array([[0.7], [0.6]]), "BinaryCrossentropy"),
        (
            np.array([2, 0]),
            np.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]),
            "SparseCategoricalCrossentropy",
        ),
        (
            np.eye(3)[[2, 0]],
            np.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]),
            "CategoricalCrossentropy",
        ),
    ],
)
def test_shape_resolved_crossentropy_loss_matches_keras(y_true, y_pred, keras_name):
    lm = jm.compile(loss="ce")
    loss, _ = lm.loss_and_update(y_true, y_pred.astype(np.float32))
    expected = keras_loss(keras_name, y_true, y_pred.astype(np.float32))
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_compile_multi_output_with_weights():
    rng = np.random.default_rng(0)
    y_true = {
        "reg": rng.normal(size=(7, 2)).astype(np.float32),
        "cls": rng.integers(0, 3, size=(7,)),
    }
    probs = rng.uniform(0.1, 1, size=(7, 3)).astype(np.float32)
    y_pred = {
        "reg": rng.normal(size=(7, 2)).astype(np.float32),
        "cls": probs / probs.sum(1, keepdims=True),
    }
    lm = jm.compile(
        loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
        loss_weights={"reg": 0.5, "cls": 2.0},
        metrics={"cls": ["accuracy"], "reg": ["mae"]},
    )
    loss, lm = lm.loss_and_update(y_true, y_pred)
    mse = keras_loss("MeanSquaredError", y_true["reg"], y_pred["reg"])
    ce = keras_loss("SparseCategoricalCrossentropy", y_true["cls"], y_pred["cls"])
    np.testing.assert_allclose(loss, 0.5 * mse + 2.0 * ce, rtol=1e-5)
    out = lm.compute()
    assert set(out) == {"loss", "reg_loss", "cls_loss", "cls_accuracy", "reg_mae"}
    np.testing.assert_allclose(out["reg_loss"], mse, rtol=1e-5)
    np.testing.assert_allclose(
        out["cls_accuracy"],
        keras_metric("SparseCategoricalAccuracy", [(y_true["cls"], y_pred["cls"])]),
        rtol=1e-6,
    )


def test_compile_weighted_metrics_get_sample_weight_and_metrics_do_not():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 3, size=(9,))
    y_pred = rng.uniform(size=(9, 3)).astype(np.float32)
    weight = rng.uniform(size=(9,)).astype(np.float32)
    lm = jm.compile(
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )
    _, lm = lm.loss_and_update(y_true, y_pred, weight)
    out = lm.compute()
    plain = keras_metric("SparseCategoricalAccuracy", [(y_true, y_pred)])
    weighted = keras_metric("SparseCategoricalAccuracy", [(y_true, y_pred, weight)])
    np.testing.assert_allclose(out["accuracy"], plain, rtol=1e-6)
    np.testing.assert_allclose(out["weighted_accuracy"], weighted, rtol=1e-6)


@pytest.mark.parametrize("multi_output", [False, True])
def test_compile_matches_keras_model_evaluate(multi_output):
    # Reference: a Keras model compiled with the same arguments, evaluated on
    # the same data and batches; its log keys (per-output prefixes, repeated
    # names, "weighted_") and values must be ours.
    import keras

    rng = np.random.default_rng(3)
    x = rng.normal(size=(37, 5)).astype(np.float32)
    weight = rng.uniform(size=37).astype(np.float32)
    inputs = keras.Input((5,))
    if multi_output:
        heads = {
            "reg": keras.layers.Dense(2, name="reg")(inputs),
            "cls": keras.layers.Dense(3, activation="softmax", name="cls")(inputs),
        }
        y = {"reg": rng.normal(size=(37, 2)).astype(np.float32)}
        y["cls"] = rng.integers(0, 3, 37)
        config = {
            "loss": {"reg": "mse", "cls": "sparse_categorical_crossentropy"},
            "loss_weights": {"reg": 0.5, "cls": 2.0},
            "metrics": {"reg": ["mae", "mae"], "cls": ["accuracy", "acc"]},
            "weighted_metrics": {"cls": ["accuracy", "accuracy"]},
        }
    else:
        heads = keras.layers.Dense(3, activation="softmax")(inputs)
        y = rng.integers(0, 3, 37)
        config = {
            "loss": "sparse_categorical_crossentropy",
            "metrics": ["accuracy", "sparse_categorical_crossentropy"] * 2,
            "weighted_metrics": [
                "accuracy",
                "accuracy",
                "sparse_categorical_crossentropy",
            ],
        }
    model = keras.Model(inputs, heads)
    model.compile(**config)
    with jax.numpy_rank_promotion("allow"):  # Keras' Dense adds a (units,) bias
        expected = model.evaluate(
            x, y, sample_weight=weight, batch_size=8, return_dict=True, verbose=0
        )
        y_pred = model.predict(x, batch_size=8, verbose=0)
    lm = jm.compile(**config)
    for start in range(0, 37, 8):
        part = slice(start, start + 8)
        _, lm = lm.loss_and_update(
            jax.tree.map(lambda a, part=part: a[part], y),
            jax.tree.map(lambda a, part=part: np.asarray(a)[part], y_pred),
            weight[part],
        )
    actual = lm.compute()
    assert sorted(actual) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(actual[key], value, rtol=1e-5, err_msg=key)


def test_compile_rejects_bad_arguments():
    with pytest.raises(ValueError, match="expected a `loss`, received None"):
        jm.compile(metrics=["accuracy"])
    with pytest.raises(ValueError, match="expected a float `loss_weights`"):
        jm.compile(loss="mse", loss_weights={"a": 1.0})
    with pytest.raises(ValueError, match="expected a loss identifier"):
        jm.compile(loss="mean_sqared_error")
    with pytest.raises(ValueError, match="a dict keyed by output name"):
        jm.compile(loss=["mse", "mae"])


def test_serialize_round_trip_through_json():
    lm = jm.compile(
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", jm.metrics.SparseTopKCategoricalAccuracy(k=2)],
    )
    config = json.loads(json.dumps(jm.serialize(lm)))
    rebuilt = jm.deserialize(config)
    assert jm.serialize(rebuilt) == config
    y_true = np.array([0, 1, 2, 1])
    y_pred = np.asarray(
        jax.nn.softmax(np.random.default_rng(2).normal(size=(4, 3))), np.float32
    )
    a = lm.update(y_true, y_pred).compute()
    b = rebuilt.update(y_true, y_pred).compute()
    assert set(a) == set(b)
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=1e-6)


def test_deserialize_rejects_garbage():
    with pytest.raises(ValueError, match="expected a dict with 'class_name'"):
        jm.deserialize({"config": {}})
    with pytest.raises(ValueError, match="expected a serialized jax_metrics object"):
        jm.deserialize({"class_name": "Nope", "config": {}})


def test_deserialize_finds_a_class_moved_between_private_modules():
    config = jm.serialize(jm.metrics.ExplainedVariance())
    config["module"] = "jax_metrics.metrics._old_private_place"
    assert type(jm.deserialize(config)) is jm.metrics.ExplainedVariance
