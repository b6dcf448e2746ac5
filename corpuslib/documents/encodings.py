"""Byte decoding: detect the encoding of a scraped file, decode it, and repair mojibake.

`decode_bytes` is what the loader calls for every input file. UTF-8 (the common case) is
accepted as soon as it decodes; everything else is decoded with each candidate codec and
the most plausible text wins (see `plausibility_cost`), because single-byte codecs such as
cp1258, cp1251 or koi8-r decode almost any byte string without error.

Encoding names are Python codec names: ``utf-8``, ``utf-8-sig``, ``utf-16-le``,
``utf-16-be``, ``utf-32-le``, ``utf-32-be``, ``cp1258``, ``viscii``, ``tcvn3``, ``cp1252``,
``gb18030``, ``cp1251``, ``koi8-r``. Pure ASCII is reported as ``utf-8`` (ASCII is a subset,
and re-encoding the text as UTF-8 gives the same bytes).

Python ships no codec for the legacy Vietnamese encodings VISCII and TCVN3 (TCVN 5712:1993);
their byte tables were taken once from glibc ``iconv`` and are shipped in
``corpuslib/data/vietnamese_legacy_codecs.csv``. Importing this module registers them as the
codecs ``viscii`` and ``tcvn3`` (aliases ``tcvn``, ``tcvn5712``, ``tcvn5712-1``), so
``"...".encode("tcvn3")`` works too.

Text decoded from UTF-8/16/32 is returned exactly as stored (normalization is the
normalizer's job); text decoded from the legacy codecs is returned in NFC, since cp1258 and
TCVN3 commonly store a base letter followed by a combining tone mark.
"""
from __future__ import annotations

import codecs
import csv
import functools
import math
import re
import subprocess
import unicodedata
from collections import Counter

__all__ = [
    "DecodeError",
    "decode_bytes",
    "repair_mojibake",
    "plausibility_cost",
    "LEGACY_CANDIDATES",
]

_TABLE_FILE = "documents/vietnamese_legacy_codecs.csv"
#: Legacy codecs tried, in order, when the bytes are neither UTF-8 nor UTF-16/32.
LEGACY_CANDIDATES = ("cp1258", "viscii", "tcvn3", "cp1252", "gb18030", "cp1251", "koi8-r")
#: Small per-codec prior added to the mean cost; it only decides near-ties (identical or
#: equally plausible decodings). Text that reads the same in cp1252 and cp1258 is named
#: cp1252, unless all its letters are Vietnamese ("PHÙNG KHIÊM").
_PRIOR = {
    "utf-8": 0.0, "cp1252": 0.0, "cp1258": 0.005, "viscii": 0.02, "tcvn3": 0.02,
    "gb18030": 0.0, "cp1251": 0.0, "koi8-r": 0.01,
    "utf-16-le": 0.03, "utf-16-be": 0.04, "utf-32-le": 0.05, "utf-32-be": 0.05,
}
#: Mean cost per non-space character above which no decoding is believed.
_MAX_COST = 1.5
#: Characters of each candidate decoding that are scored (the head of the text suffices);
#: all candidates are first scored on a shorter head, and those within a margin of the best
#: on the full sample.
_SAMPLE_CHARS = 6000
_QUICK_CHARS = 800
_QUICK_MARGIN = 0.6
#: Valid UTF-8 loses to another decoding only when that one is cheaper by this much.
_UTF8_MARGIN = 0.1
#: Undoing mojibake over a whole text must at least halve its mean cost, and by this much.
_UNDO_RATIO = 0.5
_UNDO_MARGIN = 0.1
#: Share of C0 control bytes above which bytes are called binary.
_MAX_CONTROL_SHARE = 0.05


