"""Contract cases: multilabel ranking metrics (coverage, LRAP, ranking loss)."""

import numpy as np

import jax_metrics as jm
from tests._helpers.contract import ContractCase

M = jm.metrics
L = 4


def scores(rng, n):
    """0/1 targets and scores on a coarse grid (many ties), weighted samples."""
    return {
        "y_true": rng.integers(0, 2, size=(n, L)),
        "y_pred": (np.round(rng.uniform(size=(n, L)) * 4) / 4).astype(np.float32),
        "sample_weight": rng.uniform(0, 2, size=(n,)).astype(np.float32),
    }


def ignored(rng, n):
    """Targets with entries equal to `ignore_index=-1`."""
    batch = scores(rng, n)
    batch["y_true"] = np.where(rng.uniform(size=(n, L)) < 0.2, -1, batch["y_true"])
    return batch


def logits(rng, n):
    batch = scores(rng, n)
    batch["y_pred"] = rng.normal(scale=3.0, size=(n, L)).astype(np.float32)
    return batch


def _case(cls_name, batch=scores, **options):
    cls = getattr(M, cls_name)
    suffix = ",".join(f"{k}={v}" for k, v in options.items())
    return ContractCase(
        f"{cls_name}({suffix})" if suffix else cls_name,
        lambda: cls(num_labels=L, **options),
        batch,
        rtol=1e-5,
        atol=1e-6,
    )


CASES = [
    _case("MultilabelCoverageError"),
    _case("MultilabelRankingAveragePrecision"),
    _case("MultilabelRankingLoss"),
    _case("MultilabelCoverageError", ignored, ignore_index=-1),
    _case("MultilabelRankingLoss", ignored, ignore_index=-1),
    _case("MultilabelRankingAveragePrecision", logits, from_logits=True),
]
