"""Runs the device contract for every sharded case on 8 simulated CPU devices.

Launched by `tests/devices/test_sharded.py` in its own process, because the
device count is fixed when JAX starts (the worker sets `XLA_FLAGS` itself):

    python -m tests.devices._sharded_worker [-k SUBSTRING] [--shard I/N]
        [--axis-type auto|explicit] [--checks abc] [--cases MODULE]

For each `ContractCase` with `sharded=True` it checks that, on a batch split
over the 8 devices,

* (a) `jax.jit` with the batch sharded over a `Mesh` (batch axis),
* (b) `shard_map` with per-device updates followed by `m.reduce(axis_name)`
  (every device must hold the reduced state),
* (c) `pmap` with `m.reduce(axis_name)`, and the per-device states stacked by
  `pmap` collapsed on the host with `m.reduce_stacked()`,
* (k) with `--checks ...k`: `jm.checked` over the sharded batch (checked
  mode), which must raise `CheckError` for cases marked `invalid`,

each give the value of one update on one device. Every case runs, whatever
the others do; the last line printed is `RESULTS <json>` with one entry per
case (`status` "ok", "failed" or "skipped", the failed check and the error).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback

DEVICES = 8
BATCH_SIZE = 16  # divisible by DEVICES: two samples per device
MARKER = "RESULTS "
# The 8 simulated devices are threads of one process. On a loaded 2-core
# machine a thread can reach a collective long after the others; XLA's default
# (abort the process after 40 s) would turn that into a crash, so wait longer.
# Compile time dominates (a few programs per case, run once on tiny data), so
# LLVM's optimisations are turned off.
XLA_FLAGS = (
    f"--xla_force_host_platform_device_count={DEVICES} "
    "--xla_cpu_collective_call_terminate_timeout_seconds=300 "
    "--xla_backend_optimization_level=0"
)

if __name__ == "__main__":  # the flags must be set before JAX starts
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_force_host_platform_device_count" not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} {XLA_FLAGS}".strip()
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import numpy as np  # noqa: E402
from jax.sharding import Mesh, NamedSharding  # noqa: E402
from jax.sharding import PartitionSpec as P  # noqa: E402

AXIS = "batch"


def _is_batched(value, n):
    return np.ndim(value) >= 1 and np.shape(value)[0] == n


def _batch_specs(batch, n):
    """`P(AXIS)` for arrays with the batch axis first, `P()` for the rest."""
    return {k: P(AXIS) if _is_batched(v, n) else P() for k, v in batch.items()}


def _per_device(batch, n):
    """Reshapes batch arrays to `(DEVICES, n // DEVICES, ...)` for `pmap`."""
    return {
        k: np.reshape(v, (DEVICES, n // DEVICES, *np.shape(v)[1:]))
        for k, v in batch.items()
    }


def _to_host(tree):
    """Waits for a multi-device result and copies it to the host.

    Every later operation on it is then an ordinary single-device one: eager
    operations on arrays spread over the 8 simulated devices would each be a
    multi-device program, and many of those in flight at once can stall XLA's
    CPU collectives.
    """
    return jax.device_get(jax.block_until_ready(tree))


def _unstack(tree, i):
    return jax.tree.map(lambda x: x[i], tree)


def _check_replicas(stacked, expected, compute, tol, what, assert_close):
    """Every device's copy of a reduced state has the single-device value."""
    stacked = _to_host(stacked)
    first = _unstack(stacked, 0)
    assert_close(compute(first), expected, **tol, what=f"{what} (device 0)")
    for i in range(1, DEVICES):
        for x, y in zip(
            jax.tree.leaves(first), jax.tree.leaves(_unstack(stacked, i)), strict=True
        ):
            np.testing.assert_array_equal(
                np.asarray(x), np.asarray(y), err_msg=f"{what}: device {i} != 0"
            )


