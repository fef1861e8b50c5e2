# logdiff: the commands a developer and CI run. `make help` lists them.
SHELL := bash
GO ?= go
STATICCHECK_VERSION ?= v0.8.2
BENCHTIME ?= 3x

.PHONY: help build test lint bench eval demo fmt

help: ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build bin/logdiff
	$(GO) build -o bin/logdiff ./cmd/logdiff

test: ## run every test (real-data tests skip when ../shared/data is absent)
	$(GO) test ./...

lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

bench: ## throughput of reading, normalizing and diffing, in MB/s
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./logdiff/ | tee /dev/stderr | awk '/MB\/s/ {for (i=1;i<=NF;i++) if ($$i=="MB/s") printf "%-60s %10s MB/s\n", $$1, $$(i-1)}'

eval: ## recall, precision and lines to read on the labelled real pass/fail pairs
	$(GO) test -run 'TestEval' -v -count=1 ./logdiff/ | grep -v '^=== RUN' | grep -v '^--- PASS'

demo: ## the main job on the bundled sample, no network
	$(GO) run ./cmd/logdiff diff testdata/bucket/logs/ci-kubernetes-e2e-windows-gce/{1889163571498061825,1889117655500066817,1889208480745656321}/build-log.txt || test $$? = 1
