"""Hostile input: random bytes, huge lines, repeated text, control characters, mixed scripts, a 50 MB file;
and property tests (hypothesis) of the readers, URL and date parsing, ``normalize_text`` and ``extract_dates``.

Nothing may crash or hang, and every input must come out as a document or a rejection with a reason.
The property tests run :data:`EXAMPLES` examples each (``CORPUSLIB_FUZZ_EXAMPLES``, default 300; the
readers' tests, which ingest whole files, a fifth of that); ``benchmarks/fuzz.py`` runs them with 10,000.
"""
import contextlib
import csv
import datetime
import io
import json
import os
import random
import signal
import time
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from corpuslib.documents.table import ingest
from corpuslib.run.runner import run_notebooks


@contextlib.contextmanager
def deadline(seconds):
    """Fail instead of hanging: SIGALRM interrupts the call after ``seconds``."""
    def alarm(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def accounted(docs, rejected, path):
    """Documents and rejections that come from ``path`` (a file, or rows ``path#n`` of a table)."""
    def mine(s):
        return s.map(lambda v: v == str(path) or v.startswith(f"{path}#"))

    return int(mine(docs["source_path"]).sum()), int(mine(rejected["source_path"]).sum())


def assert_accounted(docs, rejected, path, *, table):
    n_docs, n_rej = accounted(docs, rejected, path)
    if table:
        assert n_docs + n_rej >= 1, f"{path.name}: neither a document nor a rejection"
    else:
        assert n_docs + n_rej == 1, f"{path.name}: {n_docs} documents and {n_rej} rejections"
    assert rejected["reason"].map(bool).all() and rejected["detail"].map(bool).all()
    for text in docs["text"]:
        # What survives is text: no C0/C1 control characters other than line breaks and tabs.
        bad = {c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"}
        assert not bad, f"control characters left in a body: {sorted(map(ord, bad))[:10]}"


SEED_LINE = "Tỉnh ủy Lạng Sơn tổng kết Nghị quyết Trung ương 3 khóa VIII về chiến lược cán bộ thời kỳ đẩy mạnh công nghiệp hóa."
ZH_LINE = "乂安省委常务委员会向省机关集团公务员和公职人员强调了三组任务和解决方案。"
RU_LINE = "Партия будет решительно продвигать оптимизацию аппарата политической системы."


def _hostile(rng):
    """name -> bytes of each hostile input (small enough for a quick test; the 50 MB one is below)."""
    body = "\n".join([SEED_LINE, ZH_LINE, RU_LINE] * 3)
    return {
        "random.bin": rng.randbytes(200_000),
        "random_high.txt": bytes(rng.randrange(0x80, 0x100) for _ in range(20_000)),
        "random_printable.txt": bytes(rng.randrange(0x20, 0x7F) for _ in range(20_000)),
        "huge_line.txt": ("Đảng ta " * 300_000).encode(),                      # 2.4 MB, no line break
        "repeated_lines.txt": ((SEED_LINE + "\n") * 20_000).encode(),            # 2.6 MB of one sentence
        "many_short_lines.txt": b"a\n" * 200_000,
        "control_chars.txt": ("".join(map(chr, range(1, 32))) * 50 + body + "\x7f\x85\x9b" * 100).encode(),
        "control_lines.txt": (body + "\n" + "\x0b\x0c\x1b[31m\x07" * 20 + "\n" + body).encode(),
        "mixed_scripts.txt": ((SEED_LINE + ZH_LINE + RU_LINE + " عربى हिन्दी ไทย 🇻🇳 ") * 200).encode(),
        "bidi_zero_width.txt": (("\u202e\u200b\u200d\ufeff\u2066" + SEED_LINE + "\u00ad") * 50).encode(),
        "combining_pileup.txt": ("a" + "\u0301" * 50_000 + "\n" + body).encode(),
        "lone_surrogates.txt": b"\xed\xa0\x80abc" * 500 + body.encode(),
        "utf16_no_bom.txt": body.encode("utf-16-le"),
        "lone_cr.txt": body.replace("\n", "\r").encode(),
        "only_whitespace.txt": " \n\t\u3000\u00a0".encode() * 1000,
        "empty.txt": b"",
        "nested.jsonl": ('{"text": ' + "[" * 50_000 + "]" * 50_000 + "}\n" + "[" * 50_000 + "\n").encode(),
        "mixed_rows.jsonl": "\n".join([json.dumps({"text": body}), "not json", "[1, 2]", '{"text": null}', "{}"]).encode(),
        "huge_field.csv": ('id,text\n1,"' + "Đảng " * 500_000 + '"\n2,"unterminated\n').encode(),
        "header_only.csv": b"id,text\n",
        "bad_quotes.csv": b'id,text\n1,a"b"c\n"2","x" y\n',
        "nul_in_csv.csv": b"id,text\n1,abc\x00def\n",
        "wide.tsv": ("\t".join(f"c{i}" for i in range(3000)) + "\n" + "\t".join("x" * 5 for _ in range(3000))).encode(),
    }


HOSTILE = sorted(_hostile(random.Random(0)))


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in _hostile(random.Random(0)).items():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("name", HOSTILE)
def test_each_hostile_input_is_a_document_or_a_rejection(hostile_dir, name):
    path = hostile_dir / name
    t0 = time.perf_counter()
    with deadline(30):
        docs, rejected = ingest(path)
    assert time.perf_counter() - t0 < 30
    assert_accounted(docs, rejected, path, table=path.suffix in (".csv", ".tsv", ".jsonl"))


SUFFIXES = st.sampled_from([".txt", ".jsonl", ".csv", ".tsv", ".html", ""])
#: Examples per property test (cheap functions); whole-file ingest tests run a fifth of it.
EXAMPLES = int(os.environ.get("CORPUSLIB_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=max(20, EXAMPLES // 5), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.binary(max_size=4000), suffix=SUFFIXES)
def test_random_bytes_never_crash_ingest(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    with deadline(20):
        docs, rejected = ingest(path)
    assert_accounted(docs, rejected, path, table=suffix in (".csv", ".tsv", ".jsonl"))


TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),                      # anything, controls and private use included
        st.sampled_from(list(SEED_LINE + ZH_LINE + RU_LINE + "\n\r\t<>&\"'#,{}[]")),
    ),
    max_size=3000,
)


@FUZZ
@given(text=TEXT, suffix=SUFFIXES, repeat=st.sampled_from([1, 1, 50]))
def test_random_text_never_crashes_ingest(tmp_path, text, suffix, repeat):
    path = tmp_path / f"fuzz{suffix}"
    path.write_text(text * repeat, encoding="utf-8", errors="surrogatepass")
    with deadline(20):
        docs, rejected = ingest(path)
    assert_accounted(docs, rejected, path, table=suffix in (".csv", ".tsv", ".jsonl"))


@pytest.mark.slow
def test_the_run_survives_hostile_inputs_and_a_50_mb_file(tmp_path, hostile_dir, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in HOSTILE:
        (corpus / name).write_bytes((hostile_dir / name).read_bytes())
    seeds = sorted(seeds_dir.glob("*.txt"))
    with open(corpus / "dump_50mb.txt", "w", encoding="utf-8") as fh:  # a crawl dump of 50 MB passed as one "article"
        rng = random.Random(1)
        written = 0
        texts = [p.read_text(encoding="utf-8") for p in seeds]
        while written < 50 * 1024 * 1024:
            chunk = rng.choice(texts) + f"\n\n({written})\n"
            written += fh.write(chunk) and len(chunk.encode())
    assert (corpus / "dump_50mb.txt").stat().st_size >= 50 * 1024 * 1024
    t0 = time.perf_counter()
    with deadline(180):
        out = run_notebooks(corpus=str(corpus), out_dir=tmp_path / "out", only=["01"], progress=False)
    elapsed = time.perf_counter() - t0
    docs = pd.read_csv(out / "tables" / "documents.csv", usecols=["doc_id", "source_path"], keep_default_na=False)
    rejected = pd.read_csv(out / "tables" / "rejected.csv", keep_default_na=False)
    docs["text"] = ""
    for path in sorted(corpus.iterdir()):
        assert_accounted(docs, rejected, path, table=path.suffix in (".csv", ".tsv", ".jsonl"))
    assert docs["doc_id"].is_unique
    assert "dump_50mb" in set(docs["doc_id"])
    assert (out / "report.html").exists() and (out / "manifest.json").exists()
    assert elapsed < 180


# --- property tests of the text steps the readers lean on ---------------------------------------

from corpuslib.documents.readers import RawRecord, read_records  # noqa: E402
from corpuslib.documents.table import build_document  # noqa: E402
from corpuslib.text.dates import extract_dates, parse_date_value  # noqa: E402
from corpuslib.text.normalize import normalize_text  # noqa: E402

#: Characters normalization treats specially: every Unicode space, zero-width and control
#: character, combining marks, full-width forms, Vietnamese tone letters, and ordinary text.
ODD = st.one_of(
    st.characters(categories=("Zs", "Zl", "Zp", "Cc", "Cf", "Mn")),
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
    st.sampled_from(list("oaeuyOAEUY\u0300\u0301\u0303\u0309\u0323hóathủyỦyhoặcngoặtChloéquý \n\r\t")),
    st.characters(codec="utf-8"),
)


@PROPERTY
@given(text=st.text(alphabet=ODD, max_size=60), style=st.sampled_from(["new", "old", None]))
def test_normalize_text_is_idempotent(text, style):
    once = normalize_text(text, tone_style=style)
    assert normalize_text(once, tone_style=style) == once
    assert unicodedata.is_normalized("NFC", once)


DATE_BITS = st.sampled_from([
    "ngày", "tháng", "năm", "Hôm qua", "hôm nay", "sáng", "chiều", "tuần trước", "ngày trước", "năm ngoái",
    "trước", "tới", "quý", "I", "IV", "/", "-", ".", ",", " ", "日", "年", "月", "昨天", "前", "мая", "года",
    "назад", "вчера", "2 дня", "GMT+7", "+07:00", "Z", "T", ":", "từ", "đến", "đầu", "cuối",
])
DATE_TEXT = st.lists(st.one_of(DATE_BITS, st.integers(-5, 10**5).map(str)), max_size=25).map(" ".join)
ANCHORS = st.one_of(st.none(), st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))


@PROPERTY
@given(text=DATE_TEXT, anchor=ANCHORS, lang=st.sampled_from(["vi", "zh", "ru", "en"]))
def test_extract_dates_never_raises_whatever_the_anchor(text, anchor, lang):
    found = extract_dates(text, anchor=anchor, lang=lang)
    for row in found.itertuples():
        assert 0 <= row.start < row.end <= len(text)
        if row.date_start is not None and row.date_end is not None:
            assert row.date_start <= row.date_end


TIMESTAMPS = st.builds(
    lambda y, mo, d, h, mi, sep, tz: f"{y:04d}-{mo:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:00{tz}",
    st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.integers(0, 61),
    st.sampled_from(["T", " ", "t"]),
    st.one_of(st.sampled_from(["", "Z", "z", "+07:00", "-00:00", "+57:00", "-99:99", "+7", "+0700", "GMT+7"]),
              st.text(max_size=6)),
)
URLS = st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(["http://", "https://", "//", "", "ftp://"]),
                 st.text(alphabet=st.sampled_from(list("[]:@/?#%.-_~!$&'()*+,;=") + list("vnexpress09ĐđAZ")),
                         max_size=40))


@PROPERTY
@given(published=st.one_of(TIMESTAMPS, st.text(max_size=30)), url=st.one_of(st.none(), URLS))
def test_a_row_with_any_date_and_url_is_a_document_or_a_bad_row(published, url):
    """The table path: the reader rejects an unreadable URL as a bad row; whatever else reaches
    build_document gives a document or a rejection, never an exception."""
    parse_date_value(published)  # never raises
    line = json.dumps({"id": "x", "text": SEED_LINE * 2, "published": published, "url": url}, ensure_ascii=False)
    from pathlib import Path

    items = list(read_records(Path("."), Path("t.jsonl"), data=line.encode("utf-8")))
    assert len(items) == 1
    item = items[0]
    if isinstance(item, dict):
        assert item["reason"] == "bad_row" and "URL" in item["detail"]
        return
    row = build_document(item)
    assert "doc_id" in row or row["reason"] in ("empty", "too_short")


CELL = st.text(alphabet=st.one_of(st.sampled_from(list(',"\n\r\t ;')), st.characters(codec="utf-8",
                                                                                        exclude_characters="\x00")),
               max_size=30)


@PROPERTY
@given(rows=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=12), broken=st.integers(0, 11),
       how=st.sampled_from(["none", "quote", "garbage"]))
