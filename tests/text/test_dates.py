"""Tests for corpuslib.text.dates: datelines, table values, URLs and temporal expressions.

Snippets are copied from the seeds (data/raw), the crawl CSVs, the RSS jsonl and VNTC
(../shared/corpora); expected values were read off the text by hand.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuslib.text import dates
from corpuslib.text.dates import (
    PLACEHOLDER_YEAR,
    date_from_url,
    decode_dnum,
    extract_dates,
    find_day_month,
    infer_story_year,
    parse_date_value,
    parse_dateline,
)

from corpuslib.text.dates.rules import valid as dates_valid
from tests.conftest import ROOT, seed_text

D = dt.datetime

# --------------------------------------------------------------------------- datelines

DATELINES = [
    # (line, value, has_time, method, utc_offset)
    ("青乐 - 十二月 12, 2023 12:44", D(2023, 12, 12, 12, 44), True, "dateline", None),      # seed 000
    ("Thứ ba, 23/04/2019", D(2019, 4, 23), False, "dateline", None),                       # seed 004
    ("清维 DNUM_AGZAGZCACD 09:26", D(2023, 6, 6, 9, 26), True, "dateline-decoded", None),  # seed 002
    ("Thứ Hai, 02/02/2026 - 14:30 (GMT+7)", D(2026, 2, 2, 14, 30), True, "dateline", "+07:00"),
    ("14:30 02/02/2026", D(2026, 2, 2, 14, 30), True, "dateline", None),
    ("12 декабря 2023 г., 12:44", D(2023, 12, 12, 12, 44), True, "dateline", None),
    ("December 12, 2023", D(2023, 12, 12), False, "dateline", None),
    ("2023年12月12日 12:44", D(2023, 12, 12, 12, 44), True, "dateline", None),
    ("2026-02-02T07:51:00+00:00", D(2026, 2, 2, 7, 51), True, "iso", "+00:00"),            # crawl CSV
    ("2025-10-01T17:12:23.852568+07:00", D(2025, 10, 1, 17, 12, 23), True, "iso", "+07:00"),  # rss jsonl
    ("Tháng Mười Hai 29, 2013, 14:14", D(2013, 12, 29, 14, 14), True, "dateline", None),
    ("05 Tháng một 2015 - 03:54 AM", D(2015, 1, 5, 3, 54), True, "dateline", None),
    ("Пнд, 07 янв. 2019 г. 12:15", D(2019, 1, 7, 12, 15), True, "dateline", None),
    ("2016年9月14日晚8:00", D(2016, 9, 14, 20, 0), True, "dateline", None),
    ("2016年06月30日09时30分", D(2016, 6, 30, 9, 30), True, "dateline", None),
    ("Thứ Năm, ngày 8 tháng 1 năm 2015", D(2015, 1, 8), False, "dateline", None),
    ("Thứ Tư, 07/01/2015 | 22:34", D(2015, 1, 7, 22, 34), True, "dateline", None),
    ("Lễ viếng lúc 9g30 ngày 7-1-2006. Lễ truy điệu", D(2006, 1, 7, 9, 30), True, "dateline", None),  # VNTC
]


@pytest.mark.parametrize("line,value,has_time,method,offset", DATELINES)
def test_parse_dateline(line, value, has_time, method, offset):
    p = parse_dateline(line)
    assert p is not None
    assert (p.value, p.has_time, p.has_year, p.method, p.utc_offset) == (value, has_time, True, method, offset)
    assert line[p.span[0]:p.span[1]] == p.matched


@pytest.mark.parametrize("seed,line_no", [("000", 2), ("002", 2), ("004", 0)])
def test_seed_dateline_lines_parse(seed, line_no):
    line = seed_text(seed).splitlines()[line_no]
    p = parse_dateline(line)
    assert p is not None and p.has_year and p.value.year in (2019, 2023)


@pytest.mark.parametrize("line", [
    "2020-2025",                              # a term, not a day
    "18-NQ/TW", "Nghị quyết số 39 - NQ/TW", "920-TB/TU",
    "giảm được 85.600 người", "tương đương 3,51%", "hợp đồng 68",
    "16 декабря", "chiều 1/10", "12月12日上午", "Chiều nay (17/11)",  # no year: find_day_month's job
    "Комментарий (0)", "供电内容管理系统- 产品", "Tin mới", "",
    "清维 DNUM_AGZAXZCACD 09:26",            # X is not in the CMS alphabet: no guess
    "Quyết định số 12/2018/QĐ-UBND",
])
def test_parse_dateline_rejects(line):
    assert parse_dateline(line) is None


def test_dateline_weekday_mismatch_is_noted():
    p = parse_dateline("星期日 2015年04月08日10:05")   # 8 April 2015 was a Wednesday
    assert p.value == D(2015, 4, 8, 10, 5) and "weekday" in p.note
    assert "weekday" not in parse_dateline("Thứ ba, 23/04/2019").note   # 23/04/2019 was a Tuesday


def test_dateline_inside_running_text_is_flagged():
    line = seed_text("004").splitlines()[-3]       # "... Nghị quyết số 71-NQ/TU, ngày 30/10/2013 ..."
    p = parse_dateline(line)
    assert p.value == D(2013, 10, 30) and "running text" in p.note


# --------------------------------------------------------------------------- the garbled field

def test_dnum_decoding_agrees_with_the_article():
    """Seed 002's DNUM field must decode to a date after the meeting the article reports."""
    text = seed_text("002")
    field_ = re.search(r"DNUM_([A-Z]+)", text).group(1)
    decoded = decode_dnum(field_)
    day, month, year = map(int, decoded.split("/"))
    meeting = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日,省委常委会组织召开", text)
    meeting_date = dt.date(*map(int, meeting.groups()))
    assert meeting_date == dt.date(2023, 5, 11)
    assert dt.date(year, month, day) > meeting_date
    assert (dt.date(year, month, day) - meeting_date).days < 120   # a follow-up notice, same season


