"""Notebook parameters: read from the parameters cells, constraints declared per name, checked before a run."""
import datetime
import re

import nbformat
import pytest
from hypothesis import given, strategies as st

from corpuslib.run.cli import main
from corpuslib.run.params import (
    CONSTRAINTS,
    Interval,
    Parameter,
    ParameterError,
    annotation_types,
    check,
    declared_parameters,
    format_help,
    notebook_parameters,
    parse_value,
    read_params_file,
    validate,
)
from corpuslib.run.runner import list_notebooks, run_notebooks


def P(name, type_, default, help_="", notebook="02-fit-topics.ipynb"):
    return Parameter(notebook, name, type_, default, repr(default), help_)


@pytest.fixture(scope="module")
def declared(root):
    return declared_parameters(list_notebooks(root))


def test_every_notebook_parameter_is_read_with_type_default_and_help(declared, root):
    for path in list_notebooks(root):
        cell = next(c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
        names = [ln.split(":")[0].strip() for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
        params = declared[path.name]
        assert list(params) == names
        for p in params.values():
            assert p.type and p.help, f"{path.name}: {p.name} needs an annotation and a comment"
            line = next(ln for ln in cell.source.splitlines() if ln.startswith(p.name + ":"))
            assert p.type in line and p.default_text in line and p.help in line
    doc = declared["01-build-documents.ipynb"]
    assert (doc["min_chars"].type, doc["min_chars"].default) == ("int", 80)
    assert doc["columns"].default == {} and doc["corpus"].default == "data/raw"


def test_every_notebook_parameter_has_a_declared_constraint(declared):
    """A parameter added to a notebook needs its one line in corpuslib/run/params.py CONSTRAINTS."""
    missing = sorted({(nb, name) for nb, params in declared.items() for name in params if name not in CONSTRAINTS})
    assert not missing, (
        "notebook parameters without a declared constraint: "
        + ", ".join(f"{name} ({nb})" for nb, name in missing)
        + ". Add one line per name to CONSTRAINTS in corpuslib/run/params.py, e.g. "
        "\"n_boot\": Interval(int, 100, 100_000),  (see the README, 'Parameters')")


def test_each_constraint_fits_the_annotation_and_the_default(declared, root):
    for nb, params in declared.items():
        for name, p in params.items():
            constraint = CONSTRAINTS.get(name)
            if constraint is None:
                continue  # reported by the test above
            kinds = annotation_types(p.type) or []
            assert set(kinds) & set(constraint.types), f"{nb}: {name} is {p.type}, its constraint takes {constraint.types}"
            if name not in ("out_dir", "documents"):  # set by the run, refused from the user
                assert check(p, p.default, root=root, values={k: q.default for k, q in params.items()}) == p.default, \
                    f"{nb}: the default of {name} does not fit its own constraint"


def test_a_shared_name_means_the_same_in_every_notebook(declared):
    seen = {}
    for nb, params in declared.items():
        for name, p in params.items():
            seen.setdefault(name, set()).add(p.type)
    assert {name: types for name, types in seen.items() if len(types) > 1} == {}


def test_inspection_is_cached_by_notebook_bytes(tmp_path, root, monkeypatch):
    path = tmp_path / "01-x.ipynb"
    path.write_bytes((root / "notebooks" / "01-build-documents.ipynb").read_bytes())
    first = notebook_parameters(path)
    import papermill

    monkeypatch.setattr(papermill, "inspect_notebook", lambda *a, **k: pytest.fail("cache not used"))
    assert notebook_parameters(path) == first


def test_an_edited_inspection_cache_entry_is_read_again(tmp_path, root, monkeypatch):
    import hashlib
    import json

    from corpuslib.core.paths import cache_dir

    path = tmp_path / "01-y.ipynb"
    data = (root / "notebooks" / "01-build-documents.ipynb").read_bytes() + b"\n"
    path.write_bytes(data)
    first = notebook_parameters(path)
    entry = cache_dir() / "params" / f"{hashlib.sha256(data).hexdigest()}.json"
    cached = json.loads(entry.read_text(encoding="utf-8"))
    cached["found"]["min_chars"]["default"] = "0"  # edited, checksum left as it was
    entry.write_text(json.dumps(cached), encoding="utf-8")
    assert notebook_parameters(path) == first


@pytest.mark.parametrize(
    "name, type_, value, expected",
    [
        ("n_topics", "int", 12, 12),
        ("period", "str", 2020, None),                       # a number for a string is its text (then checked)
        ("groups", "list", ("Tuổi Trẻ", "Thanh Niên"), ["Tuổi Trẻ", "Thanh Niên"]),
        ("random_state", "int", 2**32 - 1, 2**32 - 1),
        ("date_from", "str", datetime.date(2024, 3, 1), "2024-03-01"),   # -p date_from 2024-03-01 is a YAML date
        ("date_to", "str", "2024-03", "2024-03"),
        ("date_to", "str", "", ""),
        ("lexicon", "str", "", ""),
        ("seed_words", "dict", {"tinh gọn": ["tinh gọn", "bộ máy"]}, {"tinh gọn": ["tinh gọn", "bộ máy"]}),
        ("columns", "dict", {"text": "body", "id": "key"}, {"text": "body", "id": "key"}),
        ("group_by", "str", "lang", "lang"),
        ("tone_style", "str", parse_value("none"), "none"),   # -p tone_style none: the string, not YAML null
        ("kwic_concepts", "list", ["apparatus_streamlining"], ["apparatus_streamlining"]),
        ("kinds", "list", ["plenum", "congress"], ["plenum", "congress"]),
        ("anything_new", "int | None", None, None),          # undeclared: its annotation decides
    ],
)
def test_values_that_fit(name, type_, value, expected):
    if expected is None and name == "period":
        with pytest.raises(ValueError, match="must be one of 'M', 'Q', 'Y', not '2020'"):
            check(P(name, type_, ""), value)
        return
    assert check(P(name, type_, None), value) == expected


@pytest.mark.parametrize(
    "name, type_, value, message",
    [
        # the values of the issue: refused before the first notebook
        ("random_state", "int", 2**40, "must be in [0, 4294967295], not 1099511627776"),
        ("top_n", "int", 10**9, "must be in [1, 1000], not 1000000000"),
        ("k_grid", "list", [], "must hold 1 to 50 items, not 0"),
        ("group_by", "str", "nosuchcol", "no column 'nosuchcol' in the documents table; its columns are doc_id, "),
        ("seed_words", "dict", {"t": 5}, "'t': must be a list, not int 5"),
        ("lexicon", "str", "/etc/passwd", "not a lexicon: /etc/passwd:1: header lacks column(s)"),
        ("lexicon", "str", "/dev/zero", "/dev/zero is not a regular file"),
        ("kwic_window", "int", -5, "must be in [1, 200], not -5"),
        ("date_from", "str", "2024-13-01", "must be a date YYYY, YYYY-MM or YYYY-MM-DD, not '2024-13-01'"),
        ("date_to", "str", "2024-2-30", "must be a date"),
        # and their kin
        ("n_topics", "int", "five", "must be an int, not str 'five'"),
        ("n_topics", "int", True, "must be an int, not bool True"),
        ("n_topics", "int", 2.5, "must be an int, not float 2.5"),
        ("min_chars", "int", -5, "must be in [0, 1000000], not -5"),
        ("kinds", "list", "plenum", "must be a list, not str 'plenum'"),
        ("kinds", "list", ["plenum", "picnic"], "item 1: must be one of 'plenum'"),
        ("columns", "dict", {"txt": "body"}, "unknown column roles ['txt']"),
        ("columns", "dict", {"text": ""}, "'text': must have 1 to 500 characters, not 0"),
        ("tone_style", "str", "neu", "must be one of 'new', 'old', 'none', not 'neu'"),
        ("lanes", "str", "date", "must be one of 'outlet', 'kind', not 'date'"),
        ("corpus", "str", "no/such/folder", "no such file or folder: no/such/folder"),
        ("groups", "list", ["a", "b", "c"], "must hold 0 to 2 items, not 3"),
        ("concepts", "list", ["no_such_concept"], "item 0: no concept 'no_such_concept' in the lexicon; known: "),
        ("cross_lingual", "bool", "yes", "must be true or false, not str 'yes'"),
        ("anything_new", "int", "x", "must be int, not str 'x'"),
    ],
)
def test_bad_values_say_what_was_expected(name, type_, value, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        check(P(name, type_, None), value)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_int_parameters_accept_exactly_the_ints_in_range(n):
    p = P("n_topics", "int", 10)
    if 0 <= n <= 500:
        assert check(p, n) == n
    else:
        with pytest.raises(ValueError, match=r"must be in \[0, 500\]"):
            check(p, n)


@given(st.one_of(st.text(max_size=20), st.booleans(), st.none(), st.floats(), st.lists(st.integers(), max_size=3)))
def test_int_parameters_refuse_everything_else(value):
    with pytest.raises(ValueError, match="must be an int"):
        check(P("n_topics", "int", 10), value)


def test_interval_bounds_are_inclusive():
    c = Interval(float, 0.5, 0.99)
    assert c.check(0.5) == 0.5 and c.check(1 - 0.01) == 0.99
    with pytest.raises(ValueError, match=r"must be in \[0.5, 0.99\], not 1"):
        c.check(1)


def test_validate_names_every_problem_with_parameter_and_notebook(declared):
    with pytest.raises(ParameterError) as info:
        validate({"min_chars": -1, "tone_style": "neu", "out_dir": "x", "min_char": 5, "max_events": 0}, declared)
    problems = info.value.problems
    text = str(info.value)
    assert "min_chars (in 01-build-documents.ipynb): must be in [0, 1000000], not -1" in problems
    assert "tone_style (in 01-build-documents.ipynb): must be one of 'new', 'old', 'none', not 'neu'" in problems
    assert "max_events (in 04-build-timeline.ipynb): must be in [1, 10000], not 0" in problems
    assert any(p.startswith("out_dir: set by the run itself") for p in problems)
    assert "unknown parameter(s) ['min_char']" in text and "min_char -> min_chars?" in text
    assert len(problems) == 5


def test_parameter_names_must_be_strings(declared):
    with pytest.raises(ParameterError, match="parameter names must be strings, not 1"):
        validate({1: 2}, declared)


def test_a_shared_parameter_is_reported_once_with_all_its_notebooks():
    declared = {
        nb: {"random_state": P("random_state", "int", 0, "seed", nb), "n_topics": P("n_topics", "int", 8, "k", nb)}
        for nb in ("02-fit-topics.ipynb", "05-more.ipynb")
    }
    with pytest.raises(ParameterError) as info:
        validate({"random_state": -2}, declared)
    assert info.value.problems == ["random_state (in 02-fit-topics.ipynb, 05-more.ipynb): must be in [0, 4294967295], not -2"]
    eff = validate({"random_state": 3}, declared)
    assert eff == {nb: {"random_state": 3, "n_topics": 8} for nb in declared}


def test_concept_ids_are_checked_against_the_notebooks_own_lexicon(declared, tmp_path):
    from corpuslib.core.paths import package_data

    lexicon = tmp_path / "lex.csv"
    shipped = package_data("text/reform_lexicon.csv").read_text(encoding="utf-8").splitlines()
    lexicon.write_text("\n".join([ln for ln in shipped if not ln.startswith("apparatus_streamlining,")]) + "\n",
                       encoding="utf-8")
    with pytest.raises(ParameterError, match=r"kwic_concepts \(in 03-compare-term-frequencies.ipynb\): item 0: "
                                             r"no concept 'apparatus_streamlining'"):
        validate({"lexicon": str(lexicon)}, declared)  # the default kwic concept is not in that lexicon
    eff = validate({"lexicon": str(lexicon), "kwic_concepts": ["staff_cuts"]}, declared)
    assert eff["03-compare-term-frequencies.ipynb"]["kwic_concepts"] == ["staff_cuts"]


def test_validate_returns_each_notebooks_effective_parameters(declared):
    eff = validate({"min_chars": 10, "date_from": datetime.date(2024, 3, 1)}, declared,
                   fixed={"out_dir": "/o", "documents": "/o/d.parquet"})
    assert eff["01-build-documents.ipynb"]["min_chars"] == 10
    assert eff["01-build-documents.ipynb"]["tone_style"] == "new"
    assert eff["04-build-timeline.ipynb"]["date_from"] == "2024-03-01"
    for name, values in eff.items():
        assert set(values) == set(declared[name])
        assert values.get("out_dir", "/o") == "/o"


def test_bad_parameters_stop_the_run_before_any_notebook(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match=r"min_chars \(in 01-build-documents\.ipynb\)"):
        run_notebooks(out_dir=out, params={"min_chars": "eighty"}, progress=False)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_help_params_lists_every_parameter_with_its_constraint(declared, capsys):
    assert main(["run", "--help-params"]) == 0
    printed = capsys.readouterr().out
    assert printed == format_help(declared) + "\n"
    for nb, params in declared.items():
        assert nb in printed
        for p in params.values():
            assert p.name in printed and p.default_text in printed and p.help.split()[0] in printed
    assert "[0..1000000]" in printed and "[one of new|old|none]" in printed and "[YYYY[-MM[-DD]]]" in printed


def test_cli_refuses_bad_parameters_with_exit_2(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "o"), "-p", "min_chars", "-3", "-p", "tone_style", "neu"]) == 2
    err = capsys.readouterr().err
    assert "2 invalid parameters" in err and "min_chars (in 01-build-documents.ipynb)" in err and "tone_style" in err
    assert not (tmp_path / "o").exists()


def test_p_values_are_yaml_and_a_date_is_a_date():
    assert parse_value("8") == 8 and parse_value("[a, b]") == ["a", "b"]
    assert parse_value("2024-03-01") == datetime.date(2024, 3, 1)
    assert parse_value("{text: body}") == {"text": "body"}
    assert parse_value("*alias") == "*alias"  # not YAML: the text itself
    assert parse_value("[unclosed") == "[unclosed"


BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["i_topics: *i"])


