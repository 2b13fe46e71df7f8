"""Ranking losses."""

__all__: list[str] = []
