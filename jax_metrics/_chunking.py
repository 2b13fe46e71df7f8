"""Large-batch updates of row-additive metrics, run over row chunks on the CPU.

A threshold-histogram update (`threshold_confusion_counts`: Keras' confusion
and curve metrics, the binned task curves) materialises one bucket index per
entry before its scatter-add; the F-scores, `Accuracy`, `BinaryAccuracy`,
`KLDivergence` and `LogCoshError` write similar per-entry temporaries. On
XLA:CPU a temporary buffer above glibc's mmap threshold (32 MiB) is mapped
afresh on every call, and first-touch page faults then cost more than the scatter
itself: 10^7 entries took about 25 ms where 7 ms is the work. Above
`_CHUNK_ENTRIES` entries, `in_row_chunks` therefore runs the update over
chunks of rows in a `fori_loop`, so the per-entry temporaries are small,
reused on every pass and held in cache. The statistics of these metrics add
over rows (the contract's batch-split invariance), so the result is the same.
Other backends (GPU and TPU allocate from a pool) and small batches take the
update as is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import jax
from jax import lax

__all__ = ["in_row_chunks", "tracing_chunks"]

M = TypeVar("M")

# Entries (elements of the largest input) per chunk: 2 MiB of int32 bucket
# ids, so each half of them (see `_confusion_counts._histogram`) stays in a
# core's L2 cache between the fusion that writes it and the scatter that
# reads it. On a 2-core Xeon with 2 MiB of L2 per core, 2^20 and 2^21
# measured 2-3x slower and 2^18 about 15% slower (each pass also folds its
# counts into the state).
_CHUNK_ENTRIES = 1 << 19


_tracing = [0]


def tracing_chunks() -> bool:
    """True while `in_row_chunks` traces a chunk's update.

    The histogram kernels then use one plain scatter: their large-batch
    tricks (paired ids, split scatters) are slower inside the loop.
    """
    return _tracing[0] > 0


def _chunk_rows(arrays: tuple[Any, ...]) -> tuple[int, int] | None:
    """`(rows, rows_per_chunk)` when chunking pays, else None."""
    if jax.default_backend() != "cpu":
        return None
    shaped = [a for a in arrays if a is not None and hasattr(a, "shape")]
    if len(shaped) < 2 or any(a.ndim == 0 for a in shaped[:2]):
        return None
    rows = shaped[1].shape[0]
    if shaped[0].shape[0] != rows:
        return None  # the update itself reports the mismatch
    entries = max(a.size for a in shaped)
    per_row = max(entries // max(rows, 1), 1)
    chunk = max(_CHUNK_ENTRIES // per_row, 1)
    if rows <= chunk:
        return None
    return rows, chunk


def in_row_chunks(update: Callable[..., M], metric: M, *arrays: Any) -> M:
    """`update(metric, *arrays)`, over chunks of rows for large CPU batches.

    `arrays` are the update's inputs (`y_true`, `y_pred`, then optional ones
    such as `sample_weight`, which may be None). Every array whose leading
    axis has the batch's length is cut into chunks; others (a broadcast
    weight) go whole to every chunk. The first chunk runs before the loop, so
    a state sized by its first update has its final shape in the loop.
    """
    plan = _chunk_rows(arrays)
    if plan is None:
        return update(metric, *arrays)
    rows, chunk = plan

    def cut(start, size, dynamic=False):
        out = []
        for a in arrays:
            if a is None or getattr(a, "ndim", 0) == 0 or a.shape[0] != rows:
                out.append(a)
            elif dynamic:
                out.append(lax.dynamic_slice_in_dim(a, start, size))
            else:
                out.append(a[start : start + size])
        return out

    full = rows // chunk
    _tracing[0] += 1
    try:
        metric = update(metric, *cut(0, chunk))

        def body(index, current):
            return update(current, *cut(index * chunk, chunk, dynamic=True))

        metric = lax.fori_loop(1, full, body, metric)
        if full * chunk < rows:
            metric = update(metric, *cut(full * chunk, rows - full * chunk))
    finally:
        _tracing[0] -= 1
    return metric
