"""The runnable code blocks of the migration guide run as written.

Every block fenced exactly ```` ```python ```` in `docs/guides/jax_migration.md`
is executed in a fresh namespace. Blocks showing other libraries' code carry a
title on the fence line (```` ```python title="metrax" ````) and are skipped.
"""

from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guides" / "jax_migration.md"


def python_blocks(path):
    """`(line number, source)` of every block fenced exactly ```` ```python ````."""
    blocks, lines = [], path.read_text().splitlines()
    i = 0
    while i < len(lines):
        if lines[i] == "```python":
            start = i + 1
            end = start
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            blocks.append((start + 1, "\n".join(lines[start:end]) + "\n"))
            i = end
        i += 1
    return blocks


BLOCKS = python_blocks(GUIDE)


def test_guide_has_runnable_blocks():
    assert BLOCKS, f"no ```python blocks found in {GUIDE}"


@pytest.mark.parametrize(
    ("line", "source"),
    BLOCKS,
    ids=[
        f"{i}-{source.splitlines()[0] if source.strip() else 'empty'}"
        for i, (_, source) in enumerate(BLOCKS)
    ],
)
def test_guide_block_runs(line, source):
    code = compile(source, f"{GUIDE.name}:{line}", "exec")
    exec(code, {"__name__": f"guide_block_{line}"})
