"""One process of a two-process run joined with `jax.distributed`.

Launched twice by `tests/devices/test_multiprocess.py`:

    python -m tests.devices._multiprocess_worker PORT PROCESS_ID NUM_PROCESSES OUT

Each process holds its own slice of the data (process `i` of `p` gets rows
`i::p`, so neither holds the whole) and computes the metrics three ways:

* `global_jit`: a global array built from the process-local slices
  (`jax.make_array_from_process_local_data`) and one jitted `update` (JAX runs
  the cross-process reduction);
* `shard_map`: per-device updates then `m.reduce(axis_name)` over every device
  of every process;
* `allgather`: purely local updates (no collective in the step), then at the
  end `multihost_utils.process_allgather(m)` and `reduce_stacked()`.

Every process writes its values as JSON to `OUT.<process_id>`.
"""

from __future__ import annotations

import json
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import numpy as np
from jax.experimental import multihost_utils
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

AXIS = "hosts"
SAMPLES = 96
CLASSES = 4


def dataset(seed: int = 0) -> dict[str, np.ndarray]:
    """The whole data set; every process builds it and keeps only its slice."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, CLASSES, size=(SAMPLES,)).astype(np.int32)
    logits = rng.normal(size=(SAMPLES, CLASSES)).astype(np.float32)
    weights = rng.uniform(0, 1, size=(SAMPLES,)).astype(np.float32)
    return {"y_true": labels, "y_pred": logits, "sample_weight": weights}


def local_slice(data, process_id: int, num_processes: int):
    """Process `i`'s rows: `i::num_processes`."""
    return {k: v[process_id::num_processes] for k, v in data.items()}


def make_metrics() -> dict:
    """The metrics compared: a mean, an accuracy, and a confusion metric when
    the catalog has one (names resolved lazily as the catalog grows)."""
    import jax_metrics as jm

    metrics = {
        "mean": jm.metrics.Mean(),
        "sparse_categorical_accuracy": jm.metrics.SparseCategoricalAccuracy(),
    }
    if hasattr(jm.metrics, "MulticlassConfusionMatrix"):
        metrics["confusion_matrix"] = jm.metrics.MulticlassConfusionMatrix(
            num_classes=CLASSES
        )
    if hasattr(jm.metrics, "MulticlassF1Score"):
        metrics["macro_f1"] = jm.metrics.MulticlassF1Score(
            num_classes=CLASSES, average="macro"
        )
    return metrics


def update_all(metrics: dict, batch: dict) -> dict:
    """Folds a batch into each metric (`Mean` averages the top logit)."""
    out = {}
    for name, metric in metrics.items():
        if name == "mean":
            out[name] = metric.update(
                batch["y_pred"].max(axis=-1), sample_weight=batch["sample_weight"]
            )
        else:
            out[name] = metric.update(**batch)
    return out


def values(metrics: dict) -> dict:
    """Computed values as nested lists (JSON)."""
    return {
        name: np.asarray(jax.device_get(m.compute()), np.float64).tolist()
        for name, m in metrics.items()
    }


def main(port: int, process_id: int, num_processes: int, out: str) -> None:
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(
        coordinator_address=f"127.0.0.1:{port}",
        num_processes=num_processes,
        process_id=process_id,
        local_device_ids=[0],
        initialization_timeout=60,
    )
    assert jax.process_count() == num_processes, jax.process_count()
    local = local_slice(dataset(), process_id, num_processes)
    metrics = make_metrics()
    # Auto axes: `jax.make_mesh` defaults to Explicit axes (sharding in types)
    # in recent JAX, under which scatter-based kernels fail to trace.
    mesh = jax.make_mesh(
        (jax.device_count(),), (AXIS,), axis_types=(jax.sharding.AxisType.Auto,)
    )
    sharding = NamedSharding(mesh, P(AXIS))
    global_batch = {
        k: jax.make_array_from_process_local_data(sharding, v) for k, v in local.items()
    }
    results = {}

    # Global arrays and one jitted update; the state comes back replicated.
    updated = jax.jit(update_all)(metrics, global_batch)
    results["global_jit"] = values(updated)

    # shard_map over every device of every process, then reduce. `reduce`
    # leaves every device with the same (replicated) state.
    def local_then_reduce(ms, b):
        return {k: m.reduce(AXIS) for k, m in update_all(ms, b).items()}

    reduced = jax.jit(
        jax.shard_map(
            local_then_reduce,
            mesh=mesh,
            in_specs=(P(), P(AXIS)),
            out_specs=P(),
        )
    )(metrics, global_batch)
    results["shard_map"] = values(reduced)

    # Local updates only, then gather the states and collapse them.
    local_state = update_all(metrics, local)
    gathered = multihost_utils.process_allgather(local_state)
    results["allgather"] = values({k: m.reduce_stacked() for k, m in gathered.items()})

    with open(f"{out}.{process_id}", "w") as file:
        json.dump(results, file)
    jax.distributed.shutdown()


if __name__ == "__main__":
    port, process_id, num_processes, out = sys.argv[1:]
    main(int(port), int(process_id), int(num_processes), out)
