"""Segmentation losses: Dice, Tversky."""

__all__: list[str] = []
