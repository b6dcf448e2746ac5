"""The report of a run: one ``report.html`` a reader opens in any browser, offline, without Jupyter.

For each notebook the report shows its question (the first markdown cell), its figures (PNG
embedded as base64, so the file stands alone), the first rows of its tables, and links to the
executed notebook (an HTML export with the code hidden, and the ``.ipynb``). Everything taken from
the data is HTML-escaped, and a Content-Security-Policy forbids scripts and remote loads, so a
scraped article holding ``<script>`` shows as text.
"""
from __future__ import annotations

import base64
import csv
import html
import json
import os
import re
from pathlib import Path

REPORT = "report.html"
#: Rows of each table shown in the report (the full CSV is linked).
TABLE_ROWS = 8
#: Characters of a table cell shown; the cell's tooltip holds up to ``CELL_TITLE`` more.
CELL_CHARS = 120
CELL_TITLE = 600
#: Figures larger than this are linked rather than embedded.
EMBED_MAX_BYTES = 8 * 1024 * 1024
_IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml"}
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?%?")


def _esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def export_notebook(ipynb: str | os.PathLike, target: str | os.PathLike | None = None) -> Path:
    """Export an executed notebook to HTML with the code cells hidden, for reading without Jupyter.

    The export keeps the notebook's outputs (tables, figures, printed text) and inlines its
    styles; it drops the script tags nbconvert would load from a CDN (require.js, MathJax,
    mermaid) and carries the report's Content-Security-Policy, so it opens offline and runs no
    script even if an output held one (pandas and nbconvert escape text themselves; nbconvert's
    sanitizer is not used because it escapes the rendered markdown and tables too).

    Returns
    -------
    Path
        The HTML file (default: next to the notebook, suffix ``.html``).
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    ipynb = Path(ipynb)
    target = Path(target) if target else ipynb.with_suffix(".html")
    offline = jinja2.DictLoader({"offline.html.j2": (
        "{%- extends 'lab/index.html.j2' -%}\n"
        "{%- block html_head -%}" + _CSP + "{{ super() }}{%- endblock html_head -%}\n"
        "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
        "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
        "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    )})
    exporter = HTMLExporter(
        extra_loaders=[offline], template_file="offline.html.j2", exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
    )
    nb = nbformat.read(ipynb, as_version=4)
    # papermill's own cells (injected parameters, error banners) are not part of the story.
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            disarm_output(output)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": ipynb.stem}})
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(target)
    return target


#: Elements that load, navigate or run something: never in a page built from scraped text.
_ACTIVE_TAGS = {"script", "meta", "base", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
                "link", "portal", "noscript", "template"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


def active_markup(text: str) -> str | None:
    """Return what in an HTML fragment could load, navigate or run something (``"<meta>"``), or None.

    An element of :data:`_ACTIVE_TAGS`, an ``on*`` event attribute, ``srcdoc``, ``http-equiv``, or
    a URL attribute with a ``javascript:``, ``vbscript:`` or ``data:text/html`` scheme.
    """
    from html.parser import HTMLParser

    found: list[str] = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _ACTIVE_TAGS:
                found.append(f"<{tag}>")
            for name, value in attrs:
                scheme = re.sub(r"[\s\x00-\x1f]", "", (value or "")).lower()
                if name.startswith("on") or name in ("srcdoc", "http-equiv") or name in _URL_ATTRS and (
                        scheme.startswith(("javascript:", "vbscript:", "data:text/html"))):
                    found.append(f"<{tag} {name}=...>")

        handle_startendtag = handle_starttag

    scan = Scan(convert_charrefs=True)
    scan.feed(text)
    scan.close()
    return found[0] if found else None


def disarm_output(output: dict) -> dict:
    """Replace an HTML or Markdown output holding active markup by its plain text, in place; return it.

    pandas escapes the text of the tables it renders; this catches what is not escaped (a
    Styler built without ``escape="html"``, Markdown made from scraped text), so a scraped
    ``<meta http-equiv="refresh">`` or ``<script>`` shows as text in the exported page.
    """
    data = output.get("data")
    if not isinstance(data, dict):
        return output
    for mime in ("text/html", "text/markdown"):
        body = data.get(mime)
        if body is None:
            continue
        text = "".join(body) if isinstance(body, list) else str(body)
        if active_markup(text if mime == "text/html" else render_markdown_raw(text)):
            data.pop(mime)
            data.setdefault("text/plain", text)
    return output


def render_markdown_raw(text: str) -> str:
    """Return Markdown rendered as Jupyter renders it (raw HTML kept), to look for active markup."""
    try:
        import mistune
    except ImportError:
        return text
    return mistune.create_markdown(escape=False)(text)


def notebook_intro(ipynb: str | os.PathLike) -> tuple[str, str]:
    """Return a notebook's title (its first heading) and the rest of its first markdown cell."""
    try:
        nb = json.loads(Path(ipynb).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Path(ipynb).stem, ""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = text.strip().splitlines()
        if lines and lines[0].lstrip().startswith("#"):
            return lines[0].lstrip("# ").strip(), "\n".join(lines[1:]).strip()
        return Path(ipynb).stem, text.strip()
    return Path(ipynb).stem, ""


def notebook_findings(ipynb: str | os.PathLike) -> list[str]:
    """Return the findings texts (Markdown) an executed notebook showed, in order (see ``corpuslib.run.findings``)."""
    try:
        nb = json.loads(Path(ipynb).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    texts = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            markdown = out.get("data", {}).get("text/markdown")
            if markdown and out.get("metadata", {}).get("corpuslib", {}).get("findings"):
                texts.append("".join(markdown) if isinstance(markdown, list) else str(markdown))
    return texts


def render_markdown(text: str) -> str:
    """Return HTML for a notebook's markdown, with any raw HTML in it escaped."""
    try:
        import mistune
    except ImportError:  # nbconvert depends on mistune; fall back to escaped paragraphs
        return "".join(f"<p>{_esc(p)}</p>" for p in text.split("\n\n") if p.strip())
    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text)


def read_table_head(path: str | os.PathLike, n: int = TABLE_ROWS) -> tuple[list[str], list[list[str]], int]:
    """Return a CSV's header, its first ``n`` rows and its number of rows (streamed, any size)."""
    csv.field_size_limit(2**31 - 1)
    header: list[str] = []
    rows: list[list[str]] = []
    total = 0
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            return [], [], 0
        except csv.Error:
            return [], [], 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                continue
            total += 1
            if len(rows) < n:
                rows.append(row)
    return header, rows, total


def _cell(value: str) -> str:
    value = value.replace("\r", " ")
    shown = value if len(value) <= CELL_CHARS else value[: CELL_CHARS - 1] + "…"
    cls = ' class="num"' if _NUMBER.fullmatch(value.strip() or "x") else ""
    title = f' title="{_esc(value[:CELL_TITLE])}"' if len(value) > CELL_CHARS else ""
    return f"<td{cls}{title}>{_esc(shown)}</td>"


def table_html(path: Path, rel: str) -> str:
    """Return the report block of one CSV: its name and size, a link, and its first rows."""
    header, rows, total = read_table_head(path)
    size = f"{total:,} row{'s' if total != 1 else ''} × {len(header)} column{'s' if len(header) != 1 else ''}"
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    more = f'<p class="more">first {len(rows)} of {total:,} rows</p>' if total > len(rows) else ""
    table = (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{more}'
        if header and rows else '<p class="empty">no rows</p>'
    )
    return (
        f'<details class="table" open><summary><a href="{_esc(rel)}"><code>{_esc(rel)}</code></a>'
        f' <span class="dim">{size}</span></summary>{table}</details>'
    )


def png_size(data: bytes) -> tuple[int, int, float | None] | None:
    """Return a PNG's width and height in pixels and its resolution in dpi (None if unrecorded)."""
    import struct

    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    dpi = None
    at = data.find(b"pHYs", 0, 4096)  # matplotlib writes the resolution right after the header
    if at > 0:
        ppx, _, unit = struct.unpack(">IIB", data[at + 4: at + 13])
        if unit == 1 and ppx:
            dpi = ppx * 0.0254
    return width, height, dpi


def figure_html(path: Path, rel: str) -> str:
    """Return the report block of one figure: the image embedded (or linked when huge) with its name.

    A PNG is shown at its printed size (pixels over its dpi, as a browser sizes a 96 dpi
    inch), capped to the page width, so narrow figures sit side by side instead of filling it.
    """
    mime = _IMAGES.get(path.suffix.lower(), "application/octet-stream")
    data = path.read_bytes() if path.stat().st_size <= EMBED_MAX_BYTES else b""
    src = f"data:{mime};base64," + base64.b64encode(data).decode("ascii") if data else rel
    style = ""
    size = png_size(data) if data else None
    if size:
        width, _, dpi = size
        css = width * 96 / dpi if dpi else width
        style = f' style="width: {css:.0f}px"'
    return (
        f'<figure{style}><a href="{_esc(rel)}"><img src="{_esc(src)}" alt="{_esc(rel)}"></a>'
        f'<figcaption><code>{_esc(rel)}</code></figcaption></figure>'
    )


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _fmt_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str)