@pytest.mark.parametrize("code,expected", [
    ("AGZAGZCACD", "06/06/2023"), ("DNUM_BCZBCZCACD", "12/12/2023"), ("JJ", "99"),
    ("AGZAXZCACD", None), ("", None), ("agzag", None),
])
def test_decode_dnum(code, expected):
    assert decode_dnum(code) == expected


def test_dnum_invalid_date_is_none():
    assert parse_dateline("DNUM_DCZBDZCACD 09:26") is None     # 32/13/2023


# --------------------------------------------------------------------------- single values

@pytest.mark.parametrize("value,anchor,expected,method,has_year", [
    ("Mon, 02 Feb 2026 07:51:00 +0700", None, D(2026, 2, 2, 7, 51), "rfc2822", True),
    ("1770000000", None, D(2026, 2, 2, 2, 40), "epoch", True),
    ("2026-02-02", None, D(2026, 2, 2), "iso", True),
    ("10 мая", dt.date(2012, 11, 13), D(2012, 5, 10), "day-month", False),
    ("26 апреля", dt.date(2012, 11, 13), D(2012, 4, 26), "day-month", False),
    ("16 декабря", dt.date(2024, 12, 17), D(2024, 12, 16), "day-month", False),
    ("16 декабря", dt.date(2024, 12, 15), D(2023, 12, 16), "day-month", False),  # not after the anchor
    ("Thứ năm", dt.date(2012, 11, 13), D(2012, 11, 8), "weekday", False),
    ("2 дня назад", D(2014, 9, 1, 10, 30), D(2014, 8, 30, 10, 30), "relative", False),
    ("Hôm qua 08:16", D(2014, 9, 1, 10, 30), D(2014, 8, 31, 8, 16), "relative", False),
    ("3周前", D(2014, 9, 1, 10, 30), D(2014, 8, 11, 10, 30), "relative", False),
])
def test_parse_date_value(value, anchor, expected, method, has_year):
    p = parse_date_value(value, anchor=anchor)
    assert p is not None
    assert (p.value, p.method, p.has_year) == (expected, method, has_year)


def test_parse_date_value_without_anchor_keeps_placeholder():
    p = parse_date_value("16 декабря")
    assert p.value == D(PLACEHOLDER_YEAR, 12, 16) and not p.has_year
    assert parse_date_value("2 дня назад") is None        # relative needs an anchor
    assert parse_date_value("29/2") is None or parse_date_value("ngày 29/2").value.year == 1904


@pytest.mark.parametrize("value", [None, float("nan"), "", "   ", "nan", "2000 год", "2020-2025",
                                   "1 год 2 месяца", "3,51%", "tháng 9/2018"])
def test_parse_date_value_rejects(value):
    assert parse_date_value(value, anchor=dt.date(2020, 1, 1)) is None


def test_parse_date_value_accepts_datetimes():
    import pandas as pd
    p = parse_date_value(pd.Timestamp("2026-02-02T07:51:00+00:00"))
    assert p.value == D(2026, 2, 2, 7, 51) and p.utc_offset == "+00:00"
    assert parse_date_value(dt.date(2019, 4, 23)).value == D(2019, 4, 23)


@pytest.mark.shared
def test_crawl_and_rss_published_values_all_parse(shared_dir):
    import pandas as pd
    crawl = pd.read_csv(shared_dir / "corpora" / "crawl_news_vi" / "rss_feed_articles_backup.csv")
    rss = [json.loads(line) for line in
           (shared_dir / "corpora" / "rss_political_vi" / "rss_political_keyword_subset.jsonl").open()]
    values = list(crawl["published_at"].dropna()) + [r["published"] for r in rss]
    for v in values:
        p = parse_date_value(v)
        want = pd.Timestamp(v)
        assert p is not None, v
        assert p.value == want.tz_localize(None).to_pydatetime().replace(microsecond=0), v
        assert p.utc_offset == want.strftime("%z")[:3] + ":" + want.strftime("%z")[3:]


# --------------------------------------------------------------------------- URLs

