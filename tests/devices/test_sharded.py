"""Every contract case on 8 simulated CPU devices: jit, shard_map and pmap.

The device count is fixed when JAX starts, and this session's JAX already has
one device, so the checks run in a subprocess (`_sharded_worker.py`, one JAX
start for many cases); this side asserts that no case failed. The cases are
split into `SHARDS` subprocesses, so that `pytest -n 2` runs them in parallel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._helpers.contract import all_cases
from tests.devices import _sharded_worker as worker

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 600
SHARDS = 2


def run_worker(*args: str) -> tuple[list[dict], str]:
    """Runs the worker on 8 devices; returns its per-case results and output."""
    env = dict(os.environ)
    env["XLA_FLAGS"] = f"{env.get('XLA_FLAGS', '')} {worker.XLA_FLAGS}".strip()
    env["JAX_PLATFORMS"] = "cpu"
    env.setdefault("KERAS_BACKEND", "jax")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "tests.devices._sharded_worker", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        stdout, output, code = proc.stdout, proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as expired:
        stdout = _text(expired.stdout)
        output, code = stdout + _text(expired.stderr), f"a timeout ({TIMEOUT_S} s)"
    lines = [x for x in stdout.splitlines() if x.startswith(worker.MARKER)]
    if not lines:
        started = [x for x in stdout.splitlines() if x.startswith("running ")]
        last = started[-1][len("running ") :] if started else "(none started)"
        raise AssertionError(
            f"the sharded worker stopped with {code} while running case {last}:\n"
            f"{output[-6000:]}"
        )
    return json.loads(lines[-1][len(worker.MARKER) :]), output


def _text(data) -> str:
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""


def describe(failures: list[dict]) -> str:
    ids = ", ".join(f["id"] for f in failures)
    details = "\n\n".join(
        f"--- {f['id']}: {f['check']}\n{f['error']}\n{f['traceback']}" for f in failures
    )
    head = f"{len(failures)} case(s) failed on {worker.DEVICES} devices: {ids}"
    return f"{head}\n\n{details}"


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_case_on_eight_devices(shard):
    """(a) jit over a sharded batch, (b) shard_map + reduce, (c) pmap + reduce
    and reduce_stacked all equal the single-device value, for every case."""
    results, _ = run_worker("--shard", f"{shard}/{SHARDS}")
    cases = all_cases()[shard::SHARDS]
    assert [r["id"] for r in results] == [c.id for c in cases], "other cases ran"
    failures = [r for r in results if r["status"] == "failed"]
    assert not failures, describe(failures)
    opted_out = {c.id for c in cases if not c.sharded}
    assert {r["id"] for r in results if r["status"] == "skipped"} == opted_out


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_case_on_explicit_mesh_axes(shard):
    """(a) and (b) again on a mesh whose axis is `Explicit` (the default of
    `jax.make_mesh`): sharding-in-types must not stop a statistics kernel;
    and (k) checked mode over the sharded batch."""
    shards = ("--shard", f"{shard}/{SHARDS}")
    results, _ = run_worker("--axis-type", "explicit", "--checks", "abk", *shards)
    assert [r["id"] for r in results] == [c.id for c in all_cases()[shard::SHARDS]]
    failures = [r for r in results if r["status"] == "failed"]
    assert not failures, describe(failures)


def test_worker_reports_a_wrong_reduction():
    """A metric whose combine rule disagrees with its update is caught, the
    failed check is named, and a case that opts out is skipped."""
    results, _ = run_worker("--cases", "tests.devices._broken_cases")
    by_id = {r["id"]: r for r in results}
    assert by_id["SumMergedByMax"]["status"] == "failed"
    assert by_id["SumMergedByMax"]["check"] == "(b) shard_map + reduce"
    assert by_id["NotBatchFirst"]["status"] == "failed"
    assert "samples first" in by_id["NotBatchFirst"]["error"]
    assert by_id["OptedOut"]["status"] == "skipped"
    assert "SumMergedByMax" in describe([by_id["SumMergedByMax"]])
