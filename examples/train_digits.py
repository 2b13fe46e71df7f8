"""Flagship example: a Flax NNX classifier on scikit-learn's digits.

One `jax_metrics.compile(...)` object holds the loss and the metrics; the
jitted train step calls its `loss_and_update`, so the loss, the gradients and
every running metric come out of one compiled step. Validation reuses the same
object with fresh state. Runs in well under a minute on 2 CPU cores:

    make demo            # or: python examples/train_digits.py --epochs 10
"""

from __future__ import annotations

import argparse
import pathlib
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm import tqdm

import jax_metrics as jm


class MLP(nnx.Module):
    """A small two-layer perceptron."""

    def __init__(self, rngs: nnx.Rngs):
        self.hidden = nnx.Linear(64, 128, rngs=rngs)
        self.out = nnx.Linear(128, 10, rngs=rngs)

    def __call__(self, x):
        return self.out(jax.nn.relu(self.hidden(x)))


@nnx.jit
def train_step(model, optimizer, lm, x, y):
    """One optimisation step; returns the updated losses-and-metrics state."""

    def loss_fn(model):
        return lm.loss_and_update(y, model(x))

    (_, lm), grads = nnx.value_and_grad(loss_fn, has_aux=True)(model)
    optimizer.update(model, grads)
    return lm


@nnx.jit
def eval_step(model, lm, x, y):
    """Folds a validation batch into the state (no gradients)."""
    return lm.update(y, model(x))


def batches(x, y, size, rng=None, drop_last=True):
    order = np.arange(len(x)) if rng is None else rng.permutation(len(x))
    stop = len(x) - size + 1 if drop_last else len(x)
    for start in range(0, stop, size):
        idx = order[start : start + size]
        yield x[idx], y[idx]


def plot_curves(history, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = ["loss", "accuracy", "f1_macro"]
    fig, axes = plt.subplots(1, len(keys), figsize=(4 * len(keys), 3.2))
    epochs = np.arange(1, len(history) + 1)
    for ax, key in zip(axes, keys, strict=True):
        for split in ("train", "val"):
            ax.plot(epochs, [h[f"{split}/{key}"] for h in history], label=split)
        ax.set_title(key)
        ax.set_xlabel("epoch")
        ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--output", type=pathlib.Path, default=None)
    args = parser.parse_args()
    output = args.output or pathlib.Path(__file__).parent / "output"

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=0.2, random_state=0, stratify=y
    )

    model = MLP(nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, optax.adam(3e-3), wrt=nnx.Param)
    # Keras-style configuration: one object with the loss and the metrics.
    lm = jm.compile(
        loss=jm.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[
            "accuracy",
            jm.metrics.MulticlassF1Score(
                num_classes=10, average="macro", name="f1_macro"
            ),
        ],
    )

    rng = np.random.default_rng(0)
    history = []
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        train = lm.reset()
        steps = len(x_train) // args.batch_size
        bar = tqdm(
            batches(x_train, y_train, args.batch_size, rng),
            total=steps,
            desc=f"epoch {epoch:2d}",
            leave=False,
        )
        for xb, yb in bar:
            train = train_step(
                model, optimizer, train, jnp.asarray(xb), jnp.asarray(yb)
            )
            bar.set_postfix(
                {k: f"{v:.3f}" for k, v in train.compute_logs().items()}, refresh=False
            )
        val = lm.reset()
        for xb, yb in batches(x_val, y_val, args.batch_size, drop_last=False):
            val = eval_step(model, val, jnp.asarray(xb), jnp.asarray(yb))
        logs = {**train.compute_logs("train/"), **val.compute_logs("val/")}
        history.append(logs)
        print(
            f"epoch {epoch:2d}  " + "  ".join(f"{k} {v:.4f}" for k, v in logs.items())
        )

    elapsed = time.perf_counter() - start
    print(f"\nSummary after {args.epochs} epochs ({elapsed:.1f} s)")
    print(f"{'metric':<12}{'train':>10}{'val':>10}")
    for key in ("loss", "accuracy", "f1_macro"):
        last = history[-1]
        print(f"{key:<12}{last[f'train/{key}']:>10.4f}{last[f'val/{key}']:>10.4f}")
    path = output / "learning_curves.png"
    plot_curves(history, path)
    print(f"\nLearning curves written to {path}")


if __name__ == "__main__":
    main()