def test_every_table_row_is_one_record_or_one_rejection(rows, broken, how):
    """Rows in = records + rejections, for a CSV written by ``csv.writer`` and for a JSONL file, also
    with one line broken (a stray quote, a garbage line)."""
    from pathlib import Path

    records = []
    for i, (_, text) in enumerate(rows):
        buf = io.StringIO(newline="")
        csv.writer(buf).writerow((f"r{i}", SEED_LINE + text))  # "\r\n" lines: a cell with "\r" or "\n" is quoted
        records.append(buf.getvalue())
    lines = [json.dumps({"id": f"r{i}", "text": SEED_LINE + t}, ensure_ascii=False) for i, (_, t) in enumerate(rows)]
    broken = broken if how != "none" and broken < len(rows) else None
    if broken is not None:
        lines[broken] = '{"id": "broken", "text": "' if how == "quote" else "not json at all"
        records[broken] = f'broken,"{SEED_LINE}\r\n' if how == "quote" else f'broken,x,"y"z\r\n'
    for suffix, data in ((".csv", "id,text\r\n" + "".join(records)), (".jsonl", "\n".join(lines) + "\n")):
        items = list(read_records(Path("."), Path(f"t{suffix}"), data=data.encode("utf-8")))
        assert all(isinstance(it, RawRecord) or it["reason"] in ("bad_row", "empty") for it in items)
        if suffix == ".jsonl" or broken is None:
            assert len(items) == len(rows), (suffix, items[:3])
        else:  # a broken CSV line may swallow what follows; what came before it is intact
            assert [it.doc_id for it in items[:broken]] == [f"r{i}" for i in range(broken)]
            assert isinstance(items[broken], dict) and items[broken]["reason"] == "bad_row"
