"""The examples run end to end (as subprocesses, with few epochs/steps)."""

import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_example(name, *args):
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_train_linen():
    out = run_example("train_linen.py", "--epochs", "1")
    assert "epoch  1" in out
    assert "best val accuracy" in out


def test_eval_loop():
    out = run_example("eval_loop.py", "--steps", "20")
    assert "accuracy" in out
    assert "95% bootstrap interval" in out


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_log_metrics(tmp_path):
    out = run_example("log_metrics.py", "--epochs", "2", "--logdir", str(tmp_path))
    assert "logs written to" in out
    rows = list(csv.DictReader((tmp_path / "metrics.csv").open()))
    assert [r["step"] for r in rows] == ["1", "2"]
    assert {"train/loss", "val/accuracy"} <= set(rows[0])
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    assert json.loads(lines[-1])["step"] == 2
    if importlib.util.find_spec("tensorboardX") is not None:
        assert list((tmp_path / "tensorboard").glob("events.out.tfevents.*"))
