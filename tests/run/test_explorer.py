"""Explorer pages: data builders, escaping, and the pages in a real browser (headless Chromium, network cut).

The documents (``rss_docs``, tests/run/conftest.py) are real RSS items of ``rss_political_vi`` (Tuổi Trẻ,
Thanh Niên; title + summary as published), plus one hostile item whose title, text and address are markup
and script.
"""
from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corpuslib as cl
from corpuslib.analysis import compare
from corpuslib.run import explorer

from .snippets import HOSTILE_TEXT, HOSTILE_TITLE

@pytest.fixture(scope="module")
def docs(rss_docs) -> pd.DataFrame:
    return rss_docs


@pytest.fixture(scope="module")
def tokens(docs) -> pd.DataFrame:
    return cl.tokenize(compare.title_and_text(docs))


@pytest.fixture(scope="module")
def terms(docs, tokens) -> dict:
    return explorer.terms_data(docs, tokens, by="outlet", top_n=200, lines=10)


def _items(data, level="term", lang="vi") -> dict:
    return {r[0]: r for r in data["levels"][level][lang]["items"]}


# ---------------------------------------------------------------------------------------
# Escaping and the page shell
# ---------------------------------------------------------------------------------------
class _ScriptData(html.parser.HTMLParser):
    """Collect the text of every <script> element as an HTML parser (a browser) sees it."""

    def __init__(self):
        super().__init__()
        self.scripts, self._in = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in = dict(attrs).get("type", "")
            self.scripts.append([self._in, ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self.scripts[-1][1] += data


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
       | st.sampled_from([HOSTILE_TITLE, HOSTILE_TEXT, "</SCRIPT >", "<!--<script>", "\u2028\u2029", "]]>"]))
def test_embedded_json_survives_any_text_and_cannot_end_its_element(text):
    page = f'<script type="application/json">{explorer.embed_json({"t": text, "l": [text]})}</script><p>after</p>'
    parser = _ScriptData()
    parser.feed(page)
    assert len(parser.scripts) == 1
    assert json.loads(parser.scripts[0][1]) == {"t": text, "l": [text]}
    assert not re.search(r"[<>&\u2028\u2029]", parser.scripts[0][1])


def test_page_allows_only_its_own_script_and_style_by_hash():
    page = explorer.render_page("timeline", "<b>title</b>", {"events": [], "docs": []})
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "http" not in csp
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL).group(1)
    assert f"'sha256-{explorer._sha256(script)}'" in csp
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "nothing is loaded from the network"


@pytest.mark.parametrize("url, kept", [
    ("https://tuoitre.vn/a-1.htm", True), ("http://thanhnien.vn/x", True), ("javascript:alert(1)", False),
    ("data:text/html,<script>", False), ("//cdn.example/x.js", False), ('https://x.vn/"onmouseover="a', False), ("", False),
])
def test_only_http_addresses_become_links(url, kept):
    assert (explorer._safe_url(url) == url) is kept


# ---------------------------------------------------------------------------------------
# terms.html data
# ---------------------------------------------------------------------------------------
def test_groups_default_to_the_two_largest_and_missing_comes_last():
    groups = pd.Series(["(missing)"] * 5 + ["A"] * 3 + ["B"] * 2 + ["C"] * 2)
    assert explorer.choose_groups(groups) == ["A", "B"]
    assert explorer.choose_groups(groups, ["C"]) == ["C", "A"]
    assert explorer.choose_groups(groups, ["C", "(missing)"]) == ["C", "(missing)"]
    for bad in (["A", "A"], ["A", "B", "C"], ["Z"]):
        with pytest.raises(ValueError):
            explorer.choose_groups(groups, bad)
    with pytest.raises(ValueError, match="nothing to compare"):
        explorer.choose_groups(pd.Series(["A", "A"]))


@pytest.mark.parametrize("option", [{"top_n": 0}, {"lines": 0}, {"window": -1}, {"top_n": 2.5}])
def test_bad_page_options_are_refused(docs, tokens, option):
    with pytest.raises(ValueError, match=next(iter(option))):
        explorer.terms_data(docs, tokens, **option)


