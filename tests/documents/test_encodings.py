"""Tests for corpuslib.documents.encodings: encoding detection, legacy Vietnamese codecs, binary and
empty input, mojibake repair. Bytes are written by the tests from real seed snippets."""
from __future__ import annotations

import bz2
import gzip
import io
import json
import pickle
import random
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import seed_text
from corpuslib.documents import encodings as enc
from corpuslib.documents.encodings import DecodeError, decode_bytes, repair_mojibake

# Real snippets, quoted from the seeds (test_snippets_are_real checks it).
SNIPPETS = {
    "vi": [
        ("004", "Tỉnh ủy Lạng Sơn tổng kết Nghị quyết Trung ương 3 khóa VIII về chiến lược cán bộ"),
        ("003", "Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt công tác xây dựng vị trí việc làm"),
        ("004", "Thứ ba, 23/04/2019"),
        ("003", "Đồng chí Phạm Minh Chính - Trưởng ban Tổ chức Trung ương phát biểu. Ảnh: Vietnamnet"),
    ],
    "zh": [
        ("000", "建设与政治系统组织机构相适应的干部队伍"),
        ("002", "乂安省委常务委员会向省机关集团公务员和公职人员强调了三组任务和解决方案。"),
        ("000", "会议现场。图片:Thanh Le"),
        ("000", "人事工作是“关键中的关键”"),
    ],
    "ru": [
        ("001", "Генеральный секретарь То Лам присутствовал на конференции и выступил с речью."),
        ("001", "16 декабря в Ханое Центральный организационный комитет провел национальную конференцию"),
        ("001", "Товарищ Тринь Тхи Минь Тхань, постоянный заместитель секретаря провинциального комитета партии"),
    ],
}
# Codecs each language is written in; what decode_bytes must report for them.
CODECS = {
    "vi": ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16-le+bom", "utf-16-be+bom",
           "cp1258", "viscii", "tcvn3"],
    "zh": ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16-le+bom", "utf-16-be+bom",
           "gb18030", "gbk"],
    "ru": ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16-le+bom", "utf-16-be+bom",
           "cp1251", "koi8-r"],
}
REPORTED = {"gbk": "gb18030", "utf-16-le+bom": "utf-16-le", "utf-16-be+bom": "utf-16-be"}
SEED_LANG = {"000": "zh", "001": "ru", "002": "zh", "003": "vi", "004": "vi"}
TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str, errors: str = "strict") -> bytes:
    """Encode like Windows does for Vietnamese: precomposed where cp1258 has the letter,
    else base letter + combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
            out.append(base + "".join(c for c in d if c in TONES))
    return "".join(out).encode("cp1258", errors)


def encode(text: str, codec: str, errors: str = "strict") -> bytes:
    if codec == "cp1258":
        return to_cp1258(text, errors)
    if codec.endswith("+bom"):
        plain = codec[:-4]
        bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[plain]
        return bom + text.encode(plain, errors)
    return text.encode(codec, errors)


def _snippet_cases():
    for lang, items in SNIPPETS.items():
        for seed, text in items:
            for codec in CODECS[lang]:
                yield pytest.param(text, codec, id=f"{lang}-{seed}-{codec}-{text[:12]}")


def test_snippets_are_real():
    for items in SNIPPETS.values():
        for seed, text in items:
            assert text in unicodedata.normalize("NFC", seed_text(seed)).replace("\xa0", " ")


@pytest.mark.parametrize(("text", "codec"), list(_snippet_cases()))
def test_snippet_round_trip_through_a_file(tmp_path, text, codec):
    path = tmp_path / "article.txt"
    path.write_bytes(encode(text, codec))
    got, reported = decode_bytes(path.read_bytes())
    assert got == text
    assert reported == REPORTED.get(codec, codec)


@pytest.mark.parametrize("seed", sorted(SEED_LANG))
def test_whole_seed_round_trip(tmp_path, seed):
    text = seed_text(seed)
    for codec in CODECS[SEED_LANG[seed]]:
        # Characters a legacy code page lacks (№ in KOI8-R, 乂 in GBK...) become '?'.
        data = encode(text, codec, errors="replace")
        (tmp_path / f"{seed}.{codec}.txt").write_bytes(data)
        got, reported = decode_bytes((tmp_path / f"{seed}.{codec}.txt").read_bytes())
        assert reported == REPORTED.get(codec, codec), codec
        assert got == reference_decode(data, reported), codec


@pytest.mark.parametrize("codec", ["cp1258", "tcvn3"])
def test_decomposed_legacy_vietnamese_comes_back_nfc(codec):
    text = SNIPPETS["vi"][0][1]
    data = encode(text, codec)
    assert data != text.encode("utf-8")
    if codec == "cp1258":  # "Nghị": no precomposed ị in cp1258, so i + U+0323
        assert b"Nghi\xf2" in data
    got, _ = decode_bytes(data)
    assert unicodedata.is_normalized("NFC", got)
    assert got == text


def test_utf8_is_returned_as_stored():
    nfd = unicodedata.normalize("NFD", SNIPPETS["vi"][0][1])
    got, reported = decode_bytes(nfd.encode("utf-8"))
    assert (got, reported) == (nfd, "utf-8")


def test_utf8_with_a_few_stray_bytes_stays_utf8():
    # A scrape that glued one cp1252 quote (0x93) into an otherwise UTF-8 page.
    text = seed_text("004")
    data = text.encode("utf-8").replace("LSO-".encode(), b"\x93LSO-", 1)
    got, reported = decode_bytes(data)
    assert reported == "utf-8"
    assert got == text.replace("LSO-", "\ufffdLSO-", 1)


def _gbk_words_that_are_valid_utf8(limit: int = 8) -> list[str]:
    words = []
    for line in seed_text("002").splitlines():
        for i in range(0, len(line) - 3, 3):
            word = line[i:i + 3]
            if "\u4e00" <= word[0] <= "\u9fff" and word.isalpha():
                try:
                    word.encode("gb18030").decode("utf-8")
                except UnicodeDecodeError:
                    continue
                words.append(word)
    return words[:limit]


@pytest.mark.parametrize("word", ["省委", *_gbk_words_that_are_valid_utf8()])
def test_short_gbk_that_happens_to_be_valid_utf8(word):
    data = word.encode("gb18030")
    data.decode("utf-8")  # the trap: "省委" in GBK reads "ʡί" as UTF-8
    assert decode_bytes(data) == (word, "gb18030")


@pytest.mark.parametrize(("text", "codec", "reported"), [
    ("Le Comité central a publié la résolution – crème brûlée à la française", "cp1252", "cp1252"),
    ("São Paulo, Brasil – notícias", "cp1252", "cp1252"),
    ("PHÙNG KHIÊM", "cp1258", "cp1258"),  # same bytes in cp1252, but Vietnamese words
])
def test_western_text_and_its_name(text, codec, reported):
    assert decode_bytes(encode(text, codec)) == (text, reported)


@pytest.mark.parametrize("text", ["mask", "Baonghean.vn", "18-NQ/TW\n"])
def test_ascii_is_reported_as_utf8(text):
    assert decode_bytes(text.encode("ascii")) == (text, "utf-8")


# Short lines of seed 001: cp1251 and KOI8-R must not be confused (case-swapped garbage).
RU_LINES = [line for line in seed_text("001").splitlines() if len(line.split()) >= 3][:25]


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("line", RU_LINES, ids=lambda s: s[:20])
def test_russian_lines_keep_their_codec(line, codec):
    data = line.encode(codec, errors="replace")
    assert decode_bytes(data) == (data.decode(codec), codec)


@pytest.mark.parametrize(("text", "codec", "wrong"), [
    ("Генеральный секретарь", "cp1251", "koi8-r"),
    ("Центральный организационный комитет", "koi8-r", "cp1251"),
    ("Nghị quyết Trung ương", "tcvn3", "viscii"),
    ("Nghị quyết Trung ương", "viscii", "tcvn3"),
    ("Nghị quyết Trung ương", "cp1258", "cp1252"),
    ("建设与政治系统", "gb18030", "cp1251"),
])
def test_short_titles_beat_the_wrong_codec(text, codec, wrong):
    data = encode(text, codec)
    misread = unicodedata.normalize("NFC", data.decode(wrong, errors="replace"))
    assert misread != text  # the wrong codec does decode it, to garbage
    assert enc.plausibility_cost(misread) > enc.plausibility_cost(text)
    assert decode_bytes(data) == (text, codec)


@pytest.mark.shared
@pytest.mark.parametrize("codec", ["cp1258", "viscii", "tcvn3", "utf-16-le", "utf-16-be"])
def test_vietnamese_headlines_from_rss(shared_dir, codec):
    path = shared_dir / "corpora" / "rss_political_vi" / "rss_political_keyword_subset.jsonl"
    with open(path, encoding="utf-8") as fh:
        titles = [json.loads(line)["title"] for line in fh]
    titles = [unicodedata.normalize("NFC", t) for t in random.Random(7).sample(titles, 150)]
    wrong = []
    for title in titles:
        try:
            data = encode(title, codec)
        except UnicodeEncodeError:
            continue  # a character the code page lacks (curly quotes in VISCII)
        got, reported = decode_bytes(data)
        if unicodedata.normalize("NFC", got) != title or reported != codec:
            wrong.append((title, reported))
    assert wrong == []


@pytest.mark.shared
def test_vntc_articles_in_legacy_and_bomless_utf16(shared_dir):
    path = shared_dir / "corpora" / "vntc" / "vntc_chinhtrixahoi_party_keyword_subset.jsonl"
    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(40), fh)]
    for text in texts:
        for codec in ("utf-16-le", "cp1258", "tcvn3", "viscii"):
            data = encode(text, codec, errors="replace")
            got, reported = decode_bytes(data)
            assert reported == codec
            assert got == reference_decode(data, codec)


# --------------------------------------------------------------------------------------
# Binary, empty, undecodable
# --------------------------------------------------------------------------------------
def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", seed_text("004"))
    return buf.getvalue()


BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(40)),
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(200, 256)),
    "gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "docx-zip": _zip_bytes(),
    "gzip": gzip.compress(seed_text("003").encode("utf-8")),
    "bzip2": bz2.compress(seed_text("001").encode("utf-8")),
    "elf": b"\x7fELF\x02\x01\x01\x00" + bytes(56),
    "nul-in-text": seed_text("004").encode("utf-8")[:300] + b"\x00\x00\x01" + b"tail",
    "random": random.Random(1).randbytes(4096),
    "controls": bytes(random.Random(2).choices(b"\x01\x02\x03\x10\x11abc", k=600)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_is_rejected(tmp_path, name):
    (tmp_path / f"{name}.txt").write_bytes(BINARY[name])
    with pytest.raises(DecodeError) as err:
        decode_bytes((tmp_path / f"{name}.txt").read_bytes())
    assert err.value.reason == "binary"
    assert err.value.detail


@pytest.mark.parametrize("data", [
    b"", b" ", b"\n\r\n\t  \n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"\xef\xbb\xbf \n", "  \n".encode("utf-16-le"), b"\xff\xfe" + " \u3000\n".encode("utf-16-le"),
], ids=repr)
def test_empty_is_rejected(data):
    with pytest.raises(DecodeError) as err:
        decode_bytes(data)
    assert err.value.reason == "empty"


@pytest.mark.parametrize("data", [
    bytes(random.Random(3).choices(range(0x80, 0x100), k=600)),
    b"\xff\xfe" + b"\x00\xd8\x41\x00" * 20,  # UTF-16-LE BOM, then lone surrogates
], ids=["high-bytes", "utf16-lone-surrogates"])
def test_undecodable_is_rejected(data):
    with pytest.raises(DecodeError) as err:
        decode_bytes(data)
    assert err.value.reason == "undecodable"


def test_decode_error_survives_pickling():
    err = DecodeError("binary", "PNG image")
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, ValueError)
    assert (back.reason, back.detail, str(back)) == ("binary", "PNG image", "binary: PNG image")


# --------------------------------------------------------------------------------------
# Properties over arbitrary bytes
# --------------------------------------------------------------------------------------
KNOWN = {"utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp1258",
         "viscii", "tcvn3", "cp1252", "gb18030", "cp1251", "koi8-r"}


def reference_decode(data: bytes, codec: str) -> str:
    """What decoding `data` with the reported codec gives (the contract of decode_bytes)."""
    if codec == "utf-8":
        return data.decode("utf-8", errors="replace")
    if codec.startswith(("utf-16", "utf-32")):
        unit = 4 if "32" in codec else 2
        bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff",
               "utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}[codec]
        if data.startswith(bom):
            data = data[len(bom):]
        return data[: len(data) - len(data) % unit].decode(codec)
    if codec == "utf-8-sig":
        return data.decode("utf-8-sig")
    return unicodedata.normalize("NFC", data.decode(codec))


def _mutated_snippet(draw_args):
    text, codec, cut, junk = draw_args
    data = encode(text, codec, errors="replace")
    return data[:cut] + junk + data[cut:]


ALL_SNIPPETS = [t for items in SNIPPETS.values() for _, t in items]
BYTES = st.one_of(
    st.binary(max_size=400),
    st.tuples(st.sampled_from(ALL_SNIPPETS), st.sampled_from(sorted(set(sum(CODECS.values(), [])))),
              st.integers(0, 200), st.binary(max_size=6)).map(_mutated_snippet),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BYTES)
def test_arbitrary_bytes_decode_or_raise_decode_error(data):
    try:
        text, codec = decode_bytes(data)
    except DecodeError as err:
        assert err.reason in {"empty", "binary", "undecodable"}
        return
    assert codec in KNOWN
    assert text.strip()
    assert text == reference_decode(data, codec)


# --------------------------------------------------------------------------------------
# Legacy codec tables
# --------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not installed")
@pytest.mark.parametrize("codec", ["viscii", "tcvn3"])
def test_shipped_table_matches_iconv(codec):
    table = enc._decoding_table(codec)
    assert [ord(c) for c in table] == enc._iconv_table(codec)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not installed")
@pytest.mark.parametrize(("codec", "iconv_name"), [("viscii", "VISCII"), ("tcvn3", "TCVN5712-1")])
def test_registered_codec_encodes_like_iconv(codec, iconv_name):
    for _, text in SNIPPETS["vi"]:
        ref = subprocess.run(["iconv", "-f", "UTF-8", "-t", iconv_name], input=text.encode(),
                             capture_output=True, check=True).stdout
        assert text.encode(codec) == ref
        assert unicodedata.normalize("NFC", ref.decode(codec)) == text


@pytest.mark.parametrize("alias", ["tcvn3", "TCVN", "tcvn5712-1", "TCVN5712_1", "VISCII", "viscii"])
def test_codec_aliases(alias):
    import codecs

    assert codecs.lookup(alias).name in {"tcvn3", "viscii"}


def test_import_is_cheap():
    code = ("import sys, corpuslib.documents.encodings as e; "
            "print(any(m in sys.modules for m in ('ftfy', 'jieba', 'pandas')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_utf8_path_is_fast():
    article = seed_text("003").encode("utf-8")[:2048]
    article = article.decode("utf-8", errors="ignore").encode("utf-8")
    decode_bytes(article)
    times = []
    for _ in range(50):
        start = time.perf_counter()
        for _ in range(20):
            decode_bytes(article)
        times.append((time.perf_counter() - start) / 20)
    assert statistics.median(times) < 1e-3  # measured ~10 µs


# --------------------------------------------------------------------------------------
# Mojibake
# --------------------------------------------------------------------------------------
SEED_LINES = sorted({line for seed in SEED_LANG for line in seed_text(seed).splitlines()
                     if line.strip() and not line.isascii()})


def _sloppy(codec: str):
    def garble(text: str) -> str:
        data = text.encode("utf-8")
        if codec == "sloppy-cp1258":  # UTF-8 shown as cp1258, undefined bytes as C1
            return "".join(enc._SLOPPY_1258[b] for b in data)
        return data.decode(codec)
    return garble


GARBLERS = {
    "latin-1": _sloppy("latin-1"),
    "sloppy-windows-1252": _sloppy("sloppy-windows-1252"),
    "sloppy-windows-1251": _sloppy("sloppy-windows-1251"),
    "sloppy-cp1258": _sloppy("sloppy-cp1258"),
    "twice-1252": lambda t: _sloppy("sloppy-windows-1252")(_sloppy("sloppy-windows-1252")(t)),
}


@pytest.fixture(scope="module", autouse=True)
def _ftfy_codecs():
    import ftfy  # noqa: F401  (registers sloppy-windows-125x)


@pytest.mark.parametrize("garbler", sorted(GARBLERS))
def test_mojibake_of_every_seed_line_is_repaired(garbler):
    failures = []
    for line in SEED_LINES:
        garbled = GARBLERS[garbler](line)
        assert garbled != line
        if repair_mojibake(garbled) != (line, True):
            failures.append((line, garbled))
    assert failures == []


@pytest.mark.parametrize(("garbled", "clean", "garbler"), [
    ("Nghá»‹ quyáº¿t", "Nghị quyết", "sloppy-windows-1252"),
    ("Tá»‰nh á»§y Láº¡ng SÆ¡n", "Tỉnh ủy Lạng Sơn", "sloppy-windows-1252"),
    ("Ð“ÐµÐ½ÐµÑ€Ð°Ð»ÑŒÐ½Ñ‹Ð¹ Ñ\x81ÐµÐºÑ€ÐµÑ‚Ð°Ñ€ÑŒ", "Генеральный секретарь", "sloppy-windows-1252"),
    ("Р“РµРЅРµСЂР°Р»СЊРЅС‹Р№ СЃРµРєСЂРµС‚Р°СЂСЊ", "Генеральный секретарь", "sloppy-windows-1251"),
    ("å»ºè®¾ä¸Žæ”¿æ²»ç³»ç»Ÿ", "建设与政治系统", "sloppy-windows-1252"),
    ("NghĂ¡ Ä‘á»“ng chĂ\xad", "Nghá đồng chí", "sloppy-cp1258"),  # Ă where cp1252 has Ã
    ("йќ’д№ђ - еЌЃдєЊжњ€ 12, 2023", "青乐 - 十二月 12, 2023", "sloppy-windows-1251"),
])
def test_known_mojibake(garbled, clean, garbler):
    assert GARBLERS[garbler](clean) == garbled  # the example is what that misreading gives
    assert repair_mojibake(garbled) == (clean, True)


@pytest.mark.parametrize("garbler", ["sloppy-windows-1252", "sloppy-cp1258", "latin-1"])
def test_only_the_garbled_part_changes_and_quotes_stay_curly(garbler):
    # One quotation pasted in from a page read with the wrong code page.
    clean_head = "Chủ tịch Hồ Chí Minh đã khẳng định: "
    quote = "“Cán bộ là cái gốc của mọi công việc”"
    text = clean_head + GARBLERS[garbler](quote) + " – Baonghean.vn"
    fixed, changed = repair_mojibake(text)
    assert changed
    assert fixed == clean_head + quote + " – Baonghean.vn"


@pytest.mark.parametrize("text", [
    *SEED_LINES,
    "“Cán bộ là cái gốc của mọi công việc” – Chủ tịch Hồ Chí Minh",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "hoá, thuỷ, Uỷ ban – hóa, thủy, Ủy ban",
    "Tom &amp; Jerry\r\n‘single’ “double” «ёлки» 「引号」 ＡＢＣ１２３",
    unicodedata.normalize("NFD", "Nghị quyết Trung ương"),
], ids=lambda s: s[:24])
def test_clean_text_is_left_alone(text):
    got, changed = repair_mojibake(text)
    assert got is text
    assert not changed


@pytest.mark.shared
def test_clean_corpus_is_left_alone(shared_dir):
    path = shared_dir / "corpora" / "vntc" / "vntc_10topics_test_sample1500.jsonl"
    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    assert [t[:60] for t in texts if repair_mojibake(t)[1]] == []


CLEAN_CHARS = sorted({c for line in SEED_LINES for c in line} | set("“”‘’–—…«»"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(alphabet=CLEAN_CHARS, max_size=120),
    st.tuples(st.sampled_from(SEED_LINES), st.integers(0, 200), st.integers(0, 200))
      .map(lambda t: t[0][min(t[1], t[2]):max(t[1], t[2])]),
))
def test_repair_is_identity_on_clean_text(text):
    assert repair_mojibake(text) == (text, False)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SEED_LINES), st.sampled_from(sorted(GARBLERS)))
def test_repair_recovers_garbled_seed_lines(line, garbler):
    assert repair_mojibake(GARBLERS[garbler](line)) == (line, True)
