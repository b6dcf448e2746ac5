"""Language identification on bodies, with real snippets from the seeds and corpora."""
import pytest
from hypothesis import given, settings, strategies as st

from corpuslib.text.language import detect_language, script_profile


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


@pytest.mark.parametrize(
    "text, lang",
    [
        # Ukrainian and Bulgarian are Cyrillic but not Russian: the Russian shortcut must not take them
        ("Центральний організаційний комітет провів національну конференцію щодо роботи з кадрами у 2024 році.", "uk"),
        ("Централният организационен комитет проведе национална конференция за работата с кадрите през годината.", "bg"),
        # Romanian and French use ă/â/ê/ô: the Vietnamese shortcut must not take them
        ("Comitetul central a examinat activitatea de organizare a partidului și a stabilit sarcinile pentru anul următor.", "ro"),
        ("Le Comité central a examiné la tâche du Parti et fixé la fenêtre des réformes pour l'année prochaine côté État.", "fr"),
    ],
)
def test_neighbouring_orthographies_fall_through_to_ngrams(text, lang):
    assert detect_language(text)[0] == lang


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Ban Thường vụ Tỉnh ủy Nghệ An đã ban hành Thông báo số 920-TB/TU về kết luận của đồng chí Bí thư.", "vi"),
        ("Делегация Куангниня приняла участие в конференции, посвящённой этой работе.", "ru"),
    ],
)
def test_orthography_shortcut_agrees_with_ngrams(text, lang):
    from corpuslib.text.language import _identifier

    assert detect_language(text)[0] == lang == _identifier().classify(text)[0]


def test_script_profile_shares():
    prof = script_profile("乂安 Nghệ An Нгеан")
    assert prof["han"] == pytest.approx(2 / 13) and prof["cyrillic"] == pytest.approx(5 / 13)
    assert prof["latin"] == pytest.approx(6 / 13)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_detect_never_raises_and_scores_are_probabilities(text):
    lang, score = detect_language(text)
    assert isinstance(lang, str) and 0.0 <= score <= 1.0


def test_unsure_sample_is_retried_on_more_text():
    # a sports schedule from the crawl corpus: names first, Vietnamese further down
    head = "Thời gian Trận đấu Trực tiếp Tennis ATP 250 - Open Sud de France - đơn nam - vòng 1 " + (
        "Miomir Kecmanovic Pablo Carreno Busta On Sports 20:00 Titouan Droguet Jan Choinski On Sports " * 12)
    tail = "Đây là lịch thi đấu của các giải quần vợt trong tuần, được cập nhật liên tục trên trang. " * 20
    from corpuslib.text.language import SAMPLE_CHARS

    assert len(head) > SAMPLE_CHARS
    assert detect_language(head + tail)[0] == "vi"


@pytest.mark.parametrize("tag, base", [("zh-Hans", "zh"), ("ZH", "zh"), ("vi_VN", "vi"), (" ru ", "ru"), ("en", "en"),
                                       ("", "und"), (None, "und"), (float("nan"), "und"), ("und", "und")])
def test_base_language(tag, base):
    from corpuslib.text.language import base_language

    assert base_language(tag) == base