@pytest.mark.parametrize("url,expected", [
    ("https://tuoitre.vn/so-xay-dung-len-tieng-ve-de-xuat-dung-chinh-trang-cho-ben-thanh-va-ho-con-rua-"
     "20260202184801801.htm", D(2026, 2, 2, 18, 48, 1)),
    ("https://dantri.com.vn/the-gioi/cuba-phan-ung-gay-gat-lenh-phong-toa-dau-cua-my-20260130144414873.htm",
     D(2026, 1, 30, 14, 44, 14)),
    ("https://thanhnien.vn/nguoi-viet-chi-430000-ti-dong-mua-sam-tren-mang-trong-nam-2025-185260202150016673.htm",
     D(2026, 2, 2, 15, 0, 16)),
    ("https://thanhnien.vn/ong-tran-luu-quang-giu-chuc-bi-thu-dang-uy-quan-su-tphcm-1852510011800143.htm",
     D(2025, 10, 1, 18, 0)),
    ("https://tuoitre.vn/bao-chi-phai-gan-dan-hon-trong-tuyen-truyen-van-kien-dai-hoi-xiv-cua-dang-"
     "10026061720391797.htm", D(2026, 6, 17, 20, 39, 17)),
    ("https://tuoitre.vn/phu-nhan-ngo-phuong-ly-cung-ve-tranh-cuon-nem-viet-nam-voi-thieu-nhi-bulgaria-"
     "2025102416261201.htm", D(2025, 10, 24, 16, 26, 12)),
    ("https://example.org/news/2023/12/12/some-title", D(2023, 12, 12)),
])
def test_date_from_url(url, expected):
    p = date_from_url(url)
    assert p is not None and p.value == expected and p.method == "url"


@pytest.mark.parametrize("url", [
    "https://vnexpress.net/heidi-klum-di-chuyen-kho-khan-voi-vay-gia-khoa-than-5012688.html",
    "https://www.24h.com.vn/the-thao/lich-thi-dau-the-thao-hom-nay-moi-nhat-c101a908602.html",
    "https://vietnamnet.vn/x-2487197.html", "not a url", "",
])
def test_date_from_url_none(url):
    assert date_from_url(url) is None


@pytest.mark.shared
def test_url_dates_agree_with_published_at(shared_dir):
    """On the crawl CSVs the URL time is the CMS creation time: the same day as publication for
    most rows, never more than an hour after it."""
    import pandas as pd
    frames = [pd.read_csv(p) for p in (shared_dir / "corpora" / "crawl_news_vi").glob("*.csv")]
    d = pd.concat(frames)
    d = d[d["url"].str.contains("tuoitre.vn|dantri.com.vn|thanhnien.vn", na=False)]
    pub = pd.to_datetime(d["published_at"], utc=True).dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
    got = pd.Series([date_from_url(u).value if date_from_url(u) else pd.NaT for u in d["url"]], index=d.index)
    assert got.notna().all()
    lag_h = (pub - got).dt.total_seconds() / 3600
    assert (lag_h > -1).all()
    assert (got.dt.date == pub.dt.date).mean() > 0.85


# --------------------------------------------------------------------------- day-month in leads

@pytest.mark.parametrize("seed,matched,month,day,pod", [
    ("000", "12月12日上午", 12, 12, "morning"),
    ("001", "16 декабря", 12, 16, ""),
    ("003", "chiều 1/10", 10, 1, "afternoon"),
    ("004", "Chiều nay (17/11)", 11, 17, "afternoon"),
])
def test_find_day_month_in_seed_leads(seed, matched, month, day, pod):
    found = find_day_month(seed_text(seed))
    hit = [d for d in found if d.matched == matched]
    assert hit, [d.matched for d in found]
    d = hit[0]
    assert (d.value.year, d.value.month, d.value.day, d.has_year, d.part_of_day) == (
        PLACEHOLDER_YEAR, month, day, False, pod)


def test_find_day_month_skips_full_dates_and_numbers():
    text = seed_text("003")
    matched = [d.matched for d in find_day_month(text)]
    assert matched == ["chiều 1/10"]     # not 85.600, 5,61%, "hợp đồng 68", "quý III/2018"


def test_find_day_month_feb_29_placeholder_is_a_leap_year():
    (d,) = find_day_month("Sáng 29/2, Hội nghị khai mạc.")
    assert (d.value.month, d.value.day) == (2, 29) and not d.has_year


# --------------------------------------------------------------------------- story year

@pytest.mark.parametrize("seed,year", [("001", 2024), ("003", 2018), ("002", 2023)])
def test_infer_story_year_on_seeds(seed, year):
    got, reason = infer_story_year(seed_text(seed))
    assert got == year and str(year) in reason


def test_story_year_ignores_targets_and_document_dates():
    body = "\n".join(seed_text("004").splitlines()[1:])     # without the page header
    year, reason = infer_story_year(body)
    assert year is None and "2013 (document)" in reason and "2020 (target)" in reason


def test_story_year_tie_is_none():
    year, reason = infer_story_year("Năm 2017 tăng 5%, năm 2018 tăng 6%.")
    assert year is None and "ambiguous" in reason


# --------------------------------------------------------------------------- temporal expressions

