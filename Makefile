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
# Packages whose tests also run under the race detector: the concurrent
# ones that stay fast with it.
RACE_PKGS := ./objstore/transfer/ ./cmd/...

.PHONY: help build run test bench lint deps clean

help:
	@echo "make build   build $(BIN) ($(VERSION))"
	@echo "make run     build, then mount a demo bucket on .run/mnt and serve it over S3 (Ctrl-C stops)"
	@echo "make test    install test packages, vet, and run every test"
	@echo "make bench   run the benchmarks (BENCHFLAGS=...)"
	@echo "make lint    check gofmt and go vet"
	@echo "make deps    install the Debian packages the tests need"
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
	CAIRN_REQUIRE_TOOLS=1 $(GO) test -timeout 20m ./...
	$(GO) test -race -timeout 10m $(RACE_PKGS)

bench: deps
	$(GO) run ./test/bench $(BENCHFLAGS)

lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt -l lists files to format:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

deps:
	bash test/deps.sh

clean:
	rm -rf bin .run .bench
