"""Every public name has a docs entry and a `>>>` example.

Public names: `jax_metrics.__all__` (sub-packages aside),
`jax_metrics.metrics.__all__`, `jax_metrics.losses.__all__`,
`jax_metrics.functional.__all__` and the public modules `jax_metrics.nnx` and
`jax_metrics.logging`. A name is documented when a page under `docs/` has a
mkdocstrings entry (`::: dotted.path`) resolving to the same object, or an
entry for a module that lists it (its `members:` option, else its `__all__`).
Classes and functions need a `>>>` example in their own docstring (not one
inherited from a base class); constants need only the entry.
"""

import importlib
import inspect
import re
import types
from pathlib import Path

import pytest
import yaml

DOCS = Path(__file__).resolve().parents[1] / "docs"
ENTRY = re.compile(r"^:::\s+([\w.]+)\s*$")
PUBLIC_MODULES = (
    "jax_metrics",
    "jax_metrics.metrics",
    "jax_metrics.losses",
    "jax_metrics.functional",
    "jax_metrics.nnx",
    "jax_metrics.logging",
)


def resolve(path):
    """Imports the longest module prefix of `path`, then follows attributes."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(path)


def docs_entries():
    """`(page, path, options)` for every `::: path` entry under docs/."""
    entries = []
    for page in sorted(DOCS.rglob("*.md")):
        lines = page.read_text().splitlines()
        for i, line in enumerate(lines):
            match = ENTRY.match(line)
            if not match:
                continue
            block = []
            for follow in lines[i + 1 :]:
                if follow.strip() and not follow.startswith(" "):
                    break
                block.append(follow)
            options = yaml.safe_load("\n".join(block)) or {}
            entries.append((page.relative_to(DOCS), match.group(1), options))
    return entries


def public_names():
    """`{qualified name: object}` for every public name."""
    names = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not isinstance(obj, types.ModuleType):
                names[f"{module_name}.{name}"] = obj
    return names


def documented_ids():
    ids = set()
    for _page, path, options in docs_entries():
        try:
            obj = resolve(path)
        except (ImportError, AttributeError):
            continue  # reported by test_every_entry_resolves
        ids.add(id(obj))
        if isinstance(obj, types.ModuleType):
            members = (options.get("options") or {}).get("members")
            if members is None or members is True:
                members = getattr(obj, "__all__", [])
            elif members is False:
                members = []
            ids.update(id(getattr(obj, m)) for m in members if hasattr(obj, m))
    return ids


def test_every_entry_resolves():
    broken = []
    for page, path, _ in docs_entries():
        try:
            resolve(path)
        except (ImportError, AttributeError) as error:
            broken.append(f"{page}: ::: {path} ({type(error).__name__}: {error})")
    assert not broken, "docs entries that do not resolve:\n" + "\n".join(broken)


def test_every_public_name_has_a_docs_entry():
    ids = documented_ids()
    seen, missing = set(), []
    for qualified, obj in public_names().items():
        if id(obj) in ids or id(obj) in seen:
            continue
        seen.add(id(obj))
        missing.append(qualified)
    assert not missing, (
        f"{len(missing)} public names without a `::: ...` docs entry:\n"
        + "\n".join(sorted(missing))
    )


def test_every_public_name_has_an_example():
    missing, seen = [], set()
    for qualified, obj in public_names().items():
        if id(obj) in seen or not (inspect.isclass(obj) or callable(obj)):
            continue
        seen.add(id(obj))
        if ">>>" not in (getattr(obj, "__doc__", None) or ""):
            missing.append(qualified)
    assert not missing, (
        f"{len(missing)} public classes/functions without a `>>>` example in "
        "their own docstring:\n" + "\n".join(sorted(missing))
    )


def test_nav_pages_exist():
    config = yaml.safe_load((DOCS.parent / "mkdocs.yml").read_text())

    def pages(nav):
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from pages(value)
            else:
                yield value

    missing = [p for p in pages(config["nav"]) if not (DOCS / p).exists()]
    assert not missing, f"nav pages that do not exist: {missing}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (">>> 1 + 1\n2\n\nAfter.", "```pycon\n>>> 1 + 1\n2\n```\n\nAfter."),
        ("```python\n>>> x\n```", "```python\n>>> x\n```"),
    ],
)
def test_doctest_fencing_extension(text, expected):
    import sys

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        from doctest_blocks import fence_doctests
    finally:
        sys.path.pop(0)
    assert fence_doctests(text) == expected


def test_keras_guide_identifier_columns_match_the_registry():
    # The Keras migration guide lists, per class, every other string that
    # `jm.get` resolves to it; the tables drift when an alias is added.
    from jax_metrics import _registry

    text = (DOCS / "guides" / "keras_migration.md").read_text()
    rows = 0
    for kind, module in (("metric", "metrics"), ("loss", "losses")):
        row = re.compile(
            rf"^\| `keras\.{module}\.\w+` \| `jm\.{module}\.(\w+)` \| (.*) \|$", re.M
        )
        for match in row.finditer(text):
            rows += 1
            name, listed = match.group(1), set(re.findall(r"`([^`]+)`", match[2]))
            claimed = {
                ident
                for ident, cls in _registry._catalog(kind).items()
                if cls.__name__ == name and ident != name
            }
            assert listed == claimed, (kind, name)
    assert rows > 60
