"""Contract cases: group fairness (BinaryGroupStatRates, BinaryFairness)."""

import numpy as np

import jax_metrics as jm
from tests._helpers.contract import ContractCase

M = jm.metrics
G = 3


def per_sample(rng, n):
    """One group id per sample (torchmetrics' input)."""
    return {
        "y_true": rng.integers(0, 2, size=(n,)),
        "y_pred": rng.uniform(size=(n,)).astype(np.float32),
        "groups": rng.integers(0, G, size=(n,)),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def per_entry(rng, n):
    """Extra axes, a group id per entry and padding targets (-1) to ignore."""
    return {
        "y_true": rng.integers(-1, 2, size=(n, 2)),
        "y_pred": rng.normal(size=(n, 2)).astype(np.float32),
        "groups": rng.integers(0, G, size=(n, 2)),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def out_of_range(rng, n):
    """Group ids up to G (one past the last): ignored, and raised when checked."""
    batch = per_sample(rng, n)
    batch["groups"] = rng.integers(0, G + 1, size=(n,))
    batch["groups"][0] = G
    return batch


def _case(cls, batch, invalid=False, **options):
    suffix = ",".join(f"{k}={v}" for k, v in options.items())
    return ContractCase(
        f"{cls.__name__}({suffix})",
        lambda: cls(num_groups=G, **options),
        batch,
        rtol=1e-4,
        atol=1e-5,
        invalid=invalid,
    )


CASES = [
    _case(M.BinaryGroupStatRates, per_sample),
    _case(M.BinaryGroupStatRates, per_entry, from_logits=True, ignore_index=-1),
    _case(M.BinaryFairness, per_sample),
    _case(M.BinaryFairness, per_sample, task="demographic_parity", threshold=0.25),
    _case(
        M.BinaryFairness,
        per_entry,
        task="equal_opportunity",
        from_logits=True,
        ignore_index=-1,
    ),
    _case(M.BinaryFairness, out_of_range, invalid=True, task="all"),
]
