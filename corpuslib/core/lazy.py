"""Lazy attributes for packages: submodules and re-exported names are imported on first use.

``import corpuslib`` then stays cheap (no pandas, jieba or matplotlib until a stage is used), while
``dir()`` still lists every name and each of them imports.
"""
from __future__ import annotations

import importlib
from typing import Callable, Iterable, Mapping


def lazy_attributes(package: str, modules: Iterable[str] = (), names: Mapping[str, str] | None = None
                    ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    modules : iterable of str
        Submodules (or subpackages) reachable as attributes, e.g. ``"dates"``.
    names : mapping of str to str
        Re-exported names and the submodule (relative to ``package``) that defines each.
    """
    modules = frozenset(modules)
    names = dict(names or {})

    def __getattr__(name: str):
        if name in names:
            return getattr(importlib.import_module(f"{package}.{names[name]}"), name)
        if name in modules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        import sys

        return sorted(set(vars(sys.modules[package])) | modules | set(names))

    return __getattr__, __dir__
