"""Task curve families: options, `curve_value` and generated functional forms.

`curve_value` turns the curve points of `curve_points` (`_curve_points.py`)
into a family's value with the point kernels of `_curve_values.py`; the
public functional forms, one per (family, task), are built from the pair.
See `_curve_points.py` for input formats, the binned and exact modes and
ignored entries.
"""

from __future__ import annotations

import inspect
from typing import Any

import jax.numpy as jnp
import numpy as np
from jax import Array

from jax_metrics.functional._curve_points import (
    binned_counts,
    curve_entries,
    curve_thresholds,
    exact_counts,
)
from jax_metrics.functional._curve_points import (
    curve_points as curve_points,  # used by the `curve_value` example
)
from jax_metrics.functional._curve_values import (
    CURVE_AVERAGES,
    CURVE_FAMILY_AVERAGES,
    _micro,
    auroc_from_points,
    average_precision_from_points,
    eer_from_points,
    eer_from_rates,
    logauc_from_points,
    macro_roc,
    operating_point_from_points,
    precision_recall_from_points,
    reduce_curve_scores,
    roc_from_points,
)
from jax_metrics.functional._loss_utils import check_real
from jax_metrics.functional._stat_scores_statistics import _check_int, check_option

__all__: list[str] = []


# ---------------------------------------------------------------------------
# value of a family from points (shared by the classes and the functions)

FAMILY_OPTIONS: dict[str, dict[str, Any]] = {
    "roc": {"average": None},
    "precision_recall_curve": {"average": None},
    "auroc": {"average": "macro", "max_fpr": None},
    "average_precision": {"average": "macro"},
    "logauc": {"fpr_range": (0.001, 0.1), "average": "macro"},
    "eer": {"average": None},
    "precision_at_fixed_recall": {"min_recall": inspect.Parameter.empty},
    "recall_at_fixed_precision": {"min_precision": inspect.Parameter.empty},
    "sensitivity_at_specificity": {"min_specificity": inspect.Parameter.empty},
    "specificity_at_sensitivity": {"min_sensitivity": inspect.Parameter.empty},
}
OPERATING_POINT_RULES = {
    "precision_at_fixed_recall": "over the precision-recall points; ties: higher "
    "recall, then higher threshold; value 0 and threshold NaN when no point "
    "qualifies or the best precision is 0",
    "recall_at_fixed_precision": "over the precision-recall points; ties: higher "
    "precision, then higher threshold; value 0 and threshold NaN when no point "
    "qualifies or the best recall is 0",
    "sensitivity_at_specificity": "over the ROC points; ties: highest threshold; "
    "value 0 and threshold `1e6` when no point qualifies",
    "specificity_at_sensitivity": "over the ROC points; ties: highest threshold; "
    "value 0 and threshold `1e6` when no point qualifies",
}
_MINIMUM = {
    "precision_at_fixed_recall": ("min_recall", "precision"),
    "recall_at_fixed_precision": ("min_precision", "recall"),
    "sensitivity_at_specificity": ("min_specificity", "sensitivity"),
    "specificity_at_sensitivity": ("min_sensitivity", "specificity"),
}


def check_family_options(family: str, task: str, options: dict) -> dict:
    """Validates a curve family's value options (static).

    >>> check_family_options("auroc", "multiclass", {"average": "weighted"})
    {'average': 'weighted'}
    """
    options = dict(options)
    if "average" in options:
        if task == "binary" or (
            task == "multilabel" and family in CURVE_FAMILY_AVERAGES
        ):
            options.pop("average")
        else:
            allowed = CURVE_FAMILY_AVERAGES.get(family, CURVE_AVERAGES)
            check_option("average", options["average"], allowed)
    max_fpr = options.get("max_fpr")
    expected = "in (0, 1] or None"
    if max_fpr is not None and not 0 < check_real("max_fpr", max_fpr, expected) <= 1:
        raise ValueError(f"expected `max_fpr` {expected}, received {max_fpr!r}")
    if "fpr_range" in options:
        expected = "as (low, high) with 0 < low < high <= 1"
        fpr_range = options["fpr_range"]
        if not isinstance(fpr_range, list | tuple | np.ndarray) or len(fpr_range) != 2:
            raise ValueError(f"expected `fpr_range` {expected}, received {fpr_range!r}")
        low, high = (check_real("fpr_range", v, expected) for v in fpr_range)
        if not 0 < low < high <= 1:
            raise ValueError(f"expected `fpr_range` {expected}, received {fpr_range!r}")
        options["fpr_range"] = (low, high)
    for key in ("min_recall", "min_precision", "min_specificity", "min_sensitivity"):
        if key in options and not 0 <= check_real(key, options[key], "in [0, 1]") <= 1:
            raise ValueError(f"expected `{key}` in [0, 1], received {options[key]!r}")
    return options


