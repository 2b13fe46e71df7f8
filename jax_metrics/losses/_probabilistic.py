"""Probabilistic losses: KL divergence, Poisson, negative log-likelihood."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
from jax import Array

from jax_metrics import _checks
from jax_metrics.functional import _probabilistic as F
from jax_metrics.functional import optax as ox
from jax_metrics.functional._loss_utils import check_number
from jax_metrics.functional._reduction import (
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
)
from jax_metrics.losses._base import Loss, LossFunctionWrapper
from jax_metrics.losses._optax import _REDUCTION, _axis, _OptaxLoss

__all__ = [
    "CTC",
    "GeneralizedKLDivergence",
    "KLDivergence",
    "KLDivergenceWithLogTargets",
    "NegativeLogLikelihood",
    "OptaxCTC",
    "OptaxKLDivergence",
    "Poisson",
]


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))` (Keras).

    Both inputs are probability distributions over the last axis, clipped to
    `[1e-7, 1]`. PyTorch's `KLDivLoss` takes *log*-predictions instead: see
    `OptaxKLDivergence`.

    Args:
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype (default float32).

    >>> import jax.numpy as jnp
    >>> loss = KLDivergence()
    >>> round(float(loss(jnp.array([[0.5, 0.5]]), jnp.array([[0.25, 0.75]]))), 4)
    0.1438
    """

    aliases = ("kld", "KLD", "kl_divergence", "kullback_leibler_divergence")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(F.kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss `mean(y_pred - y_true * log(y_pred + 1e-7))` (Keras).

    Args:
        reduction: see `KLDivergence`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = Poisson()
    >>> float(loss(jnp.array([[1.0, 2.0]]), jnp.array([[1.0, 1.0]])))
    1.0
    """

    aliases = ("poisson", "PoissonNLLLoss")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "poisson",
        dtype: Any = None,
    ):
        super().__init__(F.poisson, reduction=reduction, name=name, dtype=dtype)


class NegativeLogLikelihood(LossFunctionWrapper):
    """Negative log-likelihood of integer labels under log-probabilities.

    PyTorch's `NLLLoss`: `-y_pred[y]` with `y_pred` log-probabilities (e.g.
    the output of `jax.nn.log_softmax`). Entries labelled `ignore_index` are
    masked: under `"sum_over_batch_size"`/`"mean"` the mean runs over valid
    entries only, as PyTorch's `reduction="mean"` does (0 when none is valid).

    Args:
        ignore_index: the label value to ignore (PyTorch's default `-100`), or
            `None`.
        axis: the class axis of `y_pred`.
        reduction: see `KLDivergence`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = NegativeLogLikelihood()
    >>> log_p = jnp.log(jnp.array([[0.25, 0.75], [0.5, 0.5]]))
    >>> round(float(loss(jnp.array([1, -100]), log_p)), 4)
    0.2877
    """

    aliases = ("nll", "nll_loss", "NLLLoss")

    def __init__(
        self,
        *,
        ignore_index: int | None = -100,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "negative_log_likelihood",
        dtype: Any = None,
    ):
        for key, value, nullable in (
            ("ignore_index", ignore_index, True),
            ("axis", axis, False),
        ):
            if (value is None and not nullable) or (
                value is not None
                and (isinstance(value, bool) or not isinstance(value, int))
            ):
                raise ValueError(
                    f"Invalid value for argument `{key}`: expected an int"
                    f"{' or None' if nullable else ''}, received {key}={value!r}"
                )
        super().__init__(
            F.negative_log_likelihood,
            reduction=reduction,
            name=name,
            dtype=dtype,
            ignore_index=ignore_index,
            axis=axis,
        )

    def mask(self, y_true: Array, y_pred: Array) -> Array | None:
        """The entries whose label is not `ignore_index`."""
        options = dict(self.options)
        if options["ignore_index"] is None:
            return None
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        axis = options["axis"] % y_pred.ndim
        if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
            y_true = y_true.squeeze(axis)
        return y_true != options["ignore_index"]


class CTC(LossFunctionWrapper):
    """Connectionist temporal classification loss (Keras' convention).

    Labels are padded with 0, which is also the blank class; `y_pred` holds
    logits of shape `(batch, time, num_classes)`. See
    `jax_metrics.functional.ctc`.

    Args:
        reduction: see `KLDivergence`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = CTC()
    >>> round(float(loss(jnp.array([[1, 2]]), jnp.zeros((1, 3, 3)))), 4)
    1.6864
    """

    aliases = ("ctc", "CTCLoss")

    def __init__(
        self,
        *,
        reduction: str | None = "sum_over_batch_size",
        name: str = "ctc",
        dtype: Any = None,
    ):
        super().__init__(F.ctc, reduction=reduction, name=name, dtype=dtype)


class OptaxCTC(Loss):
    """CTC loss with explicit paddings (`optax.losses.ctc_loss`).

    Keras order: `y_true` holds integer labels `(batch, max_labels)` and
    `y_pred` logits `(batch, time, num_classes)`. Unlike Keras' `CTC` (0 is
    both blank and label padding, every time step is valid), the paddings
    are explicit keyword arguments, as in optax: `label_paddings` and
    `logit_paddings` are 1.0 on padded positions (default: none padded), so
    sequences of different input lengths are scored exactly. Values are
    optax's per sequence; `sample_weight` of shape `(batch,)` weights each
    sequence.

    Args:
        blank_id: the id of the blank class.
        log_epsilon: optax's stand-in for `log(0)`.
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = OptaxCTC()
    >>> round(float(loss(jnp.array([[1, 2]]), jnp.zeros((1, 3, 3)))), 4)
    1.6864
    >>> round(float(loss(jnp.array([[1, 2]]), jnp.zeros((1, 3, 3)),
    ...                  logit_paddings=jnp.array([[0.0, 0.0, 1.0]]))), 4)
    2.1972
    """

    aliases = ("ctc_loss",)

    def __init__(
        self,
        *,
        blank_id: int = 0,
        log_epsilon: float = -1e5,
        reduction: str | None = _REDUCTION,
        name: str = "ctc_loss",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype)
        if isinstance(blank_id, bool) or not isinstance(blank_id, int) or blank_id < 0:
            raise ValueError(
                "Invalid value for argument `blank_id`: expected an int >= 0, "
                f"received blank_id={blank_id!r}"
            )
        self.blank_id = blank_id
        self.log_epsilon = check_number("log_epsilon", log_epsilon)

    def __call__(
        self,
        y_true,
        y_pred,
        sample_weight=None,
        *,
        label_paddings=None,
        logit_paddings=None,
    ) -> Array:
        """The weighted, reduced loss; paddings are 1.0 where padded."""
        labels = jnp.asarray(y_true)
        logits = jnp.asarray(y_pred, self.dtype)
        if labels.ndim != 2 or logits.ndim != 3 or labels.shape[0] != logits.shape[0]:
            raise ValueError(
                "expected labels of shape (batch, max_labels) and logits of shape "
                f"(batch, time, num_classes), received y_true.shape={labels.shape} "
                f"and y_pred.shape={logits.shape}"
            )
        if label_paddings is None:
            label_paddings = jnp.zeros(labels.shape, self.dtype)
        if logit_paddings is None:
            logit_paddings = jnp.zeros(logits.shape[:2], self.dtype)
        label_paddings = jnp.asarray(label_paddings, self.dtype)
        logit_paddings = jnp.asarray(logit_paddings, self.dtype)
        if (
            label_paddings.shape != labels.shape
            or logit_paddings.shape != (logits.shape[:2])
        ):
            raise ValueError(
                "expected label_paddings of shape (batch, max_labels) and "
                "logit_paddings of shape (batch, time), received "
                f"label_paddings.shape={label_paddings.shape} and "
                f"logit_paddings.shape={logit_paddings.shape}"
            )
        with _checks.metric_scope(self.name):
            values = ox.ctc_loss(
                logits,
                logit_paddings,
                labels.astype(jnp.int32),
                label_paddings,
                blank_id=self.blank_id,
                log_epsilon=self.log_epsilon,
            )
        return reduce_weighted_values(
            values, sample_weight, None, self.reduction, self.dtype
        )


class OptaxKLDivergence(_OptaxLoss):
    """KL divergence with *log*-predictions (optax's `kl_divergence`).

    `sum(y_true * (log y_true - y_pred))` with `y_pred` log-probabilities:
    PyTorch's `KLDivLoss` convention (its `reduction="batchmean"` is the
    default `"sum_over_batch_size"` here). Keras' `KLDivergence` takes
    probabilities.

    Args:
        axis: the distribution axis.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = OptaxKLDivergence()
    >>> round(float(loss(jnp.array([[0.5, 0.5]]),
    ...                  jnp.log(jnp.array([[0.25, 0.75]])))), 4)
    0.1438
    """

    kernel = staticmethod(ox.kl_divergence)
    accepts_where = True
    aliases = ("KLDivLoss",)

    def __init__(
        self,
        *,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "optax_kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=_axis(axis))


class KLDivergenceWithLogTargets(_OptaxLoss):
    """KL divergence with log-targets and log-predictions (optax).

    Args:
        axis: the distribution axis.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = KLDivergenceWithLogTargets()
    >>> round(float(loss(jnp.log(jnp.array([[0.5, 0.5]])),
    ...                  jnp.log(jnp.array([[0.25, 0.75]])))), 4)
    0.1438
    """

    kernel = staticmethod(ox.kl_divergence_with_log_targets)
    accepts_where = True
    aliases = ("kl_divergence_with_log_targets",)

    def __init__(
        self,
        *,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "kl_divergence_with_log_targets",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=_axis(axis))


class GeneralizedKLDivergence(_OptaxLoss):
    """Generalized KL divergence for unnormalised measures (optax).

    Optax's deprecated `convex_kl_divergence` is the same function.

    Args:
        axis: the measure axis.
        reduction: see `SigmoidBinaryCrossEntropy`.
        name: the loss name.
        dtype: the computation dtype.

    >>> import jax.numpy as jnp
    >>> loss = GeneralizedKLDivergence()
    >>> round(float(loss(jnp.array([[0.5, 0.5]]),
    ...                  jnp.log(jnp.array([[0.25, 0.75]])))), 4)
    0.1438
    """

    kernel = staticmethod(ox.generalized_kl_divergence)
    accepts_where = True
    aliases = ("generalized_kl_divergence", "convex_kl_divergence")

    def __init__(
        self,
        *,
        axis: int = -1,
        reduction: str | None = _REDUCTION,
        name: str = "generalized_kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=_axis(axis))