class DecodeError(ValueError):
    """Bytes that are not text.

    Parameters
    ----------
    reason : {"empty", "binary", "undecodable"}
        Machine-readable reason (a rejection reason of the loader).
    detail : str
        Human-readable detail, e.g. ``"PNG image"``.
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    def __reduce__(self):  # keep reason/detail when pickled across processes
        return (type(self), (self.reason, self.detail))


# --------------------------------------------------------------------------------------
# Legacy Vietnamese codecs (VISCII, TCVN3) from the shipped table
# --------------------------------------------------------------------------------------
_ICONV_NAMES = {"viscii": "VISCII", "tcvn3": "TCVN5712-1"}
_ALIASES = {
    "viscii": "viscii", "viscii1.1": "viscii", "csviscii": "viscii",
    "tcvn3": "tcvn3", "tcvn": "tcvn3", "tcvn5712": "tcvn3", "tcvn5712_1": "tcvn3",
    "tcvn5712_1:1993": "tcvn3", "tcvn_5712": "tcvn3",
}
# Tone marks (grave, acute, tilde, hook above, dot below); TCVN3 has them as separate bytes.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


@functools.lru_cache(maxsize=None)
def _decoding_table(codec: str) -> str:
    """Return the 256-character decoding table of a shipped legacy codec."""
    from ..core.paths import package_data

    table = [chr(b) for b in range(256)]  # unlisted bytes decode to themselves (ASCII/C0)
    with open(package_data(_TABLE_FILE), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            if row["codec"] == codec:
                table[int(row["byte"], 16)] = chr(int(row["unicode"], 16))
    return "".join(table)


@functools.lru_cache(maxsize=None)
def _encoding_map(codec: str) -> dict[str, int]:
    return {ch: b for b, ch in enumerate(_decoding_table(codec))}


def _legacy_encode(codec: str, text: str, errors: str = "strict") -> tuple[bytes, int]:
    emap = _encoding_map(codec)
    out = bytearray()
    for i, ch in enumerate(text):
        b = emap.get(ch)
        if b is not None:
            out.append(b)
            continue
        # TCVN3 spells most capitals with tones as base letter + tone-mark byte.
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        tones = [c for c in decomposed if c in _TONE_MARKS]
        if len(base) == 1 and base in emap and all(t in emap for t in tones):
            out.append(emap[base])
            out.extend(emap[t] for t in tones)
            continue
        if errors == "strict":
            raise UnicodeEncodeError(codec, text, i, i + 1, "character not in the code page")
        if errors == "replace":
            out.append(ord("?"))
        elif errors != "ignore":
            raise ValueError(f"unsupported error handler {errors!r}")
    return bytes(out), len(text)


def _legacy_decode(codec: str, data, errors: str = "strict") -> tuple[str, int]:
    return codecs.charmap_decode(bytes(data), errors, _decoding_table(codec))


def _search_codec(name: str):
    codec = _ALIASES.get(name.lower().replace("-", "_").replace(" ", "_"))
    if codec is None:
        return None
    encode = functools.partial(_legacy_encode, codec)
    decode = functools.partial(_legacy_decode, codec)

    class _Inc(codecs.IncrementalEncoder):
        def encode(self, text, final=False):
            return encode(text, self.errors)[0]

    class _Dec(codecs.IncrementalDecoder):  # single-byte: every byte stands alone
        def decode(self, data, final=False):
            return decode(data, self.errors)[0]

    return codecs.CodecInfo(
        name=codec, encode=encode, decode=decode,
        incrementalencoder=_Inc, incrementaldecoder=_Dec,
    )


codecs.register(_search_codec)


def _iconv_table(codec: str) -> list[int | None]:
    """Ask glibc ``iconv`` for the code point of every byte of `codec` (None if undefined).

    Used once to build the shipped table (see `_write_legacy_tables`) and by the tests to
    check it; never at run time.
    """
    points: list[int | None] = []
    for b in range(256):
        res = subprocess.run(
            ["iconv", "-f", _ICONV_NAMES[codec], "-t", "UTF-32BE"],
            input=bytes([b]), capture_output=True, check=False,
        )
        out = res.stdout
        points.append(int.from_bytes(out, "big") if res.returncode == 0 and len(out) == 4 else None)
    return points


def _write_legacy_tables(path=None) -> None:
    """Rebuild ``corpuslib/data/vietnamese_legacy_codecs.csv`` from glibc ``iconv``."""
    from ..core.paths import package_data

    version = subprocess.run(["iconv", "--version"], capture_output=True, text=True).stdout
    version = version.splitlines()[0].strip() if version else "iconv"
    rows = []
    for codec, iconv_name in _ICONV_NAMES.items():
        for b, cp in enumerate(_iconv_table(codec)):
            if cp is None:
                raise RuntimeError(f"iconv {iconv_name}: byte {b:#04x} undefined")
            if cp != b:  # only bytes that do not decode to themselves
                rows.append((codec, f"{b:02X}", f"{cp:04X}", unicodedata.name(chr(cp), ""),
                             f"{version}: iconv -f {iconv_name} -t UTF-32BE"))
    with open(path or package_data(_TABLE_FILE), "w", encoding="utf-8", newline="") as fh:
        fh.write("# Decoding tables of the legacy Vietnamese codecs VISCII and TCVN3 (TCVN 5712:1993,\n"
                 "# VN1 level; VN3 text uses a subset of the same bytes). Bytes not listed decode to the\n"
                 "# same code point. Built by corpuslib.documents.encodings._write_legacy_tables().\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["codec", "byte", "unicode", "name", "source"])
        writer.writerows(rows)


# --------------------------------------------------------------------------------------
# Plausibility of a decoded text
# --------------------------------------------------------------------------------------
def _vietnamese_letters() -> dict[str, str]:
    """Map every non-ASCII Vietnamese letter (both cases) to its lowercase toneless form."""
    letters = {}
    for base in "aăâeêioôơuưy":
        for tone in ("", *_TONE_MARKS):
            for b in (base, base.upper()):
                ch = unicodedata.normalize("NFC", b + tone)
                if len(ch) == 1 and ord(ch) > 127:
                    letters[ch] = base
    letters["đ"] = letters["Đ"] = "đ"
    return letters


_VI_LETTERS = _vietnamese_letters()
_VI_TONED = frozenset(
    ch for ch in _VI_LETTERS if any(t in unicodedata.normalize("NFD", ch) for t in _TONE_MARKS)
)
# Written Vietnamese syllable: onset + vowel nucleus (with glide and final semivowel) + coda,
# checked on the lowercased, toneless spelling.
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y oo "
    "ai ay ây ao au âu eo êu iu oi ôi ơi ui ưi ưu "
    "ia iê ya yê ua uô ưa ươ iêu yêu uôi ươi ươu "
    "oa oă oe uâ uê uy uơ oai oay oao oeo uây uya uyê uyu"
).split()
_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + r")"
    r"(?:ch|nh|ng|[cmnpt])?|đ"
)
# Russian letter frequencies (share of letters; Wikipedia "Частотность букв русского
# языка", after the Russian National Corpus): a wrong single-byte Cyrillic codec permutes
# letters, so the frequencies give it away.
_RU_FREQ = dict(zip(
    "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
    (10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98, 2.81,
     2.62, 2.01, 1.90, 1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48,
     0.36, 0.32, 0.26, 0.04, 0.04),
))
_PLAUSIBLE_SYMBOLS = frozenset("°©®€£$№₫§%«»•…‰†‡™")
_IN_WORD_OK = frozenset("’‘ʼ‑‐")
# Latin-1 signs that single-byte misreadings glue to letters ("m·", "Ng¸y", "tÞch").
_GLUED_SIGNS = frozenset("¡¢¤¥¦§¨ª¬¯±²³´µ¶·¸¹º¼½¾¿×÷")
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_SPACED_HANZI_RE = re.compile(r"(?<=[\u4e00-\u9fff])[,.;:!?]? (?=[\u4e00-\u9fff])")
_RARE_ASCII = dict.fromkeys("\\^`{|}~", 1.0) | dict.fromkeys("<>=[]_#@*", 0.3)
_SYLLABLE_FILE = "documents/vietnamese_syllables.csv"
_HANZI_FILE = "documents/hanzi_frequency.csv"
_N_HANZI = 3000
_MIN_SYLLABLE_COUNT = 3


@functools.lru_cache(maxsize=1)
def _common_syllables() -> dict[str, float]:
    """Return the shipped common Vietnamese words spelled with non-ASCII letters, each with
    a cost from 0 (very frequent) to 0.3 (rare), so that frequency breaks near-ties."""
    from ..core.paths import package_data

    with open(package_data(_SYLLABLE_FILE), encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        counts = {row["syllable"]: max(1, int(row["count"])) for row in rows}
    return {s: 0.3 * min(1.0, max(0.0, 1 - math.log10(k) / 4)) for s, k in counts.items()}


@functools.lru_cache(maxsize=1)
def _hanzi_ranks() -> dict[str, int]:
    """Return the frequency rank (0 = most frequent) of the shipped common hanzi."""
    from ..core.paths import package_data

    with open(package_data(_HANZI_FILE), encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {row["hanzi"]: i for i, row in enumerate(rows)}


def _write_hanzi_table(path=None, n: int = _N_HANZI) -> None:
    """Rebuild ``corpuslib/data/hanzi_frequency.csv`` from jieba's dictionary (dict.txt)."""
    import importlib.util
    import os

    from ..core.paths import package_data

    dict_txt = os.path.join(os.path.dirname(importlib.util.find_spec("jieba").origin), "dict.txt")
    counts: Counter = Counter()
    with open(dict_txt, encoding="utf-8") as fh:
        for line in fh:
            word, freq = line.split(" ")[:2]
            for ch in word:
                if "\u4e00" <= ch <= "\u9fff":
                    counts[ch] += int(freq)
    with open(path or package_data(_HANZI_FILE), "w", encoding="utf-8", newline="") as fh:
        fh.write(f"# The {n} most frequent hanzi, most frequent first: summed word frequencies of\n"
                 "# jieba 0.42.1 dict.txt (https://github.com/fxsjy/jieba, MIT), by character.\n"
                 "# Built by corpuslib.documents.encodings._write_hanzi_table().\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["hanzi", "count"])
        writer.writerows(counts.most_common(n))


def _tone_variants(syllable: str) -> set[str]:
    """Return the other tone placement of a syllable ending in oa/oe/uy (hoá/hóa, thuỷ/thủy)."""
    d = unicodedata.normalize("NFD", syllable)
    tones = [c for c in d if c in _TONE_MARKS]
    bare = "".join(c for c in d if c not in _TONE_MARKS)
    if len(tones) != 1 or bare[-2:] not in ("oa", "oe", "uy") or bare[-3:] == "quy":
        return set()
    out = {unicodedata.normalize("NFC", bare[:j] + tones[0] + bare[j:]) for j in (-1, len(bare))}
    out.discard(syllable)
    return out


def _write_syllable_table(jsonl_path, path=None, min_count: int = _MIN_SYLLABLE_COUNT) -> None:
    """Rebuild ``corpuslib/data/vietnamese_syllables.csv`` from a VNTC JSON-lines sample."""
    import json

    from ..core.paths import package_data

    counts: Counter = Counter()
    with open(jsonl_path, encoding="utf-8") as fh:
        for line in fh:
            text = unicodedata.normalize("NFC", json.loads(line)["text"]).lower()
            counts.update(r for r in _LETTER_RUN_RE.findall(text) if any(c in _VI_LETTERS for c in r))
    rows = {s: k for s, k in counts.items() if k >= min_count}
    for s in list(rows):  # both tone placements (old hoá, new hóa) are correct spellings
        for v in _tone_variants(s):
            rows.setdefault(v, 0)
    with open(path or package_data(_SYLLABLE_FILE), "w", encoding="utf-8", newline="") as fh:
        fh.write(f"# Lowercase NFC words with at least one non-ASCII Vietnamese letter seen >= {min_count}\n"
                 "# times in the VNTC test sample (1,500 docs, ../shared/corpora/vntc/\n"
                 "# vntc_10topics_test_sample1500.jsonl; VNTC: Vu Cong Duy Hoang et al., RIVF 2007,\n"
                 "# https://github.com/duyvuleo/VNTC, MIT). count 0 = the other tone placement of a\n"
                 "# listed word (hoá/hóa). Built by corpuslib.documents.encodings._write_syllable_table().\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["syllable", "count"])
        writer.writerows(sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])))