def curve_value(
    family: str,
    counts: Array,
    thresholds: Array,
    *,
    exact: bool,
    options: dict,
    entries=None,
):
    """The value of a curve family from its points.

    Args:
        family: one of `FAMILY_OPTIONS`.
        counts: `(4, P, *K)` points (decreasing thresholds).
        thresholds: `(P,)` or `(P, *K)`.
        exact: whether the points are exact (ROC starts at `(0, 0)`).
        options: the family's options (`average`, `fpr_range`, `min_*`).
        entries: `(targets, scores, weights)` for exact micro averages.

    Returns:
        An array, or a tuple: `(fpr, tpr, thresholds)` (ROC), `(precision,
        recall, thresholds)` (PR curve), `(value, threshold)` (operating
        points).

    >>> c, t = curve_points("binary", jnp.array([1, 0, 1]),
    ...                     jnp.array([0.8, 0.3, 0.4]), thresholds=None)
    >>> float(curve_value("auroc", c, t, exact=True, options={}))
    1.0
    """
    per_class = family in CURVE_FAMILY_AVERAGES or family in _MINIMUM
    average = options.get("average", None if per_class else "macro")
    multi = counts.ndim == 3
    if multi and average == "micro" and family not in _MINIMUM:
        counts, thresholds = _micro(counts, thresholds, exact, entries)
        multi = False
    if multi and average == "macro" and family in ("roc", "eer"):
        fpr, tpr, thresholds = macro_roc(
            *roc_from_points(counts, thresholds, exact), exact
        )
        return (fpr, tpr, thresholds) if family == "roc" else eer_from_rates(fpr, tpr)
    if family == "roc":
        return roc_from_points(counts, thresholds, exact)
    if family == "precision_recall_curve":
        return precision_recall_from_points(counts, thresholds)
    if family == "eer":
        return eer_from_points(counts, thresholds, exact)
    if family in _MINIMUM:
        key = _MINIMUM[family][0]
        value, threshold = operating_point_from_points(
            family, counts, thresholds, float(options[key]), exact
        )
        return value, threshold
    if family == "auroc":
        values = auroc_from_points(counts, thresholds, exact, options.get("max_fpr"))
    elif family == "average_precision":
        values = average_precision_from_points(counts)
    else:
        values = logauc_from_points(
            counts, thresholds, exact, options.get("fpr_range", (0.001, 0.1))
        )
    return reduce_curve_scores(values, counts, average) if multi else values


# ---------------------------------------------------------------------------
# public functional forms, one per (family, task)

