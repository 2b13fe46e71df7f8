"""Checked mode (`jm.checked`, `jm.checking`): value problems raise."""

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm
from tests._helpers.contract import all_cases

M = jm.metrics
NAN = np.nan
CASES = all_cases()


def _update(metric, batch):
    return metric.update(**batch)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_checked_mode_over_the_contract(case):
    """Valid batches pass and give the unchecked state; invalid ones raise."""
    batch = case.batch(np.random.default_rng(0), 16)
    metric = case.make()
    checked = jm.checked(_update)
    if case.invalid:
        with pytest.raises(jm.CheckError, match="outside"):
            checked(metric, batch)
        return
    actual = jax.tree.leaves(checked(metric, batch))
    expected = jax.tree.leaves(_update(metric, batch))
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(e))


def _probs(n, classes=3):
    return np.full((n, classes), 1.0 / classes, np.float32)


def _batch(y_true, y_pred):
    return {"y_true": np.asarray(y_true), "y_pred": np.asarray(y_pred, np.float32)}


def _ids(y_true, y_pred):
    return {"y_true": np.asarray(y_true), "y_pred": np.asarray(y_pred)}


NAN_ROWS = [[NAN, 0, 0], [0, 1, 0]]
# id: (metric factory, bad batch, message)
PROBLEMS = {
    "binary target": (
        M.BinaryPrecision,
        _batch([0, 2], [0.2, 0.7]),
        "binary_precision: 1 target(s) not 0 or 1",
    ),
    "binary NaN score": (
        M.BinaryPrecision,
        _batch([0, 1], [NAN, 0.7]),
        "binary_precision: 1 NaN prediction(s)",
    ),
    "multilabel target": (
        lambda: M.MultilabelF1Score(num_labels=2),
        _batch([[0, 3], [4, 1]], np.full((2, 2), 0.6)),
        "multilabel_f1_score: 2 target(s) not 0 or 1",
    ),
    "multiclass predicted label": (
        lambda: M.MulticlassRecall(num_classes=3),
        _ids([0, 1], [0, 4]),
        "multiclass_recall: 1 predicted label(s) outside [0, 3)",
    ),
    "multiclass NaN score": (
        lambda: M.MulticlassRecall(num_classes=3, top_k=2),
        _batch([0, 1], NAN_ROWS),
        "multiclass_recall: 1 prediction(s) with NaN scores",
    ),
    "multiclass float target": (
        lambda: M.MulticlassAccuracy(num_classes=3),
        _ids([0.0, 1.5, NAN], [0, 1, 2]),
        "multiclass_accuracy: 2 target(s) outside [0, 3)",
    ),
    "binary curve target": (
        M.BinaryAUROC,
        _batch([0, 2], [0.2, 0.7]),
        "binary_auroc: 1 target(s) not 0 or 1",
    ),
    "exact curve NaN score": (
        lambda: M.BinaryAveragePrecision(thresholds=None, capacity=8),
        _batch([0, 1], [NAN, 0.7]),
        "binary_average_precision: 1 NaN prediction(s)",
    ),
    "multiclass curve target": (
        lambda: M.MulticlassAUROC(num_classes=3),
        _batch([0, 3], _probs(2)),
        "multiclass_auroc: 1 target(s) outside [0, 3)",
    ),
    "calibration target": (
        M.BinaryCalibrationError,
        _batch([0, -3], [0.2, 0.7]),
        "binary_calibration_error: 1 target(s) not 0 or 1",
    ),
    "binary logits without from_logits": (
        M.BinaryF1Score,
        _batch([0, 1, 1], [-1.2, 0.7, 2.5]),
        "binary_f1_score: 2 prediction(s) outside [0, 1]; logits need from_logits",
    ),
    "multilabel logits without from_logits": (
        lambda: M.MultilabelAUROC(num_labels=2),
        _batch([[0, 1], [1, 0]], [[0.3, 1.5], [0.8, 0.1]]),
        "multilabel_auroc: 1 prediction(s) outside [0, 1]",
    ),
    "multiclass binned curve logits": (
        lambda: M.MulticlassROC(num_classes=3, thresholds=11),
        _batch([0, 1], [[2.0, -1.0, 0.5], [0.2, 0.3, 0.5]]),
        "multiclass_roc: 2 prediction(s) outside [0, 1]",
    ),
    "calibration logits": (
        M.BinaryCalibrationError,
        _batch([0, 1], [-0.5, 0.7]),
        "binary_calibration_error: 1 prediction(s) outside [0, 1]",
    ),
    "Keras AUC NaN score": (
        M.AUC,
        _batch([0, 1, 1], [NAN, 0.7, NAN]),
        "auc: 2 NaN prediction(s)",
    ),
    "Keras Precision NaN score": (
        lambda: M.Precision(thresholds=[0.3, 0.6]),
        _batch([0, 1], [NAN, 0.7]),
        "precision: 1 NaN prediction(s)",
    ),
    "F1Score sparse label": (
        lambda: M.F1Score(num_classes=3),
        _batch([0, 5], _probs(2)),
        "f1_score: 1 target(s) outside [0, 3)",
    ),
    "confusion matrix label": (
        lambda: M.MulticlassConfusionMatrix(num_classes=3),
        _ids([0, 5], [0, 1]),
        "multiclass_confusion_matrix: 1 target(s) outside [0, 3)",
    ),
    "IoU prediction": (
        lambda: M.MeanIoU(3),
        _ids([0, 1], [0, -1]),
        "mean_io_u: 1 label(s) or prediction(s) outside [0, 3)",
    ),
    "sparse accuracy label": (
        M.SparseCategoricalAccuracy,
        _batch([0, 5], _probs(2)),
        "sparse_categorical_accuracy: 1 target(s) outside [0, 3)",
    ),
    "sparse top-k label": (
        lambda: M.SparseTopKCategoricalAccuracy(k=2),
        _batch([-1, 1], _probs(2)),
        "sparse_top_k_categorical_accuracy: 1 target(s) outside [0, 3)",
    ),
    "categorical accuracy NaN score": (
        M.CategoricalAccuracy,
        _batch(np.eye(3)[:2], NAN_ROWS),
        "categorical_accuracy: 1 prediction(s) with NaN scores",
    ),
    "sparse crossentropy label": (
        M.SparseCategoricalCrossentropy,
        _batch([0, 5], _probs(2)),
        "sparse_categorical_crossentropy: 1 target(s) outside [0, 3)",
    ),
    "Tweedie domain": (
        lambda: M.TweedieDevianceScore(power=1.5),
        _batch([0.0, -1.0], [-1.0, 1.0]),
        "tweedie_deviance_score: 2 entries outside the domain of power=1.5",
    ),
    "MSLE domain": (
        M.MeanSquaredLogError,
        _batch([0.0, -2.0], [1.0, 1.0]),
        "mean_squared_log_error: 1 entries <= -1",
    ),
    "perplexity label": (
        M.Perplexity,
        _batch([[0, 7]], np.zeros((1, 2, 4))),
        "perplexity: 1 target(s) outside [0, 4)",
    ),
    "NaN state": (
        M.Mean,
        {"values": np.array([1.0, NAN])},
        "mean: the update turned 2 state entries into NaN",
    ),
    "infinite inputs": (
        M.MeanSquaredError,
        _batch([1.0, np.inf], [1.0, np.inf]),
        "mean_squared_error: the update turned",
    ),
}


