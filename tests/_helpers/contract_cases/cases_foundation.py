"""Contract cases: aggregation and accuracy metrics."""

import numpy as np

import jax_metrics as jm
from tests._helpers.contract import ContractCase


def values(rng, n):
    return {"values": rng.normal(size=(n, 3)).astype(np.float32)}


def weighted_values(rng, n):
    return {
        "values": rng.normal(size=(n,)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def sparse(rng, n, classes=4):
    return {
        "y_true": rng.integers(0, classes, size=(n,)),
        "y_pred": rng.normal(size=(n, classes)).astype(np.float32),
        "sample_weight": rng.uniform(0, 1, size=(n,)).astype(np.float32),
    }


def one_hot(rng, n, classes=4):
    b = sparse(rng, n, classes)
    b["y_true"] = np.eye(classes, dtype=np.float32)[b["y_true"]]
    return b


def binary(rng, n):
    return {
        "y_true": rng.integers(0, 2, size=(n, 1)).astype(np.float32),
        "y_pred": rng.uniform(size=(n, 1)).astype(np.float32),
    }


def exact(rng, n):
    return {"y_true": rng.integers(0, 3, size=(n,)), "y_pred": rng.integers(0, 3, (n,))}


M = jm.metrics
CASES = [
    ContractCase("Mean", M.Mean, values),
    ContractCase("Mean-weighted", M.Mean, weighted_values),
    ContractCase("Sum", M.Sum, weighted_values, rtol=1e-4),
    ContractCase("Min", M.Min, weighted_values),
    ContractCase("Max", M.Max, values),
    ContractCase(
        "MeanMetricWrapper",
        lambda: M.MeanMetricWrapper(jm.functional.sparse_categorical_accuracy),
        sparse,
    ),
    ContractCase("Accuracy", M.Accuracy, exact),
    ContractCase("BinaryAccuracy", lambda: M.BinaryAccuracy(threshold=0.3), binary),
    ContractCase("CategoricalAccuracy", M.CategoricalAccuracy, one_hot),
    ContractCase("SparseCategoricalAccuracy", M.SparseCategoricalAccuracy, sparse),
    ContractCase(
        "TopKCategoricalAccuracy", lambda: M.TopKCategoricalAccuracy(k=2), one_hot
    ),
    ContractCase(
        "SparseTopKCategoricalAccuracy",
        lambda: M.SparseTopKCategoricalAccuracy(k=2),
        sparse,
    ),
]
