"""Language-aware tokens of documents: Vietnamese words, Chinese words, Russian lemmas, Latin words.

One token per word, lowercased (Party document codes excepted), punctuation and bare numbers dropped:

* ``vi``: pyvi word segmentation; the syllables of a word are joined by one space (``cán bộ``), and
  the shipped multi-word expressions (``data/vi_mwe.csv``: ``tinh giản biên chế``, ``bộ chính trị``)
  are merged after segmentation with nltk's ``MWETokenizer``.
* ``zh``: jieba (a private ``jieba.Tokenizer``) with the shipped user dictionary
  (``data/zh_userdict.csv``: 乂安, 省委常委会, 政治体系, ...); Latin runs inside Chinese are regex words.
* ``ru``: regex words, pymorphy3 lemmas (``normal_form``), ``ё`` written ``е``.
* anything else (``en``, ``fr``, ``und``, ...): regex words; Han runs go to jieba. Snowball stems on
  request (``stem=True``).

Party document codes (``18-NQ/TW``, ``39 - NQ/TW``, ``第39-NQ/TW号``, codes typed with Cyrillic
look-alike letters) and state legal codes (``108/2014/NĐ-CP``) are kept as ONE token in their
canonical form (:func:`corpuslib.text.codes.find_codes`: ``39-NQ/TW``, ``04-NQ/TW``, the typo
``67-NG/TU`` as ``67-NQ/TU``), so they read as codes, never collide with words, and are the codes
document references resolve.
Stop words come from stopwordsiso plus the short shipped change list ``data/stopwords_extra.csv``.

``tokenize`` caches the tokens of each text in a SQLite file under :func:`corpuslib.core.paths.cache_dir`,
keyed by a hash of language, options, :data:`TOKENIZER_VERSION`, shipped data and library versions,
and segments the texts it has not seen on every core (``n_jobs=-1``; see :mod:`corpuslib.core.parallel`).

Speed: pyvi is called through :class:`_FastPyvi`, the same CRF model fed the same features without
pyvi's per-syllable dicts (identical words, about twice as fast); Han runs that are one jieba block
go straight to jieba's DAG cut; per-word rules (case, noise, stop words, Russian lemmas) are
memoized per process.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import logging
import os
import re
import threading
import unicodedata
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from corpuslib.core import paths
from corpuslib.core.cache import KeyValueStore

from .codes import find_codes
from .language import base_language as _norm_lang
from .lemmas import ru_lemma
from .numerals import FULLWIDTH_ASCII

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["TOKENIZER_VERSION", "tokenize_text", "tokenize", "token_lists", "stopwords_for"]

#: Version of the tokenization rules. Bump it whenever the tokens of some text change; it is part
#: of the cache key (the shipped data files and library versions are added to the key automatically).
TOKENIZER_VERSION = "3"  # 3: dotted abbreviations (TP.HCM, T.Ư, Q.1) are one token; TP HCM, TPHCM are tp.hcm

_log = logging.getLogger(__name__)

_DATA_FILES = ("text/vi_mwe.csv", "text/zh_userdict.csv", "text/stopwords_extra.csv")
_CACHE_FILE = "tokens.sqlite3"

# --------------------------------------------------------------------------------------------
# Character classes and patterns
# --------------------------------------------------------------------------------------------

# A word: letters/digits, with inner hyphens or apostrophes (общественно-политических, don't).
_WORD = r"[^\W_]+(?:['’\-‐][^\W_]+)*"
_WORD_RE = re.compile(_WORD)
# A pyvi word: words joined by single spaces (pyvi's "_" is turned into a space).
_VI_WORD_RE = re.compile(rf"{_WORD}(?: {_WORD})*")
# Han characters (CJK unified ideographs, extensions, compatibility) go to jieba.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN_RE = re.compile(f"([{_HAN}]+)")
_HAN_CHAR_RE = re.compile(f"[{_HAN}]")
# Digits followed by a short letter suffix are numbers too: 13-м, 2nd, 10h, 1990s.
_NUMBERISH_RE = re.compile(r"\d[\d'’\-‐]*[^\W\d_]{0,3}")
# Chinese numerals with an optional counting suffix: 十二月, 第十九次, 三, 两万.
_ZH_NUMBER_RE = re.compile("第?[〇零一二三四五六七八九十百千万亿两几]+[个支位名项条点次届号年月日天篇种倍成岁]?")
# URLs, e-mail addresses and bare domains (Baonghean.vn) are not words of the article.
_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu|info|ru|cn|fr|uk)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Every alternative of _URL_RE needs one of these; most articles have none, and the full pattern
# backtracks at every letter, so it runs only when the cheap scan finds one.
# Whether a text may hold a URL or e-mail: "@", "://", "www." or a dot before a common domain (as
# separate scans that start at a fixed character: 2.5x faster than one alternation).
_URL_TLD_RE = re.compile(r"\.(?i:vn|com|net|org|gov|edu|info|ru|cn|fr|uk)\b")
_URL_WWW_RE = re.compile(r"[wW][wW][wW]\.")


def _may_hold_url(text: str) -> bool:
    return "@" in text or "://" in text or bool(_URL_TLD_RE.search(text)) or bool(_URL_WWW_RE.search(text))
# Vietnamese punctuation that ends a phrase: no multi-word expression is merged across it.
# Commas, dashes and quotes are bridged ("dám nghĩ, dám làm" -> "dám nghĩ dám làm").
_SOFT_PUNCT = set(",-‐‑‒–—―−\"'“”‘’«»„/&")
_BARRIER = "\x00"
# Full-width ASCII letters, digits, hyphen and slash (Chinese text) read as ASCII.
_FULLWIDTH = {c: a for c, a in FULLWIDTH_ASCII.items() if a.isalnum() or a in "-/"}
_FULLWIDTH_RE = re.compile("[" + "".join(map(chr, _FULLWIDTH)) + "]")

# --------------------------------------------------------------------------------------------
# Document codes
# --------------------------------------------------------------------------------------------

def _split_codes(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(chunk, is_code)`` pieces; code chunks are canonical (:mod:`corpuslib.text.codes`)."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for code in find_codes(text):
        pieces.append((text[last:code.start], False))
        pieces.append((code.code, True))
        last = code.end
    pieces.append((text[last:], False))
    return [(chunk, is_code) for chunk, is_code in pieces if is_code or chunk.strip()]


# --------------------------------------------------------------------------------------------
# Shipped data and stop words
# --------------------------------------------------------------------------------------------


def _read_rows(name: str) -> list[dict[str, str]]:
    """Return the rows of a shipped CSV (``#`` lines are comments)."""
    text = paths.package_data(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO("\n".join(lines)))]


