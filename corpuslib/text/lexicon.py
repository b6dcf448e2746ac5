"""The reform-rhetoric lexicon: loading, validation and sentence-level concept matching.

A lexicon is one CSV file (UTF-8) with ``#`` comment lines on top (one of them
``# version: X``) and one row per term::

    concept,theme,label_en,lang,term,match,source,note

Each concept has terms in several languages. Matching rules differ by script, because
the languages differ in what a "word" is:

* ``vi`` and ``en``: whole words (Vietnamese: whole syllables), so ``cán bộ`` never
  matches inside ``cán bội``; punctuation between words is ignored, so ``dám nghĩ dám
  làm`` matches ``dám nghĩ, dám làm``. Old and new tone placement (``hoá``/``hóa``) match.
* ``ru``: word by word on pymorphy3 lemmas, so ``сокращение штатов`` matches
  ``сокращении штатов``; a word ending in ``*`` is a stem matched against the word form
  or its lemma (``оптимиз*``).
* ``zh``: substring of the text (there are no spaces); spaces inside a term only mark
  where a ``near`` gap may fall.

``match`` is ``phrase`` (contiguous words) or ``nearN`` (the words in order with at most
``N`` other words between consecutive ones; for ``zh``, at most ``N`` characters).
``exclude`` / ``excludeN`` rows are matched the same way but never counted: a match of the
concept that overlaps one of them is dropped (``hợp nhất`` inside ``phù hợp nhất``, the
Ministry in ``Bộ Khoa học và Công nghệ``). Vietnamese words are written with spaces between
syllables, so syllable boundaries are not word boundaries; exclusions handle the few
collisions seen in the corpora.
Matching is case-insensitive and works sentence by sentence; overlapping matches of one
concept count once (one mention spanning them, named by the longest leftmost term).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import pandas as pd

from .language import base_language
from .lemmas import ru_lemma
from .sentences import sentence_spans

#: Columns every lexicon file must have (in any order; extra columns are kept).
LEXICON_COLUMNS = ("concept", "theme", "label_en", "lang", "term", "match", "source", "note")
#: Languages a lexicon may hold terms for.
LEXICON_LANGS = ("vi", "zh", "ru", "en")
#: Name of the lexicon shipped with the package.
DEFAULT_LEXICON = "text/reform_lexicon.csv"

_CONCEPT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MATCH = re.compile(r"^(phrase|near(\d+)|exclude(\d*))$")
_WORD = re.compile(r"\w+", re.UNICODE)
_TERM_WORD = re.compile(r"^\w+\*?$", re.UNICODE)


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and line."""


class Hit(NamedTuple):
    """One match of a lexicon term in a text: character offsets are ``[start, end)``."""

    concept: str
    term: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------
# Text folding: same length as the input, so offsets in the folded text are offsets in it.
# ---------------------------------------------------------------------------------------
_VI_TONE_MOVE = {}
for _base, _tones in (("a", "àáảãạ"), ("e", "èéẻẽẹ"), ("y", "ỳýỷỹỵ")):
    _first = "o" if _base in "ae" else "u"
    _first_toned = "òóỏõọ" if _first == "o" else "ùúủũụ"
    for _i, _t in enumerate(_tones):
        # old placement (hoá, thuỷ) -> new placement (hóa, thủy) at the end of a syllable
        _VI_TONE_MOVE[_first + _t] = _first_toned[_i] + _base
_VI_OLD_TONE = re.compile("(" + "|".join(_VI_TONE_MOVE) + r")(?!\w)")


def fold(text: str, lang: str | None = None) -> str:
    """Return ``text`` lowercased and normalized for matching, with the same length.

    Parameters
    ----------
    text : str
        Text already in NFC (offsets refer to it).
    lang : str, optional
        ``vi`` also moves old-style tone marks (``hoá`` -> ``hóa``); ``ru`` maps ``ё`` to ``е``.
    """
    out = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if lang == "vi":
        out = _VI_OLD_TONE.sub(lambda m: _VI_TONE_MOVE[m.group(1)], out)
    elif lang == "ru":
        out = out.replace("ё", "е")
    return out


