"""An evaluation loop as one `jax.lax.scan`, with the metrics in the carry.

Metric states are pytrees with fixed shapes, so a whole pass over a dataset
compiles into a single XLA loop: the batches are stacked on a leading axis
and `scan` folds them into the carried state. The model is a logistic
regression on scikit-learn's digits, itself trained by a `scan` of optax
steps. The evaluation reports accuracy, a bootstrap confidence interval
(`BootStrapper`, vectorised with `vmap`) and per-class recall
(`ClasswiseWrapper`), and checks the accuracy against scikit-learn.

    python examples/eval_loop.py --steps 200
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import jax_metrics as jm


def logits_fn(params, x):
    return x @ params["w"] + params["b"]


def train(x, y, steps: int):
    """Full-batch gradient descent on the cross-entropy, as one `scan`."""
    loss = jm.losses.SparseCategoricalCrossentropy(from_logits=True)
    tx = optax.adam(0.05)
    params = {"w": jnp.zeros((x.shape[1], 10)), "b": jnp.zeros((10,))}

    def step(carry, _):
        params, opt_state = carry
        value, grads = jax.value_and_grad(lambda p: loss(y, logits_fn(p, x)))(params)
        updates, opt_state = tx.update(grads, opt_state)
        return (optax.apply_updates(params, updates), opt_state), value

    (params, _), losses = jax.lax.scan(step, (params, tx.init(params)), None, steps)
    return params, losses


@jax.jit
def evaluate(params, metrics, x_batches, y_batches):
    """Folds every batch into `metrics` inside one compiled loop."""

    def step(metrics, batch):
        x, y = batch
        return metrics.update(y_true=y, y_pred=logits_fn(params, x)), None

    metrics, _ = jax.lax.scan(step, metrics, (x_batches, y_batches))
    return metrics


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=36)
    args = parser.parse_args()

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=360, random_state=0, stratify=y
    )
    start = time.perf_counter()
    params, losses = jax.jit(train, static_argnums=2)(x_train, y_train, args.steps)
    print(f"trained {args.steps} steps: loss {float(losses[-1]):.4f}")

    # Stack the test set as (num_batches, batch_size, ...) for `scan`.
    size = args.batch_size
    usable = len(x_test) // size * size
    x_batches = x_test[:usable].reshape(-1, size, x_test.shape[1])
    y_batches = y_test[:usable].reshape(-1, size)

    recall = jm.metrics.MulticlassRecall(num_classes=10, average=None, name="recall")
    metrics = jm.Metrics(
        {
            "accuracy": jm.metrics.SparseCategoricalAccuracy(),
            "accuracy_ci": jm.metrics.BootStrapper(
                jm.metrics.SparseCategoricalAccuracy(), num_bootstraps=200
            ),
            "recall": jm.metrics.ClasswiseWrapper(
                recall, labels=[str(i) for i in range(10)], prefix="digit_"
            ),
        }
    )
    metrics = evaluate(params, metrics, x_batches, y_batches)
    result = metrics.compute()

    predictions = np.asarray(logits_fn(params, x_test[:usable])).argmax(-1)
    reference = accuracy_score(y_test[:usable], predictions)
    print(f"accuracy {float(result['accuracy']):.4f} (scikit-learn: {reference:.4f})")
    # `Metrics.compute()` is flat: dict-valued members give `name/key`.
    low, high = result["accuracy_ci/lower"], result["accuracy_ci/upper"]
    print(f"95% bootstrap interval [{float(low):.4f}, {float(high):.4f}]")
    recalls = {k: float(v) for k, v in result.items() if k.startswith("recall/")}
    worst = min(recalls, key=recalls.get)
    print(f"lowest recall: {worst} {recalls[worst]:.4f}")
    assert abs(float(result["accuracy"]) - reference) < 1e-6
    print(f"done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