def _lower(token: str) -> str:
    """Lowercase and recompose (lowercasing can leave combining marks that NFC joins again)."""
    return unicodedata.normalize("NFC", token.lower())


_VI_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _vi_tone_variants(word: str) -> set[str]:
    """Return ``word`` with both tone placements of open oa/oe/uy syllables (hóa/hoá, ủy/uỷ)."""
    variants: list[list[str]] = [[]]
    for syllable in word.split(" "):
        nfd = unicodedata.normalize("NFD", syllable)
        tones = [c for c in nfd if c in _VI_TONES]
        base = "".join(c for c in nfd if c not in _VI_TONES)
        forms = {syllable}
        # Only an open syllable ending in plain o+a, o+e, u+y has two spellings ("quy" has one).
        if len(tones) == 1 and base.endswith(("oa", "oe", "uy")) and not base.endswith("quy"):
            stem, first, second = base[:-2], base[-2], base[-1]
            forms = {unicodedata.normalize("NFC", stem + first + tones[0] + second),
                     unicodedata.normalize("NFC", stem + first + second + tones[0])}
        variants = [v + [f] for v in variants for f in sorted(forms)]
    return {" ".join(v) for v in variants}


@lru_cache(maxsize=None)
def _stop_changes() -> dict[tuple[str, str], frozenset[str]]:
    """Return ``{(lang, action): words}`` from ``stopwords_extra.csv``."""
    out: dict[tuple[str, str], set[str]] = {}
    for row in _read_rows("text/stopwords_extra.csv"):
        word = _lower(row["word"])
        if row["lang"] == "ru":
            word = word.replace("ё", "е")
        out.setdefault((_norm_lang(row["lang"]), row.get("action") or "add"), set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


def _kept_words(lang: str) -> frozenset[str]:
    return _stop_changes().get((lang, "keep"), frozenset())


@lru_cache(maxsize=64)
def stopwords_for(lang: str) -> frozenset[str]:
    """Return the stop words of a language: stopwordsiso plus the shipped additions, minus its keeps.

    Parameters
    ----------
    lang : str
        ISO 639-1 code (``vi``, ``zh``, ``ru``, ``en``, ``fr``, ...); region subtags are ignored.

    Returns
    -------
    frozenset of str
        Lower-case NFC words in the form tokens take (Vietnamese syllables joined by spaces, in both
        tone placements; Russian with ``е`` for ``ё``). Empty for ``und`` and unknown languages.
    """
    lang = _norm_lang(lang)
    import stopwordsiso

    words = {_lower(w) for w in stopwordsiso.stopwords(lang)} if stopwordsiso.has_lang(lang) else set()
    words |= _stop_changes().get((lang, "add"), frozenset())
    if lang == "ru":
        words = {w.replace("ё", "е") for w in words}
    if lang == "vi":
        words = {v for w in words for v in _vi_tone_variants(w)}
    return frozenset(w for w in words if w.strip()) - _kept_words(lang)


# --------------------------------------------------------------------------------------------
# Per-language segmenters (heavy libraries are loaded on first use)
# --------------------------------------------------------------------------------------------

_LOCK = threading.RLock()


@lru_cache(maxsize=1)
def _vi_mwe_tokenizer():
    """Return nltk's MWETokenizer loaded with every segmentation of the shipped expressions."""
    from nltk.tokenize.mwe import MWETokenizer

    mwes = set()
    for row in _read_rows("text/vi_mwe.csv"):
        for expr in _vi_tone_variants(_lower(row["mwe"])):
            syllables = expr.split()
            # pyvi may cut an expression anywhere between syllables: register every cut.
            for cuts in itertools.product((False, True), repeat=len(syllables) - 1):
                words, current = [], [syllables[0]]
                for syllable, cut in zip(syllables[1:], cuts):
                    if cut:
                        words.append(" ".join(current))
                        current = [syllable]
                    else:
                        current.append(syllable)
                words.append(" ".join(current))
                if len(words) > 1:
                    mwes.add(tuple(words))
    return MWETokenizer(sorted(mwes), separator=" ")


class _FastPyvi:
    """pyvi's ``ViTokenizer.tokenize`` with the same model and the same output, about twice as fast.

    pyvi builds a dict of 15 features per syllable in Python and hands them to CRFsuite, which
    turns them back into attribute strings; most of its time goes there. Here each syllable's
    attributes are computed once and passed as the attribute strings CRFsuite would have made
    (``"word.lower():cán"``, ``"-1:word.bi_gram()"``), in pyvi's order, leaving out the boolean
    features that are False (weight 0.0 adds nothing to a score). Same model, same Viterbi
    path: the labels, hence the words, are identical; :func:`_vi_segmenter` checks that on real
    sentences before using it and falls back to pyvi otherwise.
    """

    def __init__(self, vi):
        import string

        self.vi = vi
        self.tagger = vi.model.tagger_
        self.bi, self.tri = vi.bi_grams, vi.tri_grams
        self.punct = string.punctuation

    def tokenize(self, text: str) -> str:
        _, syl = self.vi.sylabelize(text)
        if not syl:
            return text
        n = len(syl)
        low = [w.lower() for w in syl]
        title = [w.istitle() for w in syl]
        upper = [w.isupper() for w in syl]
        bi, tri = self.bi, self.tri
        pair = [" ".join([syl[i], syl[i + 1]]).lower() in bi for i in range(n - 1)]
        triple = [" ".join([syl[i], syl[i + 1], syl[i + 2]]).lower() in tri for i in range(n - 2)]
        xseq = []
        for i in range(n):
            f = ["bias", "word.lower():" + low[i]]
            if upper[i]:
                f.append("word.isupper()")
            if title[i]:
                f.append("word.istitle()")
            if syl[i].isdigit():
                f.append("word.isdigit()")
            if i > 0:
                f.append("-1:word.lower():" + low[i - 1])
                if title[i - 1]:
                    f.append("-1:word.istitle()")
                if upper[i - 1]:
                    f.append("-1:word.isupper()")
                if pair[i - 1]:
                    f.append("-1:word.bi_gram()")
                if i > 1 and triple[i - 2]:
                    f.append("-2:word.tri_gram()")
            if i < n - 1:
                f.append("+1:word.lower():" + low[i + 1])
                if title[i + 1]:
                    f.append("+1:word.istitle()")
                if upper[i + 1]:
                    f.append("+1:word.isupper()")
                if pair[i]:
                    f.append("+1:word.bi_gram()")
                if i < n - 2 and triple[i]:
                    f.append("+2:word.tri_gram()")
            xseq.append(f)
        labels = self.tagger.tag(xseq)
        punct = self.punct
        out = [syl[0]]
        for i in range(1, len(labels)):  # pyvi's joining rule, verbatim
            if labels[i] == "I_W" and syl[i] not in punct and syl[i - 1] not in punct \
                    and not syl[i][0].isdigit() and not syl[i - 1][0].isdigit() \
                    and not (syl[i][0].istitle() and not syl[i - 1][0].istitle()):
                out.append("_")
            else:
                out.append(" ")
            out.append(syl[i])
        return "".join(out)


# Sentences the fast path must segment exactly as pyvi does before it is used.
_PYVI_CHECK = (
    "Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt công tác xây dựng vị trí việc làm",
    "Thực hiện Nghị quyết Trung ương 3, khóa VIII về chiến lược cán bộ, Tỉnh ủy Lạng Sơn đã tập trung lãnh đạo.",
    "Sau 3 năm số cán bộ công chức, viên chức, hợp đồng 68 ... giảm được 85.600 người, tương đương 5,61%.",
    "TP. Hải Phòng và KH&CN; Mr. Smith ==> Email: ban@tochuc.vn, http://baonghean.vn (GMT+7) \"tự diễn biến\"",
    "ÔNG NGUYỄN VĂN A phát biểu tại Hội nghị Trung ương 8 (khóa XII) - Tổng Bí thư Tô Lâm",
)


def _drop_model_file(model) -> None:
    """Open pyvi's CRF tagger, then delete the temporary model file its unpickling wrote.

    sklearn_crfsuite writes the pickled model to ``/tmp/model*.crfsuite`` (637 KB) and deletes it
    only in a finalizer, which a worker leaving through ``os._exit`` never runs: one file was left
    per worker. CRFsuite reads the whole file when the tagger opens, so the file is not needed after.
    """
    resource = getattr(model, "modelfile", None)
    if resource is None or getattr(resource, "name", None) is None:
        return
    model.tagger_  # noqa: B018 - opens (and caches) the tagger from the file
    with contextlib.suppress(OSError):
        os.unlink(resource.name)
    with contextlib.suppress(OSError, AttributeError):
        os.close(resource.fd)
    resource.name = None  # nothing left to delete (the finalizer would try again)


@lru_cache(maxsize=1)
def _vi_segmenter():
    """Return pyvi's segmenter: the fast equivalent when it agrees with pyvi on the check sentences."""
    from pyvi import ViTokenizer

    _drop_model_file(ViTokenizer.ViTokenizer.model)
    try:
        fast = _FastPyvi(ViTokenizer.ViTokenizer)
        if all(fast.tokenize(s) == ViTokenizer.tokenize(s) for s in _PYVI_CHECK):
            return fast
    except Exception:  # another pyvi release: its own code path
        pass
    _log.info("pyvi fast path disabled: using ViTokenizer.tokenize")
    return ViTokenizer


# Word-level memos: news text repeats its words, and the rules below are pure functions of a
# word, so each distinct word is worked out once per process. Bounded: cleared when full.
_MEMO_SIZE = 1 << 18
_VI_RAW: dict[str, tuple[str, ...]] = {}


def _memo_put(memo: dict, key, value):
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


def _vi_raw_words(raw: str) -> tuple[str, ...]:
    """Return what one pyvi token contributes: a lower-case word, a barrier, letter runs, or nothing."""
    word = raw.replace("_", " ")
    if _VI_WORD_RE.fullmatch(word):
        return (_lower(word),)
    if not any(c.isalnum() for c in word):
        return () if set(word) <= _SOFT_PUNCT else (_BARRIER,)
    return tuple(_regex_words(word))  # mixed letters and symbols (T.Ư, KH&CN): keep the letter runs


# Dotted abbreviations are one word: TP.HCM (thành phố Hồ Chí Minh), T.Ư (Trung ương), Q.1 (quận 1),
# N.V.A (initials), Tp.HCM, "TP. HCM". pyvi cuts them at the dot, and the letter runs left (tp, hcm,
# t, ư, q) are noise or someone else's word. Candidates here; _abbreviation() checks the case.
_ABBR_RE = re.compile(r"(?<![\w.])[^\W\d_]{1,4}\.(?: (?=[^\W\d_]{2,5}(?![\w.])))?[^\W_]{1,5}(?:\.[^\W_]{1,5})*(?![\w]|\.\w)")


def _abbreviation(found: str) -> str | None:
    """Return the token of a dotted abbreviation (``tp.hcm``), or None when ``found`` is not one.

    The first part is capitals (``TP``, ``T``) or a capital and one small letter (``Tp``); every
    later part is capitals or digits (``HCM``, ``Ư``, ``1``): "TP.Hà Nội" and "4.9" are not.
    """
    parts = found.replace(" ", "").split(".")
    head, rest = parts[0], parts[1:]
    if not (head.isupper() or (len(head) == 2 and head[0].isupper() and head[1].islower())):
        return None
    if not all(p.isdigit() or (p.isupper() and p.isalpha()) for p in rest):
        return None
    if found.count(" ") and not rest[0].isalpha():
        return None
    return _lower(".".join(parts))


# One city, three spellings: Tuổi Trẻ and Thanh Niên write TP.HCM, VnExpress "TP HCM", some "TPHCM";
# left apart, the spelling would top the outlets' keyness lists instead of what they say.
_UNDOTTED_RE = re.compile(r"(?<![\w.])(?:T[Pp] HCM|TPHCM)(?![\w])")
_UNDOTTED = {"tp hcm": "tp.hcm", "tphcm": "tp.hcm"}


def _vi_pieces(line: str) -> list[tuple[str, bool]]:
    """Split a line into ``(text, is_abbreviation)`` pieces (abbreviations as their token)."""
    if "." not in line and "HCM" not in line:
        return [(line, False)]
    pieces: list[tuple[str, bool]] = []
    last = 0
    found = [(m, _abbreviation(m.group(0))) for m in _ABBR_RE.finditer(line)] if "." in line else []
    if "HCM" in line:
        found += [(m, _UNDOTTED[m.group(0).lower()]) for m in _UNDOTTED_RE.finditer(line)]
        found.sort(key=lambda mt: mt[0].start())
    for m, token in found:
        if token is None or m.start() < last:
            continue
        pieces.append((line[last:m.start()], False))
        pieces.append((token, True))
        last = m.end()
    pieces.append((line[last:], False))
    return [(t, a) for t, a in pieces if a or t.strip()]


def _segment_vi(text: str) -> list[str]:
    """Return lower-case Vietnamese words of ``text`` (expressions merged, punctuation removed)."""
    segmenter = _vi_segmenter()
    memo = _VI_RAW
    words: list[str] = []
    # pyvi marks joined syllables with "_": any "_" of the text itself must not look like one.
    for line in text.replace("_", " ").splitlines():
        if not line.strip():
            continue
        for piece, is_abbreviation in _vi_pieces(line):
            if is_abbreviation:
                words.append(piece)
                continue
            for raw in segmenter.tokenize(piece).split():
                found = memo.get(raw)
                if found is None:
                    found = _memo_put(memo, raw, _vi_raw_words(raw))
                words.extend(found)
        words.append(_BARRIER)
    return [w for w in _vi_mwe_tokenizer().tokenize(words) if w != _BARRIER]


_JIEBA = None


def _jieba():
    """Return the private jieba tokenizer, initialized once (cache under ``cache_dir()``, quiet)."""
    global _JIEBA
    if _JIEBA is not None:
        return _JIEBA
    with _LOCK:
        if _JIEBA is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.tmp_dir = str(paths.cache_dir())
            tok.cache_file = "jieba.cache"
            tok.initialize()
            for row in _read_rows("text/zh_userdict.csv"):
                tok.add_word(row["word"], int(row["freq"]) if row.get("freq") else None, row.get("tag") or None)
            _JIEBA = tok
    return _JIEBA


def _segment_han(run: str) -> list[str]:
    tok = _jieba()
    cut_dag = getattr(tok, "_Tokenizer__cut_DAG", None)
    if cut_dag is not None and _jieba_block().fullmatch(run):
        # jieba's cut() of a run that is one of its own Han blocks is exactly its DAG cut of the
        # run; calling that directly skips cut()'s per-call splitting (runs are short and many)
        return list(cut_dag(run))
    return [w for w in tok.lcut(run) if w.strip()]


@lru_cache(maxsize=1)
def _jieba_block():
    import jieba

    return jieba.re_han_default


_NUMBER_PREFIX_RE = re.compile(r"^\d+['’\-‐]+(?=[^\W\d_])")


_REGEX_WORD: dict[str, str] = {}


def _regex_word(word: str) -> str:
    found = _REGEX_WORD.get(word)
    if found is None:
        found = _memo_put(_REGEX_WORD, word, _lower(_NUMBER_PREFIX_RE.sub("", word)))
    return found


def _regex_words(text: str) -> list[str]:
    """Return lower-case regex words; a number glued by a hyphen is cut off (24-hour -> hour, 13-м -> м)."""
    return [_regex_word(w) for w in _WORD_RE.findall(text)]


def _script_words(text: str) -> list[str]:
    """Return words of any script: Han runs through jieba, the rest as lower-case regex words."""
    words: list[str] = []
    for i, run in enumerate(_HAN_RUN_RE.split(text)):
        if i % 2:
            words.extend(_segment_han(run))
        else:
            words.extend(_regex_words(run))
    return words


_STEMMERS = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian",
             "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
             "fi": "finnish", "hu": "hungarian", "ro": "romanian", "ar": "arabic", "ru": "russian"}


