# Two commands a user needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out
EXAMPLE ?= examples/japan-us-nk

.PHONY: run test lint fuzz golden setup browser screenshots bench train clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# No torch: sentences are embedded by an int8 ONNX model on onnxruntime (storydesk/claims/embed.py).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,web,scale]"
	touch $(STAMP)

# Training needs PyTorch, first and pinned: the CPU wheel; left to the resolver, pip pulls a
# multi-GB CUDA build.
TRAIN_STAMP := $(VENV)/.installed-train
$(TRAIN_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test,web,scale,train]"
	touch $(TRAIN_STAMP)

setup: $(STAMP)

# After the analysis: how to browse it, or (SERVE=1) the server itself. HOST/PORT pick where it listens.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(BIN)/storydesk analyze $(EXAMPLE) --out $(OUT)
ifeq ($(SERVE),1)
	$(BIN)/storydesk serve --out $(OUT) --host $(HOST) --port $(PORT)
else
	@echo "Browse it: $(BIN)/storydesk serve --out $(OUT) --host $(HOST) --port $(PORT)  then open http://$(HOST):$(PORT)/"
	@echo "(or: make run SERVE=1)"
endif

# The browser tests drive Debian's chromium and chromium-driver: installed here when missing and
# possible (root and apt-get); otherwise those tests skip, saying why, unless BROWSER_REQUIRED=1.
BROWSER_REQUIRED ?= 0
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	elif [ "$(BROWSER_REQUIRED)" = 1 ]; then \
	  echo "the browser tests need chromium and chromedriver: apt-get install chromium chromium-driver"; exit 1; \
	else echo "note: no chromium/chromedriver and no way to install them here; the browser tests will be skipped"; fi

# Lint gates, configured in pyproject.toml: any ruff or mypy finding fails `make test` (and CI).
lint: $(STAMP)
	$(BIN)/ruff check src bench
	$(BIN)/mypy

test: $(STAMP) lint browser
	$(BIN)/python -m pytest

# The reader fuzz tests at length: FUZZ_EXAMPLES damaged files per reader (make test runs a few dozen).
# A crash prints its input and a reproduce blob; fix it at its source and save the input in tests/fixtures/bad/.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_fuzz_readers.py

# Rewrites tests/golden/*/report.json from a fresh analysis of each case (tests/golden_reports.py) when
# a change to the analysis is intended; review their diff in the commit. CASES=name limits it.
golden: $(STAMP)
	$(BIN)/python tests/golden_reports.py $(CASES)

# Every page at desktop (1280 px) and phone (390 px) width, as the browser tests see them, for review:
# PAGE-desktop.png / PAGE-phone.png (the first screen) and PAGE-*-full-N.png (the page from the top, in tiles).
screenshots: $(STAMP) browser
	STORYDESK_SCREENSHOTS=$(abspath $(OUT))/screenshots $(BIN)/python -m pytest -q tests/test_web_browser.py -k screenshot

bench: $(STAMP)
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/dates.py
	$(BIN)/python bench/nlp.py
	$(BIN)/python bench/stance.py
	$(BIN)/python bench/alignment.py
	$(BIN)/python bench/reliability.py
	$(BIN)/python bench/clustering.py
	$(BIN)/python bench/brief.py
	$(BIN)/python bench/story.py
	$(BIN)/python bench/fabricated.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/glue.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/robustness.py

# Rebuilds src/storydesk/data/stance.npz from ../shared/data/fnc1 (reproducible: fixed seeds), with
# the `train` extra (PyTorch); `make setup` and `make run` never install it.
train: $(TRAIN_STAMP)
	$(BIN)/python train/stance.py

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