def check_case(case, mesh, seed=0, timings=None, checks="abc"):
    """Runs checks (a), (b), (c) for one case; raises on the first failure.

    `timings`, when given, receives the seconds each check took; `checks`
    without "c" skips the `pmap` check (which uses no mesh).
    """
    from tests._helpers.contract import assert_values_close

    rng = np.random.default_rng(seed)
    n = BATCH_SIZE
    batch = case.batch(rng, n)
    unbatched = [k for k, v in batch.items() if not _is_batched(v, n)]
    if unbatched:
        raise AssertionError(
            f"expected every batch entry to have {n} samples first, received "
            f"{unbatched}"
        )
    tol = {"rtol": case.rtol, "atol": case.atol}
    metric = case.make()
    timings = {} if timings is None else timings
    clock = [time.perf_counter()]

    def lap(name):
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now

    # Whole programs under jit, not op by op: each eager operation on a new
    # shape is a compilation of its own, and compiling is what costs here. (The
    # contract test already checks that jit equals eager.)
    compute = jax.jit(lambda m: m.compute())
    expected = compute(jax.jit(lambda m, b: m.update(**b))(metric, batch))
    lap("reference")
    step = "reference"

    try:
        step = "(a) jit + sharded batch"
        specs = _batch_specs(batch, n)
        sharded = {
            k: jax.device_put(v, NamedSharding(mesh, specs[k]))
            for k, v in batch.items()
        }

        def global_update(m, b):  # (a): the update is global under jit
            return m.update(**b)

        def local_then_reduce(m, b):  # (b): per-device update, then reduce
            reduced = m.update(**b).reduce(AXIS)
            return jax.tree.map(lambda x: x[None], reduced)  # one copy per device

        mapped = jax.shard_map(
            local_then_reduce, mesh=mesh, in_specs=(P(), specs), out_specs=P(AXIS)
        )
        try:  # (a) and (b) in one program: one compilation instead of two
            updated, stacked = jax.jit(
                lambda m, b: (global_update(m, b), mapped(m, b))
            )(metric, sharded)
        except Exception:  # compile them apart, to name the one that fails
            updated = jax.jit(global_update)(metric, sharded)
            step = "(b) shard_map + reduce"
            stacked = jax.jit(mapped)(metric, sharded)
        step = "(a) jit + sharded batch"
        value = compute(_to_host(updated))
        assert_values_close(value, expected, **tol, what=step)
        step = "(b) shard_map + reduce"
        _check_replicas(stacked, expected, compute, tol, step, assert_values_close)
        lap("ab")
        if "k" in checks:
            step = "(k) checked mode + sharded batch"
            _check_checked_mode(case, metric, sharded, global_update, expected, tol)
            lap("k")
        if "c" not in checks:
            return

        # (c) pmap: reduce on the devices, and reduce_stacked on the host.
        step = "(c) pmap + reduce"

        def pmapped(m, b):
            local = m.update(**b)
            return local.reduce(AXIS), local

        reduced, local = jax.pmap(pmapped, axis_name=AXIS, in_axes=(None, 0))(
            metric, _per_device(batch, n)
        )
        _check_replicas(reduced, expected, compute, tol, step, assert_values_close)
        step = "(c) pmap + reduce_stacked on the host"
        collapse = jax.jit(lambda stacked: stacked.reduce_stacked().compute())
        value = collapse(_to_host(local))
        assert_values_close(value, expected, **tol, what=step)
        lap("c")
    except Exception as error:
        raise _CheckFailed(step) from error


def _check_checked_mode(case, metric, sharded, update, expected, tol):
    """(k): `jm.checked` over the sharded batch equals the plain value, or
    raises `CheckError` for a case whose batches hold value problems."""
    import jax_metrics as jm
    from tests._helpers.contract import assert_values_close

    checked_update = jm.checked(update)
    if case.invalid:
        try:
            checked_update(metric, sharded)
        except jm.CheckError:
            return
        raise AssertionError("expected a CheckError: the case's batch is invalid")
    value = jax.jit(lambda m: m.compute())(_to_host(checked_update(metric, sharded)))
    assert_values_close(value, expected, **tol, what="(k) checked mode")


class _CheckFailed(Exception):
    pass


def run(cases, mesh, checks="abc"):
    results = []
    for case in cases:
        print(f"running {case.id}", flush=True)  # names the case if JAX aborts
        if not case.sharded:
            results.append({"id": case.id, "status": "skipped", "seconds": 0.0})
            print(f"skipped  0.00s {case.id} (sharded=False)", flush=True)
            continue
        start = time.perf_counter()
        entry = {"id": case.id, "status": "ok", "timings": {}}
        try:
            check_case(case, mesh, timings=entry["timings"], checks=checks)
        except _CheckFailed as failure:
            cause = failure.__cause__
            entry.update(
                status="failed",
                check=str(failure),
                error=f"{type(cause).__name__}: {cause}"[:2000],
                traceback="".join(traceback.format_exception(cause))[-4000:],
            )
        except Exception as error:  # building the case or the reference failed
            entry.update(
                status="failed",
                check="reference",
                error=f"{type(error).__name__}: {error}"[:2000],
                traceback=traceback.format_exc()[-4000:],
            )
        entry["seconds"] = round(time.perf_counter() - start, 3)
        results.append(entry)
        laps = " ".join(f"{k}={v:.2f}" for k, v in entry["timings"].items())
        print(
            f"{entry['status']:>7} {entry['seconds']:6.2f}s {case.id} ({laps})",
            flush=True,
        )
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="run only case ids containing this")
    parser.add_argument(
        "--axis-type",
        choices=("auto", "explicit"),
        default="auto",
        help="the mesh axis type (`jax.make_mesh` defaults to explicit)",
    )
    parser.add_argument(
        "--checks",
        default="abc",
        help="which checks to run: 'ab' skips (c) pmap, which uses no mesh; "
        "'k' adds checked mode (`jm.checked`) over the sharded batch",
    )
    parser.add_argument(
        "--shard",
        default="0/1",
        help="'i/n': run every n-th case starting at the i-th (for parallel runs)",
    )
    parser.add_argument(
        "--cases",
        default="",
        help="a module with a `CASES` list to run instead of every registered case",
    )
    args = parser.parse_args(argv)

    jax.config.update("jax_numpy_rank_promotion", "raise")
    if jax.device_count() != DEVICES:
        raise SystemExit(
            f"expected {DEVICES} devices (XLA_FLAGS=--xla_force_host_platform_"
            f"device_count={DEVICES}), received {jax.device_count()}"
        )
    if args.cases:
        cases = importlib.import_module(args.cases).CASES
    else:
        from tests._helpers.contract import all_cases

        cases = all_cases()
    index, count = (int(x) for x in args.shard.split("/"))
    cases = [c for c in cases[index::count] if args.k in c.id]
    axis_type = getattr(jax.sharding.AxisType, args.axis_type.capitalize())
    mesh = Mesh(np.array(jax.devices()), (AXIS,), axis_types=(axis_type,))
    results = run(cases, mesh, args.checks)
    print(MARKER + json.dumps(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
