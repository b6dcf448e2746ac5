"""Shared fixtures: project paths, the bundled seeds and ../shared (real corpora, test vectors)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw"
SHARED = Path(os.environ.get("CORPUSLIB_SHARED", ROOT.parent / "shared"))

# Property tests draw the same examples on every run (CI included), so a red run can be replayed;
# HYPOTHESIS_PROFILE=explore draws new ones (benchmarks/fuzz.py runs 10^4 examples per target).
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


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


# --- a real browser, offline ----------------------------------------------------------------

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = ("chromedriver", "chromium-driver")
#: Flags that keep headless Chromium off the network and out of the user's profile.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--mute-audio",
    # every host name resolves to nothing and every proxied request goes to a closed port:
    # a page that tries to load anything remote fails at once, offline
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--window-size=1400,1000",
)


class Browser:
    """A headless Chromium session (selenium) that opens local pages and reports what they did."""

    def __init__(self, driver):
        self.driver = driver

    def open(self, path, *, settle: float = 1.0) -> dict:
        """Load a local file, wait ``settle`` seconds (a meta refresh of 0 s would have fired) and
        return ``{"url", "title", "errors", "text"}``: where the page is now, its title, the
        console errors it logged, its visible text."""
        import time

        url = Path(path).resolve().as_uri()
        self.driver.get_log("browser")  # drop what earlier pages logged
        self.driver.get(url)
        time.sleep(settle)
        errors = [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]
        return {"url": self.driver.current_url, "title": self.driver.title, "errors": errors,
                "text": self.driver.execute_script("return document.body ? document.body.innerText : ''"),
                "start_url": url}

    def count(self, css: str) -> int:
        """Number of elements of the current page matching a CSS selector."""
        return int(self.driver.execute_script("return document.querySelectorAll(arguments[0]).length", css))

    def run(self, script: str, *args):
        """Evaluate JavaScript in the current page (webdriver's evaluation, not the page's)."""
        return self.driver.execute_script(script, *args)


def _which(names) -> str | None:
    import shutil

    return next((p for p in map(shutil.which, names) if p), None)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Headless Chromium with the network cut and an empty profile, driven by selenium.

    Skips, saying why, only where no browser is installed (``make install`` installs Debian's
    ``chromium`` and ``chromium-driver`` as root).
    """
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    chromium, driver_path = _which(CHROMIUM), _which(CHROMEDRIVER)
    if not chromium or not driver_path:
        pytest.skip("no headless Chromium here: install Debian's chromium and chromium-driver "
                    "(make install does it as root)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield Browser(driver)
    finally:
        driver.quit()


# --- small and read-only disks, for honest disk faults ---------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """Return ``mount(size="64k", read_only=False) -> Path``: a tmpfs of that size (unmounted after the
    test), so "disk full" and "read-only" are real errors. Skips where mounting is not allowed."""
    import subprocess

    mounted = []

    def mount(size: str = "64k", read_only: bool = False) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        opts = f"size={size},mode=0755" + (",ro" if read_only else "")
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(point)], capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {proc.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def make_project(folder: Path, notebooks: dict[str, tuple[str, str]]) -> Path:
    """Write a small project (``pyproject.toml``, ``notebooks/``) and return its root.

    ``notebooks`` maps a file name to ``(parameters cell source, code cell source)``; each
    notebook is a markdown cell, its parameters cell and one code cell, on the python3 kernel.
    """
    import shutil

    import nbformat

    (folder / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", folder)
    for name, (params_src, code) in notebooks.items():
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell(params_src)
        params.metadata["tags"] = ["parameters"]
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), params, nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / "notebooks" / name)
    return folder
