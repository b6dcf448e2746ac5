"""Notebook parameters: what each notebook declares, and the constraints declared for each name.

A notebook declares its parameters in the cell tagged ``parameters``: one literal per line, with a
type annotation and a comment (the help text); :func:`declared_parameters` reads them with
papermill's inspector. What a value may be is declared here, once per parameter name, in
:data:`CONSTRAINTS` (as scikit-learn's ``_parameter_constraints``): a name means the same in every
notebook. :func:`validate` checks the values of a run against them before anything runs and
returns each notebook's effective parameters; :func:`format_help` lists them for
``corpuslib run --help-params``.

Adding a parameter to a notebook takes one line here, e.g.::

    "n_boot": Interval(int, 100, 100_000),          # bootstrap resamples of the intervals

A notebook parameter with no line here is a test failure (``tests/run/test_params.py``); at run
time it is checked against its annotation only.
"""
from __future__ import annotations

import ast
import datetime as _dt
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

#: Parameters the run itself sets in every notebook (``--out``); users cannot pass them.
RUN_SET = ("out_dir", "documents")
#: Largest params file read (bytes): a parameters file is a few lines.
MAX_PARAMS_BYTES = 1 << 20
#: Largest seed (numpy's ``RandomState`` takes 0 .. 2**32 - 1).
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class Parameter:
    """One declared notebook parameter."""

    notebook: str
    name: str
    type: str
    default: object
    default_text: str
    help: str