@lru_cache(maxsize=None)
def _stemmer(lang: str):
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer(_STEMMERS[lang])


_FR_ELISION_RE = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’](?=\w)")
_EN_POSSESSIVE_RE = re.compile(r"['’]s$")


def _is_noise(token: str) -> bool:
    """Return True for tokens that are not words: numbers, single non-Han letters, symbols."""
    if not any(c.isalpha() for c in token):
        return True
    if _NUMBERISH_RE.fullmatch(token):
        return True
    if _HAN_CHAR_RE.match(token):
        return bool(_ZH_NUMBER_RE.fullmatch(token))
    return len(token) < 2


_KEEP: dict[tuple[str, bool], dict[str, bool]] = {}


class _RuMemo(dict):
    """Russian word -> token (or None), filled on first lookup; hits stay in C (``map(memo.__getitem__)``)."""

    def __init__(self, stopwords: bool):
        super().__init__()
        self.stopwords = stopwords

    def __missing__(self, word: str) -> str | None:
        if len(self) >= _MEMO_SIZE:
            self.clear()
        token = self[word] = _ru_token(word, self.stopwords)
        return token


_RU_TOKEN: dict[bool, _RuMemo] = {True: _RuMemo(True), False: _RuMemo(False)}


def _keeper(lang: str, stopwords: bool):
    """Return ``keep(word) -> bool`` (not noise, not a stop word), memoized per language and option."""
    memo = _KEEP.setdefault((lang, stopwords), {})
    stop = stopwords_for(lang) if stopwords else frozenset()

    def keep(word: str) -> bool:
        found = memo.get(word)
        if found is None:
            found = _memo_put(memo, word, not _is_noise(word) and word not in stop)
        return found

    return keep


