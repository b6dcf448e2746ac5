"""Tests for corpuslib.analysis.timeline and corpuslib.figures.timeline.

Seed facts were read off the articles in data/raw by hand: each seed's meeting and date, and the issue
dates the articles state for the Party documents they cite. Constructed snippets reuse sentences from the
seeds and from ../shared/corpora/rss_political_vi; where a second language is needed (cross-language
merging) the other side is the seed's own sentence.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslib.analysis import timeline as T
from corpuslib.documents.table import ingest

from tests.conftest import ROOT, SEEDS

D = dt.date


@pytest.fixture(scope="module")
def seeds():
    docs, _ = ingest(SEEDS)
    refs = T.collect_references(docs)
    events = T.extract_events(docs, references=refs)
    return {"docs": docs, "refs": refs, "events": events, "timeline": T.build_timeline(events),
            "party": T.party_documents(docs, references=refs)}


def seed_id(seeds, prefix: str) -> str:
    (doc_id,) = [d for d in seeds["docs"]["doc_id"] if d.startswith(prefix)]
    return doc_id


def make_docs(*rows) -> pd.DataFrame:
    """A documents table from (doc_id, lang, outlet, published, text[, page_date]) tuples."""
    out = []
    for r in rows:
        doc_id, lang, outlet, published, text = r[:5]
        page = r[5] if len(r) > 5 else None
        out.append({"doc_id": doc_id, "lang": lang, "outlet": outlet,
                    "published": pd.Timestamp(published) if published else pd.NaT,
                    "page_date": pd.Timestamp(page) if page else pd.NaT, "text": text})
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- the seeds

SEED_MEETINGS = [
    # (seed, date, kind, words of the label) -- each seed's reported meeting on its date
    ("000", "2023-12-12", "seminar", "研讨会"),          # 12月12日上午,乂安省委组织召开省级科学研讨会
    ("001", "2024-12-16", "conference", "конференцию"),  # 16 декабря ... провел национальную конференцию
    ("002", "2023-05-11", "dialogue", "对话会"),          # 2023年5月11日,省委常委会组织召开...对话会
    ("003", "2018-10-01", "conference", "Hội nghị giao ban"),  # tại Hội nghị giao ban trực tuyến ... chiều 1/10
    ("004", "2017-11-17", "conference", "hội nghị tổng kết"),  # Chiều nay (17/11) ... hội nghị tổng kết NQ TW3 khóa VIII
]


@pytest.mark.parametrize("seed,date,kind,words", SEED_MEETINGS)
def test_seed_meeting_on_its_date(seeds, seed, date, kind, words):
    tl = seeds["timeline"]
    hit = tl[(tl["date"] == date) & (tl["kind"] == kind)
             & tl["doc_ids"].map(lambda ids: seed_id(seeds, seed) in ids)]
    assert len(hit) == 1, tl[["date", "kind", "label", "doc_ids"]]
    assert words in hit.iloc[0]["label"]
    assert hit.iloc[0]["granularity"] == "day"


def test_undated_seed_004_year_is_bounded_and_flagged(seeds):
    """Seed 004 has only a page header (23/04/2019); "Chiều nay (17/11)" must not land on 2018 or 2019."""
    ev = seeds["events"]
    row = ev[(ev["doc_id"] == seed_id(seeds, "004")) & (ev["kind"] == "conference")].iloc[0]
    assert row["date"] == "2017-11-17"
    assert row["confidence"] == "low"
    assert row["resolved_by"] == "bounds"
    note = row["date_note"]
    assert "2019-04-23" in note and "upper bound" in note      # page date used only as an upper bound
    assert "2017-10-25" in note                                 # lower bound: cites Resolution 18-NQ/TW
    assert "[2017, 2018]" in note and "20-year review" in note  # candidates and what chose 2017
    anchors = T.document_anchors(seeds["docs"], seeds["refs"]).set_index("doc_id")
    a = anchors.loc[seed_id(seeds, "004")]
    assert a["anchor"] is None and a["anchor_method"] == "bounds"
    assert (a["not_before"], a["not_after"]) == (D(2017, 10, 25), D(2019, 4, 23))


@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_dated_seeds_are_high_confidence(seeds, seed):
    ev = seeds["events"]
    mine = ev[ev["doc_id"] == seed_id(seeds, seed)]
    assert len(mine) and set(mine["confidence"]) == {"high"}


def test_seed_002_notice_920_tb_tu(seeds):
    """"在2023年...对话会议上发出了第920-TB/TU号通知": the notice issued in 2023, named on the timeline."""
    tl = seeds["timeline"]
    hit = tl[tl["documents"].map(lambda ds: any(d.startswith("920-TB/TU") for d in ds))]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (row["kind"], row["date"], row["granularity"]) == ("document", "2023", "year")
    assert seed_id(seeds, "002") in row["doc_ids"]
    assert "920-TB/TU" in row["label"]


STATED_ISSUE_DATES = [
    # (seed, code, issue date stated in the article)
    ("001", "18-NQ/TW", "2017-10-25"),  # Постановления № 18-NQ/TW от 25 октября 2017 года
    ("004", "71-NQ/TU", "2013-10-30"),  # Nghị quyết số 71-NQ/TU, ngày 30/10/2013
    ("002", "26-NQ/TW", "2013-07-30"),  # 2013年7月30日中央政治局...第26-NQ/TW号决议
    ("000", "39-NQ/TW", "2023-07-18"),  # 越共中央政治局2023年7月18日...第39-NQ/TW号决议
]


@pytest.mark.parametrize("seed,code,issued", STATED_ISSUE_DATES)
def test_party_document_issue_date_from_the_text(seeds, seed, code, issued):
    pdocs = seeds["party"]
    row = pdocs[(pdocs["doc_code"] == code) & pdocs["cited_by"].map(lambda c: seed_id(seeds, seed) in c)]
    assert len(row) == 1
    assert row.iloc[0]["issued"] == issued
    assert row.iloc[0]["date_method"] == "text"
    # and the issue is an event on the timeline, with the citing sentence as evidence
    tl = seeds["timeline"]
    ev = tl[(tl["date"] == issued) & (tl["kind"] == "document")]
    assert len(ev) == 1 and ev.iloc[0]["documents"] == [row.iloc[0]["doc_ref"]]
    assert code in ev.iloc[0]["evidence"][0]


def test_same_code_two_documents(seeds):
    """39-NQ/TW: the 2015 staff-streamlining resolution in seed 003, the 2023 Nghệ An resolution in 000."""
    pdocs = seeds["party"]
    rows = pdocs[pdocs["doc_code"] == "39-NQ/TW"].set_index("doc_ref")
    assert len(rows) == 2
    by_seed = {tuple(r["cited_by"]): (ref, r["issued"]) for ref, r in rows.iterrows()}
    ref000, issued000 = by_seed[(seed_id(seeds, "000"),)]
    ref003, issued003 = by_seed[(seed_id(seeds, "003"),)]
    assert ref000 != ref003
    assert issued000 == "2023-07-18"
    assert issued003.startswith("2015")
    assert not rows["ambiguous"].any()


def test_party_documents_contract(seeds):
    pdocs = seeds["party"]
    assert list(pdocs.columns[:5]) == ["doc_code", "issuer", "issued", "date_method", "cited_by"]
    assert pdocs["doc_ref"].is_unique
    assert set(pdocs["date_method"]) <= {"text", "reference_table", ""}
    cited = {d for c in pdocs["cited_by"] for d in c}
    assert cited <= set(seeds["docs"]["doc_id"])
    # every mention is counted once
    assert pdocs["n_mentions"].sum() == len(seeds["refs"])


def test_timeline_contract_and_order(seeds):
    tl = seeds["timeline"]
    # the contract columns of DESIGN.md, in its order
    assert list(tl.columns[:13]) == ["date", "granularity", "kind", "body", "label", "documents", "doc_ids",
                                     "outlets", "langs", "evidence", "n_sources", "planned", "salience"]
    starts = list(tl["date_start"])
    assert starts == sorted(starts)
    assert (tl["n_sources"] == tl["doc_ids"].map(len)).all()
    assert set(tl["kind"]) <= set(T.KINDS)
    # every evidence sentence is text of the article it cites
    texts = dict(zip(seeds["docs"]["doc_id"], seeds["docs"]["text"]))
    for ev in seeds["events"].itertuples():
        assert ev.evidence in texts[ev.doc_id]


def test_inputs_not_modified(seeds):
    docs = seeds["docs"].copy()
    before = docs.copy()
    T.extract_events(docs)
    T.party_documents(docs)
    pd.testing.assert_frame_equal(docs, before)


def test_empty_corpus():
    docs = pd.DataFrame(columns=["doc_id", "lang", "outlet", "published", "page_date", "text"])
    ev = T.extract_events(docs)
    assert list(ev.columns) == T.EVENT_COLUMNS and not len(ev)
    tl = T.build_timeline(ev)
    assert list(tl.columns) == T.TIMELINE_COLUMNS and not len(tl)
    assert list(T.party_documents(docs).columns) == T.PARTY_DOCUMENT_COLUMNS
    assert T.to_timelinejs(tl)["events"] == []


# --------------------------------------------------------------------------- anchoring

LEAD_003 = ("Đây là đánh giá của đồng chí Phạm Minh Chính tại Hội nghị giao ban trực tuyến ngành Tổ chức xây "
            "dựng Đảng toàn quốc tổ chức tại Hà Nội chiều 1/10.")


@pytest.mark.parametrize("published,expected", [
    ("2018-10-01", "2018-10-01"),   # the day itself
    ("2019-02-01", "2018-10-01"),   # most recent 1/10 not after publication
    ("2019-10-05", "2019-10-01"),
])
def test_day_month_anchored_on_published(published, expected):
    ev = T.extract_events(make_docs(("a", "vi", "Báo Nghệ An", published, LEAD_003)))
    assert list(ev["date"]) == [expected]
    assert ev.iloc[0]["resolved_by"] == "anchor" and ev.iloc[0]["confidence"] == "high"


def test_undated_without_review_takes_most_recent_year_low_confidence():
    text = "Chiều nay (17/11), Tỉnh ủy Lạng Sơn tổ chức hội nghị về công tác cán bộ."
    ev = T.extract_events(make_docs(("a", "vi", "Báo Lạng Sơn", None, text, "2019-04-23")))
    assert list(ev["date"]) == ["2018-11-17"]
    assert ev.iloc[0]["confidence"] == "low"
    assert "no lower bound" in ev.iloc[0]["date_note"]


def test_undated_without_any_bound_gives_no_event():
    text = "Chiều nay (17/11), Tỉnh ủy Lạng Sơn tổ chức hội nghị về công tác cán bộ."
    assert not len(T.extract_events(make_docs(("a", "vi", "Báo Lạng Sơn", None, text))))


# --------------------------------------------------------------------------- what is (not) an event

EVENT_SNIPPETS = [
    # (lang, published, text, date, kind) -- seeds and rss_political_vi summaries
    ("vi", "2025-11-05", "Sáng 5.11, Hội nghị Trung ương 14 khóa XIII đã khai mạc tại thủ đô Hà Nội.",
     "2025-11-05", "plenum"),
    ("vi", "2025-08-12", "Chiều 12-8, Đảng bộ xã Bình Mỹ tổ chức Đại hội đại biểu lần thứ I, nhiệm kỳ 2025 - 2030.",
     "2025-08-12", "congress"),
    ("vi", "2025-09-09", "Chiều 9.9, tại Hà Nội, Tổng Bí thư Tô Lâm chủ trì cuộc họp về triển khai thực hiện "
     "Nghị quyết số 71 của Bộ Chính trị.", "2025-09-09", "meeting"),
    ("vi", "2025-05-21", "Ngày 21.5, Bộ Công an tổ chức lễ công bố các quyết định của Bộ trưởng Bộ Công an về "
     "công tác cán bộ.", "2025-05-21", "decision"),
    ("zh", "2023-12-12", "12月12日上午,乂安省委组织召开省级科学研讨会。", "2023-12-12", "seminar"),
    ("ru", "2024-12-16", "16 декабря в Ханое Центральный организационный комитет провел национальную "
     "конференцию.", "2024-12-16", "conference"),
    ("en", "2025-11-05", "On November 5, the 14th plenum of the Party Central Committee opened in Hanoi.",
     "2025-11-05", "plenum"),
]


@pytest.mark.parametrize("lang,published,text,date,kind", EVENT_SNIPPETS)
def test_event_snippets(lang, published, text, date, kind):
    ev = T.extract_events(make_docs(("a", lang, "X", published, text)))
    assert list(zip(ev["date"], ev["kind"])) == [(date, kind)]


NOT_EVENTS = [
    # a date without an event word (seed 003)
    ("vi", "2018-10-01", "Trong 9 tháng năm 2018, Ban Tổ chức Trung ương khẩn trương triển khai các nhiệm vụ."),
    # a quarter is too coarse for a meeting (seed 003)
    ("vi", "2018-10-01", "Phát biểu kết luận hội nghị, đồng chí Phạm Minh Chính điểm lại công tác 9 tháng đầu "
     "năm và quý III/2018."),
    # a target year is not an event date (seed 001)
    ("ru", "2024-12-16", "Консультировать по вопросам для обеспечения реализации дорожной карты до 2026 года "
     "на конференции."),
    # the only event word is inside a document name (seed 003)
    ("vi", "2018-11-05", "Ngày 5/11, Ban Thường vụ triển khai Nghị quyết của Hội nghị Trung ương 8 (khóa XII)."),
    # a founding date in an anniversary (rss_political_vi)
    ("vi", "2026-02-03", "Chương trình chào mừng thành công Đại hội XIV của Đảng, đồng thời kỷ niệm 96 năm Ngày "
     "thành lập Đảng (3.2.1930 - 3.2.2026)."),
    # a year alone dates no meeting (seed 003)
    ("vi", "2018-10-01", "Ngành cần thực hiện 8 nhóm nhiệm vụ tại kết luận của Hội nghị toàn ngành xây dựng "
     "Đảng năm 2018."),
]


@pytest.mark.parametrize("lang,published,text", NOT_EVENTS)
def test_not_events(lang, published, text):
    ev = T.extract_events(make_docs(("a", lang, "X", published, text)))
    assert not (ev["date_start"].map(lambda d: d.year) < 2000).any()
    ev = ev[ev["kind"] != "document"]
    assert not len(ev), ev[["date", "kind", "keyword"]]


@pytest.mark.parametrize("lang,text,name", [
    ("vi", "Đồng chí Hoàng Văn Nghiệm, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh dự và phát biểu.",
     "Hoàng Văn Nghiệm"),                                                             # seed 004
    ("vi", "Đây là đánh giá của đồng chí Phạm Minh Chính - Ủy viên Bộ Chính trị.", "Phạm Minh Chính"),  # seed 003
    ("vi", "Chiều 10-2, Tổng Bí thư Tô Lâm đã gặp mặt các tướng lĩnh.", "Tô Lâm"),     # rss_political_vi
    ("ru", "На конференции председательствовал товарищ Ле Минь Хунг, член Политбюро.", "Ле Минь Хунг"),  # seed 001
    ("zh", "省委常委、组织部部长黎德强同志在研讨会上作总结发言。", "黎德强"),             # seed 000
    ("zh", "省政治学校校长王光明同志作大会报告。", "王光明"),                             # seed 000
])
def test_participants(lang, text, name):
    assert name in T._participants(text, lang)


@pytest.mark.parametrize("lang,text", [
    ("vi", "Đồng chí Phó Bí thư Thường trực Tỉnh ủy đề nghị các cấp ủy."),  # a title, not a name (seed 004)
    ("ru", "Товарищи из Постоянного комитета обкома партии!"),              # seed 001
    ("zh", "同志们:省委常委、组织部长黎德强主持会议。"),                    # 同志们 is "comrades" (seed 000)
])
def test_no_participants(lang, text):
    assert T._participants(text, lang) == []


def test_keyword_table_is_valid():
    kw = T.load_event_keywords()
    assert set(kw["kind"]) <= set(T.KINDS)
    assert kw["note"].str.len().gt(0).all()
    for lang in ("vi", "zh", "ru", "en"):
        kinds = set(kw.loc[kw["lang"] == lang, "kind"])
        assert {"plenum", "congress", "conference", "meeting", "document", "appointment"} <= kinds, lang


def test_bad_keyword_table_names_the_line(tmp_path):
    p = tmp_path / "kw.csv"
    p.write_text("# comment\nlang,pattern,kind,weight,note\nvi,hội nghị,conference,2,x\nvi,họp,party,2,x\n",
                 encoding="utf-8")
    with pytest.raises(ValueError, match="line 4"):
        T.load_event_keywords(p)


# --------------------------------------------------------------------------- merging reports

ZH_000 = "12月12日上午,乂安省委组织召开省级科学研讨会,主题为“建设一支具有创新精神的各级干部队伍”。"
VI_000 = ("Sáng 12/12, Tỉnh ủy Nghệ An tổ chức Hội thảo khoa học cấp tỉnh với chủ đề “Xây dựng đội ngũ cán "
          "bộ các cấp có tinh thần đổi mới”.")


def test_cross_language_translation_merges():
    """A zh machine translation and its vi original (same outlet, same day) are one event."""
    docs = make_docs(("zh1", "zh", "Báo Nghệ An", "2023-12-12", ZH_000),
                     ("vi1", "vi", "Báo Nghệ An", "2023-12-12", VI_000))
    tl = T.build_timeline(T.extract_events(docs))
    assert len(tl) == 1
    row = tl.iloc[0]
    assert (row["date"], row["kind"], row["n_sources"]) == ("2023-12-12", "seminar", 2)
    assert row["langs"] == ["vi", "zh"] and row["doc_ids"] == ["vi1", "zh1"]
    assert "Hội thảo" in row["label"]   # the Vietnamese original labels the event
    assert len(row["evidence"]) == 2


def test_cross_language_shared_document_merges_across_outlets():
    zh = "12月12日上午,乂安省委召开研讨会,落实第39-NQ/TW号决议。"
    vi = "Sáng 12/12, Tỉnh ủy Nghệ An tổ chức hội thảo triển khai Nghị quyết số 39-NQ/TW của Bộ Chính trị."
    docs = make_docs(("zh1", "zh", "Báo Nghệ An", "2023-12-12", zh), ("vi1", "vi", "Nhân Dân", "2023-12-13", vi))
    tl = T.build_timeline(T.extract_events(docs))
    assert len(tl) == 1
    assert tl.iloc[0]["outlets"] == ["Báo Nghệ An", "Nhân Dân"]
    assert tl.iloc[0]["documents"] == ["39-NQ/TW@2023"]


@pytest.mark.parametrize("zh_outlet,zh_published,expected_rows", [
    ("Báo Nghệ An", "2023-12-12", 1),   # translation of the same story
    ("Tiền Phong", "2023-12-12", 2),    # another outlet, no document in common: kept apart
    ("Báo Nghệ An", "2024-12-12", 2),   # another year
])
def test_merge_needs_same_date_and_evidence(zh_outlet, zh_published, expected_rows):
    docs = make_docs(("zh1", "zh", zh_outlet, zh_published, ZH_000),
                     ("vi1", "vi", "Báo Nghệ An", "2023-12-12", VI_000))
    assert len(T.build_timeline(T.extract_events(docs))) == expected_rows


def test_same_language_reports_merge_by_wording():
    """Three rss_political_vi summaries of the 14th plenum's opening, and one of another event that day."""
    docs = make_docs(
        ("a", "vi", "Thanh Niên", "2025-11-05", "Sáng 5.11, Hội nghị Trung ương 14 khóa XIII đã khai mạc tại thủ đô Hà Nội."),
        ("b", "vi", "VnExpress", "2025-11-05", "Hội nghị lần thứ 14 Ban Chấp hành Trung ương khóa 13 khai mạc sáng 5/11."),
        ("c", "vi", "Tuổi Trẻ", "2025-11-05", "Sáng 5-11, Hội nghị lần thứ 14 Ban Chấp hành Trung ương Đảng khóa XIII khai mạc."),
        ("d", "vi", "Tuổi Trẻ", "2025-11-05", "Sáng 5-11, Đảng bộ xã Bình Mỹ tổ chức Đại hội đại biểu lần thứ I."),
    )
    tl = T.build_timeline(T.extract_events(docs))
    plenum = tl[tl["kind"] == "plenum"]
    assert len(plenum) == 1 and plenum.iloc[0]["doc_ids"] == ["a", "b", "c"]
    assert len(tl) == 2


