"""Near-duplicates on real reposts: the same story in two outlets is flagged, two stories are not."""
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslib.documents.duplicates import NearDuplicates, flag_near_duplicates, near_duplicate_pairs, shingles
from corpuslib.documents.table import ingest

# (earlier text, later text, same story?) -- RSS summaries of rss_political_vi, the same event
# told by two outlets or twice by one; the "different" rows are two events in one template.
PAIRS = [
    ("Trung ương Đảng đồng ý chủ trương chuyển chức năng, nhiệm vụ tham mưu về công tác dân vận từ Ban Tuyên giáo và "
     "Dân vận Trung ương sang Đảng ủy MTTQ, các đoàn thể Trung ương; đổi tên Ban Tuyên giáo và Dân vận Trung ương thành "
     "Ban Tuyên giáo Trung ương.",
     "Trung ương Đảng đồng ý chủ trương chuyển chức năng, nhiệm vụ tham mưu về công tác dân vận từ Ban Tuyên giáo và "
     "Dân vận Trung ương sang Đảng ủy MTTQ, các đoàn thể Trung ương, đổi tên thành Ban Tuyên giáo Trung ương.", True),
    ("Chiều 30.3, Tổng Bí thư Tô Lâm đã trao huân chương, huy hiệu Đảng tặng Thủ tướng Phạm Minh Chính và các lãnh đạo, "
     "nguyên lãnh đạo cấp cao của Đảng, Chính phủ.",
     "Chiều 30-3, Tổng Bí thư Tô Lâm đã trao huân chương, huy hiệu Đảng tặng Thủ tướng Phạm Minh Chính và các lãnh đạo, "
     "nguyên lãnh đạo cấp cao của Đảng, Chính phủ.", True),
    ("Bộ Chính trị yêu cầu giảm tối thiểu 20% đầu mối cơ sở giáo dục đại học công lập, trong đó sáp nhập các trường "
     "cùng địa bàn, trừ nhóm đặc thù, xong trước 1/4/2027.",
     "Kế hoạch của Bộ Chính trị yêu cầu giảm tối thiểu 20% đầu mối cơ sở giáo dục đại học công lập, trong đó sáp nhập "
     "các trường cùng địa bàn, trừ nhóm đặc thù, xong trước 1-4-2027.", True),
    ("Tổng Bí thư Tô Lâm nhấn mạnh, phòng, chống tham nhũng, lãng phí, tiêu cực là nhiệm vụ đặc biệt quan trọng, "
     "thường xuyên, lâu dài của công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị.",
     "Tổng Bí thư Tô Lâm nhấn mạnh phòng, chống tham nhũng, lãng phí, tiêu cực là nhiệm vụ đặc biệt quan trọng, "
     "thường xuyên, lâu dài của công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị.", True),
    # two meetings of one steering committee
    ("Chiều 1-11, Thủ tướng Phạm Minh Chính, Trưởng Ban Chỉ đạo Quốc gia triển khai Nghị quyết số 68 của Bộ Chính trị "
     "về phát triển kinh tế tư nhân, chủ trì phiên họp lần thứ hai.",
     "Chiều 20-12, Thủ tướng Phạm Minh Chính, Trưởng Ban Chỉ đạo quốc gia triển khai Nghị quyết số 68-NQ/TW của Bộ "
     "Chính trị về phát triển kinh tế tư nhân, chủ trì phiên họp lần thứ ba.", False),
    # one inspection decision, two inspected bodies
    ("Đoàn kiểm tra, giám sát của Bộ Chính trị, Ban Bí thư công bố quyết định kiểm tra, giám sát của Bộ Chính trị, Ban "
     "Bí thư năm 2026 với Ban Thường vụ Quân ủy Trung ương.",
     "Đoàn kiểm tra, giám sát của Bộ Chính trị, Ban Bí thư công bố quyết định kiểm tra, giám sát của Bộ Chính trị, Ban "
     "Bí thư năm 2026 với Ban Thường vụ Đảng ủy Công an Trung ương.", False),
    ("Sáng 13/1, Bộ Khoa học và Công nghệ tổ chức lễ công bố và trao quyết định về công tác cán bộ tại 5 đơn vị trực thuộc.",
     "Bộ Khoa học và Công nghệ tổ chức lễ công bố và trao quyết định về công tác cán bộ tại 5 đơn vị, tối 12/9.", False),
]


def _docs(texts, published=None, outlets=None):
    n = len(texts)
    return pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(n)],
        "outlet": outlets or ["Thanh Niên"] * n,
        "published": pd.to_datetime(published or [f"2026-01-{i + 1:02d}" for i in range(n)]),
        "text": texts,
    })


