"""A real two-process run on 127.0.0.1 gives the values of one process.

Two processes join with `jax.distributed.initialize` (gloo CPU collectives),
each holding half the data (`_multiprocess_worker.py`); this side computes
the same metrics on the whole data in this process and compares. Bounded in
time: the processes are killed after `TIMEOUT_S`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.devices import _multiprocess_worker as worker

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 2
TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(out: Path) -> list[tuple[int, str]]:
    """Starts every process, waits at most `TIMEOUT_S`, kills stragglers."""
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    env["JAX_PLATFORMS"] = "cpu"
    env.setdefault("KERAS_BACKEND", "jax")
    port = free_port()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.devices._multiprocess_worker",
                str(port),
                str(i),
                str(PROCESSES),
                str(out),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    results = []
    try:
        for proc in procs:
            try:
                output, _ = proc.communicate(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                output, _ = proc.communicate()
                output += f"\n[killed after {TIMEOUT_S} s]"
            results.append((proc.returncode, output))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return results


@pytest.fixture(scope="module")
def multiprocess_values(tmp_path_factory):
    out = tmp_path_factory.mktemp("multiprocess") / "values"
    for _attempt in range(2):  # a second try only if the port was taken
        results = launch(out)
        if all(code == 0 for code, _ in results):
            break
        if not any("already in use" in text for _, text in results):
            break
    report = "\n\n".join(
        f"--- process {i} exited with {code}:\n{text[-4000:]}"
        for i, (code, text) in enumerate(results)
    )
    assert all(code == 0 for code, _ in results), report
    return [json.loads(Path(f"{out}.{i}").read_text()) for i in range(PROCESSES)]


def test_two_processes_equal_one(multiprocess_values):
    """Global jit, shard_map + reduce and a host all-gather of local states,
    on every process, equal the metrics updated on the whole data here."""
    data = worker.dataset()
    single = worker.values(worker.update_all(worker.make_metrics(), data))
    assert {"mean", "sparse_categorical_accuracy"} <= set(single)
    for i, per_process in enumerate(multiprocess_values):
        assert set(per_process) == {"global_jit", "shard_map", "allgather"}
        for recipe, got in per_process.items():
            assert set(got) == set(single), (i, recipe)
            for name, expected in single.items():
                np.testing.assert_allclose(
                    got[name],
                    expected,
                    rtol=1e-5,
                    atol=1e-6,
                    err_msg=f"process {i}, {recipe}, {name}",
                )


def test_each_process_holds_part_of_the_data():
    """The split really divides the data: no process sees every sample."""
    data = worker.dataset()
    parts = [worker.local_slice(data, i, PROCESSES) for i in range(PROCESSES)]
    sizes = [len(p["y_true"]) for p in parts]
    assert sum(sizes) == worker.SAMPLES
    assert all(0 < size < worker.SAMPLES for size in sizes)
