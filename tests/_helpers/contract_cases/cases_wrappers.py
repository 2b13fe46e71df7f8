"""Contract cases: metric wrappers and metric arithmetic.

`MinMaxMetric` (extremes over the trajectory of running values) and
`BootStrapper` (random resampling) are not batch-split invariant by nature:
their contract runs on data where the value does not depend on the split
(constant values; multinomial resampling keeps each batch's size, so a
bootstrapped `Sum` of a constant is exact). Their semantics are tested
against references in `tests/metrics/test_wrappers.py`.
"""

import jax
import numpy as np

import jax_metrics as jm
from tests._helpers.contract import ContractCase

M = jm.metrics


def values(rng, n):
    return {"values": rng.normal(size=(n, 3)).astype(np.float32)}


def weighted_values(rng, n):
    return {
        "values": rng.normal(size=(n,)).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def constant_values(rng, n):
    return {"values": np.full((n, 2), 1.5, np.float32)}


def multioutput(rng, n):
    return {
        "y_true": rng.integers(0, 3, size=(n, 4)),
        "y_pred": rng.integers(0, 3, size=(n, 4)),
        "sample_weight": rng.uniform(0, 1, size=(n,)).astype(np.float32),
    }


def sparse(rng, n, classes=4):
    return {
        "y_true": rng.integers(0, classes, size=(n,)),
        "y_pred": rng.normal(size=(n, classes)).astype(np.float32),
        "sample_weight": rng.uniform(0, 1, size=(n,)).astype(np.float32),
    }


def regression_with_gaps(rng, n):
    y_true = rng.normal(size=(n, 3)).astype(np.float32)
    y_true[rng.uniform(size=(n, 3)) < 0.2] = np.nan  # missing targets
    return {
        "y_true": y_true,
        "y_pred": rng.normal(size=(n, 3)).astype(np.float32),
        "sample_weight": rng.uniform(0, 1, size=(n,)).astype(np.float32),
    }


def graded(rng, n):
    return {
        "y_true": rng.integers(0, 5, size=(n,)).astype(np.float32),
        "y_pred": rng.uniform(size=(n,)).astype(np.float32),
        "sample_weight": rng.uniform(0, 1, size=(n,)).astype(np.float32),
    }


def softmax(logits):
    return jax.nn.softmax(logits, axis=-1)


def _multitask():
    return M.MultitaskWrapper(
        {
            "accuracy": M.SparseCategoricalAccuracy(),
            "top2": M.SparseTopKCategoricalAccuracy(k=2),
        }
    )


def _column_classwise():
    return M.ClasswiseWrapper(
        M.MultioutputWrapper(M.Mean(), num_outputs=3), labels=["a", "b", "c"]
    )


CASES = [
    ContractCase(
        "MetricTracker",
        lambda: M.MetricTracker(M.Mean(), maximize=False),
        weighted_values,
    ),
    ContractCase(
        "MetricTracker-accuracy",
        lambda: M.MetricTracker(M.SparseCategoricalAccuracy(), capacity=3),
        sparse,
    ),
    ContractCase(
        "BootStrapper-multinomial",
        lambda: M.BootStrapper(
            M.Sum(), num_bootstraps=4, sampling_strategy="multinomial"
        ),
        constant_values,
        rtol=1e-5,
    ),
    ContractCase("ClasswiseWrapper", _column_classwise, values),
    ContractCase("MinMaxMetric", lambda: M.MinMaxMetric(M.Mean()), constant_values),
    ContractCase("Running", lambda: M.Running(M.Mean(), window=3), weighted_values),
    ContractCase(
        "Running-sum-window4", lambda: M.Running(M.Sum(), window=4), values, rtol=1e-4
    ),
    ContractCase(
        "MultioutputWrapper",
        lambda: M.MultioutputWrapper(M.Accuracy(), num_outputs=4),
        multioutput,
    ),
    ContractCase(
        "CompositionalMetric",
        lambda: M.Mean() * 2.0 - M.Max() / M.Sum(name="s"),
        values,
        rtol=1e-4,
    ),
    # The contract concatenates flat arrays: inputs shared by every task here;
    # dict inputs keyed by task are tested in tests/metrics/test_wrappers.py.
    ContractCase("MultitaskWrapper", _multitask, sparse),
    ContractCase("CompositionalMetric-abs", lambda: abs(-M.Mean()), weighted_values),
    ContractCase(
        "LambdaInputTransformer",
        lambda: M.LambdaInputTransformer(
            M.MulticlassCalibrationError(num_classes=4), transform_pred=softmax
        ),
        sparse,
    ),
    ContractCase(
        "MultioutputWrapper-remove_nans",
        lambda: M.MultioutputWrapper(M.R2Score(), num_outputs=3),
        regression_with_gaps,
        rtol=1e-4,
        atol=1e-5,
    ),
    ContractCase(
        "MetricInputTransformer",
        lambda: M.MetricInputTransformer(M.Mean()),
        weighted_values,
    ),
    ContractCase(
        "BinaryTargetTransformer",
        lambda: M.BinaryTargetTransformer(M.BinaryAUROC(thresholds=11), 2.0),
        graded,
    ),
]
