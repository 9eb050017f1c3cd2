# paperkg developer tasks. `make build` and `make test` each do all the set-up they need.
PYTHON ?= python3
APT_PACKAGES := chromium raptor2-utils fonts-wqy-microhei

.PHONY: install install-test system-deps neo4j build test bench screenshot

install:
	$(PYTHON) -m pip install --quiet -e .

# Debian packages the integration tests drive: the browser (with a CJK font for the
# Chinese summaries) and an independent RDF parser.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v rapper >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

# Neo4j Community (and neosemantics) from Maven Central for tests/test_neo4j.py, cached in ~/.m2
# and ~/.cache/paperkg/neo4j between runs; needs Java 17+ and Maven.
neo4j:
	sh tests/neo4j-runtime/install.sh >/dev/null

install-test: system-deps neo4j
	$(PYTHON) -m pip install --quiet -e '.[test,serve]'

# Through $(PYTHON), not `kg` on PATH: with PYTHON=.venv/bin/python it is the venv's kg.
build: install
	$(PYTHON) -m kg build

test: install-test
	$(PYTHON) -m pytest

bench: install-test
	$(PYTHON) -m bench.run

# The README's picture: the samples' map as it opens, from a fresh build of the samples
# (headless Chromium through Playwright, a test dependency; Neo4j not needed).
screenshot: system-deps
	$(PYTHON) -m pip install --quiet -e '.[test]'
	$(PYTHON) -m kg build -q -o build/screenshot
	$(PYTHON) -m kg.html.browser build/screenshot/graph.html docs/screenshot.png
