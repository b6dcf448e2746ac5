# Two commands do everything on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install browser run test lab benchmark clean

# (Re)install when the dependency files change; pins come from constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,lab,scale]"
	$(BIN)/python -m ipykernel install --sys-prefix --name corpuslib --display-name "Python (corpuslib)" >/dev/null
	@touch $@

install: $(STAMP) browser

## Headless Chromium for the page tests (Debian's chromium + chromium-driver): installed as root
## where missing; elsewhere the page tests say so and skip.
browser:
	@if command -v chromedriver >/dev/null 2>&1 && { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium and chromium-driver (page tests)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } \
			|| echo "could not install chromium: the page tests will skip"; \
	else echo "no chromium/chromedriver and not root: the page tests will skip (apt-get install chromium chromium-driver)"; fi

## Execute every notebook on the bundled corpus; outputs in outputs/
run: $(STAMP)
	$(BIN)/corpuslib run

## Run the test suite (CI calls this)
test: $(STAMP) browser
	$(BIN)/python -m pytest

## Open JupyterLab on the notebooks with the project's kernel; `make lab PORT=8899` picks the port.
# Served from the project root (so notebooks can show the pages they write under outputs-lab/explorer/),
# opening notebooks/. Root needs --allow-root; no display (a server, a container) means no browser.
PORT ?= 8888
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_BROWSER_FLAG := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser)
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
	  --ServerApp.port=$(PORT) --ServerApp.port_retries=0 $(LAB_ROOT_FLAG) $(LAB_BROWSER_FLAG)

## Print the benchmark figures (see benchmarks/README.md)
benchmark: $(STAMP)
	$(BIN)/python benchmarks/ingest_throughput.py

clean:
	rm -rf outputs .outputs.staging outputs.failed outputs-lab .cache