def test_generic_report_does_not_bridge_two_specific_kinds():
    ev = pd.DataFrame([
        {"event_id": i, "doc_id": d, "outlet": "X", "lang": "vi", "published": D(2026, 1, 23),
         "date": "2026-01-23", "granularity": "day", "date_start": D(2026, 1, 23), "date_end": D(2026, 1, 23),
         "kind": k, "keyword": "", "label": lab, "documents": [], "participants": [], "evidence": lab,
         "date_text": "23-1", "resolved_by": "anchor", "confidence": "high", "date_note": "", "planned": False,
         "start": 0, "end": len(lab)}
        for i, (d, k, lab) in enumerate([
            ("a", "congress", "Đại hội XIV của Đảng họp phiên bế mạc"),
            ("b", "meeting", "Đại hội XIV của Đảng họp phiên bế mạc và Hội nghị lần thứ nhất"),
            ("c", "plenum", "Hội nghị lần thứ nhất Ban Chấp hành Trung ương khóa XIV và Đại hội XIV"),
        ])])
    tl = T.build_timeline(ev)
    assert sorted(tl["kind"]) == ["congress", "plenum"]
    assert tl["n_sources"].sum() == 3


# --------------------------------------------------------------------------- window, TimelineJS

@pytest.mark.parametrize("date_from,date_to,kinds", [
    ("2023", "2023", []),
    ("2023-05", "2023-07-18", []),
    ("", "2017-12", []),
    ("2018-10-01", "", ["conference", "seminar"]),
    ("", "", ["document"]),
])
def test_filter_window(seeds, date_from, date_to, kinds):
    tl = seeds["timeline"]
    got = T.filter_timeline(tl, date_from=date_from, date_to=date_to, kinds=kinds)
    lo = pd.Timestamp(date_from or "1900").date()
    hi = {"2023": D(2023, 12, 31), "2017-12": D(2017, 12, 31), "2023-07-18": D(2023, 7, 18), "": D(2999, 1, 1)}[date_to]
    want = tl[(tl["date_end"] >= lo) & (tl["date_start"] <= hi) & (tl["kind"].isin(kinds) if kinds else True)]
    assert list(got["event_id"]) == list(want["event_id"])
    assert 0 < len(got) < len(tl)


