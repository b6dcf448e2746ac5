"""Findings texts: every number read from the tables, scraped text shown as text, kept by papermill, shown
in report.html. Tables come from the library's own functions on real RSS items (``rss_docs``)."""
from __future__ import annotations

import html
import json
import re

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corpuslib as cl
from corpuslib.analysis import compare, topics
from corpuslib.run import findings
from corpuslib.run.report import build_report, notebook_findings, render_markdown

from .snippets import HOSTILE_TITLE


def _text_of(markdown: str) -> str:
    """What a reader sees: the Markdown rendered (as the report does) with tags removed and entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", render_markdown(markdown))).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=50)
       | st.sampled_from([HOSTILE_TITLE, "*bold* _it_ `code` [a](javascript:x) ![i](x)", "&amp; &lt;", "$x$ | ~~s~~",
                          "\\*", "<img src=x onerror=alert(1)>", "- x", "1. x", "2) y", "> q", "# h",
                          "+ p", "= e", "---", "* * *", "<https://x.vn>"]))
def test_escaped_text_reads_as_itself_and_makes_no_markup(text):
    shown = " ".join(text.split())
    rendered = render_markdown(f"- {findings.escape(text)}")
    assert not re.search(r"<(?!/?(ul|li|p)>)", rendered), rendered  # no element but the list itself
    assert _text_of(f"- {findings.escape(text)}") == shown.strip()


def test_findings_display_as_markdown_tagged_for_the_report():
    text = findings.Findings("**a** finding\n")
    data, meta = text._repr_mimebundle_()
    assert data["text/markdown"] == "**a** finding\n" and meta == findings.METADATA
    assert repr(text) == "**a** finding\n"


# ---------------------------------------------------------------------------------------
# 01
# ---------------------------------------------------------------------------------------
def test_corpus_findings_count_what_the_tables_hold(rss_docs):
    docs = rss_docs.assign(removed=['[{"reason": "caption", "line": "x"}]'] + ["[]"] * (len(rss_docs) - 1))
    docs.loc[docs["doc_id"] == "hostile", "outlet"] = HOSTILE_TITLE
    rejected = pd.DataFrame({"source_path": ["a", "b", "c"], "reason": ["duplicate", "duplicate", "empty"]})
    text = findings.corpus_findings(docs, rejected)
    outlets = docs["outlet"].value_counts()
    assert f"{len(docs)} documents and 3 rejected inputs (duplicate 2, empty 1)" in text
    assert f"Vietnamese {len(docs)} (100 %)" in text
    assert f"{docs['outlet'].nunique()} outlets" in text
    assert f"Thanh Niên {outlets['Thanh Niên']}" in text
    first, last = docs["published"].min(), docs["published"].max()
    assert f"{len(docs)} dated, from {first:%Y-%m-%d} to {last:%Y-%m-%d}" in text
    assert "Cleaning removed 1 line or fragments from 1 document: caption 1" in text
    assert "<script>" not in render_markdown(text) and HOSTILE_TITLE in _text_of(text)


def test_corpus_findings_say_what_is_missing(rss_docs):
    docs = rss_docs.assign(published=[pd.NaT] * 2 + list(rss_docs["published"][2:]), outlet=None)
    text = findings.corpus_findings(docs)
    assert f"{len(docs) - 2} dated" in text and "2 without a date" in text
    assert f"0 outlets; {len(docs)} documents without an outlet" in text


def test_corpus_findings_count_near_duplicates(rss_docs):
    from corpuslib.documents.duplicates import flag_near_duplicates

    # a real Thanh Niên summary reposted by Tuổi Trẻ with one word changed
    lead = ("Chiều 30.3, Tổng Bí thư Tô Lâm đã trao huân chương, huy hiệu Đảng tặng Thủ tướng Phạm Minh Chính và các "
            "lãnh đạo, nguyên lãnh đạo cấp cao của Đảng, Chính phủ.")
    base = rss_docs.iloc[:2].copy()
    extra = base.assign(doc_id=["tn-x", "tt-x"], outlet=["Thanh Niên", "Tuổi Trẻ"],
                        text=[lead, lead.replace("30.3", "30-3")])
    docs = flag_near_duplicates(pd.concat([rss_docs, extra], ignore_index=True))
    k = int(docs["near_duplicate_of"].notna().sum())
    assert k >= 1
    text = findings.corpus_findings(docs)
    assert f"{k} near-duplicate" in text and "across outlets" in text and "drop_near_duplicates" in text
    rejected = pd.DataFrame({"source_path": ["a", "b"], "reason": ["near_duplicate", "near_duplicate"]})
    assert "2 near-duplicates" in findings.corpus_findings(docs.drop(columns="near_duplicate_of"), rejected)


# ---------------------------------------------------------------------------------------
# 02
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fitted(rss_docs):
    tokens = cl.tokenize(compare.title_and_text(rss_docs))
    model = topics.TopicModel(n_topics=2, random_state=0).fit(tokens, rss_docs)
    doc_topics = topics.mark_dominant(model.doc_topics())
    return dict(info=model.topic_info(5), prevalence=cl.topic_prevalence(doc_topics, rss_docs, "outlet"),
                over_time=cl.topic_prevalence(doc_topics, rss_docs, "published", period="M"))


def test_topic_findings_name_each_groups_leading_topic(fitted):
    info, prev = fitted["info"], fitted["prevalence"]
    bare = prev.drop(columns=[c for c in prev.columns if c.endswith(("_low", "_high"))])
    text = findings.topic_findings(info, bare, group_by="outlet")
    labels = dict(zip(info["topic"], info["label"]))
    for outlet, rows in prev.groupby("outlet"):
        lead = rows.sort_values(["share", "topic"], ascending=[False, True]).iloc[0]
        assert f"- {outlet}: {lead['topic']} *{labels[lead['topic']]}*, {100 * lead['share']:.1f} %" in text
    assert "No interval is computed" in text
    with_ci = bare.assign(share_low=bare["share"] / 2, share_high=(bare["share"] + 1) / 2)
    text = findings.topic_findings(info, with_ci, group_by="outlet")
    assert "(95 % " in text and "No interval" not in text


def test_topic_trend_findings_give_runs_of_leaders():
    over = pd.DataFrame({"published": ["2025-08", "2025-08", "2025-09", "2025-09", "2025-10", "2025-10", "(undated)"],
                         "topic": ["t1", "t2"] * 3 + ["t1"], "share": [0.6, 0.4, 0.7, 0.3, 0.2, 0.8, 1.0]})
    info = pd.DataFrame({"topic": ["t1", "t2"], "label": ["a · b", "c · d"]})
    text = findings.topic_trend_findings(info, over)
    assert "Over 3 periods, t1 *a · b* leads 2 of them." in text
    assert "- 2025-08 – 2025-09: t1 *a · b* (60.0 % – 70.0 %)" in text
    assert "- 2025-10: t2 *c · d* (80.0 %)" in text
    alternating = over[over["published"] != "2025-09"]
    assert "Over 2 periods, no topic leads more than one." in findings.topic_trend_findings(info, alternating)


# ---------------------------------------------------------------------------------------
# 03
# ---------------------------------------------------------------------------------------
def test_difference_findings_list_significant_differences_with_intervals():
    diffs = pd.DataFrame({"concept": ["staff_cuts", "key_leaders", "anti_waste"], "group": ["A", "A", "A"],
                          "reference": ["B", "B", "B"], "difference": [0.018, -0.05, 0.001], "low": [0.009, -0.08, -0.01],
                          "high": [0.027, -0.02, 0.012], "p": [0.001, 0.0001, 0.8], "q": [0.002, 0.0003, 0.8],
                          "significant": [True, True, False]})
    counts = pd.DataFrame({"outlet": ["A", "B"], "concept": ["staff_cuts"] * 2, "sentence_share": [0.041, 0.023],
                           "sentence_share_low": [0.03, 0.015], "sentence_share_high": [0.053, 0.031]})
    text = findings.difference_findings(diffs, counts, labels={"staff_cuts": "Staff cuts"})
    assert "2 of 3 comparisons (q < 0.05)" in text
    lines = [ln for ln in text.splitlines() if ln.startswith("- ")]
    assert lines[0].startswith("- *key\\_leaders*, A vs B; difference -5.0 points (95 % -8.0 – -2.0), q = 0.0003")
    assert lines[1] == ("- *Staff cuts*, A vs B: 4.1 % (95 % 3.0 % – 5.3 %) of A's sentences vs 2.3 % (95 % 1.5 % – "
                        "3.1 %) of B's; difference +1.8 points (95 % +0.9 – +2.7), q = 0.002.")
    assert "anti" not in text


def test_difference_findings_from_keyness_say_how_significance_was_decided(rss_docs):
    lex = compare.select_lexicon("")
    counts = compare.concept_counts(rss_docs, lex, by="outlet")
    key = compare.keyness(counts, "outlet", min_docs=1)  # a handful of real items per outlet
    text = findings.difference_findings(key, counts, labels=compare.concept_labels(lex))
    sig = key[key["p"] < 0.05] if "q" not in key else key[key["q"] < 0.05]
    assert f"{len(sig)} of {len(key)} comparisons" in text
    if not len(sig):
        assert "No significant difference; the largest is" in text
    rest = counts[counts["outlet"] != key.iloc[0]["group"]]
    assert "of the others'" in text or not len(sig) or rest.empty


def test_word_findings_show_the_most_typical_significant_words(rss_docs):
    tokens = cl.tokenize(compare.title_and_text(rss_docs))
    key = compare.keyness(tokens, "outlet", documents=rss_docs, min_docs=1)
    text = findings.word_findings(key, top=3)
    sig = key[(key["p"] < 0.05) & (key["z"] > 0)] if "q" not in key else key[(key["q"] < 0.05) & (key["z"] > 0)]
    for group, rows in sig.groupby("group"):
        best = rows.sort_values(["z", "term_or_concept"], ascending=[False, True]).iloc[0]
        assert f"*{findings.escape(best['term_or_concept'])}* (z {best['z']:.1f}; {best['count']} vs " in text
    if sig.empty:
        assert "No word is significantly typical" in text


def test_difference_findings_quote_concept_differences_and_name_what_was_left_out(rss_docs):
    lex = compare.select_lexicon("")
    counts = compare.concept_counts(rss_docs, lex, by="outlet")
    small = int(counts.groupby("outlet")["n_docs"].max().min())
    diffs = compare.concept_differences(rss_docs, lex, by="outlet", min_docs=small + 1)
    text = findings.difference_findings(diffs, counts, labels=compare.concept_labels(lex))
    assert "Left out, never ranked:" in text and f"fewer than min\\_docs={small + 1}" in text
    # two outlets: once the smaller is left out, the larger has no reference either
    assert (diffs["note"] != "").all() and "Nothing was compared" in text
    every = compare.concept_differences(rss_docs, lex, by="outlet", min_docs=1)
    text = findings.difference_findings(every, counts, labels=compare.concept_labels(lex))
    assert "Left out" not in text
    assert f"{int(every['significant'].sum())} of {len(every)} comparisons" in text
    top = every.assign(_a=every["difference"].abs()).sort_values(["significant", "_a"], ascending=False).iloc[0]
    if top["significant"]:  # its line quotes the difference with its interval, from the table
        assert f"difference {100 * top['difference']:+.1f} points (95 % {100 * top['low']:+.1f} – " in text


def test_word_findings_say_how_many_were_tested_and_what_was_left_out(rss_docs):
    tokens = cl.tokenize(compare.title_and_text(rss_docs))
    key = compare.keyness(tokens, "outlet", documents=rss_docs, min_docs=3)
    text = findings.word_findings(key)
    tested = key[key["note"] == ""]
    assert f"{int(tested['significant'].sum())} of {len(tested):,} word tests are significant" in text
    if (key["note"] != "").any():
        assert "Left out, never ranked:" in text


# ---------------------------------------------------------------------------------------
# 04
# ---------------------------------------------------------------------------------------
def _timeline(salience: bool) -> pd.DataFrame:
    tl = pd.DataFrame({
        "date": ["2026-01-23", "2025-11-05", "2025-09"], "kind": ["congress", "plenum", "meeting"],
        "label": ["Đại hội đại biểu toàn quốc lần thứ XIV của Đảng họp phiên bế mạc",
                  "Hội nghị lần thứ 14 Ban Chấp hành Trung ương khóa 13 khai mạc", HOSTILE_TITLE],
        "date_start": ["2026-01-23", "2025-11-05", "2025-09-01"], "n_sources": [7, 5, 9],
        "outlets": [["Thanh Niên", "Tuổi Trẻ", "VnExpress"], ["Thanh Niên"], ["Tuổi Trẻ"]],
        "documents": [[], ["59-NQ/TW@2025"], []], "planned": [False, False, True], "body": [None, "Trung ương", None]})
    return tl.assign(salience=[0.9, 0.95, 0.1]) if salience else tl


def test_timeline_findings_rank_by_salience_when_present():
    text = findings.timeline_findings(_timeline(salience=True), top=2)
    assert "3 events from 2025-09-01 to 2026-01-23: congress 1, meeting 1, plenum 1." in text
    assert "1 announced but not yet held when reported (planned)" in text and "Bodies: Trung ương 1" in text
    assert "Salience = articles + outlets" in text
    lines = [ln for ln in text.splitlines() if ln.startswith("- 20")]
    assert lines[0].startswith("- 2025-11-05 · plenum") and lines[1].startswith("- 2026-01-23 · congress")
    assert "salience 0.95" in lines[0] and len(lines) == 2


def test_timeline_findings_count_planned_rows_held_later():
    tl = _timeline(salience=True).assign(held_as=[[], [], ["a1b2c3"]])
    assert "1 of them later reported held" in findings.timeline_findings(tl)
    tl = tl.assign(held_as=[[], [], []])
    assert "0 of them later reported held" in findings.timeline_findings(tl)


def test_timeline_findings_rank_by_sources_otherwise():
    text = findings.timeline_findings(_timeline(salience=False))
    lines = [ln for ln in text.splitlines() if ln.startswith("- 20")]
    assert [ln.split(" · ")[1] for ln in lines] == ["meeting", "congress", "plenum"]
    assert "(9 articles in Tuổi Trẻ)" in lines[0]
    assert "<script>" not in render_markdown(text) and HOSTILE_TITLE in _text_of(text)


# ---------------------------------------------------------------------------------------
# Kept by papermill, shown in the report
# ---------------------------------------------------------------------------------------
def test_report_shows_the_findings_of_an_executed_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("findings.timeline_findings(tl)")
    text, meta = findings.timeline_findings(_timeline(salience=True))._repr_mimebundle_()
    cell.outputs = [nbformat.v4.new_output("display_data", data=text, metadata=meta),
                    nbformat.v4.new_output("display_data", data={"text/markdown": "not a finding"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# 04 · Timeline\nQuestion."), cell]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "04-t.ipynb")
    assert notebook_findings(tmp_path / "notebooks" / "04-t.ipynb") == [text["text/markdown"]]
    page = build_report(tmp_path, {"notebooks": {"04-t.ipynb": {"status": "ran", "outputs": {}}}}).read_text()
    block = page[page.index('<div class="findings">'):]
    assert "Which events lead the timeline" in block and "not a finding" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block and "<script>" not in page


@pytest.mark.slow
def test_papermill_keeps_the_findings_output(tmp_path):
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from corpuslib.run import findings\nimport pandas as pd\n"
                                          "findings.corpus_findings(pd.DataFrame({'doc_id': ['a', 'b'], 'lang': ['vi', 'zh']}))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "in.ipynb")
    pm.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), progress_bar=False, kernel_name="python3")
    (text,) = notebook_findings(tmp_path / "out.ipynb")
    assert text.startswith("**What the corpus holds.** 2 documents.") and "Chinese 1 (50 %)" in text
    out = json.loads((tmp_path / "out.ipynb").read_text())["cells"][0]["outputs"][0]
    assert out["output_type"] == "execute_result" and "text/markdown" in out["data"]


def test_topic_trend_findings_quote_intervals_and_unclear_leads():
    over = pd.DataFrame({"published": ["2025-08", "2025-08", "2025-09", "2025-09", "2025-10", "2025-10"],
                         "topic": ["t1", "t2"] * 3, "share": [0.6, 0.4, 0.7, 0.3, 0.2, 0.8],
                         "share_low": [0.45, 0.3, 0.55, 0.2, 0.1, 0.65], "share_high": [0.7, 0.5, 0.8, 0.4, 0.35, 0.9],
                         "group_documents": [30, 30, 3, 3, 40, 40]})
    info = pd.DataFrame({"topic": ["t1", "t2"], "label": ["a · b", "c · d"]})
    text = findings.topic_trend_findings(info, over)
    assert "- 2025-08 – 2025-09: t1 *a · b* (60.0 % – 70.0 %), at its peak in 2025-09 70.0 % (95 % 55.0 % – 80.0 %)" \
        in text
    assert "- 2025-10: t2 *c · d* (80.0 %) (95 % 65.0 % – 90.0 %)" in text
    # 2025-08: 0.45 <= 0.5, the lead is not clear; 2025-09 and 2025-10 are
    assert "In 1 of 3 periods the leader's 95 % interval overlaps the runner-up's" in text
    assert "1 period with fewer than 5 documents" in text


def test_topic_effect_findings_quote_differences_and_trends_with_intervals():
    eff = pd.DataFrame({
        "topic": ["t1"] * 7 + ["t2"] * 5,
        "covariate": ["outlet", "outlet", "outlet_difference", "published", "published", "published", "outlet",
                      "outlet", "outlet", "outlet_difference", "published", "published"],
        "level": ["A", "B", "B", "2025-01", "2025-02", "2025-03", "Tiny", "A", "B", "B", "2025-01", "2025-02"],
        "reference": [None, None, "A", None, None, None, None, None, None, "A", None, None],
        "estimate": [0.30, 0.40, 0.10, 0.20, 0.30, 0.45, None, 0.7, 0.6, -0.1, 0.5, 0.52],
        "low": [0.25, 0.35, 0.04, 0.15, 0.25, 0.40, None, 0.6, 0.5, -0.25, 0.4, 0.45],
        "high": [0.35, 0.45, 0.16, 0.25, 0.35, 0.50, None, 0.8, 0.7, 0.05, 0.6, 0.6],
        "stability": [0.95] * 7 + [0.3] * 5})
    info = pd.DataFrame({"topic": ["t1", "t2"], "label": ["tinh giản", "ngân sách"]})
    text = findings.topic_effect_findings(eff, info)
    assert "Against A (the reference), 1 of 2 differences have an interval that excludes 0" in text
    assert "- B: t1 *tinh giản*, 40.0 % against 30.0 %, difference +10.0 points (95 % +4.0 – +16.0)." in text
    assert "t2 *ngân sách*, 60.0 %" not in text            # its interval includes 0
    assert "Left out, too few documents: Tiny." in text
    assert "Over time, 1 of 2 topics move beyond their intervals" in text
    assert "- t1 *tinh giản* rises from its low, 20.0 % in 2025-01 (95 % 15.0 % – 25.0 %), to its peak, 45.0 % in " \
        "2025-03" in text
    assert "Unstable across refits (term similarity < 0.5, wide intervals): t2 *ngân sách*." in text