@functools.lru_cache(maxsize=16384)
def _char_cost(ch: str) -> float:
    """Cost of one character: 0 for ordinary text, up to 8 for controls and unassigned."""
    o = ord(ch)
    if o < 128:
        if ch in _RARE_ASCII:
            return _RARE_ASCII[ch]  # what UTF-16 read as single bytes is full of
        return 0.0 if (ch.isprintable() or ch in "\t\n\r\f\v") else 8.0
    if ch in _VI_LETTERS:
        return 0.2
    if ch == "\ufffd":
        return 8.0
    cat = unicodedata.category(ch)
    if 0x4E00 <= o <= 0x9FFF:
        # Frequent hanzi are nearly all of real Chinese; a wrong codec (KOI8-R read as
        # GB18030: "邢釉蚁盼衫") spreads evenly over GB2312.
        rank = _hanzi_ranks().get(ch)
        if rank is not None:
            return 0.05 if rank < 500 else 0.1 if rank < 1000 else 0.25 if rank < 2000 else 0.6
        try:  # GB2312 level 1 holds the 3755 most common hanzi, level 2 the next 3008
            lead = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            return 2.0  # rare or traditional (乂 of 乂安 is one)
        return 1.0 if lead <= 0xD7 else 1.3
    if 0x0400 <= o <= 0x04FF and cat[0] == "L":
        p = _RU_FREQ.get(ch.lower())
        if p is None:
            return 2.0
        return max(0.0, 0.2 - 0.3 * math.log(33 * p / 100)) + (0.3 if ch.isupper() else 0.0)
    if cat in ("Cc", "Cn", "Co", "Cs"):
        return 8.0
    if cat == "Cf":
        return 1.0  # zero-width space, soft hyphen, BOM: real in scraped text
    if cat == "Zs":
        return 0.1
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E:
        return 0.2  # CJK punctuation and full-width forms
    if 0x2010 <= o <= 0x205E:
        return 0.3  # dashes, quotes, ellipsis, bullets
    if 0x2200 <= o <= 0x22FF or 0x2300 <= o <= 0x23FF or 0x2500 <= o <= 0x259F:
        return 3.0  # math operators, box drawing, blocks: KOI8-R's upper half
    if ch in _PLAUSIBLE_SYMBOLS:
        return 0.5
    if cat == "Mn":
        return 4.0  # a combining mark left over after NFC sits on nothing sensible
    if cat[0] == "L":
        if 0xAC00 <= o <= 0xD7AF or 0x3400 <= o <= 0x4DBF or o >= 0x20000:
            return 4.0  # Hangul, rare CJK extensions: what wrong UTF-16 produces
        return 2.5  # letters outside vi/ru/zh, including Latin-1 accents (ÃÐÞ...)
    if cat == "Nd":
        return 2.0
    if cat[0] in "SP":
        return 1.5
    return 2.0


