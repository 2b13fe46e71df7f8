"""Flax Linen on scikit-learn's digits, with the metrics inside the TrainState.

The `TrainState` subclass carries a `LossesAndMetrics` object (an immutable
pytree) next to the parameters and the optimizer state, so one jitted step
returns the new parameters and the updated running metrics together; a new
epoch is `state.replace(metrics=state.metrics.reset())`. Runs in a few seconds
on 2 CPU cores:

    python examples/train_linen.py --epochs 5
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import linen as nn
from flax.training import train_state
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import jax_metrics as jm


class MLP(nn.Module):
    """A small two-layer perceptron."""

    hidden: int = 128

    @nn.compact
    def __call__(self, x):
        x = nn.relu(nn.Dense(self.hidden)(x))
        return nn.Dense(10)(x)


class TrainState(train_state.TrainState):
    """Parameters, optimizer state and the running losses-and-metrics state."""

    metrics: Any


@jax.jit
def train_step(state: TrainState, x, y) -> TrainState:
    """One optimisation step; the metrics update in the same compiled step."""

    def loss_fn(params):
        logits = state.apply_fn({"params": params}, x)
        return state.metrics.loss_and_update(y, logits)

    (_, metrics), grads = jax.value_and_grad(loss_fn, has_aux=True)(state.params)
    return state.apply_gradients(grads=grads).replace(metrics=metrics)


@jax.jit
def eval_step(state: TrainState, metrics, x, y):
    """Folds a validation batch into `metrics`."""
    return metrics.update(y, state.apply_fn({"params": state.params}, x))


def batches(x, y, size, rng=None):
    order = np.arange(len(x)) if rng is None else rng.permutation(len(x))
    for start in range(0, len(x), size):
        idx = order[start : start + size]
        yield jnp.asarray(x[idx]), jnp.asarray(y[idx])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=0.2, random_state=0, stratify=y
    )

    model = MLP()
    params = model.init(jax.random.PRNGKey(0), x_train[:1])["params"]
    metrics = jm.LossesAndMetrics(
        jm.losses.SparseCategoricalCrossentropy(from_logits=True),
        [
            jm.metrics.SparseCategoricalAccuracy(name="accuracy"),
            jm.metrics.SparseTopKCategoricalAccuracy(k=3, name="top3"),
        ],
    )
    state = TrainState.create(
        apply_fn=model.apply, params=params, tx=optax.adam(3e-3), metrics=metrics
    )
    # Keeps the validation accuracy per epoch, with the best epoch.
    tracker = jm.metrics.MetricTracker(
        jm.metrics.SparseCategoricalAccuracy(name="val_accuracy"),
        capacity=max(args.epochs, 1),
    )

    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        state = state.replace(metrics=state.metrics.reset())
        # Padding the last batch would retrace: drop it in training.
        for xb, yb in batches(x_train, y_train, args.batch_size, rng):
            if len(xb) == args.batch_size:
                state = train_step(state, xb, yb)
        val = state.metrics.reset()
        for xb, yb in batches(x_val, y_val, len(x_val)):
            val = eval_step(state, val, xb, yb)
            tracker = tracker.update(yb, state.apply_fn({"params": state.params}, xb))
        tracker = tracker.increment()
        logs = {**state.metrics.compute_logs("train/"), **val.compute_logs("val/")}
        print(
            f"epoch {epoch:2d}  " + "  ".join(f"{k} {v:.4f}" for k, v in logs.items())
        )

    best, step = tracker.best_metric(return_step=True)
    elapsed = time.perf_counter() - start
    print(
        f"\nbest val accuracy {float(best):.4f} at epoch {int(step) + 1} "
        f"({elapsed:.1f} s)"
    )


if __name__ == "__main__":
    main()
