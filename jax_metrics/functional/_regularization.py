"""Weight regularisers over parameter pytrees."""

__all__: list[str] = []
