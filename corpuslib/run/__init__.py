"""Stage 5, run: the research run and the command line.

- :mod:`~corpuslib.run.params`: notebook parameters, checked before a run starts
- :mod:`~corpuslib.run.runner`: executes ``notebooks/NN-*.ipynb`` with papermill and publishes the outputs
- :mod:`~corpuslib.run.manifest`: what went in and the hash of everything that came out; ``verify``
- :mod:`~corpuslib.run.report`: the run's ``report.html``
- :mod:`~corpuslib.run.build`: the tables of a large corpus, streamed, on local workers or Dask
- :mod:`~corpuslib.run.cli`: ``corpuslib ingest | run | build | verify``
"""
from ..core.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(
    __name__, ("build", "cli", "manifest", "params", "report", "runner"),
    {"run_notebooks": "runner", "output_dirs": "runner", "documents_path": "runner", "RunError": "runner"})
