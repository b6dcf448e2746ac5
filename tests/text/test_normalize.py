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
