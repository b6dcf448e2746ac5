"""The one sentence splitter: its rules on real snippets, and the same sentences in every stage."""
from __future__ import annotations

import json
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslib.text.sentences import sentence_at, sentence_spans, split_sentences

from tests.conftest import seed_text

# ---------------------------------------------------------------------------------------------
# Rules, on snippets of the seeds (data/raw) and the shared corpora
# ---------------------------------------------------------------------------------------------
CASES = [
    # seed 004: an ellipsis before a capital ends a sentence
    ("vi", "tổ chức triển khai đồng bộ từ tỉnh đến cơ sở… Ban Thường vụ Tỉnh ủy, các cấp ủy đã thực hiện",
     ["tổ chức triển khai đồng bộ từ tỉnh đến cơ sở…", "Ban Thường vụ Tỉnh ủy, các cấp ủy đã thực hiện"]),
    # abbreviations before a name, an exclamation, a closing quote kept with its sentence
    ("vi", "Sáng 27-9, Đại hội khai mạc. TP. Hải Phòng và các địa phương khác! Ông nói: “Tốt.” Hết.",
     ["Sáng 27-9, Đại hội khai mạc.", "TP. Hải Phòng và các địa phương khác!", "Ông nói: “Tốt.”", "Hết."]),
    ("vi", "biểu dương cách làm của TP. Hải Phòng và một số địa phương khác như Nghệ An.",
     ["biểu dương cách làm của TP. Hải Phòng và một số địa phương khác như Nghệ An."]),
    ("vi", "Ảnh: Thành Duy. Các đại biểu tham gia hội nghị tại điểm cầu Nghệ An. Ảnh: Thành Duy",
     ["Ảnh: Thành Duy.", "Các đại biểu tham gia hội nghị tại điểm cầu Nghệ An.", "Ảnh: Thành Duy"]),
    # vntc: Tp., P.1, Q. (quận) before names; PGS. TS; "GS - TS."
    ("vi", "Tp. HCM: 9/22 Phạm Văn Hai, P.1, Q. Tân Bình; ĐT: 08-9915396",
     ["Tp. HCM: 9/22 Phạm Văn Hai, P.1, Q. Tân Bình; ĐT: 08-9915396"]),
    ("vi", "PGS. TS Trần Xuân Thu đưa ra những quan điểm", ["PGS. TS Trần Xuân Thu đưa ra những quan điểm"]),
    ("vi", "khách sạn Hoàng Hà (P.10, Q. Phú Nhuận), trong số gái bán dâm này",
     ["khách sạn Hoàng Hà (P.10, Q. Phú Nhuận), trong số gái bán dâm này"]),
    ("vi", "Công trình đã hoàn thành. GS - TS. Bùi Văn Ga khẳng định: \"Tốt\"",
     ["Công trình đã hoàn thành.", "GS - TS. Bùi Văn Ga khẳng định: \"Tốt\""]),
    # rss: 4.000 is a number; "LHQ." ends a sentence before a capital
    ("vi", "triển khai 4.000 nhân viên trên con đường dẫn tới trụ sở LHQ. Các phố dẫn tới khu vực này đều bị phong tỏa",
     ["triển khai 4.000 nhân viên trên con đường dẫn tới trụ sở LHQ.",
      "Các phố dẫn tới khu vực này đều bị phong tỏa"]),
    # no space after the period: TP.HCM, 20.1.2026, T.Ư, Q.1
    ("vi", "Ngày 20.1.2026, Ban Bí thư T.Ư Đảng làm việc tại TP.HCM và Q.1 với 1.000 đại biểu.",
     ["Ngày 20.1.2026, Ban Bí thư T.Ư Đảng làm việc tại TP.HCM và Q.1 với 1.000 đại biểu."]),
    # "Ông" is a word, not an abbreviation; a lower-case word goes on
    ("vi", "Đồng chí Bí thư phát biểu. Ông Nguyễn Văn Thông cho biết thêm. ông nói tiếp",
     ["Đồng chí Bí thư phát biểu.", "Ông Nguyễn Văn Thông cho biết thêm. ông nói tiếp"]),
    ("vi", "Vừa qua, Tôi là ai? đã đoạt giải Cánh diều bạc", ["Vừa qua, Tôi là ai? đã đoạt giải Cánh diều bạc"]),
    # crawl_news: a one-letter word is not an initial ("như ý."), nor a name before a quote ("mạng X.")
    ("vi", "cùng bản Vạn sự như ý. Ca khúc với giai điệu sôi động",
     ["cùng bản Vạn sự như ý.", "Ca khúc với giai điệu sôi động"]),
    ("vi", "ông Witkoff đăng tải trên mạng X. “Chúng tôi rất phấn khởi”, ông nói thêm.",
     ["ông Witkoff đăng tải trên mạng X.", "“Chúng tôi rất phấn khởi”, ông nói thêm."]),
    # crawl_news: a capital letter before a Vietnamese word is not an initial; before a foreign surname it is
    ("vi", "nhiệt độ giảm 1-3 độ C. Trạm Bạch Long Vĩ ghi nhận gió. Kim Bảo Như Ý. Các thiết kế",
     ["nhiệt độ giảm 1-3 độ C.", "Trạm Bạch Long Vĩ ghi nhận gió.", "Kim Bảo Như Ý.", "Các thiết kế"]),
    ("vi", "tàu sân bay USS John F. Kennedy rời cảng, ông George W. Bush nói",
     ["tàu sân bay USS John F. Kennedy rời cảng, ông George W. Bush nói"]),
    # vntc: people the press does not name are initials too
    ("vi", "tại khu nhà trọ. T. - nạn nhân mới đây, chúng tôi tới thăm T. (ĐH Nông Lâm TP.HCM) tại nhà",
     ["tại khu nhà trọ.", "T. - nạn nhân mới đây, chúng tôi tới thăm T. (ĐH Nông Lâm TP.HCM) tại nhà"]),
    ("vi", "Đó là bài học đầu tiên mà H. \"bật mí\" cho tôi.", ["Đó là bài học đầu tiên mà H. \"bật mí\" cho tôi."]),
    # rss: "T.Ư." (Trung ương) ends a sentence before a capital
    ("vi", "đối với Ban Thường vụ Quân ủy T.Ư. Đại tướng Phan Văn Giang",
     ["đối với Ban Thường vụ Quân ủy T.Ư.", "Đại tướng Phan Văn Giang"]),
    # vntc lists: the number of an item is not a sentence
    ("vi", "California, Mỹ, cung cấp.\n1. Điều khiển cơ xương chậu. Nhóm cơ PC giúp kiểm soát. 2. Thở đều",
     ["California, Mỹ, cung cấp.", "1. Điều khiển cơ xương chậu.", "Nhóm cơ PC giúp kiểm soát.", "2. Thở đều"]),
    ("vi", "II. NHIỆM VỤ\nĐiều 3. Quy định chung", ["II. NHIỆM VỤ", "Điều 3.", "Quy định chung"]),
    # line breaks (also CR LF, as the raw vntc files have them) are paragraph boundaries
    ("vi", "Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt\r\n(Baonghean.vn) - Đây là đánh giá",
     ["Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt", "(Baonghean.vn) - Đây là đánh giá"]),
    # seed 001 and Russian abbreviations: г. after a year ends, before a name does not; т.д. closes a list
    ("ru", "Генеральный секретарь То Лам присутствовал. В ротации кадров много новшеств.",
     ["Генеральный секретарь То Лам присутствовал.", "В ротации кадров много новшеств."]),
    ("ru", "В 2024 г. весь сектор работал. Это было в 2024 г. В Ханое прошла конференция.",
     ["В 2024 г. весь сектор работал.", "Это было в 2024 г.", "В Ханое прошла конференция."]),
    ("ru", "Конференция прошла в г. Ханое, на ул. Ленина. Кадры, аппарат и т.д. Все это важно, т. е. Реформа",
     ["Конференция прошла в г. Ханое, на ул. Ленина.", "Кадры, аппарат и т.д.", "Все это важно, т. е. Реформа"]),
    ("ru", "В. И. Ленин писал об этом. Нгуен Фу Чонг тоже.", ["В. И. Ленин писал об этом.", "Нгуен Фу Чонг тоже."]),
    # seed 000: a quoted speech is split into its sentences; the closing quote stays with the last
    ("zh", "胡志明主席生前曾强调:“干部是一切工作的根本。干部的优劣决定着工作的成败。” 他在遗嘱中也嘱咐道",
     ["胡志明主席生前曾强调:“干部是一切工作的根本。", "干部的优劣决定着工作的成败。”", "他在遗嘱中也嘱咐道"]),
    ("zh", "会议现场。图片:Thanh Le\n人事工作是“关键中的关键”", ["会议现场。", "图片:Thanh Le", "人事工作是“关键中的关键”"]),
    # seed 002: ； joins the clauses of one sentence
    ("zh", "具有决定性意义;总结落实2013年7月30日中央政治局第26-NQ/TW号决议十年历程；2021-2030年阶段已获批准。下一句",
     ["具有决定性意义;总结落实2013年7月30日中央政治局第26-NQ/TW号决议十年历程；2021-2030年阶段已获批准。", "下一句"]),
    ("zh", "好!他说。", ["好!", "他说。"]),
    ("en", "Resolution No. 18 was issued on Oct. 25, 2017, Dr. Smith said. The Politburo met.",
     ["Resolution No. 18 was issued on Oct. 25, 2017, Dr. Smith said.", "The Politburo met."]),
]


