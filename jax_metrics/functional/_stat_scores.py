"""Task classification statistics (Binary/Multiclass/Multilabel)."""

__all__: list[str] = []
