"""jax_metrics: Keras-style losses and stateful metrics for JAX."""

from jax_metrics import functional, losses, metrics
from jax_metrics.losses import Loss
from jax_metrics.metrics import Metric

__version__ = "0.1.0.dev0"

__all__ = [
    "Loss",
    "Metric",
    "functional",
    "losses",
    "metrics",
]
