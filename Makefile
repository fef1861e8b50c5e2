# logdiff: the commands a developer and CI run. `make help` lists them.
SHELL := bash
GO ?= go
STATICCHECK_VERSION ?= v0.8.2
BENCHTIME ?= 3x

.PHONY: help build test test-huge lint bench bench-real bench-sweep eval demo screenshot

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# -buildvcs=true: --version names the commit even where GOFLAGS turns it off.
build: ## build bin/logdiff
	$(GO) build -buildvcs=true -o bin/logdiff ./cmd/logdiff

test: ## run every test (real-data tests skip when ../shared/data is absent)
	$(GO) test ./...

# test-huge diffs two logs of 20M lines and two of 5 GB, and a gzip bomb:
# minutes, and about 12 GB of disk under $TMPDIR while it runs.
test-huge: ## the huge cases: 20M-line and 5 GB logs, a gzip bomb (slow)
	LOGDIFF_HUGE=1 $(GO) test -run 'TestHuge' -v -timeout 120m ./logdiff/

lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# bench first times, in one run, GNU diff and logdiff on a pair of real CI logs
# (internal/realbench: ../shared/data's Treeherder logs, 100 MiB a side, the
# second with every clock shifted and 1% of its lines dropped, made once under
# $TMPDIR/logdiff-bench-real-v1): wall time best of three, MB/s of input, the
# ratio to GNU diff, CPU and peak RSS (the child's rusage from wait4). Then it
# prints MB/s of reading, normalizing and whole diffs (generated logs of 1, 10,
# 100 and 1000 MB, the largest real logs and the real pair), of rule matching,
# and of learning, and the peak memory of a Diff per line of input (B/line);
# then the peak RSS of a whole logdiff diff of the memory cases' logs
# (generated once under $TMPDIR/logdiff-bench-v2, about 3.5 GB).
bench: bench-real ## speed on real logs beside GNU diff; throughput (MB/s) and peak memory (bytes per line)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 60m ./logdiff/ ./patterns/ 2>&1 | tee bench.out | awk '/MB\/s/ {for (i=1;i<=NF;i++) if ($$i=="MB/s") printf "%-64s %10s MB/s\n", $$1, $$(i-1)} /B\/line/ {for (i=1;i<=NF;i++) if ($$i=="B/line") printf "%-64s %10s B/line\n", $$1, $$(i-1)}'
	@p=$${TMPDIR:-/tmp}/logdiff-bench-v2; for c in repeated-10M-short-lines:20000000 distinct-5M-lines:10000000 suite-10M-lines:20000000 treeherder:0; do \
	  n=$${c%%:*}; l=$${c##*:}; [ -f $$p/$$n-pass.log ] || continue; \
	  [ $$l != 0 ] || l=$$(cat $$p/$$n-pass.log $$p/$$n-fail.log | wc -l); \
	  /usr/bin/time -f "%M %e %P" -o $$p/time.out bin/logdiff diff $$p/$$n-pass.log $$p/$$n-fail.log >/dev/null || true; \
	  tail -1 $$p/time.out | awk -v n=$$n -v l=$$l '{printf "logdiff diff, %s (%d lines): %s s wall, %s CPU, peak RSS %d MiB, %.1f bytes a line\n", n, l, $$2, $$3, $$1/1024, $$1*1024/l}'; done

bench-real: ## logdiff beside GNU diff on a pair of real logs: wall, MB/s, ratio, peak RSS
	@$(GO) build -buildvcs=true -o bin/logdiff ./cmd/logdiff
	@$(GO) run ./internal/realbench -logdiff bin/logdiff

# eval prints, per set of real pass/fail pairs in ../shared/data and for the
# bundled sample, where the cause ranks, recall, precision and noise, beside
# plain diff (README, "Measured"). DUMP=dir writes each pair's top findings and
# where its cause ranked into dir. It fails only when a label no longer matches.
eval: ## cause rank, recall, precision and noise on every labelled real set; loghub grouping
	set -o pipefail; $(GO) test -run 'TestEval|TestLoghub' -v -count=1 ./logdiff/ $(if $(DUMP),-args -dump=$(abspath $(DUMP))) | grep -v -E '^=== (RUN|NAME|PAUSE|CONT)' | grep -v -E '^\s*--- PASS'

demo: ## the main job on the bundled sample, no network
	$(GO) run ./cmd/logdiff job ci-kubernetes-e2e-windows-gce --bucket testdata/bucket || test $$? = 1

# The browser's profile is a fresh directory, removed however chromium ends
# (an error, Ctrl-C): it holds a few MB of caches.
CHROMIUM ?= chromium
screenshot: ## docs/report.png: the HTML report of the bundled sample, in headless Chromium
	$(GO) build -o bin/logdiff ./cmd/logdiff
	bin/logdiff job ci-kubernetes-e2e-windows-gce --bucket testdata/bucket --no-cache -o html > bin/sample.html || test $$? = 1
	profile=$$(mktemp -d) && trap 'rm -rf "$$profile"' EXIT && \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
	  --no-first-run --disable-sync --user-data-dir="$$profile" --hide-scrollbars \
	  --screenshot=$(CURDIR)/docs/report.png --window-size=1280,1400 file://$(CURDIR)/bin/sample.html

bench-sweep: ## a sweep of 500 jobs x 4 runs of 1 MB logs (generates 2 GB under $TMPDIR once): jobs/s, peak memory
	$(GO) test -run '^$$' -bench BenchmarkSweep -benchtime 1x -timeout 30m ./cmd/internal/sweep/