SNIPPETS = [
    # (lang, text, anchor, [(matched, value, granularity), ...]) — every listed expression must be found
    ("vi", "Cùng đó, tiếp tục triển khai thực hiện Nghị quyết số 71-NQ/TU, ngày 30/10/2013 của Ban Chấp hành",
     None, [("ngày 30/10/2013", "2013-10-30", "day")]),
    ("zh", "越共中央政治局2023年7月18日关于2030年和2045年愿景乂安省建设发展目标第39-NQ/TW号决议", None,
     [("2023年7月18日", "2023-07-18", "day"), ("2030年", "2030", "year"), ("2045年愿景", "2045", "year")]),
    ("ru", "обобщении Постановления № 18-NQ/TW от 25 октября 2017 года Центрального Комитета", None,
     [("25 октября 2017 года", "2017-10-25", "day")]),
    ("vi", "tổ chức tại Hà Nội chiều 1/10.", dt.date(2018, 10, 2), [("chiều 1/10", "2018-10-01", "day")]),
    ("vi", "LSO-Chiều nay (17/11), Tỉnh ủy Lạng Sơn tổ chức hội nghị", dt.date(2019, 4, 23),
     [("Chiều nay (17/11)", "2018-11-17", "day")]),
    ("zh", "12月12日上午,乂安省委组织召开省级科学研讨会", dt.date(2023, 12, 12), [("12月12日上午", "2023-12-12", "day")]),
    ("ru", "16 декабря в Ханое Центральный организационный комитет провел", dt.date(2024, 12, 17),
     [("16 декабря", "2024-12-16", "day")]),
    ("vi", "Trong 9 tháng năm 2018, với tinh thần chủ động", None, [("9 tháng năm 2018", "2018-01/2018-09", "range")]),
    ("vi", "công tác 9 tháng đầu năm và quý III/2018.", None, [("quý III/2018", "2018-Q3", "quarter")]),
    ("vi", "Về nhiệm vụ trong quý IV năm 2018, đồng chí", None, [("quý IV năm 2018", "2018-Q4", "quarter")]),
    ("vi", "xây dựng đội ngũ cán bộ lãnh đạo, quản lý các cấp đến năm 2020 và những năm tiếp theo", None,
     [("đến năm 2020", "../2020", "range")]),
    ("vi", "Đại hội đại biểu Đảng bộ tỉnh Thanh Hóa khóa XX, nhiệm kỳ 2025-2030 diễn ra", None,
     [("nhiệm kỳ 2025-2030", "2025/2030", "range")]),
    ("vi", "quy hoạch tỉnh giai đoạn 2021–2030, tầm nhìn đến năm 2050", None,
     [("giai đoạn 2021–2030", "2021/2030", "range"), ("tầm nhìn đến năm 2050", "2050", "year")]),
    ("ru", "правильной реализации дорожной карты до 2026 года по оптимизации", None, [("до 2026 года", "../2026", "range")]),
    ("ru", "обзора работы по партийному строительству в 2024 году и определения задач на 2025 год", None,
     [("2024 году", "2024", "year"), ("на 2025 год", "2025", "year")]),
    ("zh", "乂安省党部第十九次代表大会关于2020-2025年任期决议", None, [("2020-2025年", "2020/2025", "range")]),
    ("zh", "此前,2023年5月11日,省委常委会组织召开", None, [("2023年5月11日", "2023-05-11", "day")]),
    ("zh", "至2030年及以后几年我省的观点", None, [("至2030年", "../2030", "range")]),
    # VNTC
    ("vi", "(NLĐ)- Sáng 27-9, Đại hội Đảng bộ quận 5 khai mạc", dt.date(2005, 10, 1), [("Sáng 27-9", "2005-09-27", "day")]),
    ("vi", "Từ ngày 20/3 đến ngày 24/3/2006, Ban Chấp hành họp", None,
     [("ngày 20/3", "2006-03-20", "day"), ("ngày 24/3/2006", "2006-03-24", "day")]),
    ("vi", "Hội nghị lần thứ X diễn ra từ ngày 17 đến 24-4 sẽ thảo luận", dt.date(2006, 4, 10),
     [("từ ngày 17 đến 24-4", "2006-04-17/2006-04-24", "range")]),
    ("vi", "Sáng nay 24.4, Ban kiểm phiếu sẽ chính thức công bố", dt.date(2006, 4, 24), [("Sáng nay 24.4", "2006-04-24", "day")]),
    ("vi", "Đến tháng 1/2005, chúng tôi đã hoàn thành", None, [("tháng 1/2005", "2005-01", "month")]),
    ("vi", "dùi” như thế nào mà tháng 2-2004 Ban Thường vụ Huyện ủy", None, [("tháng 2-2004", "2004-02", "month")]),
    ("vi", "Vào những năm 1950, chúng ta cười", None, [("năm 1950", "1950/1959", "range")]),
    ("vi", "Vào 22h25 ngày 10/12, chiếc máy bay", dt.date(2004, 12, 15), [("22h25 ngày 10/12", "2004-12-10", "day")]),
    ("vi", "kỳ thi tuyển công chức ngày 24-25/5/2003. Còn những thí sinh", None,
     [("ngày 24-25/5/2003", "2003-05-24/2003-05-25", "range")]),
    ("vi", "Chủ tịch Hồ Chí Minh ba lần ghé thăm vào các năm 1911, 1928 và 1946.", None,
     [("năm 1911", "1911", "year"), ("1928", "1928", "year"), ("1946", "1946", "year")]),
    # RSS titles and summaries
    ("vi", "Vươn lên từ đô thị hợp nhất. Hôm nay (15-10), Đại hội đại biểu Đảng bộ TP.HCM", dt.date(2025, 10, 15),
     [("Hôm nay (15-10)", "2025-10-15", "day")]),
    ("vi", "chuyến thăm chính thức Anh và Bắc Ireland trong 3 ngày, bắt đầu từ ngày 28-10 tới.", dt.date(2025, 10, 26),
     [("ngày 28-10", "2025-10-28", "day")]),
    ("vi", "Ban Bí thư vừa ký ban hành Hướng dẫn số 02-HD/TW ngày 7.8 về một số vấn đề", dt.date(2026, 8, 18),
     [("ngày 7.8", "2026-08-07", "day")]),
    ("vi", "kỷ niệm 25 năm Ngày Gia đình Việt Nam (28.6.2001 - 28.6.2026).", None,
     [("28.6.2001", "2001-06-28", "day"), ("28.6.2026", "2026-06-28", "day")]),
    # dateparser search vectors
    ("vi", "Ý theo gương Đức, đã tiến hành xâm lược Ethiopia năm 1935 và sát nhập Albania vào ngày 12 tháng 4 năm 1939.",
     None, [("năm 1935", "1935", "year"), ("ngày 12 tháng 4 năm 1939", "1939-04-12", "day")]),
    ("ru", "Андрей Дмитриевич Сахаров скончался 14 декабря в 1989 году от внезапной остановки сердца.", None,
     [("14 декабря в 1989 году", "1989-12-14", "day")]),
    ("ru", "19 марта 2001. Сегодня был хороший день. 2 дня назад был хороший день.", None,
     [("Сегодня", "2001-03-19", "day"), ("2 дня назад", "2001-03-17", "day")]),
    # English
    ("en", "The plenum met on December 12, 2023 and set targets by 2030.", None,
     [("December 12, 2023", "2023-12-12", "day"), ("by 2030", "../2030", "range")]),
    ("en", "Growth slowed in the third quarter of 2018.", None, [("third quarter of 2018", "2018-Q3", "quarter")]),
]


