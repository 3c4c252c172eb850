# cairn's build, test and demo entry points. `make help` lists them.

GO       ?= go
BIN      := bin/cairn
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
RUN_DATA := .run/data
# Where make run serves S3 next to its mount.
RUN_LISTEN ?= 127.0.0.1:9000
# Extra flags for `make bench`, e.g. BENCHFLAGS="-short".
BENCHFLAGS ?=
# The packages: version from packaging/version.sh, for the Go arch.
PKG_VERSION ?= $(shell packaging/version.sh)
PKG_ARCH    ?= $(shell $(GO) env GOARCH)
PKG_STAGE   := dist/stage
# The packaged binary is static and stripped; man pages and completions
# come from it, or from a host build when packaging another arch.
PKG_LDFLAGS := $(LDFLAGS) -s -w
PKG_GEN     := $(if $(filter $(PKG_ARCH),$(shell $(GO) env GOHOSTARCH)),./$(PKG_STAGE)/cairn,$(GO) run ./cmd/cairn)
# nfpm runs from the module proxy at a pinned version, outside go.mod.
NFPM        ?= $(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
# Man pages dated by the last commit, for reproducible packages.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
# Packages whose tests also run under the race detector: the concurrent
# ones that stay fast with it.
RACE_PKGS := ./cache/ ./mount/ ./objstore/transfer/ ./objstore/lifecycle/ ./objstore/events/ ./objstore/sse/ ./cmd/... ./daemon/ ./sync/...
# How long `make fuzz` runs each fuzz target.
FUZZTIME ?= 30s

.PHONY: help build run test bench fuzz lint deps clean package package-test

help:
	@echo "make build   build $(BIN) ($(VERSION))"
	@echo "make run     build, then mount a demo bucket on .run/mnt and serve it over S3 (Ctrl-C stops)"
	@echo "make test    install test packages, vet, and run every test (and package-test)"
	@echo "make bench   run the benchmarks (BENCHFLAGS=...)"
	@echo "make fuzz    run every fuzz target for FUZZTIME ($(FUZZTIME)) each"
	@echo "make lint    check gofmt and go vet"
	@echo "make deps    install the Debian packages the tests need"
	@echo "make package build dist/cairn_*.deb and dist/cairn-*.rpm ($(PKG_VERSION), $(PKG_ARCH))"
	@echo "make package-test  as root: build the packages, install the .deb, check it, remove it"
	@echo "make clean   remove build output, demo data and benchmark output"

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/cairn

# run shows cairn at work: it keeps a demo bucket in a data directory under
# .run/, mounts it on .run/mnt and serves it over S3 on $(RUN_LISTEN), in the
# foreground until Ctrl-C (which stores what was written and unmounts). It
# can run again and again.
run: build
	@set -e; \
	cairn() { echo "+ cairn $$*"; ./$(BIN) --data $(RUN_DATA) "$$@"; }; \
	if ./$(BIN) --data $(RUN_DATA) ls s3://demo >/dev/null 2>&1; then \
		echo "bucket demo already exists in $(RUN_DATA)"; \
	else \
		cairn mb s3://demo; \
	fi; \
	cairn cp README.md s3://demo/README.md; \
	cairn ls s3://demo; \
	mkdir -p .run/mnt; \
	umount -l $(CURDIR)/.run/mnt 2>/dev/null || true; \
	echo; \
	echo "s3://demo is mounted on .run/mnt and served over S3 on http://$(RUN_LISTEN)."; \
	echo "Try: ls -l .run/mnt; echo hi > .run/mnt/hello.txt; ./$(BIN) --data $(RUN_DATA) presign s3://demo/README.md --endpoint http://$(RUN_LISTEN)"; \
	echo "Ctrl-C stores what was written and unmounts."; \
	cairn mount --foreground --serve $(RUN_LISTEN) --staging-dir .run/staging --cache-dir .run/cache s3://demo $(CURDIR)/.run/mnt

test: deps
	$(GO) vet ./...
	GOOS=darwin $(GO) build -o /dev/null ./cmd/cairn  # macOS (launchd, macFUSE) keeps building
	CAIRN_REQUIRE_TOOLS=1 $(GO) test -timeout 20m ./...
	$(GO) test -race -timeout 10m $(RACE_PKGS)
	$(MAKE) package-test

bench: deps
	$(GO) run ./test/bench $(BENCHFLAGS)

# fuzz runs each Fuzz function of the tree (policy parser, S3 XML bodies,
# SigV4 parsing and chunked bodies) for FUZZTIME.
fuzz:
	@for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
	    echo "== $$(dirname $$f) $$t"; \
	    $(GO) test $$(dirname $$f) -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) || exit 1; \
	  done; \
	done

lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt -l lists files to format:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

deps:
	bash test/deps.sh

# package builds the .deb and .rpm under dist/ with nfpm (packaging/nfpm.yaml):
# the binary, systemd units, sample config, mount.cairn link, and the man
# pages and completions that the binary writes of itself.
package:
	rm -rf $(PKG_STAGE) dist/cairn[-_]*.deb dist/cairn[-_]*.rpm && mkdir -p $(PKG_STAGE)/examples
	GOOS=linux GOARCH=$(PKG_ARCH) CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(PKG_LDFLAGS)" -o $(PKG_STAGE)/cairn ./cmd/cairn
	$(PKG_GEN) gen man $(PKG_STAGE)/man
	gzip -9n $(PKG_STAGE)/man/*.1
	$(PKG_GEN) gen completions $(PKG_STAGE)/completions
	cp daemon/testdata/sample.yaml $(PKG_STAGE)/examples/cairn.yaml
	for p in deb rpm; do \
		PKG_VERSION=$(PKG_VERSION) PKG_ARCH=$(PKG_ARCH) $(NFPM) package --config packaging/nfpm.yaml --packager $$p --target dist/ || exit 1; \
	done
	@ls -l dist/*.deb dist/*.rpm

# package-test installs the built .deb on this machine and checks what it
# put where, then removes it (root only; it installs rpm to list the .rpm).
package-test:
	@if [ "$$(id -u)" = 0 ] && ! command -v rpm >/dev/null; then apt-get install -y -q --no-install-recommends rpm; fi
	CAIRN_PACKAGE_TEST=1 $(GO) test -count=1 -timeout 15m -run 'TestPackage' -v ./test/

clean:
	rm -rf bin dist .run .bench