def _script(ch: str) -> str:
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o <= 0x1EFF:
        return "L"
    if 0x0400 <= o <= 0x04FF:
        return "C"
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or o >= 0x20000:
        return "H"
    return "O"


def _run_cost(run: str) -> float:
    """Cost of a run of letters (a word, or several glued by a wrong decoding)."""
    cost = 0.0
    if run.isascii():
        if len(run) > 30:
            cost += len(run) - 30  # no real word is this long
        if len(run) > 1 and run.islower() and not any(c in "aeiouy" for c in run):
            cost += 0.5  # lowercase words without vowels: rare outside units (km, kg)
        elif not (run.islower() or run.isupper() or run[1:].islower()):
            cost += 2.0 * sum(1 for a, b in zip(run, run[1:]) if a.islower() and b.isupper())
        return cost
    scripts = {_script(c) for c in run}
    if len(scripts - {"H"}) > 1:
        cost += 2.0 * len(run)  # Latin, Cyrillic, Greek... letters glued in one word
    elif "H" in scripts and len(scripts) > 1:
        cost += 1.0  # hanzi glued to Latin happens ("TU号") but rarely
    if scripts == {"H"}:
        return cost
    if not (run.islower() or run.isupper() or run[1:].islower()):
        # "цЕНТРАЛЬНЫЙ": cp1251 read as KOI8-R (or back) swaps the case of every letter.
        cost += 2.0 * sum(1 for a, b in zip(run, run[1:]) if a.islower() and b.isupper())
    if "H" not in scripts and len(run) > 30:
        cost += len(run) - 30
    if scripts != {"L"}:
        return cost
    n_vi = sum(1 for c in run if c in _VI_LETTERS)
    if n_vi:
        low = run.lower()
        common = _common_syllables().get(low)
        if common is not None:
            return cost + common
        # Valid but uncommon syllables are what a wrong Vietnamese codec (TCVN3 read as
        # VISCII: "chiếc" -> "chiạc") produces, so they cost too, but less.
        toneless = "".join(_VI_LETTERS.get(c, c) for c in low)
        n_tones = sum(1 for c in low if c in _VI_TONED)
        if n_tones <= 1 and _SYLLABLE_RE.fullmatch(toneless):
            cost += 1.5
        elif not any(c in "aăâeêioôơuưy" for c in toneless):
            cost += 1.0  # acronym such as HĐND
        elif run.isascii() or all(ord(c) < 256 for c in run):
            cost += 0.5  # French, Portuguese... words (été, déjà) in Latin-1 letters
        else:
            cost += 2.5 * n_vi + 1.0
    return cost


