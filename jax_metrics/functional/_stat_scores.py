"""Task classification options and generated functional forms.

The option tables and plumbing shared by the task metric classes
(`validate_task_options`, `task_statistics`, `task_score`) and the public
functional forms, one per (score, task), built from the statistics kernels
(`_stat_scores_statistics.py`) and the value kernel `reduce_stat_scores`
(`_stat_scores_values.py`). See `_stat_scores_statistics.py` for input
formats and ignored entries.
"""

from __future__ import annotations

import inspect
from typing import Any

from jax import Array

from jax_metrics.functional._loss_utils import check_real
from jax_metrics.functional._stat_scores_statistics import (
    AVERAGES,
    MULTIDIM_AVERAGES,
    _check_int,
    binary_stat_scores_statistics,
    check_option,
    multiclass_stat_scores_statistics,
    multilabel_stat_scores_statistics,
)

# Kernels the task metric classes reach through this module (`F.<name>`).
from jax_metrics.functional._stat_scores_statistics import (
    exact_match_statistics as exact_match_statistics,
)
from jax_metrics.functional._stat_scores_statistics import (
    multiclass_confusion_statistics as multiclass_confusion_statistics,
)
from jax_metrics.functional._stat_scores_statistics import (
    safe_divide as safe_divide,
)
from jax_metrics.functional._stat_scores_values import (
    KAPPA_WEIGHTS as KAPPA_WEIGHTS,
)
from jax_metrics.functional._stat_scores_values import (
    NORMALIZE as NORMALIZE,
)
from jax_metrics.functional._stat_scores_values import (
    cohen_kappa_value as cohen_kappa_value,
)
from jax_metrics.functional._stat_scores_values import (
    matthews_corrcoef_from_stat_scores as matthews_corrcoef_from_stat_scores,
)
from jax_metrics.functional._stat_scores_values import (
    normalize_confusion_matrix as normalize_confusion_matrix,
)
from jax_metrics.functional._stat_scores_values import reduce_stat_scores
from jax_metrics.functional._stat_scores_values import (
    stat_scores_confusion_matrix as stat_scores_confusion_matrix,
)

__all__: list[str] = []


# ---------------------------------------------------------------------------
# public functional forms, one per (score, task), built from the pair above

_REQUIRED = inspect.Parameter.empty
TASK_OPTIONS: dict[str, dict[str, Any]] = {
    "binary": {
        "threshold": 0.5,
        "from_logits": False,
        "ignore_index": None,
        "multidim_average": "global",
        "zero_division": 0.0,
    },
    "multiclass": {
        "num_classes": _REQUIRED,
        "average": "macro",
        "top_k": 1,
        "ignore_index": None,
        "multidim_average": "global",
        "zero_division": 0.0,
    },
    "multilabel": {
        "num_labels": _REQUIRED,
        "threshold": 0.5,
        "from_logits": False,
        "average": "macro",
        "ignore_index": None,
        "multidim_average": "global",
        "zero_division": 0.0,
    },
}
_STATISTICS = {
    "binary": binary_stat_scores_statistics,
    "multiclass": multiclass_stat_scores_statistics,
    "multilabel": multilabel_stat_scores_statistics,
}
_STATISTICS_OPTIONS = {
    "binary": ("threshold", "from_logits", "ignore_index", "multidim_average"),
    "multiclass": ("num_classes", "top_k", "ignore_index", "multidim_average"),
    "multilabel": (
        "num_labels",
        "threshold",
        "from_logits",
        "ignore_index",
        "multidim_average",
    ),
}


def task_statistics(task: str, y_true, y_pred, options: dict, sample_weight=None):
    """Runs the statistics kernel of `task` with the statistics part of `options`.

    >>> tp, fp, tn, fn = task_statistics("binary", jnp.array([1]), jnp.array([0.7]), {})
    >>> float(tp)
    1.0
    """
    kwargs = {k: options[k] for k in _STATISTICS_OPTIONS[task] if k in options}
    return _STATISTICS[task](y_true, y_pred, sample_weight=sample_weight, **kwargs)


def task_score(score: str, task: str, stats, options: dict) -> Array:
    """Runs `reduce_stat_scores` with the value part of `options`.

    >>> float(task_score("recall", "binary", (1.0, 0.0, 0.0, 1.0), {}))
    0.5
    """
    return reduce_stat_scores(
        score,
        *stats,
        task=task,
        average=options.get("average", "macro"),
        top_k=options.get("top_k", 1),
        beta=options.get("beta", 1.0),
        zero_division=options.get("zero_division", 0.0),
        ignore_index=options.get("ignore_index"),
    )