@pytest.mark.parametrize(
    ("make", "batch", "message"), list(PROBLEMS.values()), ids=list(PROBLEMS)
)
def test_value_problems_raise_in_checked_mode(make, batch, message):
    metric = make()
    with pytest.raises(jm.CheckError, match="^" + re.escape(message)):
        jm.checked(_update)(metric, batch)
    with jm.checking(), pytest.raises(jm.CheckError, match="^" + re.escape(message)):
        metric.update(**batch)
    # Default mode keeps the documented policy: no error.
    jax.block_until_ready(metric.update(**batch).compute())


@pytest.mark.parametrize(
    ("metric", "batch"),
    [
        (
            M.IoU(3, [0], ignore_class=255),
            {"y_true": np.array([0, 255]), "y_pred": np.array([0, 1])},
        ),
        (
            M.MulticlassAccuracy(num_classes=3, ignore_index=-100),
            {"y_true": np.array([0, -100]), "y_pred": np.array([0, 1])},
        ),
        (
            M.BinaryF1Score(ignore_index=-1),
            {"y_true": np.array([0, -1, 1]), "y_pred": np.array([0.1, 0.4, 0.9])},
        ),
        (
            M.SparseCategoricalCrossentropy(ignore_class=-1),
            {"y_true": np.array([0, -1]), "y_pred": _probs(2)},
        ),
        (
            M.Perplexity(ignore_index=-100),
            {"y_true": np.array([[0, -100]]), "y_pred": np.zeros((1, 2, 4))},
        ),
    ],
    ids=["IoU", "MulticlassAccuracy", "BinaryF1Score", "SparseCCE", "Perplexity"],
)
def test_ignored_labels_are_not_problems(metric, batch):
    with jm.checking():
        checked_value = metric.update(**batch).compute()
    np.testing.assert_array_equal(checked_value, metric.update(**batch).compute())


