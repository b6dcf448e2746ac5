"""Issue 12, as checked: a folder of hostile inputs goes through ``ingest``, ``build`` and ``run --corpus``;
every entry ends as a document or a rejection, nothing hangs, and the pages the run writes, opened in
headless Chromium with the network cut, navigate nowhere, run no script and hold no injected element.

The commands run as subprocesses, as a user runs them. As root they run without the privilege to read
what file permissions forbid (``setpriv`` drops CAP_DAC_OVERRIDE), so unreadable files and folders are
unreadable for real.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, SEEDS
from tests.hostile import BOLD, FORMULA, IMG, MATH_OUTLET, META_REFRESH, SCRIPT, make_hostile_corpus

DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _unprivileged() -> list[str] | None:
    """The command prefix under which file permissions bind, or None when they cannot be made to."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") and subprocess.run([*DROP, "true"], capture_output=True).returncode == 0:
        return DROP
    return None


PREFIX = _unprivileged()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile folder (the bundled seeds among the hostile entries) and what each entry must become."""
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    expect = make_hostile_corpus(corpus, SEEDS)
    yield corpus, expect
    for name in expect["unreadable"]:  # let pytest clean up after a user that is not root
        os.chmod(corpus / name, 0o755)


def corpuslib(*args, timeout: float, cache: Path) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``python -m corpuslib ARGS`` as a user would (without root's privileges); return it and its seconds."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "CORPUSLIB_CACHE": str(cache)}
    t0 = time.perf_counter()
    proc = subprocess.run([*(PREFIX or []), sys.executable, "-m", "corpuslib", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return proc, time.perf_counter() - t0


def _shown(path: Path) -> str:
    from corpuslib.core.paths import printable

    return printable(str(path))


def assert_accounted(corpus: Path, expect: dict, documents: list[str], rejected: list[tuple[str, str, str]]):
    """Every entry is one document or one rejection; every table row too; nothing else came out."""
    sources = Counter(documents) + Counter(src for src, _, _ in rejected)
    for name in expect["files"]:
        assert sources.pop(_shown(corpus / name), 0) == 1, f"{name}: not exactly one document or rejection"
    for table, n_rows in expect["tables"].items():
        mine = [s for s in list(sources) if s.startswith(_shown(corpus / table) + "#")]
        assert sum(sources.pop(s) for s in mine) == n_rows, f"{table}: rows in != documents + rejections"
    assert not sources, f"unexpected sources: {sorted(sources)}"
    reasons = {src: (reason, detail) for src, reason, detail in rejected}
    for name in expect["special"]:
        reason, detail = reasons[_shown(corpus / name)]
        assert reason == "unreadable" and "not opened" in detail, (name, detail)
    if PREFIX is not None:  # file permissions bind: unreadable for real
        for name in expect["unreadable"]:
            reason, detail = reasons[_shown(corpus / name)]
            assert reason == "unreadable" and "Permission denied" in detail, (name, detail)
    assert reasons[_shown(corpus / "rows.jsonl") + "#1"][0] == "bad_row"  # an integer of 4,301 digits
    assert "Invalid IPv6 URL" in reasons[_shown(corpus / "rows.jsonl") + "#2"][1]
    assert "NUL byte" in reasons[_shown(corpus / "rows.csv") + "#4"][1]
    assert "CSV error" in reasons[_shown(corpus / "rows.csv") + "#6"][1]  # the stray quote, the rows after kept


def test_ingest_accounts_for_every_hostile_entry_within_seconds(hostile, tmp_path):
    corpus, expect = hostile
    proc, seconds = corpuslib("ingest", corpus, "--out", tmp_path / "d.parquet", "--rejected", tmp_path / "r.csv", "-q",
                              timeout=120, cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    docs = pd.read_parquet(tmp_path / "d.parquet")
    rej = pd.read_csv(tmp_path / "r.csv", keep_default_na=False)
    assert_accounted(corpus, expect, docs["source_path"].tolist(), list(rej.itertuples(index=False, name=None)))
    assert {"doc-meta", "doc <script>x", "lower-z", "far-offset", "caf\\xe9-latin1"} <= set(docs["doc_id"])
    print(f"ingest of {len(expect['files']) + len(expect['tables'])} hostile entries: {seconds:.1f} s")
    assert seconds < 120


def test_build_accounts_for_every_hostile_entry(hostile, tmp_path):
    corpus, expect = hostile
    proc, seconds = corpuslib("build", corpus, "--out", tmp_path / "tables", "-q", timeout=180, cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    docs = pd.read_parquet(tmp_path / "tables" / "documents.parquet", columns=["source_path"])
    rej = pd.read_csv(tmp_path / "tables" / "rejected.csv", keep_default_na=False)
    assert_accounted(corpus, expect, docs["source_path"].tolist(), list(rej.itertuples(index=False, name=None)))


@pytest.fixture(scope="module")
def hostile_run(hostile, tmp_path_factory):
    """One ``corpuslib run --corpus HOSTILE`` shared by the checks below."""
    corpus, expect = hostile
    base = tmp_path_factory.mktemp("hostile-run")
    out = base / "out"
    proc, seconds = corpuslib("run", "--corpus", corpus, "--out", out, timeout=1500, cache=base / "cache")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc, base


@pytest.mark.slow
def test_run_accounts_for_every_hostile_entry(hostile, hostile_run):
    corpus, expect = hostile
    out, _, _ = hostile_run
    with open(out / "tables" / "documents.csv", encoding="utf-8", newline="") as fh:
        documents = [r["source_path"] for r in csv.DictReader(fh)]
    with open(out / "tables" / "rejected.csv", encoding="utf-8", newline="") as fh:
        rejected = [(r["source_path"], r["reason"], r["detail"]) for r in csv.DictReader(fh)]
    assert_accounted(corpus, expect, documents, rejected)
    inputs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert inputs[_shown(corpus / "pipe.txt")].startswith("not read: a FIFO")  # hashing never opened it


@pytest.mark.slow
def test_the_run_is_quiet_and_its_inputs_verify(hostile_run):
    out, proc, base = hostile_run
    assert "without encryption" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr, proc.stderr[-2000:]
    assert "notebooks: 100%" in proc.stderr  # the progress bar stays
    verify, _ = corpuslib("verify", out, "--inputs", timeout=120, cache=base / "cache")
    assert verify.returncode == 0 and verify.stdout.strip() == "ok", verify.stdout + verify.stderr


def _pages(out: Path) -> list[Path]:
    return [out / "report.html", *sorted((out / "notebooks").glob("*.html")), *sorted(out.glob("explorer/*.html"))]


@pytest.mark.slow
def test_pages_show_scraped_markup_as_text(hostile_run, browser):
    out, _, _ = hostile_run
    pages = _pages(out)
    assert len(pages) >= 5  # the report and one export per notebook
    texts = {}
    for page in pages:
        seen = browser.open(page)
        name = page.relative_to(out).as_posix()
        assert seen["url"] == seen["start_url"], f"{name} navigated to {seen['url']}"
        assert seen["title"] != "PWNED" and browser.run("return window.pwned") is None, f"{name} ran a script"
        assert browser.count("[id^=pwned], base, iframe, object, embed, meta[http-equiv=refresh]") == 0, name
        assert not seen["errors"], f"{name}: console errors {seen['errors'][:3]}"
        texts[name] = seen["text"]
        # nothing cut the page short (an unclosed <script> in a doc_id would swallow the rest)
        last = "Software versions" if name == "report.html" else None
        if last:
            assert last in seen["text"], f"{name} is cut short"
    shown = "\n".join(texts.values())
    for literal in (BOLD, 'http-equiv="refresh"', "document.title='PWNED'", MATH_OUTLET, "doc <script>x"):
        assert literal in shown, f"{literal!r} is not shown as text"


@pytest.mark.slow
def test_notebook_pages_are_whole(hostile_run):
    import nbformat

    out, _, _ = hostile_run
    for ipynb in sorted((out / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(ipynb, as_version=4)
        assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"], ipynb.name
        html = ipynb.with_suffix(".html").read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>"), ipynb.name


@pytest.mark.slow
def test_figures_are_drawn_for_an_outlet_that_looks_like_mathtext(hostile_run):
    out, _, _ = hostile_run
    docs = pd.read_parquet(out / "data" / "documents.parquet")
    assert MATH_OUTLET in set(docs["outlet"])
    for name in ("01-overview.png", "02-prevalence-by-group.png", "03-concepts-by-group.png", "04-timeline.png"):
        assert (out / "figures" / name).stat().st_size > 10_000, name


@pytest.mark.slow
def test_csv_tables_neutralise_formulas_and_parquet_keeps_the_value(hostile_run):
    out, _, _ = hostile_run
    table = pd.read_csv(out / "tables" / "documents.csv", keep_default_na=False).set_index("doc_id")
    assert table.loc["doc-img", "title"] == "'" + FORMULA
    raw = pd.read_parquet(out / "data" / "documents.parquet").set_index("doc_id")
    assert raw.loc["doc-img", "title"] == FORMULA
    for path in (out / "tables").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(("=", "@", "\t", "\r")), (path.name, cell[:40])


@pytest.mark.slow
def test_timelinejs_text_is_escaped(hostile_run):
    out, _, _ = hostile_run
    data = json.loads((out / "timeline.json").read_text(encoding="utf-8"))
    strings = json.dumps(data, ensure_ascii=False)
    for raw in (SCRIPT, IMG, META_REFRESH, BOLD):
        assert raw not in strings


def test_the_browser_is_offline(browser, tmp_path):
    page = tmp_path / "remote.html"
    page.write_text('<!DOCTYPE html><html><body><img id="remote" src="http://example.com/logo.png">'
                    '<img id="local" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">'
                    "<p>x</p></body></html>", encoding="utf-8")
    browser.open(page, settle=2.0)
    assert browser.run("return document.getElementById('remote').naturalWidth") == 0
    assert browser.run("return document.getElementById('local').naturalWidth") == 1
    # webdriver awaits a returned promise: a request to any host fails at once
    assert browser.run("return fetch('http://example.com/').then(() => 'loaded', () => 'failed')") == "failed"


def test_kwic_lines_are_escaped_in_the_notebook_html():
    from corpuslib.figures.compare import style_kwic

    lines = pd.DataFrame({"doc_id": [f"a {SCRIPT}"], "outlet": [MATH_OUTLET], "published": ["2025-01-01"],
                          "lang": ["vi"], "left": [META_REFRESH], "match": ["tinh gọn"], "right": [IMG]})
    html = style_kwic(lines).to_html()
    for raw in (SCRIPT, META_REFRESH, IMG):
        assert raw not in html
    assert "&lt;meta http-equiv=&#34;refresh&#34;" in html or "&lt;meta http-equiv=&quot;refresh&quot;" in html