def test_filter_window_year_event_overlaps_month_window(seeds):
    """The 920-TB/TU notice is dated "2023": a window on May 2023 keeps it (its period overlaps)."""
    got = T.filter_timeline(seeds["timeline"], date_from="2023-05", date_to="2023-05")
    assert set(got["date"]) == {"2023", "2023-05-11"}


def test_filter_year_as_int(seeds):
    """`-p date_from 2018` reaches the notebook as the YAML int 2018."""
    tl = seeds["timeline"]
    got = T.filter_timeline(tl, date_from=2018, date_to=2023)
    assert list(got["event_id"]) == list(T.filter_timeline(tl, date_from="2018", date_to="2023")["event_id"])
    assert got["date_start"].min() >= D(2018, 1, 1)


def test_filter_rejects_bad_input(seeds):
    with pytest.raises(ValueError, match="ISO"):
        T.filter_timeline(seeds["timeline"], date_from="12/2023")
    with pytest.raises(ValueError, match="unknown kind"):
        T.filter_timeline(seeds["timeline"], kinds=["party"])


@settings(max_examples=60, deadline=None)
@given(a=st.dates(D(2012, 1, 1), D(2025, 12, 31)), b=st.dates(D(2012, 1, 1), D(2025, 12, 31)))
def test_filter_window_property(seeds, a, b):
    lo, hi = min(a, b), max(a, b)
    tl = seeds["timeline"]
    got = T.filter_timeline(tl, date_from=lo.isoformat(), date_to=hi.isoformat())
    assert all(r.date_end >= lo and r.date_start <= hi for r in got.itertuples())
    dropped = tl[~tl["event_id"].isin(got["event_id"])]
    assert all(r.date_end < lo or r.date_start > hi for r in dropped.itertuples())
    wider = T.filter_timeline(tl, date_from=lo.isoformat())
    assert set(got["event_id"]) <= set(wider["event_id"])


