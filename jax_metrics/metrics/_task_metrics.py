"""Bases of the task classification metrics (torchmetrics' task classes).

`TaskStatScoresMetric` (state: the weighted `tp, fp, tn, fn` per class, from
`jax_metrics.functional` stat-scores kernels), `TaskConfusionMetric` (state: a
`(C, C)` confusion matrix) and `TaskExactMatchMetric` (state: the weighted
number of exactly matched samples). `_stat_scores.py` generates the public
`Binary*`/`Multiclass*`/`Multilabel*` classes over these bases.

Shared statistics: `statistics_key()` returns a hashable key that is equal
for two metrics exactly when their states are interchangeable (same
statistics kind, task and statistics options); `with_statistics(owner)`
returns the metric with `owner`'s state. A collection can therefore update
one state and compute precision, recall, F1, specificity, ... from it.

`multidim_average="samplewise"`: the functional forms return one value per
sample; a class cannot hold a state that grows with the number of samples,
so it accumulates the (sample-weighted) MEAN over samples of the per-sample
score, which is torchmetrics' samplewise result followed by a mean.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

import jax
import jax.numpy as jnp

from jax_metrics._module import freeze
from jax_metrics._numerics import accumulate, accumulator, accumulator_value
from jax_metrics.functional import _stat_scores as F
from jax_metrics.functional._reduction import entry_weights, flatten_samples
from jax_metrics.metrics._base import Metric, state

__all__: list[str] = []


_REQUIRED = inspect.Parameter.empty
#: value options of each family on top of the task's statistics options
_FAMILY_OPTIONS: dict[str, dict[str, Any]] = {
    "stat_scores": {"average": "macro", "multidim_average": "global"},
    "score": {"average": "macro", "multidim_average": "global", "zero_division": 0.0},
    "confusion_matrix": {"normalize": None},
    "matthews_corrcoef": {},
    "cohen_kappa": {"weights": None},
    "exact_match": {"multidim_average": "global"},
}
_STAT_OPTIONS = {
    "binary": {"threshold": 0.5, "from_logits": False, "ignore_index": None},
    "multiclass": {"num_classes": _REQUIRED, "top_k": 1, "ignore_index": None},
    "multilabel": {
        "num_labels": _REQUIRED,
        "threshold": 0.5,
        "from_logits": False,
        "ignore_index": None,
    },
}


def _check_options(task: str, options: dict) -> dict:
    """Validates a class's options (all given, defaults filled) statically."""
    shared = {k: v for k, v in options.items() if k in F.TASK_OPTIONS[task]}
    extra = ("beta",) if "beta" in options else ()
    if extra:
        shared["beta"] = options["beta"]
    F.validate_task_options(task, shared, extra)
    if "normalize" in options:
        F.check_option("normalize", options["normalize"], F.NORMALIZE)
    if "weights" in options:
        F.check_option("weights", options["weights"], F.KAPPA_WEIGHTS)
    return options


class _TaskMetric(Metric):
    """Common configuration handling of the generated task classes."""

    is_differentiable = False
    _task: ClassVar[str] = "binary"
    _family: ClassVar[str] = "stat_scores"
    _kind: ClassVar[str] = "stat_scores"
    _option_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, name: str | None = None, dtype: Any = None, **options):
        options = _check_options(self._task, options)
        for key, value in options.items():
            object.__setattr__(self, key, value)
        super().__init__(name=name, dtype=dtype)

    @property
    def options(self) -> dict[str, Any]:
        """The metric's options by name."""
        return {k: getattr(self, k) for k in self._option_names}

    @property
    def _samplewise(self) -> bool:
        return self.options.get("multidim_average", "global") == "samplewise"

    def _statistics_options(self) -> tuple:
        defaults = _STAT_OPTIONS[self._task]
        if self._kind == "confusion_matrix":
            defaults = {k: v for k, v in defaults.items() if k != "top_k"}
        return tuple((k, freeze(self.__dict__.get(k, v))) for k, v in defaults.items())

    def statistics_key(self) -> tuple:
        """A hashable key, equal exactly when two metrics' states are interchangeable.

        Built from the statistics kind (`"stat_scores"`, `"confusion_matrix"`,
        `"exact_match"`), the task and the options the statistics depend on.
        Samplewise metrics accumulate their own score, so their key also
        names the class and every option.
        """
        key = (self._kind, self._task, *self._statistics_options())
        if self._samplewise:
            key += (type(self).__name__, freeze(self.options))
        return key

    def with_statistics(self, owner: Metric) -> _TaskMetric:
        """Returns this metric holding `owner`'s statistics state.

        Raises:
            ValueError: when the two `statistics_key()`s differ.
        """
        key = owner.statistics_key()
        if key != self.statistics_key():
            raise ValueError(
                f"expected a metric with statistics key {self.statistics_key()}, "
                f"received {key}"
            )
        return self.replace(**{k: owner.__dict__[k] for k in self._leaf_names})

    def update(self, y_true, y_pred, sample_weight=None):
        """Returns the metric with a batch folded into its state.

        Args:
            y_true: targets (see the class docstring for shapes).
            y_pred: predictions.
            sample_weight: optional weights of the leading axes of `y_true`.
        """
        return self._update(y_true, y_pred, sample_weight)

    def compute(self):
        """The metric value from the accumulated state."""
        return _jitted_compute(self)

    def _finish(self, value):
        return jnp.asarray(value).astype(self.dtype)


