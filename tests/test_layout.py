"""The package's layout: one subpackage per stage, no upward import, every public name imports."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import corpuslib

PKG = Path(corpuslib.__file__).parent
#: Stages from the bottom up; a module may import its own stage and those before it.
ORDER = list(corpuslib.STAGES)


def _stage_imports():
    """Yield (module path, its stage, imported stage) for every import inside the package."""
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG)
        if len(rel.parts) < 2:
            continue  # corpuslib/__init__.py and __main__.py sit above every stage
        stage = rel.parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    parts = (node.module or "").split(".")
                    target = parts[1] if parts[0] == "corpuslib" and len(parts) > 1 else None
                    if parts == ["corpuslib"]:
                        target = "corpuslib"
                else:
                    # resolve the relative import against the module's package (stages may hold
                    # subpackages: corpuslib/text/dates/extract.py)
                    package = list(rel.parts[:-1])
                    base = package[:len(package) - (node.level - 1)]
                    full = base + [p for p in (node.module or "").split(".") if p]
                    target = full[0] if full else "corpuslib"
                if target == "corpuslib" and [a.name for a in node.names] == ["__version__"]:
                    continue  # the version string is not a stage
                if target:
                    yield rel.as_posix(), stage, target
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "corpuslib":
                        yield rel.as_posix(), stage, parts[1] if len(parts) > 1 else "corpuslib"


def test_every_module_lives_in_a_stage():
    flat = sorted(p.name for p in PKG.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py"]
    assert sorted(p.name for p in PKG.iterdir() if p.is_dir() and not p.name.startswith("_")) == sorted(ORDER)


def test_no_upward_import():
    upward = [(mod, target) for mod, stage, target in _stage_imports()
              if target == "corpuslib" or ORDER.index(target) > ORDER.index(stage)]
    assert upward == []


def test_the_graph_check_sees_imports():
    # the check above can fail: the run stage does import the documents stage
    found = {(stage, target) for _, stage, target in _stage_imports()}
    assert ("run", "documents") in found and ("documents", "core") in found


def test_every_public_name_imports():
    for name in dir(corpuslib):
        assert getattr(corpuslib, name) is not None, name
    for name in corpuslib.API:
        obj = getattr(corpuslib, name)
        assert obj.__doc__ and obj.__doc__.strip().splitlines()[0], f"{name} has no docstring"


@pytest.mark.parametrize("module", sorted(m.name for m in pkgutil.walk_packages(corpuslib.__path__, "corpuslib.")
                                           if not m.name.endswith("__main__")))
def test_every_module_imports_and_lists_what_it_has(module):
    mod = importlib.import_module(module)
    assert mod.__doc__, f"{module} has no docstring"
    for name in dir(mod):
        getattr(mod, name)


def test_shipped_data_sits_beside_its_stage():
    from corpuslib.core.paths import shipped_data_files

    files = shipped_data_files()
    assert files and all(f.parent.name == "data" and f.parent.parent.name in ORDER for f in files)
    assert not (PKG / "data").exists()


def test_help_names_every_stage():
    doc = corpuslib.__doc__
    for stage in ORDER:
        assert f"\n    {stage}" in doc


@pytest.mark.parametrize("name", sorted(corpuslib.API))
def test_public_api_docstrings_are_numpydoc(name):
    import inspect

    obj = getattr(corpuslib, name)
    doc = inspect.getdoc(obj)
    lines = doc.splitlines()
    assert lines[0].endswith(".") and (len(lines) == 1 or not lines[1].strip()), f"{name}: one-line summary"
    sig = inspect.signature(obj)
    params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
    if params:
        assert "Parameters\n----------" in doc, f"{name} documents no parameters"
    if not inspect.isclass(obj) and sig.return_annotation not in (None, "None"):
        assert "Returns\n-------" in doc, f"{name} documents no return value"