def _ru_token(word: str, stopwords: bool) -> str | None:
    """Return the token of a Russian regex word (its lemma), or None when it is noise or a stop word."""
    form = _regex_word(word)
    if _is_noise(form):
        return None
    lemma = ru_lemma(form)
    if stopwords:
        stop = stopwords_for("ru")
        if (lemma in stop or form in stop) and lemma not in _kept_words("ru"):
            return None
    return lemma


def _words(text: str, lang: str, stopwords: bool, stem: bool) -> list[str]:
    """Return the tokens of a code-free chunk of text."""
    if lang == "vi":
        keep = _keeper(lang, stopwords)
        return [w for w in _segment_vi(text) if keep(w)]
    if lang == "ru":
        words = _WORD_RE.findall(text.replace("ё", "е").replace("Ё", "Е"))
        return [tok for tok in map(_RU_TOKEN[bool(stopwords)].__getitem__, words) if tok is not None]
    if lang == "zh":
        keep = _keeper(lang, stopwords)
        return [w for w in _script_words(text) if keep(w)]
    stop = stopwords_for(lang) if stopwords else frozenset()
    out = []
    for word in _script_words(text):
        if lang == "fr":
            word = _FR_ELISION_RE.sub("", word)
        elif lang == "en":
            word = _EN_POSSESSIVE_RE.sub("", word)
        if _is_noise(word) or word in stop:
            continue
        if stem and lang in _STEMMERS and not _HAN_CHAR_RE.match(word):
            word = _stemmer(lang).stem(word)
        out.append(word)
    return out