def test_timelinejs_escapes_scraped_text():
    text = ("Sáng 12/12, Tỉnh ủy Nghệ An tổ chức hội thảo <script>alert('x')</script> về công tác cán bộ "
            "& <b>tổ chức</b>.")
    docs = make_docs(("<img src=x onerror=alert(1)>", "vi", "Báo <i>Nghệ An</i>", "2023-12-12", text))
    tl = T.build_timeline(T.extract_events(docs))
    out = T.to_timelinejs(tl, title="<script>t</script>", group="outlet")
    raw = json.dumps(out, ensure_ascii=False)
    assert "<script>" not in raw and "<img" not in raw and "<i>" not in raw and "<b>tổ" not in raw
    assert "&lt;script&gt;" in raw and "&amp;" in raw
    (ev,) = out["events"]
    assert ev["start_date"] == {"year": "2023", "month": "12", "day": "12"}
    assert ev["group"] == "Báo &lt;i&gt;Nghệ An&lt;/i&gt;"


def test_timelinejs_dates_follow_granularity(seeds, tmp_path):
    path = T.write_timelinejs(seeds["timeline"], tmp_path / "timeline.json", title="Seeds")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["title"]["text"]["headline"] == "Seeds"
    assert len(data["events"]) == len(seeds["timeline"])
    for ev, row in zip(data["events"], seeds["timeline"].itertuples()):
        sd = ev["start_date"]
        assert int(sd["year"]) == row.date_start.year
        assert ("day" in sd) == (row.granularity == "day")
        assert ev["text"]["headline"] and ev["group"] in T.KINDS


# --------------------------------------------------------------------------- figure

def _label_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        boxes += [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
        boxes += [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text().strip()]
    return boxes


def _overlaps(boxes):
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1]