@jax.jit
def _jitted_compute(metric):
    return metric._compute()


def _sample_weights(shape, sample_weight):
    """Per-sample weights: the aligned weight averaged over each sample."""
    if sample_weight is None:
        return jnp.ones(shape[:1], jnp.float32)
    return jnp.mean(flatten_samples(entry_weights(shape, sample_weight)), axis=1)


class TaskStatScoresMetric(_TaskMetric):
    """Base of the metrics computed from weighted `tp, fp, tn, fn` counts.

    State: one compensated accumulator `statistics` of shape `(4, *classes)`
    (global), or `(2, *value)` holding the weighted sum of per-sample values
    and the weight total (`multidim_average="samplewise"`).
    """

    statistics = state("exact_sum")

    def _value_shape(self):
        opts = self.options
        classes = opts.get("num_classes", opts.get("num_labels"))
        shape = ()
        if self._task != "binary" and opts.get("average", "macro") in ("none", None):
            shape = (classes,)
        if self._family == "stat_scores":
            shape += (5,)
        return shape

    def init_state(self):
        """Zero counts of the configured shape."""
        if self._samplewise:
            return {"statistics": accumulator((2, *self._value_shape()))}
        opts = self.options
        classes = opts.get("num_classes", opts.get("num_labels"))
        shape = (4,) if self._task == "binary" else (4, classes)
        return {"statistics": accumulator(shape)}

    def _update(self, y_true, y_pred, sample_weight):
        opts = self.options
        stats = F.task_statistics(self._task, y_true, y_pred, opts, sample_weight)
        if not self._samplewise:
            return self.replace(
                statistics=accumulate(self.statistics, jnp.stack(stats))
            )
        values = self._value(stats).astype(jnp.float32)
        target_shape = jnp.shape(y_true)
        weight = _sample_weights(target_shape, sample_weight)
        weight = weight.reshape(weight.shape + (1,) * (values.ndim - 1))
        total = jnp.sum(values * weight, 0)
        count = jnp.broadcast_to(jnp.sum(weight, 0), total.shape)
        batch = jnp.stack([total, count])
        return self.replace(statistics=accumulate(self.statistics, batch))

    def _compute(self):
        stats = accumulator_value(self.statistics)
        if self._samplewise:
            zero = self.options.get("zero_division", 0.0)
            return self._finish(F.safe_divide(stats[0], stats[1], zero))
        return self._finish(self._value(tuple(stats)))

    def _value(self, stats):
        opts = self.options
        family, task = self._family, self._task
        if family == "stat_scores":
            return F.reduce_stat_scores(
                "stat_scores", *stats, task=task, average=opts.get("average")
            )
        if family == "confusion_matrix":
            confmat = F.stat_scores_confusion_matrix(*stats)
            return F.normalize_confusion_matrix(confmat, opts["normalize"])
        if family == "matthews_corrcoef":
            return F.matthews_corrcoef_from_stat_scores(*stats, task=task)
        if family == "cohen_kappa":
            confmat = F.stat_scores_confusion_matrix(*stats)
            return F.cohen_kappa_value(confmat, opts["weights"])
        score = F._TITLES[family][0]
        fixed = {"beta": 1.0} if family == "f1_score" else {}
        return F.task_score(score, task, stats, {**opts, **fixed})


class TaskConfusionMetric(_TaskMetric):
    """Base of the multiclass metrics computed from a `(C, C)` confusion matrix.

    State: one compensated accumulator `confusion` of shape `(C, C)`, rows
    indexing targets and columns predictions.
    """

    _kind: ClassVar[str] = "confusion_matrix"
    confusion = state("exact_sum")

    def init_state(self):
        """A zero `(C, C)` confusion matrix."""
        return {"confusion": accumulator((self.num_classes, self.num_classes))}

    def _update(self, y_true, y_pred, sample_weight):
        confmat = F.multiclass_confusion_statistics(
            y_true,
            y_pred,
            num_classes=self.num_classes,
            ignore_index=self.ignore_index,
            sample_weight=sample_weight,
        )
        return self.replace(confusion=accumulate(self.confusion, confmat))

    def _compute(self):
        confmat = accumulator_value(self.confusion)
        if self._family == "confusion_matrix":
            return self._finish(F.normalize_confusion_matrix(confmat, self.normalize))
        return self._finish(F.cohen_kappa_value(confmat, self.weights))


class TaskExactMatchMetric(_TaskMetric):
    """Base of the exact-match metrics: the weighted share of exact samples.

    State: a compensated accumulator `matches` holding the weighted number of
    exactly matched samples and the weight total (the same for
    `multidim_average="samplewise"`, whose mean over samples is that ratio).
    """

    _kind: ClassVar[str] = "exact_match"
    _family: ClassVar[str] = "exact_match"
    matches = state("exact_sum")

    def init_state(self):
        """Zero matches and weight."""
        return {"matches": accumulator((2,))}

    def _update(self, y_true, y_pred, sample_weight):
        opts = dict(self._statistics_options())
        opts.pop("top_k", None)
        matches, weight = F.exact_match_statistics(
            y_true, y_pred, task=self._task, sample_weight=sample_weight, **opts
        )
        batch = jnp.stack([jnp.sum(matches), jnp.sum(weight)])
        return self.replace(matches=accumulate(self.matches, batch))

    def _compute(self):
        value = accumulator_value(self.matches)
        return self._finish(F.safe_divide(value[0], value[1]))


# ---------------------------------------------------------------------------
