"""Task curve metrics (torchmetrics' ROC, PR curve, AUROC, AP and friends).

Every class is a thin declaration over `TaskCurveMetric`, generated from a
(task x family) table. Two modes, chosen by `thresholds`:

* binned (default `thresholds=200`, torchmetrics defaults to exact): state is
  the weighted `tp, fp, tn, fn` at each threshold, `(4, T, *K)`, updated in
  O(N) and merged by addition. With `T` thresholds the areas are within
  about `1/T` of the exact values for smooth score distributions.
* exact (`thresholds=None`, with `capacity=`): the entries (score, target,
  weight) are kept in a fixed-capacity buffer, so the state still jits and
  merges; `compute` gives scikit-learn's values and raises `OverflowError`
  naming the capacity when more entries arrived than it holds. Exact curves
  have a fixed length, one point per buffer row plus one: ROC starts with
  `(0, 0)` at threshold 1, the precision-recall curve ends with `(1, 0)`
  (which has no threshold, so `thresholds` has `capacity` values). Rows not
  yet filled are padding points with threshold `-inf` and the counts of
  predicting every entry positive: at the end of the ROC arrays, at the start
  of the precision-recall arrays (thresholds increasing). Tied scores repeat
  the point of their whole run.

`compute` returns arrays, or dicts for curves (`fpr`/`tpr`/`thresholds`,
`precision`/`recall`/`thresholds`) and operating points (`precision`,
`recall`, `sensitivity` or `specificity`, and `threshold`); the functional
forms return torchmetrics' tuples.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

import jax
import jax.numpy as jnp

from jax_metrics._buffer import (
    buffer_append,
    buffer_init,
    buffer_mask,
    buffer_merge,
    check_overflow,
)
from jax_metrics._chunking import in_row_chunks
from jax_metrics._module import freeze
from jax_metrics._numerics import accumulate, accumulator, accumulator_value
from jax_metrics._plotting import plot_curve
from jax_metrics.functional import _curves as F
from jax_metrics.metrics._base import Metric, state
from jax_metrics.metrics._stat_scores import _aliases

__all__: list[str] = []

_REQUIRED = inspect.Parameter.empty
_TASK_OPTIONS = {
    "binary": {"thresholds": 200, "capacity": None},
    "multiclass": {"num_classes": _REQUIRED, "thresholds": 200, "capacity": None},
    "multilabel": {"num_labels": _REQUIRED, "thresholds": 200, "capacity": None},
}
_COMMON = {"from_logits": False, "ignore_index": None}
_OUTPUT_NAMES = {
    "roc": ("fpr", "tpr", "thresholds"),
    "precision_recall_curve": ("precision", "recall", "thresholds"),
    "precision_at_fixed_recall": ("precision", "threshold"),
    "recall_at_fixed_precision": ("recall", "threshold"),
    "sensitivity_at_specificity": ("sensitivity", "threshold"),
    "specificity_at_sensitivity": ("specificity", "threshold"),
}


class TaskCurveMetric(Metric):
    """Base of the binned/exact curve metrics (see the module notes).

    State: `counts`, a compensated accumulator `(4, T, *K)` (binned; empty in
    exact mode), and a buffer `samples` `(capacity, width)` with its
    `sample_count` (exact; empty in binned mode).
    """

    is_differentiable = False
    _task: ClassVar[str] = "binary"
    _family: ClassVar[str] = "auroc"
    _option_names: ClassVar[tuple[str, ...]] = ()
    counts = state("exact_sum")
    samples = state("custom")
    sample_count = state("custom")

    def __init__(self, *, name: str | None = None, dtype: Any = None, **options):
        options = F.check_curve_options(
            self._task,
            self._family,
            {k: v for k, v in options.items() if k != "capacity"},
        ) | {"capacity": options.get("capacity")}
        thresholds = F.curve_thresholds(options["thresholds"])
        if thresholds is None:
            capacity = options["capacity"]
            if (
                isinstance(capacity, bool)
                or not isinstance(capacity, int)
                or (capacity < 1)
            ):
                raise ValueError(
                    "expected a positive int `capacity` for exact mode "
                    f"(thresholds=None), received capacity={capacity!r}"
                )
        for key, value in options.items():
            object.__setattr__(self, key, value)
        super().__init__(name=name, dtype=dtype)

    # configuration -----------------------------------------------------------
    @property
    def options(self) -> dict[str, Any]:
        """The metric's options by name."""
        return {k: getattr(self, k) for k in self._option_names}

    @property
    def exact(self) -> bool:
        """Whether the metric keeps samples (`thresholds=None`)."""
        return self.thresholds is None

    def _classes(self) -> tuple[int, ...]:
        if self._task == "multiclass":
            return (self.num_classes,)
        if self._task == "multilabel":
            return (self.num_labels,)
        return ()

    def _width(self) -> int:
        k = self._classes()
        if self._task == "binary":
            return 3
        if self._task == "multiclass":
            return k[0] + 2
        return 3 * k[0]

    def statistics_key(self) -> tuple:
        """Equal exactly when two curve metrics' states are interchangeable."""
        stats = ("thresholds", "capacity", "from_logits", "ignore_index")
        key = ("curve", self._task, *self._classes())
        return key + tuple((k, freeze(getattr(self, k))) for k in stats)

    def with_statistics(self, owner: Metric) -> TaskCurveMetric:
        """Returns this metric holding `owner`'s state (same `statistics_key`)."""
        key = owner.statistics_key()
        if key != self.statistics_key():
            raise ValueError(
                f"expected a metric with statistics key {self.statistics_key()}, "
                f"received {key}"
            )
        return self.replace(**{k: owner.__dict__[k] for k in self._leaf_names})

    # state -------------------------------------------------------------------
    def init_state(self):
        """Zero counts (binned) or an empty buffer (exact)."""
        if self.exact:
            data, count = buffer_init(self.capacity, (self._width(),))
            return {
                "counts": accumulator((4, 0)),
                "samples": data,
                "sample_count": count,
            }
        size = len(F.curve_thresholds(self.thresholds))
        data, count = buffer_init(1, (0,))
        return {
            "counts": accumulator((4, size, *self._classes())),
            "samples": data[:0],
            "sample_count": count,
        }

    def _merge_custom(self, other):
        if not self.exact:
            return {"samples": self.samples, "sample_count": self.sample_count}
        data, count = buffer_merge(
            self.samples, self.sample_count, other.samples, other.sample_count
        )
        return {"samples": data, "sample_count": count}

    def update(self, y_true, y_pred, sample_weight=None):
        """Returns the metric with a batch folded into its state.

        Args:
            y_true: targets (see the module notes for shapes).
            y_pred: scores or logits.
            sample_weight: optional weights of the leading axes of `y_true`.
        """
        return self._update(y_true, y_pred, sample_weight)

    def _update(self, y_true, y_pred, sample_weight):
        if not self.exact:
            return in_row_chunks(
                type(self)._add_batch, self, y_true, y_pred, sample_weight
            )
        return self._add_batch(y_true, y_pred, sample_weight)

    def _add_batch(self, y_true, y_pred, sample_weight):
        targets, scores, weights = F.curve_entries(
            self._task,
            y_true,
            y_pred,
            sample_weight=sample_weight,
            **F._entry_options(self._task, self.options),
        )
        if not self.exact:
            thresholds = F.curve_thresholds(self.thresholds)
            counts = F.binned_counts(targets, scores, weights, thresholds)
            return self.replace(counts=accumulate(self.counts, counts))
        if self._task == "binary":
            rows = jnp.stack([scores, targets, weights], -1)
            keep = weights > 0
        elif self._task == "multiclass":
            label = jnp.argmax(targets, -1).astype(jnp.float32)
            rows = jnp.concatenate([scores, label[:, None], weights[:, :1]], -1)
            keep = weights[:, 0] > 0
        else:
            rows = jnp.concatenate([scores, targets, weights], -1)
            keep = jnp.any(weights > 0, -1)
        data, count = buffer_append(self.samples, self.sample_count, rows, keep)
        return self.replace(samples=data, sample_count=count)

    def _entries(self):
        mask = buffer_mask(self.samples, self.sample_count)
        rows = self.samples
        if self._task == "binary":
            return rows[:, 1], rows[:, 0], jnp.where(mask, rows[:, 2], 0.0)
        k = self._classes()[0]
        if self._task == "multiclass":
            targets = jax.nn.one_hot(rows[:, k].astype(jnp.int32), k)
            weights = jnp.where(mask, rows[:, k + 1], 0.0)[:, None]
            return targets, rows[:, :k], jnp.broadcast_to(weights, targets.shape)
        weights = jnp.where(mask[:, None], rows[:, 2 * k :], 0.0)
        return rows[:, k : 2 * k], rows[:, :k], weights

    def compute(self):
        """The value: an array, or a dict for curves and operating points."""
        if self.exact:
            check_overflow(self.sample_count, self.capacity, self.name)
        return _jitted_compute(self)

    def _compute(self):
        entries = None
        if self.exact:
            entries = self._entries()
            counts, thresholds = F.exact_counts(*entries)
        else:
            grid = F.curve_thresholds(self.thresholds)
            counts = jnp.flip(accumulator_value(self.counts), 1)
            thresholds = jnp.asarray(grid[::-1].copy())
        value = F.curve_value(
            self._family,
            counts,
            thresholds,
            exact=self.exact,
            options=self.options,
            entries=entries,
        )
        if self._family in _OUTPUT_NAMES:
            names = _OUTPUT_NAMES[self._family]
            return {n: v.astype(self.dtype) for n, v in zip(names, value, strict=True)}
        return value.astype(self.dtype)

    def plot(self, ax=None):
        """Plots the ROC or precision-recall curve (one line per class).

        Requires matplotlib (imported lazily). Returns the figure.
        """
        if self._family in ("precision_recall_curve", "average_precision") or (
            self._family in ("precision_at_fixed_recall", "recall_at_fixed_precision")
        ):
            curve = _curve_of(self, "precision_recall_curve")
            x, y = curve["recall"], curve["precision"]
            labels = ("Recall", "Precision")
        else:
            curve = _curve_of(self, "roc")
            x, y = curve["fpr"], curve["tpr"]
            labels = ("False positive rate", "True positive rate")
        return plot_curve(
            jnp.asarray(x).T,
            jnp.asarray(y).T,
            xlabel=labels[0],
            ylabel=labels[1],
            diagonal=labels[0] != "Recall",
            title=self.name,
            ax=ax,
        )