@pytest.mark.parametrize("lanes", ["outlet", "kind"])
def test_figure_labels_do_not_overlap(seeds, lanes, tmp_path):
    from corpuslib.figures.timeline import plot_timeline
    from corpuslib.figures.style import save_figure

    fig = plot_timeline(seeds["timeline"], lanes=lanes)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) >= len(seeds["timeline"])   # every event labelled (outlet lanes may repeat one)
    assert not _overlaps(_label_boxes(fig))
    save_figure(fig, tmp_path / "t.png")
    assert (tmp_path / "t.png").stat().st_size > 10_000


def test_figure_rejects_unknown_lanes(seeds):
    from corpuslib.figures.timeline import plot_timeline

    with pytest.raises(ValueError, match="lanes"):
        plot_timeline(seeds["timeline"], lanes="lang")


def test_notebook_parameters():
    from corpuslib.run.runner import notebook_parameters

    params = notebook_parameters(ROOT / "notebooks" / "04-build-timeline.ipynb")
    assert {"documents", "out_dir", "date_from", "date_to", "kinds", "lanes"} <= set(params)
    assert params["documents"]["default"] == '""' and params["lanes"]["default"] == '"outlet"'
    assert all(p["help"] for p in params.values())


# --------------------------------------------------------------------------- the RSS corpus

@pytest.mark.shared
def test_rss_corpus_timeline(shared_dir):
    from corpuslib.figures.timeline import plot_timeline

    path = shared_dir / "corpora" / "rss_political_vi" / "rss_political_keyword_subset.jsonl"
    docs, _ = ingest(path, columns={"id": "id", "text": "summary", "title": "title", "date": "published",
                                    "url": "link", "outlet": "source"})
    ev = T.extract_events(docs)
    assert len(ev) > 300
    # a day-month resolved against the publication date lands nearest it (issue 15.1): within half a year
    anchored = ev[(ev["resolved_by"] == "anchor") & (ev["granularity"] == "day")]
    gap = (pd.to_datetime(anchored["date_start"]) - pd.to_datetime(anchored["published"])).dt.days.abs()
    assert (gap <= 184).all()
    # a day-month resolved against the publication date more than a day after it is planned
    anchored = ev[ev["resolved_by"].isin(["anchor", "anchor-future"])]
    ahead = anchored[anchored["date_start"] > anchored["published"].map(lambda p: p + dt.timedelta(days=1))]
    assert len(ahead) and ahead["planned"].all()
    tl = T.build_timeline(ev)
    assert len(tl) < len(ev) and (tl["n_sources"] > 1).sum() >= 30
    # the two national events every outlet covered are one row each
    opening = tl[(tl["date"] == "2026-01-20") & (tl["kind"] == "congress") & (tl["n_sources"] >= 3)]
    assert len(opening) == 1
    plenum14 = tl[(tl["date"] == "2025-11-05") & (tl["kind"] == "plenum")]
    assert len(plenum14) == 1 and plenum14.iloc[0]["n_sources"] >= 4
    # no founding dates or anniversaries among the meetings (older dates are issue dates of documents,
    # e.g. "Nghị định số 105/2012 ngày 17.12.2012")
    assert tl.loc[tl["kind"] != "document", "date_start"].min() >= D(2024, 1, 1)
    fig = plot_timeline(tl, lanes="outlet", max_events=25)
    assert len(fig.axes) >= 2                          # month heat map + top events
    assert not _overlaps(_label_boxes(fig))


# --------------------------------------------------------------------------- one real event, one row (issue 15)
# Sentences of ../shared/corpora/rss_political_vi, with their outlets and publication dates.

CLOSING_DAY = [   # the 14th Congress's closing session, 23 Jan 2026, in three outlets
    ("tt1", "Tuổi Trẻ", "2026-01-23", "Danh sách Bộ Chính trị khóa XIV đã được công bố tại phiên bế mạc Đại hội đại "
     "biểu toàn quốc lần thứ XIV diễn ra chiều nay 23-1."),
    ("vne1", "VnExpress", "2026-01-23", "Chiều 23/1, Đại hội đại biểu toàn quốc lần thứ XIV của Đảng họp phiên bế mạc, "
     "sau khi đã hoàn thành công tác nhân sự, bầu Ban Chấp hành Trung ương Đảng khóa mới."),
    ("tn1", "Thanh Niên", "2026-01-23", "Chiều 23.1, tại phiên bế mạc, Đại hội XIV của Đảng đã nhất trí thông qua nghị "
     "quyết đại hội."),
    ("tt2", "Tuổi Trẻ", "2026-01-24", "Ngày 23-1, sau năm ngày làm việc, Tổng Bí thư Tô Lâm khẳng định Đại hội XIV của "
     "Đảng đã 'thành công rực rỡ, thành công rất tốt đẹp'."),
    ("tt3", "Tuổi Trẻ", "2026-01-21", "Đại hội XIV của Đảng khai mạc sáng 20-1. Dự kiến bế mạc vào ngày 23-1."),
]
PLENUM_ONE = [    # the first plenum of the new Central Committee, the same morning
    ("tt4", "Tuổi Trẻ", "2026-01-23", "Sáng nay 23-1, Ban Chấp hành Trung ương Đảng khóa XIV sẽ họp hội nghị lần thứ "
     "nhất để bầu Bộ Chính trị, Tổng Bí thư, Ban Bí thư, Ủy ban Kiểm tra Trung ương."),
    ("vne2", "VnExpress", "2026-01-23", "Sáng 23/1, Ban Chấp hành Trung ương khóa XIV tổ chức Hội nghị lần thứ nhất để "
     "bầu Bộ Chính trị, Tổng Bí thư và Ban Bí thư khóa mới."),
    ("vne3", "VnExpress", "2026-01-23", "Sáng 23/1, hội nghị lần thứ nhất Ban Chấp hành Trung ương Đảng khóa XIV nghe "
     "báo cáo về phương án các chức danh lãnh đạo chủ chốt của Đảng và Nhà nước."),
]
PLANNED = [       # announced three months ahead
    ("tt5", "Tuổi Trẻ", "2025-10-23", "Theo Ban Tuyên giáo và Dân vận Trung ương, Đại hội lần thứ XIV của Đảng dự kiến "
     "diễn ra trong thời gian 7 ngày, từ 19 đến 25-1-2026."),
    ("vne4", "VnExpress", "2025-10-23", "Đại hội Đảng toàn quốc lần thứ 14 dự kiến tổ chức từ ngày 19 đến 25/1/2026, với "
     "các nội dung trọng tâm là thảo luận, bầu Ban Chấp hành Trung ương khóa mới và thông qua 4 báo cáo quan trọng."),
]


def _vi_docs(rows):
    return make_docs(*[(doc_id, "vi", outlet, published, text) for doc_id, outlet, published, text in rows])


@pytest.fixture(scope="module")
def congress_week():
    ev = T.extract_events(_vi_docs(CLOSING_DAY + PLENUM_ONE + PLANNED))
    return ev, T.build_timeline(ev)