class ParameterError(ValueError):
    """Parameters that do not fit the notebooks; one line per problem, each naming parameter and notebook."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        if len(problems) == 1:
            super().__init__(f"invalid parameter: {problems[0]}")
        else:
            super().__init__(f"{len(problems)} invalid parameters:\n  " + "\n  ".join(problems))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value) -> str:
    return f"{type(value).__name__} {_short(value)}"


def _short(value, n: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------------------------
# Constraints
# --------------------------------------------------------------------------------------------


class Constraint:
    """What one parameter's value may be: :meth:`check` returns it fitted or raises ``ValueError``.

    ``types`` are the annotations a notebook may give the parameter (checked by the tests);
    ``needs`` names parameters of the same notebook the check reads (checked first).
    """

    types: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()

    def check(self, value, *, root=None, values: dict | None = None):  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return ""


class Interval(Constraint):
    """An int (or float) in ``[low, high]``."""

    def __init__(self, kind: type, low: float, high: float):
        self.kind, self.low, self.high = kind, low, high
        self.types = (kind.__name__,)

    def check(self, value, *, root=None, values=None):
        if self.kind is float and _is_int(value):
            value = float(value)
        if not (_is_int(value) if self.kind is int else isinstance(value, float)):
            raise ValueError(f"must be {'an int' if self.kind is int else 'a number'}, not {_kind(value)}")
        if not self.low <= value <= self.high:
            raise ValueError(f"must be in [{self.low}, {self.high}], not {_short(value)}")
        return value

    def describe(self) -> str:
        return f"{self.low}..{self.high}"


class Flag(Constraint):
    """``True`` or ``False``."""

    types = ("bool",)

    def check(self, value, *, root=None, values=None):
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {_kind(value)}")
        return value


def _as_text(value):
    # -p period 2020 reads as a YAML int: a number given for a string is its text
    return str(value) if _is_int(value) or isinstance(value, float) else value


class Text(Constraint):
    """A string of ``min_len`` to ``max_len`` characters."""

    types = ("str",)

    def __init__(self, min_len: int = 0, max_len: int = 1000):
        self.min_len, self.max_len = min_len, max_len

    def check(self, value, *, root=None, values=None):
        value = _as_text(value)
        if not isinstance(value, str):
            raise ValueError(f"must be a string, not {_kind(value)}")
        if not self.min_len <= len(value) <= self.max_len:
            raise ValueError(f"must have {self.min_len} to {self.max_len} characters, not {len(value)}")
        return value


class Options(Constraint):
    """One of a few strings; ``values`` may be a function returning them (read when first needed)."""

    types = ("str",)

    def __init__(self, *values: str | Callable[[], Iterable[str]]):
        self._values = values

    @property
    def values(self) -> tuple[str, ...]:
        if len(self._values) == 1 and callable(self._values[0]):
            return tuple(self._values[0]())
        return tuple(self._values)

    def check(self, value, *, root=None, values=None):
        value = _as_text(value)
        if not isinstance(value, str) or value not in self.values:
            raise ValueError(f"must be one of {', '.join(map(repr, self.values))}, not {_short(value)}")
        return value

    def describe(self) -> str:
        return "one of " + "|".join(self.values)


class IsoDate(Constraint):
    """A date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``""`` for none); a YAML date is taken as it is."""

    types = ("str",)

    def check(self, value, *, root=None, values=None):
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):  # -p date_from 2024-03-01 reads as a YAML date
            return value.isoformat()
        value = _as_text(value)
        if not isinstance(value, str):
            raise ValueError(f"must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {_kind(value)}")
        if value and not _iso_date(value):
            raise ValueError(f"must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {_short(value)}")
        return value

    def describe(self) -> str:
        return "YYYY[-MM[-DD]]"


def _iso_date(text: str) -> bool:
    for fmt, pattern in (("%Y-%m-%d", r"\d{4}-\d{2}-\d{2}"), ("%Y-%m", r"\d{4}-\d{2}"), ("%Y", r"\d{4}")):
        if re.fullmatch(pattern, text):
            try:
                _dt.datetime.strptime(text, fmt)
                return True
            except ValueError:
                return False
    return False


class InputPath(Constraint):
    """A file or folder that must exist when given (``""`` means the notebook's default)."""

    types = ("str",)

    def check(self, value, *, root=None, values=None):
        from ..core.paths import resolve

        value = Text(max_len=4096).check(value)
        if value and not os.path.exists(resolve(value, root)):
            raise ValueError(f"no such file or folder: {value} (relative paths resolve from the project root)")
        return value

    def describe(self) -> str:
        return "must exist if given"


class LexiconFile(InputPath):
    """A concept lexicon CSV (``""`` for the shipped one): a regular file that reads as a lexicon."""

    #: Larger files are not lexicons (the shipped one is 60 kB).
    MAX_BYTES = 20 << 20

    def check(self, value, *, root=None, values=None):
        from ..core.paths import resolve
        from ..text.lexicon import LexiconError, load_lexicon

        value = super().check(value, root=root)
        if not value:
            return value
        path = resolve(value, root)
        if not path.is_file():
            raise ValueError(f"{value} is not a regular file (a lexicon is a CSV file)")
        if path.stat().st_size > self.MAX_BYTES:
            raise ValueError(f"{value} is {path.stat().st_size} bytes, too large for a lexicon")
        try:
            load_lexicon(path)
        except LexiconError as exc:
            raise ValueError(f"not a lexicon: {exc}") from None
        return value

    def describe(self) -> str:
        return "a lexicon CSV if given"


class ListOf(Constraint):
    """A list of ``min_len`` to ``max_len`` items, each fitting ``item``."""

    types = ("list",)

    def __init__(self, item: Constraint, min_len: int = 0, max_len: int = 1000):
        self.item, self.min_len, self.max_len = item, min_len, max_len
        self.needs = item.needs

    def check(self, value, *, root=None, values=None):
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, list):
            raise ValueError(f"must be a list, not {_kind(value)}")
        if not self.min_len <= len(value) <= self.max_len:
            raise ValueError(f"must hold {self.min_len} to {self.max_len} items, not {len(value)}")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(self.item.check(v, root=root, values=values))
            except ValueError as exc:
                raise ValueError(f"item {i}: {exc}") from None
        return out

    def describe(self) -> str:
        inner = self.item.describe()
        return f"list of {self.min_len}..{self.max_len}" + (f", each {inner}" if inner else "")


class MappingOf(Constraint):
    """A mapping of at most ``max_len`` entries, keys fitting ``key`` and values ``value``."""

    types = ("dict",)

    def __init__(self, key: Constraint, value: Constraint, max_len: int = 1000):
        self.key, self.value, self.max_len = key, value, max_len

    def check(self, value, *, root=None, values=None):
        if not isinstance(value, dict):
            raise ValueError(f"must be a mapping, not {_kind(value)}")
        if len(value) > self.max_len:
            raise ValueError(f"must hold at most {self.max_len} entries, not {len(value)}")
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(f"keys must be strings, not {_kind(k)}")
            try:
                out[self.key.check(k, root=root, values=values)] = self.value.check(v, root=root, values=values)
            except ValueError as exc:
                raise ValueError(f"{k!r}: {exc}") from None
        return out