@pytest.mark.parametrize("lang,text,anchor,expected", SNIPPETS)
def test_extract_dates_snippets(lang, text, anchor, expected):
    df = extract_dates(text, lang=lang, anchor=anchor)
    got = {(r.text, r.value, r.granularity) for r in df.itertuples()}
    for item in expected:
        assert item in got, (item, sorted(got))


@pytest.mark.parametrize("lang,text", [
    ("vi", "giảm được 85.600 người, tương đương hơn khoảng 3%"),
    ("vi", "giảm được 47.324 người, tương đương 5,61%. Tổng số giảm được 132.354 người, tương đương 3,51%."),
    ("vi", "cán bộ công chức, viên chức, hợp đồng 68, một số hợp đồng khác"),
    ("vi", "theo tinh thần Nghị quyết số 39 - NQ/TW của Bộ Chính trị"),
    ("ru", "Постановлению № 18-NQ/TW Центрального Исполнительного Комитета"),
    ("zh", "第39-NQ/TW号决议和第920-TB/TU号通知"),
    ("vi", "bằng trận thắng 2-1 trước chủ nhà, thấp nhất vào khoảng 10-12 triệu USD"),
    ("vi", "Ngày dùng 5-10 g dưới dạng thuốc sắc"),
    ("vi", "mà một tối qua 2-3 bãi taxi thì cũng đủ"),
    ("vi", "Quyết định số 12/2018/QĐ-UBND và Nghị định 46/2024/NĐ-CP"),
    ("vi", "theo Luật Đất đai năm 2013 và Hiến pháp năm 2013"),
    ("vi", "Nhà văn hóa Cách mạng tháng 8, đường 3/2, Quận 10"),
    ("en", "Euro 2024, Vision 2030 and COP26 may dominate"),
    ("vi", "phải tăng mạnh trong vài năm tới. Bao nhiêu năm nay vẫn hô hào"),
    ("zh", "项目历时1年11个月。"),  # a length of time in a sentence (alone on a line it is a page stamp)
    ("vi", "Sau 3 năm số cán bộ giảm, trong 9 tháng qua"),
])
def test_extract_dates_negatives(lang, text):
    df = extract_dates(text, lang=lang)
    assert df.empty, df[["text", "value"]].to_dict("records")


