"""`make lab`: JupyterLab on the notebooks, as root or a user, on PORT=, without a browser where there is no
display; a notebook opened there runs on the project's kernel and writes to outputs-lab/, so `verify outputs`
stays true.

The slow test works as a person would: it starts the Makefile's JupyterLab on a free port, opens the
notebooks through the server's REST API (a session on the "corpuslib" kernel) and runs their cells one by
one over the kernel's websocket, as the browser does.
"""
from __future__ import annotations

import asyncio
import json
import os
import posixpath
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

VENV = Path(sys.executable).parent.parent
TOKEN = uuid.uuid4().hex


def _make_lab(root: Path, *args: str, env: dict | None = None, dry: bool = True, user: int | None = None):
    """Run (or, with ``dry``, print) the lab target of ``root``'s Makefile with this interpreter's venv."""
    cmd = ["make", "-s", "-C", str(root), *(["-n"] if dry else []), "lab", f"VENV={VENV}",
           "-o", str(VENV / ".installed-stamp"), *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    return cmd if not dry else subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "CORPUSLIB_ROOT")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def make_available():
    if not shutil.which("make"):
        pytest.skip("make is not installed")


def test_lab_honours_port_and_opens_no_browser_without_display(root, make_available):
    line = _make_lab(root, "PORT=8899", env=_env())
    assert "--ServerApp.port=8899" in line and "--ServerApp.port_retries=0" in line
    assert "--no-browser" in line
    assert f'--ServerApp.root_dir="{root}"' in line and "/lab/tree/notebooks" in line
    assert "--no-browser" not in _make_lab(root, env=_env(DISPLAY=":0"))
    assert "--ServerApp.port=8888" in _make_lab(root, env=_env())


def test_lab_allows_root_only_for_root(root, make_available):
    line = _make_lab(root, env=_env())
    assert ("--allow-root" in line) == (os.geteuid() == 0)
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("setpriv is not installed: cannot check the target as another user")
        # as an ordinary user (nobody) the flag is left out
        cmd = _make_lab(root, dry=False, user=65534)
        cmd.insert(cmd.index("lab"), "-n")
        out = subprocess.run(cmd, env=_env(HOME="/tmp"), capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert "jupyter lab" in out.stdout and "--allow-root" not in out.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(port: int, path: str, body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST" if data else "GET",
                                 headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
        return json.loads(raw) if resp.headers.get_content_type() == "application/json" else raw


def _wait_for_server(port: int, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"make lab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            _api(port, "/api/status")
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer on port {port}:\n{log.read_text()[-3000:]}")


def _message(session: str, code: str) -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "username": "test", "session": session, "msg_type": "execute_request",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }


async def _run_cells(port: int, kernel_id: str, session: str, cells: list[str], timeout: float = 300) -> list[dict]:
    """Execute cells in order over the kernel's websocket, as JupyterLab's "Run All"; return their outputs."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id={session}"
    ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {TOKEN}"}))
    results = []
    try:
        for code in cells:
            msg = _message(session, code)
            await ws.write_message(json.dumps(msg))
            outputs, reply = [], None
            while reply is None:
                raw = await asyncio.wait_for(ws.read_message(), timeout)
                assert raw is not None, "the kernel's websocket closed"
                m = json.loads(raw)
                if m.get("parent_header", {}).get("msg_id") != msg["header"]["msg_id"]:
                    continue
                kind = m["header"]["msg_type"]
                if kind in ("stream", "display_data", "execute_result", "error"):
                    outputs.append({"type": kind, **m["content"]})
                elif kind == "execute_reply":
                    reply = m["content"]
            results.append({"code": code, "status": reply["status"], "outputs": outputs})
            if reply["status"] != "ok":
                break
    finally:
        ws.close()
    return results


def _copy_project(root: Path, target: Path) -> Path:
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy(root / name, target / name)
    shutil.copytree(root / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(root / "data" / "raw", target / "data" / "raw")
    return target


@pytest.mark.slow
def test_a_notebook_run_in_jupyterlab_leaves_outputs_verified(tmp_path, root, make_available):
    if not (VENV / "bin" / "jupyter").exists():
        pytest.skip("JupyterLab is not installed in this venv (the 'lab' extra)")
    proj = _copy_project(root, tmp_path)
    env = _env(JUPYTER_TOKEN=TOKEN, JUPYTER_RUNTIME_DIR=str(tmp_path / ".jupyter-runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / ".jupyter-config"), PYTHONPATH=os.pathsep.join(
                   p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p))
    cli = [sys.executable, "-m", "corpuslib"]
    subprocess.run([*cli, "run", "--only", "01", "--out", "outputs"], cwd=proj, env=env, check=True,
                   capture_output=True)
    assert subprocess.run([*cli, "verify", "outputs"], cwd=proj, env=env).returncode == 0

    port = _free_port()
    log = tmp_path / "lab.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(_make_lab(proj, f"PORT={port}", dry=False), cwd=proj, env=env, stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_server(port, proc, log)
        specs = _api(port, "/api/kernelspecs")["kernelspecs"]
        if "corpuslib" not in specs:
            pytest.skip("the project's kernel is not installed (make install registers it)")
        assert specs["corpuslib"]["spec"]["display_name"] == "Python (corpuslib)"
        for name in ("01-build-documents.ipynb", "04-build-timeline.ipynb"):
            path = f"notebooks/{name}"
            nb = _api(port, f"/api/contents/{path}?content=1")["content"]
            assert nb["metadata"]["kernelspec"]["name"] == "corpuslib"
            session = _api(port, "/api/sessions", {"path": path, "type": "notebook", "name": name,
                                                   "kernel": {"name": nb["metadata"]["kernelspec"]["name"]}})
            cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
            results = asyncio.run(_run_cells(port, session["kernel"]["id"], session["id"], cells))
            failed = [r for r in results if r["status"] != "ok"]
            assert not failed, f"{name}: {failed[0]['code'][:80]!r} -> {failed[0]['outputs'][-1:]}"
            assert len(results) == len(cells)
        assert (proj / "outputs-lab" / "tables" / "documents.csv").is_file()
        assert (proj / "outputs-lab" / "tables" / "timeline.csv").is_file()
        # the explorer cell shows its page in the notebook: an iframe the server serves from outputs-lab/
        frames = [re.search(r'<iframe src="([^"]+)"', o["data"]["text/html"]).group(1) for r in results
                  for o in r["outputs"] if "<iframe" in o.get("data", {}).get("text/html", "")]
        assert frames == ["../outputs-lab/explorer/timeline.html"]
        page = _api(port, "/files/" + posixpath.normpath(posixpath.join("notebooks", frames[0])))
        assert b'id="explorer-data"' in page
        verified = subprocess.run([*cli, "verify", "outputs"], cwd=proj, env=env, capture_output=True, text=True)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