@pytest.mark.parametrize("content, message", [
    (BILLION_LAUGHS.encode(), "aliases (*name) are not allowed in parameters"),
    (b"1: 2\n", "parameter names must be strings, not 1"),
    ("n_topics: 5\n# caf\u00e9\n".encode("latin-1"), "not UTF-8 (byte 0xe9 at offset 17)"),
    (b"- a\n- b\n", "must be a mapping of parameter -> value, not a list"),
    (b"n_topics: [\n", "not valid YAML"),
    (b"[" * 5000, "nested too deeply"),
])
def test_a_bad_params_file_is_one_line_and_quick(tmp_path, capsys, content, message):
    import time

    path = tmp_path / "p.yaml"
    path.write_bytes(content)
    t0 = time.perf_counter()
    assert main(["run", "--params", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err, err
    assert time.perf_counter() - t0 < 30
    assert not (tmp_path / "o").exists()


def test_a_params_file_is_read(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("n_topics: 5\ndate_from: 2024-03-01\ngroups: [Tuổi Trẻ, Thanh Niên]\n", encoding="utf-8")
    assert read_params_file(path) == {"n_topics": 5, "date_from": datetime.date(2024, 3, 1),
                                      "groups": ["Tuổi Trẻ", "Thanh Niên"]}


def test_every_parameter_is_declared_once():
    # a repeated key in the CONSTRAINTS literal would silently replace the first declaration
    import ast
    import collections

    from corpuslib.run import params as P

    from pathlib import Path

    tree = ast.parse(Path(P.__file__).read_text(encoding="utf-8"))
    decl = next(n for n in ast.walk(tree) if isinstance(n, ast.AnnAssign)
                and getattr(n.target, "id", "") == "CONSTRAINTS")
    keys = [k.value for k in decl.value.keys if isinstance(k, ast.Constant)]
    assert len(keys) == len(P.CONSTRAINTS) > 20
    assert [k for k, c in collections.Counter(keys).items() if c > 1] == []