@functools.lru_cache(maxsize=65536)
def _token_cost(token: str) -> float:
    """Cost of a whitespace-delimited token beyond its characters' own costs."""
    cost = sum(_run_cost(run) for run in _LETTER_RUN_RE.findall(token))
    if token.isascii():
        return cost
    # A symbol between two letters ("Ng¸y", "cÃ¡c") is the mark of a wrong codec; a
    # Latin-1 sign glued to a letter on one side ("m·") nearly so.
    for i, ch in enumerate(token):
        o = ord(ch)
        if o < 128 or ch.isalnum() or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            continue  # CJK punctuation sits between hanzi
        before = i > 0 and token[i - 1].isalpha()
        after = i + 1 < len(token) and token[i + 1].isalpha()
        if before and after and ch not in _IN_WORD_OK:
            cost += 3.0
        elif (before or after) and ch in _GLUED_SIGNS:
            cost += 1.5
    return cost


def plausibility_cost(text: str, sample_chars: int = _SAMPLE_CHARS) -> float:
    """Return the mean implausibility of `text` per non-space character (lower is better).

    Ordinary vi/zh/ru/en text scores about 0-0.4; wrong decodings score well above 1.
    Characters cost by class (controls, unassigned, stray combining marks, rare hanzi,
    Hangul, Latin-1 letters foreign to Vietnamese, symbols); words add costs for mixed
    scripts, lowercase-to-uppercase switches inside a word (cp1251 read as KOI8-R),
    spellings that are not Vietnamese syllables, symbols between letters and overlong runs.
    Only the first few thousand characters are scored.

    Parameters
    ----------
    text : str
        Decoded text.
    sample_chars : int
        Number of leading characters scored.

    Returns
    -------
    float
        Mean cost; ``inf`` for text without non-space characters.
    """
    sample = text[:sample_chars]
    if not unicodedata.is_normalized("NFC", sample):
        sample = unicodedata.normalize("NFC", sample)  # decomposed UTF-16/UTF-8 text
    chars = Counter(sample)
    total = 0.0
    n = 0
    for ch, k in chars.items():
        if ch.isspace():
            if ch not in " \t\n\r\f\v\x85\xa0\u3000" and ord(ch) < 0x2000:
                total += 8.0 * k  # \x1c-\x1f count as spaces for str.split but are controls
            continue
        total += _char_cost(ch) * k
        n += k
    if n == 0:
        return math.inf
    for token, k in Counter(sample.split()).items():
        total += _token_cost(token) * k
    # Chinese does not put spaces between words; KOI8-R read as GB18030 does ("窍牧 闩卧").
    total += 1.5 * len(_SPACED_HANZI_RE.findall(sample))
    return total / n


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------
# (magic prefix, offset, description); checked before anything else.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "ZIP archive (docx/xlsx/epub/odt)"),
    (b"PK\x05\x06", 0, "ZIP archive (empty)"),
    (b"PK\x07\x08", 0, "ZIP archive (spanned)"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"BZh", 0, None),  # checked further below: bzip2 needs its block magic too
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "OLE2 document (doc/xls/ppt)"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"MZ", 0, None),  # checked further below: DOS/Windows executable
    (b"\xca\xfe\xba\xbe", 0, "Java class / Mach-O"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"OggS", 0, "Ogg media"),
    (b"ID3", 0, "MP3 audio"),
    (b"\x1a\x45\xdf\xa3", 0, "Matroska/WebM media"),
    (b"ftyp", 4, "MP4/QuickTime media"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"PAR1", 0, "Parquet file"),
    (b"\x00asm", 0, "WebAssembly"),
    (b"wOFF", 0, "WOFF font"),
    (b"wOF2", 0, "WOFF2 font"),
)
_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_C0_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\f\v") + b"\x7f"
_HIGH_BYTES = bytes(range(128, 256))
_NON_ASCII_TOKEN_RE = re.compile(rb"[^\s]*[\x80-\xff][^\s]*")
#: Valid UTF-8 with at most this many non-ASCII bytes is checked against the legacy codecs:
#: a few GBK or cp1252 bytes can happen to form valid UTF-8 ("省委" in GBK reads "ʡί").
_SHORT_UTF8 = 24
_NOT_C0_CONTROLS = bytes(b for b in range(256) if b not in _C0_CONTROLS)
_ASCII_SPACE = b" \t\n\r\f\v"
_CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


