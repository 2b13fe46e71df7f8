"""The metric contract every registered metric must satisfy.

A family registers its metrics by listing `ContractCase`s in a module
`tests/_helpers/contract_cases/cases_<family>.py` (a module-level `CASES`
list). `tests/metrics/test_contract.py` collects all of them and checks, for
each: batch-split invariance, merge, reset == init, jit == eager, one compile,
init() shapes/dtypes == updated shapes/dtypes, pytree round trip, vmap over
states and `__call__`.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import jax_metrics as jm


@dataclasses.dataclass(frozen=True)
class ContractCase:
    """One metric configuration and a generator of batches.

    Attributes:
        id: test id.
        make: builds the metric (zero state).
        batch: `batch(rng, n) -> dict` of `update` keyword arguments for a
            batch of `n` samples (NumPy arrays, batch axis first).
        rtol/atol: tolerances for value comparisons.
        sharded: whether the device contract (8 simulated devices) applies.
        invalid: the batches hold value problems on purpose (labels out of
            range, to exercise the ignore policy): checked mode must raise.
    """

    id: str
    make: Callable[[], jm.Metric]
    batch: Callable[[np.random.Generator, int], dict[str, Any]]
    rtol: float = 1e-5
    atol: float = 1e-6
    sharded: bool = True
    invalid: bool = False


def all_cases() -> list[ContractCase]:
    """Every registered case, from every `cases_*` module."""
    from tests._helpers import contract_cases

    cases = []
    for info in sorted(pkgutil.iter_modules(contract_cases.__path__)):
        module = importlib.import_module(f"{contract_cases.__name__}.{info.name}")
        cases.extend(module.CASES)
    return cases


def concat_batches(batches: list[dict[str, Any]]) -> dict[str, Any]:
    """Concatenates batches along the sample axis."""
    return {
        key: np.concatenate([b[key] for b in batches], axis=0) for key in batches[0]
    }


def assert_values_close(actual, expected, rtol=1e-5, atol=1e-6, what=""):
    """Compares metric values (arrays or dicts of arrays), NaN-aware."""
    if isinstance(expected, dict):
        assert set(actual) == set(expected), what
        for key in expected:
            assert_values_close(
                actual[key], expected[key], rtol, atol, f"{what}[{key}]"
            )
        return
    np.testing.assert_allclose(
        np.asarray(actual, np.float64),
        np.asarray(expected, np.float64),
        rtol=rtol,
        atol=atol,
        err_msg=what,
    )


def assert_same_structure(a, b):
    """Same treedef and same leaf shapes and dtypes."""
    assert jax.tree.structure(a) == jax.tree.structure(b)
    for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b), strict=True):
        assert jnp.shape(x) == jnp.shape(y)
        assert jnp.result_type(x) == jnp.result_type(y)


#: Wrappers whose state records every update call (an empty batch included).
_COUNTS_CALLS = (jm.metrics.BootStrapper, jm.metrics.MinMaxMetric, jm.metrics.Running)


def assert_states_equal(a, b, what=""):
    """Same structure and the same leaf values (NaN equal to NaN)."""
    assert_same_structure(a, b)
    for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b), strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y), err_msg=what)


def run_contract(case: ContractCase, seed: int = 0, batch_size: int = 7) -> None:
    """Checks every single-device clause of the contract for one case."""
    rng = np.random.default_rng(seed)
    batches = [case.batch(rng, batch_size) for _ in range(3)]
    tol = {"rtol": case.rtol, "atol": case.atol}
    metric = case.make()

    # Accumulating over batches equals one update on the concatenation.
    accumulated = metric
    for b in batches:
        accumulated = accumulated.update(**b)
    whole = metric.update(**concat_batches(batches))
    assert_values_close(accumulated.compute(), whole.compute(), **tol, what="split")

    # merge of split updates equals the whole.
    parts = [metric.update(**b) for b in batches]
    merged = parts[0].merge(parts[1]).merge(parts[2])
    assert_values_close(merged.compute(), whole.compute(), **tol, what="merge")

    # An empty batch changes nothing (wrappers that count update calls
    # aside), and nested Python lists are read as arrays.
    if not isinstance(metric, _COUNTS_CALLS):
        empty = {k: np.asarray(v)[:0] for k, v in batches[0].items()}
        assert_states_equal(parts[0].update(**empty), parts[0], what="empty")
    lists = {k: np.asarray(v).tolist() for k, v in batches[0].items()}
    assert_values_close(
        metric.update(**lists).compute(), parts[0].compute(), **tol, what="lists"
    )

    # reset returns the init state, and init() has the updated shapes/dtypes.
    assert_same_structure(accumulated.reset(), metric.init())
    for x, y in zip(
        jax.tree.leaves(accumulated.reset()), jax.tree.leaves(metric), strict=True
    ):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
    assert_same_structure(metric.init(), accumulated)

    # jit equals eager, and a jitted step compiles once across batches.
    traces = []

    @jax.jit
    def step(m, b):
        traces.append(1)
        return m.update(**b)

    jitted = metric
    for b in batches:
        jitted = step(jitted, b)
    assert len(traces) == 1, "the jitted update retraced"
    assert_values_close(jitted.compute(), accumulated.compute(), **tol, what="jit")
    assert_values_close(
        jax.jit(lambda m: m.compute())(jitted),
        accumulated.compute(),
        **tol,
        what="jit compute",
    )

    # A valid pytree: flatten/unflatten round trip.
    leaves, treedef = jax.tree.flatten(accumulated)
    rebuilt = jax.tree.unflatten(treedef, leaves)
    assert type(rebuilt) is type(accumulated)
    assert_values_close(rebuilt.compute(), accumulated.compute(), **tol, what="tree")

    # vmap over states: two independent states updated in one call.
    stacked = jax.tree.map(lambda *x: jnp.stack(x), metric, metric)
    stacked_batch = jax.tree.map(lambda *x: np.stack(x), batches[0], batches[1])
    vmapped = jax.vmap(lambda m, b: m.update(**b))(stacked, stacked_batch)
    for i in range(2):
        one = jax.tree.map(lambda x, i=i: x[i], vmapped)
        assert_values_close(one.compute(), parts[i].compute(), **tol, what=f"vmap[{i}]")
    assert_values_close(
        vmapped.reduce_stacked().compute(),
        parts[0].merge(parts[1]).compute(),
        **tol,
        what="reduce_stacked",
    )

    # __call__: the batch's own value and the accumulated metric.
    value, called = parts[0](**batches[1])
    assert_values_close(value, parts[1].compute(), **tol, what="call value")
    assert_values_close(
        called.compute(), parts[0].merge(parts[1]).compute(), **tol, what="call acc"
    )
