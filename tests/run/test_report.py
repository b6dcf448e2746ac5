"""The run report: one offline HTML page with each notebook's figures and tables; scraped text escaped."""
import base64
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from corpuslib.run.report import TABLE_ROWS, build_report, notebook_intro, png_size, read_table_head
from corpuslib.run.runner import run_notebooks

HOSTILE = [
    '<script>alert("pwned")</script>',
    '<img src=x onerror="alert(1)">',
    "</td></tr></table><h1>layout broken</h1>",
    '"><a href="javascript:alert(1)">click</a>',
]


class Page(HTMLParser):
    """Collects what a browser would act on: tags, script tags, resource URLs, text."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self.urls, self.text = [], 0, [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.scripts += tag == "script"
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)
            if name.startswith("on"):
                raise AssertionError(f"event handler attribute {name} on <{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    page = Page()
    page.feed(html)
    return page


def fake_notebook(path, markdown):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": markdown}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


@pytest.fixture
def folder(tmp_path, root):
    out = tmp_path / "out"
    fake_notebook(out / "notebooks" / "03-compare.ipynb",
                  "# 03 · Compare\n\n**Question.** How do outlets differ? <b>raw html</b>")
    rows = [{"doc_id": f"d{i}", "outlet": "Báo Nghệ An", "left": HOSTILE[i % len(HOSTILE)], "match": "tinh gọn bộ máy",
             "z": 1.5 + i} for i in range(12)]
    (out / "tables").mkdir()
    pd.DataFrame(rows).to_csv(out / "tables" / "kwic.csv", index=False)
    (out / "figures").mkdir()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_title("Tinh gọn bộ máy · Сокращение аппарата")
    fig.savefig(out / "figures" / "03-x.png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    (out / "timeline.json").write_text("{}")
    manifest = {
        "finished": "2026-01-01T00:00:00+00:00",
        "environment": {"corpuslib": "0.1.0", "python": "3.11", "dependencies": {"pandas": "3"}},
        "run": {"out_dir": str(out)},
        "parameters": {"03-compare.ipynb": {"group_by": "outlet", "top_n": 3, "groups": HOSTILE[:1]}},
        "notebooks": {"03-compare.ipynb": {"status": "ran", "seconds": 1.25, "outputs": {
            "notebooks/03-compare.ipynb": "x", "tables/kwic.csv": "x", "figures/03-x.png": "x", "timeline.json": "x"}}},
    }
    build_report(out, manifest, defaults={"03-compare.ipynb": {"group_by": "outlet", "top_n": 15, "groups": []}})
    return out


def test_report_escapes_scraped_text(folder):
    html = (folder / "report.html").read_text(encoding="utf-8")
    page = parse(html)  # raises on any on*= attribute
    assert page.scripts == 0
    assert not [u for u in page.urls if u.startswith("javascript:")]
    assert page.tags.count("h1") == 1  # the closing-tags payload did not open a heading
    text = "".join(page.text)
    for payload in HOSTILE:
        assert payload[:25] in text  # shown to the reader, as text
    assert "<b>raw html</b>" in text  # raw HTML in a notebook's markdown is shown, not rendered


def test_report_is_self_contained_and_forbids_scripts(folder):
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    page = parse(html)
    remote = [u for u in page.urls if re.match(r"(https?:)?//", u)]
    assert remote == []
    (img,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert base64.b64decode(img) == (folder / "figures" / "03-x.png").read_bytes()


def test_report_shows_first_rows_links_and_parameters(folder):
    html = (folder / "report.html").read_text(encoding="utf-8")
    page = parse(html)
    assert "tables/kwic.csv" in page.urls and "notebooks/03-compare.ipynb" in page.urls
    assert "timeline.json" in page.urls  # other outputs are linked
    assert html.count("<tr><td") == TABLE_ROWS  # first rows only ...
    assert "first 8 of 12 rows" in html and "12 rows × 5 columns" in html
    assert "03 · Compare" in html and "How do outlets differ?" in html
    assert re.search(r'<tr class="changed"><th>top_n</th>', html)  # differs from the default
    assert not re.search(r'<tr class="changed"><th>group_by</th>', html)
    assert "ran in 1.2 s" in html or "ran in 1.3 s" in html


def test_long_cells_are_cut_but_kept_in_the_tooltip(tmp_path):
    from corpuslib.run.report import CELL_CHARS, table_html

    body = "Đảng " * 400
    pd.DataFrame({"doc_id": ["a"], "text": [body]}).to_csv(tmp_path / "t.csv", index=False)
    html = table_html(tmp_path / "t.csv", "tables/t.csv")
    cell = re.search(r"<td title=\"([^\"]*)\">([^<]*)</td>", html)
    assert len(cell.group(2)) == CELL_CHARS and cell.group(2).endswith("…")
    assert len(cell.group(1)) > CELL_CHARS


@pytest.mark.parametrize("content, header, n", [
    ("a,b\n1,2\n3,4\n", ["a", "b"], 2),
    ('text,x\n"line one\nline two",1\n', ["text", "x"], 1),  # a quoted newline is one row
    ("", [], 0),
    ("a\n", ["a"], 0),
])
def test_read_table_head_counts_rows_not_lines(tmp_path, content, header, n):
    (tmp_path / "t.csv").write_text(content, encoding="utf-8")
    got_header, rows, total = read_table_head(tmp_path / "t.csv")
    assert got_header == header and total == n and len(rows) == n


def test_png_size_reads_pixels_and_dpi(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(3, 2))
    fig.savefig(tmp_path / "f.png", dpi=120)
    plt.close(fig)
    w, h, dpi = png_size((tmp_path / "f.png").read_bytes())
    assert (w, h) == (360, 240) and round(dpi) == 120
    assert png_size(b"GIF89a") is None


def test_notebook_intro_takes_the_first_heading(tmp_path, root):
    title, intro = notebook_intro(root / "notebooks" / "01-build-documents.ipynb")
    assert title.startswith("01") and "Question" in intro
    assert notebook_intro(tmp_path / "missing.ipynb") == ("missing", "")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, seeds_dir):
    base = tmp_path_factory.mktemp("report")
    corpus = base / "corpus"
    corpus.mkdir()
    seed = sorted(seeds_dir.glob("004_*.txt"))[0]
    lines = seed.read_text(encoding="utf-8").splitlines()
    # Two tags: not taken for an HTML page, so they stay in the title and the body as text.
    lines[0] = '<script>alert("pwned")</script> ' + lines[0]
    lines.insert(len(lines) // 2, 'Bạn đọc viết: <script>alert("pwned")</script> là thẻ lạ trong bài báo này.')
    (corpus / "hostile.txt").write_text("\n".join(lines), encoding="utf-8")
    return run_notebooks(corpus=str(corpus), out_dir=base / "out", only=["01"], progress=False)


@pytest.mark.slow
def test_report_of_a_run_shows_the_scraped_script_as_text(hostile_run):
    docs = pd.read_csv(hostile_run / "tables" / "documents.csv")
    assert docs["text"].str.contains("<script>", regex=False).all()  # the test is real: the tag reached a table
    html = (hostile_run / "report.html").read_text(encoding="utf-8")
    page = parse(html)
    assert page.scripts == 0 and '<script>alert("pwned")</script>' in "".join(page.text)
    assert "figures/01-overview.png" in html and html.count("data:image/png;base64,") == 1
    for table in ("documents.csv", "documents_qa.csv", "rejected.csv", "removed_lines.csv"):
        assert f"tables/{table}" in page.urls


@pytest.mark.slow
def test_executed_notebook_export_hides_code_and_loads_nothing_remote(hostile_run):
    html = (hostile_run / "notebooks" / "01-build-documents.html").read_text(encoding="utf-8")
    page = parse(html)
    assert '<script>alert("pwned")' not in html
    assert [u for u in page.urls if re.match(r"(https?:)?//", u)] == []
    assert "import corpuslib as cl" not in "".join(page.text)  # code cells hidden
    assert "Build the documents table" in html and "data:image/png;base64," in html
    assert "Content-Security-Policy" in html and page.scripts == 0
    assert "notebooks/01-build-documents.html" in (hostile_run / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fragment, found", [
    ('<meta http-equiv="refresh" content="0; url=https://example.invalid/">', "<meta>"),
    ("<script>alert(1)</script>", "<script>"),
    ("<SCRIPT SRC=//example.invalid/x.js></SCRIPT>", "<script>"),
    ('<img src=x onerror="alert(1)">', "<img onerror=...>"),
    ('<a href=" jav&#x09;ascript:alert(1)">x</a>', "<a href=...>"),
    ('<iframe srcdoc="<b>x</b>"></iframe>', "<iframe>"),
    ('<base href="https://example.invalid/">', "<base>"),
    ('<form action="https://example.invalid/"><input></form>', "<form>"),
    ("<svg><animate onbegin=alert(1)></svg>", "<animate onbegin=...>"),
    # what pandas and the KWIC Styler write: tables, styles, escaped text
    ('<style type="text/css">#T_1 td { text-align: right; }</style><table id="T_1"><tr><td>&lt;script&gt;</td></tr></table>',
     None),
    ('<div><table class="dataframe"><thead><tr><th>doc_id</th></tr></thead><tbody><tr><td>a &lt;b&gt;</td></tr></tbody></table></div>',
     None),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">', None),
])
def test_active_markup_is_found(fragment, found):
    from corpuslib.run.report import active_markup

    assert active_markup(fragment) == found


def test_an_output_holding_active_markup_is_shown_as_its_text():
    from corpuslib.run.report import disarm_output

    html = '<div>Tinh gọn <meta http-equiv="refresh" content="0; url=x"></div>'
    out = disarm_output({"output_type": "display_data", "data": {"text/html": [html], "text/plain": ["Tinh gọn ..."]}})
    assert out["data"] == {"text/plain": ["Tinh gọn ..."]}
    md = disarm_output({"output_type": "display_data", "data": {"text/markdown": "Outlet **<script>x</script>**"}})
    assert md["data"] == {"text/plain": "Outlet **<script>x</script>**"}
    table = '<table class="dataframe"><tr><td>&lt;meta&gt;</td></tr></table>'
    kept = disarm_output({"output_type": "execute_result", "data": {"text/html": table, "text/plain": "t"}})
    assert kept["data"]["text/html"] == table
