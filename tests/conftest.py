"""Shared fixtures: project paths, the bundled seeds and ../shared (real corpora, test vectors)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw"
SHARED = Path(os.environ.get("CORPUSLIB_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the project; tests that need it are skipped loudly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (set CORPUSLIB_SHARED)")
    return SHARED


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Keep token caches of the test run out of the user's cache."""
    os.environ.setdefault("CORPUSLIB_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield


def seed_text(name: str) -> str:
    """Return the raw text of a seed file by its prefix (e.g. '004')."""
    (path,) = sorted(SEEDS.glob(f"{name}*.txt"))
    return path.read_text(encoding="utf-8")


def count_calls(monkeypatch, owner, name: str) -> dict:
    """Replace ``owner.name`` by a wrapper that counts its calls; return the counter ``{"n": ...}``."""
    calls = {"n": 0}
    real = getattr(owner, name)

    def counting(*args, **kw):
        calls["n"] += 1
        return real(*args, **kw)

    monkeypatch.setattr(owner, name, counting)
    return calls