def test_closing_day_is_one_row_with_a_canonical_label(congress_week):
    _, tl = congress_week
    day = tl[tl["date"] == "2026-01-23"]
    congress = day[day["kind"] == "congress"]
    assert len(congress) == 1
    row = congress.iloc[0]
    assert row["body"] == "party" and row["ordinal"] == 14 and row["phase"] == "closing"
    assert row["label"] == "Đại hội XIV của Đảng bế mạc"
    assert sorted(row["doc_ids"]) == ["tn1", "tt1", "tt2", "tt3", "vne1"] and row["n_sources"] == 5
    assert row["outlets"] == ["Thanh Niên", "Tuổi Trẻ", "VnExpress"] and row["n_outlets"] == 3
    assert not row["planned"]   # one report announced it ("Dự kiến bế mạc"), the others report it held
    # the best evidence first: a held report naming the body and the ordinal
    assert "Dự kiến" not in row["evidence"][0] and "XIV" in row["evidence"][0]


def test_the_plenum_the_same_day_is_its_own_row(congress_week):
    _, tl = congress_week
    plenum = tl[(tl["date"] == "2026-01-23") & (tl["kind"] == "plenum")]
    assert len(plenum) == 1
    row = plenum.iloc[0]
    assert row["body"] == "central_committee" and row["n_sources"] == 3
    assert row["label"] == "Hội nghị Trung ương 1 khóa XIV"


def test_planned_dates_are_marked_and_point_to_the_held_rows(congress_week):
    ev, tl = congress_week
    plan = tl[tl["date"] == "2026-01-19/2026-01-25"]
    assert len(plan) == 1 and plan.iloc[0]["planned"] and plan.iloc[0]["n_sources"] == 2
    held = tl[(tl["body"] == "party") & ~tl["planned"].astype(bool)]
    assert set(plan.iloc[0]["held_as"]) == set(held["event_id"]) and len(held) >= 2   # the opening and the closing
    # a planned row whose meeting is held elsewhere counts half
    assert plan.iloc[0]["salience"] < held["salience"].min()
    # the anaphoric "Dự kiến bế mạc vào ngày 23-1" is the Congress's, and planned when written
    (anaphor,) = ev[(ev["doc_id"] == "tt3") & (ev["date"] == "2026-01-23")].to_dict("records")
    assert anaphor["kind"] == "congress" and anaphor["body"] == "party" and anaphor["planned"]


def test_salience_adds_sources_outlets_kind_and_body(congress_week):
    _, tl = congress_week
    bodies = T.load_event_bodies().drop_duplicates("body").set_index("body")["weight"]
    for r in tl.to_dict("records"):
        expected = r["n_sources"] + r["n_outlets"] + T.KIND_WEIGHTS[r["kind"]] + (bodies[r["body"]] if r["body"] else 0)
        assert r["salience"] == pytest.approx(expected / 2 if r["held_as"] else expected)


NON_EVENTS = [
    # greetings and celebrations: the meeting is what they greet
    ("2025-12-19", "Sáng 19/12, 234 dự án, công trình trên cả nước với tổng vốn 3,4 triệu tỷ đồng sẽ đồng loạt khởi "
     "công, khánh thành, chào mừng Đại hội Đảng toàn quốc lần thứ 14."),
    ("2026-01-22", "Chương trình nghệ thuật mừng thành công Đại hội Đảng lần thứ XIV sẽ diễn ra lúc 20h ngày 23/1, với "
     "sự đồng hành tổ chức và tài trợ của Sun Group."),
    ("2026-01-23", "Tối 23-1, bầu trời Hà Nội rực sáng với hiệu ứng màu sắc đa tầng của màn bắn pháo hoa tầm cao mừng "
     "Đại hội XIV của Đảng thành công."),
    ("2025-10-15", "Tối 15-10, chương trình nghệ thuật mừng thành công Đại hội đại biểu Đảng bộ TP.HCM lần I, nhiệm kỳ "
     "2025-2030 mang tên 'Dưới ánh sáng quang vinh' diễn ra tại TP.HCM."),
    # services and preparations
    ("2026-01-12", "Sáng 12-1, Bộ Y tế tổ chức diễn tập công tác cấp cứu, khám chữa bệnh nhằm kiểm tra, hoàn thiện "
     "phương án bảo đảm y tế phục vụ Đại hội đại biểu toàn quốc lần thứ XIV của Đảng."),
    ("2026-01-09", "Ngày 9-1, Công an tỉnh Quảng Ninh đã đưa ra cảnh giác trước chiêu trò giả danh 'vì dân tộc' để xuyên "
     "tạc, chống phá trước thềm Đại hội XIV."),
    # bulletin teasers and print digests
    ("2026-01-23", "Đại hội XIV; Zalo, TikTok bị phạt; tin tức thời tiết… sẽ là những tin tức được đề cập trong bản tin "
     "trực tiếp Xem nhanh 12h ngày 23.1.2026 của Báo Thanh Niên."),
    ("2026-01-22", "‘Xem nhanh 20h’ ngày 22.1 có tin tức đáng chú ý về: Đại hội XIV công bố kết quả và thông qua danh "
     "sách ủy viên Trung ương Đảng"),
    ("2025-10-16", "Tin tức Công bố dự thảo văn kiện Đại hội XIV của Đảng lấy ý kiến nhân dân; Tiền số: cơ hội và rủi "
     "ro... là các thông tin bạn đọc có thể đón xem trên Báo Thanh Niên số ra ngày 16.10."),
]


@pytest.mark.parametrize("published,text", NON_EVENTS)
def test_greetings_services_and_teasers_are_not_congresses(published, text):
    ev = T.extract_events(make_docs(("d", "vi", "Thanh Niên", published, text)))
    assert not (ev["kind"] == "congress").any(), ev[["date", "kind", "label"]].to_dict("records")


BODIES = [
    # (published, sentence, kind, body, ordinal)
    ("2025-12-05", "Ngày 4.12, Đại hội đại biểu Đoàn TNCS Hồ Chí Minh tỉnh Vĩnh Long lần thứ I, nhiệm kỳ 2025 - 2030 "
     "diễn ra phiên trọng thể với 349 đại biểu.", "congress", "youth_union", 1),
    ("2025-10-03", "Sáng 3-10, Đại hội đại biểu Đảng bộ tỉnh An Giang lần thứ I, nhiệm kỳ 2025-2030 khai mạc.",
     "congress", "provincial_party", 1),
    ("2025-10-02", "Sáng 2-10, Đại hội Đảng bộ Quân đội lần thứ XII bước sang ngày làm việc thứ ba.", "congress",
     "party_organisation", 12),
    ("2025-12-06", "Sáng 6-12, Đại hội đại biểu Công đoàn Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV) lần "
     "thứ VII khai mạc.", "congress", "trade_union", None),
    ("2025-11-05", "Hội nghị lần thứ 14 Ban Chấp hành Trung ương khóa 13 khai mạc sáng 5/11, dự kiến kéo dài hai ngày.",
     "plenum", "central_committee", 14),
    ("2026-04-06", "Báo Thanh Niên trân trọng giới thiệu bài phát biểu của Tổng Bí thư Tô Lâm tại phiên khai mạc kỳ họp "
     "thứ nhất, Quốc hội khóa XVI sáng 6.4.", "meeting", "national_assembly", 1),
    ("2026-03-04", "Sáng 4-3, Ban Bí thư tổ chức Hội nghị công bố quyết định kiểm tra, giám sát.", "conference",
     "secretariat", None),
]


