"""Checked mode: value problems that the default policy ignores raise instead.

By default, problems that only the data reveals (a label outside
`[0, num_classes)`, a NaN score, a target that is not 0/1 for a binary
metric) follow each metric's documented policy, because nothing can raise
inside `jax.jit`: the entry is ignored, or the value propagates. Checked mode
turns them into errors with `jax.experimental.checkify`:

* `checked(fn)` compiles `fn` with every value check switched on and raises
  the first failed check after the call, as a `CheckError` (a `ValueError`);
* inside `with checking():`, an eager metric update (outside any trace)
  raises directly; a function traced under it must be functionalized with
  `checkify.checkify` (as `checked` does).

Every metric update in checked mode also checks that the update turned no
state entry into NaN. Programs traced outside checked mode are unchanged: the
checks cost nothing unless switched on.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.numpy as jnp
from jax import Array
from jax.experimental import checkify

__all__ = ["CheckError", "checked", "checking"]

_ENABLED = contextvars.ContextVar("jax_metrics_checking", default=False)
_SCOPE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "jax_metrics_check_scope", default=None
)


class CheckError(ValueError):
    """A value check failed in checked mode (`checked`, `checking`).

    >>> issubclass(jm.CheckError, ValueError)
    True
    """


CheckError.__module__ = "jax_metrics"  # as raised and documented
__test__ = {"CheckError": CheckError.__doc__}  # doctest skips the renamed class


def enabled() -> bool:
    """Whether value checks are traced into metric updates right now."""
    return _ENABLED.get()


@contextlib.contextmanager
def checking() -> Iterator[None]:
    """Switches value checks on while the block runs (and traces).

    Eager metric updates in the block raise on a failed check. Functions
    traced in the block must be wrapped in `checkify.checkify`; `checked`
    does both.

    >>> m = jm.metrics.MulticlassAccuracy(num_classes=3)
    >>> with jm.checking():
    ...     m.update(jnp.array([0, 5]), jnp.array([0, 1]))
    Traceback (most recent call last):
    ...
    jax_metrics.CheckError: multiclass_accuracy: 1 target(s) outside [0, 3)
    """
    token = _ENABLED.set(True)
    try:
        yield
    finally:
        _ENABLED.reset(token)


def checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` compiled with value checks on; a failed check raises `CheckError`.

    Pass the plain (un-jitted) function: `checked` traces and compiles it
    itself, so its checks cannot come from a cache traced without them.
    Arguments must be arrays or pytrees of arrays (metrics included).

    >>> @jm.checked
    ... def evaluate(m, y_true, y_pred):
    ...     return m.update(y_true, y_pred)
    >>> m = jm.metrics.BinaryRecall()
    >>> float(evaluate(m, jnp.array([0, 1]), jnp.array([0.2, 0.7])).compute())
    1.0
    >>> evaluate(m, jnp.array([0, 2]), jnp.array([0.2, 0.7]))
    Traceback (most recent call last):
    ...
    jax_metrics.CheckError: binary_recall: 1 target(s) not 0 or 1
    """
    return functools.wraps(fn)(compile_checked(fn))


def compile_checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` traced in checked mode, checkified and jitted; raises on failure."""

    def traced(*args, **kwargs):
        with checking():
            return fn(*args, **kwargs)

    compiled = jax.jit(checkify.checkify(traced, errors=checkify.user_checks))

    def run(*args, **kwargs):
        error, out = compiled(*args, **kwargs)
        message = error.get()
        if message is not None:
            raise CheckError(message.removesuffix(" (`check` failed)"))
        return out

    return run


@contextlib.contextmanager
def metric_scope(name: str) -> Iterator[None]:
    """Names the metric (or loss) being traced, for check messages."""
    token = _SCOPE.set(name)
    try:
        yield
    finally:
        _SCOPE.reset(token)


def value_check(ok: Array, message: str) -> None:
    """In checked mode, fails when any entry of `ok` is False.

    `message` may use `{count}`, the number of failing entries; the metric
    being updated prefixes it. Outside checked mode nothing is traced.
    """
    if not enabled():
        return
    ok = jnp.asarray(ok)
    checkify.check(jnp.all(ok), _prefixed(message), count=jnp.sum(~ok))


def check_targets(ok: Array, what: str) -> None:
    """`value_check` of target values: "{count} target(s) <what>"."""
    value_check(ok, "{count} target(s) " + _escape(what))


def check_scores(scores: Array, axis: int | None = None) -> None:
    """`value_check` that no score is NaN (per row of `axis` when given)."""
    if not enabled():
        return
    if axis is None:
        value_check(~jnp.isnan(scores), "{count} NaN prediction(s)")
    else:
        check_nan_rows(jnp.any(jnp.isnan(scores), axis=axis))


def check_probabilities(scores: Array) -> None:
    """`value_check` that scores are probabilities, in `[0, 1]` (NaN aside).

    For the task metrics given `from_logits=False`: torchmetrics takes
    scores outside `[0, 1]` as logits, jax_metrics never guesses, so they are
    reported here.
    """
    if not enabled():
        return
    inside = jnp.isnan(scores) | ((scores >= 0) & (scores <= 1))
    value_check(
        inside, "{count} prediction(s) outside [0, 1]; logits need from_logits=True"
    )


def check_nan_rows(has_nan: Array) -> None:
    """`value_check` of rows already flagged as holding a NaN score."""
    value_check(~has_nan, "{count} prediction(s) with NaN scores")


def state_check(before: Any, after: Any) -> None:
    """In checked mode, fails when an update turned a state entry into NaN."""
    if not enabled():
        return
    old, old_tree = jax.tree.flatten(before)
    new, new_tree = jax.tree.flatten(after)
    if old_tree != new_tree:
        return
    counts = [
        jnp.sum(jnp.isnan(b) & ~jnp.isnan(a))
        for a, b in zip(old, new, strict=True)
        if jnp.issubdtype(jnp.result_type(b), jnp.inexact)
        and jnp.shape(a) == jnp.shape(b)
    ]
    if counts:
        count = functools.reduce(jnp.add, counts)
        checkify.check(
            count == 0,
            _prefixed(
                "the update turned {count} state entries into NaN "
                "(NaN or infinite inputs?)"
            ),
            count=count,
        )


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _prefixed(message: str) -> str:
    name = _SCOPE.get()
    return message if name is None else f"{_escape(name)}: {message}"
