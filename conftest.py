"""Doctest namespace: examples may use `jnp`, `np` and `jm` without imports."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace.update(jnp=jnp, np=np, jm=jm)
