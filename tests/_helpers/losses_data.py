"""Random inputs for loss parity tests (NumPy, float64)."""

from __future__ import annotations

import numpy as np

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none")
BATCH = 7
CLASSES = 4


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    return np.eye(classes)[labels]


def make_inputs(kind: str, rng: np.random.Generator, batch: int = BATCH):
    """Returns `(y_true, y_pred)` float64 arrays for an input `kind`."""
    c = CLASSES
    if kind == "regression":
        return rng.normal(size=(batch, 4)), rng.normal(size=(batch, 4))
    if kind == "regression_1d":
        return rng.normal(size=(batch, 1)), rng.normal(size=(batch,))
    if kind == "positive":
        return rng.poisson(2.0, size=(batch, 4)).astype(float), rng.uniform(
            0.1, 3.0, size=(batch, 4)
        )
    if kind == "binary":
        y = rng.integers(0, 2, size=(batch, 4)).astype(float)
        return y, rng.uniform(0.02, 0.98, size=(batch, 4))
    if kind == "binary_column":
        y = rng.integers(0, 2, size=(batch, 1)).astype(float)
        return y, rng.uniform(0.02, 0.98, size=(batch, 1))
    if kind == "binary_logits":
        y = rng.integers(0, 2, size=(batch, 4)).astype(float)
        return y, 3.0 * rng.normal(size=(batch, 4))
    if kind == "signs":
        y = 2.0 * rng.integers(0, 2, size=(batch, 4)) - 1.0
        return y, rng.normal(size=(batch, 4))
    if kind == "categorical":
        y = _one_hot(rng.integers(0, c, batch), c)
        return y, rng.dirichlet(np.ones(c), batch)
    if kind == "categorical_logits":
        y = _one_hot(rng.integers(0, c, batch), c)
        return y, 3.0 * rng.normal(size=(batch, c))
    if kind == "categorical_axis1":
        y = np.moveaxis(_one_hot(rng.integers(0, c, (batch, 3)), c), -1, 1)
        return y, 3.0 * rng.normal(size=(batch, c, 3))
    if kind == "distributions":
        return rng.dirichlet(np.ones(c), batch), rng.dirichlet(np.ones(c), batch)
    if kind == "sparse":
        y = rng.integers(0, c, batch).astype(float)
        return y, rng.dirichlet(np.ones(c), batch)
    if kind == "sparse_column":
        y = rng.integers(0, c, (batch, 1)).astype(float)
        return y, rng.dirichlet(np.ones(c), batch)
    if kind == "sparse_logits":
        y = rng.integers(0, c, batch).astype(float)
        return y, 3.0 * rng.normal(size=(batch, c))
    if kind == "sparse_sequence":
        y = rng.integers(0, c, (batch, 3)).astype(float)
        return y, 3.0 * rng.normal(size=(batch, 3, c))
    if kind == "masks":
        y = rng.integers(0, 2, size=(batch, 4)).astype(float)
        return y, rng.uniform(size=(batch, 4))
    if kind == "embeddings":
        labels = rng.integers(0, 3, batch).astype(float)
        emb = rng.normal(size=(batch, 4))
        return labels, emb / np.linalg.norm(emb, axis=1, keepdims=True)
    if kind == "ctc":
        labels = rng.integers(1, c, (batch, 3))
        lengths = rng.integers(1, 4, batch)
        labels = np.where(np.arange(3)[None, :] < lengths[:, None], labels, 0)
        return labels.astype(float), rng.normal(size=(batch, 6, c))
    raise ValueError(f"unknown input kind {kind!r}")


def sample_weights(rng: np.random.Generator, batch: int = BATCH):
    """`None`, a `(batch,)` and a `(batch, 1)` weight."""
    weight = rng.uniform(0.0, 2.0, size=batch)
    return [None, weight, weight.reshape(batch, 1)]
