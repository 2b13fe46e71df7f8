"""Intersection-over-union statistics."""

__all__: list[str] = []
