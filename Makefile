# Kensa: `make run` and `make test` work on a fresh Debian 12 machine with Go and apt.
GO      ?= go
BIN     := bin/kensa
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
ARGS    ?=

.PHONY: all deps test-deps build run test vet lint fmt-check unit corpus integration fuzz-smoke compose-test compose-clean fuzz bench clean install

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kensa

# Starts the milter on its embedded defaults (inet:127.0.0.1:8898, metrics on 127.0.0.1:8899),
# keeping its quarantine under ./.state so that it runs without root.
# ARGS="--config FILE" to use a file (a --state-dir in ARGS wins).
STATE_DIR ?= $(CURDIR)/.state
run: build
	./$(BIN) serve --state-dir $(STATE_DIR) $(ARGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

# staticcheck at the version scripts/deps.sh pins (STATICCHECK_VERSION), over
# every package including the integration suite's.
STATICCHECK ?= $(shell $(GO) env GOPATH)/bin/staticcheck
lint: test-deps fmt-check
	$(STATICCHECK) -tags integration ./...

# TestCorpus runs in its own target below, so that its figures show. -timeout
# guards against a hang, not against a slow machine: under -race on a busy 2-core
# machine the urls package alone has taken 28 minutes (its code search runs ten
# times slower under the race detector).
unit: deps
	$(GO) test -race -count=1 -timeout 45m -skip '^TestCorpus$$' ./...

# The quality gate: kensa scan over testdata/corpus (internal/corpus). scripts/corpus.sh
# runs TestCorpus from cmd/kensa so the "corpus: detection N/M, false positives K/L"
# line shows, and fails when that line is missing (the test did not run) or wrong.
corpus: deps
	GO=$(GO) scripts/corpus.sh

test: test-deps fmt-check vet lint unit corpus
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory fuzz-smoke

# Kensa between a real Postfix, a real Sendmail (unpacked, never installed, into
# /var/cache/kensa-test), an SMTP sink and miltertest. Run from integration/ (go test's
# local directory mode) so that the suite's own "integration: N passed, M failed" line shows.
integration: test-deps
	integration/fetch-sendmail.sh
	$(GO) vet -tags integration ./integration/
	cd integration && $(GO) test -race -count=1 -tags integration -timeout 10m

# The docker compose trial, for real (docker/compose-test.sh), with Compose v2
# (built from the Go module proxy by scripts/deps.sh docker) and the README's
# own commands: its own dockerd, base images made with debootstrap, up --build,
# the samples sent through the composed Postfix and each outcome checked, a
# message held in the deferred queue while the mailbox is down, then down -v.
# Needs root. Images and build cache stay in /var/cache/kensa-test/docker
# (2-3 GB); the first run builds every image (many minutes on 2 cores).
# Not part of `make test` (the time); .ci/run runs it after.
KENSA_DOCKER_CACHE ?= /var/cache/kensa-test/docker
compose-test:
	@scripts/deps.sh docker
	KENSA_DOCKER_CACHE=$(KENSA_DOCKER_CACHE) docker/compose-test.sh

compose-clean:
	rm -rf $(KENSA_DOCKER_CACHE)

# Every `go test -fuzz` target scripts/fuzz.sh finds, FUZZTIME each (about 40
# targets: some 20 minutes at 30s). Not part of `make test`; crashers land in
# the package's testdata/fuzz/.
FUZZTIME ?= 30s
fuzz: deps
	FUZZTIME=$(FUZZTIME) GO=$(GO) scripts/fuzz.sh

# The bounded fuzz run in `make test`: every target, mutating for FUZZ_SMOKE
# each (the unit tests only replay the seeds). A count, not a duration: with
# a duration Go 1.26's fuzz coordinator sometimes fails a target with a bare
# "context deadline exceeded" as time runs out (golang/go#75804, fixed in
# Go 1.27), which would make `make test` flaky.
FUZZ_SMOKE ?= 3000x
fuzz-smoke: deps
	FUZZTIME=$(FUZZ_SMOKE) GO=$(GO) scripts/fuzz.sh

# Kensa side by side with its baselines (null milter, libyara alone, Postfix
# without milter): keeps the raw results of the run in bench/results/ (older runs
# removed) and computes BENCHMARKS.md from them, in about 20 minutes on an idle
# 2-core machine (the report's header says how long each phase took). Not part of
# `make test`. bench/NOTES.md is the hand-written companion, without figures.
BENCH_DIR  ?= /tmp/kensa-bench
BENCH_RUNS ?= 3
SOAK       ?= 6m
bench: test-deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BENCH_DIR)/bin/kensa ./cmd/kensa
	$(GO) build -o $(BENCH_DIR)/bin/nullmilter ./bench/nullmilter
	$(GO) build -o $(BENCH_DIR)/bin/kensa-bench ./bench/kensa-bench
	$(GO) test -c -o $(BENCH_DIR)/bin/known.test ./known
	$(GO) run ./bench/corpusgen -out $(BENCH_DIR)/corpus
	$(BENCH_DIR)/bin/kensa-bench -kensa $(BENCH_DIR)/bin/kensa -null $(BENCH_DIR)/bin/nullmilter \
		-known-test $(BENCH_DIR)/bin/known.test \
		-postfix-script bench/postfix.sh -corpus $(BENCH_DIR)/corpus -work $(BENCH_DIR)/work \
		-runs $(BENCH_RUNS) -soak $(SOAK) -out BENCHMARKS.md

# Install as a systemd service (docs/operations.md, "Install as a service"). DESTDIR stages
# the files for a package; without it the user is created and systemd told.
# An existing /etc/kensa/kensa.yaml is kept.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(SYSCONFDIR)/systemd/system
SYSUSERSDIR ?= $(SYSCONFDIR)/sysusers.d
DOCDIR      ?= $(PREFIX)/share/doc/kensa

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/kensa
	install -d -m 0755 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/kensa
	sed 's|/usr/local/bin/kensa|$(BINDIR)/kensa|' dist/systemd/kensa.service > $(DESTDIR)$(UNITDIR)/kensa.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/kensa.service
	install -m 0644 dist/systemd/kensa.sysusers $(DESTDIR)$(SYSUSERSDIR)/kensa.conf
	install -m 0644 dist/systemd/postfix-chroot.conf README.md $(DESTDIR)$(DOCDIR)/
	install -d -m 0755 $(DESTDIR)$(DOCDIR)/docs
	install -m 0644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/kensa/kensa.yaml ]; then \
		echo "keeping $(DESTDIR)$(SYSCONFDIR)/kensa/kensa.yaml; the new default is $(DESTDIR)$(DOCDIR)/kensa.yaml"; \
		install -m 0644 dist/kensa.yaml $(DESTDIR)$(DOCDIR)/kensa.yaml; \
	else install -m 0640 dist/kensa.yaml $(DESTDIR)$(SYSCONFDIR)/kensa/kensa.yaml; fi
	@if [ -z "$(DESTDIR)" ]; then \
		systemd-sysusers $(SYSUSERSDIR)/kensa.conf && chgrp kensa $(SYSCONFDIR)/kensa/kensa.yaml; \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		echo "installed; next: usermod -aG kensa postfix; systemctl enable --now kensa"; \
	fi

clean:
	rm -rf bin .state
