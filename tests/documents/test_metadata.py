"""Headline, outlet, byline and publication date from real page headers."""
from datetime import datetime

import pytest

from corpuslib.documents.metadata import (
    byline_placeholder, extract_metadata, load_outlets, outlet_from_name, outlet_from_url,
)

LEAD_VI = "Đây là đánh giá của đồng chí Phạm Minh Chính tại Hội nghị giao ban trực tuyến ngành Tổ chức xây dựng Đảng toàn quốc."


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("https://vnexpress.net/tong-bi-thu-gap-cac-chuyen-gia-4925126.html", "VnExpress"),
        ("https://tuoitre.vn/x-20250812101500.htm", "Tuổi Trẻ"),
        ("https://www.24h.com.vn/tin-tuc-trong-ngay/x-c46a1734856.html", "24h"),
        ("https://nld.com.vn/ket-qua-dieu-tra.htm", "Người Lao Động"),
        ("baonghean.vn/some-article", "Báo Nghệ An"),
        ("https://example.org/x", None),
    ],
)
def test_outlet_from_url(url, outlet):
    assert outlet_from_url(url) == outlet


@pytest.mark.parametrize(
    "name, outlet",
    [("VnExpress - Thế giới", "VnExpress"), ("Tuổi Trẻ", "Tuổi Trẻ"), ("Thanh Niên", "Thanh Niên"), ("baonghean.vn", "Báo Nghệ An"), ("RSS_Feed", None),
     # the outlet cells of VNTC (vntc_*.jsonl) and of the RSS year (rss_political_vi): one name each
     ("Tuổi Trẻ (tuoitre.vn)", "Tuổi Trẻ"), ("Người Lao Động (nld.com.vn)", "Người Lao Động"),
     ("Thanh Niên (thanhnien.vn)", "Thanh Niên"), ("VnExpress (vnexpress.net)", "VnExpress"),
     ("VnExpress - Kinh Doanh", "VnExpress"), ("VnExpress - Công Nghệ", "VnExpress"),
     ("Tuổi Trẻ Online", "Tuổi Trẻ"), ("Báo Mới (baomoi.com)", None), ("Thanh niên Việt", None)],
)
def test_outlet_from_name(name, outlet):
    assert outlet_from_name(name) == outlet


@pytest.mark.parametrize(
    "lead, outlet",
    [
        ("(Baonghean.vn)-研究建设与创新相关的各级干部队伍", "Báo Nghệ An"),
        ("(Baonghean.vn) - Đây là đánh giá của đồng chí Phạm Minh Chính", "Báo Nghệ An"),
        ("LSO-Chiều nay (17/11), Tỉnh ủy Lạng Sơn tổ chức hội nghị", "Báo Lạng Sơn"),
        ("TPO - Sáng nay, Ban Tổ chức Trung ương tổ chức hội nghị", "Tiền Phong"),
        ("(Dân trí) - Tổng Bí thư Tô Lâm chủ trì phiên họp", "Dân trí"),
    ],
)
def test_outlet_marker_is_found_and_stripped(lead, outlet):
    body, meta = extract_metadata(["Tiêu đề bài báo", lead, LEAD_VI])
    assert meta.outlet == outlet and meta.outlet_method == "marker"
    assert not body[0].startswith(("(", "LSO", "TPO"))
    assert any(r["reason"] == "outlet_marker" for r in meta.removed)


def test_column_values_win_and_iso_offsets_are_converted():
    body, meta = extract_metadata(
        [LEAD_VI], title="Tiêu đề", outlet="VnExpress - Thời sự", byline="Trần Thường",
        date_value="2026-02-02T07:51:00+00:00", url="https://vnexpress.net/x.html",
    )
    # the outlet agrees with the URL, which names it first (issue 14.6)
    assert (meta.title, meta.outlet, meta.outlet_method, meta.byline) == ("Tiêu đề", "VnExpress", "url", "Trần Thường")
    assert meta.published == datetime(2026, 2, 2, 14, 51) and meta.date_method == "column" and meta.published_has_time


