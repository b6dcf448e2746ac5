"""Hostile inputs for the safety tests: paths that are not files, table rows that break the rules,
and scraped text that looks like markup, mathtext or a spreadsheet formula.

:func:`make_hostile_corpus` writes them into a folder and returns what each entry must become.
"""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

#: Seen in the page as text, never as an element or a navigation.
META_REFRESH = '<meta http-equiv="refresh" content="0; url=file:///etc/hostname">'
SCRIPT = "<script>document.title='PWNED';window.pwned=1</script>"
IMG = "<img id=\"pwned-img\" src=x onerror=\"document.title='PWNED';window.pwned=1\">"
BOLD = '<b id="pwned-b">bold</b>'
UNCLOSED_SCRIPT = "<script>x"
MATH_OUTLET = "Báo $x^{$"
FORMULA = '=HYPERLINK("http://example.invalid/","click")'

_SENTENCES = [
    "Ban Chấp hành Trung ương Đảng thảo luận về tinh gọn bộ máy của hệ thống chính trị và công tác cán bộ.",
    "Hội nghị Trung ương lần thứ mười khóa XIII bàn về sắp xếp tổ chức bộ máy, tinh giản biên chế.",
    "Tỉnh ủy tổng kết Nghị quyết 18-NQ/TW về tiếp tục đổi mới, sắp xếp tổ chức bộ máy tinh gọn, hoạt động hiệu lực.",
    "Các đại biểu nhấn mạnh việc nâng cao chất lượng đội ngũ cán bộ, công chức và viên chức.",
]


def _article(i: int, extra: str = "") -> str:
    lines = [_SENTENCES[(i + k) % len(_SENTENCES)] for k in range(4)]
    return "\n".join([*lines[:2], extra, *lines[2:], f"Bài viết số {i} về cải cách hành chính năm 2025."]).strip()


def hostile_rows() -> list[dict]:
    """Table rows whose fields carry markup, mathtext and formulas (each is a real article)."""
    return [
        {"id": "doc-meta", "title": f"Tinh gọn bộ máy {META_REFRESH}", "outlet": MATH_OUTLET,
         "text": _article(1, f"Việc tinh gọn bộ máy {META_REFRESH} được triển khai."), "published": "2025-03-01"},
        {"id": f"doc {UNCLOSED_SCRIPT}", "title": f"Cán bộ {SCRIPT}", "outlet": f"Tuổi Trẻ {BOLD}",
         "text": _article(2, f"Tinh gọn bộ máy {SCRIPT} trong năm nay."), "published": "2025-04-02"},
        {"id": "doc-img", "title": FORMULA, "outlet": MATH_OUTLET, "byline": f"@SUM(1+1) {IMG}",
         "text": _article(3, f"{IMG} Tinh gọn bộ máy là nhiệm vụ trọng tâm."), "published": "2025-05-03"},
        {"id": "doc-plain", "title": "Hội nghị Trung ương", "outlet": "Nhân Dân",
         "text": _article(4, "-Tinh gọn bộ máy, tinh giản biên chế."), "published": "2025-06-04"},
    ]


def _write_tables(folder: Path) -> dict[str, int]:
    """Hostile tables; returns ``{file name: rows in it}`` (every row ends as a document or a rejection)."""
    rows = hostile_rows()
    with open(folder / "hostile.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    base = {"title": "Một bài", "outlet": "Nhân Dân", "url": "https://nhandan.vn/a.html", "published": "2025-07-01"}
    bad = [
        dict(base, id="big-int", text=_article(5)),                                  # + an integer of 4,301 digits
        dict(base, id="bad-url", text=_article(6), url="http://[vnexpress.net/a.html"),
        dict(base, id="lower-z", text=_article(7), published="2025-11-26T03:58:56z"),
        dict(base, id="far-offset", text=_article(8), published="2025-11-26T03:58:56+57:00"),
        dict(base, id="fine", text=_article(9)),
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in bad]
    lines[0] = lines[0][:-1] + ', "n": ' + "9" * 4301 + "}"
    (folder / "rows.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    csv_rows = [f'c{i},"{_article(10 + i)}"' for i in range(6)]
    csv_rows[2] = csv_rows[2].replace("năm", "n\x00m", 1)     # one NUL byte in one cell
    csv_rows[4] = f'c4,"{_article(14)} stray'                 # a stray quote that would swallow the rest
    (folder / "rows.csv").write_bytes(("id,text\n" + "\n".join(csv_rows) + "\n").encode("utf-8"))
    return {"hostile.jsonl": len(rows), "rows.jsonl": len(bad), "rows.csv": len(csv_rows)}


def make_hostile_corpus(folder: Path, seeds: Path | None = None) -> dict:
    """Write the hostile corpus into ``folder`` and return what to expect of it.

    Returns ``{"files": [...], "tables": {name: rows}, "unreadable": [...], "special": [...]}``:
    entries (names relative to ``folder``) that are one document or one rejection each, the
    tables and their rows, the entries only a reader without root's privileges cannot read,
    and those that are not regular files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files, special, unreadable = [], [], []
    if seeds is not None:
        for p in sorted(seeds.glob("*.txt")):
            (folder / p.name).write_bytes(p.read_bytes())
            files.append(p.name)
    (folder / os.fsdecode(b"caf\xe9-latin1.txt")).write_text(_article(20), encoding="utf-8")
    files.append(os.fsdecode(b"caf\xe9-latin1.txt"))
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.fspath(folder / "socket.txt"))
    sock.close()  # the socket file stays
    os.symlink("/dev/zero", folder / "zeros.txt")
    os.symlink("nowhere.txt", folder / "dangling.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.txt").write_text(_article(21), encoding="utf-8")
    os.symlink("sub", folder / "sub-link")
    special += ["pipe.txt", "socket.txt", "zeros.txt", "dangling.txt", "loop.txt", "sub-link"]
    files += ["sub/inner.txt"]
    (folder / "locked.txt").write_text(_article(22), encoding="utf-8")
    os.chmod(folder / "locked.txt", 0)
    (folder / "closed").mkdir()
    (folder / "closed" / "inside.txt").write_text(_article(23), encoding="utf-8")
    os.chmod(folder / "closed", 0)
    unreadable += ["locked.txt", "closed"]
    tables = _write_tables(folder)
    return {"files": files + special + unreadable, "tables": tables, "unreadable": unreadable, "special": special}
