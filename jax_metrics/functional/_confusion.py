"""Thresholded confusion statistics (one kernel family)."""

__all__: list[str] = []
