"""Tests of the reform lexicon: the shipped file, validation errors, and cross-script matching."""
from __future__ import annotations

import json
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslib.text.lexicon import (
    LEXICON_COLUMNS,
    Lexicon,
    LexiconError,
    find_concepts,
    fold,
    load_lexicon,
    sentence_table,
)
from corpuslib.text.sentences import sentence_spans

HEADER = ",".join(LEXICON_COLUMNS)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def concepts_in(lexicon: Lexicon, text: str, lang: str) -> set[str]:
    return {h.concept for h in lexicon.find(text, lang)}


# ----------------------------------------------------------------------------------------
# The shipped lexicon
# ----------------------------------------------------------------------------------------
def test_shipped_lexicon_is_versioned_and_large(lexicon):
    assert lexicon.version != "unversioned"
    assert lexicon.path.endswith("reform_lexicon.csv")
    assert len(lexicon.concepts) >= 25
    assert lexicon.concepts["theme"].nunique() >= 4
    assert (lexicon.table["source"].str.len() > 0).all()


@pytest.mark.parametrize("concept", [
    "apparatus_streamlining", "staff_cuts", "merging_units", "cadre_planning", "cadre_rotation",
    "cadre_assessment", "discipline", "control_of_power", "anti_corruption", "dare_to_think_act",
    "digital_transformation", "party_building", "position_based_staffing",
])
def test_required_concepts_have_vi_and_zh_terms(lexicon, concept):
    langs = set(lexicon.terms().query("concept == @concept")["lang"])
    assert {"vi", "zh"} <= langs


def test_most_concepts_cover_all_four_languages(lexicon):
    langs = lexicon.terms().groupby("concept")["lang"].agg(set)
    full = langs[langs.map(lambda s: s >= {"vi", "zh", "ru", "en"})]
    assert len(full) >= 30


def test_every_source_is_a_corpus_or_a_url(lexicon):
    for src in lexicon.table["source"]:
        for part in src.split(";"):
            part = part.strip()
            assert part.startswith(("corpus:seeds/", "corpus:rss", "corpus:vntc", "http://", "https://")), part


# ----------------------------------------------------------------------------------------
# Malformed files: the error names the file and the line
# ----------------------------------------------------------------------------------------
GOOD = "dare_to_think_act,initiative,Dare,vi,dám nghĩ dám làm,phrase,corpus:seeds/003,"


