"""Unicode normalization: NFC, tone placement, invisible characters, full-width digits."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from corpuslib.text.normalize import normalize_text, normalize_tone_marks


@pytest.mark.parametrize(
    "old, new",
    [
        ("hoá", "hóa"),
        ("thuỷ", "thủy"),
        ("Uỷ ban", "Ủy ban"),
        ("khoẻ", "khỏe"),
        ("công nghiệp hoá, hiện đại hoá", "công nghiệp hóa, hiện đại hóa"),  # seed 004 wording
        ("Thuỷ", "Thủy"),
        ("tuỳ", "tùy"),
        ("loè", "lòe"),
    ],
)
def test_tone_styles_map_both_ways(old, new):
    assert normalize_tone_marks(old, "new") == new
    assert normalize_tone_marks(new, "old") == old
    assert normalize_tone_marks(new, "new") == new


@pytest.mark.parametrize(
    "word",
    ["quý", "quỹ", "hoàn", "toàn", "khuya", "ngoài", "thuở", "quyết", "Nghị quyết", "tuyên"],
)
def test_closed_syllables_and_qu_are_left_alone(word):
    assert normalize_tone_marks(word, "new") == word
    assert normalize_tone_marks(word, "old") == word


def test_tone_style_none_only_composes():
    decomposed = unicodedata.normalize("NFD", "Uỷ ban")
    assert normalize_tone_marks(decomposed, None) == "Uỷ ban"


def test_unknown_tone_style_is_an_error():
    with pytest.raises(ValueError, match="tone style"):
        normalize_tone_marks("hoá", "modern")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Tỉnh\u00a0ủy", "Tỉnh ủy"),  # no-break space
        ("cán\u200b bộ", "cán bộ"),  # zero-width space
        ("\ufeff乂安", "乂安"),  # stray BOM
        ("１２月１２日上午", "12月12日上午"),  # full-width digits in Chinese
        ("第３９－ＮＱ／ＴＷ号决议", "第39-NQ/TW号决议"),
        ("line one\r\nline two\r", "line one\nline two\n"),
        ("a\tb  c", "a b c"),
        ("so\u00adft", "soft"),
        ("“quoted”", "“quoted”"),  # curly quotes stay curly
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_decomposed_vietnamese_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Nghị quyết Trung ương")
    assert normalize_text(nfd) == "Nghị quyết Trung ương"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="hoauyeáàảãạóòỏõọúùủũụýỳỷỹỵéèẻẽẹqtk ", max_size=30), st.sampled_from(["new", "old"]))
def test_tone_placement_is_idempotent_and_keeps_letters(text, style):
    once = normalize_tone_marks(text, style)
    assert normalize_tone_marks(once, style) == once
    strip = lambda s: "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    assert strip(once) == strip(text)


def test_html_fragment_becomes_text():
    from corpuslib.text.normalize import html_to_text, looks_like_html

    raw = ('<TABLE border=0><TR><TD><IMG src="x.jpg"></TD></TR><TR><TD class=commentimg>Nông Đức Mạnh</TD></TR></TABLE>'
           '<P>&nbsp;<P>Sáng nay, Tổng Bí thư&nbsp;dự hội nghị.<script>var a = 1;</script><P>Đoạn hai.')
    assert looks_like_html(raw)
    lines = [ln.strip() for ln in normalize_text(html_to_text(raw)).split("\n") if ln.strip()]
    assert lines == ["Nông Đức Mạnh", "Sáng nay, Tổng Bí thư dự hội nghị.", "Đoạn hai."]
    assert not looks_like_html("Một đoạn văn có dấu < và > nhưng không phải HTML.")


# --- tone placement changes nothing but the mark's place (issue 14.1) ---------------------------

import re  # noqa: E402

_TONE_MARKS = set("\u0300\u0301\u0303\u0309\u0323")
# The oracle, written apart from the code: an initial consonant (not q) and an open o+a, o+e, u+y.
_OPEN_PAIR = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|[bcdđghklmnprstvx])?(?:o[ae]|uy)")
_WORDS = re.compile(r"[^\W\d_]+")


def tone_move_only(before: str, after: str) -> bool:
    """True when ``after`` is ``before`` or differs only by where its one tone mark sits in an open oa/oe/uy."""
    if before == after:
        return True
    a, b = unicodedata.normalize("NFD", before), unicodedata.normalize("NFD", after)
    base_a, base_b = ("".join(c for c in s if c not in _TONE_MARKS) for s in (a, b))
    tones_a, tones_b = ([c for c in s if c in _TONE_MARKS] for s in (a, b))
    return base_a == base_b and tones_a == tones_b and len(tones_a) == 1 and bool(_OPEN_PAIR.fullmatch(base_a.lower()))


def assert_only_tone_moves(text: str, out: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert len(out) == len(nfc)  # NFC letters for letters: nothing added or lost
    before, after = _WORDS.findall(nfc), _WORDS.findall(out)
    assert len(before) == len(after)
    bad = [(x, y) for x, y in zip(before, after) if not tone_move_only(x, y)]
    assert not bad, bad[:5]
    # and the non-letters between the words are untouched
    assert _WORDS.sub("", nfc) == _WORDS.sub("", out)


@pytest.mark.parametrize(
    "text",
    [
        # real sentences of the corpora that old-style spellings in the same text used to corrupt
        "Xe cộ phải xếp hàng dài hoặc bị ùn tắc; Uỷ ban nhân dân thành phố đã chỉ đạo",  # crawl
        "tạo bước ngoặt trong công tác cán bộ, hoà nhập với khu vực",  # VNTC
        "Chloé Zhao, đạo diễn người Mỹ gốc Hoa, được trao giải; thuỷ thủ đoàn",
        "nhiềuý kiến (văn bản dính chữ) và sức khoẻ",
        "Quý I, quỹ đầu tư, Nghị quyết, khuya, ngoài, thuở, hoàn toàn, hoạch định, toạ đàm",
    ],
)
@pytest.mark.parametrize("style", ["new", "old"])
def test_a_text_changes_only_by_tone_moves(text, style):
    out = normalize_tone_marks(text, style)
    assert_only_tone_moves(text, out)
    for word in ("hoặc", "ngoặt", "Chloé", "nhiềuý", "Quý", "quỹ", "khuya", "hoàn", "hoạch"):
        assert out.count(word) == text.count(word)


@pytest.mark.parametrize(
    "text, new, old",
    [
        ("Uỷ ban và hoặc", "Ủy ban và hoặc", "Uỷ ban và hoặc"),
        ("hoà bình hoặc thuỷ lợi", "hòa bình hoặc thủy lợi", "hoà bình hoặc thuỷ lợi"),
        ("HOÀ BÌNH, ĐOÀN KẾT", "HÒA BÌNH, ĐOÀN KẾT", "HOÀ BÌNH, ĐOÀN KẾT"),
        ("Hoà-Bình", "Hòa-Bình", "Hoà-Bình"),
    ],
)
def test_each_word_is_decided_alone(text, new, old):
    assert normalize_tone_marks(text, "new") == new
    assert normalize_tone_marks(text, "old") == old
    assert normalize_tone_marks(text, "none") == text


def test_tone_style_none_is_the_string_none_too():
    text = unicodedata.normalize("NFD", "hoá và hóa, thuỷ và thủy")
    assert normalize_tone_marks(text, "none") == normalize_tone_marks(text, None) == unicodedata.normalize("NFC", text)
    assert normalize_text(text, tone_style="none") == unicodedata.normalize("NFC", text)


_VI_LETTERS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯYbcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVXéèáàảóòỏúùủýỳỷ"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_VI_LETTERS + "\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b .,-–0123456789", max_size=40),
       st.sampled_from(["new", "old"]))
def test_any_text_changes_only_by_tone_moves(text, style):
    out = normalize_tone_marks(text, style)
    assert_only_tone_moves(text, out)
    assert normalize_tone_marks(out, style) == out


@pytest.mark.slow
@pytest.mark.parametrize("corpus", [
    "crawl_news_vi/rss_feed_articles_backup.csv",
    "crawl_news_vi/24h_html_categories_vi.csv",
    "vntc/vntc_chinhtrixahoi_party_keyword_subset.jsonl",
    "vntc/vntc_10topics_test_sample1500.jsonl",
    "rss_political_vi/rss_political_keyword_subset.jsonl",
])
def test_every_word_of_the_real_corpora_changes_only_by_a_tone_move(shared_dir, corpus):
    from corpuslib.documents import readers

    path = shared_dir / "corpora" / corpus
    n_words = n_moved = 0
    for rec in readers.read_records(path.parent, path):
        if not isinstance(rec, readers.RawRecord):
            continue
        text = unicodedata.normalize("NFC", (rec.title or "") + "\n" + rec.text)
        for style in ("new", "old"):
            out = normalize_tone_marks(text, style)
            assert_only_tone_moves(text, out)
            n_moved += out != text
        n_words += len(_WORDS.findall(text))
    assert n_words > 10_000 and n_moved > 0  # the corpus was read, and the rule did something


# --- HTML character references decoded once (issue 14.2) ---------------------------------------

from corpuslib.text.normalize import decode_entities  # noqa: E402


@pytest.mark.parametrize("raw, expected", [
    ("C&agrave; Mau: Điều tra vụ chủ t&agrave;u c&aacute;", "Cà Mau: Điều tra vụ chủ tàu cá"),        # crawl title
    ("&gt;&gt; Báo chí quốc tế nói về Đại hội X", ">> Báo chí quốc tế nói về Đại hội X"),            # VNTC
    ("Ninh Thuận 1&amp;2", "Ninh Thuận 1&2"),                                                       # RSS
    ("&amp;lt;", "&lt;"),                                                                           # once, not twice
    ("&amp;amp;", "&amp;"),
    ("Bộ NN&PTNT; Nguyễn Hải Thanh", "Bộ NN&PTNT; Nguyễn Hải Thanh"),                               # 24h: no such name
    ("R&D, AT&T, Q&A, &notes, &copy 2006", "R&D, AT&T, Q&A, &notes, &copy 2006"),                   # no semicolon
    ("&#039;Chuyến t&agrave;u&#039;", "'Chuyến tàu'"),
])
def test_references_are_decoded_once(raw, expected):
    assert decode_entities(raw) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_decoding_undoes_one_escaping(text):
    import html

    assert decode_entities(html.escape(text)) == text
    assert decode_entities(html.escape(html.escape(text))) == html.escape(text)