def _clean_text(text: str) -> str:
    """Return ``text`` as valid NFC Unicode with full-width ASCII folded and URLs blanked."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (bad decoding upstream)
        text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    if _FULLWIDTH_RE.search(text):  # translate() looks up every character: only when needed
        text = text.translate(_FULLWIDTH)
    return _URL_RE.sub("\n", text) if _may_hold_url(text) else text


def tokenize_text(text: str, lang: str, *, stopwords: bool = True, stem: bool = False) -> list[str]:
    """Return the language-aware tokens of one text.

    Parameters
    ----------
    text : str
        Article text (any Unicode; not modified).
    lang : str
        ISO 639-1 code of the text: ``vi``, ``zh``, ``ru`` have their own segmenters; any other value
        (``en``, ``fr``, ``und``, None) gets regex words with Han runs segmented by jieba.
    stopwords : bool, default True
        Drop the words of :func:`stopwords_for`; ``False`` keeps them.
    stem : bool, default False
        Snowball-stem Latin-script words of languages nltk has a stemmer for (``en``, ``fr``, ...).
        Ignored for ``vi``, ``zh`` and ``ru`` (Russian tokens are already lemmas).

    Returns
    -------
    list of str
        Tokens in text order: lowercased NFC words (Vietnamese syllables of one word joined by a
        space), document codes in upper case (``18-NQ/TW``); never empty or padded with spaces.
    """
    if not isinstance(text, str) or not text:
        return []
    lang = _norm_lang(lang)
    tokens: list[str] = []
    for chunk, is_code in _split_codes(_clean_text(text)):
        if is_code:
            tokens.append(chunk)
        else:
            tokens.extend(_words(chunk, lang, stopwords, stem))
    return tokens


# --------------------------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """Return a hash of everything besides the text that decides the tokens."""
    from importlib import metadata

    h = hashlib.sha1(f"corpuslib.tokens {TOKENIZER_VERSION}".encode())
    for name in _DATA_FILES:
        h.update(paths.package_data(name).read_bytes())
    for dist in ("pyvi", "jieba", "pymorphy3", "pymorphy3-dicts-ru", "stopwordsiso", "nltk"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


def _cache_key(text: str, lang: str, options: str) -> str:
    data = f"{lang}\x1f{TOKENIZER_VERSION}\x1f{_fingerprint()}\x1f{options}\x1f{text}"
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()


#: Table of the token cache; values are the tokens joined by U+001F (no token holds a control
#: character), UTF-8: splitting is 10x faster than JSON, the largest cost of a fully cached run.
_CACHE_TABLE = "token_lists"
_SEP = "\x1f"


def _token_store() -> KeyValueStore:
    return KeyValueStore(paths.cache_dir() / _CACHE_FILE, _CACHE_TABLE, "token cache")


def _decode_joined(value) -> str | None:
    """Return the joined tokens of a stored value, or None for a damaged one (a miss)."""
    try:
        return value.decode("utf-8") if isinstance(value, bytes) else None
    except UnicodeDecodeError:
        return None


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


#: With ``n_jobs=-1``, fewer characters than this to segment are done in this process (a pool of
#: workers that load pyvi, jieba and pymorphy3 costs a few seconds to start).
PARALLEL_MIN_CHARS = 1_000_000
#: Characters of text per task sent to a worker.
TASK_CHARS = 200_000


def _warm_segmenters(langs: tuple[str, ...] = ("vi", "zh", "ru")) -> None:
    """Load the segmenters of ``langs`` (pyvi, jieba, pymorphy3) and the stop lists once per worker."""
    samples = {"vi": "Cán bộ", "zh": "干部", "ru": "кадры"}
    for lang in langs:
        with contextlib.suppress(Exception):
            tokenize_text(samples.get(lang, "x"), lang)


def _segment_task(items: list[tuple[str, str]], stopwords: bool, stem: bool) -> list[list[str]]:
    """Tokenize ``(text, lang)`` pairs (what a worker runs)."""
    return [tokenize_text(text, lang, stopwords=stopwords, stem=stem) for text, lang in items]


def _chunks(items: list[tuple[str, str]], size: int) -> Iterable[list[tuple[str, str]]]:
    chunk: list[tuple[str, str]] = []
    n = 0
    for item in items:
        chunk.append(item)
        n += len(item[0])
        if n >= size:
            yield chunk
            chunk, n = [], 0
    if chunk:
        yield chunk


def _segment_all(items: list[tuple[str, str]], *, stopwords: bool, stem: bool, n_jobs, progress: bool,
                 executor=None) -> list[list[str]]:
    """Return the tokens of ``(text, lang)`` pairs, in order, on ``n_jobs`` processes (or ``executor``)."""
    from corpuslib.core import parallel

    bar = None
    if progress and items:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), desc="tokenize", unit="doc")
    try:
        n = 1
        if executor is None:
            n = parallel.resolve_jobs(n_jobs)
            if n_jobs in (-1, None) and n > 1:  # a choice: by the text to segment and the CPUs free
                n = parallel.plan_workers(n_jobs, sum(len(t) for t, _ in items), min_work=PARALLEL_MIN_CHARS,
                                          stage="tokenize")
            if n == 1:  # in this process, one text at a time (the module's own tokenize_text)
                out = []
                for text, lang in items:
                    out.append(tokenize_text(text, lang, stopwords=stopwords, stem=stem))
                    if bar is not None:
                        bar.update(1)
                return out
        langs = tuple(sorted({lang for _, lang in items}))
        workers = max(n, getattr(executor, "max_pending", 0) // 3)
        size = max(10_000, min(TASK_CHARS, sum(len(t) for t, _ in items) // (4 * workers) + 1))
        pool = executor if executor is not None else parallel.worker_pool(
            n, initializer=_warm_segmenters, initargs=(langs,))
        out = []
        try:
            tasks = ((chunk, stopwords, stem) for chunk in _chunks(items, size))
            pending = getattr(pool, "max_pending", 3 * max(n, 2))
            for lists in parallel.map_ordered(_segment_star, tasks, executor=pool, max_pending=pending):
                out.extend(lists)
                if bar is not None:
                    bar.update(len(lists))
        finally:
            if executor is None:
                pool.shutdown(cancel_futures=True)
        return out
    finally:
        if bar is not None:
            bar.close()


def _segment_star(args) -> list[list[str]]:
    return _segment_task(*args)


def _document_tokens(documents: "pandas.DataFrame", *, stopwords: bool, cache: bool, progress: bool,
                     stem: bool, n_jobs=-1, executor=None) -> tuple[list[str], list[list[str]]]:
    """Return (normalized langs, token lists) aligned with the rows of ``documents``."""
    langs, joined = _document_token_strings(documents, stopwords=stopwords, cache=cache, progress=progress,
                                            stem=stem, n_jobs=n_jobs, executor=executor)
    return langs, [s.split(_SEP) if s else [] for s in joined]


def _document_token_strings(documents: "pandas.DataFrame", *, stopwords: bool, cache: bool, progress: bool,
                            stem: bool, n_jobs=-1, executor=None) -> tuple[list[str], list[str]]:
    """Return (normalized langs, tokens joined by U+001F) aligned with the rows of ``documents``.

    Joined strings are what the cache stores: a fully cached run never splits them into Python
    strings (the tokens table splits them in Arrow).
    """
    missing = {"doc_id", "text"} - set(documents.columns)
    if missing:
        raise KeyError(f"documents table lacks column(s) {sorted(missing)}")
    if documents["doc_id"].duplicated().any():
        dup = documents.loc[documents["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"doc_id must be unique; {dup!r} occurs more than once")
    texts = [t if isinstance(t, str) else "" for t in documents["text"].tolist()]
    if "lang" in documents.columns:
        langs = [_norm_lang(v) for v in documents["lang"].tolist()]
    else:
        warnings.warn("documents table has no 'lang' column; tokenizing as 'und'", UserWarning, stacklevel=4)
        langs = ["und"] * len(texts)

    options = f"stopwords={int(bool(stopwords))};stem={int(bool(stem))}"
    keys = [_cache_key(t, lang, options) for t, lang in zip(texts, langs)]
    known: dict[str, str] = {}
    if cache:
        with _token_store() as store:  # closed while workers start: a forked worker must not inherit it
            stored = store.get_many(sorted(set(keys)))
        known = {k: v for k, v in ((k, _decode_joined(v)) for k, v in stored.items()) if v is not None}
    todo: dict[str, tuple[str, str]] = {}
    for key, text, lang in zip(keys, texts, langs):
        if key not in known:
            todo.setdefault(key, (text, lang))
    lists = _segment_all(list(todo.values()), stopwords=stopwords, stem=stem, n_jobs=n_jobs,
                         progress=progress, executor=executor)
    fresh = {k: _SEP.join(v) for k, v in zip(todo, lists)}
    if cache and fresh:
        with _token_store() as store:
            store.put_many((k, v.encode("utf-8", "surrogatepass")) for k, v in fresh.items())
    known.update(fresh)
    return langs, [known[k] for k in keys]


def tokenize(documents: "pandas.DataFrame", *, stopwords: bool = True, cache: bool = True,
             progress: bool = False, stem: bool = False, n_jobs: int | None = -1) -> "pandas.DataFrame":
    """Return the long tokens table of a documents table.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id`` (unique) and ``text``; ``lang`` picks the tokenizer per row (missing or
        null -> ``und``). Not modified.
    stopwords : bool, default True
        Drop stop words (see :func:`stopwords_for`).
    cache : bool, default True
        Reuse and store tokens in ``cache_dir()/tokens.sqlite3`` (``CORPUSLIB_CACHE`` moves it),
        keyed by a hash of text, language, options and tokenizer version.
    progress : bool, default False
        Show a progress bar while segmenting texts that are not cached.
    stem : bool, default False
        Passed to :func:`tokenize_text`.
    n_jobs : int, default -1
        Worker processes for the texts not in the cache: ``-1`` every CPU (under
        :data:`PARALLEL_MIN_CHARS` characters, this process), ``1`` this process only. Each worker
        loads the segmenters once; the table is the same whatever the value.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, position, token, lang``; one row per token, sorted by ``doc_id`` then
        ``position``. ``position`` counts the kept tokens of a document from 0 (after stop-word
        removal), so it matches the index in :func:`token_lists`.
    """
    langs, joined = _document_token_strings(documents, stopwords=stopwords, cache=cache, progress=progress,
                                            stem=stem, n_jobs=n_jobs)
    return _joined_tokens_frame(documents, langs, joined)


def split_joined(joined: list[str]):
    """Return ``(tokens, lengths)`` of token strings joined by U+001F, split in Arrow.

    ``tokens`` is one flat ``pyarrow`` large-string array of every document's tokens in order and
    ``lengths`` a numpy array of tokens per document (0 for an empty string).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not joined:
        return pa.array([], type=pa.large_string()), np.array([], np.int64)
    parts = pc.split_pattern(pa.array(joined, type=pa.large_string()), _SEP)
    lengths = pc.list_value_length(parts).to_numpy(zero_copy_only=False).astype(np.int64)
    flat = parts.flatten()
    nonempty = np.fromiter((bool(s) for s in joined), dtype=bool, count=len(joined))
    if not nonempty.all():  # "" splits into [""]: an empty document has no tokens
        flat = flat.filter(pa.array(np.repeat(nonempty, lengths)))
        lengths = np.where(nonempty, lengths, 0)
    return flat.cast(pa.large_string()), lengths


