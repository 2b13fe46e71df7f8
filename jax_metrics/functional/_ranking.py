"""Ranking losses (optax's listwise softmax loss)."""

from __future__ import annotations

from jax_metrics.functional.optax import ranking_softmax_loss

__all__ = [
    "ranking_softmax_loss",
]
