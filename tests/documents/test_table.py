"""The documents table: the seeds as a careful reader sees them, every input format, every rejection."""
import json
from datetime import datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from corpuslib.documents.table import content_hash, ingest, qa_table, read_corpus, removed_lines
from corpuslib.documents.readers import InputNotFoundError
from corpuslib.core.schema import DOCUMENT_COLUMNS, REJECTED_COLUMNS

SEED_EXPECTED = {
    # doc_id: lang, title, outlet, byline, published, date_method
    "000_9b64081dac5aefd5": ("zh", "建设与政治系统组织机构相适应的干部队伍", "Báo Nghệ An", "青乐", datetime(2023, 12, 12, 12, 44), "dateline"),
    "001_530d05727316686e": ("ru", None, None, None, datetime(2024, 12, 16), "lead+story-year"),
    "002_ac3a91a6be4ad3a2": ("zh", "乂安省委常务委员会向省机关集团公务员和公职人员强调了三组任务和解决方案。", "Báo Nghệ An", "清维", datetime(2023, 6, 6, 9, 26), "dateline-decoded"),
    "003_1ff3836bd0693293": ("vi", "Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt công tác xây dựng vị trí việc làm", "Báo Nghệ An", None, datetime(2018, 10, 1), "lead+story-year"),
    "004_5150bff2a22895e7": ("vi", "Tỉnh ủy Lạng Sơn tổng kết Nghị quyết Trung ương 3 khóa VIII về chiến lược cán bộ", "Báo Lạng Sơn", "PHÙNG KHIÊM", None, None),
}

# Nothing of these may stay in a body: photo files, captions and credits, widgets, site footers.
LEFTOVERS = [".jpg", "图片:", "摄影:", "片段:", "Ảnh:", "ảnh 1", "Источник", "Комментарий", "Tin mới", "分享你的观点",
             "供电内容管理系统", "最新的", "特色义安报纸", "(Baonghean.vn)", "LSO-", "PHÙNG KHIÊM", "Các đại biểu tham dự hội nghị"]


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return ingest(seeds_dir)


def test_seeds_all_load(seeds):
    docs, rejected = seeds
    assert list(docs["doc_id"]) == sorted(SEED_EXPECTED)
    assert rejected.empty
    assert list(docs.columns) == list(DOCUMENT_COLUMNS)


@pytest.mark.parametrize("doc_id", sorted(SEED_EXPECTED))
def test_seed_metadata_as_a_reader_sees_it(seeds, doc_id):
    lang, title, outlet, byline, published, method = SEED_EXPECTED[doc_id]
    row = seeds.documents.set_index("doc_id").loc[doc_id]
    assert row["lang"] == lang and row["lang_score"] >= 0.9
    assert (row["title"] if isinstance(row["title"], str) else None) == title
    assert (row["outlet"] if isinstance(row["outlet"], str) else None) == outlet
    assert (row["byline"] if isinstance(row["byline"], str) else None) == byline
    if published is None:
        assert pd.isna(row["published"])
        assert row["date_note"], "a null date needs a reason"
    else:
        assert row["published"] == pd.Timestamp(published)
    assert (row["date_method"] if isinstance(row["date_method"], str) else None) == method


def test_page_header_date_is_kept_apart(seeds):
    row = seeds.documents.set_index("doc_id").loc["004_5150bff2a22895e7"]
    assert row["page_date"] == pd.Timestamp(2019, 4, 23)
    assert "17/11" in row["date_note"]


@pytest.mark.parametrize("doc_id", sorted(SEED_EXPECTED))
def test_no_boilerplate_left_in_bodies(seeds, doc_id):
    text = seeds.documents.set_index("doc_id").loc[doc_id, "text"]
    for leftover in LEFTOVERS:
        assert leftover not in text, f"{leftover!r} left in {doc_id}"
    assert not text.startswith("mask")