def test_extract_dates_columns_and_spans_on_seed():
    text = seed_text("003")
    df = extract_dates(text, lang="vi")
    assert list(df.columns) == dates.EXTRACT_COLUMNS
    for r in df.itertuples():
        assert text[r.start:r.end] == r.text
        assert r.text in r.sentence and r.sentence in text
        if r.date_start is not None:
            assert r.date_start <= r.date_end
    # without an anchor the lead's "chiều 1/10" takes the story's year
    row = df[df["text"] == "chiều 1/10"].iloc[0]
    assert (row["value"], row["part_of_day"], row["resolved_by"]) == ("2018-10-01", "afternoon", "story-year")


def test_extract_dates_roles_on_seeds():
    df = extract_dates(seed_text("001"), lang="ru")
    roles = dict(zip(df["text"], df["role"]))
    assert roles["25 октября 2017 года"] == "document"
    assert roles["на 2025 год"] == "target" and roles["до 2026 года"] == "target"
    assert roles["2024 году"] == ""


def test_extract_dates_anchor_rules():
    # the most recent matching date not after the anchor ...
    df = extract_dates("Chiều nay (17/11), Tỉnh ủy tổ chức hội nghị.", lang="vi", anchor=dt.date(2019, 4, 23))
    assert df.iloc[0]["value"] == "2018-11-17" and df.iloc[0]["resolved_by"] == "anchor"
    # ... unless the sentence speaks of the future
    df = extract_dates("Сервис будет недоступен с 12 января по 30 апреля.", lang="ru", anchor=dt.date(2026, 11, 21))
    assert list(df["value"]) == ["2027-01-12", "2027-04-30"]
    assert set(df["resolved_by"]) == {"anchor-future"}
    # a yearless start takes the year of its range partner
    df = extract_dates("Từ ngày 20/3 đến ngày 24/3/2006", lang="vi", anchor=dt.date(2010, 1, 1))
    assert df.iloc[0]["resolved_by"] == "range-partner" and df.iloc[0]["value"] == "2006-03-20"


# Real RSS items (rss_political_vi) whose yearless day landed a year early before issue 15: each
# is published the day before (or a few days before) the day it names.
@pytest.mark.parametrize("published, snippet, date_text, expected", [
    ("2026-01-19", "Sáng 20/1, Đại hội đại biểu toàn quốc lần thứ XIV của Đảng khai mạc tại Trung tâm Hội nghị "
                   "Quốc gia (Hà Nội)", "Sáng 20/1", "2026-01-20"),
    ("2026-01-18", "Sáng 19/1, Đại hội đại biểu toàn quốc lần thứ XIV của Đảng bắt đầu phiên họp trù bị",
     "Sáng 19/1", "2026-01-19"),
    ("2025-10-12", "Bộ Chính trị điều động, chỉ định Bí thư Tỉnh ủy Lạng Sơn Hoàng Văn Nghiệm giữ chức Bí thư Tỉnh ủy "
                   "Sơn La nhiệm kỳ 2025-2030, từ ngày 15/10.", "ngày 15/10", "2025-10-15"),
    ("2025-11-27", "Chiều 28-11, bí thư Tỉnh ủy Đồng Nai Vũ Hồng Văn đã trao quyết định của Ban Bí thư",
     "Chiều 28-11", "2025-11-28"),
    # a past cue of another clause does not send a date a year back
    ("2025-10-15", "Toàn bộ dự thảo văn kiện trình Đại hội Đảng toàn quốc lần thứ 14 vừa được công bố để lấy ý kiến "
                   "nhân dân, thời gian từ ngày 15/10 đến 15/11.", "15/11", "2025-11-15"),
    ("2026-01-13", "Từ 14/1 đến 25/1, Hà Nội tạm cấm xe tải và ôtô khách từ 16 chỗ vào nhiều tuyến phố trung tâm",
     "25/1", "2026-01-25"),
    # crawl: the future cue keeps the month in the article's year (same month, as HeidelTime)
    ("2026-01-30", "Phát biểu tối 29/1, ông Trump cho biết ông sẽ công bố đề cử Chủ tịch Fed vào sáng hôm sau",
     "tối 29/1", "2026-01-29"),
])
def test_yearless_day_nearest_the_article(published, snippet, date_text, expected):
    df = extract_dates(snippet, lang="vi", anchor=dt.date.fromisoformat(published))
    row = df[df["text"] == date_text].iloc[0]
    assert row["value"] == expected


def test_future_cue_looks_ahead_past_cue_behind():
    # seven months ahead or five back: the cue decides; without one, the nearer wins
    anchor = dt.date(2025, 5, 10)
    assert extract_dates("Hội nghị sẽ diễn ra vào ngày 20/12.", lang="vi", anchor=anchor).iloc[0]["value"] == "2025-12-20"
    assert extract_dates("Hội nghị đã diễn ra vào ngày 20/12.", lang="vi", anchor=anchor).iloc[0]["value"] == "2024-12-20"
    assert extract_dates("Hội nghị diễn ra vào ngày 20/12.", lang="vi", anchor=anchor).iloc[0]["value"] == "2024-12-20"
    assert extract_dates("会议将于12月20日举行。", lang="zh", anchor=anchor).iloc[0]["value"] == "2025-12-20"
    assert extract_dates("Заседание планируется 20 декабря.", lang="ru", anchor=anchor).iloc[0]["value"] == "2025-12-20"


