"""The shared metric contract, run over every registered case."""

import inspect

import pytest

import jax_metrics as jm
from tests._helpers.contract import all_cases, run_contract

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_contract(case):
    run_contract(case)


def _concrete_metrics():
    for name in jm.metrics.__all__:
        obj = getattr(jm.metrics, name)
        if inspect.isclass(obj) and issubclass(obj, jm.Metric) and obj is not jm.Metric:
            yield obj


def test_every_metric_is_registered():
    """Every public metric class appears in at least one contract case."""
    covered = {type(case.make()) for case in CASES}
    missing = sorted(m.__name__ for m in _concrete_metrics() if m not in covered)
    assert not missing, f"metrics without a contract case: {missing}"
