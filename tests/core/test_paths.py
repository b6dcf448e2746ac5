"""How tables and manifests name files: relative to the project root (or a given root) when inside it."""
from __future__ import annotations

import os

from corpuslib.core.paths import display_path, project_root


def test_inside_the_project_is_relative(root):
    assert display_path(root / "data" / "raw" / "000_9b64081dac5aefd5.txt") == "data/raw/000_9b64081dac5aefd5.txt"
    assert project_root() == root


def test_outside_is_absolute_posix(tmp_path):
    f = tmp_path / "a" / "b.txt"
    assert display_path(f) == f.as_posix()


def test_a_given_root(tmp_path):
    f = tmp_path / "corpus" / "x.jsonl"
    assert display_path(f, tmp_path) == "corpus/x.jsonl"
    assert display_path(f, str(tmp_path) + os.sep) == "corpus/x.jsonl"
    assert display_path(tmp_path / "corpusx", tmp_path / "corpus") == (tmp_path / "corpusx").as_posix()