@pytest.mark.parametrize("lang, text, expected", CASES)
def test_rules_on_real_snippets(lang, text, expected):
    assert split_sentences(text, lang) == expected


@pytest.mark.parametrize("tag", ["zh", "zh-Hans", "ZH", "zh_CN", None, "und"])
def test_language_tags_split_alike(tag):
    text = seed_text("000")
    assert sentence_spans(text, tag) == sentence_spans(text, "zh")


def test_abbreviations_follow_the_language():
    # "Sen" (lotus) is a Vietnamese word; in English it abbreviates Senator
    assert split_sentences("Về thăm Làng Sen. Ông kể chuyện", "vi") == ["Về thăm Làng Sen.", "Ông kể chuyện"]
    assert split_sentences("It was Sen. Smith who spoke", "en") == ["It was Sen. Smith who spoke"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aàĐđ TPtpgГг.?!…。！？；;”\"«)(1\n\r")), max_size=80),
       st.sampled_from(["vi", "zh", "ru", "en", None]))
def test_spans_are_trimmed_ordered_and_inside(text, lang):
    spans = sentence_spans(text, lang)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    # nothing but white space is left out
    covered = set().union(*(range(a, b) for a, b in spans)) if spans else set()
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_sentence_at():
    spans = [(0, 5), (7, 12)]
    assert sentence_at(spans, 0) == (0, 5) and sentence_at(spans, 11) == (7, 12)
    assert sentence_at(spans, 5) is None and sentence_at(spans, 12) is None and sentence_at([], 0) is None


