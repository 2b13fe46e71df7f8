"""Regression metric statistics and values."""

__all__: list[str] = []