_MAGIC_FIRST = frozenset(m[0] for m, offset, _ in _MAGIC if offset == 0)


def _magic(data: bytes) -> str | None:
    if data[0] not in _MAGIC_FIRST and not data.startswith(b"ftyp", 4):
        return None
    for magic, offset, what in _MAGIC:
        if data.startswith(magic, offset):
            if magic == b"BZh":
                if data[3:4].isdigit() and data[4:10] == b"1AY&SY":
                    return "bzip2 archive"
            elif magic == b"MZ":
                if b"\x00" in data[2:64] and len(data) >= 64:
                    return "DOS/Windows executable"
            else:
                return what
    return None


def _control_share(data: bytes) -> float:
    return len(data.translate(None, _NOT_C0_CONTROLS)) / max(1, len(data))


def _check_text(text: str, encoding: str, controls: bool = True) -> tuple[str, str]:
    """Reject decoded text that is empty or (unless `controls` is False) mostly controls."""
    if not text or text.isspace():
        detail = f"only whitespace ({encoding})" if text else f"no text ({encoding})"
        raise DecodeError("empty", detail)
    if not controls:
        return text, encoding
    sample = text[:_SAMPLE_CHARS]
    n_ctrl = len(_CONTROL_CHARS_RE.findall(sample))
    if n_ctrl > max(2, _MAX_CONTROL_SHARE * len(sample)):
        raise DecodeError("binary", f"{n_ctrl} control characters in {len(sample)} ({encoding})")
    return text, encoding