def test_bad_date_cell_falls_back_and_says_so():
    _, meta = extract_metadata(["Tiêu đề", "Thứ ba, 23/04/2019 10:15", LEAD_VI, LEAD_VI], date_value="not a date")
    assert meta.published == datetime(2019, 4, 23, 10, 15) and meta.date_method == "dateline"
    assert "not understood" in meta.date_note


def test_time_first_header_and_byline_from_dateline():
    body, meta = extract_metadata(["Tiêu đề bài báo về cán bộ", "Thanh Lê - 12:44 12/12/2023", LEAD_VI, LEAD_VI])
    assert meta.published == datetime(2023, 12, 12, 12, 44)
    assert meta.byline == "Thanh Lê" and meta.title == "Tiêu đề bài báo về cán bộ"
    assert body == [LEAD_VI, LEAD_VI]


@pytest.mark.parametrize("last, byline", [("PHÙNG KHIÊM", "PHÙNG KHIÊM"), ("Tác giả: Nguyễn Văn A", "Nguyễn Văn A"), ("Автор: Иван Петров", "Иван Петров")])
def test_byline_at_the_foot(last, byline):
    body, meta = extract_metadata(["Tiêu đề", LEAD_VI, LEAD_VI + " Hai.", last])
    assert meta.byline == byline and last not in body


def test_header_date_contradicted_by_today_in_lead_is_a_page_date():
    lines = ["Thứ ba, 23/04/2019", "Tỉnh ủy Lạng Sơn tổng kết Nghị quyết", "LSO-Chiều nay (17/11), Tỉnh ủy Lạng Sơn tổ chức hội nghị tổng kết.", LEAD_VI]
    _, meta = extract_metadata(lines)
    assert meta.published is None and meta.page_date == datetime(2019, 4, 23)
    assert "not the article's date" in meta.date_note


def test_header_date_agreeing_with_lead_is_the_date():
    lines = ["Thứ ba, 17/11/2017", "Tỉnh ủy Lạng Sơn tổng kết Nghị quyết", "LSO-Chiều nay (17/11), Tỉnh ủy Lạng Sơn tổ chức hội nghị tổng kết.", LEAD_VI]
    _, meta = extract_metadata(lines)
    assert meta.published == datetime(2017, 11, 17) and meta.page_date is None


def test_no_date_anywhere_gives_a_reason():
    _, meta = extract_metadata([LEAD_VI, LEAD_VI])
    assert meta.published is None and meta.date_method is None and meta.date_note


def test_story_year_needs_two_mentions():
    once = ["Chấm dứt tình trạng lãng phí", "Ngày 18/3, Phó thủ tướng ký công điện về việc tổ chức lễ kỷ niệm.", "Công trình xây dựng từ năm 1957 vẫn được giữ nguyên."]
    _, meta = extract_metadata(once)
    assert meta.published is None and "too weak" in meta.date_note
    twice = once + ["Trong năm 1957, tỉnh đã hoàn thành kế hoạch."]
    _, meta = extract_metadata(twice)
    assert meta.published == datetime(1957, 3, 18) and meta.date_method == "lead+story-year"


# Real RSS items (rss_political_vi): Tuổi Trẻ carries the fetch time, flagged as a fallback; the URL
# id carries the CMS creation time, written out by hand here as the expected date.
SUMMARY_TT = ("Trao đổi với Tuổi Trẻ, Tổng Bí thư Tô Lâm cho biết hợp tác Việt Nam - Hàn Quốc sẽ tạo nên "
              "kỳ tích sông Hồng.")