# ---------------------------------------------------------------------------------------
# Term patterns
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pattern:
    concept: str
    term: str
    words: tuple[tuple[str, bool], ...]  # (key, is_prefix)
    gap: int
    exclude: bool = False


def _parse_words(term: str, lang: str) -> tuple[tuple[str, bool], ...]:
    words = []
    for raw in fold(unicodedata.normalize("NFC", term), lang).split():
        prefix = raw.endswith("*")
        base = raw.rstrip("*")
        if lang == "ru" and not prefix:
            base = ru_lemma(base)
        words.append((base, prefix))
    return tuple(words)


def _split_term_words(term: str) -> list[str]:
    """Words of a vi/ru/en term: punctuation between words is ignored like in the text."""
    return re.findall(r"\w+\*?", term)


class _WordMatcher:
    """Match word sequences (vi, en: word forms; ru: lemmas) in a sentence."""

    def __init__(self, patterns: list[_Pattern], lang: str):
        self.lang = lang
        self.by_first: dict[str, list[_Pattern]] = {}
        self.prefixed: list[_Pattern] = []
        for p in patterns:
            key, is_prefix = p.words[0]
            if is_prefix:
                self.prefixed.append(p)
            else:
                self.by_first.setdefault(key, []).append(p)

    def _keys(self, folded: str) -> tuple[list[tuple[int, int]], list[str], list[str]]:
        spans, forms = [], []
        for m in _WORD.finditer(folded):
            spans.append(m.span())
            forms.append(m.group())
        lemmas = [ru_lemma(w) for w in forms] if self.lang == "ru" else forms
        return spans, forms, lemmas

    @staticmethod
    def _eq(i: int, key: str, is_prefix: bool, forms: list[str], lemmas: list[str]) -> bool:
        if is_prefix:
            return forms[i].startswith(key) or lemmas[i].startswith(key)
        return lemmas[i] == key or forms[i] == key

    def find(self, folded: str) -> Iterator[tuple[_Pattern, int, int]]:
        spans, forms, lemmas = self._keys(folded)
        n = len(forms)
        for i in range(n):
            cands = self.by_first.get(lemmas[i], [])
            if self.lang == "ru" and forms[i] != lemmas[i]:
                cands = cands + self.by_first.get(forms[i], [])
            for p in list(cands) + [q for q in self.prefixed if self._eq(i, *q.words[0], forms, lemmas)]:
                j, ok = i, True
                for key, is_prefix in p.words[1:]:
                    for k in range(j + 1, min(n, j + 2 + p.gap)):
                        if self._eq(k, key, is_prefix, forms, lemmas):
                            j = k
                            break
                    else:
                        ok = False
                        break
                if ok:
                    yield p, spans[i][0], spans[j][1]


class _CharMatcher:
    """Match Chinese terms as substrings (with optional character gaps)."""

    def __init__(self, patterns: list[_Pattern]):
        self.regexes = []
        for p in patterns:
            parts = [re.escape(k) for k, _ in p.words]
            glue = f".{{0,{p.gap}}}?" if p.gap else ""
            self.regexes.append((p, re.compile(glue.join(parts), re.S)))

    def find(self, folded: str) -> Iterator[tuple[_Pattern, int, int]]:
        for p, rx in self.regexes:
            for m in rx.finditer(folded):
                yield p, m.start(), m.end()


def _resolve(found: Iterable[tuple[_Pattern, int, int]]) -> list[Hit]:
    """Return one hit per mention: overlapping hits of a concept merged, excluded spans dropped."""
    hits, blocked = [], {}
    for p, a, b in found:
        if p.exclude:
            blocked.setdefault(p.concept, []).append((a, b))
        else:
            hits.append(Hit(p.concept, p.term, a, b))
    if blocked:
        hits = [h for h in hits if not any(a < h.end and h.start < b for a, b in blocked.get(h.concept, ()))]
    kept: dict[str, list[Hit]] = {}
    for h in sorted(hits, key=lambda h: (h.concept, h.start, -(h.end - h.start), h.term)):
        same = kept.setdefault(h.concept, [])
        if same and h.start < same[-1].end:
            # overlapping matches of one concept are one mention: widen it, keep its first term
            if h.end > same[-1].end:
                same[-1] = same[-1]._replace(end=h.end)
        else:
            same.append(h)
    return sorted((h for hs in kept.values() for h in hs), key=lambda h: (h.start, h.concept))