@pytest.mark.parametrize("body, line, fragment", [
    (f"{GOOD}\nx,initiative,Dare,xx,dám làm,phrase,src,", 4, "lang must be one of"),
    (f"{GOOD}\ndare_to_think_act,,,vi,dám làm,nearby,src,", 4, "match must be"),
    (f"{GOOD}\ndare_to_think_act,,,vi,dám làm,phrase,,", 4, "empty source"),
    (f"{GOOD}\ndare_to_think_act,,,vi,dám làm,phrase,src", 4, "expected 8 fields"),
    (f"{GOOD}\ndare_to_think_act,,,vi,Dám nghĩ dám làm,phrase,src,", 4, "duplicate term"),
    (f"{GOOD}\nDare-Act,initiative,Dare,vi,dám làm,phrase,src,", 4, "lower_snake_case"),
    (f"{GOOD}\ndare_to_think_act,,,zh,敢*,phrase,src,", 4, "stems are not used in Chinese"),
    (f"{GOOD}\ndare_to_think_act,party,,vi,dám làm,phrase,src,", 4, "contradicts"),
    (f"{GOOD}\ndare_to_think_act,,,vi,dám,near2,src,", 4, "at least two words"),
    (f"{GOOD}\ndare_to_think_act,,,ru,сме*лость,phrase,src,", 4, "may only end a word"),
    (f"{GOOD}\ndare_to_think_act,,,vi,   ,phrase,src,", 4, "empty term"),
    (f"{GOOD}\nonly_exclusions,x,X,vi,phù hợp nhất,exclude,src,", 4, "only exclude rows"),
])
def test_malformed_lexicon_error_names_file_and_line(tmp_path, body, line, fragment):
    path = tmp_path / "bad_lexicon.csv"
    path.write_text(f"# version: 0.0.1\n{HEADER}\n{body}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_lexicon(path)
    assert f"{path}:{line}:" in str(err.value)
    assert fragment in str(err.value)


def test_missing_header_column_names_header_line(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_text("# version: 1\n\nconcept,theme,label_en,lang,term,source\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"{path}:3: header lacks column\(s\) match, note"):
        load_lexicon(path)


def test_not_utf8_names_line(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_bytes(f"{HEADER}\n".encode() + "a,b,c,vi,dám làm,phrase,s,\n".encode("latin-1", "replace"))
    with pytest.raises(LexiconError, match=rf"{path}:2: not UTF-8"):
        load_lexicon(path)


def test_missing_file_is_a_lexicon_error(tmp_path):
    with pytest.raises(LexiconError, match="cannot read lexicon"):
        load_lexicon(tmp_path / "nope.csv")


def test_blank_theme_inherits_and_version_is_read(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_text(f"# a comment\n# version: 2.1\n{HEADER}\n{GOOD}\n"
                    "dare_to_think_act,,,zh,敢想,phrase,corpus:seeds/002,\n", encoding="utf-8")
    lx = load_lexicon(path)
    assert lx.version == "2.1"
    assert lx.table["theme"].tolist() == ["initiative", "initiative"]
    assert lx.table["line"].tolist() == [4, 5]


# ----------------------------------------------------------------------------------------
# Matching across scripts (real snippets from the seeds and the RSS corpus)
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, text, present, absent", [
    # vi: multi-word terms across punctuation; whole syllables only
    ("vi", "Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, "
           "hoạt động hiệu lực, hiệu quả", {"apparatus_streamlining", "political_system", "effectiveness"}, set()),
    ("vi", "toàn ngành phải tiếp tục phát huy cao độ tinh thần: đổi mới sáng tạo, dám nghĩ, dám làm, "
           "dám chịu trách nhiệm vì lợi ích chung", {"dare_to_think_act", "innovation"}, set()),
    ("vi", "Triển khai chủ trương Đảng thống nhất quản lý biên chế và tinh giản biên chế, cơ cấu lại đội ngũ "
           "theo vị trí việc làm", {"staff_cuts", "position_based_staffing"}, set()),
    # 'hợp nhất' inside 'phù hợp nhất' (two words) is excluded; a real merger is not
    ("vi", "chủ trì lựa chọn công nghệ phù hợp nhất cho dự án", set(), {"merging_units"}),
    ("vi", "Thành phố Huế hợp nhất Sở Văn hóa và Thể thao với Sở Du lịch", {"merging_units"}, set()),
    # old tone placement (hoá) matches the term written with the new one (hóa)
    ("vi", "những biểu hiện \"tự diễn biến\", \"tự chuyển hoá\" trong nội bộ", {"degradation"}, set()),
    # the Ministry of Science and Technology is not the S&T policy
    ("vi", "Bộ Khoa học và Công nghệ bổ nhiệm 12 cán bộ", {"appointment"}, {"science_technology"}),
    ("vi", "Bóng đá: Guardiola muốn Man City tinh gọn đội hình", set(), {"apparatus_streamlining"}),
    # zh: substrings, with a character gap for 精简…机构
    ("zh", "改组精简政治体系机构,使乂安省委能够有效、高效地运作", {"apparatus_streamlining", "effectiveness"}, set()),
    ("zh", "积极倡导精简行政程序,特别是涉及人员和企业的行政程序。", {"administrative_reform"}, {"apparatus_streamlining"}),
    ("zh", "秉持荣誉、自尊、自信,敢想、敢做、敢担当,敢于为公,严格执行纪律和政纪", {"dare_to_think_act", "discipline"}, set()),
    # ru: lemmas, so inflected forms match; stems for оптимиз*
    ("ru", "при оптимизации организационного аппарата и сокращении штатов",
     {"apparatus_streamlining", "staff_cuts"}, set()),
    ("ru", "Сокращение штатов и реорганизация аппарата", {"apparatus_streamlining", "staff_cuts"}, set()),
    ("ru", "по созданию оптимизированного политического аппарата, который будет работать эффективно и результативно",
     {"apparatus_streamlining", "effectiveness"}, set()),
    ("ru", "Управление персоналом становится все более дисциплинированным и строгим, ужесточая дисциплину, "
           "повышая ответственность и контролируя власть", {"discipline", "control_of_power"}, set()),
    ("en", "streamline the apparatus of the political system and the two-level local government",
     {"apparatus_streamlining", "political_system", "two_tier_local_government"}, set()),
])
def test_matching_real_snippets(lexicon, lang, text, present, absent):
    found = concepts_in(lexicon, text, lang)
    assert present <= found
    assert not (absent & found)


def test_syllables_match_whole_not_inside_another_syllable():
    lx = Lexicon.from_terms(["cán bộ"], langs=["vi"])
    assert lx.find("Đội ngũ cán bộ, công chức", "vi")
    assert not lx.find("Cán bột mì", "vi")  # 'bộ' is not a prefix match of 'bột'
    assert not lx.find("cáncán bộ", "vi")


def test_chinese_needs_no_spaces_and_other_scripts_do_not_leak():
    lx = Lexicon.from_terms({"cadre": ["干部", "cán bộ"]}, langs=["zh", "vi"])
    assert len(lx.find("建设与政治系统组织机构相适应的干部队伍", "zh")) == 1
    assert lx.find("干部队伍", "ru") == []  # no Russian terms: nothing matched


def test_hit_offsets_point_at_the_written_text(lexicon):
    text = "Chiều 3-6, hội nghị bàn về TINH GIẢN BIÊN CHẾ và sắp xếp, tinh gọn bộ máy."
    for h in lexicon.find(text, "vi"):
        assert fold(text[h.start:h.end], "vi").split()[0].strip(",") in fold(h.term, "vi")
    spans = {(h.concept, text[h.start:h.end]) for h in lexicon.find(text, "vi")}
    assert ("staff_cuts", "TINH GIẢN BIÊN CHẾ") in spans
    assert ("apparatus_streamlining", "sắp xếp, tinh gọn bộ máy") in spans


def test_overlapping_terms_of_one_concept_count_once(lexicon):
    hits = lexicon.find("Đồng Tháp: Xây dựng đội ngũ cán bộ lãnh đạo 'Dám nghĩ, dám làm, dám chịu trách nhiệm'", "vi")
    dare = [h for h in hits if h.concept == "dare_to_think_act"]
    assert [h.term for h in dare] == ["dám nghĩ dám làm", "dám chịu trách nhiệm"]


# ----------------------------------------------------------------------------------------
# Sentences and documents
# ----------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aàáạâăđêôơưÀĐ hoá.?!\n。，汉字ЖжЁё ")), max_size=80))
def test_fold_keeps_length_and_spans_are_ordered(text):
    text = unicodedata.normalize("NFC", text)
    for lang in ("vi", "ru", "zh", None):
        assert len(fold(text, lang)) == len(text)
        spans = sentence_spans(text, lang)
        assert all(0 <= a < b <= len(text) for a, b in spans)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["công", "tác", "cán", "bộ", "hội", "nghị", "tỉnh", "ủy", "năm", "mới"]), max_size=12),
       st.lists(st.sampled_from(["quyết", "định", "thực", "hiện", "đảng", "viên"]), max_size=12))
