# Kensa: `make run` and `make test` work on a fresh Debian 12 machine with Go and apt.
GO      ?= go
BIN     := bin/kensa
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
ARGS    ?=

.PHONY: all deps test-deps build run test vet fmt-check unit integration fuzz bench clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kensa

# Starts the milter on its embedded defaults (inet:127.0.0.1:8898). ARGS="--config FILE" to use a file.
run: build
	./$(BIN) serve $(ARGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

unit: deps
	$(GO) test -race -count=1 ./...

test: test-deps fmt-check vet unit
	@$(MAKE) --no-print-directory integration

# Kensa between a real Postfix, a real Sendmail (unpacked, never installed, into
# /var/cache/kensa-test), an SMTP sink and miltertest. Run from integration/ (go test's
# local directory mode) so that the suite's own "integration: N passed, M failed" line shows.
integration: test-deps
	integration/fetch-sendmail.sh
	$(GO) vet -tags integration ./integration/
	cd integration && $(GO) test -race -count=1 -tags integration -timeout 10m

clean:
	rm -rf bin
