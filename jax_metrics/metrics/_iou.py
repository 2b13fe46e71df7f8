"""Keras IoU metrics."""

__all__: list[str] = []