def test_inserted_term_is_found_where_it_was_put(left, right):
    lx = Lexicon.from_terms({"streamline": ["tinh gọn bộ máy"]}, langs=["vi"])
    text = " ".join(left + ["tinh", "gọn", "bộ", "máy"] + right)
    hits = lx.find(text, "vi")
    assert len(hits) == 1
    assert text[hits[0].start:hits[0].end] == "tinh gọn bộ máy"


def test_title_counts_unless_the_body_repeats_it(lexicon):
    docs = pd.DataFrame({
        "doc_id": ["a", "b"], "lang": ["vi", "vi"],
        "title": ["Hà Nội sẽ tinh giản biên chế 3 đợt mỗi năm", "Hà Nội sẽ tinh giản biên chế 3 đợt mỗi năm"],
        "text": ["Từ năm 2026, TP.Hà Nội sẽ tinh giản biên chế mỗi năm 3 đợt.",
                 "Hà Nội sẽ tinh giản biên chế 3 đợt mỗi năm\nTừ năm 2026, TP.Hà Nội sẽ tinh giản biên chế."],
    })
    hits = find_concepts(docs, lexicon)
    staff = hits[hits["concept"] == "staff_cuts"].groupby("doc_id").size()
    assert staff.to_dict() == {"a": 2, "b": 2}
    assert set(hits.loc[hits["doc_id"] == "a", "field"]) == {"title", "text"}
    sents = sentence_table(docs)
    assert sents.groupby("doc_id").size().to_dict() == {"a": 2, "b": 2}
    for r in hits.itertuples():
        row = docs.set_index("doc_id").loc[r.doc_id]
        assert row[r.field][r.start:r.end] == r.match


def test_streamlining_found_in_each_seed_in_its_own_language(lexicon, seeds_dir):
    from corpuslib.documents.table import ingest

    docs = ingest(seeds_dir).documents
    assert len(docs) == 5
    hits = find_concepts(docs, lexicon)
    stream = hits[hits["concept"] == "apparatus_streamlining"]
    assert set(stream["doc_id"]) == set(docs["doc_id"])
    langs = docs.set_index("doc_id")["lang"]
    assert (stream["lang"] == stream["doc_id"].map(langs)).all()
    assert set(langs) == {"vi", "zh", "ru"}


@pytest.mark.shared
def test_rss_terms_the_lexicon_cites_are_found_there(lexicon, shared_dir):
    rows = [json.loads(line) for line in
            (shared_dir / "corpora/rss_political_vi/rss_political_keyword_subset.jsonl").open(encoding="utf-8")]
    docs = pd.DataFrame({"doc_id": [r["id"] for r in rows], "lang": "vi", "title": [r["title"] for r in rows],
                         "text": [r.get("summary") or "" for r in rows]})
    cited = lexicon.terms("vi")
    cited = cited[cited["source"].str.contains("corpus:rss")]
    hits = find_concepts(docs, lexicon)
    missing = set(zip(cited["concept"], cited["term"])) - set(zip(hits["concept"], hits["term"]))
    # a term hidden by a longer term of its concept is checked on its own
    for concept, term in sorted(missing):
        single = Lexicon(lexicon.table[(lexicon.table["concept"] == concept) & (lexicon.table["term"] == term)]
                         .reset_index(drop=True))
        assert len(find_concepts(docs, single)), (concept, term)
    assert hits.loc[hits["concept"] == "apparatus_streamlining", "doc_id"].nunique() >= 50