def validate_task_options(task: str, options: dict, extra=()) -> dict:
    """Fills defaults, checks names and values of a task's options.

    >>> validate_task_options("multiclass", {"num_classes": 3})["average"]
    'macro'
    """
    defaults = {**dict.fromkeys(extra, _REQUIRED), **TASK_OPTIONS[task]}
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise TypeError(
            f"expected options among {sorted(defaults)}, received {unknown}"
        )
    merged = {**defaults, **options}
    missing = sorted(k for k, v in merged.items() if v is _REQUIRED)
    if missing:
        raise TypeError(f"expected the option(s) {missing}, received none")
    if "average" in merged:
        check_option("average", merged["average"], AVERAGES)
    check_option("multidim_average", merged["multidim_average"], MULTIDIM_AVERAGES)
    if "num_classes" in merged:
        _check_int("num_classes", merged["num_classes"], 2)
        _check_int("top_k", merged["top_k"], 1)
        if merged["top_k"] > merged["num_classes"]:
            raise ValueError(
                f"expected `top_k` <= num_classes={merged['num_classes']}, "
                f"received {merged['top_k']}"
            )
    if "num_labels" in merged:
        _check_int("num_labels", merged["num_labels"], 1)
    if "threshold" in merged:
        threshold = check_real("threshold", merged["threshold"], "in [0, 1]")
        if not 0 <= threshold <= 1:
            raise ValueError(
                f"expected `threshold` in [0, 1], received {merged['threshold']!r}"
            )
    if "beta" in merged and not check_real("beta", merged["beta"], "> 0") > 0:
        raise ValueError(f"expected `beta` > 0, received {merged['beta']!r}")
    return merged


_TITLES = {
    "accuracy": ("accuracy", "Accuracy", True),
    "precision": ("precision", "Precision", True),
    "recall": ("recall", "Recall", True),
    "f1_score": ("fbeta", "F1Score", True),
    "fbeta_score": ("fbeta", "FBetaScore", True),
    "specificity": ("specificity", "Specificity", True),
    "negative_predictive_value": (
        "negative_predictive_value",
        "NegativePredictiveValue",
        True,
    ),
    "hamming_distance": ("hamming_distance", "HammingDistance", False),
    "jaccard_index": ("jaccard_index", "JaccardIndex", True),
}
_HUMAN_TITLES = {
    "f1_score": "F1 score",
    "fbeta_score": "F-beta score",
    "negative_predictive_value": "Negative predictive value",
    "hamming_distance": "Hamming distance",
    "jaccard_index": "Jaccard index",
}
FORMULAS = {
    "accuracy": "`(tp + tn) / (tp + fp + tn + fn)` (binary, multilabel) or "
    "`tp / (tp + fn)` per class (multiclass)",
    "precision": "`tp / (tp + fp)`",
    "recall": "`tp / (tp + fn)`",
    "f1_score": "`2 tp / (2 tp + fn + fp)`",
    "fbeta_score": "`(1 + beta^2) tp / ((1 + beta^2) tp + beta^2 fn + fp)`",
    "specificity": "`tn / (tn + fp)`",
    "negative_predictive_value": "`tn / (tn + fn)`",
    "hamming_distance": "`1 - accuracy`",
    "jaccard_index": "`tp / (tp + fp + fn)`",
}
ARG_DOCS = {
    "beta": "weight of recall relative to precision (> 0).",
    "num_classes": "number of classes (scores have shape `(N, ..., C)`).",
    "num_labels": "number of labels (the last axis).",
    "threshold": "a prediction is positive when `y_pred > threshold`.",
    "from_logits": "apply a sigmoid to `y_pred` before thresholding.",
    "average": '`"micro"`, `"macro"` (default), `"weighted"` or `"none"`.',
    "top_k": "a hit when the label is among the `k` best scores.",
    "ignore_index": "target value whose entries are ignored.",
    "multidim_average": '`"global"` (default) or `"samplewise"` (one value per '
    "sample).",
    "zero_division": "value of a 0/0 score.",
    "sample_weight": "weights of the leading axes of `y_true` (shared rule).",
}
EXAMPLES = {
    "binary": (
        "jnp.array([0, 1, 1, 0, 1]), jnp.array([0.2, 0.7, 0.4, 0.6, 0.9])",
        "",
    ),
    "multiclass": (
        "jnp.array([0, 1, 2, 2, 1]), jnp.array([0, 1, 1, 2, 2])",
        "num_classes=3",
    ),
    "multilabel": (
        "jnp.array([[0, 1], [1, 1], [1, 0]]), "
        "jnp.array([[0.2, 0.7], [0.6, 0.4], [0.8, 0.3]])",
        "num_labels=2",
    ),
}
#: expected example values (checked against scikit-learn in the tests)
EXAMPLE_VALUES = {
    ("binary", "accuracy"): 0.6,
    ("binary", "precision"): 0.6667,
    ("binary", "recall"): 0.6667,
    ("binary", "f1_score"): 0.6667,
    ("binary", "fbeta_score"): 0.6667,
    ("binary", "specificity"): 0.5,
    ("binary", "negative_predictive_value"): 0.5,
    ("binary", "hamming_distance"): 0.4,
    ("binary", "jaccard_index"): 0.5,
    ("multiclass", "accuracy"): 0.6667,
    ("multiclass", "precision"): 0.6667,
    ("multiclass", "recall"): 0.6667,
    ("multiclass", "f1_score"): 0.6667,
    ("multiclass", "fbeta_score"): 0.6667,
    ("multiclass", "specificity"): 0.7778,
    ("multiclass", "negative_predictive_value"): 0.7778,
    ("multiclass", "hamming_distance"): 0.3333,
    ("multiclass", "jaccard_index"): 0.5556,
    ("multilabel", "accuracy"): 0.8333,
    ("multilabel", "precision"): 1.0,
    ("multilabel", "recall"): 0.75,
    ("multilabel", "f1_score"): 0.8333,
    ("multilabel", "fbeta_score"): 0.7778,
    ("multilabel", "specificity"): 1.0,
    ("multilabel", "negative_predictive_value"): 0.75,
    ("multilabel", "hamming_distance"): 0.1667,
    ("multilabel", "jaccard_index"): 0.75,
}


