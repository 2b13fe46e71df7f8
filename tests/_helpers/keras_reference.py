"""Keras 3 (JAX backend) as an independent reference for Keras names."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import numpy as np


def keras_metric(name: str, batches, **options) -> np.ndarray:
    """Keras' result over batches of `(y_true, y_pred[, sample_weight])`."""
    metric = getattr(keras.metrics, name)(**options)
    for batch in batches:
        metric.update_state(*batch)
    return np.asarray(metric.result(), np.float64)


def keras_loss(name: str, y_true, y_pred, sample_weight=None, **options):
    """`keras.losses.<name>(**options)(y_true, y_pred, sample_weight)` as float64."""
    loss = getattr(keras.losses, name)(**options)
    return np.asarray(loss(y_true, y_pred, sample_weight=sample_weight), np.float64)