def _curve_of(metric: TaskCurveMetric, family: str) -> dict:
    clone = object.__new__(_CLASSES[(metric._task, family)])
    clone.__dict__.update(metric.__dict__)
    return clone.compute()


@jax.jit
def _jitted_compute(metric):
    return metric._compute()


# ---------------------------------------------------------------------------
# the catalog

_HIGHER = {"eer": False, "roc": None, "precision_recall_curve": None}
_FORMULAS = {
    "roc": "`fpr = fp / (fp + tn)`, `tpr = tp / (tp + fn)` at each threshold",
    "precision_recall_curve": "`precision = tp / (tp + fp)` (1 where nothing is "
    "predicted positive), `recall = tp / (tp + fn)` (1 where there are no "
    "positives), ending at `(1, 0)`",
    "auroc": "trapezoidal area under `(fpr, tpr)`",
    "average_precision": "`sum_k (R_k - R_{k-1}) P_k` over decreasing thresholds",
    "logauc": "area under `tpr` against `log10(fpr)` over `fpr_range`, divided "
    "by the range's width",
    "eer": "`(fpr + fnr) / 2` where `|fpr - fnr|` is smallest",
    "precision_at_fixed_recall": "max precision with recall >= `min_recall` "
    f"({F.OPERATING_POINT_RULES['precision_at_fixed_recall']})",
    "recall_at_fixed_precision": "max recall with precision >= `min_precision` "
    f"({F.OPERATING_POINT_RULES['recall_at_fixed_precision']})",
    "sensitivity_at_specificity": "max sensitivity with specificity >= "
    f"`min_specificity` ({F.OPERATING_POINT_RULES['sensitivity_at_specificity']})",
    "specificity_at_sensitivity": "max specificity with sensitivity >= "
    f"`min_sensitivity` ({F.OPERATING_POINT_RULES['specificity_at_sensitivity']})",
}
_ARG_DOCS = {
    **F.ARG_DOCS,
    "thresholds": "an int `T` (default 200, evenly spaced over [0, 1], torch's "
    "float32 grid) or an ascending list (binned); `None` for exact mode (needs "
    "`capacity`).",
}
_CLASSES: dict[tuple[str, str], type] = {}
#: class examples whose default differs from the functional form's
_CLASS_EXAMPLE_VALUES = {
    ("multiclass", "logauc"): "[1.0, 0.5, 1.0]",
    ("multilabel", "logauc"): "[1.0, 1.0]",
}


