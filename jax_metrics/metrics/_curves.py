"""Task curve metrics (torchmetrics-style)."""

__all__: list[str] = []