# ---------------------------------------------------------------------------------------
# The lexicon
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    """A concept lexicon: one row per (concept, language, term).

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``concept, theme, label_en, lang, term, match, source, note, line``
        (``line`` is the line of the row in the file, for error messages and audits).
    version : str
        The file's ``# version:`` header.
    path : str
        Where the lexicon was read from (``<memory>`` when built in code).
    """

    table: pd.DataFrame
    version: str = "unversioned"
    path: str = "<memory>"
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    # -- views ------------------------------------------------------------------------
    @property
    def concepts(self) -> pd.DataFrame:
        """Return one row per concept (``concept, theme, label_en``) in file order."""
        cols = ["concept", "theme", "label_en"]
        return self.table.drop_duplicates("concept")[cols].reset_index(drop=True)

    @property
    def langs(self) -> list[str]:
        """Return the languages the lexicon has terms for."""
        return sorted(self.table["lang"].unique())

    def terms(self, lang: str | None = None, *, exclusions: bool = False) -> pd.DataFrame:
        """Return the counted term rows (and the exclude rows if asked), optionally of one language."""
        t = self.table if lang is None else self.table[self.table["lang"] == lang]
        if not exclusions:
            t = t[~t["match"].str.startswith("exclude")]
        return t.reset_index(drop=True)

    def select(self, concepts=None, themes=None, langs=None) -> "Lexicon":
        """Return a new lexicon restricted to some concepts, themes or languages."""
        t = self.table
        for col, values in (("concept", concepts), ("theme", themes), ("lang", langs)):
            if values is not None:
                values = [values] if isinstance(values, str) else list(values)
                t = t[t[col].isin(values)]
        return Lexicon(t.reset_index(drop=True), self.version, self.path)

    def __len__(self) -> int:
        return len(self.table)

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_terms(cls, terms, langs: Iterable[str] = LEXICON_LANGS, match: str = "phrase") -> "Lexicon":
        """Build an ad-hoc lexicon from terms, for :func:`corpuslib.analysis.compare.kwic`.

        Parameters
        ----------
        terms : str, list of str or dict
            A term, a list of terms (each its own concept) or ``{concept: [terms]}``.
            Terms without a language are matched in every language of ``langs``, by the
            rules of that language.
        langs : iterable of str
            Languages to match the terms in.
        match : str
            ``phrase`` or ``nearN``.
        """
        if isinstance(terms, str):
            terms = [terms]
        if not isinstance(terms, dict):
            terms = {t: [t] for t in terms}
        rows = []
        for concept, ts in terms.items():
            for t in [ts] if isinstance(ts, str) else ts:
                for lang in langs:
                    rows.append(dict(concept=concept, theme="", label_en=concept, lang=lang,
                                     term=t, match=match, source="user", note="", line=0))
        table = pd.DataFrame(rows, columns=[*LEXICON_COLUMNS, "line"])
        for i, r in table.iterrows():
            _check_term(r["term"], r["lang"], r["match"], "<memory>", i + 1)
        return cls(table)

    # -- matching ---------------------------------------------------------------------
    def _matcher(self, lang: str):
        if lang not in self._cache:
            patterns = []
            for r in self.table[self.table["lang"] == lang].itertuples(index=False):
                gap = int(re.sub(r"\D", "", r.match) or 0)
                if lang == "zh":
                    words = tuple((fold(w, lang), False) for w in unicodedata.normalize("NFC", r.term).split())
                    if not gap:
                        words = (("".join(w for w, _ in words), False),)
                else:
                    words = _parse_words(" ".join(_split_term_words(r.term)), lang)
                patterns.append(_Pattern(r.concept, r.term, words, gap, r.match.startswith("exclude")))
            if not patterns:
                self._cache[lang] = None
            elif lang == "zh":
                self._cache[lang] = _CharMatcher(patterns)
            else:
                self._cache[lang] = _WordMatcher(patterns, lang)
        return self._cache[lang]

    def find(self, text: str, lang: str) -> list[Hit]:
        """Return the concept hits in one sentence (or any span) of ``text``.

        Offsets refer to ``text`` in NFC; call :func:`sentence_spans` first to match
        sentence by sentence, as :func:`find_concepts` does.
        """
        lang = base_language(lang)
        matcher = self._matcher(lang) if lang in LEXICON_LANGS else None
        if matcher is None or not isinstance(text, str) or not text:
            return []
        return _resolve(matcher.find(fold(unicodedata.normalize("NFC", text), lang)))


