"""corpuslib: load, normalize and analyse multilingual news corpora on reform rhetoric.

The library follows the data, one subpackage per stage; lower stages never import higher ones::

    core      paths, caches, worker pools, table writing, cell values, schemas
    text      normalize, language, sentences, numerals, codes, lemmas, dates, lexicon, tokens
              (each text step exists once: every stage splits sentences, reads codes and numerals,
              and lemmatizes Russian with these)
    documents readers, encodings, boilerplate, page metadata, the documents table (``ingest``)
    analysis  dtm, compare (concepts, keyness, kwic), topics, references, timeline
    figures   one module per notebook's figures, one shared style
    run       params, notebook runner, manifest, report, build at scale, cli

The main steps are importable from here::

    import corpuslib as cl
    docs, rejected = cl.ingest("data/raw")      # raw files -> documents table + rejected table
    tokens = cl.tokenize(docs)                  # doc_id, position, token, lang
    counts = cl.concept_counts(docs, by="outlet")
    events = cl.extract_events(docs); timeline = cl.build_timeline(events)

Everything is imported on first use, so ``import corpuslib`` stays cheap.
"""
from __future__ import annotations

from .core.lazy import lazy_attributes

__version__ = "0.1.0"

#: The public API: name -> the module (below this package) that defines it.
API = {
    "ingest": "documents.table",
    "read_corpus": "documents.table",
    "read_documents": "documents.table",
    "write_documents": "documents.table",
    "flag_near_duplicates": "documents.duplicates",
    "tokenize": "text.tokens",
    "extract_dates": "text.dates",
    "load_lexicon": "text.lexicon",
    "concept_counts": "analysis.compare",
    "concept_rates_over_time": "analysis.compare",
    "concept_differences": "analysis.compare",
    "concepts": "analysis.compare",
    "keyness": "analysis.compare",
    "kwic": "analysis.compare",
    "TopicModel": "analysis.topics",
    "topic_prevalence": "analysis.prevalence",
    "topic_effects": "analysis.prevalence",
    "extract_events": "analysis.timeline",
    "build_timeline": "analysis.timeline",
    "party_documents": "analysis.timeline",
    "top_events": "analysis.timeline",
    "write_table": "core.tables",
    "run_notebooks": "run.runner",
    "output_dirs": "run.runner",
    "documents_path": "run.runner",
    "save_figure": "figures.style",
}
STAGES = ("core", "text", "documents", "analysis", "figures", "run")

__all__ = sorted(API) + ["__version__"]
__getattr__, __dir__ = lazy_attributes(__name__, STAGES, API)