class ColumnMap(Constraint):
    """Table columns by role (``{"text": "body"}``): roles among the readers' fields, names non-empty."""

    types = ("dict",)

    def check(self, value, *, root=None, values=None):
        from ..documents.readers import FIELDS

        if isinstance(value, dict):
            unknown = sorted(map(str, set(value) - set(FIELDS)))
            if unknown:
                raise ValueError(f"unknown column roles {unknown}; the roles are {', '.join(FIELDS)}")
        return MappingOf(Text(), Text(min_len=1, max_len=500), max_len=len(FIELDS)).check(value)

    def describe(self) -> str:
        return "role -> column"


class DocumentColumn(Options):
    """A column of the documents table (:data:`corpuslib.core.schema.DOCUMENT_COLUMNS`), or one of ``extra``."""

    def __init__(self, *extra: str):
        from ..core.schema import DOCUMENT_COLUMNS

        self.extra = tuple(extra)
        super().__init__(lambda: tuple(DOCUMENT_COLUMNS) + self.extra)

    def check(self, value, *, root=None, values=None):
        value = _as_text(value)
        if not isinstance(value, str) or value not in self.values:
            raise ValueError(f"no column {_short(value)} in the documents table; its columns are "
                             f"{', '.join(self.values)}")
        return value

    def describe(self) -> str:
        return "a documents column"


class ConceptId(Text):
    """The id of a concept in the notebook's lexicon (its ``lexicon`` parameter, or the shipped one)."""

    needs = ("lexicon",)

    def check(self, value, *, root=None, values=None):
        value = super().check(value)
        known = _concept_ids((values or {}).get("lexicon") or "", root)
        if known and value not in known:  # (an unreadable lexicon reports its own problem)
            raise ValueError(f"no concept {value!r} in the lexicon; known: {', '.join(sorted(known))}")
        return value

    def describe(self) -> str:
        return "a concept id of the lexicon"


