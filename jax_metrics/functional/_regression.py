"""Regression losses (Keras kernels)."""

__all__: list[str] = []