# ---------------------------------------------------------------------------------------------
# One splitter, every stage: concepts, compare, dates, references and timeline see the same sentences
# ---------------------------------------------------------------------------------------------
def _real_texts():
    from tests.conftest import SEEDS, SHARED

    out = [("vi" if p.name[:3] in ("003", "004") else "ru" if p.name.startswith("001") else "zh",
            unicodedata.normalize("NFC", p.read_text(encoding="utf-8")), p.name[:3]) for p in sorted(SEEDS.glob("*.txt"))]
    rss = SHARED / "corpora" / "rss_political_vi" / "rss_political_keyword_subset.jsonl"
    party = SHARED / "corpora" / "vntc" / "vntc_chinhtrixahoi_party_keyword_subset.jsonl"
    if rss.is_file():
        rows = [json.loads(line) for line in rss.open(encoding="utf-8")][:15]
        out += [("vi", unicodedata.normalize("NFC", r.get("summary") or ""), f"rss{i}") for i, r in enumerate(rows)]
    if party.is_file():
        rows = [json.loads(line) for line in party.open(encoding="utf-8")][:15]
        out += [("vi", unicodedata.normalize("NFC", r["text"]), f"vntc{i}") for i, r in enumerate(rows)]
    return [pytest.param(lang, text, id=name) for lang, text, name in out if text]


@pytest.mark.parametrize("lang, text", _real_texts())
def test_every_stage_sees_the_same_sentences(lang, text):
    from corpuslib.analysis.compare import document_sizes
    from corpuslib.analysis.references import extract_references
    from corpuslib.text.dates import extract_dates
    from corpuslib.text.lexicon import sentence_table

    spans = sentence_spans(text, lang)
    docs = pd.DataFrame({"doc_id": ["d"], "lang": [lang], "text": [text]})
    table = sentence_table(docs, include_title=False)
    assert list(zip(table["start"], table["end"])) == spans
    assert document_sizes(docs, include_title=False)["n_sentences"].tolist() == [len(spans)]
    for r in extract_dates(text, lang=lang).itertuples():
        s = sentence_at(spans, r.start)
        assert r.sentence == text[s[0]:s[1]]
    for r in extract_references(text, lang=lang).itertuples():
        s = sentence_at(spans, r.start)
        assert r.sentence == text[s[0]:s[1]]


def test_timeline_evidence_is_a_sentence(seeds_dir):
    from corpuslib.analysis.timeline import extract_events
    from corpuslib.documents.table import read_corpus

    docs = read_corpus(seeds_dir)
    events = extract_events(docs)
    assert len(events)
    texts = docs.set_index("doc_id")
    for r in events.itertuples():
        text, lang = texts.at[r.doc_id, "text"], texts.at[r.doc_id, "lang"]
        assert (r.start, r.end) in sentence_spans(text, lang)
        assert r.evidence == text[r.start:r.end]
