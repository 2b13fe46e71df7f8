"""Log writers: metric values to TensorBoard, CSV and JSON-lines files.

Each writer takes a step and either a metric (anything with
`compute_logs(prefix)`: metrics, collections, the NNX adapter) or a dict of
numbers, and writes plain Python floats. TensorBoard support needs
tensorboardX (`pip install tensorboardX`), imported only when a
`TensorBoardWriter` is created.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Self

from jax_metrics.metrics._base import _to_logs

__all__ = [
    "CSVWriter",
    "JSONLinesWriter",
    "LogWriter",
    "MultiWriter",
    "TensorBoardWriter",
    "to_logs",
]


def to_logs(values: Any, prefix: str = "") -> dict[str, float]:
    """Plain `{name: float}` logs from a metric or a dict of values.

    Metrics (and collections) give `values.compute_logs(prefix)`; dict values
    that are arrays give one entry per element (`name/i`), nested dicts give
    `name/key`.

    Args:
        values: a metric, or a dict of numbers, arrays or dicts.
        prefix: prepended to every name (e.g. `"val/"`).

    >>> import jax_metrics as jm
    >>> to_logs({"loss": jnp.array(0.25), "acc": 1}, prefix="train/")
    {'train/loss': 0.25, 'train/acc': 1.0}
    >>> to_logs(jm.metrics.Mean().update(jnp.array([1.0, 2.0])))
    {'mean': 1.5}
    """
    if hasattr(values, "compute_logs"):
        return values.compute_logs(prefix)
    if not isinstance(values, Mapping):
        raise TypeError(
            "expected a metric or a dict of values to log, received "
            f"{type(values).__name__}"
        )
    logs: dict[str, float] = {}
    for key, value in values.items():
        logs.update(_to_logs(f"{prefix}{key}", value))
    return logs


class LogWriter:
    """Base of the writers: `write(values, step)`, `close()`, a context manager.

    Subclasses implement `_write(logs, step)` for plain float logs.

    >>> class PrintWriter(LogWriter):
    ...     def _write(self, logs, step):
    ...         print(step, logs)
    >>> _ = PrintWriter().write({"loss": jnp.array(0.5)}, step=2, prefix="val/")
    2 {'val/loss': 0.5}
    """

    def write(self, values: Any, step: int, prefix: str = "") -> dict[str, float]:
        """Writes a metric's (or a dict's) values at `step`; returns the logs.

        Args:
            values: a metric, collection or dict of values (see `to_logs`).
            step: the global step (or epoch).
            prefix: prepended to every name.
        """
        logs = to_logs(values, prefix)
        self._write(logs, int(step))
        return logs

    def _write(self, logs: dict[str, float], step: int) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        """Flushes pending writes to disk."""

    def close(self) -> None:
        """Flushes and closes the writer."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class TensorBoardWriter(LogWriter):
    """Writes each value as a TensorBoard scalar (tensorboardX event files).

    Args:
        logdir: the run's directory (created if needed).
        **kwargs: passed to `tensorboardX.SummaryWriter`.

    >>> import tempfile, jax_metrics as jm
    >>> with TensorBoardWriter(tempfile.mkdtemp()) as writer:
    ...     writer.write({"loss": 0.5}, step=1, prefix="train/")
    {'train/loss': 0.5}
    """

    def __init__(self, logdir: str | os.PathLike, **kwargs: Any):
        try:
            from tensorboardX import SummaryWriter
        except ImportError as error:
            raise ImportError(
                "TensorBoardWriter needs tensorboardX: install it with "
                "`pip install tensorboardX`"
            ) from error
        self.logdir = os.fspath(logdir)
        self._writer = SummaryWriter(self.logdir, **kwargs)

    def _write(self, logs: dict[str, float], step: int) -> None:
        for name, value in logs.items():
            self._writer.add_scalar(name, value, global_step=step)

    def flush(self) -> None:
        """Flushes the event file."""
        self._writer.flush()

    def close(self) -> None:
        """Closes the event file."""
        self._writer.close()


class CSVWriter(LogWriter):
    """Writes one CSV row per `write`: a `step` column, then one per name.

    The columns are those of the first write (or of an existing file when
    appending); a later name that is not a column raises ValueError, and a
    missing one leaves its cell empty.

    Args:
        path: the CSV file.
        append: append to an existing file instead of overwriting it.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> with CSVWriter(path) as writer:
    ...     _ = writer.write({"loss": 0.5, "acc": 0.75}, step=1)
    >>> open(path).read().splitlines()
    ['step,loss,acc', '1,0.5,0.75']
    """

    def __init__(self, path: str | os.PathLike, *, append: bool = False):
        self.path = os.fspath(path)
        self.columns: list[str] | None = None
        if append and os.path.exists(self.path) and os.path.getsize(self.path) > 0:
            with open(self.path, newline="") as file:
                self.columns = next(csv.reader(file))[1:]
        self._file = open(self.path, "a" if append else "w", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._file)

    def _write(self, logs: dict[str, float], step: int) -> None:
        if self.columns is None:
            self.columns = list(logs)
            self._csv.writerow(["step", *self.columns])
        extra = [name for name in logs if name not in self.columns]
        if extra:
            raise ValueError(
                f"expected the CSV columns {self.columns}, received new names "
                f"{extra}: write them to another file or log them from the start"
            )
        self._csv.writerow([step, *(logs.get(name, "") for name in self.columns)])
        self._file.flush()

    def close(self) -> None:
        """Closes the file."""
        self._file.close()


class JSONLinesWriter(LogWriter):
    """Writes one JSON object per line: `{"step": step, name: value, ...}`.

    Args:
        path: the `.jsonl` file.
        append: append to an existing file instead of overwriting it.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "log.jsonl")
    >>> with JSONLinesWriter(path) as writer:
    ...     _ = writer.write({"loss": 0.5}, step=3, prefix="val/")
    >>> open(path).read().splitlines()
    ['{"step": 3, "val/loss": 0.5}']
    """

    def __init__(self, path: str | os.PathLike, *, append: bool = False):
        self.path = os.fspath(path)
        self._file = open(self.path, "a" if append else "w")  # noqa: SIM115

    def _write(self, logs: dict[str, float], step: int) -> None:
        self._file.write(json.dumps({"step": step, **logs}) + "\n")
        self._file.flush()

    def close(self) -> None:
        """Closes the file."""
        self._file.close()


class MultiWriter(LogWriter):
    """Sends every write to several writers.

    Args:
        writers: the writers.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> writer = MultiWriter([CSVWriter(os.path.join(folder, "log.csv")),
    ...                       JSONLinesWriter(os.path.join(folder, "log.jsonl"))])
    >>> writer.write({"loss": 0.5}, step=0)
    {'loss': 0.5}
    >>> writer.close()
    """

    def __init__(self, writers: Iterable[LogWriter]):
        self.writers = list(writers)

    def _write(self, logs: dict[str, float], step: int) -> None:
        for writer in self.writers:
            writer._write(logs, step)

    def flush(self) -> None:
        """Flushes every writer."""
        for writer in self.writers:
            writer.flush()

    def close(self) -> None:
        """Closes every writer."""
        for writer in self.writers:
            writer.close()