def _make_class(task: str, family: str):
    options = {**_TASK_OPTIONS[task], **_COMMON, **F.FAMILY_OPTIONS[family]}
    options.pop("average" if task == "binary" else "max_fpr", None)
    if task == "multilabel" and family in ("roc", "precision_recall_curve", "eer"):
        options.pop("average", None)
    if family == "logauc" and task != "binary":
        # torchmetrics' classes give one value per class by default (its
        # functional forms average them).
        options["average"] = None
    defaults = {k: v for k, v in options.items() if v is not _REQUIRED}

    def __init__(self, *, name=None, dtype=None, **kwargs):
        TaskCurveMetric.__init__(self, name=name, dtype=dtype, **{**defaults, **kwargs})

    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for key, default in {**options, "name": None, "dtype": None}.items():
        params.append(
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=default)
        )
    __init__.__signature__ = inspect.Signature(params)
    title, suffix = F.TITLES[family]
    cls_name = f"{task.capitalize()}{suffix}"
    args = "\n".join(f"        {k}: {F.arg_doc(family, k, _ARG_DOCS)}" for k in options)
    inputs, example_option = F.EXAMPLES[task]
    call_options = ", ".join(
        x
        for x in (
            example_option,
            F.FAMILY_EXAMPLE_OPTIONS.get(family, ""),
            "thresholds=None, capacity=8",
        )
        if x
    )
    expected = (
        _CLASS_EXAMPLE_VALUES.get((task, family)) or F.EXAMPLE_VALUES[(task, family)]
    )
    if family in ("roc", "precision_recall_curve"):
        names = _OUTPUT_NAMES[family]
        show = f"[out[k].shape for k in {names!r}]"
        expected = expected.replace("(6,)", "(9,)").replace("(5,)", "(8,)")
        expected = expected.replace("(5, 3)", "(9, 3)").replace("(4, 3)", "(8, 3)")
        expected = expected.replace("(4, 2)", "(9, 2)").replace("(3, 2)", "(8, 2)")
    elif family in _OUTPUT_NAMES:
        first = _OUTPUT_NAMES[family][0]
        show = f"[round(x, 4) for x in jnp.ravel(out[{first!r}]).tolist()]"
    else:
        show = "[round(x, 4) for x in jnp.ravel(out).tolist()]"
    doc = f"""{title} of {task} scores (torchmetrics' `{cls_name}`).

    {_FORMULAS[family][0].upper()}{_FORMULAS[family][1:]}. Binned (default,
    200 thresholds) or exact
    (`thresholds=None, capacity=...`); see the module notes. Adds
    `sample_weight` on `update`.

    Args:
{args}
        name: metric name (default: snake_case class name).
        dtype: dtype of the result.

    >>> import jax_metrics as jm
    >>> m = jm.metrics.{cls_name}({call_options})
    >>> out = m.update(
    ...     {inputs}).compute()
    >>> {show}
    {expected}
    """
    namespace = {
        "__init__": __init__,
        "__doc__": doc,
        "__module__": __name__,
        "__qualname__": cls_name,
        "_task": task,
        "_family": family,
        "_option_names": tuple(options),
        "higher_is_better": _HIGHER.get(family, True),
        "aliases": _aliases(cls_name, f"{task}_{family}"),
    }
    return cls_name, type(cls_name, (TaskCurveMetric,), namespace)


for _family in F.FAMILY_OPTIONS:
    for _task in ("binary", "multiclass", "multilabel"):
        _name, _cls = _make_class(_task, _family)
        _CLASSES[(_task, _family)] = _cls
        globals()[_name] = _cls
        __all__.append(_name)
