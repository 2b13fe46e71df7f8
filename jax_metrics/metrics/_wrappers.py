"""Metric wrappers and arithmetic."""

__all__: list[str] = []