def test_period_groups_come_from_the_publication_date(docs):
    by_month = explorer.group_column(docs, "period", period="M")
    assert sorted(by_month.unique()) == ["2025-08", "2025-09"]
    assert explorer.group_column(docs, "period", period="Y").unique().tolist() == ["2025"]
    with pytest.raises(KeyError, match="no column"):
        explorer.group_column(docs, "section")


def test_term_counts_match_the_tokens_of_each_group(docs, tokens, terms):
    a, b = terms["groups"]
    assert terms["n_docs"] == [int((docs["outlet"] == a).sum()), int((docs["outlet"] == b).sum())]
    outlet = tokens["doc_id"].map(docs.set_index("doc_id")["outlet"])
    items = _items(terms)
    assert "bộ máy" in items
    for term, row in items.items():
        mine = tokens["token"] == term
        assert row[2:4] == [int((mine & (outlet == a)).sum()), int((mine & (outlet == b)).sum())], term
        assert row[6] == tokens[mine & (outlet == a)]["doc_id"].nunique()
        assert 0 <= row[8] <= 1 and 0 <= row[9] <= 1


def test_concordance_lines_hold_the_word_and_point_to_its_documents(terms):
    lines = terms["lines"]["term"]["vi"]["bộ máy"]
    doc_ids = [terms["docs"][d][0] for d, *_ in lines]
    assert "hostile" in doc_ids
    assert all(m.lower() == "bộ máy" for _, _, _, m, _ in lines)
    assert {g for _, g, *_ in lines} == {0, 1}
    assert max(sum(1 for _, g, *_ in lines if g == k) for k in (0, 1)) <= 10
    hostile = next(r for r in terms["docs"] if r[0] == "hostile")
    assert hostile[1] == HOSTILE_TITLE and hostile[5] is None  # the javascript: address is dropped


def test_concepts_are_compared_across_languages(terms):
    concepts = _items(terms, "concept", "")
    assert "apparatus_streamlining" in concepts
    assert concepts["apparatus_streamlining"][1]  # the English label


def test_same_inputs_give_the_same_page(docs, tokens, tmp_path):
    one = explorer.write_terms_page(docs, tokens, tmp_path / "a", lines=3).path.read_bytes()
    two = explorer.write_terms_page(docs, tokens, tmp_path / "b", lines=3).path.read_bytes()
    assert one == two


def test_notebook_shows_the_live_page_in_jupyterlab_and_a_link_elsewhere(docs, tmp_path, monkeypatch, root):
    page = explorer.write_timeline_page(_timeline(), docs, tmp_path / "out")
    monkeypatch.chdir(root)  # as papermill under corpuslib run: the executed copy sits in <out>/notebooks/
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert page._repr_html_().startswith('<p><a href="../explorer/timeline.html"')
    nb_dir = tmp_path / "project-notebooks"
    nb_dir.mkdir()
    monkeypatch.chdir(nb_dir)  # as JupyterLab: the kernel runs in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/04-build-timeline.ipynb")
    assert page._repr_html_().startswith('<iframe src="../out/explorer/timeline.html"')
    assert repr(page).startswith("explorer page explorer/timeline.html (")


