"""jax_metrics: Keras-style losses and stateful metrics for JAX."""

from jax_metrics import functional, losses, metrics
from jax_metrics._checks import CheckError, checked, checking
from jax_metrics._collections import Losses, LossesAndMetrics, Metrics
from jax_metrics._registry import compile, deserialize, get, serialize
from jax_metrics.losses import Loss
from jax_metrics.metrics import Metric

__version__ = "0.1.0.dev0"

__all__ = [
    "CheckError",
    "Loss",
    "Losses",
    "LossesAndMetrics",
    "Metric",
    "Metrics",
    "checked",
    "checking",
    "compile",
    "deserialize",
    "functional",
    "get",
    "losses",
    "metrics",
    "serialize",
]
