"""Notebook parameters: what each notebook declares, checked before a run starts.

A notebook declares its parameters in the cell tagged ``parameters``: one literal per line, with a
type annotation and a comment (the help text). :func:`declared_parameters` reads them with
papermill's inspector, :func:`validate` checks the values of a run against them (type, range,
allowed values, paths that must exist) and returns each notebook's effective parameters, and
:func:`format_help` lists them for ``corpuslib run --help-params``.
"""
from __future__ import annotations

import ast
import datetime as _dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

#: Parameters the run itself sets in every notebook (``--out``); users cannot pass them.
RUN_SET = ("out_dir", "documents")
#: Parameters naming an input that must exist when not empty (relative to the project root).
MUST_EXIST = ("corpus", "lexicon")
#: Known lower bounds of shared names (inclusive).
MINIMUM = {"n_topics": 1, "random_state": 0, "min_chars": 0, "max_events": 1}
#: Known allowed values, where the help text does not list them.
CHOICES: dict[str, tuple] = {"tone_style": ("new", "old")}
#: Dates given as ISO prefixes: YYYY, YYYY-MM or YYYY-MM-DD.
ISO_DATES = ("date_from", "date_to")

_TYPES = {
    "str": str, "int": int, "float": float, "bool": bool, "dict": dict, "list": list, "tuple": tuple,
    "none": type(None), "nonetype": type(None),
}
_ANY = {"", "any", "object", "typing.any"}


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
        head = "invalid parameter" if len(problems) == 1 else f"{len(problems)} invalid parameters"
        super().__init__(head + ":\n  " + "\n  ".join(problems))


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def _inspect(path: Path) -> dict[str, dict]:
    """papermill's view of a notebook's parameters cell, cached by the notebook's bytes.

    papermill (and nbformat under it) takes seconds to import; a rerun that reuses every
    notebook should not pay that just to read six lines.
    """
    from ..core.paths import cache_dir

    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = cache_dir() / "params" / f"{digest}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import papermill as pm

    found = {
        name: {"type": p["inferred_type_name"], "default": p["default"], "help": p["help"]}
        for name, p in pm.inspect_notebook(str(path)).items()
    }
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
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


def _alternatives(type_text: str) -> list[str] | None:
    """Split an annotation into base type names (``"int | None"`` -> ``["int", "none"]``); None means any."""
    text = type_text.strip().replace("typing.", "")
    if text.lower() in _ANY:
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
        if base in _ANY:
            return None
        if base not in _TYPES:
            return None  # an annotation we do not know: do not second-guess it
        out.append(base)
    return out


def coerce(param: Parameter, value):
    """Return ``value`` fitted to the parameter's type, or raise ``TypeError`` saying what was expected.

    Numbers given for a string (``-p period 2020`` reads as YAML int) become strings, and ints
    become floats; nothing else is converted.
    """
    kinds = _alternatives(param.type)
    if kinds is None:
        return value
    for kind in kinds:
        want = _TYPES[kind]
        if want is bool:
            if isinstance(value, bool):
                return value
        elif want is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif want is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        elif want in (list, tuple):
            if isinstance(value, (list, tuple)):
                return want(value)
        elif isinstance(value, want):
            return value
    if "str" in kinds and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"must be {' or '.join(k if k != 'nonetype' else 'None' for k in kinds)}, not {type(value).__name__} {value!r}")


def minimum_of(param: Parameter) -> int | None:
    """Return the inclusive lower bound of a number parameter, when one is known.

    Known names (:data:`MINIMUM`) first; otherwise ints named ``n_*``, ``max_*`` or ``top_*`` must
    be at least 1 and ``min_*`` at least 0. The notebook's default wins over the rule: a default
    of 0 below the bound makes 0 the bound (``n_topics = 0`` choosing k itself, ``max_features =
    0`` for no limit), and a negative default (``n_jobs = -1``) leaves the parameter unbounded.
    """
    kinds = _alternatives(param.type) or []
    if not {"int", "float"} & set(kinds):
        return None
    bound = MINIMUM.get(param.name)
    if bound is None and "int" in kinds:
        if re.match(r"(n|max|top)_", param.name):
            bound = 1
        elif param.name.startswith("min_"):
            bound = 0
    default = param.default
    if bound is not None and isinstance(default, (int, float)) and not isinstance(default, bool) and default < bound:
        bound = 0 if default >= 0 else None
    return bound