# ---------------------------------------------------------------------------------------
# timeline.html and topics.html data
# ---------------------------------------------------------------------------------------
def _timeline() -> pd.DataFrame:
    return pd.DataFrame([
        dict(date="2025-08-23", granularity="day", kind="conference", label="Thủ tướng Phạm Minh Chính đã chủ trì hội nghị",
             documents=[], doc_ids=["82cbed0e"], outlets=["Thanh Niên"], langs=["vi"],
             evidence=["[82cbed0e] Chiều 23.8, Thủ tướng Phạm Minh Chính đã chủ trì hội nghị đánh giá tình hình sau 2 "
                       "tháng vận hành chính quyền địa phương 2 cấp."], confidence="high", n_sources=1,
             date_start="2025-08-23", date_end="2025-08-23", date_note="", planned=False, event_id="e1"),
        dict(date="2025-08-22", granularity="day", kind="congress", label="Đại hội Đảng bộ phường Cầu Ông Lãnh lần thứ I",
             documents=[], doc_ids=["6410a1d3"], outlets=["Tuổi Trẻ"], langs=["vi"],
             evidence=["[6410a1d3] Chủ tịch UBND TP.HCM Nguyễn Văn Được phát biểu như vậy tại Đại hội Đảng bộ phường Cầu "
                       "Ông Lãnh lần thứ I, nhiệm kỳ 2025-2030 diễn ra chiều 22-8."], confidence="high", n_sources=1,
             date_start="2025-08-22", date_end="2025-08-22", date_note="", planned=False, event_id="e2"),
        dict(date="2025-09", granularity="month", kind="meeting", label='<img src=x onerror="window.__pwned=4">',
             documents=["07-NQ/CP@2025"], doc_ids=["hostile", "91033564"], outlets=["Tuổi Trẻ"], langs=["vi"],
             evidence=["[hostile] </script><script>window.__pwned=5</script>", "[91033564] Chính phủ vừa ban hành "
                       "Nghị quyết số 07 về chính sách, chế độ"], confidence="low", n_sources=2,
             date_start="2025-09-01", date_end="2025-09-30", date_note="month only", planned=True, event_id="e3"),
    ])


def test_timeline_events_keep_their_evidence_sources_and_flags(docs):
    data = explorer.timeline_data(_timeline(), docs)
    e3 = next(e for e in data["events"] if e["id"] == "e3")
    assert e3["planned"] and (e3["start"], e3["end"]) == ("2025-09-01", "2025-09-30")
    assert [data["docs"][d][0] for d, _ in e3["evidence"]] == ["hostile", "91033564"]
    assert e3["evidence"][0][1] == "</script><script>window.__pwned=5</script>"
    assert [data["docs"][d][0] for d in e3["sources"]] == ["hostile", "91033564"]


def test_timeline_read_back_from_its_csv_gives_the_same_events(docs, tmp_path):
    path = cl.write_table(_timeline(), tmp_path / "timeline.csv")
    again = pd.read_csv(path, keep_default_na=False)
    assert explorer.timeline_data(again, docs)["events"] == explorer.timeline_data(_timeline(), docs)["events"]


@pytest.fixture(scope="module")
def topic_tables(docs, tokens):
    from corpuslib.analysis import topics

    model = topics.TopicModel(n_topics=2, random_state=0).fit(tokens, docs)
    doc_topics = topics.mark_dominant(model.doc_topics())
    return dict(info=model.topic_info(5), terms=model.topic_terms(5),
                prevalence=cl.topic_prevalence(doc_topics, docs, "outlet", period="M"),
                over_time=cl.topic_prevalence(doc_topics, docs, "published", period="M"),
                examples=topics.representative_documents(doc_topics, docs, n=2, dominant_only=True))


def test_topics_data_holds_every_topic_group_and_period(docs, topic_tables):
    t = topic_tables
    data = explorer.topics_data(t["info"], t["terms"], t["prevalence"], t["over_time"], docs, t["examples"])
    assert [x["id"] for x in data["topics"]] == list(t["info"]["topic"].astype(str))
    assert all(len(x["terms"]) == 5 for x in data["topics"])
    assert {r[0] for r in data["by_group"]} == {"Thanh Niên", "Tuổi Trẻ"}
    assert {r[0] for r in data["over_time"]} == {"2025-08", "2025-09"}
    assert {data["docs"][r[1]][0] for r in data["examples"]} <= set(docs["doc_id"])


# ---------------------------------------------------------------------------------------
# The pages in headless Chromium, network cut
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(browser):
    """The session's headless Chromium (tests/conftest.py), its driver put offline by CDP emulation too."""
    driver = browser.driver
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    yield driver
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def _open(driver, page: Path):
    driver.get_log("browser"), driver.get_log("performance")  # forget what earlier pages logged
    driver.get(page.resolve().as_uri())
    driver.find_element("css selector", "#app > *")  # the script has drawn


def _check_clean(driver):
    """No console error, no request but the page file itself, no script of the data ran."""
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, errors
    urls = [json.loads(e["message"])["message"].get("params", {}).get("request", {}).get("url", "")
            for e in driver.get_log("performance")]
    assert all(u.startswith(("file://", "data:")) for u in urls if u), [u for u in urls if u]
    assert driver.execute_script("return window.__pwned === undefined")
    assert not driver.find_elements("css selector", "img, iframe, #app script")