TASK_CURVE_OPTIONS = {
    "binary": {"thresholds": None, "from_logits": False, "ignore_index": None},
    "multiclass": {
        "num_classes": inspect.Parameter.empty,
        "thresholds": None,
        "from_logits": False,
        "ignore_index": None,
    },
    "multilabel": {
        "num_labels": inspect.Parameter.empty,
        "thresholds": None,
        "from_logits": False,
        "ignore_index": None,
    },
}
TITLES = {
    "roc": ("ROC curve", "ROC"),
    "precision_recall_curve": ("Precision-recall curve", "PrecisionRecallCurve"),
    "auroc": ("Area under the ROC curve", "AUROC"),
    "average_precision": ("Average precision", "AveragePrecision"),
    "logauc": ("Log-scaled area under the ROC curve", "LogAUC"),
    "eer": ("Equal error rate", "EER"),
    "precision_at_fixed_recall": (
        "Highest precision at a minimum recall",
        "PrecisionAtFixedRecall",
    ),
    "recall_at_fixed_precision": (
        "Highest recall at a minimum precision",
        "RecallAtFixedPrecision",
    ),
    "sensitivity_at_specificity": (
        "Highest sensitivity at a minimum specificity",
        "SensitivityAtSpecificity",
    ),
    "specificity_at_sensitivity": (
        "Highest specificity at a minimum sensitivity",
        "SpecificityAtSensitivity",
    ),
}
ARG_DOCS = {
    "num_classes": "number of classes (scores `(N, ..., C)`, one-vs-rest).",
    "num_labels": "number of labels (the last axis).",
    "thresholds": "`None` (exact, every score), an int `T` (evenly spaced over "
    "[0, 1], torch's float32 grid) or an ascending list (binned).",
    "from_logits": "apply a sigmoid (softmax for multiclass) to `y_pred` first.",
    "ignore_index": "target value whose entries are ignored.",
    "average": '`"macro"` (default), `"weighted"` (by positives), `"micro"` '
    '(classes pooled) or `"none"`.',
    "average:roc": '`None` (default, per class), `"micro"` (classes pooled into '
    'one binary curve) or `"macro"` (each class\'s curve interpolated linearly at '
    "every class's false positive rates, then averaged; torchmetrics' rule).",
    "average:precision_recall_curve": '`None` (default, per class) or `"micro"` '
    "(classes pooled into one binary curve).",
    "fpr_range": "the `(low, high)` false positive rate range.",
    "max_fpr": "if set, the standardized partial area up to this false positive "
    "rate (binary only).",
    "min_recall": "the minimum recall.",
    "min_precision": "the minimum precision.",
    "min_specificity": "the minimum specificity.",
    "min_sensitivity": "the minimum sensitivity.",
    "capacity": "exact mode (`thresholds=None`): number of entries the buffer "
    "holds; `compute` raises `OverflowError` naming it when more arrived.",
}
EXAMPLES = {
    "binary": ("jnp.array([0, 1, 1, 0, 1]), jnp.array([0.2, 0.7, 0.4, 0.6, 0.9])", ""),
    "multiclass": (
        "jnp.array([0, 1, 2, 1]), jnp.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], "
        "[0.1, 0.3, 0.6], [0.5, 0.2, 0.3]])",
        "num_classes=3",
    ),
    "multilabel": (
        "jnp.array([[0, 1], [1, 1], [1, 0]]), "
        "jnp.array([[0.2, 0.7], [0.6, 0.4], [0.8, 0.3]])",
        "num_labels=2",
    ),
}
#: example outputs (checked against scikit-learn in the tests)
EXAMPLE_VALUES: dict[tuple[str, str], str] = {
    ("binary", "roc"): "[(6,), (6,), (6,)]",
    ("binary", "precision_recall_curve"): "[(6,), (6,), (5,)]",
    ("binary", "auroc"): "[0.8333]",
    ("binary", "average_precision"): "[0.9167]",
    ("binary", "logauc"): "[0.6667]",
    ("binary", "eer"): "[0.4167]",
    ("binary", "precision_at_fixed_recall"): "[1.0]",
    ("binary", "recall_at_fixed_precision"): "[1.0]",
    ("binary", "sensitivity_at_specificity"): "[1.0]",
    ("binary", "specificity_at_sensitivity"): "[1.0]",
    ("multiclass", "roc"): "[(5, 3), (5, 3), (5, 3)]",
    ("multiclass", "precision_recall_curve"): "[(5, 3), (5, 3), (4, 3)]",
    ("multiclass", "auroc"): "[0.8333]",
    ("multiclass", "average_precision"): "[0.9167]",
    ("multiclass", "logauc"): "[0.8333]",
    ("multiclass", "eer"): "[0.0, 0.25, 0.0]",
    ("multiclass", "precision_at_fixed_recall"): "[1.0, 1.0, 1.0]",
    ("multiclass", "recall_at_fixed_precision"): "[1.0, 1.0, 1.0]",
    ("multiclass", "sensitivity_at_specificity"): "[1.0, 0.5, 1.0]",
    ("multiclass", "specificity_at_sensitivity"): "[1.0, 1.0, 1.0]",
    ("multilabel", "roc"): "[(4, 2), (4, 2), (4, 2)]",
    ("multilabel", "precision_recall_curve"): "[(4, 2), (4, 2), (3, 2)]",
    ("multilabel", "auroc"): "[1.0]",
    ("multilabel", "average_precision"): "[1.0]",
    ("multilabel", "logauc"): "[1.0]",
    ("multilabel", "eer"): "[0.0, 0.0]",
    ("multilabel", "precision_at_fixed_recall"): "[1.0, 1.0]",
    ("multilabel", "recall_at_fixed_precision"): "[1.0, 1.0]",
    ("multilabel", "sensitivity_at_specificity"): "[1.0, 1.0]",
    ("multilabel", "specificity_at_sensitivity"): "[1.0, 1.0]",
}
FAMILY_EXAMPLE_OPTIONS = {
    "precision_at_fixed_recall": "min_recall=0.5",
    "recall_at_fixed_precision": "min_precision=0.5",
    "sensitivity_at_specificity": "min_specificity=0.5",
    "specificity_at_sensitivity": "min_sensitivity=0.5",
}


def arg_doc(family: str, key: str, docs: dict | None = None) -> str:
    """The docstring line of an option (`average` depends on the family).

    >>> arg_doc("auroc", "max_fpr").startswith("if set")
    True
    """
    docs = ARG_DOCS if docs is None else docs
    if key == "average" and family in CURVE_FAMILY_AVERAGES:
        return docs[
            "average:precision_recall_curve" if family[0] == "p" else "average:roc"
        ]
    return docs[key]


