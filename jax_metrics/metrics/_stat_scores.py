"""Task classification metrics (torchmetrics' Binary/Multiclass/Multilabel).

Every class here is a thin declaration over the bases of `_task_metrics.py`:
`TaskStatScoresMetric` (state: the weighted `tp, fp, tn, fn` per class, from
`jax_metrics.functional` stat-scores kernels), `TaskConfusionMetric`
(state: a `(C, C)` confusion matrix) and `TaskExactMatchMetric`. The classes
are generated from a table (task x family) so that options, docstrings and
formulas come from one place. Shared statistics and
`multidim_average="samplewise"`: see `_task_metrics.py`.
"""

from __future__ import annotations

import inspect
from typing import Any

from jax_metrics._module import snake_case
from jax_metrics._plotting import plot_confusion_matrix
from jax_metrics.functional import _stat_scores as F
from jax_metrics.metrics._task_metrics import (
    _FAMILY_OPTIONS,
    _REQUIRED,
    _STAT_OPTIONS,
    TaskConfusionMetric,
    TaskExactMatchMetric,
    TaskStatScoresMetric,
    _TaskMetric,
)

__all__: list[str] = []

# the catalog: one thin class per (task, family)

_TASKS = ("binary", "multiclass", "multilabel")
#: family -> (base, option group, higher_is_better, tasks, summary)
_FAMILIES = {
    "StatScores": (
        TaskStatScoresMetric,
        "stat_scores",
        None,
        _TASKS,
        "Weighted `[tp, fp, tn, fn, support]` counts",
    ),
    "Accuracy": (TaskStatScoresMetric, "score", True, _TASKS[1:], "Accuracy"),
    "Precision": (TaskStatScoresMetric, "score", True, _TASKS, "Precision"),
    "Recall": (TaskStatScoresMetric, "score", True, _TASKS, "Recall"),
    "F1Score": (TaskStatScoresMetric, "score", True, _TASKS, "F1 score"),
    "FBetaScore": (TaskStatScoresMetric, "score", True, _TASKS, "F-beta score"),
    "Specificity": (TaskStatScoresMetric, "score", True, _TASKS, "Specificity"),
    "NegativePredictiveValue": (
        TaskStatScoresMetric,
        "score",
        True,
        _TASKS,
        "Negative predictive value",
    ),
    "HammingDistance": (
        TaskStatScoresMetric,
        "score",
        False,
        _TASKS,
        "Hamming distance",
    ),
    "JaccardIndex": (TaskStatScoresMetric, "score", True, _TASKS, "Jaccard index"),
    "ConfusionMatrix": (
        TaskStatScoresMetric,
        "confusion_matrix",
        None,
        _TASKS,
        "Weighted confusion matrix",
    ),
    "MatthewsCorrCoef": (
        TaskStatScoresMetric,
        "matthews_corrcoef",
        True,
        _TASKS,
        "Matthews correlation coefficient",
    ),
    "CohenKappa": (
        TaskStatScoresMetric,
        "cohen_kappa",
        True,
        _TASKS[:2],
        "Cohen's kappa",
    ),
    "ExactMatch": (
        TaskExactMatchMetric,
        "exact_match",
        True,
        _TASKS[1:],
        "Exact match ratio",
    ),
}
_FORMULAS = {
    **{k: v for k, v in F.FORMULAS.items()},
    "stat_scores": "`support = tp + fn`; counts are sums of sample weights",
    "confusion_matrix": "`C[i, j] = sum of weights of samples with target i, "
    "prediction j` (binary: `[[tn, fp], [fn, tp]]`; multilabel: one 2x2 per "
    "label); `normalize` divides by row (`true`), column (`pred`) or total "
    "(`all`) sums",
    "matthews_corrcoef": "`(c s - sum_k t_k p_k) / sqrt((s^2 - sum_k p_k^2)"
    "(s^2 - sum_k t_k^2))` on the weighted confusion matrix (multilabel: the "
    "2x2 summed over labels)",
    "cohen_kappa": "`1 - sum(W O) / sum(W E)` on the weighted confusion matrix "
    "`O` and its chance agreement `E`; `W` is 0/1, `|i-j|` or `(i-j)^2`",
    "exact_match": "`sum_n w_n [sample n entirely correct] / sum_n w_n`",
}
_ARG_DOCS = {
    **F.ARG_DOCS,
    "normalize": '`"true"`, `"pred"`, `"all"` or `None` (counts).',
    "weights": '`None`, `"linear"` or `"quadratic"` disagreement weights.',
    "multidim_average": '`"global"` (default) or `"samplewise"` (the class '
    "accumulates the mean of per-sample values).",
}
#: example values of the non-score families (checked against scikit-learn)
CLASS_EXAMPLES = {
    ("binary", "StatScores"): "[2.0, 1.0, 1.0, 1.0, 3.0]",
    ("multiclass", "StatScores"): "[1.0, 0.6667, 2.6667, 0.6667, 1.6667]",
    ("multilabel", "StatScores"): "[1.5, 0.0, 1.0, 0.5, 2.0]",
    ("binary", "ConfusionMatrix"): "[[1.0, 1.0], [1.0, 2.0]]",
    ("multiclass", "ConfusionMatrix"): (
        "[[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]"
    ),
    ("multilabel", "ConfusionMatrix"): (
        "[[[1.0, 0.0], [0.0, 2.0]], [[1.0, 0.0], [1.0, 1.0]]]"
    ),
    ("binary", "MatthewsCorrCoef"): "0.1667",
    ("multiclass", "MatthewsCorrCoef"): "0.375",
    ("multilabel", "MatthewsCorrCoef"): "0.7071",
    ("binary", "CohenKappa"): "0.1667",
    ("multiclass", "CohenKappa"): "0.375",
    ("multiclass", "ExactMatch"): "0.6",
    ("multilabel", "ExactMatch"): "0.6667",
}
_SNAKE = {
    "Accuracy": "accuracy",
    "Precision": "precision",
    "Recall": "recall",
    "F1Score": "f1_score",
    "FBetaScore": "fbeta_score",
    "Specificity": "specificity",
    "NegativePredictiveValue": "negative_predictive_value",
    "HammingDistance": "hamming_distance",
    "JaccardIndex": "jaccard_index",
}


