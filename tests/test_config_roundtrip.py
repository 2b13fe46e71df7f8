"""`get_config`/`from_config` and `serialize`/`deserialize` over the registry.

Every class in `jax_metrics.metrics.__all__`, `jax_metrics.losses.__all__`
and the collections is built with its defaults, required arguments filled
from `REQUIRED` (by parameter name, then per class), and round-tripped
through `from_config` and through JSON (`serialize` -> `json` ->
`deserialize`). Every registered contract case (a metric configuration with
a batch generator) is round-tripped too, and its value after one update must
be identical. New classes are covered automatically; one that cannot be
built from the tables fails `test_every_class_builds` with its name.
"""

import inspect
import json

import jax
import numpy as np
import pytest

import jax_metrics as jm
from tests._helpers.contract import all_cases, assert_values_close

# Abstract bases: not meant to be built.
ABSTRACT = {
    "Metric",
    "Loss",
    "Regularizer",
    "TaskConfusionMetric",
    "TaskCurveMetric",
    "TaskStatScoresMetric",
}

# Required constructor arguments, by parameter name.
REQUIRED_BY_NAME = {
    "num_classes": lambda: 3,
    "num_labels": lambda: 3,
    "num_groups": lambda: 2,
    "beta": lambda: 2.0,
    "recall": lambda: 0.5,
    "precision": lambda: 0.5,
    "specificity": lambda: 0.5,
    "sensitivity": lambda: 0.5,
    "min_recall": lambda: 0.5,
    "min_precision": lambda: 0.5,
    "min_specificity": lambda: 0.5,
    "min_sensitivity": lambda: 0.5,
    "metric": lambda: jm.metrics.SparseCategoricalAccuracy(),
    "num_outputs": lambda: 2,
    "task_metrics": lambda: {
        "a": jm.metrics.Accuracy(),
        "b": jm.metrics.MeanMetricWrapper(jm.functional.mean_absolute_error),
    },
    "target_class_ids": lambda: [0, 1],
}

# Per-class overrides where the generic value does not fit.
REQUIRED_BY_CLASS = {
    "MeanMetricWrapper": lambda: {"fn": jm.functional.binary_accuracy},
    "LossFunctionWrapper": lambda: {"fn": jm.functional.mean_squared_error},
    "ClasswiseWrapper": lambda: {
        "metric": jm.metrics.MultioutputWrapper(jm.metrics.Accuracy(), num_outputs=3)
    },
    "CompositionalMetric": lambda: {
        "op": "add",
        "left": jm.metrics.Accuracy(),
        "right": 1.0,
    },
    "Metrics": lambda: {"metrics": [jm.metrics.Accuracy(), jm.metrics.Mean()]},
    "Losses": lambda: {
        "losses": {
            "mse": jm.losses.MeanSquaredError(),
            "mae": jm.losses.MeanAbsoluteError(),
        },
        "weights": {"mse": 1.0, "mae": 0.5},
    },
    "LossesAndMetrics": lambda: {
        "losses": jm.losses.MeanSquaredError(),
        "metrics": [jm.metrics.MeanMetricWrapper(jm.functional.mean_absolute_error)],
    },
}

COLLECTIONS = ("Metrics", "Losses", "LossesAndMetrics")


def _classes():
    found = {}
    for module in (jm.metrics, jm.losses):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and name not in ABSTRACT:
                found[name] = obj
    for name in COLLECTIONS:
        if hasattr(jm, name):
            found[name] = getattr(jm, name)
    return dict(sorted(found.items()))


CLASSES = _classes()


def build(name, cls):
    """Builds `cls` with defaults plus the required arguments from the tables."""
    kwargs = REQUIRED_BY_CLASS.get(name, dict)()
    for param in inspect.signature(cls.__init__).parameters.values():
        required = param.default is param.empty and param.kind in (
            param.POSITIONAL_OR_KEYWORD,
            param.KEYWORD_ONLY,
        )
        if param.name != "self" and required and param.name not in kwargs:
            if param.name not in REQUIRED_BY_NAME:
                raise LookupError(
                    f"{name}: no value for required argument {param.name!r}; add "
                    "it to REQUIRED_BY_NAME or REQUIRED_BY_CLASS"
                )
            kwargs[param.name] = REQUIRED_BY_NAME[param.name]()
    return cls(**kwargs)


def json_round_trip(obj):
    return jm.deserialize(json.loads(json.dumps(jm.serialize(obj))))


def test_every_class_builds():
    failures = []
    for name, cls in CLASSES.items():
        try:
            build(name, cls)
        except Exception as error:
            failures.append(f"{name}: {type(error).__name__}: {error}")
    assert not failures, "classes the tables cannot build:\n" + "\n".join(failures)


@pytest.mark.parametrize("name", list(CLASSES))
def test_class_round_trip(name):
    try:
        obj = build(name, CLASSES[name])
    except Exception:
        pytest.skip("cannot be built from the tables (see test_every_class_builds)")
    config = jm.serialize(obj)
    rebuilt = type(obj).from_config(obj.get_config())
    assert type(rebuilt) is type(obj)
    assert jm.serialize(rebuilt) == config
    restored = json_round_trip(obj)
    assert type(restored) is type(obj)
    assert jm.serialize(restored) == config
    assert restored.get_config().keys() == obj.get_config().keys()


CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_value_round_trip(case):
    metric = case.make()
    batch = case.batch(np.random.default_rng(0), 7)
    expected = metric.update(**batch).compute()
    assert jm.serialize(type(metric).from_config(metric.get_config())) == (
        jm.serialize(metric)
    )
    rebuilt = json_round_trip(metric)
    assert type(rebuilt) is type(metric)
    assert jm.serialize(rebuilt) == jm.serialize(metric)
    actual = rebuilt.update(**batch).compute()
    assert_values_close(actual, expected, rtol=0, atol=0, what=case.id)
    assert jax.tree.structure(actual) == jax.tree.structure(expected)