def _concept_ids(lexicon: str, root) -> frozenset:
    from ..core.paths import package_data, resolve
    from ..text.lexicon import DEFAULT_LEXICON

    path = resolve(lexicon, root) if lexicon else package_data(DEFAULT_LEXICON)
    try:
        st = path.stat()
    except OSError:
        return frozenset()  # the lexicon parameter reports its own problem
    return _concept_ids_of(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _concept_ids_of(path: str, size: int, mtime_ns: int) -> frozenset:
    from ..text.lexicon import load_lexicon

    try:
        return frozenset(load_lexicon(path).concepts["concept"])
    except (ValueError, OSError):
        return frozenset()


class SetByRun(Constraint):
    """Set by ``corpuslib run`` itself (``--out``); refused from the user."""

    types = ("str",)

    def check(self, value, *, root=None, values=None):
        raise ValueError("set by the run itself (use --out to choose the output folder)")

    def describe(self) -> str:
        return "set by the run"


def _event_kinds():
    from ..analysis.timeline import KINDS

    return KINDS


#: The constraint of every notebook parameter, by name; a name means the same in every notebook.
CONSTRAINTS: dict[str, Constraint] = {
    # shared names
    "corpus": InputPath(),
    "documents": SetByRun(),
    "out_dir": SetByRun(),
    "random_state": Interval(int, 0, MAX_SEED),
    "n_topics": Interval(int, 0, 500),                 # 0: chosen from k_grid
    "group_by": DocumentColumn(),
    "period": Options("M", "Q", "Y"),
    "lexicon": LexiconFile(),
    "date_from": IsoDate(),
    "date_to": IsoDate(),
    "top_n": Interval(int, 1, 1000),
    # 01-build-documents
    "columns": ColumnMap(),
    "min_chars": Interval(int, 0, 1_000_000),
    "tone_style": Options("new", "old", "none"),         # "none": tone marks left where written
    "drop_near_duplicates": Flag(),                   # near-duplicates to rejected.csv instead of flagged
    # 02-fit-topics
    "k_grid": ListOf(Interval(int, 2, 500), min_len=1, max_len=50),
    "k_seeds": ListOf(Interval(int, 0, MAX_SEED), min_len=1, max_len=50),
    "min_docs_for_grid": Interval(int, 1, 10**9),
    "method": Options("nmf", "lda", "kmeans"),
    "by": Options("auto", "lang", "all"),
    "cross_lingual": Flag(),
    "seed_words": MappingOf(Text(min_len=1, max_len=200), ListOf(Text(min_len=1, max_len=200), min_len=1)),
    "prevalence_value": Options("share", "weight"),
    "ci": Interval(float, 0.5, 0.999),                # level of the intervals (0.95: 95 %)
    "n_resamples": Interval(int, 50, 10_000),          # document resamples per fit of the topic effects
    "n_refits": Interval(int, 1, 20),                  # fits of the topic model behind the topic effects
    "min_docs": Interval(int, 1, 10**9),               # 02 and 03: smaller groups are left out (noted), never ranked
    # 03-compare-term-frequencies
    "groups": ListOf(Text(min_len=1, max_len=500), max_len=2),
    "concepts": ListOf(ConceptId(min_len=1, max_len=200)),
    "kwic_window": Interval(int, 1, 200),
    "kwic_concepts": ListOf(ConceptId(min_len=1, max_len=200)),
    "measure": Options("logodds", "g2"),
    "explorer_by": DocumentColumn("", "period"),       # "": group_by
    "explorer_groups": ListOf(Text(min_len=1, max_len=500), max_len=2),
    "explorer_top_n": Interval(int, 1, 5000),
    "explorer_lines": Interval(int, 1, 200),
    # 04-build-timeline
    "kinds": ListOf(Options(_event_kinds)),
    "lanes": Options("outlet", "kind"),
    "max_events": Interval(int, 1, 10_000),
    "timeline_top_n": Interval(int, 0, 100_000),     # 0: every event
}


# --------------------------------------------------------------------------------------------
# What the notebooks declare
# --------------------------------------------------------------------------------------------


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def _inspect(path: Path) -> dict[str, dict]:
    """papermill's view of a notebook's parameters cell, cached by the notebook's bytes.

    papermill (and nbformat under it) takes seconds to import; a rerun that reuses every
    notebook should not pay that just to read six lines. The cached entry carries the sha256 of
    its content and is used only when that matches (else read again).
    """
    from ..core.paths import cache_dir

    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = cache_dir() / "params" / f"{digest}.json"
    try:
        entry = json.loads(cached.read_text(encoding="utf-8"))
        body = json.dumps(entry["found"], sort_keys=True, ensure_ascii=False)
        if entry["sha256"] == hashlib.sha256(body.encode("utf-8")).hexdigest():
            return entry["found"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    import papermill as pm

    found = {
        name: {"type": p["inferred_type_name"], "default": p["default"], "help": p["help"]}
        for name, p in pm.inspect_notebook(str(path)).items()
    }
    body = json.dumps(found, sort_keys=True, ensure_ascii=False)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(), "found": found},
                                  ensure_ascii=False), encoding="utf-8")
        tmp.replace(cached)
    except OSError:  # a read-only cache only costs time
        pass
    return found


def notebook_parameters(path: str | os.PathLike) -> dict[str, Parameter]:
    """Return the parameters a notebook declares, by name, in the order of its parameters cell."""
    path = Path(path)
    return {
        name: Parameter(path.name, name, p["type"] or "", _literal(p["default"]), p["default"], p["help"] or "")
        for name, p in _inspect(path).items()
    }


def declared_parameters(notebooks: list[Path]) -> dict[str, dict[str, Parameter]]:
    """Return ``{notebook file name: {parameter name: Parameter}}`` for the notebooks of a run."""
    return {Path(nb).name: notebook_parameters(nb) for nb in notebooks}


def annotation_types(type_text: str) -> list[str] | None:
    """Split an annotation into base type names (``"int | None"`` -> ``["int", "none"]``); None means any."""
    text = type_text.strip().replace("typing.", "")
    if text.lower() in ("", "any", "object"):
        return None
    m = re.fullmatch(r"Optional\[(.*)\]", text)
    if m:
        text = m.group(1) + " | None"
    m = re.fullmatch(r"Union\[(.*)\]", text)
    if m:
        text = m.group(1).replace(",", "|")
    out = []
    for part in text.split("|"):
        base = re.sub(r"\[.*$", "", part.strip()).lower()  # list[str] -> list
        if base not in _TYPES:
            return None  # an annotation we do not know: do not second-guess it
        out.append("none" if base == "nonetype" else base)
    return out


