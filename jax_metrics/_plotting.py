"""Matplotlib helpers behind the `plot()` methods of metrics.

Matplotlib is optional: it is imported when a plot is drawn, with a clear
error when it is missing. Each helper draws on `ax` when given (and returns
its figure), else on a new figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["plot_confusion_matrix", "plot_curve", "plot_history"]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "plotting needs matplotlib: install it with `pip install matplotlib`"
        ) from error
    return plt


def _axes(ax: Any) -> tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    figure, ax = _pyplot().subplots()
    return figure, ax


def plot_curve(
    x: Any,
    y: Any,
    *,
    xlabel: str = "",
    ylabel: str = "",
    label: str | Sequence[str] | None = None,
    score: float | None = None,
    diagonal: bool = False,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Draws one curve, or one per row of 2-D `x`/`y` (e.g. ROC or PR).

    Args:
        x: x coordinates, `(points,)` or `(curves, points)`.
        y: y coordinates, same shape as `x`.
        xlabel: x-axis label.
        ylabel: y-axis label.
        label: legend label (one per curve for 2-D inputs).
        score: a summary value (e.g. the AUC) shown in the legend.
        diagonal: also draw the chance line `y = x` (ROC curves).
        title: the axes title.
        ax: an existing matplotlib axes.

    Returns:
        The matplotlib figure.

    >>> fig = plot_curve([0.0, 0.5, 1.0], [0.0, 0.8, 1.0], xlabel="FPR",
    ...                  ylabel="TPR", score=0.9, diagonal=True)
    >>> fig.axes[0].get_xlabel(), len(fig.axes[0].lines)
    ('FPR', 2)
    """
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    if x.shape != y.shape or x.ndim not in (1, 2):
        raise ValueError(
            "expected x and y of the same 1-D or 2-D shape, received "
            f"{x.shape} and {y.shape}"
        )
    figure, ax = _axes(ax)
    xs, ys = np.atleast_2d(x), np.atleast_2d(y)
    labels = [label] if isinstance(label, str) or label is None else list(label)
    if len(labels) != len(xs):
        labels = [None] * len(xs) if label is None else labels[:1] * len(xs)
    for i, (cx, cy) in enumerate(zip(xs, ys, strict=True)):
        text = labels[i]
        if score is not None and i == 0:
            text = f"{text or ''} ({np.asarray(score).item():.4f})".strip()
        ax.plot(cx, cy, label=text)
    if diagonal:
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if any(
        line.get_label() and not line.get_label().startswith("_") for line in ax.lines
    ):
        ax.legend()
    return figure


def plot_confusion_matrix(
    matrix: Any,
    *,
    labels: Sequence[str] | None = None,
    normalize: bool = False,
    annotate: bool = True,
    cmap: str = "Blues",
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Draws a confusion matrix (rows: true class, columns: predicted class).

    Multilabel `(labels, 2, 2)` stacks are drawn side by side.

    Args:
        matrix: a `(classes, classes)` or `(labels, 2, 2)` array.
        labels: class names.
        normalize: divide each row by its total (rows of zeros stay zero).
        annotate: write the value in each cell.
        cmap: a matplotlib colour map name.
        title: the figure title.
        ax: an existing matplotlib axes (2-D matrices only).

    Returns:
        The matplotlib figure.

    >>> fig = plot_confusion_matrix([[5, 1], [2, 7]], labels=["cat", "dog"])
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['cat', 'dog']
    """
    matrix = np.asarray(matrix, np.float64)
    if matrix.ndim == 3:
        plt = _pyplot()
        figure, axes = plt.subplots(1, len(matrix), squeeze=False)
        for i, (sub, sub_ax) in enumerate(zip(matrix, axes[0], strict=True)):
            plot_confusion_matrix(
                sub, normalize=normalize, annotate=annotate, cmap=cmap, ax=sub_ax
            )
            sub_ax.set_title(str(labels[i]) if labels is not None else str(i))
        if title:
            figure.suptitle(title)
        return figure
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(
            "expected a square (classes, classes) or a (labels, 2, 2) matrix, "
            f"received shape {matrix.shape}"
        )
    if normalize:
        totals = matrix.sum(axis=1, keepdims=True)
        matrix = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
    figure, ax = _axes(ax)
    image = ax.imshow(matrix, cmap=cmap)
    figure.colorbar(image, ax=ax)
    ticks = np.arange(matrix.shape[0])
    names = [str(x) for x in (labels if labels is not None else ticks)]
    ax.set_xticks(ticks, names)
    ax.set_yticks(ticks, names)
    ax.set_xlabel("Predicted")
    ax.set_ylabel("True")
    if annotate:
        threshold = (matrix.max() + matrix.min()) / 2
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                value = matrix[i, j]
                text = f"{value:.2f}" if normalize else f"{value:g}"
                color = "white" if value > threshold else "black"
                ax.text(j, i, text, ha="center", va="center", color=color)
    if title:
        ax.set_title(title)
    return figure


def plot_history(
    values: Any,
    *,
    name: str = "",
    best: tuple[Any, Any] | None = None,
    ax: Any = None,
) -> Any:
    """Draws values per epoch (a `MetricTracker` history).

    Args:
        values: `(epochs,)`, `(epochs, k)` (one line per column), or a dict of
            such arrays (one line per key).
        name: the y-axis label.
        best: `(step, value)` of the best epoch, marked with a star.
        ax: an existing matplotlib axes.

    Returns:
        The matplotlib figure.

    >>> fig = plot_history([0.5, 0.7, 0.6], name="accuracy", best=(1, 0.7))
    >>> fig.axes[0].get_ylabel(), len(fig.axes[0].lines)
    ('accuracy', 2)
    """
    figure, ax = _axes(ax)
    series = values.items() if isinstance(values, Mapping) else [(None, values)]
    for key, value in series:
        value = np.asarray(value, np.float64)
        value = value.reshape(len(value), -1)
        for column in range(value.shape[1]):
            parts = [p for p in (key, str(column) if value.shape[1] > 1 else None) if p]
            ax.plot(
                np.arange(len(value)),
                value[:, column],
                marker="o",
                label="/".join(parts) or None,
            )
    if best is not None:
        step, score = (np.ravel(np.asarray(x)) for x in best)
        ax.plot(step, score, linestyle="none", marker="*", markersize=12, label="best")
    ax.set_xlabel("epoch")
    ax.set_ylabel(name)
    if any(not line.get_label().startswith("_") for line in ax.lines):
        ax.legend()
    return figure