def _decode_unicode(data: bytes, codec: str) -> str | None:
    """Decode UTF-16/32 strictly, forgiving one truncated trailing code unit."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        unit = 4 if "32" in codec else 2
        if exc.start >= len(data) - unit and len(data) > unit:
            try:
                return data[: len(data) - len(data) % unit].decode(codec)
            except UnicodeDecodeError:
                return None
        return None


def _candidates(data: bytes, codecs_: tuple[str, ...]) -> list[tuple[float, str, str]]:
    """Decode `data` with each codec that accepts it; return (cost, codec, text), best first.

    All decodings are scored on a short head first; only those close to the best are
    scored again on the full sample.
    """
    decoded: dict[str, str] = {}
    for codec in codecs_:
        if codec.startswith("utf-16") or codec.startswith("utf-32"):
            text = _decode_unicode(data, codec)
            if text is None:
                continue
        elif codec == "utf-8":
            text = data.decode("utf-8", errors="replace")
        else:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            text = unicodedata.normalize("NFC", text)
        decoded[codec] = text
    scored = [(plausibility_cost(t, _QUICK_CHARS) + _PRIOR[c], c, t) for c, t in decoded.items()]
    scored.sort(key=lambda s: s[0])
    if scored and any(len(t) > _QUICK_CHARS for _, _, t in scored):
        cut = scored[0][0] + _QUICK_MARGIN
        close = [(plausibility_cost(t) + _PRIOR[c], c, t) for q, c, t in scored if q <= cut]
        if len(close) > 1:  # a lone leader keeps its place (and its head's cost)
            scored = sorted(close, key=lambda s: s[0]) + [s for s in scored if s[0] > cut]
    return scored


def _mostly_utf8(data: bytes) -> bool:
    """Whether UTF-8 with a few bad bytes (a mixed-up scrape) explains the non-ASCII bytes."""
    text = data[:65536].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return multibyte >= 8 * bad and multibyte > 0


def _utf8_is_plausible(data: bytes) -> bool:
    """Whether valid UTF-8 is believable: many non-ASCII bytes, or its words read better."""
    n_high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if n_high == 0 or n_high > _SHORT_UTF8:
        return True
    # Only the words with non-ASCII bytes differ between the candidates, so score those.
    words = b" ".join(_NON_ASCII_TOKEN_RE.findall(data))
    scored = _candidates(words, ("utf-8",) + LEGACY_CANDIDATES)
    costs = {codec: cost for cost, codec, _ in scored}
    return costs["utf-8"] <= scored[0][0] + _UTF8_MARGIN


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding.

    Known file signatures (PNG, JPEG, PDF, ZIP/DOCX, gzip ...) are binary. UTF-8 with or
    without BOM (without further checks unless it has only a few non-ASCII bytes, which
    GBK or cp1252 can form by chance) and UTF-16/32 with a BOM are taken at their word.
    Otherwise the bytes are decoded with each candidate codec: UTF-16 LE/BE (and UTF-32
    when there are NUL bytes), and, when there are no NUL bytes, each of
    `LEGACY_CANDIDATES` plus UTF-8 with U+FFFD for a few bad bytes when nearly all of the
    non-ASCII bytes are UTF-8. The decoding with the lowest `plausibility_cost` wins; when
    none is plausible, NUL or control bytes make the input binary, else undecodable.

    Parameters
    ----------
    data : bytes
        Raw file content.

    Returns
    -------
    text : str
        Decoded text, without BOM; NFC when decoded from a legacy codec, as stored
        otherwise.
    encoding : str
        Python codec name (lowercase, hyphens), e.g. ``"utf-8"`` (also for pure ASCII),
        ``"utf-16-le"``, ``"cp1258"``, ``"tcvn3"``, ``"gb18030"``, ``"koi8-r"``.

    Raises
    ------
    DecodeError
        ``reason="empty"`` for no bytes or whitespace only, ``"binary"`` for known file
        signatures, stray NUL bytes or mostly control characters, ``"undecodable"`` when
        no candidate decoding reads as text.
    """
    data = bytes(data)
    if not data.strip(_ASCII_SPACE):
        raise DecodeError("empty", f"{len(data)} bytes of whitespace" if data else "0 bytes")
    what = _magic(data)
    if what:
        raise DecodeError("binary", what)

    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if codec == "utf-8-sig":
                try:
                    return _check_text(body.decode("utf-8"), codec)
                except UnicodeDecodeError:
                    break  # BOM but not UTF-8 after all: detect below
            text = _decode_unicode(body, codec)
            if text is not None:
                return _check_text(text, codec)
            if codec.startswith("utf-32"):
                continue  # may be UTF-16-LE starting with U+0000 instead
            raise DecodeError("undecodable", f"{codec} byte order mark but invalid {codec}")

    # The common case: no scoring at all.
    nul = data.find(b"\x00")
    if nul < 0:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if _control_share(data) <= _MAX_CONTROL_SHARE and _utf8_is_plausible(data):
                return _check_text(text, "utf-8", controls=False)  # C0 counted on the bytes
            # Many C0 bytes: binary, or UTF-16 of Cyrillic without BOM ("\x18\x04A\x04...").

    # NUL bytes or many C0 bytes: UTF-16 without BOM (CJK and Cyrillic code units hold bytes
    # 0x00-0x1F) or binary; otherwise any legacy codec, UTF-16 and, when nearly all of it
    # is UTF-8, UTF-8 with a few replacement characters.
    pool: tuple[str, ...] = ()
    if len(data) % 2 == 0:
        pool += ("utf-16-le", "utf-16-be")
    if nul >= 0 and len(data) % 4 == 0:
        pool += ("utf-32-le", "utf-32-be")
    if nul < 0:
        pool += LEGACY_CANDIDATES
        if _mostly_utf8(data):
            pool = ("utf-8",) + pool
    scored = _candidates(data, pool)
    if (not scored or scored[0][0] > _MAX_COST) and any(t.isspace() for _, _, t in scored):
        blank = ", ".join(c for _, c, t in scored if t.isspace())
        raise DecodeError("empty", f"only whitespace ({blank})")
    if not scored or scored[0][0] > _MAX_COST:
        best = f" (best {scored[0][1]}, cost {scored[0][0]:.2f})" if scored else ""
        if nul >= 0:
            raise DecodeError("binary", f"NUL byte at offset {nul}{best}")
        if _control_share(data) > _MAX_CONTROL_SHARE:
            raise DecodeError("binary", f"{_control_share(data):.0%} control bytes{best}")
        raise DecodeError("undecodable", f"no plausible decoding among {', '.join(pool)}{best}")
    _, codec, text = scored[0]
    if codec == "cp1252" and any(c == "cp1258" and t == text for _, c, t in scored[1:]):
        # Reads the same in cp1258: name the Vietnamese page if the words are Vietnamese.
        words = [r.lower() for r in _LETTER_RUN_RE.findall(text[:_SAMPLE_CHARS]) if not r.isascii()]
        if 2 * sum(w in _common_syllables() for w in words) >= len(words):
            codec = "cp1258"
    return _check_text(text, codec)


# --------------------------------------------------------------------------------------
# Mojibake
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _ftfy_config():
    from ftfy import TextFixerConfig

    # Only the encoding repairs: everything that would touch clean text is off.
    return TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
        restore_byte_a0=True, replace_lossy_sequences=True, decode_inconsistent_utf8=True,
        fix_c1_controls=True, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
        remove_control_chars=False, normalization=None, explain=False,
    )


def _sloppy_table(codec: str) -> str:
    """Decoding table of `codec` with undefined bytes read as C1 controls (as ftfy does)."""
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


# UTF-8 read as cp1258 (which ftfy does not know): a UTF-8 lead byte of Vietnamese
# letters (C2-C6 Â Ă Ä Å Æ, E1 á, E2 â) followed by continuation bytes shown as cp1258.
_SLOPPY_1258 = _sloppy_table("cp1258")
_SLOPPY_1258_BYTES = {ch: b for b, ch in enumerate(_SLOPPY_1258)}
_CONT_1258 = re.escape(_SLOPPY_1258[0x80:0xC0])
_CP1258_MOJIBAKE_RE = re.compile(
    rf"(?:[\u0102\u00c4\u00c5\u00c6\u00c2][{_CONT_1258}]|[\u00e1\u00e2][{_CONT_1258}]{{2}})+"
)


def _encode_sloppy_1258(text: str) -> bytes:
    return bytes(_SLOPPY_1258_BYTES[c] for c in text)  # KeyError: not cp1258 mojibake


