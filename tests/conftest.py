"""Test session set-up: strict JAX and the Keras JAX backend."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax

jax.config.update("jax_numpy_rank_promotion", "raise")