@pytest.mark.parametrize(
    "metric",
    [
        M.BinaryF1Score(from_logits=True),
        M.BinaryAUROC(from_logits=True),
        M.MulticlassROC(num_classes=3, thresholds=11, from_logits=True),
        M.BinaryAUROC(thresholds=None, capacity=8),  # exact curves rank any score
        M.BinaryROC(thresholds=[-2.0, 0.0, 2.0]),  # a grid past [0, 1]
        M.MulticlassHingeLoss(num_classes=3),  # margins, not probabilities
    ],
    ids=["F1 logits", "AUROC logits", "ROC logits", "exact", "own grid", "hinge"],
)
def test_scores_outside_unit_interval_where_they_belong(metric):
    rng = np.random.default_rng(0)
    if "multiclass" in metric.name:
        batch = _batch([0, 1, 2, 1], rng.normal(0, 3, (4, 3)))
    else:
        batch = _batch([0, 1, 1, 0], rng.normal(0, 3, 4))
    with jm.checking():
        checked_value = metric.update(**batch).compute()
    jax.tree.map(
        np.testing.assert_array_equal, checked_value, metric.update(**batch).compute()
    )


def test_losses_and_collections_check_their_kernels():
    loss = jm.losses.SparseCategoricalCrossentropy()
    labels, probs = jnp.array([0, 3]), jnp.asarray(_probs(2))
    with pytest.raises(jm.CheckError, match=r"^sparse_categorical_crossentropy: 1 "):
        jm.checked(loss)(labels, probs)
    np.testing.assert_allclose(
        jm.checked(loss)(jnp.array([0, 2]), probs), np.log(3.0), rtol=1e-6
    )
    metrics = jm.Metrics([M.SparseCategoricalAccuracy()])
    with pytest.raises(jm.CheckError, match="target"):
        jm.checked(lambda m, y, p: m.update(y, p))(metrics, labels, probs)


def test_checks_cost_nothing_by_default():
    """Outside checked mode the traced update holds no check at all."""
    metric = M.MulticlassAccuracy(num_classes=3)
    args = (jnp.array([0, 1]), jnp.array([0, 1]))
    jaxpr = str(jax.make_jaxpr(lambda m, *a: m.update(*a))(metric, *args))
    assert "check" not in jaxpr


def test_checking_scope_and_unfunctionalized_jit():
    metric = M.MulticlassAccuracy(num_classes=3)
    bad = (jnp.array([0, 5]), jnp.array([0, 1]))
    with jm.checking(), pytest.raises(ValueError, match="checkify"):
        jax.jit(lambda m, *a: m.update(*a))(metric, *bad)
    # Leaving the block switches the checks off again: the ignore policy
    # leaves one valid entry, predicted right.
    np.testing.assert_allclose(metric.update(*bad).compute(), 1.0)


def test_checked_train_step_under_grad():
    """Checks survive autodiff: a Keras-style step raises on a bad label."""
    lm = jm.compile(
        loss=jm.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    x = jnp.asarray(np.random.default_rng(0).normal(size=(6, 4)), jnp.float32)

    @jm.checked
    def step(w, lm, y):
        (value, lm), grad = jax.value_and_grad(
            lambda w: lm.loss_and_update(y, x @ w), has_aux=True
        )(w)
        return w - 0.1 * grad, lm, value

    w = jnp.zeros((4, 3))
    _, updated, value = step(w, lm, jnp.array([0, 1, 2, 0, 1, 2]))
    np.testing.assert_allclose(value, np.log(3.0), rtol=1e-6)  # uniform logits
    assert updated.compute_logs()["accuracy"] == pytest.approx(2 / 6)
    with pytest.raises(jm.CheckError, match="target"):
        step(w, lm, jnp.array([0, 1, 2, 0, 1, 3]))
