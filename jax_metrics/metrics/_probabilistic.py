"""Keras probabilistic metrics (running means of loss kernels)."""

__all__: list[str] = []
