"""Document codes: canonical and written forms, what is not a code, and the same codes in tokens and references."""
from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslib.text import codes as C
from corpuslib.text.codes import find_codes, normalize_code

from tests.conftest import SEEDS, SHARED


@pytest.mark.parametrize("raw, code", [
    ("18-NQ/TW", "18-NQ/TW"),
    ("Nghị quyết số 39 - NQ/TW của Bộ Chính trị", "39-NQ/TW"),          # seed 003
    ("第920-TB/TU号通知", "920-TB/TU"),                                   # seed 002
    ("Kết luận số 121-KL/TW, ngày 24/01/2025", "121-KL/TW"),
    ("Постановления № 18-NQ/TW Центрального Исполнительного Комитета", "18-NQ/TW"),  # seed 001
    ("第39-NQ/TW号决议", "39-NQ/TW"),                                     # seed 000
    ("18-NQ/\u0422W", "18-NQ/TW"),            # Cyrillic Т (looks like T)
    ("Постановления № 18-\u041dQ/TW Центрального", "18-NQ/TW"),  # Cyrillic Н typed for N (sounds like N)
    ("Постановления № 71-NQ/\u0422\u0423 провинции", "71-NQ/TU"),  # Cyrillic ТУ read as TU
    ("Nghị quyết số 18-NQ/TƯ", "18-NQ/TW"),
    ("Nghị quyết số 67-NG/TU của Ban Chấp hành Đảng bộ tỉnh", "67-NQ/TU"),  # seed 004, typo
    ("Nghị quyết 4-NQ/TW", "04-NQ/TW"),
    ("Nghị quyết 68/NQ-TW", "68-NQ/TW"),       # vntc: Party code typed the state way
    ("Nghị quyết 18-NQ-TW", "18-NQ/TW"),       # a dash for the slash
    ("Chỉ thị 11- CT/TU", "11-CT/TU"),          # vntc
    ("số 205 - QĐ/TW", "205-QĐ/TW"),            # crawl_news
    ("18-QD/TW", "18-QĐ/TW"),
    ("ban hành nghị quyết 18-nq/tw về tinh gọn bộ máy", "18-NQ/TW"),  # lower-case typing
    ("Nghị quyết 18–NQ/TW", "18-NQ/TW"),       # en dash
    ("quyết định số 79-QĐNS/TW", "79-QĐNS/TW"),
    ("Quy định 12-QĐi/TW", "12-QĐi/TW"),
    ("Nghị định 168/2024/NĐ-CP", "168/2024/NĐ-CP"),
    ("Quyết định 439/QĐ-TTg", "439/QĐ-TTg"),
    ("Luật số 37/2014/QH13", "37/2014/QH13"),  # a law's number (tokens kept it as one token)
    ("Công văn 1289/VPCP-NC", "1289/VPCP-NC"),  # official letter: issuer and unit, no type
    ("１８－ＮＱ／ＴＷ", "18-NQ/TW"),
    ("第２６－ＮＱ／ＴＷ号决议", "26-NQ/TW"),
    ("1847/QĐ-TTg, ٢٠-NQ/TW", "1847/QĐ-TTg"),
])
def test_normalize_code(raw, code):
    assert normalize_code(raw) == code


@pytest.mark.parametrize("raw", [
    "2020-2025", "85.600", "0912-345-678", "hợp đồng 68", "30/10/2013", "quý III/2018", "COVID-19",
    "NQ/TW", "", "tỷ lệ 5,61%", "关于2020-2025年任期", "Thứ ba, 23/04/2019", "a 24-hour/day service",
    "в 2-3 раза/год", "Федеральный закон № 131-ФЗ/РФ", "решение № 18-\u041d\u041a/\u0422\u0423", "5 Ha/Noi",
    "18-nq/TY",  # lower case only where type and issuer are both known
])
def test_not_codes(raw):
    assert normalize_code(raw) is None


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_normalize_code_idempotent(raw):
    code = normalize_code(raw)
    if code is not None:
        assert normalize_code(code) == code


def test_written_form_beside_the_canonical_one():
    text = "tiếp tục thực hiện tốt Nghị quyết số 67-NG/TU của Ban Chấp hành Đảng bộ tỉnh"  # seed 004
    (code,) = find_codes(text)
    assert (code.as_written, code.code, code.doc_type, code.number, code.issuer_code) == \
        ("67-NG/TU", "67-NQ/TU", "NQ", 67, "TU")
    assert text[code.start:code.end] == code.as_written
    assert code.notes == ("type 'NG' corrected to 'NQ' (typo)",)


