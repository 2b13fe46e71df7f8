"""Shared test helpers: the metric contract, parity references, data."""