def test_extract_dates_unresolved_without_context():
    df = extract_dates("Sáng 3-2, tại trụ sở Trung ương Đảng.", lang="vi")
    assert df.iloc[0]["value"] == "XXXX-02-03" and df.iloc[0]["date_start"] is None
    assert df.iloc[0]["resolved_by"] == "unresolved"


def test_extract_dates_empty_input():
    df = extract_dates("", lang="vi")
    assert df.empty and list(df.columns) == dates.EXTRACT_COLUMNS


@pytest.mark.shared
def test_vntc_party_subset_expressions_are_well_formed(shared_dir):
    path = shared_dir / "corpora" / "vntc" / "vntc_chinhtrixahoi_party_keyword_subset.jsonl"
    docs = [json.loads(line)["text"] for line in path.open(encoding="utf-8")][:120]
    total = 0
    for text in docs:
        df = extract_dates(text, lang="vi")
        total += len(df)
        for r in df.itertuples():
            assert text[r.start:r.end] == r.text
            assert not re.search(r"\d\s*%", r.text)
            if r.granularity == "day" and r.date_start is not None:
                assert r.date_start.isoformat() == r.value
        assert (df["start"].diff().dropna() > 0).all()
        assert (df["start"].iloc[1:].to_numpy() >= df["end"].iloc[:-1].to_numpy()).all() if len(df) > 1 else True
    assert total > 300      # these party articles are full of dates


# --------------------------------------------------------------------------- peer vectors

# Issue 15's score: extract_dates alone on dateparser's parse and search vectors, day level, each
# vector's reference time as anchor. benchmarks/dates_peer_vectors.py reads and scores the vectors;
# the targets are the issue's (every language 90 %, all 95 %), declared in the benchmark.
@pytest.fixture(scope="module")
def peer(shared_dir):
    spec = importlib.util.spec_from_file_location("dates_peer_vectors", ROOT / "benchmarks" / "dates_peer_vectors.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod, mod.evaluate(shared_dir)


@pytest.mark.shared
@pytest.mark.parametrize("lang", ["ru", "vi", "zh", "all"])
def test_peer_vectors_meet_issue_15_targets(peer, lang):
    mod, rows = peer
    score = mod.score(rows)
    assert score.loc[lang, "cases"] >= {"ru": 100, "vi": 25, "zh": 50, "all": 180}[lang]   # all vectors read
    assert score.loc[lang, "rate"] >= (mod.TARGET_ALL if lang == "all" else mod.TARGET_EACH)


def test_peer_vectors_do_not_depend_on_today():
    # the score is reproducible: the benchmark never asks for the clock ("(now)" rows use a fixed NOW)
    source = (ROOT / "benchmarks" / "dates_peer_vectors.py").read_text(encoding="utf-8")
    assert not re.search(r"\.(?:today|now|utcnow)\(|time\.time\(", source)


# Relative expressions in running text: real snippets (crawl_news_vi, seeds) and dateparser-style stamps.
@pytest.mark.parametrize("lang, text, anchor, expected", [
    ("vi", "Đồng rial lao dốc và tuần trước chạm mức thấp kỷ lục", "2026-02-02", [("tuần trước", "2026-01-26/2026-02-01")]),
    ("vi", "lịch sử đã càn quét qua phần lớn các bang chỉ một tuần trước, khiến hơn 100 thiệt mạng", "2026-02-02",
     [("một tuần trước", "2026-01-26")]),
    ("vi", "Kế hoạch được phê duyệt một ngày trước, bất chấp đi ngược lại xu hướng", "2026-02-02",
     [("một ngày trước", "2026-02-01")]),
    ("vi", "Vòng đàm phán giữa Mỹ, Nga và Ukraine tại UAE cuối tháng trước đã kết thúc", "2026-02-02",
     [("tháng trước", "2026-01")]),
    ("vi", "trong phiên giao dịch ngày thứ Sáu sau khi cựu Thống đốc", "2026-02-02", [("ngày thứ Sáu", "2026-01-30")]),
    ("vi", "Hôm qua, 2 giờ trước", "2026-02-02T10:30", [("Hôm qua", "2026-02-01"), ("2 giờ trước", "2026-02-02")]),
    ("zh", "12月12日上午,乂安省委组织召开省级科学研讨会", "2023-12-13", [("12月12日上午", "2023-12-12")]),
    ("zh", "上周一会议在北京召开，下周三结束，3天前公布。", "2026-02-04",
     [("上周一", "2026-01-26"), ("下周三", "2026-02-11"), ("3天前", "2026-02-01")]),
    ("zh", "星期日 2015年04月08日10:05", None, [("星期日 2015年04月08日10:05", "2015-04-08")]),
    # crawl: a weekday before a dated day belongs to it, as before weekdays were expressions
    ("vi", "Hội chợ diễn ra vào Chủ nhật, ngày 15/3/2026 tại Hà Nội.", "2026-02-02",
     [("Chủ nhật, ngày 15/3/2026", "2026-03-15")]),
    ("ru", "2 часа назад", "2014-09-01T10:30", [("2 часа назад", "2014-09-01")]),
    ("ru", "Через неделю состоится заседание.", "2026-02-02", [("Через неделю", "2026-02-09")]),
])
def test_relative_expressions(lang, text, anchor, expected):
    a = None if anchor is None else (dt.datetime.fromisoformat(anchor) if "T" in anchor else dt.date.fromisoformat(anchor))
    df = extract_dates(text, lang=lang, anchor=a)
    assert list(zip(df["text"], df["value"])) == expected


@pytest.mark.parametrize("lang, text", [
    ("vi", "Sự kiện diễn ra chưa đầy hai tuần trước dịp tròn 4 năm Nga phát động"),   # crawl: "before the anniversary"
    ("vi", "Ông cũng viện dẫn Tu chính án thứ Tư của Hiến pháp Mỹ"),                    # crawl: an ordinal
    ("vi", "Ngày làm việc thứ hai của Hội nghị Trung ương"),                             # rss: an ordinal
    ("vi", "Dự án kéo dài 2 năm 3 tháng."),                                               # a length of time in a sentence
    ("zh", "一周一次，周期很长，2020年前完成。"),                                          # "once a week", "cycle", "before 2020"
    ("ru", "Проект длился 1 год 2 месяца."),
])
def test_relative_negatives(lang, text):
    df = extract_dates(text, lang=lang, anchor=dt.date(2026, 2, 2))
    assert df[df["resolved_by"] == "anchor"].empty, df[["text", "value"]]


# --------------------------------------------------------------------------- robustness

_DATE_TOKENS = list("0123456789/.-:,() 年月日号上午下午至到第季度") + [
    "ngày ", "tháng ", "năm ", "quý ", "IV", "chiều ", "Thứ ba, ", "декабря ", "г.", "году", "до ", "назад",
    "DNUM_", "AGZ", "T", "+07:00", "GMT", "December ", "hôm qua", "2023", "1900", "29/2", "12月12日"]
_DATEY = st.lists(st.sampled_from(_DATE_TOKENS), max_size=25).map("".join)
_ANY = st.text(max_size=80)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_DATEY, _ANY))
def test_parsers_never_raise(s):
    for p in (parse_dateline(s), parse_date_value(s), parse_date_value(s, anchor=dt.date(2020, 6, 15))):
        if p is not None:
            assert s[p.span[0]:p.span[1]] == p.matched or p.method in ("iso", "rfc2822", "relative", "epoch",
                                                                        "dateparser")
    date_from_url(s)
    for d in find_day_month(s):
        assert not d.has_year
    infer_story_year(s)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_DATEY, _ANY), st.sampled_from(["vi", "zh", "ru", "en"]),
       st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))))