@pytest.mark.parametrize("published,text,kind,body,ordinal", BODIES)
def test_body_and_ordinal(published, text, kind, body, ordinal):
    ev = T.extract_events(make_docs(("d", "vi", "Tuổi Trẻ", published, text)))
    assert len(ev) == 1
    r = ev.iloc[0]
    assert (r["kind"], r["body"]) == (kind, body)
    if ordinal is not None:
        assert r["ordinal"] == ordinal


def test_held_plenum_opening_is_not_planned():
    # "khai mạc sáng 5/11, dự kiến kéo dài hai ngày": the plan is the duration, in another clause
    ev = T.extract_events(make_docs(("d", "vi", "VnExpress", "2025-11-05", BODIES[4][1])))
    assert not ev.iloc[0]["planned"]


def test_youth_union_and_party_congress_the_same_day_stay_apart():
    docs = _vi_docs([
        ("a", "Thanh Niên", "2025-12-29", "Trong không khí tươi vui và trẻ trung, sáng 29.12, Đại hội đại biểu Đoàn "
         "TNCS Hồ Chí Minh TP.HCM lần thứ I, nhiệm kỳ 2025 - 2030 đã chính thức khai mạc."),
        ("b", "Tuổi Trẻ", "2025-12-29", "Sáng 29-12, Đại hội đại biểu Đảng bộ TP.HCM lần thứ I, nhiệm kỳ 2025 - 2030 "
         "đã chính thức khai mạc."),
    ])
    tl = T.build_timeline(T.extract_events(docs))
    assert sorted(tl["body"]) == ["provincial_party", "youth_union"]


def test_local_congress_reports_merge_on_their_place():
    docs = _vi_docs([
        ("a", "Thanh Niên", "2025-10-14", "Sáng 14-10, Đại hội đại biểu Đảng bộ TP.HCM lần thứ I, nhiệm kỳ 2025-2030 "
         "khai mạc phiên chính thức."),
        ("b", "Tuổi Trẻ", "2025-10-14", "Sáng 14-10, Đại hội Đảng bộ TP HCM lần thứ I bước vào phiên làm việc chính "
         "thức tại Hội trường Thống Nhất."),
        ("c", "Tuổi Trẻ", "2025-10-14", "Sáng 14-10, Đại hội đại biểu Đảng bộ tỉnh Gia Lai lần thứ I khai mạc."),
    ])
    tl = T.build_timeline(T.extract_events(docs))
    assert sorted(map(sorted, tl["doc_ids"])) == [["a", "b"], ["c"]]


def test_vocabularies_are_valid_and_cover_three_languages():
    bodies, cues = T.load_event_bodies(), T.load_event_cues()
    assert {"vi", "zh", "ru"} <= set(bodies["lang"]) and {"vi", "zh", "ru"} <= set(cues["lang"])
    assert bodies["note"].str.len().gt(0).all()
    for lang in ("vi", "zh", "ru"):
        assert {"relation", "teaser", "planned"} <= set(cues.loc[cues["lang"] == lang, "cue"])


@pytest.mark.parametrize("table,row,message", [
    ("bodies", "vi,party,somewhere,3,congress,Đảng,x", "scope"),
    ("bodies", "vi,party,national,9,congress,Đảng,x", "weight"),
    ("bodies", "vi,party,national,3,banquet,Đảng,x", "kind"),
    ("bodies", "vi,party,national,3,congress,(Đảng,x", "pattern"),
    ("cues", "vi,rumour,đồn,x", "cue"),
    ("cues", "vi,teaser,(,x", "pattern"),
])
def test_bad_vocabulary_names_the_line(tmp_path, table, row, message):
    header = {"bodies": "lang,body,scope,weight,kind,pattern,note", "cues": "lang,cue,pattern,note"}[table]
    path = tmp_path / f"{table}.csv"
    path.write_text(f"# comment\n{header}\n{row}\n", encoding="utf-8")
    load = T.load_event_bodies if table == "bodies" else T.load_event_cues
    with pytest.raises(ValueError, match=f"line 3: .*{message}"):
        load(path)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 28)), min_size=0, max_size=25), st.integers(0, 30))
def test_top_events_keeps_the_most_salient_in_date_order(rows, n):
    tl = pd.DataFrame({"date_start": [D(2026, 1, d) for _, d in rows], "salience": [float(s) for s, _ in rows],
                       "n_sources": [1] * len(rows), "label": [f"e{i}" for i in range(len(rows))]})
    before = tl.copy()
    top = T.top_events(tl, n)
    pd.testing.assert_frame_equal(tl, before)
    assert len(top) == (len(tl) if n == 0 else min(n, len(tl)))
    assert list(top["date_start"]) == sorted(top["date_start"])
    dropped = tl[~tl["label"].isin(top["label"])]
    if len(top) and len(dropped):
        assert top["salience"].min() >= dropped["salience"].max()


def test_top_events_rejects_a_bad_n(congress_week):
    with pytest.raises(ValueError, match="non-negative"):
        T.top_events(congress_week[1], -1)


def test_figure_axis_spans_the_publication_period(congress_week):
    import matplotlib.dates as mdates

    from corpuslib.figures.timeline import plot_timeline

    _, tl = congress_week
    old = tl.iloc[:1].assign(date="2012-12-17", date_start=D(2012, 12, 17), date_end=D(2012, 12, 17),
                             kind="document", label="Nghị định số 105/2012", event_id="old")
    fig = plot_timeline(pd.concat([tl, old], ignore_index=True), lanes="kind",
                        period=(pd.Timestamp("2025-10-01"), pd.Timestamp("2026-04-30")))
    strip, main = fig.axes[0], fig.axes[1]
    assert "outside the publication period" in strip.get_title(loc="left")
    lo, hi = (mdates.num2date(x).date() for x in main.get_xlim())
    assert D(2025, 8, 1) <= lo <= D(2025, 10, 1) and D(2026, 4, 30) <= hi <= D(2026, 7, 1)
    assert any("2012-12-17" in t.get_text() for t in strip.texts)
    assert not any("2012-12-17" in t.get_text() for t in main.texts)
    with pytest.raises(ValueError, match="period"):
        plot_timeline(tl, period=("2026-05-01", "2026-01-01"))


