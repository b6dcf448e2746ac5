"""The corpus generator: real paragraphs, seed-like pages, deterministic, and the pipeline reads them right."""
import json

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from corpuslib.documents import synthetic as generate
from corpuslib.documents.table import content_hash, ingest
from corpuslib.text.normalize import normalize_text

# Furniture of the seed pages that must never reach a body (as in test_documents.LEFTOVERS).
LEFTOVERS = [".jpg", "图片:", "摄影:", "Ảnh:", "Источник", "Комментарий", "Tin mới", "分享你的观点", "供电内容管理系统",
             "(Baonghean.vn)", "LSO-", "DNUM_"]


@pytest.fixture(scope="module")
def pools():
    return generate.paragraph_pools(shared=None)


@pytest.fixture(scope="module")
def articles(pools):
    return list(generate.generate_articles(150, seed=7, pools=pools, duplicate_rate=0.0, encoded_rate=0.0))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, pools):
    root = tmp_path_factory.mktemp("gen")
    summary = generate.write_corpus(root, 150, seed=7, pools=pools, duplicate_rate=0.0, encoded_rate=0.0)
    return summary, ingest(root, n_jobs=1, cache=False)


@pytest.mark.parametrize("lang, seed_prefixes", [("zh", ("000", "002")), ("ru", ("001",)), ("vi", ("003", "004"))])
def test_pools_hold_the_seed_paragraphs(pools, seeds_dir, lang, seed_prefixes):
    pool = pools[lang]
    assert len(pool.paragraphs) >= 5
    raw = "".join(p.read_text(encoding="utf-8") for s in seed_prefixes for p in seeds_dir.glob(f"{s}*.txt"))
    raw = normalize_text(raw)  # the documents table's canonical form (one tone placement)
    assert all(para in raw for para in pool.paragraphs)  # real text, verbatim
    assert pool.footers  # every seed page ends with a footer or a byline


def test_same_seed_same_articles_other_seed_other_articles(pools, articles):
    again = list(generate.generate_articles(150, seed=7, pools=pools, duplicate_rate=0.0, encoded_rate=0.0))
    assert again == articles
    other = list(generate.generate_articles(150, seed=8, pools=pools, duplicate_rate=0.0, encoded_rate=0.0))
    assert [a.page for a in other] != [a.page for a in articles]


def test_bodies_are_real_paragraphs_and_captions(pools, articles):
    for art in articles:
        pool = pools[art.lang]
        known = set(pool.paragraphs) | {ln for cap in pool.captions for ln in cap} | {
            ln for foot in pool.footers for ln in foot} | set(generate._VI_REPORTERS)
        for line in filter(None, art.body.split("\n")):
            for marker in ("(Baonghean.vn) - ", "(Baonghean.vn)-", "LSO-"):
                line = line.removeprefix(marker)
            assert line in known, (art.doc_id, line[:60])


def test_no_two_articles_share_a_body(articles):
    assert len({a.body for a in articles}) == len(articles)
    assert {a.lang for a in articles} == {"zh", "ru", "vi"}


def test_duplicates_are_republished_bodies(pools):
    arts = list(generate.generate_articles(300, seed=1, pools=pools, duplicate_rate=0.2, encoded_rate=0.0))
    bodies = [a.body for a in arts]
    assert 20 < len(bodies) - len(set(bodies)) < 120


def test_the_pipeline_reads_generated_pages_like_the_seeds(articles, ingested):
    summary, (docs, rejected) = ingested
    assert summary.articles == 150 and summary.files == 150
    assert rejected.empty and len(docs) == 150
    by_id = {a.doc_id: a for a in articles}
    docs = docs.set_index("doc_id")
    assert (docs["lang"] == [by_id[d].lang for d in docs.index]).all()
    # the dateline of every page style is understood
    same_day = [docs.loc[d, "published"].date() == by_id[d].published.date() for d in docs.index]
    assert sum(same_day) >= 0.95 * len(docs)
    with_title = [d for d, a in by_id.items() if f"\n{a.title}\n" in f"\n{a.page}"]  # one ru style has none
    assert 0.7 * len(docs) < len(with_title) < len(docs)
    assert (docs.loc[with_title, "title"] == [by_id[d].title for d in with_title]).mean() > 0.95
    for leftover in LEFTOVERS:
        assert not docs["text"].str.contains(leftover, regex=False).any(), leftover


def test_encodings_are_exercised(tmp_path, pools):
    generate.write_corpus(tmp_path, 60, seed=3, pools=pools, encoded_rate=1.0, langs=("zh", "ru", "vi"))
    docs = ingest(tmp_path, n_jobs=1, cache=False).documents
    assert set(docs["encoding"]) == {"gb18030", "cp1251", "utf-16-le"}
    assert (docs["lang"] == docs["doc_id"].str[:2]).all()


def test_jsonl_shards(tmp_path, pools, articles):
    summary = generate.write_corpus(tmp_path, 150, seed=7, pools=pools, fmt="jsonl", shard_size=40,
                                    duplicate_rate=0.0, encoded_rate=0.0)
    assert summary.files == 4 and sorted(p.name for p in tmp_path.iterdir())[0] == "articles-00000.jsonl"
    rows = [json.loads(line) for p in sorted(tmp_path.glob("*.jsonl")) for line in p.open(encoding="utf-8")]
    assert [r["id"] for r in rows] == [a.doc_id for a in articles]
    docs = ingest(tmp_path, n_jobs=1, cache=False).documents.set_index("doc_id")
    assert len(docs) == 150
    assert (docs["title"] == [next(a for a in articles if a.doc_id == d).title for d in docs.index]).all()
    assert (docs["date_method"] == "column").all()


@pytest.mark.parametrize("kwargs, match", [({"langs": ("en",)}, "langs"), ({"langs": ()}, "langs")])
def test_bad_arguments(pools, kwargs, match):
    with pytest.raises(ValueError, match=match):
        list(generate.generate_articles(3, pools=pools, **kwargs))


def test_bad_format(tmp_path):
    with pytest.raises(ValueError, match="fmt"):
        generate.write_corpus(tmp_path, 1, fmt="xml")


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 30))
def test_any_seed_gives_distinct_ingestible_bodies(pools, seed, n):
    arts = list(generate.generate_articles(n, seed=seed, pools=pools, duplicate_rate=0.0))
    assert len(arts) == n
    assert len({content_hash(a.body) for a in arts}) == n
    assert all(a.doc_id.startswith(a.lang + "/") and a.page.endswith("\n") for a in arts)


@pytest.mark.shared
def test_vntc_paragraphs_join_the_vietnamese_pool(shared_dir, pools):
    big = generate.paragraph_pools(shared=shared_dir)
    assert len(big["vi"].paragraphs) > 50 * len(pools["vi"].paragraphs)
    assert big["zh"] == pools["zh"] and big["ru"] == pools["ru"]
    assert any("vntc" in s for s in big["vi"].sources)
    frame = pd.Series(big["vi"].paragraphs)
    assert frame.str.len().min() >= 80
