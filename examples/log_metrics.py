"""Logging metrics: TensorBoard event files, CSV and JSON lines, and a plot.

A softmax regression on scikit-learn's digits is trained for a few epochs;
after each epoch the train and validation states go, as plain floats
(`compute_logs(prefix)`), to every writer of a `MultiWriter`. A
`MetricTracker` keeps the validation accuracy per epoch and draws it with the
best epoch marked. Then:

    tensorboard --logdir examples/output/logs

    python examples/log_metrics.py --epochs 5 --logdir /tmp/logs
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib

import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import jax_metrics as jm
from jax_metrics import logging as jm_logging

TX = optax.adam(0.05)


def logits_fn(params, x):
    return x @ params["w"] + params["b"]


@jax.jit
def train_step(params, opt_state, lm, x, y):
    def loss_fn(params):
        return lm.loss_and_update(y, logits_fn(params, x))

    (_, lm), grads = jax.value_and_grad(loss_fn, has_aux=True)(params)
    updates, opt_state = TX.update(grads, opt_state)
    return optax.apply_updates(params, updates), opt_state, lm


@jax.jit
def eval_step(params, lm, tracker, x, y):
    logits = logits_fn(params, x)
    return lm.update(y, logits), tracker.update(y, logits)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument(
        "--logdir",
        type=pathlib.Path,
        default=pathlib.Path(__file__).parent / "output" / "logs",
    )
    args = parser.parse_args()
    args.logdir.mkdir(parents=True, exist_ok=True)

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=0.2, random_state=0, stratify=y
    )
    params = {"w": jnp.zeros((64, 10)), "b": jnp.zeros((10,))}
    opt_state = TX.init(params)
    lm = jm.compile(
        loss=jm.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    tracker = jm.metrics.MetricTracker(
        jm.metrics.SparseCategoricalAccuracy(name="val_accuracy"),
        capacity=max(args.epochs, 1),
    )

    writers = [
        jm_logging.CSVWriter(args.logdir / "metrics.csv"),
        jm_logging.JSONLinesWriter(args.logdir / "metrics.jsonl"),
    ]
    if importlib.util.find_spec("tensorboardX") is not None:
        writers.append(jm_logging.TensorBoardWriter(args.logdir / "tensorboard"))
    else:
        print("tensorboardX is not installed: skipping TensorBoard event files")

    rng = np.random.default_rng(0)
    steps = len(x_train) // args.batch_size
    with jm_logging.MultiWriter(writers) as writer:
        for epoch in range(1, args.epochs + 1):
            train = lm.reset()
            order = rng.permutation(len(x_train))
            for i in range(steps):
                idx = order[i * args.batch_size : (i + 1) * args.batch_size]
                params, opt_state, train = train_step(
                    params, opt_state, train, x_train[idx], y_train[idx]
                )
            val, tracker = eval_step(params, lm.reset(), tracker, x_val, y_val)
            tracker = tracker.increment()
            # One row per epoch: merge the train and validation logs first.
            logs = {
                **jm_logging.to_logs(train, prefix="train/"),
                **jm_logging.to_logs(val, prefix="val/"),
            }
            writer.write(logs, step=epoch)
            print(
                f"epoch {epoch:2d}  "
                + "  ".join(f"{k} {v:.4f}" for k, v in logs.items())
            )

    best, step = tracker.best_metric(return_step=True)
    print(f"best val accuracy {float(best):.4f} at epoch {int(step) + 1}")
    print(f"logs written to {args.logdir}")
    if importlib.util.find_spec("matplotlib") is not None:
        import matplotlib

        matplotlib.use("Agg")
        figure = tracker.plot()
        figure.savefig(args.logdir / "val_accuracy.png", dpi=100)
        print(f"plot written to {args.logdir / 'val_accuracy.png'}")


if __name__ == "__main__":
    main()
