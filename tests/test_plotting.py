"""Plot helpers and MetricTracker.plot (Agg backend)."""

import sys

import jax.numpy as jnp
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import jax_metrics as jm
from jax_metrics import _plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_curve_lines_and_legend():
    fig = _plotting.plot_curve(
        np.array([[0.0, 0.5, 1.0], [0.0, 0.2, 1.0]]),
        np.array([[0.0, 0.9, 1.0], [0.0, 0.4, 1.0]]),
        label=["a", "b"],
        diagonal=True,
        title="ROC",
    )
    ax = fig.axes[0]
    assert len(ax.lines) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.0, 0.4, 1.0])
    with pytest.raises(ValueError, match="expected x and y of the same"):
        _plotting.plot_curve([0.0, 1.0], [0.0])


def test_plot_confusion_matrix_normalized_cells():
    fig = _plotting.plot_confusion_matrix(
        [[3, 1], [0, 0]], labels=["x", "y"], normalize=True
    )
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["0.75", "0.25", "0.00", "0.00"]
    stacked = _plotting.plot_confusion_matrix(np.ones((3, 2, 2)), labels="abc")
    assert [a.get_title() for a in stacked.axes[:3]] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="expected a square"):
        _plotting.plot_confusion_matrix(np.ones((2, 3)))


def test_plot_on_existing_axes():
    fig, ax = plt.subplots()
    assert _plotting.plot_history([1.0, 2.0], ax=ax) is fig


def test_tracker_plot_marks_best():
    tracker = jm.metrics.MetricTracker(jm.metrics.Accuracy(), capacity=5)
    for pred in ([1, 0], [1, 1], [0, 0]):
        tracker = tracker.update(jnp.array([1, 1]), jnp.array(pred)).increment()
    fig = tracker.plot()
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.5, 1.0, 0.0])
    np.testing.assert_allclose(ax.lines[1].get_xdata(), [1])
    assert ax.get_ylabel() == "accuracy"


def test_missing_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        _plotting.plot_history([1.0])
