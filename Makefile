# Galley. `make` builds galley and writes every report; `make test` runs
# every test. Both set up what they need on a fresh machine: Go modules,
# the pinned ECharts build and DuckDB (npm ci), and Chromium for the
# browser tests.

GO       ?= go
GALLEY   := bin/galley
ECHARTS  := node_modules/echarts/dist/echarts.min.js
DUCKDB   := node_modules/@duckdb/node-api/package.json
EMBEDDED := runner/internal/echarts/echarts.min.js
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
SOURCES  := $(shell find runner -type f \( -name '*.go' -o -name '*.tmpl' -o -name '*.css' -o -name '*.pgo' \) -not -name '*_test.go') $(EMBEDDED) go.mod go.sum

.PHONY: all reports check test unit browser fuzz bench pgo screenshots chromium clean

all: reports

$(GALLEY): $(SOURCES)
	$(GO) build -trimpath -buildvcs=auto -o $@ ./runner/cmd/galley

# The ECharts build every report inlines, pinned by package-lock.json and,
# inside galley, by its sha256. galley embeds a copy (so that it runs in any
# folder); the copy is committed, and refreshed here when npm installs a
# new build. echarts.TestPinned keeps the three in step. The same npm ci
# installs DuckDB, a development dependency: the second implementation the
# differential tests of the views compare Galley with (runner/internal/oracle).
# One rule makes both (npm gives the files it unpacks a date of 1985, so
# each is touched).
$(ECHARTS) $(DUCKDB) &: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(ECHARTS) $(DUCKDB)

$(EMBEDDED): $(ECHARTS)
	@cmp -s $(ECHARTS) $@ || cp $(ECHARTS) $@
	@touch $@

# Every analysis in analyses/ into reports/NAME.html and NAME.sources.csv.
reports: $(GALLEY)
	$(GALLEY) run

# For reviewers: every analysis runs, every pin and claim holds, and
# reports/ holds exactly what the analyses and data produce: every file a
# fresh run writes, byte for byte, and no other.
check: $(GALLEY)
	$(GALLEY) check -reports reports

test: unit browser check

unit: $(EMBEDDED) $(DUCKDB)
	$(GO) vet ./...
	GALLEY_DUCKDB=1 $(GO) test ./...

# Headless Chromium from Debian, installed when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

browser: chromium $(EMBEDDED)
	GALLEY_CHROMIUM=$(CHROMIUM) $(GO) test -count=1 -run Browser ./runner/internal/browsertest/

screenshots: chromium reports
	GALLEY_CHROMIUM=$(CHROMIUM) $(GO) test -count=1 -run Screenshot ./runner/internal/browsertest/ -args -screenshots=$(CURDIR)/docs/images

FUZZTIME ?= 30s
fuzz:
	@fail=0; for pkg in $$($(GO) list ./runner/...); do \
	  list=$$($(GO) test -list '^Fuzz' $$pkg) || { echo "$$list"; exit 1; }; \
	  for t in $$(echo "$$list" | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || fail=1; \
	  done; \
	done; exit $$fail

# The benchmark suite (docs/performance.md): Galley, DuckDB and a plain Go
# program on the same generated files, each task's results compared.
bench: $(GALLEY) $(DUCKDB)
	./runner/bench/bench.sh

# The CPU profile go build optimizes galley with (profile-guided
# optimization): task T in process. Refresh it after changing the hot path,
# and commit it; builds stay reproducible because the profile is in git.
pgo:
	$(GO) test -run '^$$' -bench '^BenchmarkTaskT$$' -benchtime 40x -cpuprofile runner/cmd/galley/default.pgo ./runner/internal/engine && rm -f engine.test

clean:
	rm -rf bin