def _check_term(term: str, lang: str, match: str, path, line: int) -> None:
    if not term or not term.strip():
        raise LexiconError(f"{path}:{line}: empty term")
    if not _MATCH.match(match):
        raise LexiconError(f"{path}:{line}: match must be phrase, nearN, exclude or excludeN (N a number), "
                           f"got {match!r}")
    if lang == "zh":
        if "*" in term:
            raise LexiconError(f"{path}:{line}: '*' stems are not used in Chinese terms: {term!r}")
        return
    words = _split_term_words(term)
    if not words:
        raise LexiconError(f"{path}:{line}: term {term!r} has no words")
    leftover = re.sub(r"[\w*]+", "", term)
    if re.search(r"[^\s,.;:\-–/()'’&]", leftover):
        raise LexiconError(f"{path}:{line}: term {term!r} has characters that cannot match a word")
    if re.search(r"\*(?=\w)|(?<!\w)\*", term):
        raise LexiconError(f"{path}:{line}: '*' may only end a word, got {term!r}")
    for w in words:
        if not _TERM_WORD.match(w):
            raise LexiconError(f"{path}:{line}: '*' may only end a word, got {w!r} in {term!r}")
    if re.search(r"\d", match) and len(words) < 2:
        raise LexiconError(f"{path}:{line}: a {match} match needs at least two words: {term!r}")


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon file.

    Parameters
    ----------
    path : str or Path, optional
        A CSV file in the lexicon format (see the module docstring); default: the
        lexicon shipped with corpuslib (``corpuslib/data/reform_lexicon.csv``).

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        When the file is malformed; the message starts with ``<file>:<line>:``.
    """
    if path is None:
        from corpuslib.core.paths import package_data

        path = package_data(DEFAULT_LEXICON)
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LexiconError(f"{path}:{line}: not UTF-8") from exc
    lines = text.splitlines()

    version = "unversioned"
    header_line = None
    for i, line in enumerate(lines, start=1):
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            m = re.match(r"#\s*version\s*:\s*(\S+)", s, re.I)
            if m:
                version = m.group(1)
            continue
        header_line = i
        break
    if header_line is None:
        raise LexiconError(f"{path}:1: no header row")

    reader = csv.reader(lines[header_line - 1:])
    header = [h.strip() for h in next(reader)]
    missing = [c for c in LEXICON_COLUMNS if c not in header]
    if missing:
        raise LexiconError(f"{path}:{header_line}: header lacks column(s) {', '.join(missing)}")

    rows, seen, concept_meta = [], {}, {}
    for offset, rec in enumerate(reader):
        line = header_line + 1 + offset
        if not rec or all(not c.strip() for c in rec) or rec[0].lstrip().startswith("#"):
            continue
        if len(rec) != len(header):
            raise LexiconError(f"{path}:{line}: expected {len(header)} fields, found {len(rec)} "
                               "(quote fields that contain commas)")
        r = {h: v.strip() for h, v in zip(header, rec)}
        r["term"] = unicodedata.normalize("NFC", r["term"])
        if not _CONCEPT_ID.match(r["concept"]):
            raise LexiconError(f"{path}:{line}: concept must be a lower_snake_case id, got {r['concept']!r}")
        if r["lang"] not in LEXICON_LANGS:
            raise LexiconError(f"{path}:{line}: lang must be one of {', '.join(LEXICON_LANGS)}, got {r['lang']!r}")
        if not r["source"]:
            raise LexiconError(f"{path}:{line}: empty source (say where the term was found)")
        _check_term(r["term"], r["lang"], r["match"], path, line)
        # theme and label may be left blank after a concept's first row
        meta = concept_meta.setdefault(r["concept"], {"theme": r["theme"], "label_en": r["label_en"], "line": line})
        for col in ("theme", "label_en"):
            if not meta[col]:
                raise LexiconError(f"{path}:{meta['line']}: concept {r['concept']!r} needs a {col} on its first row")
            if r[col] and r[col] != meta[col]:
                raise LexiconError(f"{path}:{line}: {col} {r[col]!r} contradicts {meta[col]!r} "
                                   f"given for {r['concept']!r} on line {meta['line']}")
            r[col] = meta[col]
        key = (r["concept"], r["lang"], fold(r["term"], r["lang"]))
        if key in seen:
            raise LexiconError(f"{path}:{line}: duplicate term {r['term']!r} ({r['lang']}) of "
                               f"{r['concept']!r}, first on line {seen[key]}")
        seen[key] = line
        r["line"] = line
        rows.append(r)
    if not rows:
        raise LexiconError(f"{path}:{header_line}: no terms")
    counted = {r["concept"] for r in rows if not r["match"].startswith("exclude")}
    for r in rows:
        if r["concept"] not in counted:
            raise LexiconError(f"{path}:{r['line']}: concept {r['concept']!r} has only exclude rows")
    table = pd.DataFrame(rows)
    extra = [c for c in table.columns if c not in LEXICON_COLUMNS and c != "line"]
    table = table[[*LEXICON_COLUMNS, *extra, "line"]]
    return Lexicon(table, version, str(path))


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------
def _fields(doc, include_title: bool) -> list[tuple[str, str]]:
    text = doc.get("text")
    text = unicodedata.normalize("NFC", text) if isinstance(text, str) else ""
    out = []
    title = doc.get("title") if include_title else None
    if isinstance(title, str) and title.strip():
        title = unicodedata.normalize("NFC", title.strip())
        # the loader may keep the headline as the body's first line: do not count it twice
        if title not in text:
            out.append(("title", title))
    out.append(("text", text))
    return out


def sentence_table(documents: pd.DataFrame, *, include_title: bool = True) -> pd.DataFrame:
    """Return one row per sentence of each document.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``, ``lang``, ``text``; ``title`` is used when present.
    include_title : bool
        Treat the title as the document's first sentence(s) unless the body contains it.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, lang, field, sentence, start, end, text`` (``sentence`` numbers the
        sentences of a document from 0, title first; offsets are within ``field``).
    """
    rows = []
    for doc in documents.to_dict("records"):
        lang = base_language(doc.get("lang"))
        n = 0
        for fname, ftext in _fields(doc, include_title):
            for a, b in sentence_spans(ftext, lang):
                rows.append((doc["doc_id"], lang, fname, n, a, b, ftext[a:b]))
                n += 1
    return pd.DataFrame(rows, columns=["doc_id", "lang", "field", "sentence", "start", "end", "text"])


HIT_COLUMNS = ["doc_id", "lang", "field", "sentence", "concept", "term", "start", "end", "match"]


def find_concepts(documents: pd.DataFrame, lexicon: Lexicon, *, include_title: bool = True) -> pd.DataFrame:
    """Return every match of the lexicon's concepts in the documents, sentence by sentence.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``, ``lang``, ``text``; ``title`` is used when present. Each
        document is matched with the terms of its own language.
    lexicon : Lexicon
    include_title : bool
        Also match the title (unless the body already contains it).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, lang, field, sentence, concept, term, start, end, match``: one row per
        hit; ``start``/``end`` are offsets in ``field`` (``title`` or ``text``) and
        ``match`` is the matched span as written.
    """
    rows = []
    for doc in documents.to_dict("records"):
        lang = base_language(doc.get("lang"))
        if lang not in LEXICON_LANGS or lexicon._matcher(lang) is None:
            continue
        n = 0
        for fname, ftext in _fields(doc, include_title):
            for a, b in sentence_spans(ftext, lang):
                for h in lexicon.find(ftext[a:b], lang):
                    rows.append((doc["doc_id"], lang, fname, n, h.concept, h.term,
                                 a + h.start, a + h.end, ftext[a + h.start:a + h.end]))
                n += 1
    return pd.DataFrame(rows, columns=HIT_COLUMNS)