def test_extract_dates_never_raises_and_spans_hold(s, lang, anchor):
    df = extract_dates(s, lang=lang, anchor=anchor)
    for r in df.itertuples():
        assert s[r.start:r.end] == r.text
        if r.date_start is not None and r.date_end is not None:
            assert r.date_start <= r.date_end


_TENSE = {"": "", "vi": {"future": "sẽ", "past": "đã"}, "zh": {"future": "将", "past": "已经"},
          "ru": {"future": "будет", "past": "состоялось"}}


def _dm_sentence(lang, d, m, tense):
    if lang == "vi":
        return f"Ngày {d}/{m}, hội nghị {_TENSE['vi'][tense] + ' ' if tense else ''}diễn ra."
    if lang == "zh":
        return f"会议{_TENSE['zh'][tense] if tense else ''}于{m}月{d}日举行。"
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря"]
    return f"Заседание {_TENSE['ru'][tense] + ' ' if tense else ''}{d} {months[m - 1]}."


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)), st.dates(), 
       st.sampled_from(["vi", "zh", "ru"]), st.sampled_from(["", "future", "past"]))
def test_yearless_day_lands_nearest_the_anchor_in_the_tense_direction(anchor, day, lang, tense):
    text = _dm_sentence(lang, day.day, day.month, tense)
    df = extract_dates(text, lang=lang, anchor=anchor)
    assert len(df) == 1, df
    got = df.iloc[0]["date_start"]
    assert (got.month, got.day) == (day.month, day.day)
    if tense == "future":
        assert (got.year, got.month) >= (anchor.year, anchor.month) and df.iloc[0]["resolved_by"] == "anchor-future"
        assert (got.year - 1, got.month) < (anchor.year, anchor.month)   # the first such year
    elif tense == "past":
        assert (got.year, got.month) <= (anchor.year, anchor.month)
        assert (got.year + 1, got.month) > (anchor.year, anchor.month)   # the last such year
    else:
        # no cue: no other year puts it nearer the anchor
        gap = abs((got - anchor).days)
        for y in (got.year - 1, got.year + 1):
            if dates_valid(y, got.month, got.day):
                assert gap <= abs((dt.date(y, got.month, got.day) - anchor).days)


def test_import_is_cheap():
    code = "import sys, corpuslib.text.dates; print(any(m in sys.modules for m in ('dateparser', 'pandas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
