"""Calibration and task hinge metrics."""

__all__: list[str] = []