@pytest.mark.parametrize(
    "url, cell, fallback, expected, method",
    [
        # fallback flag, URL on another day: the URL wins
        ("https://tuoitre.vn/salacia-villas-song-nghi-duong-cho-thue-dai-han-tang-gia-ben-vung-2025080817555144.htm",
         "2025-08-11T10:30:41.240600+07:00", True, datetime(2025, 8, 8, 17, 55, 51), "url"),
        ("https://tuoitre.vn/tong-bi-thu-to-lam-hop-tac-viet-nam-han-quoc-se-tao-nen-ky-tich-song-hong-20250812222650768.htm",
         "2025-08-13T01:18:00.949749+07:00", "true", datetime(2025, 8, 12, 22, 26, 50), "url"),
        # fallback flag, same day: still the URL (the fetch time is never the publication)
        ("https://tuoitre.vn/tong-bi-thu-to-lam-chung-kien-le-trao-cac-van-kien-hop-tac-viet-nam-han-quoc-20250811120543723.htm",
         "2025-08-11T13:20:39.357827+07:00", True, datetime(2025, 8, 11, 12, 5, 43), "url"),
        # no flag, cell 3 h before the URL was made, on the previous day: contradicted
        ("https://thanhnien.vn/tin-tuc-dac-biet-tren-bao-in-thanh-nien-2982025-185250829001350814.htm",
         "2025-08-28T20:54:00+07:00", False, datetime(2025, 8, 29, 0, 13, 50), "url"),
        # no flag, cell later than the URL (published the next night): the cell stands
        ("https://thanhnien.vn/toan-dan-bao-ve-an-ninh-to-quoc-185250818200730191.htm",
         "2025-08-19T03:34:00+07:00", "false", datetime(2025, 8, 19, 3, 34), "column"),
        # no flag, URL made months before (prepared story, Yonsei doctorate in August 2025): the cell stands
        ("https://thanhnien.vn/dh-yonsei-noi-tong-bi-thu-nhan-bang-tien-si-danh-du-co-gi-dac-biet-185250226174901798.htm",
         "2025-08-13T09:31:00+07:00", False, datetime(2025, 8, 13, 9, 31), "column"),
        # no flag, same day, cell before the URL (feed UTC read as local): the day is right, the cell stands
        ("https://thanhnien.vn/le-don-tong-bi-thu-to-lam-tham-cap-nha-nuoc-han-quoc-185250811091803911.htm",
         "2025-08-11T02:29:00+07:00", False, datetime(2025, 8, 11, 2, 29), "column"),
        # no date in the URL (VnExpress): the cell stands, fallback or not
        ("https://vnexpress.net/tong-bi-thu-tang-thu-tiet-kiem-chi-de-dau-tu-du-an-lon-xoay-chuyen-tinh-the-4924555.html",
         "2025-08-08T09:28:18+07:00", True, datetime(2025, 8, 8, 9, 28, 18), "column"),
    ],
)
def test_the_best_date_wins_and_says_why(url, cell, fallback, expected, method):
    _, meta = extract_metadata([SUMMARY_TT], title="Tiêu đề", url=url, date_value=cell, date_is_fallback=fallback)
    assert (meta.published.replace(microsecond=0), meta.date_method) == (expected, method)
    if method == "url":
        assert cell[:19] in meta.date_note and ("fallback" in meta.date_note or "contradicts" in meta.date_note)
    elif fallback is True:
        assert "fallback" in meta.date_note


@pytest.mark.parametrize("flag", [None, False, "false", "0", "", float("nan")])
def test_a_fallback_flag_that_is_not_true_changes_nothing(flag):
    url = "https://tuoitre.vn/salacia-villas-song-nghi-duong-cho-thue-dai-han-tang-gia-ben-vung-2025080817555144.htm"
    _, meta = extract_metadata([SUMMARY_TT], title="T", url=url, date_value="2025-08-09T10:30:41+07:00",
                               date_is_fallback=flag)
    assert meta.date_method == "column" and meta.published == datetime(2025, 8, 9, 10, 30, 41)


