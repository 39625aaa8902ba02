# How neural networks are optimized -- course commands.
#
#   make book        execute every chapter and build the HTML book (book/_build/html/index.html), and its Chinese edition (html/zh/)
#   make locales     refresh the Chinese catalogs (book/locales/zh_CN) from the English; DOC=03_optimizers adds one
#   make test        the whole test suite (package, notebooks, grading round trips, part of the claims matrix)
#   make claims [CHAPTERS="01 04"] [CONFIGS=native,prescott]  every claim under six machine/seed configurations (book/_build/claims/claims.md)
#   make feedback [SETS=all|newest|fifth,ninth]  grade every held-out set of student mistakes and print the share the feedback names
#   make lint        ruff check, ruff format --check and the import contracts (also in make test)
#   make lab         JupyterLab on the course
#   make exercises   regenerate exercises/ from solutions/ with nbgrader
#   make grade [JOBS=N] [SHARD=i/n]  autograde submitted/ in sandboxes (grades.csv + feedback/); needs bwrap
#   make check HW=hw01 [NB=path]  a student checks one assignment before submitting
#   make solutions HW=hw03 DEADLINE=2027-03-01T23:59  the solutions for students (released_solutions/), only after the deadline
#   make bench       NumPy-vs-PyTorch benchmarks, one thread and default threads (writes benchmarks/RESULTS.md)
#   make live        live-coding notebooks + instructor notes per chapter (live/, git-ignored)
#   make slides      a reveal.js deck and its PDF per chapter (book/_build/slides/NN_<name>.slides.html), every slide measured at 1280x720 in headless Chromium
#
# exercises, grade, check, solutions, live and slides call `python -m courseware <command>` (the console
# script `courseware`; `python -m courseware --help`).
#
# The first target you run creates .venv (Python 3.11) and installs the course into it;
# later runs reuse it and only reinstall when pyproject.toml changes.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MATHJAX := book/_vendor/mathjax/tex-chtml.js
MATHJAX_VERSION := 3.2.2
REVEALJS := book/_vendor/reveal.js/dist/reveal.js
REVEALJS_VERSION := 5.2.1
PYTEST_WORKERS ?= 2

# every tool runs from the course environment; notebooks show static figures, not widgets
# (matplotlib keeps the inline backend in kernels: never export MPLBACKEND here)
export PATH := $(abspath $(BIN)):$(PATH)
export DLDEMOS_STATIC := 1
export PYTHONHASHSEED := 0

# The book and the tests run two notebooks/workers side by side on a 2-core machine:
# one BLAS/OpenMP thread each (oversubscribed BLAS made the NumPy network 4-7x slower).
# (make live and make slides execute two chapters side by side too)
book test live slides: export OMP_NUM_THREADS := 1
book test live slides: export OPENBLAS_NUM_THREADS := 1
book test live slides: export MKL_NUM_THREADS := 1
# the book computes every experiment afresh (courseware.live.precomputed), so the claims are
# checked on fresh numbers; a live notebook in class loads the stored results. (The tests
# compute each once per run, in a folder of that run: conftest.py.)
book: export DLDEMOS_RECOMPUTE := 1

.PHONY: help env book locales test claims feedback lint lab exercises grade check solutions bench live slides clean
.DEFAULT_GOAL := help

help:
	@sed -n 's/^#   //p' Makefile

env: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[course]"
	@touch $@

# MathJax 3 served from the book itself, so maths renders with no network.
$(MATHJAX):
	@command -v npm >/dev/null || { echo "error: npm (Node.js) is needed once to vendor MathJax for the offline book"; exit 1; }
	@mkdir -p .cache/npm book/_vendor/mathjax
	cd .cache/npm && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null
	tar -xzf .cache/npm/mathjax-$(MATHJAX_VERSION).tgz -C book/_vendor/mathjax --strip-components=2 package/es5
	@test -f $@

# reveal.js for the slide decks, vendored the same way (its dist/ and plugin/ folders).
$(REVEALJS):
	@command -v npm >/dev/null || { echo "error: npm (Node.js) is needed once to vendor reveal.js for the offline slides"; exit 1; }
	@mkdir -p .cache/npm book/_vendor/reveal.js
	cd .cache/npm && npm pack --silent reveal.js@$(REVEALJS_VERSION) >/dev/null
	tar -xzf .cache/npm/reveal.js-$(REVEALJS_VERSION).tgz -C book/_vendor/reveal.js --strip-components=1 package/dist package/plugin
	@test -f $@

