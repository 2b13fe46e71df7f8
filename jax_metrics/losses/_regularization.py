"""Weight regularisers."""

__all__: list[str] = []
