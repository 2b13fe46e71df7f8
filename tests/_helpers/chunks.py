"""Whether a metric update runs over row chunks (`jax_metrics._chunking`)."""

import jax


def uses_row_chunks(metric, *args) -> bool:
    """True when `metric.update(*args)` traces to a loop (the chunked update)."""
    jaxpr = str(jax.make_jaxpr(lambda m, *a: m.update(*a))(metric, *args))
    return "scan[" in jaxpr or "while[" in jaxpr


def assert_chunked_on_cpu(metric, *args) -> None:
    """On the CPU backend, `metric.update(*args)` must run over row chunks."""
    if jax.default_backend() == "cpu":
        assert uses_row_chunks(metric, *args)