# Executed chapters are cached by jupyter-book; any change to dldemos or courseware (the claims)
# invalidates the cache, so the book never shows outputs of code that has since changed.
BOOK_CACHE := book/_build/.jupyter_cache
BOOK_CODE_STAMP := book/_build/.dldemos-stamp
$(BOOK_CODE_STAMP): $(shell find dldemos courseware -name '*.py' 2>/dev/null)
	rm -rf $(BOOK_CACHE)
	@mkdir -p $(@D) && touch $@

book: $(STAMP) $(MATHJAX) $(BOOK_CODE_STAMP)
	$(BIN)/jupyter-book build book --keep-going
	$(BIN)/python -m courseware i18n build
	$(BIN)/python book/check_build.py book/_build
	@echo "The book is ready: open file://$(abspath book/_build/html/index.html) (中文版: file://$(abspath book/_build/html/zh/index.html))"

# 中文版: the English is the source; this merges its sentences into the catalogs, keeping every
# translation, marking the changed ones fuzzy (a test fails until a translator confirms them)
locales: $(STAMP)
	$(BIN)/python -m courseware i18n update $(DOC)
	$(BIN)/python -m courseware i18n stats

# the tests build slides and open the book and a deck in Chromium: they need the vendored scripts
test: $(STAMP) $(MATHJAX) $(REVEALJS)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The claims matrix (courseware.claims_matrix): every chapter executed under each configuration
# (the machine's own kernels, OpenBLAS Haswell and Prescott, torch's default CPU kernels, seeds
# shifted by 1 and 2), JOBS runs side by side with one BLAS thread each; a table of every
# claim's margin. Run it before a release; make test runs a part of it (tests/test_claims_ci.py).
claims: $(STAMP)
	$(BIN)/python -m courseware claims $(CHAPTERS) $(if $(CONFIGS),--configs $(CONFIGS)) --jobs $(JOBS)

# The feedback measure (tests/test_feedback_generalises.py): the held-out sets of student
# mistakes, each written by someone who never saw the grader's error model, graded as a class;
# prints the share of mistakes the feedback names, set by set, and the mistakes it leaves
# unnamed. make test grades the newest set; this grades all of them (about 10 minutes).
SETS ?= all
feedback: $(STAMP)
	FEEDBACK_SETS=$(SETS) $(BIN)/python -m pytest -n 0 -rA -q tests/test_feedback_generalises.py

# the same checks as tests/test_style.py, tests/test_imports.py and .pre-commit-config.yaml
STYLED := dldemos courseware tests benchmarks $(wildcard book/[0-9][0-9]_*.ipynb)
lint: $(STAMP)
	$(BIN)/ruff check $(STYLED)
	$(BIN)/ruff format --check $(STYLED)
	$(BIN)/lint-imports --no-cache

lab: $(STAMP)
	DLDEMOS_STATIC=0 $(BIN)/jupyter lab

exercises: $(STAMP)
	$(BIN)/python -m courseware release

# every submission runs in a bubblewrap sandbox (apt-get install -y bubblewrap); grading
# refuses to start without one unless UNSANDBOXED=1 (logged on every notebook)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
grade: $(STAMP)
	$(BIN)/python -m courseware grade --submissions submitted --jobs $(JOBS) $(if $(SHARD),--shard $(SHARD)) $(if $(UNSANDBOXED),--unsandboxed)

check: $(STAMP)
	@test -n "$(HW)" || { echo "usage: make check HW=hw01 [NB=path/to/hw01.ipynb]"; exit 2; }
	$(BIN)/python -m courseware check "$(HW)" $(if $(NB),"$(NB)")

# the hidden tests stay out of the released notebook unless HIDDEN=1 (see courseware/solutions.py)
solutions: $(STAMP)
	@test -n "$(HW)" -a -n "$(DEADLINE)" || { echo "usage: make solutions HW=hw03 DEADLINE=2027-03-01T23:59 [HIDDEN=1]"; exit 2; }
	$(BIN)/python -m courseware solutions "$(HW)" --deadline "$(DEADLINE)" $(if $(HIDDEN),--with-hidden-tests)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# Live notebooks run chapters with the stored results of their long experiments: each chapter
# is executed once (loading what is stored, computing what is missing), then again only when
# it or dldemos changes.
live: $(STAMP)
	$(BIN)/python -m courseware live
	@echo "Live notebooks and instructor notes are in $(abspath live)/"

slides: $(STAMP) $(MATHJAX) $(REVEALJS)
	$(BIN)/python -m courseware slides
	@echo "Slides: open file://$(abspath book/_build/slides)/01_mini_batches.slides.html"

clean:
	rm -rf book/_build .pytest_cache
