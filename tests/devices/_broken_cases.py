"""Deliberately wrong metrics: the device worker must report each one.

The metric class is built on first access to `CASES` (PEP 562), so importing
this module (doctest collection does) defines no `Metric` subclass.
"""

import jax.numpy as jnp
import numpy as np

from jax_metrics.metrics import Metric, state
from tests._helpers.contract import ContractCase


def _sum_merged_by_max():
    class SumMergedByMax(Metric):
        """Sums values but declares the `max` rule: any split changes the value."""

        total = state("max")

        def init_state(self):
            """Zero total."""
            return {"total": jnp.zeros((), jnp.float32)}

        def update(self, values):
            """Adds the batch total."""
            return self.replace(total=self.total + jnp.sum(values))

        def compute(self):
            """The total."""
            return self.total

    return SumMergedByMax


def positive(rng, n):
    return {"values": rng.uniform(1, 2, size=(n,)).astype(np.float32)}


def unbatched(rng, n):
    return {"values": rng.uniform(1, 2, size=(n + 1,)).astype(np.float32)}


def __getattr__(name):
    if name != "CASES":
        raise AttributeError(name)
    metric = _sum_merged_by_max()
    return [
        ContractCase("SumMergedByMax", metric, positive),
        ContractCase("NotBatchFirst", metric, unbatched),
        ContractCase("OptedOut", metric, positive, sharded=False),
    ]
