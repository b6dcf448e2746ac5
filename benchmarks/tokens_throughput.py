"""Benchmark corpuslib.text.tokens: tokens/s and MB/s per language, cold vs warm cache."""
import json, os, shutil, sys, tempfile, time
from pathlib import Path
cache = tempfile.mkdtemp(prefix="tokbench_")
os.environ["CORPUSLIB_CACHE"] = cache
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import pandas as pd
import corpuslib.text.tokens as T

seeds = sorted((ROOT / "data" / "raw").glob("*.txt"))
langs = {"000": "zh", "001": "ru", "002": "zh", "003": "vi", "004": "vi"}
seed_docs = pd.DataFrame({"doc_id": [p.name for p in seeds], "lang": [langs[p.name[:3]] for p in seeds],
                          "text": [p.read_text(encoding="utf-8") for p in seeds]})
rows = [json.loads(l) for l in open(ROOT.parent / "shared/corpora/vntc/vntc_10topics_test_sample1500.jsonl", encoding="utf-8")][:300]
vntc = pd.DataFrame({"doc_id": [r["id"] for r in rows], "lang": "vi", "text": [r["text"] for r in rows]})

# warm the libraries (imports, model and dictionary loading) so "cold" measures segmentation
t0 = time.perf_counter()
for lang, s in (("vi", "Cán bộ"), ("zh", "干部"), ("ru", "кадры"), ("en", "x")):
    T.tokenize_text(s, lang)
print(f"library load (pyvi+nltk, jieba, pymorphy3): {time.perf_counter() - t0:.2f} s")

def run(name, docs):
    for lang, sub in [("all", docs)] + list(docs.groupby("lang")):
        T._ru_lemma.cache_clear()
        os.environ["CORPUSLIB_CACHE"] = tempfile.mkdtemp(prefix="tokbench_")
        mb = sub["text"].str.encode("utf-8").str.len().sum() / 1e6
        for label in ("cold", "warm"):
            t = time.perf_counter(); tab = T.tokenize(sub); dt = time.perf_counter() - t
            print(f"{name:8s} {lang:3s} {label}: {len(sub):4d} docs {mb*1e3:8.1f} kB {len(tab):7d} tokens "
                  f"{dt:7.3f} s {len(tab)/dt:10,.0f} tokens/s {mb/dt:7.3f} MB/s")

run("seeds", seed_docs)
run("vntc300", vntc)
