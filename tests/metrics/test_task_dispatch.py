"""torchmetrics' task-dispatch names (`AUROC(task=...)`) and their errors."""

import numpy as np
import pytest
from sklearn import metrics as skm

import jax_metrics as jm

M = jm.metrics

# torchmetrics 1.9's dispatch names and the tasks each accepts, written out
# from its documentation.
ALL = ("binary", "multiclass", "multilabel")
TORCHMETRICS_TASKS = {
    "AUROC": ALL,
    "AveragePrecision": ALL,
    "CalibrationError": ("binary", "multiclass"),
    "CohenKappa": ("binary", "multiclass"),
    "ConfusionMatrix": ALL,
    "EER": ALL,
    "ExactMatch": ("multiclass", "multilabel"),
    "HammingDistance": ALL,
    "HingeLoss": ("binary", "multiclass"),
    "JaccardIndex": ALL,
    "LogAUC": ALL,
    "MatthewsCorrCoef": ALL,
    "NegativePredictiveValue": ALL,
    "PrecisionAtFixedRecall": ALL,
    "PrecisionRecallCurve": ALL,
    "ROC": ALL,
    "RecallAtFixedPrecision": ALL,
    "Specificity": ALL,
    "StatScores": ALL,
}
REQUIRED = {
    "PrecisionAtFixedRecall": {"min_recall": 0.5},
    "RecallAtFixedPrecision": {"min_precision": 0.5},
}


def _config(family):
    """One configuration for every task of `family` (as torchmetrics takes)."""
    config = {"num_classes": 4, **REQUIRED.get(family, {})}
    if "multilabel" in TORCHMETRICS_TASKS[family]:
        config["num_labels"] = 4
    return config


@pytest.mark.parametrize("family", sorted(TORCHMETRICS_TASKS))
def test_each_task_builds_its_class(family):
    assert set(M._task_dispatch.__all__) == set(TORCHMETRICS_TASKS)
    for task in ALL:
        name = task.capitalize() + family
        if task in TORCHMETRICS_TASKS[family]:
            metric = getattr(M, family)(task=task, **_config(family))
            assert type(metric).__name__ == name
        else:
            with pytest.raises(ValueError, match=f"received task='{task}'"):
                getattr(M, family)(task=task, **_config(family))


def test_options_of_other_tasks_are_dropped_and_the_rest_kept():
    metric = M.AUROC(
        task="binary", num_classes=3, num_labels=3, average="micro", max_fpr=0.5
    )
    assert metric.get_config() == M.BinaryAUROC(max_fpr=0.5).get_config()
    metric = M.JaccardIndex(
        task="multiclass", num_classes=3, num_labels=7, threshold=0.2, top_k=2
    )
    expected = M.MulticlassJaccardIndex(num_classes=3, top_k=2)
    assert metric.get_config() == expected.get_config()


def test_task_is_not_case_sensitive():
    assert type(M.Specificity(task="Binary")).__name__ == "BinarySpecificity"


def test_missing_and_unknown_options_raise():
    with pytest.raises(TypeError, match=r"MulticlassAUROC: .*'num_classes'"):
        M.AUROC(task="multiclass")
    with pytest.raises(TypeError, match=r"BinaryROC: .*unexpected keyword.*'bins'"):
        M.ROC(task="binary", bins=10)
    with pytest.raises(TypeError, match=r"validate_args.*jax_metrics\.checked"):
        M.StatScores(task="binary", validate_args=True)
    with pytest.raises(ValueError, match=r"expected one of \('binary',"):
        M.Specificity(task="bin")
    with pytest.raises(ValueError, match="received task=None"):
        M.EER(task=None)


@pytest.mark.parametrize("name", ["Precision", "Recall", "F1Score", "FBetaScore"])
def test_keras_names_given_a_task_name_the_task_classes(name):
    forms = f"Binary{name}, Multiclass{name}, Multilabel{name}"
    with pytest.raises(TypeError, match=rf"{name}: .*Keras' metric.*{forms}"):
        getattr(M, name)(task="multiclass", num_classes=3)


def test_values_match_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 50)
    scores = rng.dirichlet(np.ones(3), 50).astype(np.float32)
    w = rng.uniform(0, 2, 50).astype(np.float32)
    config = {"num_classes": 3, "num_labels": 3, "thresholds": None, "capacity": 64}
    auroc = M.AUROC(task="binary", **config).update(y == 1, scores[:, 1], w)
    expected = skm.roc_auc_score(y == 1, scores[:, 1], sample_weight=w)
    np.testing.assert_allclose(auroc.compute(), expected, rtol=1e-5)
    mcc = M.MatthewsCorrCoef(task="multiclass", num_classes=3, num_labels=3)
    mcc = mcc.update(y, scores, w)
    expected = skm.matthews_corrcoef(y, scores.argmax(-1), sample_weight=w)
    np.testing.assert_allclose(mcc.compute(), expected, rtol=1e-5)
