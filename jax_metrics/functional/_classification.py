"""Classification losses: cross-entropies, focal, hinge."""

__all__: list[str] = []