_TYPES = {
    "str": str, "int": int, "float": float, "bool": bool, "dict": dict, "list": list, "tuple": tuple,
    "none": type(None), "nonetype": type(None),
}


def _check_annotation(param: Parameter, value):
    """The check of a parameter no constraint is declared for: its annotation's type."""
    kinds = annotation_types(param.type)
    if kinds is None:
        return value
    for kind in kinds:
        want = _TYPES[kind]
        if want is int and _is_int(value) or want is bool and isinstance(value, bool):
            return value
        if want is float and (_is_int(value) or isinstance(value, float)):
            return float(value)
        if want in (list, tuple) and isinstance(value, (list, tuple)):
            return want(value)
        if want not in (int, bool, float, list, tuple) and isinstance(value, want):
            return value
    raise ValueError(f"must be {' or '.join(kinds)}, not {_kind(value)}")


def check(param: Parameter, value, *, root: str | os.PathLike | None = None, values: dict | None = None):
    """Return ``value`` fitted to ``param``, or raise ``ValueError`` saying what is wrong (without the name).

    The constraint declared for the name in :data:`CONSTRAINTS` decides; a parameter without one
    is checked against its annotation only.
    """
    constraint = CONSTRAINTS.get(param.name)
    if constraint is None:
        return _check_annotation(param, value)
    return constraint.check(value, root=root, values=values)


def validate(
    params: dict,
    declared: dict[str, dict[str, Parameter]],
    *,
    fixed: dict | None = None,
    root: str | os.PathLike | None = None,
) -> dict[str, dict]:
    """Check a run's parameters against the notebooks and return each notebook's effective parameters.

    Parameters
    ----------
    params : dict
        Values given by the user (``--params``, ``-p``, ``--corpus``), by name.
    declared : dict
        ``{notebook: {name: Parameter}}`` from :func:`declared_parameters`.
    fixed : dict, optional
        Values the run sets itself (``out_dir``, ``documents``); passed where declared, not checked.
    root : path, optional
        The project root that relative paths resolve from.

    Returns
    -------
    dict
        ``{notebook: {name: value}}``: every declared parameter, the given value or the default.

    Raises
    ------
    ParameterError
        Listing every problem, each with the parameter and the notebook(s) concerned: a name no
        notebook declares, a name the run sets itself, a value its constraint refuses.
    """
    import difflib

    fixed = dict(fixed or {})
    problems: list[str] = []
    bad_names = sorted(k for k in params if not isinstance(k, str))
    if bad_names:
        problems.append(f"parameter names must be strings, not {', '.join(map(_short, bad_names))}")
    params = {k: v for k, v in params.items() if isinstance(k, str)}
    known = sorted({name for d in declared.values() for name in d})
    unknown = sorted(set(params) - set(known) - set(RUN_SET))
    if unknown:
        hints = [f"{u} -> {m[0]}?" for u in unknown if (m := difflib.get_close_matches(u, known, n=1))]
        problems.append(
            f"unknown parameter(s) {unknown}; the notebooks declare {known}"
            + (f" (did you mean: {', '.join(hints)})" if hints else "")
        )
    for name in sorted(set(params) & set(RUN_SET)):
        problems.append(f"{name}: set by the run itself (use --out to choose the output folder)")
    bad: dict[tuple[str, str], list[str]] = {}  # (name, message) -> notebooks
    effective: dict[str, dict] = {}
    for nb, decl in declared.items():
        values = {name: fixed[name] if name in fixed else p.default for name, p in decl.items()}
        # parameters another one's check reads (the lexicon of concept ids) are checked first
        order = sorted(decl, key=lambda n: bool(getattr(CONSTRAINTS.get(n), "needs", ())))
        for name in order:
            needs = getattr(CONSTRAINTS.get(name), "needs", ())
            if name in fixed or name in RUN_SET:
                continue
            if name not in params and not set(needs) & set(params):
                continue  # a default, and nothing it depends on changed
            try:
                values[name] = check(decl[name], params.get(name, values[name]), root=root, values=values)
            except ValueError as exc:
                bad.setdefault((name, str(exc)), []).append(nb)
        effective[nb] = values
    for (name, message), nbs in bad.items():
        problems.append(f"{name} (in {', '.join(nbs)}): {message}")
    if problems:
        raise ParameterError(problems)
    return effective