@pytest.mark.parametrize("outlet", sorted({o.outlet for o in load_outlets()}))
def test_every_outlet_is_one_name_whichever_way_it_is_written(outlet):
    row = next(o for o in load_outlets() if o.outlet == outlet)
    assert outlet_from_url(f"https://{row.domain}/a-1.htm") == outlet
    assert outlet_from_name(f"{outlet} ({row.domain})") == outlet
    assert outlet_from_name(row.domain) == outlet


# (url, outlet cell, lead) of real rows: the URL's domain names the publisher, before marker and column.
@pytest.mark.parametrize(
    "url, cell, lead, outlet",
    [
        ("https://dantri.com.vn/thoi-su/tong-bi-thu-to-lam-20260129213000000.htm", None,
         "(Dân trí) - Tổng Bí thư Tô Lâm chủ trì phiên họp", "Dân trí"),
        ("https://tuoitre.vn/to-chuc-doan-lam-gi-de-bao-ve-20250812101500.htm", "Tuổi Trẻ",
         "TTO - Sáng nay, Ban Tổ chức Trung ương tổ chức hội nghị", "Tuổi Trẻ"),
        # a repost: the site published it, the lead credits the agency
        ("https://vietnamnet.vn/thu-tuong-du-hoi-nghi-2486000.html", None,
         "(TTXVN) - Thủ tướng Phạm Minh Chính dự hội nghị", "VietNamNet"),
        # no URL: the column (VNTC)
        (None, "Tuổi Trẻ (tuoitre.vn)", LEAD_VI, "Tuổi Trẻ"),
    ],
)
def test_url_domain_first(url, cell, lead, outlet):
    body, meta = extract_metadata([lead, LEAD_VI], title="T", url=url, outlet=cell)
    assert meta.outlet == outlet
    assert meta.outlet_method == ("url" if url else "column")
    assert not body[0].startswith(("(", "TTO"))  # the marker still leaves the lead


@pytest.mark.parametrize(
    "cell, is_placeholder",
    [
        # source.name cells of crawl_news_vi rss_feed_articles_backup.csv / 24h_html_categories_vi.csv
        ("RSS_Feed", True), ("CTV", True), ("laodong.vn", True), ("https://www.facebook.com/bbcnews", True),
        ("VnExpress", True), ("24h", True), ("TTXVN", True),
        ("Thành Đạt", False), ("Minh Phương", False), ("N. Tuấn Sơn", False), ("THÀNH CHUNG", False),
        ("Khổng Chiêm", False), ("Thanh Niên Xung Phong", False),
    ],
)
def test_a_placeholder_is_not_a_byline(cell, is_placeholder):
    assert (byline_placeholder(cell) is not None) == is_placeholder
    _, meta = extract_metadata([LEAD_VI, LEAD_VI], title="T", byline=cell, url="https://dantri.com.vn/x.htm")
    assert meta.byline == (None if is_placeholder else cell)
    audit = [r for r in meta.removed if r["reason"] == "byline_placeholder"]
    assert [r["line"] for r in audit] == ([cell] if is_placeholder else [])
    assert all(r["note"] for r in audit)


def test_a_placeholder_cell_leaves_room_for_the_foot_byline():
    _, meta = extract_metadata([LEAD_VI, LEAD_VI, "PHÙNG KHIÊM"], title="T", byline="RSS_Feed")
    assert meta.byline == "PHÙNG KHIÊM"


# The rest of a dateline is a byline only when it reads as a name (seeds, VNTC sample).
@pytest.mark.parametrize(
    "dateline, byline",
    [
        ("Thanh Lê - 12:44 12/12/2023", "Thanh Lê"),
        ("青乐 - 十二月 12, 2023 12:44", "青乐"),                      # seed 000
        ("Buổi trưa 30/4/1975 tại Dinh Độc Lập", None),                # VNTC DS_VNE_T_ (2630): a place
    ],
)
def test_a_dateline_gives_a_byline_only_when_it_is_a_name(dateline, byline):
    _, meta = extract_metadata(["Tiêu đề bài báo", dateline, LEAD_VI, LEAD_VI])
    assert meta.byline == byline