@pytest.mark.parametrize("text, note", [
    ("18-NQ/\u0422W", "look-alike characters normalized: U+0422 Т"),
    ("18-NQ/TƯ", "'TƯ' read as 'TW'"),
    ("18-QD/TW", "type 'QD' read as 'QĐ'"),
    ("68/NQ-TW", "Party code typed with state-style separators"),
    ("Nghị quyết số 12-NX/TW", "type 'NX' corrected to 'NQ' (typo)"),  # one letter from the document word
    ("1289/VPCP-NC", "no document type in the code (official-letter style)"),
])
def test_every_change_is_noted(text, note):
    (code,) = find_codes(text)
    assert note in code.notes


def test_plain_codes_have_no_notes():
    assert [c.notes for c in find_codes("Nghị quyết số 39 - NQ/TW và Thông báo 920-TB/TU, 168/2024/NĐ-CP")] == [(), (), ()]


# The hint-driven scan must find what trying both patterns at every position finds.
_CODE_ALPHABET = "0123456789١٢ -–—/.NQTWUĐCPQHnqtwАНВ\u00a0,xLuậtsố"


def _full_scan(text: str) -> list[tuple[int, int, str]]:
    shadow = text.translate(C.WIDTH_FOLD)
    out, i = [], 0
    while i < len(shadow):
        for rx, read in ((C._STATE_RE, C._state), (C._PARTY_RE, C._party)):
            m = rx.match(shadow, i)
            code = read(m, text, text[m.start():m.end()]) if m else None
            if code is not None:
                out.append((m.start(), m.end(), code.code))
                i = m.end()
                break
        else:
            i += 1
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(_CODE_ALPHABET), max_size=60))
def test_hint_scan_finds_what_a_full_scan_finds(text):
    assert [(c.start, c.end, c.code) for c in find_codes(text)] == _full_scan(text)


# ---------------------------------------------------------------------------------------------
# One parser, two stages: tokens keep as one token exactly the codes references resolve
# ---------------------------------------------------------------------------------------------
def _texts_with_codes():
    out = [(p.name[:3], unicodedata.normalize("NFC", p.read_text(encoding="utf-8"))) for p in sorted(SEEDS.glob("*.txt"))]
    party = SHARED / "corpora" / "vntc" / "vntc_chinhtrixahoi_party_keyword_subset.jsonl"
    if party.is_file():
        rows = [json.loads(line)["text"] for line in party.open(encoding="utf-8")]
        out += [(f"vntc{i}", unicodedata.normalize("NFC", t)) for i, t in enumerate(rows) if find_codes(t)][:12]
    out += [("forms", "Nghị quyết 4-NQ/TW, 68/NQ-TW, 18-QD/TW, 18-nq/tw, 67-NG/TU, 1847/QĐ-TTg, 37/2014/QH13, "
                      "Công văn 1289/VPCP-NC")]
    return [pytest.param(text, id=name) for name, text in out]


@pytest.mark.parametrize("text", _texts_with_codes())
def test_tokens_and_references_read_the_same_codes(text):
    from corpuslib.analysis.references import extract_references
    from corpuslib.text.tokens import tokenize_text

    expected = [c.code for c in find_codes(text)]
    token_codes = [t for t in tokenize_text(text, "vi") if t in set(expected)]
    refs = extract_references(text, lang="vi", resolve=False)
    ref_codes = refs.loc[refs["kind"] == "code", "doc_code"].tolist()
    assert token_codes == expected
    assert ref_codes == expected
    written = refs.loc[refs["kind"] == "code", "code_as_written"].tolist()
    assert written == [c.as_written for c in find_codes(text)]


def test_the_seed_typo_is_one_code_everywhere():
    from corpuslib.analysis.references import extract_references
    from corpuslib.text.tokens import tokenize_text

    text = "tiếp tục thực hiện tốt Nghị quyết số 67-NG/TU của Ban Chấp hành Đảng bộ tỉnh"
    assert "67-NQ/TU" in tokenize_text(text, "vi") and "67-NG/TU" not in tokenize_text(text, "vi")
    row = extract_references(text, lang="vi", resolve=False).iloc[0]
    assert (row["doc_code"], row["code_as_written"]) == ("67-NQ/TU", "67-NG/TU")
