"""Curve statistics: ROC, precision-recall, binned and exact."""

__all__: list[str] = []