def function_name(task: str, family: str) -> str:
    """The public functional name of a family for a task.

    >>> function_name("binary", "accuracy")
    'binary_task_accuracy'
    """
    if task == "binary" and family == "accuracy":
        return "binary_task_accuracy"  # `binary_accuracy` is Keras'
    return f"{task}_{family}"


def _make_function(task: str, family: str):
    score, torch_suffix, _ = _TITLES[family]
    title = _HUMAN_TITLES.get(family, torch_suffix)
    extra = ("beta",) if family == "fbeta_score" else ()
    fixed = {"beta": 1.0} if family == "f1_score" else {}

    def fn(y_true, y_pred, *, sample_weight=None, **options):
        options = validate_task_options(task, options, extra)
        stats = task_statistics(task, y_true, y_pred, options, sample_weight)
        return task_score(score, task, stats, {**options, **fixed})

    params = [
        inspect.Parameter("y_true", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("y_pred", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    ]
    defaults = {**dict.fromkeys(extra, _REQUIRED), **TASK_OPTIONS[task]}
    for key, value in {**defaults, "sample_weight": None}.items():
        params.append(
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=value)
        )
    name = function_name(task, family)
    fn.__name__ = fn.__qualname__ = name
    fn.__signature__ = inspect.Signature(params)
    args = "\n".join(f"        {k}: {ARG_DOCS[k]}" for k in defaults)
    inputs, option = EXAMPLES[task]
    option = ", ".join(x for x in (option, "beta=2.0" if extra else "") if x)
    call = f"jm.functional.{name}(\n    ...     {inputs}"
    call += f", {option})" if option else ")"
    value = EXAMPLE_VALUES[(task, family)]
    torch_name = f"{task.capitalize()}{torch_suffix}"
    fn.__doc__ = f"""{title} of {task} predictions (torchmetrics' `{torch_name}`).

    {FORMULAS[family]}, with sample weights, averaged as
    `reduce_stat_scores` says; see the module notes for input formats and
    ignored entries.

    Args:
        y_true: integer labels.
        y_pred: probabilities, logits or labels.
{args}
        sample_weight: weights of the leading axes of `y_true` (shared rule).

    Returns:
        The score (per class for `average="none"`, per sample for
        `multidim_average="samplewise"`).

    >>> import jax_metrics as jm
    >>> round(float({call}), 4)
    {value}
    """
    return name, fn


for _task in ("binary", "multiclass", "multilabel"):
    for _family in _TITLES:
        _name, _fn = _make_function(_task, _family)
        globals()[_name] = _fn
        __all__.append(_name)