def check_corpus_columns(effective: dict[str, dict], *, root: str | os.PathLike | None = None) -> None:
    """Refuse a column map naming a column the corpus tables lack, before any notebook runs.

    Raises
    ------
    ParameterError
        With the message of ``corpuslib ingest --column`` (the column, the file, the columns there).
    """
    from ..core.paths import resolve
    from ..documents.readers import check_columns

    problems = []
    for nb, values in effective.items():
        columns, corpus = values.get("columns"), values.get("corpus")
        if not columns or not isinstance(corpus, str) or not corpus:
            continue
        try:
            check_columns(resolve(corpus, root), columns)
        except (ValueError, OSError) as exc:
            problems.append(f"columns (in {nb}): {exc}")
    if problems:
        raise ParameterError(problems)


# --------------------------------------------------------------------------------------------
# Reading values: -p NAME VALUE and --params FILE.yaml
# --------------------------------------------------------------------------------------------


def _yaml_loader():
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """YAML without anchors and aliases: a few lines of aliases can expand to gigabytes."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in parameters",
                                                  mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


def parse_value(text: str):
    """Return the value of ``-p NAME VALUE``: YAML (``8``, ``[a, b]``, ``2024-03-01``), else the text itself."""
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader without aliases
    except (yaml.YAMLError, RecursionError):
        return text


def read_params_file(path: str | os.PathLike) -> dict:
    """Return the parameters of a YAML file (a mapping of name -> value).

    Raises
    ------
    ParameterError
        One line: the file cannot be read, is too large, is not UTF-8, not YAML (aliases are
        refused), or not a mapping.
    """
    import yaml

    where = f"--params {path}"
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_PARAMS_BYTES + 1)
    except OSError as exc:
        raise ParameterError([f"{where}: cannot read it ({exc.strerror})"]) from None
    if len(raw) > MAX_PARAMS_BYTES:
        raise ParameterError([f"{where}: larger than {MAX_PARAMS_BYTES} bytes; a parameters file is a few lines"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParameterError([f"{where}: not UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})"]) from None
    try:
        loaded = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader without aliases
    except yaml.YAMLError as exc:
        first = " ".join(str(exc).split())
        raise ParameterError([f"{where}: not valid YAML: {first}"]) from None
    except RecursionError:
        raise ParameterError([f"{where}: nested too deeply"]) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParameterError([f"{where}: must be a mapping of parameter -> value, not a {type(loaded).__name__}"])
    return loaded


# --------------------------------------------------------------------------------------------
# --help-params
# --------------------------------------------------------------------------------------------


def describe(param: Parameter) -> str:
    """Return the constraint note of a parameter for the help listing (``0..500``, ``one of ...``), or ''."""
    constraint = CONSTRAINTS.get(param.name)
    return constraint.describe() if constraint is not None else ""


def format_help(declared: dict[str, dict[str, Parameter]], *, width: int = 100) -> str:
    """Return the listing of ``corpuslib run --help-params``: every parameter, its type, default and help."""
    import textwrap

    lines = [
        "Notebook parameters (set with -p NAME VALUE, a YAML file --params, or --corpus).",
        "A name shared by several notebooks is set in all of them at once.",
    ]
    for nb, decl in declared.items():
        lines.append("")
        lines.append(nb)
        if not decl:
            lines.append("  (no parameters)")
            continue
        name_w = max(len(n) for n in decl)
        type_w = max(len(p.type or "any") for p in decl.values())
        for name, p in decl.items():
            note = describe(p)
            head = f"  {name:<{name_w}}  {p.type or 'any':<{type_w}}  = {p.default_text}"
            lines.append(head + (f"   [{note}]" if note else ""))
            indent = " " * (name_w + 4)
            lines.extend(textwrap.wrap(p.help, width=width, initial_indent=indent, subsequent_indent=indent) or [indent])
    return "\n".join(lines)
