"""torchmetrics' task-dispatch names: `AUROC(task="binary", ...)` and the like.

Each function returns an instance of the `Binary*`, `Multiclass*` or
`Multilabel*` class its `task` names, built from the options. As in
torchmetrics, options that only another task of the family takes
(`num_classes` for `task="binary"`, `threshold` for `task="multiclass"`, ...)
are dropped, so one configuration can serve every task; any other unknown
option raises. The names torchmetrics shares with Keras (`Accuracy`,
`Precision`, `Recall`, `F1Score`, `FBetaScore`, `SensitivityAtSpecificity`,
`SpecificityAtSensitivity`) are Keras' classes here; their task forms are the
`Binary*`/`Multiclass*`/`Multilabel*` classes. `task` is not case-sensitive,
as in torchmetrics.
"""

from __future__ import annotations

import inspect
from typing import Any

from jax_metrics.metrics._base import Metric

__all__ = [
    "AUROC",
    "EER",
    "ROC",
    "AveragePrecision",
    "CalibrationError",
    "CohenKappa",
    "ConfusionMatrix",
    "ExactMatch",
    "HammingDistance",
    "HingeLoss",
    "JaccardIndex",
    "LogAUC",
    "MatthewsCorrCoef",
    "NegativePredictiveValue",
    "PrecisionAtFixedRecall",
    "PrecisionRecallCurve",
    "RecallAtFixedPrecision",
    "Specificity",
    "StatScores",
]

TASKS = ("binary", "multiclass", "multilabel")


def task_classes(family: str) -> dict[str, type[Metric]]:
    """`{task: class}` for the public classes named `<Task><family>`."""
    from jax_metrics import metrics

    names = {task: task.capitalize() + family for task in TASKS}
    return {t: getattr(metrics, n) for t, n in names.items() if n in metrics.__all__}


def _options(cls: type) -> set[str]:
    return set(inspect.signature(cls).parameters)


def _dispatch(family: str, task: Any, options: dict[str, Any]) -> Metric:
    classes = task_classes(family)
    if isinstance(task, str):
        task = task.lower()  # torchmetrics' names are case-insensitive
    if task not in classes:
        raise ValueError(
            f"Invalid value for argument `task` of {family}: expected one of "
            f"{tuple(classes)}, received task={task!r}"
        )
    cls = classes[task]
    taken = _options(cls)
    others = set().union(*(_options(c) for c in classes.values())) - taken
    return cls(**{k: v for k, v in options.items() if k not in others})


def AUROC(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `AUROC`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.AUROC(task="multiclass", num_classes=3)).__name__
    'MulticlassAUROC'
    """
    return _dispatch("AUROC", task, options)


def AveragePrecision(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `AveragePrecision`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.AveragePrecision(task="binary", num_classes=3)).__name__
    'BinaryAveragePrecision'
    """
    return _dispatch("AveragePrecision", task, options)


def CalibrationError(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `CalibrationError`.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.CalibrationError(task="multiclass", num_classes=4, n_bins=10)
    >>> type(m).__name__
    'MulticlassCalibrationError'
    """
    return _dispatch("CalibrationError", task, options)


def CohenKappa(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `CohenKappa`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.CohenKappa(task="binary", weights="linear")).__name__
    'BinaryCohenKappa'
    """
    return _dispatch("CohenKappa", task, options)


def ConfusionMatrix(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `ConfusionMatrix`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.ConfusionMatrix(task="multilabel", num_labels=5)).__name__
    'MultilabelConfusionMatrix'
    """
    return _dispatch("ConfusionMatrix", task, options)


def EER(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `EER`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.EER(task="multilabel", num_labels=2)).__name__
    'MultilabelEER'
    """
    return _dispatch("EER", task, options)


def ExactMatch(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `ExactMatch`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.ExactMatch(task="multiclass", num_classes=3)).__name__
    'MulticlassExactMatch'
    """
    return _dispatch("ExactMatch", task, options)


def HammingDistance(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `HammingDistance`.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.HammingDistance(task="multilabel", num_labels=4, threshold=0.3)
    >>> type(m).__name__
    'MultilabelHammingDistance'
    """
    return _dispatch("HammingDistance", task, options)


def HingeLoss(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `HingeLoss`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.HingeLoss(task="binary", squared=True)).__name__
    'BinaryHingeLoss'
    """
    return _dispatch("HingeLoss", task, options)


def JaccardIndex(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `JaccardIndex`.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.JaccardIndex(task="multiclass", num_classes=3, threshold=0.7)
    >>> type(m).__name__
    'MulticlassJaccardIndex'
    """
    return _dispatch("JaccardIndex", task, options)


def LogAUC(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `LogAUC`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.LogAUC(task="binary")).__name__
    'BinaryLogAUC'
    """
    return _dispatch("LogAUC", task, options)


def MatthewsCorrCoef(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `MatthewsCorrCoef`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.MatthewsCorrCoef(task="multiclass", num_classes=3)).__name__
    'MulticlassMatthewsCorrCoef'
    """
    return _dispatch("MatthewsCorrCoef", task, options)


def NegativePredictiveValue(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `NegativePredictiveValue`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.NegativePredictiveValue(task="binary", num_labels=2)).__name__
    'BinaryNegativePredictiveValue'
    """
    return _dispatch("NegativePredictiveValue", task, options)


def PrecisionAtFixedRecall(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `PrecisionAtFixedRecall`.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.PrecisionAtFixedRecall(
    ...     task="multilabel", num_labels=3, min_recall=0.5
    ... )
    >>> type(m).__name__
    'MultilabelPrecisionAtFixedRecall'
    """
    return _dispatch("PrecisionAtFixedRecall", task, options)


def PrecisionRecallCurve(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `PrecisionRecallCurve`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.PrecisionRecallCurve(task="binary", thresholds=11)).__name__
    'BinaryPrecisionRecallCurve'
    """
    return _dispatch("PrecisionRecallCurve", task, options)


def RecallAtFixedPrecision(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `RecallAtFixedPrecision`.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.RecallAtFixedPrecision(
    ...     task="multiclass", num_classes=3, min_precision=0.5
    ... )
    >>> type(m).__name__
    'MulticlassRecallAtFixedPrecision'
    """
    return _dispatch("RecallAtFixedPrecision", task, options)


def ROC(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `ROC`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.ROC(task="multiclass", num_classes=4)).__name__
    'MulticlassROC'
    """
    return _dispatch("ROC", task, options)


def Specificity(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `Specificity`.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.Specificity(task="multilabel", num_labels=3, average="micro")
    >>> type(m).__name__
    'MultilabelSpecificity'
    """
    return _dispatch("Specificity", task, options)


def StatScores(task: str, **options: Any) -> Metric:
    """The task class `task` names: torchmetrics' `StatScores`.

    >>> import jax_metrics as jm
    >>> type(jm.metrics.StatScores(task="multiclass", num_classes=3, top_k=2)).__name__
    'MulticlassStatScores'
    """
    return _dispatch("StatScores", task, options)
