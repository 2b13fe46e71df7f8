"""Orbax: save a state mid-epoch, restore it in a new process, continue.

The test process runs the uninterrupted epoch and the first half of the
interrupted one, saves the state with orbax-checkpoint, and runs this file as
a script in a fresh Python process to restore it and finish the epoch; the
final values must equal the uninterrupted run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import jax
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BATCHES, SPLIT, BATCH_SIZE, CLASSES = 6, 3, 13, 5


def build():
    import jax_metrics as jm

    M = jm.metrics
    lm = jm.LossesAndMetrics(
        jm.losses.SparseCategoricalCrossentropy(from_logits=True),
        [
            M.SparseCategoricalAccuracy(),
            M.SparseTopKCategoricalAccuracy(k=2),
            M.Running(M.SparseCategoricalAccuracy(name="acc"), window=2),
        ],
    )
    return {"lm": lm, "mean": M.Mean(), "accuracy": M.SparseCategoricalAccuracy()}


def batch(i):
    rng = np.random.default_rng(1000 + i)
    return (
        rng.integers(0, CLASSES, size=(BATCH_SIZE,)),
        rng.normal(size=(BATCH_SIZE, CLASSES)).astype(np.float32),
        rng.uniform(size=(BATCH_SIZE,)).astype(np.float32),
    )


@jax.jit
def step(states, y_true, y_pred, weight):
    return {
        "lm": states["lm"].update(y_true, y_pred, sample_weight=weight),
        "mean": states["mean"].update(y_pred, sample_weight=weight),
        "accuracy": states["accuracy"].update(y_true, y_pred),
    }


def run(states, start, stop):
    for i in range(start, stop):
        states = step(states, *batch(i))
    return states


def logs(states):
    out = {}
    for name, state in states.items():
        out.update(state.compute_logs(prefix=f"{name}/"))
    return out


def checkpointer():
    import orbax.checkpoint as ocp

    return ocp.StandardCheckpointer()


def test_resume_in_new_process(tmp_path):
    expected = logs(run(build(), 0, BATCHES))

    path = tmp_path / "checkpoint"
    saver = checkpointer()
    saver.save(path, run(build(), 0, SPLIT))
    saver.wait_until_finished()
    saver.close()

    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    proc = subprocess.run(
        [sys.executable, __file__, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    resumed = json.loads(proc.stdout.strip().splitlines()[-1])
    assert sorted(resumed) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(resumed[key], value, rtol=1e-6, err_msg=key)
    # The split point matters: a state that missed the first half differs.
    partial = logs(run(build(), SPLIT, BATCHES))
    assert partial["lm/loss"] != expected["lm/loss"]


if __name__ == "__main__":  # the new process: restore, continue, print logs
    sys.path.insert(0, str(ROOT))
    restored = checkpointer().restore(sys.argv[1], build())
    print(json.dumps(logs(run(restored, SPLIT, BATCHES))))