def _parameters_html(values: dict, defaults: dict) -> str:
    rows = []
    for name, value in values.items():
        changed = name in defaults and defaults[name] != value and name not in ("out_dir", "documents")
        mark = ' class="changed"' if changed else ""
        rows.append(f"<tr{mark}><th>{_esc(name)}</th><td><code>{_esc(_fmt_value(value))}</code></td></tr>")
    return f'<table class="params">{"".join(rows)}</table>' if rows else ""


#: No scripts, no remote loads: only inline styles and embedded (or local) images.
_CSP = ('<meta http-equiv="Content-Security-Policy" '
        'content="default-src \'none\'; img-src data: \'self\'; style-src \'unsafe-inline\'">')

_CSS = """
:root { --fg:#1d232a; --dim:#5f6b76; --line:#dde3e8; --bg:#ffffff; --band:#f5f7f9; --accent:#2a6f97; }
* { box-sizing: border-box; }
body { margin:0; background:var(--band); color:var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC",
  "Microsoft YaHei", "PingFang SC", Arial, sans-serif; }
header, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; padding-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 0 0 6px; }
h3 { font-size: 15px; margin: 22px 0 8px; color: var(--dim); text-transform: uppercase; letter-spacing: .04em; }
a { color: var(--accent); }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.dim, .meta { color: var(--dim); }
.meta { margin: 0; font-size: 14px; }
nav { margin: 16px 0 8px; }
nav ol { margin: 0; padding: 0; list-style: none; display: grid; gap: 6px; }
nav li { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
nav li a { font-weight: 600; text-decoration: none; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; margin-left: 6px;
  background: #e6f0f6; color: var(--accent); vertical-align: 1px; }
.badge.reused { background: #eef3e8; color: #4f6b2c; }
section.nb { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; margin: 20px 0;
  padding: 20px 24px 24px; }
.intro { max-width: 900px; }
.findings { max-width: 1000px; background: #f7fafc; border-left: 3px solid var(--accent); padding: 2px 14px; }
.findings p, .findings li { margin: 4px 0; }
.intro p { margin: 6px 0; }
.links { margin: 10px 0 0; font-size: 14px; }
.figures { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
figure { margin: 0; max-width: 100%; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
figcaption { font-size: 13px; color: var(--dim); }
details.table { margin: 0 0 16px; }
details.table summary { cursor: pointer; margin-bottom: 6px; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 4px; }
table { border-collapse: collapse; font-size: 13px; }
.scroll table { width: 100%; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--band); position: sticky; top: 0; white-space: nowrap; }
/* One line per row: long cells are cut (the tooltip and the CSV hold the rest). */
td { white-space: nowrap; max-width: 26em; overflow: hidden; text-overflow: ellipsis; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.more, .empty { font-size: 13px; color: var(--dim); margin: 4px 0 0; }
table.params th { font-weight: 600; white-space: nowrap; }
table.params tr.changed th, table.params tr.changed td { background: #fff6dd; }
ul.files { margin: 0; padding-left: 20px; font-size: 14px; }
footer { padding-bottom: 36px; font-size: 14px; color: var(--dim); }
footer table { margin-top: 6px; }
"""