@pytest.mark.parametrize("first, second, same", PAIRS)
def test_real_reposts_are_flagged_and_two_stories_are_not(first, second, same):
    docs = _docs([first, second], outlets=["Thanh Niên", "Tuổi Trẻ"])
    before = docs.copy()
    out = flag_near_duplicates(docs)
    pd.testing.assert_frame_equal(docs, before)  # the input is not touched
    assert out["near_duplicate_of"].tolist() == ([None, "d0"] if same else [None, None])


def test_the_earliest_is_the_original_and_an_undated_one_comes_last():
    first, second, _ = PAIRS[0]
    out = flag_near_duplicates(_docs([first, second, first + " Thêm một câu."],
                                     published=["2026-07-24 19:00", "2026-07-24 13:47", None]))
    assert out["near_duplicate_of"].tolist() == ["d1", None, "d1"]
    pairs = near_duplicate_pairs(out)
    assert pairs["doc_id"].tolist() == ["d0", "d2"] and set(pairs["original_published"]) == {pd.Timestamp("2026-07-24 13:47")}


words = st.lists(st.sampled_from("Đảng bộ tỉnh ủy cán bộ tinh gọn bộ máy Tổng Bí thư Tô Lâm họp chiều nay về".split()),
                 min_size=0, max_size=40)


@settings(max_examples=40, deadline=None)
@given(st.lists(words.map(" ".join), min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_same_documents_same_column_whatever_the_order(texts, rnd):
    docs = _docs(texts)
    a = flag_near_duplicates(docs).set_index("doc_id")["near_duplicate_of"]
    shuffled = docs.sample(frac=1, random_state=rnd.randint(0, 1000))
    b = flag_near_duplicates(shuffled).set_index("doc_id")["near_duplicate_of"]
    assert a.sort_index().tolist() == b.sort_index().tolist()
    # an original is never itself flagged, and nothing points at itself
    flagged = a.dropna()
    assert not set(flagged.values) & set(flagged.index) and all(k != v for k, v in flagged.items())
    # identical non-empty bodies are always one story
    for i, t in enumerate(texts):
        for j in range(i):
            if shingles(t) and texts[j] == t:
                assert (a[f"d{i}"] or f"d{i}") == (a[f"d{j}"] or f"d{j}")


@pytest.mark.parametrize("kwargs", [{"threshold": 0}, {"threshold": 1.5}, {"num_perm": 4}, {"shingle": 0}])
def test_bad_parameters_are_an_error(kwargs):
    with pytest.raises(ValueError):
        NearDuplicates(**kwargs).fit([("a", "x y z", None)])


def test_kept_by_default_and_dropped_with_one_parameter(tmp_path):
    first, second, _ = PAIRS[1]
    rows = [{"id": "tn", "summary": first, "link": "https://thanhnien.vn/x-185260330144700000.htm",
             "source": "Thanh Niên", "published": "2026-03-30T14:47:00+07:00"},
            {"id": "tt", "summary": second, "link": "https://tuoitre.vn/x-20260330200233000.htm",
             "source": "Tuổi Trẻ", "published": "2026-03-30T20:02:33+07:00"}]
    path = tmp_path / "rss.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    kept = ingest(path, cache=False, n_jobs=1)
    flags = kept.documents.set_index("doc_id")["near_duplicate_of"]
    assert pd.isna(flags["tn"]) and flags["tt"] == "tn"
    assert len(kept.rejected) == 0
    dropped = ingest(path, cache=False, n_jobs=1, drop_near_duplicates=True)
    assert dropped.documents["doc_id"].tolist() == ["tn"]
    assert dropped.rejected[["reason", "detail"]].values.tolist() == [["near_duplicate", "doc tt: near-duplicate of tn"]]


@pytest.mark.slow
@pytest.mark.shared
def test_real_rss_year_reposts(shared_dir):
    docs = ingest(shared_dir / "corpora" / "rss_political_vi" / "rss_political_keyword_subset.jsonl").documents
    flagged = docs["near_duplicate_of"].dropna()
    assert 0 < len(flagged) < 0.05 * len(docs)
    assert flagged.isin(docs["doc_id"]).all() and docs.loc[docs["doc_id"].isin(flagged), "near_duplicate_of"].isna().all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_is_flagged_or_not_without_error(texts):
    out = flag_near_duplicates(_docs(texts))
    assert len(out) == len(texts) and set(out["near_duplicate_of"].dropna()) <= set(out["doc_id"])