def test_terms_page_draws_hovers_and_shows_concordance(browser, docs, tokens, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    page = explorer.write_terms_page(docs, tokens, tmp_path, lines=5)
    _open(browser, page.path)
    points = browser.find_elements("css selector", "svg#scatter circle.pt")
    data = explorer.terms_data(docs, tokens, lines=5)
    assert len(points) == len(data["levels"]["term"]["vi"]["items"]) > 20
    assert "Tuổi Trẻ" in browser.title and "Thanh Niên" in browser.title
    point = browser.find_element("css selector", 'circle.pt[aria-label="bộ máy"]')
    ActionChains(browser).move_to_element(point).perform()
    tip = browser.find_element("css selector", ".tooltip")
    assert tip.is_displayed() and tip.text.startswith("bộ máy") and "documents" in tip.text
    point.click()
    assert browser.find_element("id", "detail-item").text == "bộ máy"
    lines = browser.find_elements("css selector", "#kwic .kwic-line")
    assert len(lines) == len(data["lines"]["term"]["vi"]["bộ máy"]) > 0
    assert all(line.find_element("tag name", "mark").text.lower() == "bộ máy" for line in lines)
    assert any(HOSTILE_TITLE in line.text for line in lines), "the hostile title shows as text"
    browser.find_element("css selector", 'button[data-level="concept"]').click()
    assert browser.find_elements("css selector", 'circle.pt[aria-label="apparatus_streamlining"]')
    _check_clean(browser)


def test_timeline_page_filters_zooms_and_opens_evidence(browser, docs, tmp_path):
    page = explorer.write_timeline_page(_timeline(), docs, tmp_path)
    _open(browser, page.path)
    marks = lambda: browser.find_elements("css selector", "svg#timeline .ev")  # noqa: E731
    assert len(marks()) == 3
    browser.find_element("css selector", '.ev[data-id="e3"]').click()
    assert browser.find_element("id", "detail-item").text == '<img src=x onerror="window.__pwned=4">'
    evidence = browser.find_elements("css selector", "#evidence li")
    assert len(evidence) == 2 and "</script><script>window.__pwned=5</script>" in evidence[0].text
    sources = browser.find_elements("css selector", "#sources li")
    assert len(sources) == 2 and HOSTILE_TITLE in sources[0].text
    assert not sources[0].find_elements("tag name", "a")  # its javascript: address is no link
    assert sources[1].find_element("tag name", "a").get_attribute("href").startswith("https://tuoitre.vn/")
    browser.find_element("css selector", '[data-facet="kind"] input[data-value="congress"]').click()
    assert len(marks()) == 2 and not browser.find_elements("css selector", '.ev[data-id="e2"]')
    ticks = lambda: [t.text for t in browser.find_elements("css selector", "svg#timeline .axis > text")]  # noqa: E731
    before = ticks()
    browser.find_element("id", "zoom-in").click()
    browser.find_element("id", "zoom-in").click()
    assert ticks() != before
    browser.find_element("id", "zoom-reset").click()
    assert len(marks()) == 2
    _check_clean(browser)


def test_topics_page_draws_both_views_and_a_topic(browser, docs, topic_tables, tmp_path):
    t = topic_tables
    page = explorer.write_topics_page(t["info"], t["terms"], t["prevalence"], t["over_time"], tmp_path, documents=docs,
                                      examples=t["examples"])
    _open(browser, page.path)
    n_topics, n_groups = len(t["info"]), 2
    assert len(browser.find_elements("css selector", "svg#by-group rect.cell")) == n_topics * n_groups
    assert browser.find_elements("css selector", "svg#over-time path.series")
    first = str(t["info"]["topic"].iloc[0])
    browser.find_element("css selector", f'#topic-picker button[data-topic="{first}"]').click()
    assert browser.find_element("id", "detail-item").text.startswith(first)
    assert len(browser.find_elements("css selector", ".terms-bars > div")) == 5
    _check_clean(browser)