def test_removed_lines_are_audited(seeds):
    audit = removed_lines(seeds.documents)
    reasons = set(audit["reason"])
    assert {"image_file", "credit", "footer", "title", "dateline", "outlet_marker", "byline", "caption", "junk"} <= reasons
    assert "bna_toàn cạnh .ảnh thanh lê.jpg" in set(audit["line"])
    qa = qa_table(seeds.documents)
    assert (qa["n_removed"] == audit.groupby("doc_id").size().reindex(qa["doc_id"]).to_numpy()).all()


def test_ingest_is_deterministic(seeds_dir, seeds):
    again = ingest(seeds_dir)
    pd.testing.assert_frame_equal(again.documents, seeds.documents)


def test_doc_ids_are_relative_paths_and_stable(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    body = "Tỉnh ủy Lạng Sơn tổ chức hội nghị tổng kết Nghị quyết Trung ương 3, khóa VIII về chiến lược cán bộ thời kỳ đẩy mạnh."
    (tmp_path / "a" / "b" / "x.txt").write_text(body, encoding="utf-8")
    (tmp_path / "x.txt").write_text(body + " Khác.", encoding="utf-8")
    (tmp_path / "x.md").write_text(body + " Khác nữa.", encoding="utf-8")
    docs = ingest(tmp_path).documents
    assert sorted(docs["doc_id"]) == ["a/b/x", "x", "x~2"]
    assert set(ingest(tmp_path / "a").documents["doc_id"]) == {"b/x"}


def _write_table_inputs(tmp_path):
    rows = [
        {"id": "r1", "title": "Tổng Bí thư gặp các chuyên gia", "summary": "Tổng Bí thư Tô Lâm và đoàn đại biểu cấp cao gặp mặt thành viên Mạng lưới Đổi mới sáng tạo Việt Nam, chiều 10/8.",
         "link": "https://vnexpress.net/tong-bi-thu-gap-cac-chuyen-gia-4925126.html", "source": "VnExpress - Công Nghệ", "published": "2025-08-10T12:04:43+07:00"},
        {"id": "r2", "title": "Tinh gọn bộ máy", "summary": "Bộ Chính trị yêu cầu tiếp tục sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả.",
         "link": "https://tuoitre.vn/x-20250812101500.htm", "source": "Tuổi Trẻ", "published": "2025-08-12T03:15:00+00:00"},
    ]
    jl = tmp_path / "items.jsonl"
    jl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{not json\n", encoding="utf-8")
    csv = tmp_path / "items.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    return jl, csv


@pytest.mark.parametrize("which", ["jsonl", "csv", "tsv"])
def test_table_inputs(tmp_path, which):
    jl, csv = _write_table_inputs(tmp_path)
    if which == "tsv":
        path = tmp_path / "items.tsv"
        pd.read_csv(csv).to_csv(path, sep="\t", index=False)
    else:
        path = jl if which == "jsonl" else csv
    docs, rejected = ingest(path, columns={"id": "id", "text": "summary", "date": "published", "url": "link", "outlet": "source"})
    assert list(docs["doc_id"]) == ["r1", "r2"]
    r1, r2 = docs.set_index("doc_id").loc["r1"], docs.set_index("doc_id").loc["r2"]
    assert r1["outlet"] == "VnExpress" and r1["outlet_method"] == "url"  # the URL names the outlet first
    assert r1["published"] == pd.Timestamp(2025, 8, 10, 12, 4, 43) and r1["date_method"] == "column"
    assert r2["published"] == pd.Timestamp(2025, 8, 12, 10, 15)  # +00:00 converted to Vietnam time
    assert r1["title"] == "Tổng Bí thư gặp các chuyên gia"
    if which == "jsonl":
        assert list(rejected["reason"]) == ["bad_row"] and rejected["source_path"][0].endswith("items.jsonl#3")
    else:
        assert rejected.empty


def test_rows_without_id_get_path_and_row_ids(tmp_path):
    jl, _ = _write_table_inputs(tmp_path)
    docs = ingest(jl, columns={"text": "summary", "id": None}).documents
    assert list(docs["doc_id"]) == ["items#1", "items#2"]


def test_missing_text_column_is_a_rejection_not_a_crash(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"headline": "x", "foo": "y"}) + "\n", encoding="utf-8")
    docs, rejected = ingest(path)
    assert docs.empty
    assert rejected["reason"].tolist() == ["bad_row"] and "no text column" in rejected["detail"][0]


