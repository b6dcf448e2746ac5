"""Output folders: recognised by their marker, refused when they hold anything else, locked, published atomically."""
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from corpuslib.core import outputs
from corpuslib.core.outputs import (
    MARKER,
    OutputBusyError,
    OutputError,
    check_out_dir,
    locked,
    marker_kind,
    publish,
    recover,
    remove_ours,
    sibling,
    write_marker,
)


def tree(folder):
    """Every file under ``folder`` with its bytes (what must survive)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A folder with an unrelated file, a corpus and a project; the current folder is elsewhere."""
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.md").write_text("my thesis\n", encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("an article\n", encoding="utf-8")
    (tmp_path / "afile.txt").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "proj").mkdir()
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    return tmp_path


@pytest.mark.parametrize("out, message", [
    ("thesis", "holds files corpuslib did not write"),
    ("afile.txt", "exists and is not a folder"),
    ("corpus", "is the corpus"),
    ("corpus/tables", "lies inside the corpus"),
    (".", "contains the corpus"),
    ("proj", "is the project root"),
    ("here", "is the current folder"),
])
def test_an_out_that_could_lose_a_file_is_refused(place, out, message):
    before = tree(place)
    with pytest.raises(OutputError, match=message):
        check_out_dir(place / out, kind="run", inputs=[place / "corpus"], root=place / "proj")
    assert tree(place) == before


def test_new_empty_and_previous_outputs_are_accepted(place):
    assert check_out_dir(place / "new", kind="run") == (place / "new").resolve()
    (place / "empty").mkdir()
    check_out_dir(place / "empty", kind="run")
    write_marker(place / "prev", "run")
    (place / "prev" / "tables").mkdir()
    (place / "prev" / "tables" / "t.csv").write_text("a\n", encoding="utf-8")
    json.dump({"format": 1, "notebooks": {}, "outputs": {"tables/t.csv": "x"}},
              open(place / "prev" / "manifest.json", "w"))
    check_out_dir(place / "prev", kind="run")
    with pytest.raises(OutputError, match="not a previous corpuslib build output"):
        check_out_dir(place / "prev", kind="build")  # a run's output is not a build's


def test_a_previous_output_holding_a_file_corpuslib_did_not_write_is_refused(place):
    write_marker(place / "prev", "run")
    json.dump({"format": 1, "notebooks": {}, "outputs": {}}, open(place / "prev" / "manifest.json", "w"))
    (place / "prev" / "notes.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(OutputError, match="holds files corpuslib did not write: 'notes.md'"):
        check_out_dir(place / "prev", kind="run")


def test_outputs_of_versions_before_the_marker_are_recognised_by_their_record(place):
    (place / "old" / "tables").mkdir(parents=True)
    (place / "old" / "tables" / "t.csv").write_text("a\n", encoding="utf-8")
    json.dump({"format": 1, "notebooks": {}, "outputs": {"tables/t.csv": "x"}}, open(place / "old" / "manifest.json", "w"))
    check_out_dir(place / "old", kind="run")
    (place / "old" / "mine.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(OutputError, match="did not write"):
        check_out_dir(place / "old", kind="run")


def test_remove_ours_removes_only_marked_or_empty_folders(tmp_path):
    write_marker(tmp_path / "ours", "run")
    remove_ours(tmp_path / "ours")
    (tmp_path / "empty").mkdir()
    remove_ours(tmp_path / "empty")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "x").write_text("x")
    with pytest.raises(OutputError, match="corpuslib did not write it"):
        remove_ours(tmp_path / "theirs")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs"]
    assert marker_kind(tmp_path / "theirs") is None


def test_a_second_writer_is_refused_and_the_lock_file_goes_away(tmp_path):
    out = tmp_path / "out"
    with locked(out) as lock:
        assert lock.read_text().strip() == str(os.getpid())
        with pytest.raises(OutputBusyError, match=rf"another corpuslib command \(pid {os.getpid()}\) is writing"):
            with locked(out):
                pass
    assert not lock.exists()
    with locked(out):  # free again
        pass


def test_a_lock_held_by_another_process_refuses(tmp_path):
    out = tmp_path / "out"
    code = f"from corpuslib.core.outputs import locked\nimport sys, time\nwith locked({str(out)!r}):\n" \
           "    print('held', flush=True)\n    time.sleep(30)\n"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", "")})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputBusyError, match=f"pid {holder.pid}"):
            with locked(out):
                pass
    finally:
        holder.kill()
        holder.wait()
    with locked(out):  # a killed holder's lock is released with its process
        pass


def _folder(path, label, n=20):
    write_marker(path, "run")
    for i in range(n):
        (path / f"f{i:02d}.txt").write_text(f"{label} {i}\n")


@pytest.mark.parametrize("exchange", [True, False])
def test_publish_replaces_the_previous_output(tmp_path, monkeypatch, exchange):
    monkeypatch.setattr(outputs, "_EXCHANGE", exchange)
    out = tmp_path / "out"
    _folder(out, "old")
    staging = sibling(out, ".staging", hidden=True)
    _folder(staging, "new")
    publish(staging, out)
    assert (out / "f00.txt").read_text() == "new 0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_recover_mends_a_publish_killed_between_its_two_renames(tmp_path):
    out = tmp_path / "out"
    _folder(out, "old")
    old = sibling(out, ".old", hidden=True)
    out.rename(old)  # the first rename of the fallback publish, then a kill
    _folder(sibling(out, ".staging", hidden=True), "half")
    recover(out)
    assert (out / "f00.txt").read_text() == "old 0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


_PUBLISHER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from corpuslib.core import outputs

    out = Path(sys.argv[1])
    i = 0
    while True:
        i += 1
        staging = outputs.sibling(out, ".staging", hidden=True)
        outputs.recover(out)
        outputs.write_marker(staging, "run")
        for k in range(20):
            (staging / f"f{k:02d}.txt").write_text(f"v{i} {k}\\n")
        outputs.publish(staging, out)
        print(i, flush=True)
""")


@pytest.mark.parametrize("exchange", [True, False])
def test_a_kill_at_any_instant_leaves_a_whole_output(tmp_path, exchange):
    """SIGKILL a process that publishes in a loop at random instants: ``out`` (after :func:`recover`) is
    always one whole version, never a mix, never missing."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "CORPUSLIB_NO_EXCHANGE": "" if exchange else "1"}
    rng = random.Random(12)
    for trial in range(12):
        proc = subprocess.Popen([sys.executable, "-c", _PUBLISHER, str(out)], stdout=subprocess.PIPE, env=env)
        proc.stdout.readline()  # one publish done: there is an output
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        recover(out)
        files = tree(out)
        versions = {data.split()[0] for name, data in files.items() if name != MARKER}
        assert len(versions) == 1 and len(files) == 21, (trial, sorted(files)[:3], versions)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_read_only_place_is_one_line(tmp_path, monkeypatch):
    import errno

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(OutputError, match=r"^cannot write .*: Read-only file system$"):
        with locked(tmp_path / "out"):
            pass
