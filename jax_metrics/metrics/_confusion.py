"""Keras confusion metrics: counts, precision/recall, AUC, at-X."""

__all__: list[str] = []
