"""Correlation statistics (streaming, mergeable)."""

__all__: list[str] = []
