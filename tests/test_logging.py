"""Log writers: files written and read back."""

import csv
import json
import struct
import sys
from pathlib import Path

import jax.numpy as jnp
import pytest

import jax_metrics as jm
from jax_metrics import logging as jm_logging


def _read_events(folder: Path) -> list[tuple[str, int, float]]:
    """Scalars from tensorboardX event files (TFRecord framing, Event protos)."""
    from tensorboardX.proto import event_pb2

    scalars = []
    for path in sorted(folder.glob("events.out.tfevents.*")):
        data = path.read_bytes()
        offset = 0
        while offset < len(data):
            (length,) = struct.unpack("<Q", data[offset : offset + 8])
            record = data[offset + 12 : offset + 12 + length]
            offset += 12 + length + 4
            event = event_pb2.Event.FromString(record)
            for value in event.summary.value:
                scalars.append((value.tag, event.step, value.simple_value))
    return scalars


def _metric(values):
    return jm.metrics.Mean(name="loss").update(jnp.asarray(values))


def test_to_logs():
    logs = jm_logging.to_logs(
        {"a": jnp.array([1.0, 2.0]), "b": {"c": 3}}, prefix="val/"
    )
    assert logs == {"val/a/0": 1.0, "val/a/1": 2.0, "val/b/c": 3.0}
    assert all(type(v) is float for v in logs.values())
    with pytest.raises(TypeError, match="expected a metric or a dict"):
        jm_logging.to_logs([1.0])


def test_tensorboard_round_trip(tmp_path):
    pytest.importorskip("tensorboardX")
    with jm_logging.TensorBoardWriter(tmp_path) as writer:
        writer.write(_metric([1.0, 2.0]), step=1, prefix="train/")
        writer.write({"accuracy": 0.75}, step=2, prefix="val/")
    scalars = _read_events(tmp_path)
    assert ("train/loss", 1, 1.5) in scalars
    assert ("val/accuracy", 2, 0.75) in scalars


def test_tensorboard_missing(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match="pip install tensorboardX"):
        jm_logging.TensorBoardWriter(tmp_path)


def test_csv_round_trip_and_append(tmp_path):
    path = tmp_path / "log.csv"
    with jm_logging.CSVWriter(path) as writer:
        writer.write({"loss": 0.5, "acc": 0.25}, step=0)
        writer.write({"loss": 0.125}, step=1)
        with pytest.raises(ValueError, match="expected the CSV columns"):
            writer.write({"new": 1.0}, step=2)
    with jm_logging.CSVWriter(path, append=True) as writer:
        writer.write(_metric([3.0]), step=2)
        writer.write({"acc": 1.0, "loss": 2.0}, step=3)
    rows = list(csv.DictReader(path.open()))
    assert rows == [
        {"step": "0", "loss": "0.5", "acc": "0.25"},
        {"step": "1", "loss": "0.125", "acc": ""},
        {"step": "2", "loss": "3.0", "acc": ""},
        {"step": "3", "loss": "2.0", "acc": "1.0"},
    ]


def test_jsonl_and_multi_writer(tmp_path):
    writers = [
        jm_logging.JSONLinesWriter(tmp_path / "log.jsonl"),
        jm_logging.CSVWriter(tmp_path / "log.csv"),
    ]
    with jm_logging.MultiWriter(writers) as writer:
        logs = writer.write(_metric([1.0, 3.0]), step=5, prefix="val/")
        writer.flush()
    assert logs == {"val/loss": 2.0}
    lines = (tmp_path / "log.jsonl").read_text().splitlines()
    assert [json.loads(x) for x in lines] == [{"step": 5, "val/loss": 2.0}]
    assert (tmp_path / "log.csv").read_text().splitlines() == ["step,val/loss", "5,2.0"]
