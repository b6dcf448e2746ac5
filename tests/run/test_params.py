"""Notebook parameters: read from the parameters cells, checked before a run, listed by --help-params."""
import nbformat
import pytest
from hypothesis import given, strategies as st

from corpuslib.run.cli import main
from corpuslib.run.params import (
    Parameter,
    ParameterError,
    check,
    choices_of,
    declared_parameters,
    format_help,
    minimum_of,
    notebook_parameters,
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
            line = next(ln for ln in cell.source.splitlines() if ln.startswith(p.name))
            assert p.type in line and p.default_text in line and p.help in line
    doc = declared["01-build-documents.ipynb"]
    assert (doc["min_chars"].type, doc["min_chars"].default) == ("int", 80)
    assert doc["columns"].default == {} and doc["corpus"].default == "data/raw"


def test_inspection_is_cached_by_notebook_bytes(tmp_path, root, monkeypatch):
    path = tmp_path / "01-x.ipynb"
    path.write_bytes((root / "notebooks" / "01-build-documents.ipynb").read_bytes())
    first = notebook_parameters(path)
    import papermill

    monkeypatch.setattr(papermill, "inspect_notebook", lambda *a, **k: pytest.fail("cache not used"))
    assert notebook_parameters(path) == first


@pytest.mark.parametrize(
    "param, value, expected",
    [
        (P("n_topics", "int", 5), 12, 12),
        (P("min_df", "float", 0.0), 2, 2.0),                      # an int is a fine float
        (P("period", "str", "M"), 2020, "2020"),                  # -p period 2020 reads as a YAML int
        (P("groups", "list", []), ("Tuổi Trẻ", "Thanh Niên"), ["Tuổi Trẻ", "Thanh Niên"]),
        (P("random_state", "int | None", 0), None, None),
        (P("random_state", "Optional[int]", 0), 7, 7),
        (P("seeds", "list[str]", []), ["cán bộ"], ["cán bộ"]),
        (P("anything", "", None), {"a": 1}, {"a": 1}),           # no annotation: no type check
    ],
)
def test_values_that_fit_the_annotation(param, value, expected):
    assert check(param, value) == expected


@pytest.mark.parametrize(
    "param, value, message",
    [
        (P("n_topics", "int", 5), "five", "must be int, not str 'five'"),
        (P("n_topics", "int", 5), True, "must be int, not bool True"),
        (P("n_topics", "int", 5), 2.5, "must be int, not float 2.5"),
        (P("n_topics", "int", 5), 0, "must be >= 1, not 0"),
        (P("random_state", "int", 0), -1, "must be >= 0, not -1"),
        (P("min_chars", "int", 80), -5, "must be >= 0, not -5"),
        (P("kinds", "list", []), "plenum", "must be list, not str 'plenum'"),
        (P("columns", "dict", {}), {"txt": "body"}, "unknown column roles ['txt']"),
        (P("tone_style", "str", "new"), "neu", "must be one of 'new', 'old', not 'neu'"),
        (P("lanes", "str", "outlet", 'figure lanes: "outlet" or "kind"'), "date", "must be one of 'outlet', 'kind'"),
        (P("date_from", "str", ""), "2024-13", "must be a date YYYY, YYYY-MM or YYYY-MM-DD"),
        (P("corpus", "str", "data/raw"), "no/such/folder", "no such file or folder: no/such/folder"),
        (P("lexicon", "str", ""), "/nonexistent/lexicon.csv", "no such file or folder"),
    ],
)
def test_bad_values_say_what_was_expected(param, value, message):
    with pytest.raises(ValueError, match="^" + __import__("re").escape(message)):
        check(param, value)


def test_empty_paths_mean_the_default_and_need_not_exist():
    assert check(P("lexicon", "str", ""), "") == ""
    assert check(P("date_to", "str", ""), "") == ""


@pytest.mark.parametrize(
    "param, bound",
    [
        (P("n_topics", "int", 8), 1),
        (P("top_n", "int", 15), 1),
        (P("max_events", "int", 30), 1),
        (P("min_df", "int", 2), 0),
        (P("n_jobs", "int", -1), None),          # a negative default is a convention: no bound
        (P("max_features", "int", 0), 0),        # "0 means no limit": 0 is allowed, -1 is not
        (P("n_topics", "int", 0), 0),            # "0 chooses k from the grid"
        (P("random_state", "int | None", None), 0),
        (P("max_df", "float", 0.95), None),      # a share, not a count
        (P("kwic_window", "int", 8), None),
    ],
)
def test_lower_bounds_follow_the_name_unless_the_default_disagrees(param, bound):
    assert minimum_of(param) == bound


@pytest.mark.parametrize(
    "help_, default, choices",
    [
        ('figure lanes: "outlet" or "kind"', "outlet", ("outlet", "kind")),
        ('keyness statistic: "logodds" (log-odds, Dirichlet prior) or "g2" (log-likelihood)', "logodds", ("logodds", "g2")),
        ('"nmf", "lda" or "seeded"', "nmf", ("nmf", "lda", "seeded")),
        ('time unit: "M" month, "Q" quarter, "Y" year', "M", ("M", "Q", "Y")),
        ('document column, e.g. "outlet" or "lang"', "outlet", None),         # examples are not a closed list
        ('where to write; "" means <out_dir>/data/documents.parquet', "", None),
        ('"a" or "b"', "c", None),                                           # default outside: not a list of choices
    ],
)
def test_choices_are_read_from_quoted_alternatives_in_the_help(help_, default, choices):
    assert choices_of(P("x", "str", default, help_)) == choices


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_int_parameters_accept_exactly_the_ints_in_range(n):
    p = P("n_topics", "int", 10)
    if n >= 1:
        assert check(p, n) == n
    else:
        with pytest.raises(ValueError, match=">= 1"):
            check(p, n)


@given(st.one_of(st.text(max_size=20), st.booleans(), st.none(), st.lists(st.integers(), max_size=3)))
def test_int_parameters_refuse_everything_else(value):
    with pytest.raises(ValueError, match="must be int"):
        check(P("n_topics", "int", 10), value)


def test_validate_names_every_problem_with_parameter_and_notebook(declared):
    with pytest.raises(ParameterError) as info:
        validate({"min_chars": -1, "tone_style": "neu", "out_dir": "x", "min_char": 5, "max_events": 0}, declared)
    problems = info.value.problems
    text = str(info.value)
    assert "min_chars (in 01-build-documents.ipynb): must be >= 0, not -1" in problems
    assert "tone_style (in 01-build-documents.ipynb): must be one of 'new', 'old', not 'neu'" in problems
    assert "max_events (in 04-build-timeline.ipynb): must be >= 1, not 0" in problems
    assert any(p.startswith("out_dir: set by the run itself") for p in problems)
    assert "unknown parameter(s) ['min_char']" in text and "min_char -> min_chars?" in text
    assert len(problems) == 5


def test_a_shared_parameter_is_reported_once_with_all_its_notebooks():
    declared = {
        nb: {"random_state": P("random_state", "int", 0, "seed", nb), "n_topics": P("n_topics", "int", 8, "k", nb)}
        for nb in ("02-fit-topics.ipynb", "05-more.ipynb")
    }
    with pytest.raises(ParameterError) as info:
        validate({"random_state": -2}, declared)
    assert info.value.problems == ["random_state (in 02-fit-topics.ipynb, 05-more.ipynb): must be >= 0, not -2"]
    eff = validate({"random_state": 3}, declared)
    assert eff == {nb: {"random_state": 3, "n_topics": 8} for nb in declared}


def test_validate_returns_each_notebooks_effective_parameters(declared):
    eff = validate({"min_chars": 10}, declared, fixed={"out_dir": "/o", "documents": "/o/d.parquet"})
    assert eff["01-build-documents.ipynb"]["min_chars"] == 10
    assert eff["01-build-documents.ipynb"]["tone_style"] == "new"
    for name, values in eff.items():
        assert set(values) == set(declared[name])
        assert values.get("out_dir", "/o") == "/o"


def test_bad_parameters_stop_the_run_before_any_notebook(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match=r"min_chars \(in 01-build-documents\.ipynb\)"):
        run_notebooks(out_dir=out, params={"min_chars": "eighty"}, progress=False)
    assert not out.exists() and not (tmp_path / ".out.staging").exists()


def test_help_params_lists_every_parameter(declared, capsys):
    assert main(["run", "--help-params"]) == 0
    printed = capsys.readouterr().out
    assert printed == format_help(declared) + "\n"
    for nb, params in declared.items():
        assert nb in printed
        for p in params.values():
            assert p.name in printed and p.default_text in printed and p.help.split()[0] in printed
    assert "[>= 0]" in printed and "one of new|old" in printed


def test_cli_refuses_bad_parameters_with_exit_2(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "o"), "-p", "min_chars", "-3", "-p", "tone_style", "neu"]) == 2
    err = capsys.readouterr().err
    assert "2 invalid parameters" in err and "min_chars (in 01-build-documents.ipynb)" in err and "tone_style" in err
    assert not (tmp_path / "o").exists()