def _repair_cp1258(text: str) -> str:
    def fix(m: re.Match) -> str:
        chunk = m.group(0)
        try:
            fixed = _encode_sloppy_1258(chunk).decode("utf-8")
        except (KeyError, UnicodeError):
            return chunk
        # Only accept what decodes to Vietnamese letters or typographic punctuation.
        if all(c in _VI_LETTERS or 0x2010 <= ord(c) <= 0x205E or c == "\xa0" for c in fixed):
            return fixed
        return chunk

    return _CP1258_MOJIBAKE_RE.sub(fix, text)


# Code pages ftfy undoes (its CHARMAP_ENCODINGS but MacRoman, whose lead bytes include
# curly quotes) plus cp1258, in groups of similar pages (one regex per group).
_MOJIBAKE_CODECS = (
    ("latin-1", "cp1252", "cp1254", "cp1258"),
    ("cp1250", "iso8859-2", "cp1257"),
    ("cp1251",),
    ("cp1253",),
    ("cp437",),
)


@functools.lru_cache(maxsize=1)
def _mojibake_hint_res() -> tuple[tuple[re.Pattern, re.Pattern], ...]:
    """Per group of code pages, a quick and an exact regex for UTF-8 read with them: a
    decoded lead byte followed by its continuation bytes. Clean text rarely matches, so
    ftfy is skipped for it (on everything it would cost more than the rest of loading)."""
    def chars(group: tuple[str, ...], lo: int, hi: int) -> str:
        out = set()
        for codec in group:
            for b in range(lo, hi + 1):
                try:
                    out.add(bytes([b]).decode(codec))
                except UnicodeDecodeError:
                    out.add(chr(b))  # ftfy's "sloppy" codecs: undefined bytes stay C1
        return "[" + re.escape("".join(sorted(out))) + "]"

    res = []
    for group in _MOJIBAKE_CODECS:
        cont = chars(group, 0x80, 0xBF)
        quick = re.compile(chars(group, 0xC2, 0xF4) + cont)
        exact = re.compile(f"{chars(group, 0xC2, 0xDF)}{cont}|{chars(group, 0xE0, 0xEF)}{cont}{{2}}"
                           f"|{chars(group, 0xF0, 0xF4)}{cont}{{3}}")
        res.append((quick, exact))
    # C1 controls, surrogates and replacement characters (other repairs ftfy makes); à
    # or NBSP whose A0 byte became a space ("Ã ", "Â ").
    for pattern in (r"[\x80-\x9f\ud800-\udfff\ufffd]", r"[\u00c2\u00c3] "):
        res.append((re.compile(pattern),) * 2)
    return tuple(res)


def _looks_like_mojibake(text: str) -> bool:
    return any(quick.search(text) and exact.search(text) for quick, exact in _mojibake_hint_res())


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Repair recoverable mojibake; leave clean text untouched.

    Repairs UTF-8 that was decoded as cp1252, latin-1, cp1251, other code pages ftfy knows,
    or cp1258 (``'Nghá»‹ quyáº¿t'`` -> ``'Nghị quyết'``), also several layers deep and
    when only parts of the text are affected. Curly quotes, HTML entities, line breaks,
    control characters, width and Unicode normalization are left as they are, and
    accented Vietnamese, Chinese and Russian text is not touched.

    Parameters
    ----------
    text : str
        Decoded text.

    Returns
    -------
    text : str
        Repaired text (the input itself when nothing was repaired).
    changed : bool
        Whether anything was repaired.
    """
    if text.isascii() or not _looks_like_mojibake(text):
        return text, False
    import ftfy

    # A whole text read with one wrong code page (maybe twice) first: ftfy's per-character
    # repairs of the C1 bytes would otherwise spoil the byte sequence for the rest.
    fixed = text
    for _ in range(3):
        undone = _repair_whole(fixed)
        if undone == fixed:
            break
        fixed = undone
    if _looks_like_mojibake(fixed):
        fixed = ftfy.fix_text(fixed, _ftfy_config())
        if _CP1258_MOJIBAKE_RE.search(fixed):
            fixed = _repair_cp1258(fixed)
    if fixed == text:
        return text, False
    return fixed, True


def _repair_whole(text: str) -> str:
    """Undo UTF-8 read as one code page over the whole text when ftfy's heuristics hold
    back (Chinese or Vietnamese read as cp1251: "йќ’д№ђ"); accepted only when the bytes
    are strictly UTF-8 and the result reads much better."""
    import ftfy  # noqa: F401  (registers the sloppy-windows-125x codecs)

    before = None
    for codec in ("sloppy-windows-1252", "sloppy-windows-1251", "sloppy-cp1258"):
        try:
            if codec == "sloppy-cp1258":
                candidate = _encode_sloppy_1258(text).decode("utf-8")
            else:
                candidate = text.encode(codec).decode("utf-8")
        except (KeyError, UnicodeError):
            continue
        if before is None:
            before = plausibility_cost(text)
        after = plausibility_cost(candidate)
        if after < _UNDO_RATIO * before and before - after > _UNDO_MARGIN:
            return candidate
    return text
