"""Loss classes over optax kernels."""

__all__: list[str] = []
