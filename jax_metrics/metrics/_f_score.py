"""Keras F1 and F-beta scores."""

__all__: list[str] = []