# "a" (note) or "b" (note); "M" month, "Q" quarter, "Y" year
_OPTION_NOTE = r'(?:\s*\([^)]*\)|\s+(?!or\b)\w+)?'
_QUOTED_ALTERNATIVES = re.compile(
    r'"([^"]+)"' + _OPTION_NOTE + r'((?:\s*(?:,|,?\s*or)\s*"[^"]+"' + _OPTION_NOTE + r')+)')


def choices_of(param: Parameter) -> tuple | None:
    """Return the allowed values of a string parameter, when known.

    From :data:`CHOICES`, or from a help text that lists quoted alternatives (``"outlet" or
    "kind"``) among which the default is, unless the help marks them as examples (``e.g.``).
    """
    if param.name in CHOICES:
        return CHOICES[param.name]
    if not isinstance(param.default, str) or re.search(r"\be\.g\.|for example|such as", param.help):
        return None
    m = _QUOTED_ALTERNATIVES.search(param.help)
    if not m:
        return None
    values = (m.group(1), *re.findall(r'"([^"]+)"', m.group(2)))
    return values if param.default in values else None


def _iso_date(text: str) -> bool:
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            _dt.datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False


def check(param: Parameter, value, *, root: str | os.PathLike | None = None):
    """Return ``value`` fitted to ``param``, or raise ``ValueError`` saying what is wrong (without the name)."""
    from ..core.paths import resolve

    try:
        value = coerce(param, value)
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    lo = minimum_of(param)
    if lo is not None and isinstance(value, (int, float)) and not isinstance(value, bool) and value < lo:
        raise ValueError(f"must be >= {lo}, not {value!r}")
    options = choices_of(param)
    if options is not None and isinstance(value, str) and value not in options:
        raise ValueError(f"must be one of {', '.join(map(repr, options))}, not {value!r}")
    if param.name in MUST_EXIST and isinstance(value, str) and value:
        if not resolve(value, root).exists():
            raise ValueError(f"no such file or folder: {value} (relative paths resolve from the project root)")
    if param.name in ISO_DATES and isinstance(value, str) and value and not _iso_date(value):
        raise ValueError(f"must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    if param.name == "columns" and isinstance(value, dict):
        from ..documents.readers import FIELDS

        unknown = sorted(set(map(str, value)) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown column roles {unknown}; the roles are {', '.join(FIELDS)}")
    return value


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
        notebook declares, a name the run sets itself, a wrong type, a value out of range or not
        among the allowed ones, a path that does not exist.
    """
    import difflib

    fixed = dict(fixed or {})
    problems: list[str] = []
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
        values = {}
        for name, p in decl.items():
            if name in fixed:
                values[name] = fixed[name]
            elif name not in params or name in RUN_SET:
                values[name] = p.default
            else:
                try:
                    values[name] = check(p, params[name], root=root)
                except ValueError as exc:
                    bad.setdefault((name, str(exc)), []).append(nb)
        effective[nb] = values
    for (name, message), nbs in bad.items():
        problems.append(f"{name} (in {', '.join(nbs)}): {message}")
    if problems:
        raise ParameterError(problems)
    return effective


def describe(param: Parameter) -> str:
    """Return the constraint note of a parameter for the help listing (``>= 1``, ``one of ...``), or ''."""
    notes = []
    lo = minimum_of(param)
    if lo is not None:
        notes.append(f">= {lo}")
    options = choices_of(param)
    if options:
        notes.append("one of " + "|".join(options))
    if param.name in MUST_EXIST:
        notes.append("must exist if given")
    if param.name in ISO_DATES:
        notes.append("YYYY[-MM[-DD]]")
    if param.name in RUN_SET:
        notes.append("set by the run")
    return "; ".join(notes)


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
