"""Probabilistic losses: KL divergence, Poisson, NLL."""

__all__: list[str] = []