def test_every_rejection_reason(tmp_path, monkeypatch):
    long = "Ban Tổ chức Trung ương tổ chức hội nghị giao ban trực tuyến toàn quốc về công tác xây dựng Đảng năm nay."
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "short.txt").write_text("Tin ngắn.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(long, encoding="utf-8")
    (tmp_path / "b.txt").write_text(long.upper() + "\n", encoding="utf-8")  # same body up to case and spacing
    (tmp_path / "only_footer.txt").write_text("Tin mới\n", encoding="utf-8")
    (tmp_path / "locked.txt").write_text(long + " Khác.", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("id,text\n1,\"" + long + " Bảng.\"\n2,too,many,fields\n", encoding="utf-8")
    import corpuslib.documents.readers as rawio

    real = rawio.read_file

    def read_file(path):  # root can read a chmod-000 file: refuse it here instead
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(rawio, "read_file", read_file)
    docs, rejected = ingest(tmp_path)
    by_file = {r.source_path.split("/")[-1]: r.reason for r in rejected.itertuples()}
    assert by_file == {
        "empty.txt": "empty", "blank.txt": "empty", "image.png": "binary", "short.txt": "too_short",
        "b.txt": "duplicate", "only_footer.txt": "too_short", "locked.txt": "unreadable", "bad.csv#3": "bad_row",
    }
    assert set(docs["doc_id"]) == {"a", "1"}  # the csv's id column is guessed and becomes doc_id
    dup = rejected.set_index("reason").loc["duplicate", "detail"]
    assert "a" in dup
    assert list(rejected.columns) == list(REJECTED_COLUMNS)
    # every input accounted for
    assert len(docs) + len(rejected) == 10


def test_missing_path_raises(tmp_path):
    with pytest.raises(InputNotFoundError):
        ingest(tmp_path / "nope")


def test_read_corpus_keeps_rejections(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("Отдел организации ЦК провел конференцию по работе в 2024 году и задачам на 2025 год.", encoding="utf-8")
    docs = read_corpus(tmp_path)
    assert len(docs) == 1 and docs.attrs["rejected"][0]["reason"] == "empty"


def test_content_hash_folds_case_and_space():
    assert content_hash("Cán  bộ\nĐảng") == content_hash("cán bộ đảng")
    assert content_hash("cán bộ") != content_hash("cán bố")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_ingest_never_raises_on_arbitrary_bytes(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "x.txt").write_bytes(data)
    (folder / "y.jsonl").write_bytes(data)
    docs, rejected = ingest(folder)
    assert len(rejected) >= 2 - len(docs)  # both files accounted for


@pytest.mark.shared
def test_real_crawl_csv(shared_dir):
    path = shared_dir / "corpora" / "crawl_news_vi" / "rss_feed_articles_backup.csv"
    docs, rejected = ingest(path, columns={"id": "id", "text": "content.text", "title": "title", "date": "published_at", "url": "url"})
    n_rows = len(pd.read_csv(path))
    assert len(docs) + len(rejected) == n_rows
    assert len(docs) > 300
    assert docs["outlet"].notna().mean() > 0.95  # from the URL
    assert docs["published"].notna().mean() > 0.95
    assert (docs["date_method"].dropna() == "column").all()
    assert (docs["lang"] == "vi").mean() > 0.95


@pytest.mark.shared
def test_real_vntc_jsonl(shared_dir):
    path = shared_dir / "corpora" / "vntc" / "vntc_chinhtrixahoi_party_keyword_subset.jsonl"
    docs, rejected = ingest(path, columns={"id": "id", "text": "text"})
    assert len(docs) + len(rejected) == 294
    assert docs["doc_id"].str.endswith(".txt").all()
    assert (docs["lang"] == "vi").all()
    assert not docs["text"].str.contains("\r").any()


def _cp1258_form(ch):
    import unicodedata

    d = unicodedata.normalize("NFD", ch)
    tones = [c for c in d if c in "\u0300\u0301\u0303\u0309\u0323"]
    if tones:
        return unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)) + tones[0]
    return ch


@pytest.mark.parametrize(
    "seed, codec, expected",
    [
        ("003", "utf-8", "utf-8"),
        ("003", "utf-8-sig", "utf-8-sig"),
        ("003", "utf-16", "utf-16-le"),  # BOM
        ("003", "utf-16-le", "utf-16-le"),  # no BOM, as VNTC's originals
        ("003", "utf-16-be", "utf-16-be"),
        ("003", "cp1258", "cp1258"),
        ("003", "viscii", "viscii"),
        ("003", "tcvn3", "tcvn3"),
        ("000", "gb18030", "gb18030"),
        ("002", "gbk", "gb18030"),
        ("001", "cp1251", "cp1251"),
        ("001", "koi8-r", "koi8-r"),
    ],
)
def test_files_in_every_encoding_load_as_the_same_document(tmp_path, seeds, seed, codec, expected):
    import corpuslib.documents.encodings  # noqa: F401  registers viscii and tcvn3
    from tests.conftest import SEEDS

    (src,) = sorted(SEEDS.glob(f"{seed}*.txt"))
    text = src.read_text(encoding="utf-8")
    if codec in ("cp1258", "viscii", "tcvn3", "cp1251", "koi8-r", "gbk", "gb18030"):
        text = text.replace("“", '"').replace("”", '"').replace("…", "...")  # legacy code pages lack them
    if codec == "cp1258":  # Windows-1258 stores base letter (with its hat/horn) + a combining tone mark
        text = "".join(_cp1258_form(ch) for ch in text)
    (tmp_path / src.name).write_bytes(text.encode(codec, errors="replace"))
    docs = ingest(tmp_path).documents
    ref = ingest(src.parent).documents.set_index("doc_id").loc[src.stem]
    row = docs.iloc[0]
    assert row["encoding"] == expected
    same = lambda r: [v if isinstance(v, str) else None for v in (r["lang"], r["title"], r["outlet"])]
    assert same(row) == same(ref)
    assert row["text"].replace('"', "") [:300] == ref["text"].replace("“", "").replace("”", "").replace('"', "")[:300]


def test_streamed_ingest_reports_the_inputs_fingerprint(tmp_path, seeds_dir, monkeypatch):
    import corpuslib.documents.readers as rawio
    from corpuslib.documents.table import ingest_to_parquet, inputs_fingerprint

    monkeypatch.setenv("CORPUSLIB_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(seeds_dir.glob("*.txt"))[:3]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "locked.txt").write_text("x" * 200, encoding="utf-8")
    real = rawio.read_file

    def read_file(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(rawio, "read_file", read_file)
    first = inputs_fingerprint(src)
    streamed = ingest_to_parquet(src, tmp_path / "d.parquet", n_jobs=1)
    assert streamed.fingerprint == first  # the same hash, computed while reading
    assert ingest_to_parquet(src, tmp_path / "d.parquet", n_jobs=1, cache=False).fingerprint == ""
    assert inputs_fingerprint(src, min_chars=10) != first  # options are part of it
    victim = sorted(src.glob("0*.txt"))[0]
    victim.write_bytes(victim.read_bytes() + b"\n.")
    assert inputs_fingerprint(src) != first  # and every byte


# --- issue 14: faithful text on the real corpora ----------------------------------------------------

RSS = "rss_political_vi/rss_political_keyword_subset.jsonl"
VNTC = "vntc/vntc_chinhtrixahoi_party_keyword_subset.jsonl"
CRAWL = "crawl_news_vi/rss_feed_articles_backup.csv"


def _rows_of(shared_dir, corpus, rows, tmp_path, name="items.jsonl"):
    """Copy the given 1-based rows of a real JSON Lines corpus into a small file (same bytes per row)."""
    lines = (shared_dir / "corpora" / corpus).read_text(encoding="utf-8").split("\n")
    out = tmp_path / name
    out.write_text("\n".join(lines[n - 1] for n in rows) + "\n", encoding="utf-8")
    return out, [json.loads(lines[n - 1]) for n in rows]


# Five one-sentence RSS items that open with (or hold) a date: news, rejected as "empty" before.
@pytest.mark.shared
@pytest.mark.parametrize("row", [1380, 1528, 1948, 629, 770])
def test_a_one_sentence_item_with_a_date_is_news(shared_dir, tmp_path, row):
    path, (item,) = _rows_of(shared_dir, RSS, [row], tmp_path)
    docs, rejected = ingest(path, n_jobs=1, cache=False)
    assert rejected.empty, rejected.to_dict("records")
    removed = json.loads(docs["removed"][0])
    expected = item["summary"].strip()
    for r in removed:  # "VnExpress giới thiệu" (row 1528): the outlet's credit to itself goes (issue 14.9)
        if r["reason"] == "self_credit":
            assert r["line"] in expected
            expected = expected.replace(r["line"] + " ", "", 1)
    assert docs["text"][0] == expected
    assert docs["title"][0] == item["title"].strip()
    assert "dateline" not in {r["reason"] for r in removed}


# Three video promos of the same year: fair rejections, and the rejection says what was removed.
@pytest.mark.shared
@pytest.mark.parametrize("row", [1036, 1359, 1382])
def test_a_video_promo_is_rejected_naming_the_line(shared_dir, tmp_path, row):
    path, (item,) = _rows_of(shared_dir, RSS, [row], tmp_path)
    docs, rejected = ingest(path, n_jobs=1, cache=False)
    assert docs.empty
    (rej,) = rejected.to_dict("records")
    assert rej["reason"] == "empty"
    assert rej["detail"].startswith("no body text left after cleaning; removed promo ")
    assert item["summary"].strip()[:100] in rej["detail"]


def test_every_empty_after_cleaning_rejection_names_the_lines(tmp_path):
    # real boilerplate lines of the seeds: a share widget, a photo file name, a footer
    (tmp_path / "a.txt").write_text("Chia sẻ\nbna_toàn cạnh .ảnh thanh lê.jpg\nTin mới\n", encoding="utf-8")
    _, rejected = ingest(tmp_path, n_jobs=1, cache=False)
    (rej,) = rejected.to_dict("records")
    assert rej["reason"] == "empty"
    assert rej["detail"] == ("no body text left after cleaning; removed share 'Chia sẻ'; "
                             "image_file 'bna_toàn cạnh .ảnh thanh lê.jpg'; footer 'Tin mới'")


@pytest.fixture(scope="module")
def vntc(shared_dir):
    path = shared_dir / "corpora" / VNTC
    raw = {json.loads(line)["id"]: json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line}
    return ingest(path, n_jobs=1, cache=False).documents, raw


@pytest.mark.shared
def test_vntc_titles_never_eat_the_body(vntc):
    """VNTC has no title column: a headline is borrowed from the text only when it looks like one, and the
    paragraph stays in the body unless the page repeats it (45 of 294 bodies lost a paragraph before)."""
    docs, raw = vntc
    assert len(docs) == 294
    from corpuslib.documents.boilerplate import looks_like_title

    for doc in docs.itertuples():
        removed = json.loads(doc.removed)
        for entry in removed:
            if entry["reason"] == "title":
                assert entry["line"] in doc.text  # the page said it twice: once is kept
        if isinstance(doc.title, str):
            assert looks_like_title(doc.title)
            assert doc.title in doc.text
    assert docs["title"].notna().sum() > 100  # the headlines VNTC does carry are still found


@pytest.mark.shared
@pytest.mark.parametrize("paragraph", [
    # body paragraphs of VNTC that were taken as titles (and gone from the body) before
    "Tham dự lễ mít tinh có các lão thành cách mạng, bà mẹ Việt Nam anh hùng, đại diện các tổ chức",
    "Đồng chí Trần Đức Lương, Ủy viên Bộ Chính trị, Chủ tịch nước đã đến dự và phát biểu chỉ đạo đại hội.",
    "Ông Nguyễn Việt Tiến nhấn mạnh như vậy trong hai giờ tiếp xúc với báo chí ngày 28-3.",
    ". Phóng viên: Bộ trưởng có thể nói cụ thể hơn?",
])
def test_vntc_paragraphs_stay_in_the_body(vntc, paragraph):
    docs, raw = vntc
    (doc_id,) = [i for i, t in raw.items() if paragraph in t]
    text = docs.set_index("doc_id").loc[doc_id, "text"]
    assert paragraph in text
    assert docs.set_index("doc_id").loc[doc_id, "title"] != paragraph


@pytest.mark.parametrize("field, raw, expected", [
    # real cells: crawl titles, VNTC related-link lines, RSS and VNTC ampersands
    ("title", "Kh&aacute;nh H&ograve;a quyết t&acirc;m", "Khánh Hòa quyết tâm"),
    ("title", "Trải nghiệm đặc biệt tr&ecirc;n &#039;Chuyến t&agrave;u hạnh ph&uacute;c&#039;",
     "Trải nghiệm đặc biệt trên 'Chuyến tàu hạnh phúc'"),
    ("title", "Triển khai dự án điện hạt nhân Ninh Thuận 1&amp;2", "Triển khai dự án điện hạt nhân Ninh Thuận 1&2"),
    ("title", "Mã &amp;lt;b&amp;gt; trong tiêu đề", "Mã &lt;b&gt; trong tiêu đề"),  # decoded once, not twice
    ("text", "nơi nêu trên có thể theo trình tự ưu tiên: nơi thường trú-- &gt;nơi tạm trú có thời hạn --&gt; nơi sinh",
     "nơi thường trú-- >nơi tạm trú có thời hạn --> nơi sinh"),                                  # VNTC sample
    ("text", "Xanh với nhóm GMC và ca sĩ Khánh Ngọc; T&amp;V với ca sĩ Lưu Việt Hùng", "T&V với ca sĩ"),
    ("text", "Cục Quản lý xây dựng công trình (QLXDCT), Bộ NN&PTNT; Nguyễn Hải Thanh",     # 24h crawl: not a
     "Cục Quản lý xây dựng công trình (QLXDCT), Bộ NN&PTNT; Nguyễn Hải Thanh"),            # reference, kept
    ("outlet", "Ng&#432;&#7901;i Lao &#272;&#7897;ng", "Người Lao Động"),
])
def test_html_references_are_decoded_once_in_every_field(tmp_path, field, raw, expected):
    body = ("Ban Tổ chức Trung ương tổ chức hội nghị giao ban trực tuyến toàn quốc về công tác xây dựng Đảng "
            "năm nay, với sự tham dự của đại biểu các tỉnh.")
    row = {"id": "a", "title": "Hội nghị giao ban", "outlet": "Báo X", "text": body}
    row[field] = raw + ("\n" + body if field == "text" else "")
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    docs, _ = ingest(path, n_jobs=1, cache=False)
    value = docs[field][0]
    assert expected in value and "&amp;" not in value and "&aacute;" not in value
    if field == "text":  # the audit says when the text was decoded
        audit = {"line": "(HTML character references decoded)", "reason": "html_entities"}
        assert (audit in json.loads(docs["removed"][0])) is (raw != expected)


@pytest.mark.shared
def test_no_html_reference_is_left_in_the_crawl(shared_dir):
    import re

    path = shared_dir / "corpora" / CRAWL
    docs = ingest(path, n_jobs=1, cache=False).documents
    entity = re.compile(r"&(?:[a-zA-Z]{2,31}|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
    raw_titles = pd.read_csv(path)["title"].dropna()
    assert raw_titles.str.contains(entity).sum() > 25  # the crawl does hold them (29 "C&agrave; Mau"-like titles)
    for col in ("title", "text", "outlet", "byline"):
        assert not docs[col].dropna().str.contains(entity).any(), col


def test_rejected_rows_are_in_row_order(tmp_path):
    good = json.dumps({"id": "ok", "text": "Ban Tổ chức Trung ương tổ chức hội nghị giao ban trực tuyến toàn quốc về công tác cán bộ."}, ensure_ascii=False)
    lines = [good] + ["{bad json"] * 11 + [json.dumps({"id": "e", "text": ""})]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "z.txt").write_text("", encoding="utf-8")
    _, rejected = ingest(tmp_path, n_jobs=1, cache=False)
    rows = [p.rsplit("#", 1)[1] for p in rejected["source_path"] if "#" in p]
    assert rows == [str(n) for n in range(2, 14)]  # #2 ... #13 by number, not "#10" before "#2"
    assert rejected["source_path"].iloc[-1].endswith("z.txt")


def test_streamed_ingest_runs_are_arrow_not_pickle(tmp_path):
    # the external sort's temporary runs are read back: they must be data, never code
    import pickle

    from corpuslib.documents.table import _read_run, _write_run

    rows = [{"doc_id": f"d{i:03d}", "source_path": "a.jsonl", "title": None if i % 2 else "Hoà <b>",
             "published": pd.Timestamp("2026-01-20 08:00", tz="Asia/Ho_Chi_Minh") if i % 3 else None,
             "removed": ["photo.jpg", "=cmd"] if i % 5 == 0 else []} for i in range(450, 0, -1)]
    path = _write_run(list(rows), str(tmp_path), "run0")
    back = list(_read_run(path))
    assert [r["doc_id"] for r in back] == sorted(r["doc_id"] for r in rows)
    by_id = {r["doc_id"]: r for r in rows}
    for r in back:
        want = by_id[r["doc_id"]]
        assert r["title"] == want["title"] and r["removed"] == want["removed"]
        assert (r["published"] is None) == (want["published"] is None)
        if want["published"] is not None:
            assert pd.Timestamp(r["published"]) == want["published"]
    with open(path, "rb") as fh, pytest.raises(Exception):
        pickle.load(fh)


@pytest.mark.parametrize("first, title", [
    # a one-sentence lead that opens with a date (RSS year, row 1380): news, not a dateline, not a headline
    ("Sáng 20.1.2026, Đại hội đại biểu toàn quốc lần thứ XIV của Đảng sẽ khai mạc trọng thể tại Hà Nội.", None),
    # a VNTC paragraph (XH_NLD): not a headline
    ("Đồng chí Trần Đức Lương, Ủy viên Bộ Chính trị, Chủ tịch nước đã đến dự và phát biểu chỉ đạo đại hội.", None),
    # a VNTC headline line: a page's headline leaves the body of a .txt page
    ("Tổng bí thư Nông Đức Mạnh tái đắc cử", "Tổng bí thư Nông Đức Mạnh tái đắc cử"),
])
def test_a_txt_page_keeps_its_first_line_unless_it_is_a_headline(tmp_path, first, title):
    rest = ("Các đại biểu đã thảo luận về công tác xây dựng Đảng và chỉnh đốn Đảng trong nhiệm kỳ mới, "
            "thống nhất các chỉ tiêu chủ yếu.")
    (tmp_path / "a.txt").write_text(first + "\n\n" + rest + "\n", encoding="utf-8")
    docs, rejected = ingest(tmp_path, n_jobs=1, cache=False)
    assert rejected.empty
    doc = docs.iloc[0]
    assert (doc["title"] if isinstance(doc["title"], str) else None) == title
    assert doc["text"] == (rest if title else first + "\n" + rest)
