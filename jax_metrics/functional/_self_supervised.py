"""Metric-learning and self-supervised losses."""

__all__: list[str] = []
