# paperkg developer tasks. `make build` and `make test` each do all the set-up they need.
PYTHON ?= python3
APT_PACKAGES := chromium raptor2-utils fonts-wqy-microhei

.PHONY: install install-test system-deps build test bench screenshot

install:
	$(PYTHON) -m pip install --quiet -e .

# Debian packages the integration tests drive: the browser (with a CJK font for the
# Chinese summaries) and an independent RDF parser.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v rapper >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

install-test: system-deps
	$(PYTHON) -m pip install --quiet -e '.[test,serve]'

# Through $(PYTHON), not `kg` on PATH: with PYTHON=.venv/bin/python it is the venv's kg.
build: install
	$(PYTHON) -m kg build

test: install-test
	$(PYTHON) -m pytest

bench: install-test
	$(PYTHON) -m bench.run

# The README's picture: the samples' map as it opens, from a fresh build of the samples.
screenshot: install-test
	$(PYTHON) -m kg build -q -o build/screenshot
	$(PYTHON) -m kg.html.browser build/screenshot/graph.html docs/screenshot.png