def _joined_tokens_frame(documents: "pandas.DataFrame", langs: list[str], joined: list[str]) -> "pandas.DataFrame":
    """Return the long tokens table of the joined token strings of ``documents``' rows (sorted by doc_id).

    Splitting and flattening happen in Arrow: building millions of Python strings and converting
    them to a pandas column was most of a warm, fully cached tokenize.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    order = np.argsort(documents["doc_id"].to_numpy(), kind="stable") if len(documents) else np.array([], int)
    flat, lengths = split_joined([joined[i] for i in order])
    total = int(lengths.sum())
    starts = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
    return pd.DataFrame({
        "doc_id": documents["doc_id"].iloc[order].repeat(lengths).reset_index(drop=True),
        "position": pd.Series(positions, dtype="int64"),
        "token": pd.Series(flat, dtype="str"),
        "lang": pd.Series(pa.array([langs[i] for i in order], type=pa.large_string()), dtype="str")
        .repeat(lengths).reset_index(drop=True),
    })


def token_lists(documents: "pandas.DataFrame", **kw) -> "pandas.Series":
    """Return the tokens of each document as lists, indexed by ``doc_id`` in the documents' row order.

    Parameters
    ----------
    documents : pandas.DataFrame
        As for :func:`tokenize`.
    **kw
        ``stopwords``, ``cache``, ``progress``, ``stem``, ``n_jobs`` as for :func:`tokenize` (same cache).

    Returns
    -------
    pandas.Series
        ``doc_id -> list[str]``, named ``tokens``.
    """
    import pandas as pd

    _, lists = _document_tokens(documents, stopwords=kw.pop("stopwords", True), cache=kw.pop("cache", True),
                                progress=kw.pop("progress", False), stem=kw.pop("stem", False),
                                n_jobs=kw.pop("n_jobs", -1))
    if kw:
        raise TypeError(f"token_lists() got unexpected keyword argument(s) {sorted(kw)}")
    index = pd.Index(documents["doc_id"], name="doc_id")
    return pd.Series(lists, index=index, name="tokens", dtype=object)
