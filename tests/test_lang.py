"""Language identification on bodies, with real snippets from the seeds and corpora."""
import pytest
from hypothesis import given, settings, strategies as st

from corpuslib.lang import detect_language, script_profile


@pytest.mark.parametrize(
    "text, lang",
    [
        ("研究建设与创新相关的各级干部队伍和精简政治系统机构以使其精简、有效和高效的解决方案是义安省委组织的科学研讨会的内容。", "zh"),
        ("16 декабря в Ханое Центральный организационный комитет провел национальную конференцию для обзора работы.", "ru"),
        ("Đây là đánh giá của đồng chí Phạm Minh Chính - Ủy viên Bộ Chính trị, Bí thư Trung ương Đảng.", "vi"),
        ("The Central Organisation Commission reviewed Party building work in 2024 and set tasks for 2025.", "en"),
        ("Le Comité central a examiné le travail d'organisation du Parti et fixé les tâches pour l'année prochaine.", "fr"),
    ],
)
def test_languages_of_real_snippets(text, lang):
    got, score = detect_language(text)
    assert got == lang and score >= 0.7


@pytest.mark.parametrize("text", ["", "mask", "12/12/2023 12:44", "!!! ??? ...", "bna_.jpg"])
def test_too_little_text_is_und(text):
    assert detect_language(text) == ("und", 0.0)


def test_chinese_body_with_latin_credits_is_still_chinese():
    body = "会议现场。图片:Thanh Le\n主持研讨会的同志们。摄影:Thanh Le\n省政治学校校长王光明同志作大会报告。"
    assert detect_language(body)[0] == "zh"


def test_script_profile_shares():
    prof = script_profile("乂安 Nghệ An Нгеан")
    assert prof["han"] == pytest.approx(2 / 13) and prof["cyrillic"] == pytest.approx(5 / 13)
    assert prof["latin"] == pytest.approx(6 / 13)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_detect_never_raises_and_scores_are_probabilities(text):
    lang, score = detect_language(text)
    assert isinstance(lang, str) and 0.0 <= score <= 1.0