def build_report(out_dir: str | os.PathLike, manifest: dict, *, defaults: dict | None = None) -> Path:
    """Write ``report.html`` in a run's output folder and return its path.

    Parameters
    ----------
    out_dir : path
        The output folder (or the staging folder a run is writing).
    manifest : dict
        The run's manifest (see :mod:`corpuslib.run.manifest`): its ``notebooks`` section names each
        notebook's outputs, status and time, ``parameters`` the effective values.
    defaults : dict, optional
        ``{notebook: {name: default}}``; parameters that differ from their default are highlighted.
    """
    out_dir = Path(out_dir)
    defaults = defaults or {}
    env = manifest.get("environment", {})
    records: dict = manifest.get("notebooks", {})
    nav, sections = [], []
    for i, (name, rec) in enumerate(records.items()):
        anchor = f"nb-{i + 1}"
        ipynb = out_dir / "notebooks" / name
        title, intro = notebook_intro(ipynb)
        # In the order the notebook wrote them (its narrative), names breaking ties.
        outputs = sorted(rec.get("outputs", {}), key=lambda r: (_mtime(out_dir / r), r))
        figures = [r for r in outputs if Path(r).suffix.lower() in _IMAGES and (out_dir / r).is_file()]
        tables = [r for r in outputs if r.endswith(".csv") and (out_dir / r).is_file()]
        pages = [r for r in outputs if r.startswith("explorer/") and r.endswith(".html") and (out_dir / r).is_file()]
        others = [r for r in outputs if r not in figures and r not in tables and r not in pages
                  and not r.startswith("notebooks/")]
        status = rec.get("status", "ran")
        seconds = rec.get("seconds")
        when = f"ran in {seconds:.1f} s" if status == "ran" and seconds is not None else (
            "reused: inputs, parameters and code unchanged since the previous run" if status == "reused" else status)
        nav.append(
            f'<li><a href="#{anchor}">{_esc(title)}</a> <span class="badge {_esc(status)}">{_esc(status)}</span>'
            f' <span class="dim">· {len(figures)} figure{"s" if len(figures) != 1 else ""},'
            f' {len(tables)} table{"s" if len(tables) != 1 else ""}</span></li>'
        )
        html_export = f"notebooks/{Path(name).stem}.html"
        links = []
        if (out_dir / html_export).is_file():
            links.append(f'<a href="{_esc(html_export)}">executed notebook (HTML, code hidden)</a>')
        links.append(f'<a href="notebooks/{_esc(name)}">notebook (.ipynb)</a>')
        parts = [
            f'<section class="nb" id="{anchor}"><h2>{_esc(title)}</h2>',
            f'<p class="meta"><code>{_esc(name)}</code> · {_esc(when)}</p>',
            f'<div class="intro">{render_markdown(intro)}</div>' if intro else "",
            f'<p class="links">{" · ".join(links)}</p>',
        ]
        found = notebook_findings(ipynb)
        if found:
            parts.append('<h3>Findings</h3><div class="findings">' + "".join(render_markdown(t) for t in found) + "</div>")
        if pages:
            items = "".join(f'<li><a href="{_esc(r)}"><code>{_esc(r)}</code></a></li>' for r in pages)
            parts.append('<h3>Interactive pages</h3><p class="dim">Open in any browser, offline: hover and click '
                         f'to explore.</p><ul class="files">{items}</ul>')
        if figures:
            parts.append('<h3>Figures</h3><div class="figures">' + "".join(figure_html(out_dir / r, r) for r in figures) + "</div>")
        if tables:
            parts.append("<h3>Tables</h3>" + "".join(table_html(out_dir / r, r) for r in tables))
        if others:
            items = "".join(
                f'<li><a href="{_esc(r)}"><code>{_esc(r)}</code></a> <span class="dim">'
                f'{(out_dir / r).stat().st_size:,} bytes</span></li>' for r in others if (out_dir / r).is_file()
            )
            parts.append(f'<h3>Other outputs</h3><ul class="files">{items}</ul>')
        values = manifest.get("parameters", {}).get(name, {})
        if values:
            parts.append("<h3>Parameters</h3>" + _parameters_html(values, defaults.get(name, {})))
        parts.append("</section>")
        sections.append("".join(parts))
    n_inputs = len(manifest.get("inputs", {}))
    finished = manifest.get("finished", "")
    meta = " · ".join(x for x in [
        f"finished {finished}" if finished else "",
        f"corpuslib {env.get('corpuslib', '?')}",
        f"Python {env.get('python', '?')}",
        env.get("platform", ""),
        f"{n_inputs} input file{'s' if n_inputs != 1 else ''}",
    ] if x)
    deps = env.get("dependencies", {})
    dep_rows = "".join(f"<tr><th>{_esc(k)}</th><td><code>{_esc(v)}</code></td></tr>" for k, v in deps.items())
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{_CSP}
<title>corpuslib run report</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Research run report</h1>
<p class="meta">{_esc(meta)}</p>
<nav><ol>{"".join(nav)}</ol></nav>
</header>
<main>
{"".join(sections)}
</main>
<footer>
<p>Every input, shipped data file and output of this run is listed with its sha256 in
<a href="manifest.json"><code>manifest.json</code></a>; <code>corpuslib verify {_esc(manifest.get("run", {}).get("out_dir") or "OUT_DIR")}</code>
checks that the outputs are still the ones this run wrote.</p>
<details><summary>Software versions</summary><table class="params">{dep_rows}</table></details>
</footer>
</body>
</html>
"""
    target = out_dir / REPORT
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    return target
