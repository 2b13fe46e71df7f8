"""Task classification metrics (torchmetrics-style)."""

__all__: list[str] = []