def task_family_defaults(task: str, family: str) -> dict:
    """The options (with defaults) of a family's functional form for a task.

    `average` exists for multiclass/multilabel only (multiclass only for the
    ROC, precision-recall curve and EER, as in torchmetrics), `max_fpr` for
    binary only.

    >>> sorted(task_family_defaults("binary", "auroc"))
    ['from_logits', 'ignore_index', 'max_fpr', 'thresholds']
    """
    defaults = {**TASK_CURVE_OPTIONS[task], **FAMILY_OPTIONS[family]}
    defaults.pop("average" if task == "binary" else "max_fpr", None)
    if task == "multilabel" and family in CURVE_FAMILY_AVERAGES:
        defaults.pop("average", None)
    return defaults


def check_curve_options(task: str, family: str, options: dict) -> dict:
    """Fills defaults and validates a task curve's options.

    >>> check_curve_options("binary", "auroc", {})["thresholds"] is None
    True
    """
    defaults = task_family_defaults(task, family)
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise TypeError(
            f"expected options among {sorted(defaults)}, received {unknown}"
        )
    merged = {**defaults, **options}
    missing = sorted(k for k, v in merged.items() if v is inspect.Parameter.empty)
    if missing:
        raise TypeError(f"expected the option(s) {missing}, received none")
    for key, minimum in (("num_classes", 2), ("num_labels", 1)):
        if key in merged:
            value = merged[key]
            if isinstance(value, np.integer):
                value = int(value)
            merged[key] = _check_int(key, value, minimum)
    curve_thresholds(merged["thresholds"])
    return {**merged, **check_family_options(family, task, merged)}


def _entry_options(task: str, options: dict) -> dict:
    keys = ("num_classes", "num_labels", "from_logits", "ignore_index")
    return {k: options[k] for k in keys if k in options}


def function_name(task: str, family: str) -> str:
    """The public functional name of a curve family for a task.

    >>> function_name("multiclass", "auroc")
    'multiclass_auroc'
    """
    return f"{task}_{family}"


def _make_function(task: str, family: str):
    def fn(y_true, y_pred, *, sample_weight=None, **options):
        options = check_curve_options(task, family, options)
        exact = options["thresholds"] is None
        entries = curve_entries(
            task,
            y_true,
            y_pred,
            sample_weight=sample_weight,
            **_entry_options(task, options),
        )
        static = curve_thresholds(options["thresholds"])
        if exact:
            counts, thresholds = exact_counts(*entries)
        else:
            counts = jnp.flip(binned_counts(*entries, static), 1)
            thresholds = jnp.asarray(static[::-1].copy())
        return curve_value(
            family, counts, thresholds, exact=exact, options=options, entries=entries
        )

    defaults = task_family_defaults(task, family)
    params = [
        inspect.Parameter("y_true", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("y_pred", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    ]
    for key, value in {**defaults, "sample_weight": None}.items():
        params.append(
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=value)
        )
    name = function_name(task, family)
    fn.__name__ = fn.__qualname__ = name
    fn.__signature__ = inspect.Signature(params)
    title, cls = TITLES[family]
    args = "\n".join(f"        {k}: {arg_doc(family, k)}" for k in defaults)
    inputs, option = EXAMPLES[task]
    option = ", ".join(x for x in (option, FAMILY_EXAMPLE_OPTIONS.get(family, "")) if x)
    call = f"jm.functional.{name}(\n    ...     {inputs}"
    call += f", {option})" if option else ")"
    if family in ("roc", "precision_recall_curve"):
        shown = f">>> curve = {call}\n    >>> [c.shape for c in curve]\n    {{value}}"
    elif family in _MINIMUM:
        shown = (
            f">>> value, threshold = {call}\n"
            "    >>> [round(x, 4) for x in jnp.ravel(value).tolist()]\n    {value}"
        )
    else:
        shown = (
            f">>> value = {call}\n"
            "    >>> [round(x, 4) for x in jnp.ravel(value).tolist()]\n    {value}"
        )
    shown = shown.replace("{value}", EXAMPLE_VALUES.get((task, family), "?"))
    torch_name = f"{task.capitalize()}{cls}"
    rule = ""
    if family in OPERATING_POINT_RULES:
        rule = "\n        `(value, threshold)`: " + OPERATING_POINT_RULES[family] + "."
    fn.__doc__ = f"""{title} of {task} scores (torchmetrics' `{torch_name}`).

    Exact (`thresholds=None`, default here) or binned; see the module notes.
    Adds `sample_weight` to torchmetrics' options.

    Args:
        y_true: integer labels.
        y_pred: probabilities or logits.
{args}
        sample_weight: weights of the leading axes of `y_true` (shared rule).

    Returns:
        The value (per class for `average="none"` or curves/operating points).{rule}

    >>> import jax_metrics as jm
    {shown}
    """
    return name, fn


for _task in ("binary", "multiclass", "multilabel"):
    for _family in FAMILY_OPTIONS:
        _name, _fn = _make_function(_task, _family)
        globals()[_name] = _fn
        __all__.append(_name)