# --------------------------------------------------------------------------- counts on the RSS year

BIG_MEETINGS = [
    # (date, body, ordinal): each big meeting of the Party and the National Assembly, Oct 2025 - Apr 2026, on its
    # days, counted by hand from the corpus
    ("2025-10-06", "central_committee", 13),   # 13th plenum (khóa XIII) opens
    ("2025-11-05", "central_committee", 14),   # 14th plenum opens
    ("2025-11-06", "central_committee", 14),   # ... and closes
    ("2025-12-22", "central_committee", 15),   # 15th plenum opens
    ("2025-12-23", "central_committee", 15),   # ... and closes
    ("2026-01-19", "party", 14),               # 14th Congress: preparatory session
    ("2026-01-20", "party", 14),               # opening
    ("2026-01-21", "party", 14),
    ("2026-01-22", "party", 14),
    ("2026-01-23", "party", 14),               # closing
    ("2026-01-23", "central_committee", 1),    # 1st plenum of khóa XIV
    ("2026-03-23", "central_committee", 2),    # 2nd plenum opens
    ("2026-03-25", "central_committee", 2),    # ... and closes
    ("2026-04-06", "national_assembly", 1),    # 1st session of the 16th National Assembly opens
    ("2026-04-07", "national_assembly", 1),
]


@pytest.fixture(scope="module")
def rss_timeline(shared_dir):
    path = shared_dir / "corpora" / "rss_political_vi" / "rss_political_keyword_subset.jsonl"
    docs, _ = ingest(path, columns={"id": "id", "text": "summary", "title": "title", "date": "published",
                                    "url": "link", "outlet": "source"})
    return T.build_timeline(T.extract_events(docs))


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("date,body,ordinal", BIG_MEETINGS)
def test_rss_each_big_meeting_is_one_row_on_its_day(rss_timeline, date, body, ordinal):
    tl = rss_timeline
    rows = tl[(tl["date"] == date) & (tl["body"] == body)]
    rows = rows[rows["kind"].isin(["congress", "plenum", "meeting"])]
    assert len(rows) == 1, rows[["date", "kind", "label", "n_sources"]].to_dict("records")
    assert rows.iloc[0]["ordinal"] == ordinal and not rows.iloc[0]["planned"]


@pytest.mark.slow
@pytest.mark.shared
def test_rss_congress_week_planned_and_labelled(rss_timeline):
    tl = rss_timeline
    congress = tl[(tl["body"] == "party") & (tl["kind"] == "congress")]
    window = congress[congress["date_start"].map(lambda d: D(2025, 10, 1) <= d <= D(2026, 4, 30))]
    # one held row per day of the Congress, 19-23 Jan (and the held span, 19-23, reported once)
    held = window[~window["planned"].astype(bool) & (window["granularity"] == "day")]
    assert sorted(held["date"]) == ["2026-01-19", "2026-01-20", "2026-01-21", "2026-01-22", "2026-01-23"]
    assert held.set_index("date").loc["2026-01-23", "label"] == "Đại hội XIV của Đảng bế mạc"
    assert held.set_index("date").loc["2026-01-20", "label"] == "Đại hội XIV của Đảng khai mạc"
    # the plan "từ 19 đến 25-1-2026" is one planned row pointing to the held days
    (plan,) = window[window["date"] == "2026-01-19/2026-01-25"].to_dict("records")
    assert plan["planned"] and set(held["event_id"]) <= set(plan["held_as"])
    # no greeting, service or teaser row is left: every held row is one of those days or the held span 19-23
    # ("từ 19.1.2026 - 25.1.2026", read as 25 Jan by the dates stage, is planned and linked too)
    others = window[~window["planned"].astype(bool) & (window["granularity"] != "day")]
    assert set(others["date"]) <= {"2026-01-19/2026-01-23"}
    assert all(r["held_as"] for r in window[window["planned"].astype(bool)].to_dict("records"))


@pytest.mark.parametrize("lang,published,text,body,planned", [
    # seed 000 (zh): the provincial Party committee's seminar, held
    ("zh", "2023-12-13", "12月12日上午，乂安省委组织召开省级科学研讨会。", "provincial_party", False),
    # a translated announcement: the Central Committee plenum "will be held"
    ("zh", "2025-11-01", "越共第十三届中央委员会第十四次全体会议将于11月5日召开。", "central_committee", True),
    # seed 001 (ru): the Central Organisation Commission is not the Central Committee
    ("ru", "2024-12-17", "16 декабря в Ханое Центральный организационный комитет провел национальную конференцию.",
     None, False),
    ("ru", "2025-11-01", "Пленум ЦК КПВ будет проведен 5 ноября в Ханое.", "central_committee", True),
])
def test_zh_ru_bodies_and_plans(lang, published, text, body, planned):
    ev = T.extract_events(make_docs(("d", lang, "outlet", published, text)))
    assert len(ev) == 1
    r = ev.iloc[0]
    assert (r["body"] if isinstance(r["body"], str) else None) == body and bool(r["planned"]) == planned


def test_timelinejs_names_body_and_plan(congress_week):
    out = T.to_timelinejs(congress_week[1])
    texts = [ev["text"]["text"] for ev in out["events"]]
    assert any("party" in t and "planned" in t for t in texts) and any("central_committee" in t for t in texts)


def test_figure_top_n_draws_the_most_salient_of_the_period(congress_week):
    from corpuslib.figures.timeline import plot_timeline

    _, tl = congress_week
    top = tl.sort_values("salience", ascending=False).iloc[0]
    fig = plot_timeline(tl, lanes="kind", top_n=1, period=(pd.Timestamp("2025-10-01"), pd.Timestamp("2026-01-31")))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert len([t for t in texts if t.startswith("20")]) == 1 and any(top["label"][:20] in t for t in texts)
    with pytest.raises(ValueError, match="top_n"):
        plot_timeline(tl, top_n=-2)


def test_a_local_congress_with_a_national_looking_ordinal_is_not_the_party_congress():
    text = ("Ngày 15-8, Đảng bộ Quân khu 7 tổ chức ngày làm việc cuối cùng của Đại hội đại biểu lần thứ XI, nhiệm kỳ "
            "2025 - 2030.")
    ev = T.extract_events(make_docs(("d", "vi", "Tuổi Trẻ", "2025-08-15", text)))
    # the Party committee of Military Region 7 (the nearest body named before it), not the national Congress
    assert len(ev) == 1 and ev.iloc[0]["body"] in ("party_organisation", "military")
