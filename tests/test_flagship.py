"""The flagship example trains and reports its metrics (short run)."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_train_digits_runs(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "train_digits.py"),
            "--epochs",
            "2",
            "--output",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Summary after 2 epochs" in result.stdout
    assert "f1_macro" in result.stdout
    assert (tmp_path / "learning_curves.png").stat().st_size > 0