def _aliases(cls_name: str, function_name: str) -> tuple[str, ...]:
    """The functional form's name, where it differs from the snake_case name."""
    return () if snake_case(cls_name) == function_name else (function_name,)


def _plot_confusion_matrix(self, ax=None):
    """Draws the confusion matrix (multilabel: one 2x2 per label).

    Requires matplotlib (imported lazily). Returns the figure.
    """
    matrix = self.compute()
    if matrix.ndim == 3:
        return plot_confusion_matrix(matrix, title=self.name)
    return plot_confusion_matrix(matrix, title=self.name, ax=ax)


def _class_options(task: str, family: str, group: str) -> dict[str, Any]:
    stat = dict(_STAT_OPTIONS[task])
    if task == "multiclass" and group in (
        "confusion_matrix",
        "cohen_kappa",
        "matthews_corrcoef",
        "exact_match",
    ):
        stat.pop("top_k")
    extra = {"beta": _REQUIRED} if family == "FBetaScore" else {}
    value = dict(_FAMILY_OPTIONS[group])
    if task == "binary":
        value.pop("average", None)
    return {**extra, **stat, **value}


def _make_class(task: str, family: str):
    base, group, higher, _, summary = _FAMILIES[family]
    if task == "multiclass" and family in ("ConfusionMatrix", "CohenKappa"):
        base = TaskConfusionMetric
    options = _class_options(task, family, group)
    defaults = {k: v for k, v in options.items() if v is not _REQUIRED}
    family_key = _SNAKE.get(family, group)

    def __init__(self, *, name=None, dtype=None, **kwargs):
        _TaskMetric.__init__(self, name=name, dtype=dtype, **{**defaults, **kwargs})

    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for key, default in {**options, "name": None, "dtype": None}.items():
        params.append(
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=default)
        )
    __init__.__signature__ = inspect.Signature(params)
    cls_name = f"{task.capitalize()}{family}"
    args = "\n".join(f"        {k}: {_ARG_DOCS[k]}" for k in options)
    inputs, example_option = F.EXAMPLES[task]
    call_options = ", ".join(
        x for x in (example_option, "beta=2.0" if family == "FBetaScore" else "") if x
    )
    if family in _SNAKE:
        shown = f"{F.EXAMPLE_VALUES[(task, family_key)]}"
        example = "round(float(m.compute()), 4)"
    else:
        shown = CLASS_EXAMPLES[(task, family)]
        scalar = not shown.startswith("[")
        example = (
            "round(float(m.compute()), 4)"
            if scalar
            else "[round(x, 4) for x in m.compute().tolist()]"
            if family == "StatScores"
            else "m.compute().tolist()"
        )
    doc = f"""{summary} of {task} predictions (torchmetrics' `{cls_name}`).

    {_FORMULAS[family_key]}. Inputs, averaging and ignored entries: see
    `jax_metrics.functional.reduce_stat_scores` and the stat-scores kernels.
    Fixed-shape state; `sample_weight` on `update`.

    Args:
{args}
        name: metric name (default: snake_case class name).
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.{cls_name}({call_options}).update(
    ...     {inputs})
    >>> {example}
    {shown}
    """
    namespace = {
        **({"plot": _plot_confusion_matrix} if family == "ConfusionMatrix" else {}),
        "__init__": __init__,
        "__doc__": doc,
        "__module__": __name__,
        "__qualname__": cls_name,
        "_task": task,
        "_family": family_key,
        "_option_names": tuple(options),
        "higher_is_better": higher,
        "aliases": _aliases(cls_name, f"{task}_{family_key}"),
    }
    return cls_name, type(cls_name, (base,), namespace)


for _family, (_, _, _, _tasks, _) in _FAMILIES.items():
    for _task in _tasks:
        _name, _cls = _make_class(_task, _family)
        globals()[_name] = _cls
        __all__.append(_name)
